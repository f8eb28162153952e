"""Owners in "By whom": split on "/", "," and ";", with the names an area knows kept whole."""

from planfile.layout import read_plan
from tests.seed import SEED

from .plans import action_starting, csv_bytes


def test_seed_owners_split_on_slash_and_comma_without_trailing_full_stop(seed_rows):
    team = action_starting(seed_rows, "Ensure there are systems in place")
    assert team.owners_text == (
        "Head of 0-25 Integrated Service, Head of Early Help/ Service managers and provider leads."
    )
    assert team.owners == (
        "Head of 0-25 Integrated Service",
        "Head of Early Help",
        "Service managers and provider leads",
    )
    assert team.deadline_text == "ongoing"


def test_known_owner_name_containing_a_slash_stays_whole(seed_rows):
    forum = action_starting(seed_rows, "Continue to develop and strengthen")
    assert forum.owners == ("Head of 0-25 integrated service", "Medway Parent/Carer Forum")


def test_unknown_owner_name_containing_a_slash_is_split():
    rows = read_plan(SEED.name, SEED.read_bytes())
    forum = action_starting(rows, "Continue to develop and strengthen")
    assert forum.owners == ("Head of 0-25 integrated service", "Medway Parent", "Carer Forum")


def test_known_owner_name_matches_whatever_its_case_and_spacing():
    data = csv_bytes(
        [
            ["No", "Priority", "Actions", "By whom"],
            ["1", "Listen", "Hold a forum", "SEN manager, medway parent / carer  forum"],
        ],
        ",",
        "utf-8",
    )
    (row,) = read_plan("plan.csv", data, known_owner_names=[" Medway Parent/Carer\u00a0Forum "])
    assert row.owners == ("SEN manager", "medway parent / carer forum")


def test_owners_joined_by_and_or_with_stay_one_owner(seed_rows):
    access = action_starting(seed_rows, "Continue to improve access")
    assert access.owners == ("DCO and providers", "Partnership Commissioning Manager")
    mapping = action_starting(seed_rows, "Undertake a mapping exercise")
    assert mapping.owners == ("PEP with working group",)
