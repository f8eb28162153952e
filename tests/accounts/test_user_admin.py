"""Plan admins give roles in the admin; they never grant superuser, staff or permissions."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from priorities.models import AreaMembership, LocalArea
from priorities.services import area_membership_save
from sendplan import roles
from tests.conftest import make_user


def change_url(user):
    return reverse("admin:auth_user_change", args=[user.pk])


def posted_user(user, **extra):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
        **area_rows(user),
    }
    return {**data, **extra}


def area_rows(user, *added, seen_by=None) -> dict:
    """The user's roles in local areas as the page's inline posts them (those the admin
    ``seen_by`` sees, if given), and (area, role name) pairs to add."""
    prefix = "area_memberships"
    rows = {}
    memberships = list(user.area_memberships.all())
    if seen_by is not None:
        memberships = list(roles.within_areas(seen_by, user.area_memberships.all()))
    for number, membership in enumerate(memberships):
        rows[f"{prefix}-{number}-id"] = str(membership.pk)
        rows[f"{prefix}-{number}-area"] = str(membership.area_id)
        rows[f"{prefix}-{number}-role"] = str(membership.role_id)
        rows[f"{prefix}-{number}-user"] = str(user.pk)
    for number, (area, role) in enumerate(added, start=len(memberships)):
        rows[f"{prefix}-{number}-area"] = str(area.pk)
        rows[f"{prefix}-{number}-role"] = str(role.pk if isinstance(role, Group) else role_id(role))
        rows[f"{prefix}-{number}-user"] = str(user.pk)
    return {
        **rows,
        f"{prefix}-TOTAL_FORMS": str(len(memberships) + len(added)),
        f"{prefix}-INITIAL_FORMS": str(len(memberships)),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def role_id(name: str) -> int:
    return Group.objects.get(name=name).pk


@pytest.fixture
def auditors(db):
    group = Group.objects.create(name="Auditors")
    group.permissions.add(Permission.objects.get(codename="delete_user"))
    return group


def test_a_plan_admin_cannot_make_themself_superuser(client, plan_admin, area, auditors):
    client.force_login(plan_admin)
    every_permission = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]

    response = client.post(
        change_url(plan_admin),
        posted_user(
            plan_admin,
            first_name="Patricia",
            is_superuser="on",
            is_staff="on",
            groups=[str(auditors.pk)],
            user_permissions=every_permission,
        ),
    )
    assert response.status_code == 302
    response = client.post(
        change_url(plan_admin), posted_user(plan_admin, **area_rows(plan_admin, (area, auditors)))
    )
    assert response.status_code == 200 and "Select a valid choice" in response.text

    plan_admin.refresh_from_db()
    assert plan_admin.first_name == "Patricia"
    assert not plan_admin.is_superuser
    assert not plan_admin.user_permissions.exists() and not plan_admin.groups.exists()
    held = plan_admin.area_memberships.values_list("role__name", flat=True)
    assert list(held) == [roles.PLAN_ADMIN]
    assert not User.objects.get(pk=plan_admin.pk).has_perm("auth.delete_user")


def test_a_plan_admin_sees_no_superuser_staff_or_permission_fields(client, plan_admin, auditors):
    client.force_login(plan_admin)
    page = client.get(change_url(plan_admin)).text
    for field in ("is_superuser", "is_staff", "user_permissions"):
        assert f'name="{field}"' not in page
    assert "Auditors" not in page
    assert roles.BOARD_MEMBER in page and roles.OFFICER in page


def test_a_plan_admin_gives_a_role_and_staff_follows_it(client, plan_admin, board_member, area):
    client.force_login(plan_admin)
    client.post(
        change_url(board_member),
        posted_user(board_member, **area_rows(board_member, (area, roles.PLAN_ADMIN))),
    )
    board_member.refresh_from_db()
    assert board_member.is_staff and board_member.has_perm("actions.change_action")

    data = posted_user(board_member)
    given = board_member.area_memberships.get(role__name=roles.PLAN_ADMIN)
    number = list(board_member.area_memberships.all()).index(given)
    data[f"area_memberships-{number}-DELETE"] = "on"
    client.post(change_url(board_member), data)
    board_member.refresh_from_db()
    assert not board_member.is_staff


def test_a_plan_admin_cannot_touch_a_superuser(client, plan_admin):
    root = User.objects.create_superuser("root", password="pw")
    client.force_login(plan_admin)
    assert client.get(change_url(root)).status_code in (302, 403, 404)
    password_url = reverse("admin:auth_user_password_change", args=[root.pk])
    response = client.post(password_url, {"password1": "taken-over-1", "password2": "taken-over-1"})
    assert response.status_code in (403, 404)
    root.refresh_from_db()
    assert root.check_password("pw")


def test_a_superuser_keeps_the_full_user_admin(client, db):
    root = User.objects.create_superuser("root", password="pw")
    colleague = make_user("carol", roles.OFFICER)
    client.force_login(root)
    page = client.get(change_url(colleague)).text
    assert 'name="is_superuser"' in page and 'name="user_permissions"' in page


def test_a_plan_admin_gives_their_own_areas_and_never_another(client, plan_admin, area):
    kent = LocalArea.objects.create(name="Kent")
    newcomer = User.objects.create_user("newcomer", password="pw")
    client.force_login(plan_admin)
    page = client.get(change_url(newcomer)).text
    assert f'<option value="{area.pk}">Medway</option>' in page
    assert "Kent" not in page

    offered = (kent, roles.OFFICER)
    refused = client.post(
        change_url(newcomer), posted_user(newcomer, **area_rows(newcomer, offered))
    )
    assert refused.status_code == 200 and "Select a valid choice" in refused.text
    assert not newcomer.area_memberships.exists()

    given = (area, roles.OFFICER)
    client.post(change_url(newcomer), posted_user(newcomer, **area_rows(newcomer, given)))
    membership = newcomer.area_memberships.get()
    assert (membership.area, membership.role.name) == (area, roles.OFFICER)
    assert membership.history.get().history_user == plan_admin


def test_a_plan_admin_cannot_change_someone_who_also_works_in_another_area(
    client, plan_admin, area
):
    # Issue 20, finding 3: Medway's plan admin made a Kent colleague a plan admin, set their
    # password, changed the e-mail that sign-on matches on and deactivated them.
    kent = LocalArea.objects.create(name="Kent")
    shared = make_user("sam", roles.OFFICER, area, kent)
    shared.email = "sam@kent.gov.uk"
    shared.save()
    make_user("both", roles.PLAN_ADMIN, area, kent)
    client.force_login(plan_admin)

    page = client.get(change_url(shared)).text
    assert 'name="email"' not in page and 'name="area_memberships-0-role"' not in page
    assert "only the service administrator or Both can change" in page
    data = posted_user(shared, email="taken@example.com", is_active="")
    data = {**data, **area_rows(shared, (area, roles.PLAN_ADMIN), seen_by=plan_admin)}
    assert client.post(change_url(shared), data).status_code == 403
    password_url = reverse("admin:auth_user_password_change", args=[shared.pk])
    response = client.post(password_url, {"password1": "taken-over-1", "password2": "taken-over-1"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        area_membership_save(
            membership=AreaMembership(
                area=area, user=shared, role=Group.objects.get(name="Plan admin")
            ),
            user=plan_admin,
        )

    shared.refresh_from_db()
    assert shared.email == "sam@kent.gov.uk" and shared.is_active and shared.check_password("pw")
    assert sorted(shared.area_memberships.values_list("area__name", "role__name")) == [
        ("Kent", roles.OFFICER),
        ("Medway", roles.OFFICER),
    ]


def test_a_plan_admin_of_every_area_a_person_works_in_changes_them(client, area):
    kent = LocalArea.objects.create(name="Kent")
    shared = make_user("sam", roles.OFFICER, area, kent)
    both = make_user("both", roles.PLAN_ADMIN, area, kent)
    both.is_staff = True
    both.save()
    client.force_login(both)
    data = posted_user(shared, email="sam@medway.gov.uk")
    assert client.post(change_url(shared), data).status_code == 302
    shared.refresh_from_db()
    assert shared.email == "sam@medway.gov.uk"


def test_a_plan_admin_sees_their_areas_people_and_newcomers_only(client, plan_admin, area):
    kent = LocalArea.objects.create(name="Kent")
    make_user("kim", roles.PLAN_ADMIN, kent)
    make_user("mo", roles.OFFICER, area)
    User.objects.create_user("newcomer")
    client.force_login(plan_admin)
    page = client.get(reverse("admin:auth_user_changelist")).text
    assert "mo" in page and "newcomer" in page
    assert "kim" not in page
    kim = User.objects.get(username="kim")
    assert client.get(change_url(kim)).status_code == 404
