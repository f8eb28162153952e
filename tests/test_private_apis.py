"""The private or undocumented parts of our libraries that sendplan relies on.

No release note announces a change to them, so each test checks the shape our code uses and,
when an upgrade moves it, fails naming the package, its installed version and our file that
needs adapting. (openpyxl's sheet parser: tests/planfile/test_reader.py.)
"""

import inspect
from datetime import timedelta
from importlib.metadata import version

import pytest
from axes import attempts as axes_attempts
from axes import helpers as axes_helpers
from axes.handlers.database import AxesDatabaseHandler
from django import forms
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.dispatch import Signal
from django.test import RequestFactory
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.middleware import SessionRefresh
from simple_history.signals import pre_create_historical_record
from simple_history.utils import get_history_model_for_model

from actions.models import Action, ActionOwner
from sendplan import audit


def expect(holds: bool, *, package: str, what: str, ours: str, adapt: str) -> None:
    if not holds:
        pytest.fail(
            f"{package} {version(package)} changed {what}, which {ours} relies on: {adapt}",
            pytrace=False,
        )


def parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


# Django


def test_signal_receivers_are_listed_by_lookup_key_starting_with_the_dispatch_uid():
    def listener(sender, **kwargs):
        pass

    signal = Signal()
    quiet = not signal.receivers
    signal.connect(listener, dispatch_uid="the listener")
    keys = [lookup_key for lookup_key, *_ in signal.receivers]
    expect(
        quiet and len(keys) == 1 and keys[0][0] == "the listener",
        package="django",
        what="Signal.receivers (a list of (lookup_key, receiver, ...), the key first the "
        "dispatch_uid)",
        ours="sendplan/audit.py (_others_listen)",
        adapt="find another way to tell whether anyone but the stamp listens for history rows",
    )
    expect(
        [key[0] for key, *_ in pre_create_historical_record.receivers] == [audit.STAMP_RECEIVER]
        and not audit._others_listen(),
        package="django",
        what="Signal.receivers",
        ours="sendplan/audit.py (_others_listen)",
        adapt="the stamp alone must not count as another listener",
    )


@pytest.mark.django_db
def test_preparing_related_fields_takes_the_primary_key_of_an_object_saved_since():
    expect(
        "operation_name" in parameters(Permission._prepare_related_fields_for_save),
        package="django",
        what="Model._prepare_related_fields_for_save(operation_name=...)",
        ours="sendplan/audit.py (_insert_objects)",
        adapt="set each foreign key's id from its related object before the INSERT",
    )
    content_type = ContentType(app_label="sendplan", model="nothing")
    permission = Permission(codename="x", name="x", content_type=content_type)
    content_type.save()
    permission._prepare_related_fields_for_save(operation_name="bulk_create")
    expect(
        permission.content_type_id == content_type.pk,
        package="django",
        what="Model._prepare_related_fields_for_save (it no longer copies the primary key of "
        "a related object saved after it was assigned)",
        ours="sendplan/audit.py (_insert_objects)",
        adapt="set each foreign key's id from its related object before the INSERT",
    )


@pytest.mark.django_db
def test_model_backend_answers_from_the_permissions_kept_on_the_user(django_assert_num_queries):
    user = User(pk=1, is_active=True)
    user._perm_cache = {"actions.change_action"}
    with django_assert_num_queries(0):
        kept = ModelBackend().get_all_permissions(user)
        held = ModelBackend().has_perm(user, "actions.change_action")
    expect(
        kept == {"actions.change_action"} and held,
        package="django",
        what="where ModelBackend keeps a user's permissions (user._perm_cache)",
        ours="sendplan/roles.py (RoleBackend.get_all_permissions)",
        adapt="put the permissions read in one query where ModelBackend now looks for them",
    )


@pytest.mark.django_db
def test_model_form_post_clean_runs_after_clean_with_the_instance_filled_in():
    seen = []

    class GroupForm(forms.ModelForm):
        class Meta:
            model = Group
            fields = ["name"]

        def _post_clean(self):
            super()._post_clean()
            seen.append(self.instance.name)
            self.add_error("name", "Not this one.")

    form = GroupForm(data={"name": "Readers"})
    expect(
        not form.is_valid() and seen == ["Readers"] and form.errors == {"name": ["Not this one."]},
        package="django",
        what="ModelForm._post_clean (run by is_valid after the instance is filled in)",
        ours="actions/admin.py (ActionAdminForm, OwnerAdminForm)",
        adapt="apply the services' rules in clean() or wherever the instance is now built",
    )


def test_options_list_the_concrete_fields_and_the_reverse_relations():
    concrete = [field.name for field in ActionOwner._meta.concrete_fields]
    reverse = {relation.name: relation for relation in Action._meta.related_objects}
    expect(
        concrete == ["id", "action", "owner", "order"],
        package="django",
        what="Options.concrete_fields (the fields that have a column, in order)",
        ours="sendplan/audit.py, sendplan/deleted.py, backups/ and actions/services/actions.py",
        adapt="list the fields with columns another way",
    )
    ownerships = reverse.get("ownerships")
    expect(
        ownerships is not None
        and ownerships.related_model is ActionOwner
        and ownerships.field is ActionOwner._meta.get_field("action")
        and not ownerships.many_to_many,
        package="django",
        what="Options.related_objects (reverse relations with related_model and field)",
        ours="sendplan/deleted.py (_dependants)",
        adapt="find the foreign keys that point at a model another way",
    )


# django-simple-history


def test_history_models_name_their_tracked_fields_and_their_model():
    history_model = get_history_model_for_model(ActionOwner)
    tracked = [field.attname for field in history_model.tracked_fields]
    expect(
        tracked == ["id", "action_id", "owner_id", "order"]
        and history_model.instance_type is ActionOwner,
        package="django-simple-history",
        what="the history model's tracked_fields and instance_type",
        ours="sendplan/audit.py, sendplan/deleted.py and backups/scope.py",
        adapt="list the copied fields and the audited model another way",
    )


# django-axes


def test_axes_helpers_take_the_request_and_credentials_as_the_lockout_calls_them():
    request = RequestFactory().post("/accounts/sign-in/")
    request.axes_ip_address = "192.0.2.1"
    expect(
        axes_helpers.get_client_username(request, {"username": "amira"}) == "amira"
        and isinstance(axes_helpers.get_cool_off(request), timedelta)
        and parameters(axes_attempts.get_cool_off_threshold)[:1] == ["request"],
        package="django-axes",
        what="get_client_username(request, credentials), get_cool_off(request) or "
        "get_cool_off_threshold(request)",
        ours="accounts/lockout.py and accounts/admin.py",
        adapt="count failures and the cool-off with axes' new helpers",
    )


def test_axes_database_handler_still_resets_a_good_sign_in_through_reset_user_attempts():
    source = inspect.getsource(AxesDatabaseHandler.user_logged_in)
    expect(
        parameters(AxesDatabaseHandler.reset_user_attempts)[:3]
        == ["self", "request", "credentials"]
        and "self.reset_user_attempts(" in source,
        package="django-axes",
        what="AxesDatabaseHandler.reset_user_attempts (what a good sign-in clears)",
        ours="accounts/lockout.py (SignInLockout)",
        adapt="override what a good sign-in now calls, or a sign-in would clear the "
        "address's failures at other accounts again (issue 20)",
    )


# mozilla-django-oidc


def test_oidc_backend_finds_or_makes_the_account_in_get_or_create_user():
    source = inspect.getsource(OIDCAuthenticationBackend.authenticate)
    expect(
        parameters(OIDCAuthenticationBackend.get_or_create_user)
        == ["self", "access_token", "id_token", "payload"]
        and "self.get_or_create_user(" in source,
        package="mozilla-django-oidc",
        what="OIDCAuthenticationBackend.get_or_create_user(access_token, id_token, payload)",
        ours="accounts/single_sign_on.py (CouncilAccountBackend)",
        adapt="match accounts by issuer and subject wherever the backend now finds them",
    )


def test_session_refresh_reads_the_provider_settings_when_made(settings):
    settings.OIDC_RP_CLIENT_ID = "sendplan-test"
    middleware = SessionRefresh(lambda request: None)
    expect(
        middleware.OIDC_RP_CLIENT_ID == "sendplan-test",
        package="mozilla-django-oidc",
        what="SessionRefresh.__init__ (it read the provider settings)",
        ours="accounts/sessions.py (ProviderRecheck.process_request)",
        adapt="give the middleware the provider settings as they are at each request",
    )
