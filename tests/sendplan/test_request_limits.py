"""A request larger than SENDPLAN_MAX_REQUEST_BYTES is refused before its body is read,
with a page saying so, on the site and in the admin (issue 20: a 300 MB anonymous POST to
the sign-in page was read whole)."""

import http.client
import urllib.parse
from http.cookies import SimpleCookie

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

MB = 2**20


def test_the_request_limit_leaves_room_for_the_largest_import_and_its_form():
    assert settings.SENDPLAN_MAX_REQUEST_BYTES == settings.SENDPLAN_MAX_IMPORT_BYTES + MB


def test_a_sign_in_post_declaring_300_mb_is_refused_with_the_sites_page(client, db):
    response = client.post(
        reverse("login"),
        {"username": "olivia", "password": "pw"},
        CONTENT_LENGTH=str(300 * MB),
    )

    assert response.status_code == 413
    assert "govuk-heading-l" in response.text  # the site's look
    assert "300.0 MB" in response.text
    limit = settings.SENDPLAN_MAX_REQUEST_BYTES / MB
    assert f"over the limit of {limit:.1f} MB" in response.text
    assert "Nothing has been saved." in response.text


def test_an_admin_upload_over_the_limit_is_refused_in_the_admins_look(client, plan_admin, settings):
    settings.SENDPLAN_MAX_REQUEST_BYTES = 1 * MB
    client.force_login(plan_admin)
    workbook = SimpleUploadedFile("plan.csv", b"x" * (2 * MB), content_type="text/csv")

    response = client.post(
        reverse("admin:priorities_strategy_import_plan"),
        {"area": "Medway", "strategy": "Plan", "plan_file": workbook},
    )

    assert response.status_code == 413
    assert 'id="site-name"' in response.text  # the admin's header
    assert "over the limit of 1.0 MB" in response.text


def test_a_request_within_the_limit_goes_through(client, officer, settings):
    settings.SENDPLAN_MAX_REQUEST_BYTES = 1 * MB
    response = client.post(reverse("login"), {"username": "olivia", "password": "pw"})
    assert response.status_code == 302


def post_raw(live_server, headers: dict[str, str], body: bytes) -> http.client.HTTPResponse:
    """A sign-in POST sent as given, with a good CSRF token (in a header, so that the
    CSRF check does not read the body): only the request's size is wrong."""
    address = urllib.parse.urlsplit(live_server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    connection.request("GET", "/sign-in/")
    page = connection.getresponse()
    page.read()
    token = SimpleCookie(page.headers["Set-Cookie"])[settings.CSRF_COOKIE_NAME].value
    connection.putrequest("POST", "/sign-in/")
    connection.putheader("Cookie", f"{settings.CSRF_COOKIE_NAME}={token}")
    connection.putheader("X-CSRFToken", token)
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.endheaders()
    connection.send(body)
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def test_the_server_answers_a_300_mb_declared_body_without_waiting_for_it(live_server):
    # A few bytes sent of the 300 MB declared: had the body been read (a file upload's is,
    # whatever DATA_UPLOAD_MAX_MEMORY_SIZE says), the server would wait for the rest and
    # the client time out.
    response = post_raw(
        live_server,
        {"Content-Type": "multipart/form-data; boundary=b", "Content-Length": str(300 * MB)},
        b'--b\r\nContent-Disposition: form-data; name="f"; filename="f"\r\n\r\nxxxx',
    )
    assert response.status == 413
    assert b"over the limit of" in response.body


def test_the_server_refuses_a_body_of_undeclared_size(live_server):
    response = post_raw(
        live_server,
        {"Content-Type": "application/x-www-form-urlencoded", "Transfer-Encoding": "chunked"},
        b"a\r\nusername=x\r\n0\r\n\r\n",
    )
    assert response.status == 411
    assert b"did not say how large" in response.body


def test_the_admin_import_forms_say_how_large_a_file_may_be(client, plan_admin):
    client.force_login(plan_admin)
    limit = f"up to {settings.SENDPLAN_MAX_IMPORT_BYTES / MB:.1f} MB"
    for page in ("admin:priorities_strategy_import_plan", "admin:measures_measure_import_values"):
        assert limit in client.get(reverse(page)).text
