"""The three roles, what each may do, and where: the one place pages, admin and services ask.

Roles are Django groups holding permissions, so an administrator can see and adjust them
in the admin; the checks below ask for permissions, never for group names.

Every role acts only in the user's local areas (their area memberships); a superuser, the
service administrator, acts in every area. Each scoped model names its way to its area in
`area_path` ("priority__strategy__area"), so one filter here scopes any of them.
"""

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import connections, router
from django.db.models import Q
from django.http import Http404

OFFICER = "Officer"
BOARD_MEMBER = "Board member"
PLAN_ADMIN = "Plan admin"

_VIEW_ALL = [
    "priorities.view_localarea",
    "priorities.view_strategy",
    "priorities.view_priority",
    "actions.view_owner",
    "actions.view_action",
    "actions.view_milestone",
    "actions.view_progressupdate",
    "governance.view_board",
    "measures.view_measure",
    "measures.view_measurevalue",
]
_EDIT_PLAN = [
    f"{app}.{verb}_{model}"
    for app, models in {
        "priorities": ["strategy", "priority", "areamembership"],
        "actions": ["owner", "ownerholder", "action", "actionowner", "milestone", "progressupdate"],
        "governance": ["board", "boardmembership", "meeting", "review", "decision", "engagement"],
        "measures": [
            "measure",
            "measurepriority",
            "measureaction",
            "measurevalue",
            "areacomparators",
        ],
        "public_pages": [
            "strategypublication",
            "prioritypublication",
            "actionpublication",
            "measurepublication",
        ],
    }.items()
    for model in models
    for verb in ("add", "change", "delete", "view")
]

_VIEW_GOVERNANCE = [
    "governance.view_boardmembership",
    "governance.view_meeting",
    "governance.view_review",
    "governance.view_decision",
    "governance.view_engagement",
]

ROLE_PERMISSIONS = {
    OFFICER: [*_VIEW_ALL, "actions.update_own_action", "measures.enter_own_values"],
    BOARD_MEMBER: [*_VIEW_ALL, *_VIEW_GOVERNANCE, "governance.add_review"],
    PLAN_ADMIN: [
        *_EDIT_PLAN,
        "actions.update_own_action",
        "measures.enter_own_values",
        "governance.add_review",
        "public_pages.publish_public_text",
        # Plan admins manage who holds which role, in their own areas; only the service
        # administrator (superuser) adds and renames areas.
        "priorities.view_localarea",
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
        # What reminders and update rounds sent, read-only in the admin.
        "reminders.view_sentreminder",
        # Plan admins see sign-in lockouts and lift them (django-axes).
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    ],
}


def ensure_role_groups() -> None:
    """Create the role groups with exactly their permissions; safe to run again."""
    for group_name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        # Exactly these: a permission taken from a role here is taken from its holders.
        group.permissions.set(permissions)


def acts_everywhere(user) -> bool:
    """The service administrator (a superuser) acts in every local area."""
    return user.is_active and user.is_superuser


def _area_ids(user) -> list[int]:
    """The ids of the user's local areas, read once per user object: a request loads its
    user afresh, and RoleBackend reads them with the user's permissions."""
    ids = getattr(user, "_area_ids", None)
    if ids is None:
        ids = user._area_ids = list(user.area_memberships.values_list("area_id", flat=True))
    return ids


def _board_ids(user) -> set[int]:
    """The ids of the boards the user sits on, read as their areas are (RoleBackend)."""
    ids = getattr(user, "_board_ids", None)
    if ids is None:
        ids = user._board_ids = set(user.board_memberships.values_list("board_id", flat=True))
    return ids


def within_areas(user, queryset):
    """The rows of a scoped model's queryset that lie in the user's local areas.

    A filter on the area's id along the model's path to it, so that a page's scoped read
    joins no more than that path (a join to the memberships cost each query about as much
    as the rest of it).
    """
    if acts_everywhere(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    path = queryset.model.area_path
    return queryset.filter(**{f"{path}_id__in" if path else "pk__in": _area_ids(user)})


def in_areas(user, obj) -> bool:
    """Whether a scoped object lies in one of the user's local areas."""
    if acts_everywhere(user):
        return True
    if user.is_authenticated and getattr(obj, "_found_in_areas_of", None) == user.pk:
        return True
    manager = type(obj)._default_manager
    return within_areas(user, manager.filter(pk=obj.pk)).exists()


def lay_in_areas(user, instance) -> bool:
    """Whether a deleted object lay in the user's areas, judged by the record it pointed to
    on its way to its area (a deleted action by its priority); for its history pages."""
    if acts_everywhere(user):
        return True
    if not instance.area_path:
        return False
    try:
        parent = getattr(instance, instance.area_path.split("__")[0])
    except ObjectDoesNotExist:
        return False
    return parent is not None and in_areas(user, parent)


def colleagues(user, users):
    """The users who share a local area with ``user``: every user, for the service
    administrator. For choosing board members, owners' holders and the like."""
    if acts_everywhere(user):
        return users
    return users.filter(area_memberships__area__memberships__user=user).distinct()


def get_in_areas_or_404(user, queryset, **lookup):
    """The object, if it lies in the user's areas: another area's answers 404, as if absent.

    ``queryset`` may be a model, as for Django's get_object_or_404.
    """
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    try:
        obj = within_areas(user, queryset).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404(f"No {queryset.model._meta.verbose_name} here.") from None
    # Found within this user's areas: in_areas need not ask the database again.
    obj._found_in_areas_of = user.pk
    return obj


def _anchors(obj) -> list:
    """What says where an object lies: its stored row, and the saved record it now points
    to on its way to its area (a new action's priority, or the one an action moves to)."""

    def stored(record) -> bool:
        return record.pk is not None and not record._state.adding

    anchors = [obj] if stored(obj) else []
    parent = obj
    for step in obj.area_path.split("__") if obj.area_path else []:
        parent = getattr(parent, step, None)
        if parent is None or stored(parent):
            break
    if parent is not None and parent is not obj and stored(parent):
        anchors.append(parent)
    return anchors


def require_in_areas(user, *objects) -> None:
    """The services' check that what they touch, new, changed or moved, lies in the user's
    local areas."""
    # None is an operator's command run on the server, which may do anything.
    if user is None or acts_everywhere(user):
        return
    # One query per model, however many objects (a decision's linked actions, say).
    by_model: dict[type, set] = {}
    for obj in objects:
        if obj is None:
            continue
        anchors = _anchors(obj)
        if not anchors:
            raise PermissionDenied("That belongs to another local area.")
        for anchor in anchors:
            by_model.setdefault(type(anchor), set()).add(anchor.pk)
    for model, pks in by_model.items():
        found = within_areas(user, model._default_manager.filter(pk__in=pks)).count()
        if found != len(pks):
            raise PermissionDenied("That belongs to another local area.")


def can_edit_plan(user) -> bool:
    """Plan admins edit every action of their areas, whoever owns it (the services check
    the area of what they change)."""
    return user.is_active and user.has_perm("actions.change_action")


def can_update_action(user, action) -> bool:
    if not (user.is_authenticated and in_areas(user, action)):
        return False
    if can_edit_plan(user):
        return True
    return (
        user.has_perm("actions.update_own_action") and action.owners.filter(holders=user).exists()
    )


def can_review(user) -> bool:
    return user.is_authenticated and user.has_perm("governance.add_review")


def can_view_governance(user) -> bool:
    """Meetings, board packs, reviews and the decision log."""
    return user.is_authenticated and user.has_perm("governance.view_meeting")


def can_manage_governance(user) -> bool:
    """Plan admins keep boards, members, meetings and decisions."""
    return user.is_active and user.has_perm("governance.change_meeting")


def can_review_at(user, meeting) -> bool:
    """Plan admins record any board's reviews; board members only those of their own boards."""
    if not (can_review(user) and in_areas(user, meeting)):
        return False
    return can_manage_governance(user) or meeting.board_id in _board_ids(user)


def can_view_plan(user) -> bool:
    """Every role reads the plan, its dashboards and its history; a user with no role does not."""
    return user.is_authenticated and user.has_perm("actions.view_action")


def can_update_own_actions(user) -> bool:
    """Officers (and plan admins) update the actions of the owner roles they hold."""
    return user.is_authenticated and user.has_perm("actions.update_own_action")


def can_enter_values(user, measure) -> bool:
    """Holders of a measure's owner role enter its values; plan admins enter any measure's."""
    if not (user.is_authenticated and in_areas(user, measure)):
        return False
    if can_edit_plan(user):
        return True
    return (
        measure.owner_id is not None
        and user.has_perm("measures.enter_own_values")
        and measure.owner.holders.filter(pk=user.pk).exists()
    )


def can_manage_measures(user) -> bool:
    """Plan admins define measures and import their values."""
    return user.is_active and user.has_perm("measures.change_measure")


# --- Public pages and co-production (issue 14) ---
def can_record_engagement(user) -> bool:
    """Plan admins, and officers holding an owner role, record engagement with families."""
    if not (user.is_authenticated and user.is_active):
        return False
    return can_edit_plan(user) or (
        user.has_perm("actions.update_own_action") and user.owner_holdings.exists()
    )


def can_publish_public_text(user) -> bool:
    """Only plan admins put text on the public pages (they approve what officers draft)."""
    return (
        user.is_authenticated
        and user.is_active
        and user.has_perm("public_pages.publish_public_text")
    )


def can_draft_public_text(user, *, action=None, priority=None) -> bool:
    """Plan admins draft any public text; an officer drafts it for an action whose owner role
    they hold, or for a priority with such an action."""
    if not (user.is_authenticated and user.is_active):
        return False
    if not in_areas(user, action if action is not None else priority):
        return False
    if can_edit_plan(user) or can_publish_public_text(user):
        return True
    if not user.has_perm("actions.update_own_action"):
        return False
    if action is not None:
        return action.owners.filter(holders=user).exists()
    return priority.actions.filter(owners__holders=user).exists()


# --- end public pages and co-production ---


def can_manage_people(user) -> bool:
    """Plan admins give people their roles and local areas (their own areas only)."""
    return user.is_active and user.has_perm("auth.change_user")


def role_names(user) -> list[str]:
    """The user's roles, to show who they are signed in as; never use this for a check."""
    names = getattr(user, "_role_group_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
    return [role for role in ROLE_PERMISSIONS if role in names]


class RoleBackend(ModelBackend):
    """Answers permission checks as ModelBackend does, but reads a user's own permissions,
    their roles' permissions, their roles' names, their local areas and the boards they sit
    on in one query (ModelBackend takes two, role_names a third, on every signed-in page).
    Signs nobody in.

    It keeps the permissions where ModelBackend looks for them on the user object, so the
    backends after it (ModelBackend, single sign-on's) answer from them too.
    """

    def authenticate(self, request, **credentials):
        return None

    def get_all_permissions(self, user_obj, obj=None):
        if (
            user_obj.is_active
            and not user_obj.is_anonymous
            and not user_obj.is_superuser
            and obj is None
            and not hasattr(user_obj, "_perm_cache")
        ):
            permissions, names, areas, boards = set(), set(), [], set()
            alias = router.db_for_read(Permission)
            with connections[alias].cursor() as cursor:
                cursor.execute(_roles_and_permissions_sql(alias), [user_obj.pk] * 5)
                for kind, first, second in cursor.fetchall():
                    if kind == "role":
                        names.add(first)
                    elif kind == "area":
                        areas.append(int(first))
                    elif kind == "board":
                        boards.add(int(first))
                    else:
                        permissions.add(f"{first}.{second}")
            user_obj._perm_cache = permissions
            user_obj._role_group_names = names
            user_obj._area_ids = areas
            user_obj._board_ids = boards
        return super().get_all_permissions(user_obj, obj)


@functools.cache
def _roles_and_permissions_sql(alias: str) -> str:
    """Written out: the ORM took longer to compile the union than the database to run it.
    Parameters: the user, five times."""
    quote = connections[alias].ops.quote_name
    user = get_user_model()
    permission = quote(Permission._meta.db_table)
    content_type = quote(Permission.content_type.field.related_model._meta.db_table)
    own = quote(user.user_permissions.through._meta.db_table)
    granted = quote(Group.permissions.through._meta.db_table)
    held = quote(user.groups.through._meta.db_table)
    group = quote(Group._meta.db_table)
    membership = quote(user._meta.get_field("area_memberships").related_model._meta.db_table)
    seat = quote(user._meta.get_field("board_memberships").related_model._meta.db_table)
    named = (
        f"SELECT 'permission', t.app_label, p.codename FROM {permission} p "
        f"JOIN {content_type} t ON t.id = p.content_type_id "
    )
    return (
        f"{named} JOIN {own} o ON o.permission_id = p.id WHERE o.user_id = %s "
        f"UNION ALL {named} JOIN {granted} g ON g.permission_id = p.id "
        f"JOIN {held} h ON h.group_id = g.group_id WHERE h.user_id = %s "
        f"UNION ALL SELECT 'role', r.name, '' FROM {group} r "
        f"JOIN {held} h ON h.group_id = r.id WHERE h.user_id = %s "
        f"UNION ALL SELECT 'area', CAST(m.area_id AS VARCHAR(20)), '' FROM {membership} m "
        f"WHERE m.user_id = %s "
        f"UNION ALL SELECT 'board', CAST(b.board_id AS VARCHAR(20)), '' FROM {seat} b "
        f"WHERE b.user_id = %s"
    )


def plan_admins_for_area(area):
    """The area's own active plan admins, who answer for its plan: escalations go to them.

    A service administrator (superuser) is one of them only if a member of the area.
    """
    permission = Q(content_type__app_label="actions", codename="change_action")
    granted = Permission.objects.filter(permission)
    return (
        get_user_model()
        .objects.filter(is_active=True, area_memberships__area=area)
        .filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=granted)
            | Q(user_permissions__in=granted)
        )
        .distinct()
        .order_by("username")
    )


def _require(user, allowed, message: str) -> None:
    # None is an operator's command run on the server, which may do anything.
    if user is not None and not allowed(user):
        raise PermissionDenied(message)


def require_plan_editor(user, *objects) -> None:
    """The plan's services' check: a plan admin, of the areas of the objects changed."""
    _require(user, can_edit_plan, "Only plan administrators can change the plan.")
    require_in_areas(user, *objects)


def require_governance_manager(user, *objects) -> None:
    """The governance services' check: a plan admin, of the areas of the objects changed."""
    _require(
        user, can_manage_governance, "Only plan administrators can change meetings and decisions."
    )
    require_in_areas(user, *objects)
