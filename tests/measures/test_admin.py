"""Plan admins define measures and import values in the admin: preview, then confirm."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from measures.models import AreaComparators, Measure, MeasureValue
from sendplan.roles import OFFICER
from tests.conftest import give_role

from .dfe import AGES, INDICATORS, row_of, tidy_csv

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
            "source_column": "number_of_ehc_plans",
            "source_filters": "breakdown=Under 5",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    measure = Measure.objects.get()
    assert list(measure.priorities.all()) == [priority]
    assert (measure.source_column, measure.filter_choices()) == (
        "number_of_ehc_plans",
        {"breakdown": "Under 5"},
    )
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


def test_measures_list_shows_import_values_to_those_who_may_import(admin_client, client, strategy):
    changelist = reverse("admin:measures_measure_changelist")
    assert f'href="{IMPORT_URL}"' in admin_client.get(changelist).content.decode()
    # Someone who edits the plan in the admin and only reads its measures.
    reader = User.objects.create_user("rita", is_staff=True)
    reader.user_permissions.set(
        Permission.objects.filter(codename__in=["change_action", "view_measure"])
    )
    give_role(reader, OFFICER, strategy.area)
    client.force_login(reader)
    response = client.get(changelist)
    assert response.status_code == 200
    assert IMPORT_URL not in response.content.decode()


def test_a_file_with_no_value_for_the_plan_is_refused_with_no_confirm(
    admin_client, strategy, measure
):
    preview = upload(admin_client, strategy, measure, b"Local authority,2023\nKent,41\n")
    assert preview.context["errors"] == [
        "The file gives no value for Medway or England: none of its rows is for these areas. "
        "Check the plan, or the area's code, region and neighbours under “Comparators of areas”."
    ]
    assert preview.context["confirm_form"] is None
    assert "Confirm and import" not in preview.content.decode()


def choose(client, preview, **choices):
    form = preview.context["choice_form"]
    data = {name: form[name].value() or "" for name in form.fields}
    return client.post(IMPORT_URL, {**data, **choices, "choose": "1"})


def test_a_dfe_file_offers_its_indicator_columns_and_filters_then_imports(
    admin_client, strategy, measure
):
    AreaComparators.objects.create(area=strategy.area, la_code="E06000035", region="South East")
    preview = upload(admin_client, strategy, measure, tidy_csv(), name="ehc-plans.csv")
    form = preview.context["choice_form"]
    assert [value for value, _ in form.fields["column"].choices] == ["", *INDICATORS]
    assert [form.fields[name].label for name in ("filter_0", "filter_1")] == [
        "breakdown_topic",
        "breakdown",
    ]
    assert [value for value, _ in form.fields["filter_1"].choices] == ["", "Total", *AGES]
    assert preview.context["confirm_form"] is None
    chosen = choose(admin_client, preview, column=INDICATORS[0], filter_1="Under 5")
    page = chosen.content.decode()
    assert "14 values added, 0 changed, 0 unchanged (tidy layout)." in page
    low = row_of("E06000035", 2022, "Under 5")
    assert f"Row {low}: Medway, 2022: “low” (rounds to 0, but is not 0)" in page
    assert not MeasureValue.objects.exists()
    assert confirm(admin_client, chosen).status_code == 302
    medway = MeasureValue.objects.filter(series="actual").order_by("period_end")
    assert [v.period_label for v in medway] == ["2019", "2020", "2021", "2023"]
    assert MeasureValue.objects.count() == 14
