import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args, unset=(), **env):
    base = {key: value for key, value in os.environ.items() if key not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        # make test sets it for the browser tests; production must not.
        unset={"DJANGO_ALLOW_ASYNC_UNSAFE"},
        DJANGO_SETTINGS_MODULE="sendplan.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="sendplan.example.gov.uk",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = run_manage(
        "check", unset={"SECRET_KEY"}, DJANGO_SETTINGS_MODULE="sendplan.settings.production"
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_database_url_chooses_postgresql_through_psycopg():
    show = "from django.db import connection as c; print(c.vendor, c.settings_dict['HOST'])"
    result = run_manage(
        "shell", "-c", show, DATABASE_URL="postgres://user:pw@db.example:5433/sendplan"
    )
    assert result.stdout.split()[-2:] == ["postgresql", "db.example"], result.stderr


def test_no_database_url_means_the_sqlite_file_in_the_project():
    show = "from django.db import connection as c; print(c.vendor, c.settings_dict['NAME'])"
    result = run_manage("shell", "-c", show, unset={"DATABASE_URL"})
    assert result.stdout.split()[-2:] == ["sqlite", str(ROOT / "db.sqlite3")], result.stderr


SHOW_MAIL = (
    "from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL)"
)
SETTINGS_MODULES = [
    "sendplan.settings.dev",
    "sendplan.settings.test",
    "sendplan.settings.production",
]


@pytest.mark.parametrize("module", SETTINGS_MODULES)
def test_email_host_selects_smtp_in_every_settings_module(module):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW_MAIL,
        DJANGO_SETTINGS_MODULE=module,
        SECRET_KEY=secrets.token_urlsafe(60),
        EMAIL_HOST="smtp.example.gov.uk",
        EMAIL_PORT="2525",
        EMAIL_USE_TLS="false",
        DEFAULT_FROM_EMAIL="SEND plan <sendplan@example.gov.uk>",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:5] == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.gov.uk",
        "2525",
        "False",
        "SEND",
    ]


@pytest.mark.parametrize("module", SETTINGS_MODULES)
def test_without_email_host_e_mails_go_to_the_terminal(module):
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        SHOW_MAIL,
        unset={"EMAIL_HOST"},
        DJANGO_SETTINGS_MODULE=module,
        SECRET_KEY=secrets.token_urlsafe(60),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("django.core.mail.backends.console.EmailBackend")


def test_postgresql_connections_run_without_jit(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no JIT")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_postgresql_keeps_a_querys_plan_from_its_second_run(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the setting is for psycopg")
    probe = "SELECT username FROM auth_user WHERE id = %s -- plan kept"
    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute(probe, [1])
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%-- plan kept"],
        )
        assert cursor.fetchone()[0] == 1


@pytest.mark.parametrize(
    "environment, options",
    [({}, "True 1"), ({"SENDPLAN_DB_PREPARED_STATEMENTS": "false"}, "None None")],
)
def test_prepared_statements_can_be_turned_off_for_a_pooler(environment, options):
    show = "from django.db import connection as c; o = c.settings_dict['OPTIONS']; "
    show += "print(o.get('server_side_binding'), o.get('prepare_threshold'))"
    result = run_manage(
        "shell",
        "-c",
        show,
        unset={"SENDPLAN_DB_PREPARED_STATEMENTS"},
        DATABASE_URL="postgres://user:pw@db.example:5433/sendplan",
        **environment,
    )
    assert " ".join(result.stdout.split()[-2:]) == options, result.stderr


@pytest.mark.parametrize("environment, kept", [({}, "60 True"), ({"CONN_MAX_AGE": "0"}, "0 True")])
def test_production_workers_keep_their_database_connection(environment, kept):
    show = "from django.db import connection as c; s = c.settings_dict; "
    show += "print(s['CONN_MAX_AGE'], s['CONN_HEALTH_CHECKS'])"
    result = run_manage(
        "shell",
        "-c",
        show,
        unset={"CONN_MAX_AGE", "DJANGO_ALLOW_ASYNC_UNSAFE"},
        DJANGO_SETTINGS_MODULE="sendplan.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="sendplan.example.gov.uk",
        **environment,
    )
    assert " ".join(result.stdout.split()[-2:]) == kept, result.stderr
