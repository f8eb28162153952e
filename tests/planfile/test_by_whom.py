"""Owners in "By whom": split on "/", "," and ";", with the names an area knows kept whole."""

import openpyxl
import pytest

from planfile.layout import read_plan
from tests.seed import SEED

from .plans import action_starting, csv_bytes, xlsx_bytes


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
    data = csv_bytes(
        [
            ["No", "Priority", "Actions", "By whom"],
            ["1", "Listen", "Hold a forum", "Youth/Play Team"],
        ],
        ",",
        "utf-8",
    )
    (row,) = read_plan("plan.csv", data)
    assert row.owners == ("Youth", "Play Team")


def test_parent_carer_forum_unknown_to_the_area_stays_one_owner():
    rows = read_plan(SEED.name, SEED.read_bytes())
    forum = action_starting(rows, "Continue to develop and strengthen")
    assert forum.owners == ("Head of 0-25 integrated service", "Medway Parent/Carer Forum")


@pytest.mark.parametrize(
    ("by_whom", "owners"),
    [
        ("SEN manager/Parent/Carer Forum", ("SEN manager", "Parent/Carer Forum")),
        ("Parent/ Carer Forum / DCO", ("Parent/ Carer Forum", "DCO")),
        ("PEP, Parents /Carers Council", ("PEP", "Parents /Carers Council")),
        ("DCO/parent/carer representatives", ("DCO", "parent/carer representatives")),
    ],
)
def test_parent_carer_names_keep_their_slash_in_a_workbook(by_whom, owners):
    workbook = openpyxl.Workbook()
    workbook.active.append(["No", "Priority", "Actions", "By whom", "By when"])
    workbook.active.append([1, "Listen", "Hold a forum", by_whom, "May 2020"])
    (row,) = read_plan("plan.xlsx", xlsx_bytes(workbook))
    assert row.owners == owners


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
