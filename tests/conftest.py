"""Shared personas and plans: an officer, a board member, a plan admin, and a small plan."""

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.auth.signals import user_logged_in
from django.core.cache import caches
from django.db import connection
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from actions.models import Action, Owner, OwnerHolder
from actions.services.actions import action_update_progress
from priorities.models import AreaMembership, LocalArea, Priority, Strategy
from sendplan import roles


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, no autovacuum in the test database. Tests roll back what they insert,
    leaving dead rows; autovacuum's VACUUM then records the tables as empty, and the planner
    joins a test's 500 actions by nested loops that take minutes (seen in CI). In
    production autovacuum counts committed rows, and its figures are right."""
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
            for (table,) in cursor.fetchall():
                cursor.execute(
                    f"ALTER TABLE {connection.ops.quote_name(table)} "
                    "SET (autovacuum_enabled = false)"
                )


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "second_factor_asked: client.force_login and client.login leave the admin's second "
        "factor to be given, as a real sign-in does",
    )


def _second_factor_given(sender, request, user, **kwargs):
    # Only the test client's sign-ins build a bare HttpRequest; the sign-in page's do not.
    if type(request) is HttpRequest and user.is_staff:
        device, _ = StaticDevice.objects.get_or_create(user=user, name="Tests' second factor")
        request.session[DEVICE_ID_SESSION_KEY] = device.persistent_id


@pytest.fixture(autouse=True)
def _test_sign_ins_give_the_second_factor(request):
    """The admin asks a password sign-in for a second factor (accounts/second_factor.py).
    Staff signed in by client.force_login or client.login have given it, as a plan admin
    with an authenticator app would; tests marked second_factor_asked have not, and
    sign-ins through the sign-in page never have."""
    if request.node.get_closest_marker("second_factor_asked"):
        yield
        return
    user_logged_in.connect(_second_factor_given, dispatch_uid="tests-second-factor")
    yield
    user_logged_in.disconnect(dispatch_uid="tests-second-factor")


@pytest.fixture(autouse=True)
def _fresh_public_cache():
    """The public pages are cached across requests: each test starts with none cached."""
    caches["public"].clear()


def make_user(username: str, group: str, *areas: LocalArea) -> User:
    """A user holding a role in these local areas (a role acts only in its areas): by
    default every area there is yet, as most tests have one; with none yet, an area of
    their own, as a role is always held in one."""
    user = User.objects.create_user(username, password="pw", first_name=username.title())
    areas = areas or LocalArea.objects.all() or [LocalArea.objects.create(name=f"{username}'s")]
    for area in areas:
        give_role(user, group, area)
    return user


def give_role(user: User, group: str, area: LocalArea) -> AreaMembership:
    """Give the user a role in a local area."""
    return AreaMembership.objects.create(area=area, user=user, role=Group.objects.get(name=group))


def as_next_request(user: User) -> User:
    """The user as their next request loads them: a user object reads its permissions,
    roles, areas and board seats once (sendplan.roles.RoleBackend)."""
    return User.objects.get(pk=user.pk)


def give_area(user: User, area: LocalArea) -> User:
    """Give the user a local area, with the roles they hold in their others; returns the
    user as their next request loads them."""
    held = set(user.area_memberships.values_list("role__name", flat=True))
    for group in held:
        give_role(user, group, area)
    return as_next_request(user)


def update_progress(action, user, status, *, rag="", percent=0, note="", **more):
    """An owner's progress update, with what their page sends."""
    values = {"status": status, "rag": rag, "percent_complete": percent, "note": note}
    return action_update_progress(action=action, user=user, **values, **more)


@pytest.fixture
def area(db):
    return LocalArea.objects.create(name="Medway")


@pytest.fixture
def strategy(area):
    return Strategy.objects.create(
        area=area, title="Joint SEND Strategy 2022-25", start_year=2022, end_year=2025
    )


@pytest.fixture
def priority(strategy):
    return Priority.objects.create(strategy=strategy, number=1, title="Early identification")


@pytest.fixture
def owner(area):
    return Owner.objects.create(area=area, name="Designated Clinical Officer", aliases="DCO")


@pytest.fixture
def action(priority, owner):
    action = Action.objects.create(
        priority=priority,
        reference="1.1",
        text="Review support for parents.",
        deadline_text="December 2019",
    )
    action.owners.add(owner)
    return action


@pytest.fixture
def officer(owner):
    user = make_user("olivia", roles.OFFICER, owner.area)
    OwnerHolder.objects.create(owner=owner, user=user)
    return user


@pytest.fixture
def board_member(area):
    return make_user("bola", roles.BOARD_MEMBER, area)


@pytest.fixture
def plan_admin(area):
    user = make_user("pat", roles.PLAN_ADMIN, area)
    user.is_staff = True
    user.save()
    return user
