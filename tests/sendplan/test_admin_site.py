"""The admin site: history is read-only on every admin, and one sign-in page for all."""

import datetime
import io

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import models
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from governance.models import Review
from tests.conftest import make_user


def history_admins():
    return [ma for ma in admin.site._registry.values() if isinstance(ma, SimpleHistoryAdmin)]


def form_data(model_admin, obj, user) -> dict:
    """What the object's own form would post back, with one text field changed."""
    request = RequestFactory().get("/")
    request.user = user
    form = model_admin.get_form(request, obj)(instance=obj)
    data, changed = {}, None
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, (list, tuple)):
            data[name] = [str(getattr(item, "pk", item)) for item in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, (datetime.date, datetime.datetime)):
            data[name] = value.isoformat()
        elif value is not None:
            data[name] = str(getattr(value, "pk", value))
        model_field = next((f for f in obj._meta.fields if f.name == name), None)
        if (
            changed is None
            and isinstance(model_field, (models.CharField, models.TextField))
            and not model_field.choices
        ):
            data[name] = f"{data.get(name, '')} rewritten".strip()[: model_field.max_length]
            changed = name
    if changed is None:  # a form of switches alone: flip the first one
        switch = next(
            f.name
            for f in obj._meta.fields
            if f.name in form.fields and isinstance(f, models.BooleanField)
        )
        if data.pop(switch, None) is None:
            data[switch] = "on"
        changed = switch
    assert changed, f"{obj._meta.label} has nothing to change in its admin form"
    return data


@pytest.mark.django_db
def test_no_admin_saves_a_post_to_a_history_version_page(client):
    call_command("load_demo", stdout=io.StringIO())
    superuser = User.objects.create_superuser("root", password="pw")
    client.force_login(superuser)
    checked = []
    for model_admin in history_admins():
        model = model_admin.model
        obj = model.objects.order_by("pk").first()
        assert obj is not None, f"the demo has no {model._meta.label}: add one to check its admin"
        version = obj.history.order_by("history_id").first()
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history"
        url = reverse(name, args=[obj.pk, version.history_id])
        assert client.get(url).status_code == 200, model._meta.label
        before = model_to_dict(obj), obj.history.count()

        response = client.post(url, form_data(model_admin, obj, superuser))

        assert response.status_code in (403, 405), model._meta.label
        obj.refresh_from_db()
        assert (model_to_dict(obj), obj.history.count()) == before, model._meta.label
        checked.append(model._meta.label)
    assert "actions.Action" in checked and "governance.Review" in checked


@pytest.mark.django_db
def test_a_staff_board_member_cannot_rewrite_a_review_through_its_history(client):
    call_command("load_demo", stdout=io.StringIO())
    review = Review.objects.order_by("pk").first()
    version = review.history.first()
    member = make_user("staffboard", "Board member")
    member.is_staff = True
    member.save()
    client.force_login(member)
    url = reverse("admin:governance_review_simple_history", args=[review.pk, version.history_id])
    data = form_data(admin.site._registry[Review], review, member)
    data["rag"] = "red" if review.rag != "red" else "green"
    before = model_to_dict(review), review.history.count()

    response = client.post(url, data)

    assert response.status_code in (302, 403, 405)  # 302: to the sign-in, for plan admins
    review.refresh_from_db()
    assert (model_to_dict(review), review.history.count()) == before


def test_the_admin_signs_in_through_the_sign_in_page(client, db):
    response = client.get(reverse("admin:login"), {"next": "/admin/actions/action/"})
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/admin/actions/action/"
    response = client.post(reverse("admin:login"), {"username": "x", "password": "y"})
    assert response["Location"] == "/sign-in/?next=/admin/"


def test_the_admin_tells_a_signed_in_officer_it_is_not_for_them(client, officer):
    client.force_login(officer)
    response = client.get(reverse("admin:login"))
    assert response.status_code == 403
    assert "Your role does not use the admin." in response.text


def test_staff_status_beyond_the_role_opens_no_admin(client, board_member):
    board_member.is_staff = True
    board_member.save()
    client.force_login(board_member)
    response = client.get(reverse("admin:governance_review_add"), follow=True)
    assert response.status_code == 403
    assert "Your role does not use the admin." in response.text
