"""Signing in and out; every page needs a signed-in user with a role."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.conftest import make_user


@pytest.fixture
def every_page(strategy, action):
    return [
        reverse("home"),
        reverse("actions:detail", args=[action.pk]),
        reverse("actions:update", args=[action.pk]),
        reverse("actions:strategies"),
        reverse("actions:dashboard", args=[strategy.pk]),
        reverse("actions:changes", args=[strategy.pk]),
        reverse("actions:list", args=[strategy.pk]),
        reverse("actions:list_csv", args=[strategy.pk]),
    ]


def test_every_page_sends_a_visitor_to_sign_in(client, every_page):
    for url in every_page:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('login')}?next="), url


def test_it_signs_an_officer_in_and_lands_on_their_actions(client, officer, action):
    page = client.get(reverse("login"))
    assert b'autocomplete="current-password"' in page.content
    response = client.post(reverse("login"), {"username": "olivia", "password": "pw"}, follow=True)
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "My actions" in response.text
    assert "Olivia" in response.text and "(Officer)" in response.text


def test_a_wrong_password_gets_an_error_summary(client, officer):
    response = client.post(reverse("login"), {"username": "olivia", "password": "nope"})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "<title>Error: Sign in" in response.text
    assert '<a href="#id_username">' in response.text


def test_sign_out_is_a_post(client, officer):
    client.force_login(officer)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_sign_in_and_out_need_the_csrf_token(officer):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "olivia", "password": "pw"})
    assert response.status_code == 403
    assert "Your page timed out" in response.text


def test_a_user_with_no_role_gets_the_403_page(client, every_page, db):
    client.force_login(User.objects.create_user("norole", password="pw"))
    for url in every_page:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Your account has no role yet" in response.text


def test_a_plan_admin_sees_the_admin_link_and_others_do_not(client, plan_admin, officer):
    client.force_login(plan_admin)
    assert 'href="/admin/"' in client.get(reverse("actions:strategies")).text
    client.force_login(officer)
    assert 'href="/admin/"' not in client.get(reverse("actions:strategies")).text


def test_a_board_member_is_shown_with_their_role(client, db):
    client.force_login(make_user("bea", "Board member"))
    response = client.get(reverse("actions:strategies"))
    assert "Bea" in response.text and "(Board member)" in response.text
