"""The import preview shows each action as read: owners as split, the due date from the
words, and new owners that look like existing ones."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Owner
from actions.owner_names import names_look_alike
from priorities.models import LocalArea

from .conftest import AREA, SEED, STRATEGY

IMPORT_URL = reverse("admin:priorities_strategy_import_plan")


@pytest.fixture
def admin_client(client, plan_admin):
    client.force_login(plan_admin)
    return client


def preview(client, data: bytes, name: str) -> str:
    response = client.post(
        IMPORT_URL,
        {"area": AREA, "strategy": STRATEGY, "plan_file": SimpleUploadedFile(name, data)},
    )
    assert response.status_code == 200
    return response.content.decode()


def row_of(page: str, row_number: int) -> str:
    table = page.split('id="actions-as-read"')[1].split("</table>")[0]
    cell = f"<td>{row_number}</td>"
    return next(row for row in table.split("<tr>") if row.strip().startswith(cell))


def test_every_seed_action_shows_its_owners_as_split_and_its_due_date(admin_client):
    page = preview(admin_client, SEED.read_bytes(), SEED.name)
    assert "Every action as read (36)" in page
    first = row_of(page, 4)
    assert "<td>1.1</td>" in first
    assert "Head of 0-25 integrated service &rarr; Head of 0-25 Integrated Service" in first
    assert "DCO &rarr; Designated Clinical Officer" in first
    assert "Partnership commissioning <strong>(new owner)</strong>" in first
    assert "“February 2020” &rarr; 29 February 2020" in first
    ongoing = row_of(page, 19)
    assert "“Bi monthly /ongoing” &rarr; no due date, ongoing" in ongoing


def test_a_new_owner_like_an_existing_one_is_warned_about(admin_client, plan_admin):
    area = LocalArea.objects.get(name=AREA)
    Owner.objects.create(area=area, name="Head of 0-25 Integrated Service")
    plan = (
        "No\tPriority\tActions\tBy whom\tBy When\n"
        "1\tEarly help\tReview support.\tHead of 0-25 Integrated Services/DCO\tMay 2020\n"
        "1\tEarly help\tTrain staff.\tHead of Integrated 0-25 Service\tJune 2020\n"
    )
    page = preview(admin_client, plan.encode(), "plan.tsv")
    warnings = page.split('id="owner-warnings"')[1].split("</ul>")[0]
    assert (
        "Row 2: “Head of 0-25 Integrated Services” would be a new owner, but looks like the "
        "existing owner “Head of 0-25 Integrated Service”." in warnings
    )
    assert "Row 3: “Head of Integrated 0-25 Service” would be a new owner" in warnings
    assert "DCO" not in warnings


@pytest.mark.parametrize(
    ("first", "second", "alike"),
    [
        # The seed's spellings of one role.
        ("Head of 0-25 integrated service", "Head of 0-25 Service", True),
        ("Head of 0-25 Integrated Service", "Head of Integrated 0-25 Service", True),
        ("Medway Parents & Carers Forum", "Medway Parents and Carers Forum", True),
        ("Partnership Commissioning manager", "Partnership Commissioning Manager", False),
        ("Head of Early Help", "Head of Children's Social Care", False),
        ("Headteachers", "Medway Secondary Headteachers", False),
        ("DCO", "PEP", False),
    ],
)
def test_which_owner_names_look_alike(first, second, alike):
    assert names_look_alike(first, second) is alike


def test_the_preview_counts_unchanged_actions_in_words_that_agree(admin_client, import_plan):
    one = b"Priority\tActions\tBy whom\tBy When\n1. Early help\tTrain SENCOs.\tDCO\tMarch 2027\n"
    import_plan(one, file_name="one.tsv")
    assert "1 action unchanged" in preview(admin_client, one, "one.tsv")
    two = one + b"\tPublish the guide.\tDCO\tMay 2027\n"
    import_plan(two, file_name="two.tsv")
    assert "2 actions unchanged" in preview(admin_client, two, "two.tsv")
