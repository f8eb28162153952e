"""Creating local areas and strategies, each with the user and reason on its history."""

from django.contrib.auth.models import AbstractUser

from sendplan.audit import save_with_history

from .models import LocalArea, Strategy


def area_get_or_create(
    *, name: str, user: AbstractUser | None, reason: str
) -> tuple[LocalArea, bool]:
    """The area of this name, created (with the user and reason on its history) if missing."""
    area = LocalArea.objects.filter(name=name).first()
    if area is not None:
        return area, False
    area = LocalArea(name=name)
    save_with_history(area, user=user, reason=reason)
    return area, True


def strategy_get_or_create(
    *, area: LocalArea, title: str, user: AbstractUser | None, reason: str
) -> tuple[Strategy, bool]:
    """The area's strategy of this title, created (with the user and reason) if missing."""
    strategy = Strategy.objects.filter(area=area, title=title).first()
    if strategy is not None:
        return strategy, False
    strategy = Strategy(area=area, title=title)
    save_with_history(strategy, user=user, reason=reason)
    return strategy, True
