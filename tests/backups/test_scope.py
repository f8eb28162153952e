"""Every table that holds an area's data is in its backup: a new model is caught here."""

from django.apps import apps
from django.contrib.auth import get_user_model

from backups.scope import area_tables
from priorities.models import LocalArea


def leads_to_an_area(model, seen=()) -> bool:
    """Whether some chain of foreign keys, never through a user, leads to LocalArea."""
    if model is LocalArea:
        return True
    return any(
        leads_to_an_area(field.related_model, (*seen, model))
        for field in model._meta.concrete_fields
        if field.is_relation
        and field.related_model is not get_user_model()
        and field.related_model not in seen
    )


def test_every_model_with_a_way_to_its_area_is_backed_up():
    everything = apps.get_models(include_auto_created=True)
    holding = {model._meta.label for model in everything if leads_to_an_area(model)}
    backed_up = {table.label for table in area_tables()}
    assert holding - backed_up == set()
    assert {"actions.HistoricalAction", "governance.Decision_actions"} <= backed_up


def test_people_and_their_own_settings_are_not_an_areas():
    backed_up = {table.model for table in area_tables()}
    assert get_user_model() not in backed_up
    assert apps.get_model("reminders", "Preference") not in backed_up
    assert apps.get_model("otp_totp", "TOTPDevice") not in backed_up
    assert apps.get_model("otp_static", "StaticDevice") not in backed_up
