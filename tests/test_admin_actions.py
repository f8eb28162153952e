"""Every action of every model admin runs on the demo for the service administrator
without a server error, its confirmation pages followed through (issue 20).

The admins and their actions come from the registry, so a new one is run without being
listed here. Each action runs in a transaction rolled back afterwards, on the first two
objects of its list (owners that own a measure first, as merging those once failed).
"""

import io
from html.parser import HTMLParser

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions.models import Action, Owner
from measures.models import Measure
from priorities.choices import StrategyStage


class ActionForm(HTMLParser):
    """The fields a browser would send from the page's form that carries an action: hidden
    and ticked inputs as they are, the first choice of each list, a reason in each text
    box, and the first named submit button."""

    def __init__(self, action_name: str):
        super().__init__()
        self.action_name = action_name
        self.forms: list[list[tuple[str, str]]] = []
        self.confirming: int | None = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append([])
        if not self.forms or "name" not in attrs:
            if tag == "option" and self._select and attrs.get("value"):
                self.forms[-1].append((self._select, attrs["value"]))
                self._select = None
            return
        fields, name = self.forms[-1], attrs["name"]
        kind = attrs.get("type", "text")
        if (kind, name, attrs.get("value")) == ("hidden", "action", self.action_name):
            self.confirming = len(self.forms) - 1
        if tag == "input" and kind == "submit":
            if not any(field == "_submit" for field, _ in fields):
                fields.extend([(name, attrs.get("value", "")), ("_submit", "")])
        elif tag == "input" and (kind not in ("checkbox", "radio") or "checked" in attrs):
            fields.append((name, attrs.get("value") or "Checked by the admin actions test."))
        elif tag == "textarea":
            fields.append((name, "Checked by the admin actions test."))
        elif tag == "select":
            self._select = name

    def confirmation(self) -> list[tuple[str, str]] | None:
        """The form that confirms the action, if the page is one."""
        if self.confirming is None:
            return None
        return [(name, value) for name, value in self.forms[self.confirming] if name != "_submit"]


def selection(model_admin, request) -> list:
    objects = model_admin.get_queryset(request).order_by("pk")
    if model_admin.model is Owner:
        owns_measure = Exists(Measure.objects.filter(owner=OuterRef("pk")))
        objects = objects.order_by(~owns_measure, "pk")
    if model_admin.model is Action:
        objects = objects.exclude(priority__strategy__stage=StrategyStage.ARCHIVED)
    return list(objects.values_list("pk", flat=True)[:2])


def beside_the_menu(model_admin) -> dict[str, str]:
    """What the fields beside the action menu send when a user picks from each."""
    data = {}
    for name, field in model_admin.action_form().fields.items():
        if name in ("action", "select_across"):
            continue
        choices = [value for value, _ in getattr(field, "choices", []) if value not in ("", "-")]
        data[name] = str(choices[0]) if choices else "Checked by the admin actions test."
    return data


def as_form_data(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    return data


@pytest.fixture
def demo(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    call_command("send_reminders", stdout=io.StringIO())
    seen = {"username": "officer", "ip_address": "10.0.0.9", "user_agent": "test"}
    AccessAttempt.objects.create(**seen, failures_since_start=1, get_data="", post_data="")
    AccessFailureLog.objects.create(**seen, locked_out=False)


def test_every_admin_action_runs_for_the_service_administrator(demo):
    root = User.objects.create_superuser("root", password="pw")
    # The demo signs nobody up for a second factor: the service administrator's own devices.
    TOTPDevice.objects.create(user=root, name="Authenticator app")
    StaticDevice.objects.create(user=root, name="Recovery codes")
    client = Client()
    client.force_login(root)
    request = RequestFactory().get("/")
    request.user = root
    ran = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        chosen = selection(model_admin, request)
        for action_name in model_admin.get_actions(request):
            label = f"{opts.label}: {action_name}"
            assert chosen, f"the demo has no {opts.label}: add one in the demo fixture"
            data = {
                **beside_the_menu(model_admin),
                "action": action_name,
                ACTION_CHECKBOX_NAME: chosen,
                "index": 0,
            }
            with transaction.atomic():
                for _ in range(3):
                    response = client.post(changelist, data)
                    assert response.status_code < 500, label
                    if response.status_code != 200 or "html" not in response["Content-Type"]:
                        break
                    page = ActionForm(action_name)
                    page.feed(response.text)
                    confirmation = page.confirmation()
                    if confirmation is None:
                        break
                    data = as_form_data(confirmation)
                else:
                    pytest.fail(f"{label} asked for confirmation three times")
                transaction.set_rollback(True)
            ran.append(label)
    assert "actions.Owner: merge_into" in ran
    assert "axes.AccessAttempt: cleanup_expired_attempts" in ran
