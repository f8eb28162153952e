"""Every POST endpoint, for every role: nobody writes where their role may not.

The endpoints come from the URL resolver and the admin's registry, so a new page or admin
is checked without being listed here; a URL this module does not know how to post to
fails test_every_url_is_checked until it is given a payload or listed in NOT_WRITES.
Each POST runs in a transaction rolled back afterwards; a write is any new or removed row
in any table (every change writes a history row), sessions and sign-in attempts aside.
For the plan admin, every endpoint their role may write through must really write: the
payloads are good enough to write wherever the role check let them through. Every object
posted to is Medway's: Kent's plan admin writes nothing through any of them.
"""

import datetime
import io
from dataclasses import dataclass, field

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from actions import rules
from actions.models import Action
from actions.services.actions import action_delete, action_save
from governance.models import (
    Board,
    BoardMembership,
    Decision,
    Engagement,
    Meeting,
    UpdateRound,
)
from governance.services import round_default_deadline, round_start
from measures.models import Measure
from priorities.choices import StrategyStage
from priorities.models import LocalArea, Priority, Strategy
from public_pages.models import MeasurePublication, PriorityPublication
from reminders.models import SentReminder
from reminders.services import round_requests_send
from sendplan import roles
from tests.conftest import give_role
from tests.seed import SEED

# An action of a live plan that no reminder or round names: archived plans refuse every
# change, and the reminders' log is not the plan admin's to delete.
SPARE_ACTION = "9.98"
ARCHIVED = StrategyStage.ARCHIVED
DELETED_ACTION = "9.97"
OTHER_AREA = "another area's plan admin"
# Kent's plan admin who also sits on Medway's board: one person, a role in each area.
TWO_ROLES = "another area's plan admin, board member here"
PERSONAS = [
    "anonymous",
    "no role",
    "officer",
    "board member",
    "staff board member",
    "plan admin",
    OTHER_AREA,
    TWO_ROLES,
]
# A persona holding several roles, each in its area, may write what each of them may.
HELD = {TWO_ROLES: ("board member", OTHER_AREA)}

# URLs that write nothing a role could misuse, whatever is posted (checked all the same).
NOT_WRITES = {
    "admin:index",
    "admin:app_list",
    "admin:jsi18n",
    "admin:autocomplete",
    "admin:view_on_site",
    "admin:login",
    "admin:logout",
    "admin:password_change_done",
    "login",
    "logout",
    "home",
    "oidc_authentication_init",
    "oidc_authentication_callback",
    "oidc_logout",
    # Users already signed in (and the test's staff have given their second factor).
    "second_factor",
    # Sends an e-mail; the other two only say what happened.
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
}
# Writes that only touch the signed-in user's own row (no row added or removed).
OWN_ACCOUNT = {"admin:password_change", "reminders:preferences"}
# Signing in writes these whoever signs in; a failed sign-in adds an attempt.
IGNORED_TABLES = ("django_session", "axes_accesslog", "axes_accessfailurelog")
SIGN_IN_TABLES = ("axes_accessattempt",)
# The admin refuses to delete a row others depend on (nobody writes then).
PROTECTED = b"would require deleting the following protected related objects"


@dataclass
class Endpoint:
    label: str
    name: str
    url: str
    data: dict = field(default_factory=dict)
    # Who may write here: a set of personas, or a permission the plan admin needs.
    writers: frozenset = frozenset()
    files: dict | None = None


def url_names(*, naming_objects: bool = False) -> set[str]:
    """Every named URL; with ``naming_objects``, those whose pattern takes an argument."""
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = [*namespace, pattern.namespace] if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif pattern.name and (pattern.pattern.regex.groups or not naming_objects):
                names.add(":".join([*namespace, pattern.name]))

    walk(get_resolver().url_patterns, [])
    return names


# The one text field each admin form's payload changes (the first the form has).
TEXT_FIELDS = ["title", "name", "text", "comment", "first_name"]
# What an add form needs beyond a copy of an existing row, to pass its uniqueness rules.
ADD_OVERRIDES = {
    "priorities.Priority": {"number": "99"},
    "actions.Owner": {"aliases": ""},
    "actions.Action": {"reference": "9.99"},
    "governance.Decision": {"number": "999/2026"},
    # One publication per strategy, priority, action and measure: one with none yet.
    "public_pages.StrategyPublication": {
        "strategy": lambda: str(
            Strategy.objects.filter(publication=None, area__name="Medway").first().pk
        )
    },
    "public_pages.PriorityPublication": {
        "priority": lambda: str(
            Priority.objects.filter(publication=None, strategy__area__name="Medway").first().pk
        )
    },
    "public_pages.ActionPublication": {
        "action": lambda: str(Action.objects.get(reference=SPARE_ACTION).pk)
    },
    "public_pages.MeasurePublication": {"measure": lambda: str(spare_measure().pk)},
    # One row per area: an area with none yet.
    # One row per area: an area with none yet, which Medway's plan admin also works in.
    "measures.AreaComparators": {
        "area": lambda: str(LocalArea.objects.get(name="Comparatorshire").pk)
    },
}


def spare_measure() -> Measure:
    """A measure that is not on the public page yet."""
    measure = Measure.objects.order_by("pk").first()
    measure.pk, measure.name = None, f"{measure.name} (spare)"
    measure.save()
    return measure


def form_data(model_admin, obj, user, *, change=True) -> dict:
    """What the object's admin form posts back, with one text field changed."""
    request = RequestFactory().get("/")
    request.user = user
    form = model_admin.get_form(request, obj if change else None)(instance=obj)
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, (list, tuple)):
            data[name] = [str(getattr(item, "pk", item)) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, datetime.datetime):
            data[f"{name}_0"], data[f"{name}_1"] = value.date().isoformat(), "12:00:00"
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        elif value is not None:
            data[name] = str(getattr(value, "pk", value))
    text = next((name for name in TEXT_FIELDS if name in form.fields), None)
    if text:
        data[text] = f"{data.get(text, '')} (changed)"
    # Forms that ask why (a plan's, a priority's) are given a reason.
    if "change_reason" in form.fields:
        data["change_reason"] = "Checked by the write paths test"
    for inline in model_admin.get_inline_instances(request, obj):
        prefix = inline.get_formset(request, obj).get_default_prefix()
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    if not change:
        overrides = ADD_OVERRIDES.get(obj._meta.label, {})
        data.update({k: v() if callable(v) else v for k, v in overrides.items()})
    return data


@pytest.fixture
def world(db, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    people = {
        "officer": User.objects.get(username="officer"),
        "board member": User.objects.get(username="board"),
        "plan admin": User.objects.get(username="planadmin"),
        OTHER_AREA: User.objects.get(username="kentadmin"),
        "no role": User.objects.create_user("norole", password="pw"),
    }
    staff_board = User.objects.create_user("staffboard", password="pw", is_staff=True)
    give_role(staff_board, roles.BOARD_MEMBER, LocalArea.objects.get(name="Medway"))
    comparatorshire = LocalArea.objects.create(name="Comparatorshire")
    give_role(people["plan admin"], roles.PLAN_ADMIN, comparatorshire)
    two_roles = User.objects.create_user("tworoles", password="pw", is_staff=True)
    give_role(two_roles, roles.PLAN_ADMIN, LocalArea.objects.get(name="Kent"))
    give_role(two_roles, roles.BOARD_MEMBER, LocalArea.objects.get(name="Medway"))
    for membership in BoardMembership.objects.filter(user=people["board member"]):
        BoardMembership.objects.create(board=membership.board, user=staff_board, role="Member")
        BoardMembership.objects.create(board=membership.board, user=two_roles, role="Member")
    people["staff board member"] = staff_board
    people[TWO_ROLES] = two_roles
    # The reminders' log has rows; the demo's coming meeting has a round whose owners were
    # asked four days ago (so chasing them writes), and another coming meeting has none.
    call_command("send_reminders", stdout=io.StringIO())
    coming = Meeting.objects.filter(date__gte=rules.today()).order_by("date").first()
    started = round_start(meeting=coming, user=people["plan admin"])
    round_requests_send(update_round=started)
    asked = timezone.now() - datetime.timedelta(days=4)
    SentReminder.objects.filter(round=started).update(claimed_at=asked, sent_at=asked)
    Meeting.objects.create(
        board=coming.board,
        strategy=coming.strategy,
        date=coming.date + datetime.timedelta(days=60),
        title="Partnership Board",
    )
    live = Priority.objects.exclude(strategy__stage=StrategyStage.ARCHIVED).order_by("pk")[0]
    spare = Action(priority=live, reference=SPARE_ACTION, text="Spare, for the admin's checks.")
    action_save(action=spare, user=people["plan admin"])
    # A deleted action, for Deleted records to restore.
    gone = Action(priority=live, reference=DELETED_ACTION, text="Deleted, for the restore.")
    action_save(action=gone, user=people["plan admin"])
    action_delete(action=gone, user=people["plan admin"], reason="Deleted for the checks")
    # Failed sign-ins of a Medway colleague, which Medway's plan admin may lift (one who
    # never signs in here: a sign-in clears their attempts).
    locked = User.objects.create_user("locked", password="pw")
    give_role(locked, roles.OFFICER, LocalArea.objects.get(name="Medway"))
    seen = {"username": "locked", "ip_address": "10.0.0.9", "user_agent": "test"}
    AccessAttempt.objects.create(**seen, failures_since_start=1, get_data="", post_data="")
    AccessLog.objects.create(**seen)
    AccessFailureLog.objects.create(**seen, locked_out=False)
    # The same colleague's second factor, which the service administrator removes when lost.
    TOTPDevice.objects.create(user=locked, name="Authenticator app")
    StaticDevice.objects.create(user=locked, name="Recovery codes")
    return people


def admin_endpoints(world) -> list[Endpoint]:
    root = User.objects.create_superuser("root", password="pw")
    plan_admin = world["plan admin"]
    found = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        if model is User:
            obj = world["board member"]
        elif model is Group:
            obj = Group.objects.get(name=roles.OFFICER)
        elif model is Action:
            obj = Action.objects.get(reference=SPARE_ACTION)
        elif model is Strategy:
            obj = Strategy.objects.filter(area__name="Medway").exclude(stage=ARCHIVED).first()
        elif model is Priority:
            live = Priority.objects.filter(strategy__area__name="Medway")
            obj = live.exclude(strategy__stage=ARCHIVED).order_by("pk").first()
        elif hasattr(model, "area_path"):
            obj = roles.within_areas(plan_admin, model.objects.order_by("pk")).first()
        else:
            obj = model.objects.order_by("pk").first()
        assert obj is not None, f"the test's world has no Medway {opts.label}: add one"

        def may(verb, model_admin=model_admin, obj=obj):
            """What the model admin itself allows the user (its role's permissions or less)."""

            def allowed(user):
                request = RequestFactory().post("/")
                request.user = user
                if verb == "add":
                    return model_admin.has_add_permission(request)
                return getattr(model_admin, f"has_{verb}_permission")(request, obj)

            return frozenset({allowed})

        change = form_data(model_admin, obj, root)
        add = form_data(model_admin, obj, root, change=False)
        adders = may("add")
        # An admin whose deletions ask a reason offers no "delete selected", which asks none.
        request = RequestFactory().get("/")
        request.user = root
        offered = "delete_selected" in model_admin.get_actions(request)
        if model is User:
            add = {
                "username": "newcomer",
                "password1": "A-long-pass-1",
                "password2": "A-long-pass-1",
                # The areas inline, left empty: the new account has no area yet.
                "area_memberships-TOTAL_FORMS": "0",
                "area_memberships-INITIAL_FORMS": "0",
            }
            change = form_data(model_admin, obj, plan_admin)
            # A new account belongs to no area until it is given one: any plan admin adds it.
            adders |= {OTHER_AREA}
        found += [
            Endpoint(f"{opts.label} add", f"{prefix}_add", reverse(f"{prefix}_add"), add, adders),
            Endpoint(
                f"{opts.label} change",
                f"{prefix}_change",
                reverse(f"{prefix}_change", args=[obj.pk]),
                change,
                may("change"),
            ),
            Endpoint(
                f"{opts.label} delete",
                f"{prefix}_delete",
                reverse(f"{prefix}_delete", args=[obj.pk]),
                {"post": "yes", "reason": "Checked by the write paths test"},
                may("delete"),
            ),
            Endpoint(
                f"{opts.label} delete selected",
                f"{prefix}_changelist",
                reverse(f"{prefix}_changelist"),
                {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
                may("delete") if offered else frozenset(),
            ),
            Endpoint(
                f"{opts.label} history",
                f"{prefix}_history",
                reverse(f"{prefix}_history", args=[obj.pk]),
            ),
        ]
        if isinstance(model_admin, SimpleHistoryAdmin):
            version = obj.history.order_by("history_id").first()
            found.append(
                Endpoint(
                    f"{opts.label} revert",
                    f"{prefix}_simple_history",
                    reverse(f"{prefix}_simple_history", args=[obj.pk, version.history_id]),
                    change,
                )
            )
    # The authenticator's key and QR code are never shown, to anyone.
    device = TOTPDevice.objects.get()
    found += [
        Endpoint(
            f"authenticator {view}",
            f"admin:otp_totp_totpdevice_{view}",
            reverse(f"admin:otp_totp_totpdevice_{view}", args=[device.pk]),
        )
        for view in ("config", "qrcode")
    ]
    # Whoever the admin opens to may set up their own authenticator app (a new phone).
    found.append(
        Endpoint(
            "set up an authenticator",
            "second_factor_set_up",
            reverse("second_factor_set_up"),
            {"code": "000000"},
            frozenset({"plan admin", OTHER_AREA}),
        )
    )
    # A reset link whose token is wrong sets nobody's password.
    found.append(
        Endpoint(
            "password reset link",
            "password_reset_confirm",
            reverse("password_reset_confirm", args=["MQ", "wrong-token"]),
            {"new_password1": "A-long-pass-1", "new_password2": "A-long-pass-1"},
        )
    )
    # Archived plans refuse every change: write to a live one.
    action = (
        Action.objects.exclude(priority__strategy__stage=StrategyStage.ARCHIVED)
        .order_by("pk")
        .first()
    )
    strategy = Strategy.objects.filter(area__name="Medway").order_by("pk").first()
    other = world["officer"]
    found += [
        Endpoint(
            "set status of actions",
            "admin:actions_action_changelist",
            reverse("admin:actions_action_changelist"),
            {
                "action": "set_status",
                "_selected_action": [action.pk],
                "status": "blocked",
                "note": "x",
            },
            frozenset({"actions.change_action"}),
        ),
        Endpoint(
            "set another user's password",
            "admin:auth_user_password_change",
            reverse("admin:auth_user_password_change", args=[other.pk]),
            {"password1": "Taken-over-1", "password2": "Taken-over-1"},
            frozenset({"auth.change_user"}),
        ),
        Endpoint(
            "change own password",
            "admin:password_change",
            reverse("admin:password_change"),
            {"old_password": "pw", "new_password1": "Changed-1-x", "new_password2": "Changed-1-x"},
        ),
        Endpoint(
            "export actions",
            "admin:actions_action_export",
            reverse("admin:actions_action_export"),
            {"format": "0"},
        ),
        Endpoint(
            "restore a deleted action",
            "deleted_records",
            reverse("deleted_records"),
            {
                "kind": "action",
                "id": Action.history.get(reference=DELETED_ACTION, history_type="-").id,
                "reason": "Deleted by mistake",
            },
            frozenset({"actions.change_action"}),
        ),
        Endpoint(
            "export a plan",
            "admin:priorities_strategy_export",
            reverse("admin:priorities_strategy_export", args=[strategy.pk, "csv"]),
        ),
    ]
    return found


def values_import_endpoints() -> list[Endpoint]:
    url = reverse("admin:measures_measure_import_values")
    measure = Measure.objects.order_by("pk").first()
    fields = {"strategy": str(measure.strategy_id), "measure": str(measure.pk)}
    values = ("values.csv", b"Local authority,2031,2032\nMedway,51.5,55\n")
    preview = Client()
    preview.force_login(User.objects.get(username="planadmin"))
    response = preview.post(url, {**fields, "values_file": SimpleUploadedFile(*values)})
    confirm = response.context["confirm_form"]
    assert confirm is not None, response.context["errors"]
    confirm_data = {name: confirm[name].value() or "" for name in confirm.fields}
    return [
        Endpoint(
            "values import preview",
            "admin:measures_measure_import_values",
            url,
            fields,
            files={"values_file": values},
        ),
        Endpoint(
            "values import confirm",
            "admin:measures_measure_import_values",
            url,
            {**{k: str(v) for k, v in confirm_data.items()}, "confirm": "1"},
            frozenset({"measures.change_measure"}),
        ),
    ]


def import_endpoints() -> list[Endpoint]:
    url = reverse("admin:priorities_strategy_import_plan")
    fields = {"area": "Medway", "strategy": "Medway SEND Strategy 2026-29"}
    preview = Client()
    preview.force_login(User.objects.get(username="planadmin"))
    response = preview.post(
        url, {**fields, "plan_file": SimpleUploadedFile(SEED.name, SEED.read_bytes())}
    )
    confirm = response.context["confirm_form"]
    confirm_data = {name: confirm[name].value() for name in confirm.fields}
    return [
        Endpoint(
            "import preview",
            "admin:priorities_strategy_import_plan",
            url,
            fields,
            files={"plan_file": (SEED.name, SEED.read_bytes())},
        ),
        Endpoint(
            "import confirm",
            "admin:priorities_strategy_import_plan",
            url,
            {**{k: str(v) for k, v in confirm_data.items()}, "confirm": "Confirm and import"},
            frozenset({"priorities.add_strategy"}),
        ),
    ]


def page_endpoints(world) -> list[Endpoint]:
    officer = world["officer"]
    live = Action.objects.exclude(priority__strategy__stage=StrategyStage.ARCHIVED)
    action = live.filter(owners__holders=officer).order_by("pk").first()
    strategy = action.priority.strategy
    board = Board.objects.filter(members=world["board member"]).first()
    meeting = Meeting.objects.filter(board=board).order_by("pk").first()
    reviewed = Action.objects.filter(priority__strategy=meeting.strategy).order_by("pk").first()
    update = {
        "status": "blocked" if action.status != "blocked" else "in_progress",
        "rag": action.rag,
        "percent_complete": action.percent_complete,
        "note": "Waiting on the provider.",
        "seen_version": action.version,
    }
    review = {
        "subject": f"action-{reviewed.pk}",
        "rag": "red",
        "comment": "Too slow.",
        "recommendation": "Report back.",
        "follow-TOTAL_FORMS": "0",
        "follow-INITIAL_FORMS": "0",
    }
    measure = Measure.objects.order_by("pk").first()
    measure_writers = {"measures.change_measure"}
    if measure.owner and measure.owner.holders.filter(pk=officer.pk).exists():
        measure_writers.add("officer")
    value = {"period_label": "2031", "period_end": "2031-12-31", "value": "42.5", "note": "Test."}
    started = UpdateRound.objects.get()
    unstarted = Meeting.objects.filter(date__gte=rules.today(), update_round=None).first()
    covered = Action.objects.open().filter(priority__strategy_id=unstarted.strategy_id)
    pages = [
        Endpoint("update rounds", "rounds:list", reverse("rounds:list")),
        Endpoint(
            "start an update round",
            "rounds:start",
            reverse("rounds:start", args=[unstarted.pk]),
            {
                "deadline": round_default_deadline(unstarted).isoformat(),
                "actions": [str(pk) for pk in covered.values_list("pk", flat=True)],
            },
            frozenset({"governance.change_meeting"}),
        ),
        Endpoint(
            "an update round",
            "rounds:detail",
            reverse("rounds:detail", args=[started.pk]),
        ),
        Endpoint(
            "chase an update round",
            "rounds:chase",
            reverse("rounds:chase", args=[started.pk]),
            {},
            frozenset({"governance.change_meeting"}),
        ),
        *public_endpoints(world, action=action, strategy=strategy),
        Endpoint(
            "enter a measure's value",
            "measures:value_create",
            reverse("measures:value_create", args=[measure.pk]),
            value,
            frozenset(measure_writers),
        ),
        Endpoint("measures", "measures:list", reverse("measures:list", args=[strategy.pk])),
        Endpoint("a measure", "measures:detail", reverse("measures:detail", args=[measure.pk])),
        Endpoint(
            "update an action",
            "actions:update",
            reverse("actions:update", args=[action.pk]),
            update,
            frozenset({"officer", "actions.change_action"}),
        ),
        Endpoint(
            "record a review",
            "governance:review_create",
            reverse("governance:review_create", args=[meeting.pk]),
            review,
            frozenset({"board member", "staff board member", "governance.add_review"}),
        ),
        Endpoint("action page", "actions:detail", reverse("actions:detail", args=[action.pk])),
        Endpoint("plans", "actions:strategies", reverse("actions:strategies")),
        Endpoint(
            "dashboard", "actions:dashboard", reverse("actions:dashboard", args=[strategy.pk])
        ),
        Endpoint("changes", "actions:changes", reverse("actions:changes", args=[strategy.pk])),
        Endpoint("action list", "actions:list", reverse("actions:list", args=[strategy.pk])),
        Endpoint(
            "action list csv", "actions:list_csv", reverse("actions:list_csv", args=[strategy.pk])
        ),
        Endpoint("meetings", "governance:meeting_list", reverse("governance:meeting_list")),
        Endpoint(
            "board pack",
            "governance:meeting_pack",
            reverse("governance:meeting_pack", args=[meeting.pk]),
        ),
        Endpoint(
            "board pack xlsx",
            "governance:meeting_pack_xlsx",
            reverse("governance:meeting_pack_xlsx", args=[meeting.pk]),
        ),
        Endpoint(
            "publish a meeting's papers",
            "governance:papers_publish",
            reverse("governance:papers_publish", args=[unstarted.pk]),
            {},
            frozenset({"governance.change_meeting"}),
        ),
        Endpoint(
            "a version of the papers",
            "governance:papers_version",
            reverse("governance:papers_version", args=[meeting.pk, 1]),
        ),
        Endpoint(
            "a version of the papers as xlsx",
            "governance:papers_xlsx",
            reverse("governance:papers_xlsx", args=[meeting.pk, 1]),
        ),
        Endpoint("decisions", "governance:decision_list", reverse("governance:decision_list")),
        Endpoint(
            "decision",
            "governance:decision_detail",
            reverse(
                "governance:decision_detail",
                args=[Decision.objects.filter(area__name="Medway").first().pk],
            ),
        ),
    ]
    for name in sorted(NOT_WRITES | OWN_ACCOUNT):
        if name not in {"admin:view_on_site", "admin:app_list", "admin:password_change"}:
            pages.append(
                Endpoint(name, name, reverse(name), {"username": "officer", "password": "x"})
            )
    return pages


def public_endpoints(world, *, action, strategy) -> list[Endpoint]:
    """The public pages (no writes), publishing public text, and recording engagement."""
    published = Strategy.objects.filter(publication__is_published=True).first()
    waiting = PriorityPublication.objects.filter(draft_waiting=True).first()
    # Not yet approved, and saying what changed, as an approved one must.
    engagement = Engagement.objects.filter(strategy=strategy).exclude(we_did="").first()
    engagement.pk, engagement.is_published = None, False
    engagement.published_by = engagement.published_at = None
    engagement.save()
    shown = MeasurePublication.objects.filter(is_published=True).first()
    recorders = frozenset({"officer", "actions.change_action"})
    engagement_data = {
        "title": "Coffee morning",
        "date": "2026-10-01",
        "groups": ["parents_and_carers"],
        "participants": "12 parents",
        "method": "workshop",
        "level": "consult",
        "you_said": "Letters are hard to read.",
        "we_did": "Plain letters from January.",
    }
    public = [
        Endpoint(name, f"public:{name}", reverse(f"public:{name}", args=args))
        for name, args in [
            ("index", []),
            ("strategy", [published.pk]),
            ("strategy_csv", [published.pk]),
            ("strategy_json", [published.pk]),
            ("strategy_feed", [published.pk]),
        ]
    ]
    return [
        *public,
        Endpoint("publishing", "publishing:strategies", reverse("publishing:strategies")),
        Endpoint(
            "publishing a strategy",
            "publishing:strategy",
            reverse("publishing:strategy", args=[strategy.pk]),
        ),
        Endpoint(
            "publish a strategy",
            "publishing:strategy_publish",
            reverse("publishing:strategy_publish", args=[strategy.pk]),
            {"is_published": "on", "introduction": "What we are doing, in plain words."},
            frozenset({"public_pages.publish_public_text"}),
        ),
        Endpoint(
            "draft a priority's public text",
            "publishing:priority",
            reverse("publishing:priority", args=[action.priority_id]),
            {"easy_read": "We help early.", "summary": "Help comes sooner."},
            frozenset({"officer", "public_pages.publish_public_text"}),
        ),
        Endpoint(
            "draft an action's public text",
            "publishing:action",
            reverse("publishing:action", args=[action.pk]),
            {"title": "Better letters", "status": "under_way"},
            frozenset({"officer", "public_pages.publish_public_text"}),
        ),
        Endpoint(
            "take a measure off the public page",
            "publishing:measure_publish",
            reverse("publishing:measure_publish", args=[shown.measure_id]),
            {"publish": "no"},
            frozenset({"public_pages.publish_public_text"}),
        ),
        Endpoint(
            "approve a draft",
            "publishing:approve",
            reverse("publishing:approve", args=["priority", waiting.pk]),
            {},
            frozenset({"public_pages.publish_public_text"}),
        ),
        Endpoint(
            "engagements", "governance:engagement_list", reverse("governance:engagement_list")
        ),
        Endpoint(
            "record an engagement",
            "governance:engagement_create",
            reverse("governance:engagement_create", args=[strategy.pk]),
            engagement_data,
            recorders,
        ),
        Endpoint(
            "change an engagement",
            "governance:engagement_edit",
            reverse("governance:engagement_edit", args=[strategy.pk, engagement.pk]),
            engagement_data,
            recorders,
        ),
        Endpoint(
            "approve an engagement",
            "governance:engagement_publish",
            reverse("governance:engagement_publish", args=[engagement.pk]),
            {"publish": "yes"},
            frozenset({"public_pages.publish_public_text"}),
        ),
    ]


def row_counts() -> tuple:
    tables = [t for t in connection.introspection.table_names() if not t.startswith(IGNORED_TABLES)]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables))
        return dict(zip(tables, cursor.fetchone(), strict=True))


def writes(persona, user, endpoint) -> dict:
    client = Client()
    if user is not None:
        client.force_login(user)
    files = {k: SimpleUploadedFile(*v) for k, v in (endpoint.files or {}).items()}
    with transaction.atomic():
        before = row_counts()
        response = client.post(endpoint.url, {**endpoint.data, **files})
        after = row_counts()
        transaction.set_rollback(True)
    assert response.status_code < 500, (persona, endpoint.label, response.status_code)
    if PROTECTED in response.content:
        return {"refused: protected": 0}
    ignored = SIGN_IN_TABLES if endpoint.name == "login" else ()
    return {t: after[t] - before[t] for t in before if after[t] != before[t] and t not in ignored}


def may_write(persona, user, endpoint) -> bool:
    if persona in HELD:
        return any(may_write(held, user, endpoint) for held in HELD[persona])
    for writer in endpoint.writers:
        if writer == persona:
            return True
        if persona != "plan admin":
            continue
        if callable(writer) and writer(user):
            return True
        if isinstance(writer, str) and "." in writer and user.has_perm(writer):
            return True
    return False


@pytest.mark.django_db
def test_no_role_writes_where_it_may_not(world):
    endpoints = [
        *admin_endpoints(world),
        *import_endpoints(),
        *values_import_endpoints(),
        *page_endpoints(world),
    ]
    wrong, attempts, allowed = [], 0, 0
    for persona in PERSONAS:
        user = world.get(persona)
        for endpoint in endpoints:
            attempts += 1
            changed = writes(persona, user, endpoint)
            expected = may_write(persona, user, endpoint)
            allowed += expected
            if "refused: protected" in changed:
                continue
            if bool(changed) != expected:
                wrong.append(
                    (persona, endpoint.label, "wrote" if changed else "wrote nothing", changed)
                )
    escalations = [row for row in wrong if row[2] == "wrote"]
    # The matrix's figures, for the record (pytest -s shows them).
    print(
        f"\nwrite paths: {len(PERSONAS)} personas x {len(endpoints)} endpoints = {attempts} "
        f"attempts; {allowed} allowed; {len(escalations)} escalations; "
        f"{len(wrong) - len(escalations)} refused that should write"
    )
    assert wrong == [], "\n".join(map(str, wrong))


@pytest.mark.django_db
def test_every_url_is_checked(world):
    endpoints = [
        *admin_endpoints(world),
        *import_endpoints(),
        *values_import_endpoints(),
        *page_endpoints(world),
    ]
    checked = {endpoint.name for endpoint in endpoints} | NOT_WRITES | OWN_ACCOUNT
    assert url_names() - checked == set()
