"""Every role acts only in its user's local areas: Kent's people never reach Medway's plan.

The demo holds Medway (officer, board, planadmin) and Kent (kentadmin). The walk below
takes every URL pattern that names an object, from the URL resolver and the admin's
registry, and opens it on a Medway object as each of Kent's people: each answers 404 or
403. A new page or admin that names an object fails test_every_object_url_is_walked until
it is walked here.
"""

import re

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse

from actions.models import Action, Owner, OwnerHolder
from actions.services.actions import action_delete, action_save
from actions.services.ownership import owner_holder_add
from governance.models import Board, Meeting
from planfile.importer import PlanImportError, plan_import
from priorities.models import LocalArea, Strategy
from sendplan import roles
from tests.conftest import give_role
from tests.seed import SEED
from tests.test_write_paths import (  # noqa: F401
    TWO_ROLES,
    admin_endpoints,
    page_endpoints,
    url_names,
    world,
)

# The public pages show what is published, to everyone.
# Object URLs that are not one area's: the roles themselves (groups), and an app's page of
# models.
SHARED = {
    "admin:auth_group_change",
    "admin:auth_group_delete",
    "admin:auth_group_history",
    "admin:app_list",
    # Names whoever its e-mailed token was made for, in any area; a wrong token opens nothing.
    "password_reset_confirm",
}
PUBLIC_NAMESPACE = "public:"
KENT_PEOPLE = ["kentadmin", "kentofficer", "kentboard"]


@pytest.fixture
def kent(world):  # noqa: F811
    """Kent's plan admin (from the demo), and a Kent officer and board member."""
    area = LocalArea.objects.get(name="Kent")
    people = {"kentadmin": User.objects.get(username="kentadmin")}
    for username, role in (("kentofficer", roles.OFFICER), ("kentboard", roles.BOARD_MEMBER)):
        person = User.objects.create_user(username, password="pw")
        give_role(person, role, area)
        people[username] = person
    owner = Owner.objects.create(area=area, name="Kent SEND Lead")
    OwnerHolder.objects.create(owner=owner, user=people["kentofficer"])
    return people


def medway_object_urls(world) -> dict[str, str]:  # noqa: F811
    """name -> URL of a Medway object, for every object URL the write-path test posts to."""
    urls = {}
    for endpoint in [*admin_endpoints(world), *page_endpoints(world)]:
        match = resolve(endpoint.url.split("?")[0])
        if match.args or match.kwargs:
            urls.setdefault(endpoint.name, endpoint.url)
    # The admin's "view on site" for a Medway meeting.
    meeting = roles.within_areas(world["plan admin"], Meeting.objects).first()
    content_type = meeting._meta.app_label, meeting._meta.model_name
    from django.contrib.contenttypes.models import ContentType

    type_id = ContentType.objects.get_by_natural_key(*content_type).pk
    urls["admin:view_on_site"] = reverse("admin:view_on_site", args=[type_id, meeting.pk])
    return urls


def opened(user, url: str) -> int:
    """The status a user finally gets for a URL: GET, or POST (rolled back) where only
    POST is allowed; redirects followed, so a sign-in bounce ends at its 403."""
    client = Client()
    client.force_login(user)
    response = client.get(url, follow=True)
    if response.status_code == 405:
        with transaction.atomic():
            response = client.post(url, follow=True)
            transaction.set_rollback(True)
    if reverse("admin:index") in [hop for hop, _ in response.redirect_chain]:
        return 302  # the admin's "not found" bounce to its index: not a plain refusal
    return response.status_code


@pytest.mark.django_db
def test_every_object_url_of_another_area_answers_404_or_403(world, kent):  # noqa: F811
    urls = medway_object_urls(world)
    shown = []
    for name, url in sorted(urls.items()):
        if name in SHARED or name.startswith(PUBLIC_NAMESPACE):
            continue
        for username in KENT_PEOPLE:
            status = opened(kent[username], url)
            if status not in (403, 404):
                shown.append((username, name, url, status))
    assert shown == [], "\n".join(map(str, shown))
    # The same URLs open for Medway's own plan admin: the 404s are the areas, not the URLs.
    planadmin = world["plan admin"]
    assert opened(planadmin, urls["actions:detail"]) == 200
    assert opened(planadmin, urls["admin:actions_action_change"]) == 200
    assert opened(planadmin, urls["governance:meeting_pack"]) == 200


@pytest.mark.django_db
def test_every_object_url_is_walked(world, kent):  # noqa: F811
    walked = set(medway_object_urls(world)) | SHARED
    naming_objects = url_names(naming_objects=True)
    public = {name for name in naming_objects if name.startswith(PUBLIC_NAMESPACE)}
    assert naming_objects - walked - public == set()


def admin_change_links(page: str) -> set[tuple[str, str, int]]:
    return {
        (app, model, int(pk))
        for app, model, pk in re.findall(r'href="/admin/(\w+)/(\w+)/(\d+)/change/', page)
    }


@pytest.mark.django_db
def test_admin_lists_filters_and_autocomplete_show_only_the_users_areas(world, kent):  # noqa: F811
    from django.apps import apps
    from django.contrib import admin

    kentadmin = kent["kentadmin"]
    client = Client()
    client.force_login(kentadmin)
    listed = 0
    for model in admin.site._registry:
        opts = model._meta
        page = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if page.status_code != 200:
            continue
        for app, name, pk in admin_change_links(page.text):
            linked = apps.get_model(app, name)
            if hasattr(linked, "area_path"):
                listed += 1
                assert roles.within_areas(kentadmin, linked.objects.filter(pk=pk)).exists(), (
                    opts.label,
                    name,
                    pk,
                )
    assert listed > 0  # Kent's own strategy, boards and decision are listed
    medway = LocalArea.objects.get(name="Medway")
    page = client.get(reverse("admin:governance_board_changelist")).text
    assert f"area__id__exact={medway.pk}" not in page
    search = {"app_label": "governance", "model_name": "review", "field_name": "action"}
    found = client.get(reverse("admin:autocomplete"), {**search, "term": ""}).json()
    assert found["results"] == []
    medway_admin = Client()
    medway_admin.force_login(world["plan admin"])
    assert medway_admin.get(reverse("admin:autocomplete"), search).json()["results"]
    assert (
        f"area__id__exact={medway.pk}"
        in medway_admin.get(reverse("admin:governance_board_changelist")).text
    )


@pytest.mark.django_db
def test_admin_exports_hold_only_the_users_areas(world, kent):  # noqa: F811
    from django.contrib import admin
    from django.test import RequestFactory

    def exported(user) -> int:
        request = RequestFactory().get(reverse("admin:actions_action_export"))
        request.user = user
        return admin.site._registry[Action].get_export_queryset(request).count()

    assert exported(kent["kentadmin"]) == 0  # Kent has no actions yet
    assert exported(world["plan admin"]) == Action.objects.count()
    # A plan's own export is the strategy's: another area's is not found.
    medway_plan = Strategy.objects.filter(area__name="Medway").first()
    url = reverse("admin:priorities_strategy_export", args=[medway_plan.pk, "csv"])
    assert opened(kent["kentadmin"], url) == 404
    assert opened(world["plan admin"], url) == 200


@pytest.mark.django_db
def test_pages_list_only_the_users_areas(world, kent):  # noqa: F811
    kent_plan, medway_plan = "SEND Strategy 2021-2024", "Joint SEND Strategy 2022-25"
    pages = [
        "actions:strategies",
        "governance:meeting_list",
        "governance:decision_list",
        "publishing:strategies",
        "rounds:list",
        "governance:engagement_list",
    ]
    client = Client()
    client.force_login(kent["kentadmin"])
    for name in pages:
        page = client.get(reverse(name))
        assert page.status_code == 200, name
        assert medway_plan not in page.text, name
    assert kent_plan in client.get(reverse("actions:strategies")).text
    # The decision log's filters offer only the user's areas and their boards.
    medway_admin = Client()
    medway_admin.force_login(world["plan admin"])
    form = medway_admin.get(reverse("governance:decision_list")).context["form"]
    assert "Kent" not in [label for _, label in form.fields["area"].choices]
    assert not form.fields["delegated_by"].queryset.filter(area__name="Kent").exists()
    assert form.fields["delegated_by"].queryset.filter(area__name="Medway").exists()
    root = Client()
    root.force_login(User.objects.create_superuser("root2", password="pw"))
    every = root.get(reverse("actions:strategies")).text
    assert kent_plan in every and medway_plan in every


@pytest.mark.django_db
def test_services_refuse_another_areas_objects(world, kent):  # noqa: F811
    kentadmin = kent["kentadmin"]
    action = Action.objects.filter(priority__strategy__title="Joint SEND Strategy 2022-25")[0]
    action.text = "Rewritten by Kent."
    with pytest.raises(PermissionDenied):
        action_save(action=action, user=kentadmin, reason="x")
    with pytest.raises(PermissionDenied):
        action_delete(action=action, user=kentadmin, reason="x")
    action.refresh_from_db()
    assert action.text != "Rewritten by Kent."
    # Nor can Kent move one of its own new actions under a Medway priority.
    new = Action(priority=action.priority, reference="9.1", text="Kent's, in Medway's plan.")
    with pytest.raises(PermissionDenied):
        action_save(action=new, user=kentadmin, reason="x")
    assert not Action.objects.filter(reference="9.1").exists()


@pytest.mark.django_db
def test_importing_into_another_area_or_a_new_one_is_refused_and_writes_nothing(
    world,  # noqa: F811
    kent,
):
    before = Strategy.objects.count(), Action.objects.count(), LocalArea.objects.count()
    for area_name, message in (
        ("Medway", "You do not work in Medway"),
        ("Surrey", 'There is no local area called "Surrey"'),
    ):
        with pytest.raises(PlanImportError) as refused:
            plan_import(
                area_name=area_name,
                strategy_title="Taken over",
                file_name=SEED.name,
                data=SEED.read_bytes(),
                user=kent["kentadmin"],
            )
        assert message in refused.value.errors[0]
    assert (Strategy.objects.count(), Action.objects.count(), LocalArea.objects.count()) == before
    # The service administrator adds areas, by importing into a new one.
    root = User.objects.create_superuser("root3", password="pw")
    report = plan_import(
        area_name="Surrey",
        strategy_title="Surrey SEND Strategy",
        file_name=SEED.name,
        data=SEED.read_bytes(),
        user=root,
    )
    assert report.area_created and LocalArea.objects.filter(name="Surrey").exists()


@pytest.mark.django_db
def test_owner_roles_and_board_seats_go_only_to_the_areas_people(world, kent):  # noqa: F811
    from governance.services import board_member_add

    medway_owner = Owner.objects.filter(area__name="Medway").first()
    with pytest.raises(Exception, match="does not work in Medway"):
        owner_holder_add(owner=medway_owner, holder=kent["kentofficer"], user=world["plan admin"])
    board = Board.objects.filter(area__name="Medway").first()
    with pytest.raises(Exception, match="does not work in Medway"):
        board_member_add(board=board, member=kent["kentboard"], user=world["plan admin"])
    assert not OwnerHolder.objects.filter(user=kent["kentofficer"], owner=medway_owner).exists()


@pytest.mark.django_db
def test_escalations_go_to_the_areas_own_plan_admins(world, kent):  # noqa: F811
    medway, kent_area = LocalArea.objects.get(name="Medway"), LocalArea.objects.get(name="Kent")
    assert list(roles.plan_admins_for_area(medway)) == [world["plan admin"]]
    # Kent's plan admin who sits on Medway's board is one of Kent's, not of Medway's.
    assert list(roles.plan_admins_for_area(kent_area)) == [kent["kentadmin"], world[TWO_ROLES]]


@pytest.mark.django_db
def test_a_deleted_actions_history_is_shown_only_in_its_own_area(world, kent):  # noqa: F811
    planadmin = world["plan admin"]
    action = Action.objects.get(reference="9.98")
    url = reverse("admin:actions_action_history", args=[action.pk])
    action_delete(action=action, user=planadmin, reason="Entered twice")
    assert opened(planadmin, url) == 200
    assert opened(kent["kentadmin"], url) == 404


@pytest.mark.django_db
def test_a_role_held_in_another_area_acts_only_there(world, kent):  # noqa: F811
    # Issue 20, finding 3: roles were global groups, so a role given in Kent acted in
    # Medway. Kent's plan admin who is also a Medway officer reads Medway's plan, as an
    # officer, and changes nothing of it, in the pages, the admin or the services.
    kentadmin = kent["kentadmin"]
    give_role(kentadmin, roles.OFFICER, LocalArea.objects.get(name="Medway"))
    urls = medway_object_urls(world)
    assert opened(kentadmin, urls["actions:detail"]) == 200
    for name, url in sorted(urls.items()):
        # "View on site" leads to the page, which an officer reads.
        if name.startswith("admin:") and name not in {*SHARED, "admin:view_on_site"}:
            assert opened(kentadmin, url) in (403, 404), name
    action = Action.objects.filter(priority__strategy__title="Joint SEND Strategy 2022-25")[0]
    action.text = "Rewritten by Kent."
    with pytest.raises(PermissionDenied):
        action_save(action=action, user=User.objects.get(pk=kentadmin.pk), reason="x")
    assert not roles.can_edit_plan(kentadmin, action) and roles.can_edit_plan(kentadmin)
    assert list(roles.plan_admins_for_area(LocalArea.objects.get(name="Medway"))) == [
        world["plan admin"]
    ]
