import pytest
from django.core.exceptions import ValidationError

from actions.models import Owner
from actions.owners import OwnerDirectory
from actions.services.owners import owner_find_or_create, owner_save, owner_spelling_errors


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
