"""Plan admins define measures and import values in the admin: preview, then confirm."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.models import Measure, MeasureValue

IMPORT_URL = reverse("admin:measures_measure_import_values")
WIDE = b"Local authority,2022,2023\nMedway Council,51.5,55\nENGLAND,49.2,50.3\nKent,1,2\n"


@pytest.fixture
def admin_client(client, plan_admin):
    client.force_login(plan_admin)
    return client


def upload(client, strategy, measure, data: bytes, name="sen2.csv"):
    return client.post(
        IMPORT_URL,
        {
            "strategy": strategy.pk,
            "measure": measure.pk if measure else "",
            "values_file": SimpleUploadedFile(name, data),
        },
    )


def confirm(client, preview):
    form = preview.context["confirm_form"]
    assert form is not None, preview.context["errors"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(IMPORT_URL, {**{k: v or "" for k, v in data.items()}, "confirm": "1"})


def test_preview_writes_nothing_and_confirm_imports_a_wide_file(
    admin_client, strategy, measure, plan_admin
):
    preview = upload(admin_client, strategy, measure, WIDE)
    page = preview.content.decode()
    assert "4 values added, 0 changed, 0 unchanged (wide layout)." in page
    assert "Row 4: Kent" in page
    assert not MeasureValue.objects.exists()
    response = confirm(admin_client, preview)
    assert response.status_code == 302
    assert MeasureValue.objects.count() == 4
    assert {row.history_change_reason for row in MeasureValue.history.all()} == {
        "Imported from sen2.csv"
    }


def test_bad_rows_are_listed_on_the_preview_with_nothing_to_confirm(
    admin_client, strategy, measure
):
    preview = upload(admin_client, strategy, measure, b"Local authority,2023\nMedway,lots\n")
    assert preview.context["errors"] == ["Row 2: the value “lots” is not a number."]
    assert preview.context["confirm_form"] is None


def test_confirm_after_values_changed_shows_a_new_preview(admin_client, strategy, measure, enter):
    preview = upload(admin_client, strategy, measure, WIDE)
    enter(measure, "2023", 40)
    response = confirm(admin_client, preview)
    assert "nothing was imported" in response.content.decode()
    assert MeasureValue.objects.count() == 1


def test_admin_saves_a_measure_with_its_priorities_through_the_services(
    admin_client, strategy, priority, owner, plan_admin
):
    response = admin_client.post(
        reverse("admin:measures_measure_add"),
        {
            "strategy": strategy.pk,
            "name": "Parent carer confidence",
            "unit": "percent",
            "better": "higher",
            "frequency": "termly",
            "owner": owner.pk,
            "order": 0,
            "priority_list": [priority.pk],
            "change_reason": "New measure",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    measure = Measure.objects.get()
    assert list(measure.priorities.all()) == [priority]
    assert measure.history.get().history_change_reason == "New measure"


def test_officer_cannot_import_values(client, officer):
    client.force_login(officer)
    assert client.get(IMPORT_URL).status_code == 302  # to the admin's sign-in


def test_history_page_of_a_value_cannot_save_around_the_services(
    admin_client, measure, enter, officer
):
    value = enter(measure, "Q1 2024-25", 58, user=officer)
    enter(measure, "Q1 2024-25", 61, user=officer, note="Late returns.")
    first = value.history.earliest()
    url = reverse("admin:measures_measurevalue_simple_history", args=[value.pk, first.history_id])
    admin_client.post(url, {"_save": "Save"})
    value.refresh_from_db()
    assert (value.value, value.history.count()) == (61, 2)
