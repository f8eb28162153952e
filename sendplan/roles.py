"""The three roles, what each may do, and where: the one place pages, admin and services ask.

Roles are Django groups holding permissions, so an administrator can see and adjust them
in the admin; the checks below ask for permissions, never for group names.

A role is held in a local area (an area membership carries it) and acts only there: an
officer in Kent who sits on Medway's board reviews in Medway and updates actions in Kent.
A superuser, the service administrator, acts in every area. Each scoped model names its
way to its area in `area_path` ("priority__strategy__area"), so one filter here scopes any
of them, to the areas where the user holds the permission asked about.
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
    "governance.view_papers",
]

ROLE_PERMISSIONS = {
    OFFICER: [*_VIEW_ALL, "actions.update_own_action", "measures.enter_own_values"],
    BOARD_MEMBER: [*_VIEW_ALL, *_VIEW_GOVERNANCE, "governance.add_review"],
    PLAN_ADMIN: [
        *_EDIT_PLAN,
        "actions.update_own_action",
        "measures.enter_own_values",
        "governance.add_review",
        # Published papers are read, never changed, in the admin (published from a meeting).
        "governance.view_papers",
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


# The permission that makes a plan admin of an area: the admin shows each user the areas
# where they hold it, and plan editing is checked against it.
PLAN_EDITING = "actions.change_action"
# The permission to manage an area's people (their roles there, their sign-in).
MANAGING_PEOPLE = "auth.change_user"


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


def _area_permissions(user, *, permissions: bool = True) -> dict[int, set[str]]:
    """Each of the user's local areas with the permissions their roles there grant, read once
    per user object: a request loads its user afresh, and RoleBackend reads them with the
    user's permissions. Whether another user (an owner's holder, a board member) works in an
    area is read apart (``permissions=False``), leaving their seats unread till asked."""
    found = getattr(user, "_area_permissions", None)
    if found is None and permissions and user.is_active and not user.is_superuser:
        user.get_all_permissions()
        found = getattr(user, "_area_permissions", None)
    if found is not None:
        return found
    # Kept apart from what RoleBackend keeps, which adds permissions given to the person.
    found = getattr(user, "_areas_read", None)
    if found is None:
        found = user._areas_read = {}
        rows = user.area_memberships.values_list(
            "area_id", "role__permissions__content_type__app_label", "role__permissions__codename"
        )
        for area_id, app_label, codename in rows:
            granted = found.setdefault(area_id, set())
            if codename and user.is_active:
                granted.add(f"{app_label}.{codename}")
    return found


def _area_ids(user, perm: str | None = None) -> list[int]:
    """The user's local areas: all of them, or those where a role of theirs grants ``perm``."""
    areas = _area_permissions(user, permissions=perm is not None)
    return [area for area, granted in areas.items() if perm is None or perm in granted]


def _everywhere_theirs(user, perm: str | None) -> str | None:
    """``perm``, or None when every area of the user grants it (most users: one area, or the
    same roles in each), which the cheaper checks of membership alone then answer."""
    if perm is not None and len(_area_ids(user, perm)) == len(_area_ids(user)):
        return None
    return perm


def _board_ids(user) -> set[int]:
    """The ids of the boards the user sits on, read as their areas are (RoleBackend)."""
    ids = getattr(user, "_board_ids", None)
    if ids is None:
        ids = user._board_ids = set(user.board_memberships.values_list("board_id", flat=True))
    return ids


def within_areas(user, queryset, perm: str | None = None):
    """The rows of a scoped model's queryset that lie in the user's local areas: in those
    where a role of theirs grants ``perm``, if given.

    A filter on the area's id along the model's path to it, so that a page's scoped read
    joins no more than that path (a join to the memberships cost each query about as much
    as the rest of it).
    """
    if acts_everywhere(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    path = queryset.model.area_path
    areas = _area_ids(user, perm)
    return queryset.filter(**{f"{path}_id__in" if path else "pk__in": areas})


def in_areas(user, obj, perm: str | None = None) -> bool:
    """Whether a scoped object lies in one of the user's local areas: in one where a role of
    theirs grants ``perm``, if given."""
    if acts_everywhere(user):
        return True
    if not user.is_authenticated:
        return False
    perm = _everywhere_theirs(user, perm)
    if perm is None and getattr(obj, "_found_in_areas_of", None) == user.pk:
        return True
    manager = type(obj)._default_manager
    return within_areas(user, manager.filter(pk=obj.pk), perm).exists()


def lay_in_areas(user, instance, perm: str | None = None) -> bool:
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
    return parent is not None and in_areas(user, parent, perm)


def colleagues(user, users, perm: str | None = None):
    """The users who work in one of the user's local areas (in one where the user's roles
    grant ``perm``, if given): every user, for the service administrator. For choosing
    board members, owners' holders and the like."""
    if acts_everywhere(user):
        return users
    if not user.is_authenticated:
        return users.none()
    return users.filter(pk__in=_members_of(_area_ids(user, perm)))


def _members_of(area_ids):
    membership = get_user_model()._meta.get_field("area_memberships").related_model
    return membership.objects.filter(area_id__in=area_ids).values("user_id")


def get_in_areas_or_404(user, queryset, *, perm: str | None = None, **lookup):
    """The object, if it lies in the user's areas (where their roles grant ``perm``, if
    given): another area's answers 404, as if absent.

    ``queryset`` may be a model, as for Django's get_object_or_404.
    """
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    try:
        obj = within_areas(user, queryset, perm).get(**lookup)
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


def require_in_areas(user, *objects, perm: str | None = None) -> None:
    """The services' check that what they touch, new, changed or moved, lies in the user's
    local areas: in those where a role of theirs grants ``perm``, if given."""
    # None is an operator's command run on the server, which may do anything.
    if user is None or acts_everywhere(user):
        return
    perm = _everywhere_theirs(user, perm)
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
        found = within_areas(user, model._default_manager.filter(pk__in=pks), perm).count()
        if found != len(pks):
            raise PermissionDenied("That belongs to another local area.")


def _may(user, perm: str, obj=None) -> bool:
    """Whether the user holds ``perm`` in some area (to open a page or the admin), or, given
    an object, in the area the object lies in."""
    if not (user.is_authenticated and user.is_active and user.has_perm(perm)):
        return False
    return obj is None or in_areas(user, obj, perm)


def can_edit_plan(user, obj=None) -> bool:
    """Plan admins edit every action of their areas, whoever owns it (the services check
    the area of what they change)."""
    return _may(user, PLAN_EDITING, obj)


def can_update_action(user, action) -> bool:
    if not (user.is_authenticated and in_areas(user, action)):
        return False
    if can_edit_plan(user, action):
        return True
    return (
        _may(user, "actions.update_own_action", action)
        and action.owners.filter(holders=user).exists()
    )


def can_review(user) -> bool:
    return user.is_authenticated and user.has_perm("governance.add_review")


def can_view_governance(user) -> bool:
    """Meetings, board packs, reviews and the decision log."""
    return user.is_authenticated and user.has_perm("governance.view_meeting")


def can_manage_governance(user, obj=None) -> bool:
    """Plan admins keep boards, members, meetings and decisions."""
    return _may(user, "governance.change_meeting", obj)


def can_review_at(user, meeting) -> bool:
    """Plan admins record any board's reviews; board members only those of their own boards."""
    if not (can_review(user) and in_areas(user, meeting, "governance.add_review")):
        return False
    return can_manage_governance(user, meeting) or meeting.board_id in _board_ids(user)


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
    if can_edit_plan(user, measure):
        return True
    return (
        measure.owner_id is not None
        and _may(user, "measures.enter_own_values", measure)
        and measure.owner.holders.filter(pk=user.pk).exists()
    )


def can_manage_measures(user, obj=None) -> bool:
    """Plan admins define measures and import their values."""
    return _may(user, "measures.change_measure", obj)


# --- Public pages and co-production (issue 14) ---
def can_record_engagement(user, obj=None) -> bool:
    """Plan admins, and officers holding an owner role, record engagement with families."""
    if not (user.is_authenticated and user.is_active):
        return False
    return can_edit_plan(user, obj) or (
        _may(user, "actions.update_own_action", obj) and user.owner_holdings.exists()
    )


def can_publish_public_text(user, obj=None) -> bool:
    """Only plan admins put text on the public pages (they approve what officers draft)."""
    return _may(user, "public_pages.publish_public_text", obj)


def can_draft_public_text(user, *, action=None, priority=None) -> bool:
    """Plan admins draft any public text; an officer drafts it for an action whose owner role
    they hold, or for a priority with such an action."""
    if not (user.is_authenticated and user.is_active):
        return False
    subject = action if action is not None else priority
    if not in_areas(user, subject):
        return False
    if can_edit_plan(user, subject) or can_publish_public_text(user, subject):
        return True
    if not _may(user, "actions.update_own_action", subject):
        return False
    if action is not None:
        return action.owners.filter(holders=user).exists()
    return priority.actions.filter(owners__holders=user).exists()


# --- end public pages and co-production ---


def can_manage_people(user, obj=None) -> bool:
    """Plan admins give people their roles in their own areas."""
    return _may(user, MANAGING_PEOPLE, obj)


def can_manage_person(user, person) -> bool:
    """Whether the user may change this person's password, e-mail, sign-in and roles: the
    service administrator may; a plan admin, only of someone who works in no area but
    theirs (a newcomer works in none), and never of a superuser."""
    if acts_everywhere(user):
        return True
    if person.is_superuser or not can_manage_people(user):
        return False
    cached = getattr(person, "_managed_by", None)
    if cached is None or cached[0] != user.pk:
        theirs = set(_area_ids(user, MANAGING_PEOPLE))
        areas = set(person.area_memberships.values_list("area_id", flat=True))
        person._managed_by = cached = (user.pk, areas <= theirs)
    return cached[1]


def who_manages(person) -> str:
    """Who may change a person's sign-in and roles, named for a plan admin who may not."""
    memberships = person.area_memberships.select_related("area")
    areas = sorted({membership.area for membership in memberships}, key=lambda area: area.name)
    everywhere = None
    for area in areas:
        here = set(plan_admins_for_area(area, MANAGING_PEOPLE))
        everywhere = here if everywhere is None else everywhere & here
    named = sorted(f"{u.get_full_name() or u.username}" for u in everywhere or ())
    who = "the service administrator" + (f" or {', '.join(named)}" if named else "")
    return (
        f"{person.get_full_name() or person.username} works in "
        f"{', '.join(area.name for area in areas)}: only {who} can change their password, "
        "e-mail, sign-in or roles, being plan admin in each of those areas."
    )


def role_names(user) -> list[str]:
    """The roles the user holds in any area, to show who they are signed in as; never use
    this for a check."""
    names = getattr(user, "_role_group_names", None)
    if names is None:
        names = set(user.area_memberships.values_list("role__name", flat=True))
    return [role for role in ROLE_PERMISSIONS if role in names]


class RoleBackend(ModelBackend):
    """Answers permission checks as ModelBackend does, but reads a user's own permissions,
    the permissions and names of the roles they hold in each area, and the boards they sit
    on in one query (ModelBackend takes two, role_names a third, on every signed-in page).
    Signs nobody in.

    A permission counts, for Django, if the user holds it in any area (so the admin shows
    the model); every check of an object then asks for it in the object's area
    (`_area_permissions`). A permission given to the person holds in each of their areas.
    Groups given to the user outside an area grant nothing.

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
            own, names, by_area, boards = set(), set(), {}, set()
            alias = router.db_for_read(Permission)
            with connections[alias].cursor() as cursor:
                cursor.execute(_roles_and_permissions_sql(alias), [user_obj.pk] * 4)
                for kind, area, first, second in cursor.fetchall():
                    if kind == "role":
                        names.add(first)
                        by_area.setdefault(int(area), set())
                    elif kind == "grant":
                        by_area.setdefault(int(area), set()).add(f"{first}.{second}")
                    elif kind == "board":
                        boards.add(int(area))
                    else:
                        own.add(f"{first}.{second}")
            for granted in by_area.values():
                granted |= own
            user_obj._perm_cache = own.union(*by_area.values())
            user_obj._role_group_names = names
            user_obj._area_permissions = by_area
            user_obj._board_ids = boards
        return super().get_all_permissions(user_obj, obj)


@functools.cache
def _roles_and_permissions_sql(alias: str) -> str:
    """Written out: the ORM took longer to compile the union than the database to run it.
    Rows of (kind, area or board, app label or role name, codename). Parameters: the user,
    four times."""
    quote = connections[alias].ops.quote_name
    user = get_user_model()
    permission = quote(Permission._meta.db_table)
    content_type = quote(Permission.content_type.field.related_model._meta.db_table)
    own = quote(user.user_permissions.through._meta.db_table)
    granted = quote(Group.permissions.through._meta.db_table)
    group = quote(Group._meta.db_table)
    membership = quote(user._meta.get_field("area_memberships").related_model._meta.db_table)
    seat = quote(user._meta.get_field("board_memberships").related_model._meta.db_table)
    area = "CAST(m.area_id AS VARCHAR(20))"
    return (
        f"SELECT 'permission', '', t.app_label, p.codename FROM {permission} p "
        f"JOIN {content_type} t ON t.id = p.content_type_id "
        f"JOIN {own} o ON o.permission_id = p.id WHERE o.user_id = %s "
        f"UNION ALL SELECT 'grant', {area}, t.app_label, p.codename FROM {membership} m "
        f"JOIN {granted} g ON g.group_id = m.role_id "
        f"JOIN {permission} p ON p.id = g.permission_id "
        f"JOIN {content_type} t ON t.id = p.content_type_id WHERE m.user_id = %s "
        f"UNION ALL SELECT 'role', {area}, r.name, '' FROM {membership} m "
        f"JOIN {group} r ON r.id = m.role_id WHERE m.user_id = %s "
        f"UNION ALL SELECT 'board', CAST(b.board_id AS VARCHAR(20)), '', '' FROM {seat} b "
        f"WHERE b.user_id = %s"
    )


def plan_admins_for_area(area, perm: str = PLAN_EDITING):
    """The area's own active plan admins, who answer for its plan: escalations go to them.
    (With ``perm``, those whose roles in the area grant it.)

    A service administrator (superuser) is one of them only if a member of the area.
    """
    app_label, codename = perm.split(".")
    granted = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    members = get_user_model()._meta.get_field("area_memberships").related_model.objects
    in_area = members.filter(area=area)
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=in_area.values("user_id"))
        .filter(
            Q(is_superuser=True)
            | Q(pk__in=in_area.filter(role__permissions__in=granted).values("user_id"))
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
    require_in_areas(user, *objects, perm=PLAN_EDITING)


def require_governance_manager(user, *objects) -> None:
    """The governance services' check: a plan admin, of the areas of the objects changed."""
    _require(
        user, can_manage_governance, "Only plan administrators can change meetings and decisions."
    )
    require_in_areas(user, *objects, perm="governance.change_meeting")
