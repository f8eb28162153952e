"""The three roles and what each may do: the one place pages, admin and services ask.

Roles are Django groups holding permissions, so an administrator can see and adjust them
in the admin; the checks below ask for permissions, never for group names.
"""

from django.contrib.auth.models import Group, Permission

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
]
_EDIT_PLAN = [
    f"{app}.{verb}_{model}"
    for app, models in {
        "priorities": ["localarea", "strategy", "priority"],
        "actions": ["owner", "ownerholder", "action", "actionowner", "milestone", "progressupdate"],
        "governance": ["board"],
    }.items()
    for model in models
    for verb in ("add", "change", "delete", "view")
]

ROLE_PERMISSIONS = {
    OFFICER: [*_VIEW_ALL, "actions.update_own_action"],
    BOARD_MEMBER: [*_VIEW_ALL, "governance.add_review"],
    PLAN_ADMIN: [*_EDIT_PLAN, "actions.update_own_action", "governance.add_review"],
}


def ensure_role_groups() -> None:
    """Create the role groups with their permissions; safe to run again."""
    for group_name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.extend(
                Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.add(*permissions)


def can_edit_plan(user) -> bool:
    """Plan admins edit every action, whoever owns it."""
    return user.is_active and user.has_perm("actions.change_action")


def can_update_action(user, action) -> bool:
    if not user.is_authenticated:
        return False
    if can_edit_plan(user):
        return True
    return (
        user.has_perm("actions.update_own_action") and action.owners.filter(holders=user).exists()
    )


def can_review(user) -> bool:
    return user.is_authenticated and user.has_perm("governance.add_review")
