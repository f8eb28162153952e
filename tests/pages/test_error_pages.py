"""Error pages in the GOV.UK style, and the pages as production serves them (DEBUG off)."""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.views.defaults import server_error

MANIFEST_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_the_404_page(board_client):
    response = board_client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert 'class="govuk-template"' in response.text


def test_the_500_page_renders_without_a_request_or_a_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "Sorry, there is a problem with the service" in text
    assert "Sign out" not in text


def test_the_403_page_keeps_the_navigation(board_client, action):
    response = board_client.get(reverse("actions:update", args=[action.pk]))
    assert response.status_code == 403
    assert "You cannot do that" in response.text and "Nothing has been changed." in response.text
    assert "Plans and dashboards" in response.text


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    root = tmp_path_factory.mktemp("staticfiles")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": MANIFEST_STORAGE},
    }
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0, stdout=io.StringIO())
    return root, storages


def test_pages_use_hashed_static_files_served_by_whitenoise(collected_static, officer, action):
    root, storages = collected_static
    with override_settings(STATIC_ROOT=root, STORAGES=storages, DEBUG=False):
        client = Client()  # a new client loads the middleware, so whitenoise reads STATIC_ROOT
        client.force_login(officer)
        page = client.get(reverse("home"))
        assert page.status_code == 200
        assets = re.findall(r'(?:href|src|from) ?=? ?"(/static/[^"]+)"', page.text)
        assert any(re.search(r"govuk-frontend\.min\.[0-9a-f]{12}\.css$", a) for a in assets)
        assert any(re.search(r"sendplan\.[0-9a-f]{12}\.css$", a) for a in assets)
        assert any(re.search(r"govuk-frontend\.min\.[0-9a-f]{12}\.js$", a) for a in assets)
        for asset in assets:
            response = client.get(asset)
            assert response.status_code == 200, asset
            b"".join(response.streaming_content)
