"""The operations guide's backup of the whole database: pg_dump, and pg_restore into a new database,
gives back every row of every table (run in CI's PostgreSQL suite)."""

import shutil
import subprocess
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

from tests.demo.test_load_demo import load_demo


def url(settings: dict, name: str) -> str:
    user, password = quote(settings["USER"], safe=""), quote(settings["PASSWORD"], safe="")
    return f"postgres://{user}:{password}@{settings['HOST']}:{settings['PORT'] or 5432}/{name}"


def row_counts(database_url: str) -> dict[str, int]:
    with psycopg.connect(database_url) as database, database.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = sorted(name for (name,) in cursor.fetchall())
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.mark.django_db(transaction=True)
def test_pg_dump_restores_into_a_new_database_with_every_row(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("A PostgreSQL backup: run with DATABASE_URL naming PostgreSQL.")
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed (Debian: postgresql-client).")
    load_demo()
    settings = connection.settings_dict
    source = url(settings, settings["NAME"])
    scratch = f"{settings['NAME']}_restore_check"
    dump = tmp_path / "sendplan.dump"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
        cursor.execute(f'CREATE DATABASE "{scratch}"')
    try:
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source], check=True
        )
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={url(settings, scratch)}",
                str(dump),
            ],
            check=True,
        )
        restored = row_counts(url(settings, scratch))
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
    counts = row_counts(source)
    assert restored == counts
    assert counts["actions_action"] > 40
    assert counts["actions_historicalaction"] > 40
