"""load_demo refuses to run where its published passwords would open a real server."""

import io
import secrets

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import override_settings

from tests.test_settings import run_manage


def test_load_demo_refuses_under_production_settings(tmp_path):
    database = tmp_path / "production.sqlite3"
    result = run_manage(
        "load_demo",
        unset={"DJANGO_ALLOW_ASYNC_UNSAFE", "SENDPLAN_DEMO_ALLOWED"},
        DJANGO_SETTINGS_MODULE="sendplan.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="sendplan.example.gov.uk",
        DATABASE_URL=f"sqlite:///{database}",
    )
    assert result.returncode == 1
    assert "The demo is refused under these settings" in result.stderr
    assert "Traceback" not in result.stderr
    assert not database.exists() or database.stat().st_size == 0


def test_production_refuses_the_demo_even_when_the_environment_allows_it():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SENDPLAN_DEMO_ALLOWED)",
        DJANGO_SETTINGS_MODULE="sendplan.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        SENDPLAN_DEMO_ALLOWED="true",
    )
    assert result.stdout.split()[-1:] == ["False"], result.stderr


@pytest.mark.django_db
@override_settings(SENDPLAN_DEMO_ALLOWED=False)
def test_a_refused_demo_creates_no_user():
    with pytest.raises(CommandError, match="passwords are published in the README"):
        call_command("load_demo", stdout=io.StringIO())
    assert not User.objects.exists()
