"""Single sign-on's identity: the provider's issuer and subject, never the e-mail alone.

Claims are shaped as Microsoft Entra ID sends them: the ID token carries oid, tid,
preferred_username and email with no email_verified; its sub is pairwise, one per app.
"""

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse

from accounts import identities, single_sign_on
from accounts.models import HowLinked, SignOnIdentity
from accounts.single_sign_on import CouncilAccountBackend
from tests.accounts.test_user_admin import posted_user
from tests.conftest import make_user

TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"
ISSUER = f"https://login.microsoftonline.com/{TENANT}/v2.0"


def entra_claims(login: str, object_id: str) -> tuple[dict, dict]:
    """The ID token's claims and Microsoft Graph's userinfo for one person."""
    email = f"{login}@council.example"
    id_token = {
        "iss": ISSUER,
        "aud": "sendplan",
        "sub": f"pairwise-{object_id}",
        "oid": object_id,
        "tid": TENANT,
        "preferred_username": email,
        "email": email,
        "name": login.title(),
    }
    userinfo = {"sub": id_token["sub"], "name": login.title(), "email": email}
    return id_token, userinfo


def sign_on(id_token: dict, userinfo: dict, session=None):
    """What the backend makes of a sign-on whose tokens the provider has already signed."""
    request = RequestFactory().get("/sign-in/council/callback/")
    request.session = session if session is not None else SessionStore()
    backend = CouncilAccountBackend()
    backend.request = request
    backend.get_userinfo = lambda access_token, token, payload: userinfo
    return backend.get_or_create_user("access-token", "id-token", id_token)


@pytest.mark.parametrize("kind", ["officer", "staff", "superuser"])
def test_a_first_sign_on_never_becomes_an_account_with_the_same_e_mail(kind, db):
    local = User.objects.create_user("sam", email="Sam@Council.Example", password="pw")
    local.is_staff = kind in {"staff", "superuser"}
    local.is_superuser = kind == "superuser"
    local.save()

    assert sign_on(*entra_claims("sam", "00000000-0000-0000-0000-00000000a001")) is None
    assert User.objects.count() == 1


def test_a_linked_identity_signs_in_as_its_account_whatever_its_e_mail_says(db):
    id_token, userinfo = entra_claims("new.starter", "00000000-0000-0000-0000-00000000a002")
    user = sign_on(id_token, userinfo)
    assert user.email == "new.starter@council.example" and not user.is_staff

    # The tenant's admins change the e-mail to someone else's: the person is still who
    # the token's oid says.
    User.objects.create_user("sam", email="sam@council.example", is_superuser=True)
    id_token["email"] = userinfo["email"] = "sam@council.example"
    assert sign_on(id_token, userinfo) == user
    [identity] = user.sign_on_identities.all()
    assert (identity.issuer, identity.subject) == (ISSUER, f"{TENANT}/{id_token['oid']}")
    assert identity.history.get().history_type == "+"


SAM = "00000000-0000-0000-0000-00000000a003"


@pytest.fixture
def sam(db):
    """An officer whose account has the e-mail a first sign-on brings."""
    return User.objects.create_user("sam", email="sam@council.example", password="pw")


def sign_on_in(client, login="sam", object_id=SAM):
    """A sign-on in the client's browser session, as the provider's callback makes it."""
    session = client.session
    user = sign_on(*entra_claims(login, object_id), session=session)
    session.save()
    return user


def test_a_sign_on_that_meets_an_account_waits_and_the_page_says_what_to_do(client, sam):
    assert sign_on_in(client) is None

    identity = SignOnIdentity.objects.get()
    assert identity.user == sam and not identity.is_linked
    page = client.get(reverse("login"), {"sign-on-waits": ""}).text
    assert "An account with your e-mail, sam@council.example, already exists" in page
    assert "sign in below with its password in the next 10 minutes" in page
    # Signing on again changes nothing until the account is proved or linked.
    assert sign_on_in(client) is None
    assert SignOnIdentity.objects.count() == 1


def test_the_accounts_password_soon_after_links_the_sign_on(client, sam):
    sign_on_in(client)

    response = client.post(reverse("login"), {"username": "sam", "password": "pw"}, follow=True)

    assert "Your council account is now linked" in response.text
    identity = SignOnIdentity.objects.get()
    assert identity.is_linked and identity.how_linked == HowLinked.PASSWORD
    assert identity.linked_by == sam
    assert [row.history_user for row in identity.history.order_by("history_date")] == [None, sam]
    assert sign_on(*entra_claims("sam", SAM)) == sam


def test_the_password_links_nothing_ten_minutes_later(client, sam):
    sign_on_in(client)
    session = client.session
    session[single_sign_on.WAITING]["at"] -= single_sign_on.WAITING_SECONDS + 1
    session.save()

    client.post(reverse("login"), {"username": "sam", "password": "pw"})

    assert not SignOnIdentity.objects.get().is_linked


def test_another_accounts_password_links_nothing(client, sam, officer):
    sign_on_in(client)
    client.post(reverse("login"), {"username": "olivia", "password": "pw"})
    assert not SignOnIdentity.objects.get().is_linked


@pytest.mark.parametrize("kind", ["staff", "superuser"])
def test_an_administrators_password_never_links_a_sign_on(kind, client, sam):
    sam.is_staff = True
    sam.is_superuser = kind == "superuser"
    sam.save()
    sign_on_in(client)
    assert "only the service administrator can link" in client.get(reverse("login")).text

    response = client.post(reverse("login"), {"username": "sam", "password": "pw"}, follow=True)

    assert "linked only by the service administrator" in response.text
    assert not SignOnIdentity.objects.get().is_linked
    assert sign_on(*entra_claims("sam", SAM)) is None


def waiting_for(user) -> SignOnIdentity:
    return identities.identity_record_waiting(
        issuer=ISSUER, subject=f"{TENANT}/{SAM}", user=user, email=user.email
    )


def test_a_plan_admin_links_their_areas_people_but_no_administrator(plan_admin, officer):
    identity = waiting_for(officer)
    identities.identity_link(identity=identity, by=plan_admin, how=HowLinked.ADMINISTRATOR)
    assert identity.is_linked and identity.linked_by == plan_admin

    other_admin = make_user("pam", "Plan admin")
    other_admin.is_staff = True
    other_admin.save()
    root = User.objects.create_superuser("root", password="pw")
    for account in (other_admin, root):
        identity = identities.identity_record_waiting(
            issuer=ISSUER, subject=account.username, user=account, email=""
        )
        with pytest.raises(PermissionDenied, match="Only the service administrator"):
            identities.identity_link(identity=identity, by=plan_admin, how="administrator")
        identities.identity_link(identity=identity, by=root, how=HowLinked.ADMINISTRATOR)
        assert identity.is_linked


def test_a_plan_admin_links_someone_with_no_area_yet(plan_admin, sam):
    identities.identity_link(identity=waiting_for(sam), by=plan_admin, how="administrator")
    assert sam.sign_on_identities.get().is_linked


def test_a_plan_admin_cannot_link_another_areas_people(plan_admin, officer):
    from priorities.models import LocalArea

    kent = LocalArea.objects.create(name="Kent")
    kent_officer = make_user("ken", "Officer", kent)
    with pytest.raises(PermissionDenied):
        identities.identity_link(
            identity=waiting_for(kent_officer), by=plan_admin, how=HowLinked.ADMINISTRATOR
        )


def test_nobody_links_by_claiming_to_be_the_password(plan_admin, officer):
    with pytest.raises(PermissionDenied):
        identities.identity_link(
            identity=waiting_for(officer), by=plan_admin, how=HowLinked.PASSWORD
        )


def identity_rows(identity, **row) -> dict:
    """The user page's council accounts as it posts them, with ``row`` ticked."""
    prefix = "sign_on_identities"
    return {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-0-id": str(identity.pk),
        f"{prefix}-0-user": str(identity.user_id),
        **{f"{prefix}-0-{name}": value for name, value in row.items()},
    }


def test_a_plan_admin_links_and_unlinks_on_the_users_page(client, plan_admin, officer):
    officer.email = "sam@council.example"
    officer.save()
    identity = waiting_for(officer)
    client.force_login(plan_admin)
    url = reverse("admin:auth_user_change", args=[officer.pk])
    assert "Waiting for a link" in client.get(url).text

    response = client.post(url, {**posted_user(officer), **identity_rows(identity, link="on")})

    assert response.status_code == 302
    identity.refresh_from_db()
    assert identity.how_linked == HowLinked.ADMINISTRATOR and identity.linked_by == plan_admin
    assert "linked by an administrator by pat" in client.get(url).text

    client.post(url, {**posted_user(officer), **identity_rows(identity, DELETE="on")})

    assert not SignOnIdentity.objects.exists()
    assert identity.history.latest().history_type == "-"
    assert sign_on(*entra_claims("sam", SAM)) is None  # waits again


def test_a_plan_admins_tick_links_no_staff_account(client, plan_admin):
    colleague = make_user("pam", "Plan admin")
    colleague.is_staff = True
    colleague.save()
    identity = waiting_for(colleague)
    client.force_login(plan_admin)
    url = reverse("admin:auth_user_change", args=[colleague.pk])

    client.post(url, {**posted_user(colleague), **identity_rows(identity, link="on")})

    identity.refresh_from_db()
    assert not identity.is_linked
