import pytest
from django.core.exceptions import ValidationError

from actions.models import Action, ActionOwner, Owner, OwnerHolder
from actions.owner_names import OwnerDirectory
from actions.services.ownership import (
    owner_find_or_create,
    owner_merge,
    owner_save,
    owner_spelling_errors,
    ownership_changes,
    ownerships_match,
)
from measures.models import Measure
from priorities.models import LocalArea
from sendplan import roles
from tests.conftest import give_area, make_user


def test_spellings_and_aliases_resolve_to_one_owner(area, plan_admin):
    directory = OwnerDirectory(area)
    first, created = owner_find_or_create(
        directory=directory, name="Head of 0-25 integrated service", user=plan_admin, reason="r"
    )
    assert created and first.name == "Head of 0-25 Integrated Service"
    for spelling in [
        "Head OF 0-25 Integrated Service",
        "Head of 0-25  Service",
        "head of 0-25 integrated service",
    ]:
        assert owner_find_or_create(
            directory=directory, name=spelling, user=plan_admin, reason="r"
        ) == (first, False)
    dco, _ = owner_find_or_create(directory=directory, name="DCO", user=plan_admin, reason="r")
    assert dco.name == "Designated Clinical Officer"
    assert Owner.objects.filter(area=area).count() == 2


def test_alias_already_used_by_another_owner_is_refused(owner, plan_admin, area):
    clash = Owner(area=area, name="Designated Clinical Officer for SEND", aliases="DCO")
    with pytest.raises(ValidationError) as error:
        owner_save(owner=clash, user=plan_admin)
    assert "DCO" in error.value.message_dict["aliases"][0]


def test_owner_full_clean_compares_the_normalised_name(owner, area):
    clash = Owner(area=area, name="designated  clinical\u00a0OFFICER")
    with pytest.raises(ValidationError):
        clash.full_clean()
    assert clash.normalised_name == "designated clinical officer"


def test_owner_save_checks_spellings_against_a_loaded_directory_without_reloading_it(
    owner, area, plan_admin, django_assert_num_queries
):
    directory = OwnerDirectory(area)
    clash = Owner(area=area, name="DCO for SEND", aliases="DCO")
    with django_assert_num_queries(0):
        assert owner_spelling_errors(clash, directory=directory) == {
            "aliases": '"DCO" already names the owner "Designated Clinical Officer".'
        }


def test_merging_owners_moves_actions_holders_and_names_with_history(
    area, priority, owner, officer, plan_admin
):
    source = Owner.objects.create(
        area=area, name="Designated Clinical Officer SEND", aliases="DCO SEND"
    )
    both = Action.objects.create(priority=priority, reference="1.1", text="Both own it")
    only_source = Action.objects.create(priority=priority, reference="1.2", text="Source owns it")
    ActionOwner.objects.create(action=both, owner=owner)
    ActionOwner.objects.create(action=both, owner=source, order=1)
    ActionOwner.objects.create(action=only_source, owner=source)
    OwnerHolder.objects.create(owner=source, user=officer)  # already holds the target too
    other = make_user("oscar", roles.OFFICER)
    OwnerHolder.objects.create(owner=source, user=other)
    source_pk = source.pk

    owner_merge(source=source, target=owner, user=plan_admin, reason="One role, two spellings")

    assert not Owner.objects.filter(pk=source_pk).exists()
    assert list(both.owners.all()) == [owner]
    assert list(only_source.owners.all()) == [owner]
    assert set(owner.holders.all()) == {officer, other}
    owner.refresh_from_db()
    assert owner.alias_list == ["DCO", "Designated Clinical Officer SEND", "DCO SEND"]
    assert OwnerDirectory(area).find("dco send") == owner
    rows = [
        *ActionOwner.history.filter(owner_id__in=[owner.pk, source_pk], history_type__in="~-"),
        *OwnerHolder.history.filter(history_type__in="~-"),
        Owner.history.get(id=source_pk, history_type="-"),
        owner.history.latest(),
    ]
    assert len(rows) == 6
    assert {(row.history_user, row.history_change_reason) for row in rows} == {
        (plan_admin, "One role, two spellings")
    }


def test_merging_needs_a_reason_and_an_owner_of_the_same_area(area, owner, plan_admin):
    source = Owner.objects.create(area=area, name="DCO for SEND")
    with pytest.raises(ValidationError) as refused:
        owner_merge(source=source, target=owner, user=plan_admin, reason=" ")
    assert refused.value.message_dict == {"reason": ["Give a reason for merging these owners."]}
    kent = LocalArea.objects.create(name="Kent")
    # A plan admin of both areas still cannot fold one area's owner into another's.
    plan_admin = give_area(plan_admin, kent)
    elsewhere = Owner.objects.create(area=kent, name="DCO")
    with pytest.raises(ValidationError, match="same local area"):
        owner_merge(source=source, target=elsewhere, user=plan_admin, reason="x")
    assert Owner.objects.filter(pk=source.pk).exists()


def test_ownerships_match_exactly_when_there_is_nothing_to_change(area):
    # The import compares stored ids this way to skip building ownerships; it must agree
    # with the rule that decides what to write.
    first, second, third = (Owner(pk=pk, area=area, name=f"Owner {pk}") for pk in (1, 2, 3))
    action = Action(pk=1)
    stored_cases = [[], [(1, 0)], [(1, 0), (2, 1)], [(2, 0), (1, 1)], [(1, 0), (2, 3)]]
    wanted_cases = [[], [first], [first, second], [second, first], [first, second, first], [third]]
    for stored in stored_cases:
        for wanted in wanted_cases:
            # Built afresh for each case: ownership_changes sets the orders it changes.
            existing = [
                ActionOwner(pk=index, action=action, owner_id=owner_id, order=order)
                for index, (owner_id, order) in enumerate(stored, start=10)
            ]
            deleted, saved = ownership_changes(action=action, existing=existing, owners=wanted)
            assert ownerships_match(stored, wanted) == (not deleted and not saved), (stored, wanted)


def test_merging_owners_moves_their_measures_with_history(area, strategy, owner, plan_admin):
    source = Owner.objects.create(area=area, name="Head of SEN Service")
    measure = Measure.objects.create(strategy=strategy, name="EHC plans in 20 weeks", owner=source)
    source_pk = source.pk

    owner_merge(source=source, target=owner, user=plan_admin, reason="One role, two spellings")

    assert not Owner.objects.filter(pk=source_pk).exists()
    measure.refresh_from_db()
    assert measure.owner == owner
    moved = measure.history.latest()
    assert (moved.owner_id, moved.history_user, moved.history_change_reason) == (
        owner.pk,
        plan_admin,
        "One role, two spellings",
    )
