"""What a user may do is read once a request: their permissions, roles, areas and board
seats in one query, and an object fetched within their areas is not looked up again."""

import datetime

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import Group, Permission, User
from django.http import Http404
from django.urls import reverse

from actions.models import Action
from priorities.models import LocalArea, Strategy
from sendplan import roles

from ..conftest import as_next_request, give_role, make_user


def test_permissions_and_role_names_take_one_query(board_member, django_assert_num_queries):
    user = as_next_request(board_member)
    with django_assert_num_queries(1):
        assert roles.can_view_governance(user)
        assert roles.can_review(user)
        assert not roles.can_edit_plan(user)
        assert roles.role_names(user) == [roles.BOARD_MEMBER]
        assert "governance.view_meeting" in user.get_all_permissions()


def test_a_permission_given_to_the_person_counts_as_one_given_to_their_role(officer):
    assert not as_next_request(officer).has_perm("governance.view_meeting")
    officer.user_permissions.add(Permission.objects.get(codename="view_meeting"))
    user = as_next_request(officer)
    assert user.has_perm("governance.view_meeting") and roles.can_view_governance(user)
    assert roles.role_names(user) == [roles.OFFICER]


def test_a_permission_taken_from_a_role_is_gone_on_the_next_request(board_member):
    group = Group.objects.get(name=roles.BOARD_MEMBER)
    group.permissions.remove(Permission.objects.get(codename="view_meeting"))
    assert not roles.can_view_governance(as_next_request(board_member))


def test_a_deactivated_user_may_do_nothing(board_member):
    board_member.is_active = False
    board_member.save()
    user = as_next_request(board_member)
    assert not user.has_perm("governance.view_meeting")
    assert not roles.can_view_governance(user)


def test_the_service_administrator_may_do_everything(db):
    user = User.objects.create_superuser("root", password="pw")
    assert as_next_request(user).has_perm("governance.change_meeting")
    assert roles.role_names(as_next_request(user)) == []


def test_the_role_backend_signs_nobody_in(board_member, client):
    assert roles.RoleBackend().authenticate(None, username="board", password="pw") is None
    client.post(reverse("login"), {"username": board_member.username, "password": "pw"})
    assert client.session[BACKEND_SESSION_KEY] == "accounts.sign_in_rules.PasswordBackend"


def test_an_object_found_in_the_users_areas_is_not_looked_up_again(
    action, officer, django_assert_num_queries
):
    found = roles.get_in_areas_or_404(officer, Action, pk=action.pk)
    with django_assert_num_queries(0):
        assert roles.in_areas(officer, found)


def test_an_object_found_for_one_user_is_still_checked_for_another(action, officer):
    kent = LocalArea.objects.create(name="Kent")
    outsider = make_user("outsider", roles.OFFICER, kent)
    found = roles.get_in_areas_or_404(officer, Action, pk=action.pk)
    assert not roles.in_areas(outsider, found)
    with pytest.raises(Http404):
        roles.get_in_areas_or_404(outsider, Action, pk=action.pk)


def test_an_area_taken_away_shows_on_the_next_request(action, officer, client):
    give_role(officer, roles.OFFICER, LocalArea.objects.create(name="Kent"))
    client.force_login(officer)
    page = reverse("actions:detail", args=[action.pk])
    assert client.get(page).status_code == 200
    officer.area_memberships.filter(area=action.priority.strategy.area).delete()
    assert client.get(page).status_code == 404


def test_an_officer_in_one_area_and_board_member_in_another_is_one_person(
    action, officer, board_member
):
    from governance.models import Board, BoardMembership, Meeting

    kent = LocalArea.objects.create(name="Kent")
    give_role(officer, roles.BOARD_MEMBER, kent)
    board = Board.objects.create(area=kent, name="Kent SEND Board", kind="partnership")
    kent_plan = Strategy.objects.create(area=kent, title="Kent's plan")
    kent_meeting = Meeting.objects.create(
        board=board, strategy=kent_plan, date=datetime.date(2027, 1, 5), title="Board"
    )
    BoardMembership.objects.create(board=board, user=officer, role="Member")
    medway_board = Board.objects.create(
        area=action.priority.strategy.area, name="M", kind="partnership"
    )
    medway_meeting = Meeting.objects.create(
        board=medway_board,
        strategy=action.priority.strategy,
        date=datetime.date(2027, 1, 5),
        title="B",
    )
    BoardMembership.objects.create(board=medway_board, user=officer, role="Member")
    user = as_next_request(officer)
    assert roles.role_names(user) == [roles.OFFICER, roles.BOARD_MEMBER]
    # An officer in Medway: updates their Medway action; a board member in Kent only.
    assert roles.can_update_action(user, action)
    assert roles.can_review_at(user, kent_meeting)
    assert not roles.can_review_at(user, medway_meeting)
    assert not roles.in_areas(user, medway_meeting, "governance.view_meeting")
    assert roles.in_areas(user, kent_meeting, "governance.view_meeting")
