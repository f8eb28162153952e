import datetime
import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from actions.models import Action, ActionOwner
from governance.demo import PLAN_WRITTEN
from priorities.choices import StrategyStage
from priorities.models import Priority, Strategy
from sendplan import roles


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.django_db
def test_demo_imports_the_seed_and_prints_working_passwords():
    printed = load_demo()
    assert Priority.objects.filter(strategy__title="SEND Strategy 2019-2022").count() == 7
    assert Action.objects.filter(priority__strategy__title="SEND Strategy 2019-2022").count() >= 36
    for username, role, password, area in [
        ("officer", roles.OFFICER, "officer-demo-pass", "Medway"),
        ("board", roles.BOARD_MEMBER, "board-demo-pass", "Medway"),
        ("planadmin", roles.PLAN_ADMIN, "planadmin-demo-pass", "Medway"),
        ("kentadmin", roles.PLAN_ADMIN, "kentadmin-demo-pass", "Kent"),
    ]:
        assert f"{username:<10} password: {password}" in printed
        user = authenticate(
            RequestFactory().post("/sign-in/"), username=username, password=password
        )
        assert user is not None
        held = user.area_memberships.values_list("area__name", "role__name")
        assert list(held) == [(area, role)]


@pytest.mark.django_db
def test_running_the_demo_again_duplicates_nothing():
    load_demo()
    first = row_counts()
    load_demo()
    assert row_counts() == first


@pytest.mark.django_db
def test_demo_officer_can_update_their_actions_only():
    load_demo()
    officer = authenticate(
        RequestFactory().post("/sign-in/"), username="officer", password="officer-demo-pass"
    )
    own = Action.objects.get(priority__strategy__title="SEND Strategy 2019-2022", reference="1.3")
    other = Action.objects.get(priority__strategy__title="SEND Strategy 2019-2022", reference="1.5")
    assert roles.can_update_action(officer, own)
    assert not roles.can_update_action(officer, other)


@pytest.mark.django_db
def test_the_printed_sign_in_address_uses_the_port_served_on(monkeypatch):
    monkeypatch.setenv("PORT", "8123")
    assert "Sign in at http://127.0.0.1:8123/ as:" in load_demo()
    monkeypatch.delenv("PORT")
    assert "Sign in at http://127.0.0.1:8000/ as:" in load_demo()


@pytest.mark.django_db
def test_the_ended_plan_is_archived_after_its_progress_is_recorded():
    load_demo()
    ended = Strategy.objects.get(title="SEND Strategy 2019-2022")
    assert ended.stage == StrategyStage.ARCHIVED
    assert Action.objects.get(priority__strategy=ended, reference="1.1").updates.exists()


@pytest.mark.django_db
def test_demo_plan_is_recorded_as_imported_on_the_day_it_was_written():
    load_demo()
    imported = "Imported from joint-send-strategy-2022-25-action-plan.tsv"
    written = timezone.localdate() + datetime.timedelta(days=PLAN_WRITTEN)
    for model in (Action, ActionOwner):
        dates = model.history.filter(history_change_reason=imported).values_list(
            "history_date", flat=True
        )
        assert dates and {timezone.localdate(date) for date in dates} == {written}
