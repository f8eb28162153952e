"""Who may open the pages: every page needs a signed-in user who holds a role."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from sendplan import roles


def plan_reader_required(view):
    """Signed in, and allowed to read the plan; anyone else gets the 403 page."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not roles.can_view_plan(request.user):
            raise PermissionDenied(
                "Your account has no role yet. Ask the SEND strategy team to give you one."
            )
        return view(request, *args, **kwargs)

    return wrapper
