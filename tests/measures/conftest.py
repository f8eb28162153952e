"""A measure of the shared plan, owned by the officer's role, and a way to enter its values."""

import datetime
from decimal import Decimal

import pytest

from measures.choices import Better, Frequency, Series, Unit
from measures.models import Measure
from measures.periods import period_end
from measures.services import value_record


@pytest.fixture
def measure(strategy, owner):
    return Measure.objects.create(
        strategy=strategy,
        name="EHC plans issued within 20 weeks, excluding exceptions",
        source="DfE SEN2 return",
        unit=Unit.PERCENT,
        better=Better.HIGHER,
        frequency=Frequency.QUARTERLY,
        owner=owner,
    )


@pytest.fixture
def appeals(strategy):
    """A lower-is-better measure with no owner: only plan admins enter its values."""
    return Measure.objects.create(
        strategy=strategy,
        name="SEND tribunal appeals per 10,000 EHC plans",
        unit=Unit.RATE_10K,
        better=Better.LOWER,
        frequency=Frequency.ANNUAL,
    )


@pytest.fixture
def enter(plan_admin):
    """enter(measure, "Q1 2024-25", 58.3, series=..., comparator=..., user=...)."""

    def enter_value(measure, label, value, *, series=Series.ACTUAL, user=None, **kwargs):
        return value_record(
            measure=measure,
            period_end=kwargs.pop("period_end", None) or period_end(label),
            period_label=label,
            value=Decimal(str(value)),
            series=series,
            user=user or plan_admin,
            **kwargs,
        )[0]

    return enter_value


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)
