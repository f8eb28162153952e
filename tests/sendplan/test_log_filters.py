"""A refused request is one line in the server log, saying who, what and why."""

import logging

from django.urls import reverse


def forbidden_records(caplog):
    return [r for r in caplog.records if r.name == "django.request" and r.status_code == 403]


def test_a_403_is_logged_on_one_line_without_a_traceback(caplog, client, action, board_member):
    client.force_login(board_member)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post(reverse("actions:update", args=[action.pk]), {})
    assert response.status_code == 403
    [record] = forbidden_records(caplog)
    assert record.exc_info is None and record.exc_text is None
    line = record.getMessage()
    assert "\n" not in line
    assert line.startswith(f"Forbidden: POST /actions/{action.pk}/update/ user={board_member.pk}")
    assert "reason=" in line
    assert "Traceback" not in caplog.text


def test_a_403_without_a_reason_is_logged_with_djangos_line(caplog, client, plan_admin):
    client.force_login(plan_admin)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post("/admin/auth/group/add/", {"name": "Auditors"})
    assert response.status_code == 403
    [record] = forbidden_records(caplog)
    assert record.getMessage() == (
        f"Forbidden: POST /admin/auth/group/add/ user={plan_admin.pk} "
        "reason=Forbidden (Permission denied): /admin/auth/group/add/"
    )
