"""Who may record a board's reviews: the seat on the board is read with the user's roles."""

import datetime

from governance.models import BoardMembership, Meeting
from sendplan import roles

from ..conftest import as_next_request


def test_a_seat_on_the_board_given_shows_on_the_next_request(
    board_member, make_meeting, django_assert_num_queries
):
    meeting = make_meeting(datetime.date(2026, 7, 7), "July board")
    BoardMembership.objects.filter(user=board_member).delete()
    user = as_next_request(board_member)
    assert roles.can_view_governance(user)  # the user's roles, areas and seats read
    meeting = roles.get_in_areas_or_404(user, Meeting, pk=meeting.pk)  # as the pack's view
    with django_assert_num_queries(0):
        assert not roles.can_review_at(user, meeting)
    BoardMembership.objects.create(board=meeting.board, user=board_member)
    assert roles.can_review_at(as_next_request(board_member), meeting)
