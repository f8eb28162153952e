"""Backups: write an area's zip, read its parts, and empty the database as a new server's."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection

from backups.export import area_export


@pytest.fixture
def backup():
    """The area's backup as bytes."""

    def write(area) -> bytes:
        file = io.BytesIO()
        area_export(area=area, to=file)
        return file.getvalue()

    return write


def manifest_of(data: bytes) -> dict:
    return json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))


def part(data: bytes, name: str):
    return json.loads(zipfile.ZipFile(io.BytesIO(data)).read(name))


def empty_database() -> None:
    """As a server just set up: every table emptied (Django's own rows come back)."""
    with connection.cursor() as cursor:
        # PostgreSQL truncates no table with checks still due in the test's transaction.
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, verbosity=0)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
