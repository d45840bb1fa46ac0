import re

import pytest
from django.core import mail

from profiles.models import Account
from profiles.services import SIGNUPS_PER_IP_PER_HOUR
from profiles.tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
LOGIN_FAILURES = 5  # settings.AXES_FAILURE_LIMIT
PASSWORD = "correct horse battery"


def sign_up(client, email="new@example.com", password="a-long-unusual-passphrase", again=None):
    data = {"email": email, "password1": password, "password2": again or password}
    return client.post("/accounts/signup/", data)


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": email, "password": password}, **extra)


def test_signup_creates_the_household_signs_in_and_asks_who_is_watching(client):
    response = sign_up(client, email="New@Example.com")
    assert response.status_code == 302 and response["Location"] == "/profiles/"
    account = Account.objects.get()
    assert account.email == "new@example.com"
    assert account.check_password("a-long-unusual-passphrase")
    assert int(client.session["_auth_user_id"]) == account.pk
    assert b"Add profile" in client.get("/profiles/").content


def test_signup_rejects_an_email_already_in_use_whatever_its_case(client):
    AccountFactory(email="taken@example.com")
    response = sign_up(client, email="Taken@Example.com")
    assert response.status_code == 400
    assert b"already exists" in response.content
    assert Account.objects.count() == 1


def test_signup_rejects_a_weak_password(client):
    response = sign_up(client, password="password")
    assert response.status_code == 400
    assert b"too common" in response.content
    assert not Account.objects.exists()


def test_signup_rejects_passwords_that_differ(client):
    response = sign_up(client, again="another-long-passphrase")
    assert response.status_code == 400 and b"The two passwords differ" in response.content


def test_signup_page_sends_a_signed_in_household_to_the_picker(client):
    client.force_login(AccountFactory())
    assert client.get("/accounts/signup/")["Location"] == "/profiles/"


def test_signup_and_login_reject_other_methods(client):
    assert client.put("/accounts/signup/").status_code == 405
    assert client.delete("/accounts/login/").status_code == 405


def test_login_with_the_right_password_goes_to_the_picker(client):
    AccountFactory(email="me@example.com")
    response = sign_in(client, "ME@example.com")
    assert response.status_code == 302 and response["Location"] == "/profiles/"


def test_login_follows_a_safe_next_and_ignores_an_offsite_one(client):
    AccountFactory(email="me@example.com")
    data = {"username": "me@example.com", "password": PASSWORD}
    response = client.post("/accounts/login/", data | {"next": "https://evil.example/"})
    assert response["Location"] == "/profiles/"
    client.logout()
    assert client.post("/accounts/login/", data | {"next": "/title/heat/"})["Location"] == (
        "/title/heat/"
    )


def test_login_with_a_wrong_password_is_400_with_a_message(client):
    AccountFactory(email="me@example.com")
    response = sign_in(client, "me@example.com", "wrong password")
    assert response.status_code == 400
    assert b"Please enter a correct e-mail address and password" in response.content
    assert "_auth_user_id" not in client.session


def test_login_answers_429_after_too_many_failures_for_one_address(client):
    AccountFactory(email="me@example.com")
    for _ in range(LOGIN_FAILURES - 1):
        assert sign_in(client, "me@example.com", "guess").status_code == 400
    assert sign_in(client, "Me@Example.com", "guess").status_code == 429  # the 5th locks
    response = sign_in(client, "me@example.com")  # even the right password waits
    assert response.status_code == 429
    assert b"Too many sign-in attempts" in response.content
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in client.session


def test_failures_from_one_ip_do_not_lock_out_the_owner_from_another(client):
    AccountFactory(email="me@example.com")
    for _ in range(LOGIN_FAILURES):
        sign_in(client, "me@example.com", "guess", REMOTE_ADDR="10.0.0.9")
    assert sign_in(client, "me@example.com", REMOTE_ADDR="10.0.0.9").status_code == 429
    assert sign_in(client, "me@example.com", REMOTE_ADDR="10.0.0.10").status_code == 302


def test_failures_on_other_addresses_from_one_ip_do_not_lock_out_a_household_behind_it(client):
    """20 failed logins from one IP used to lock every household behind that NAT out."""
    AccountFactory(email="me@example.com")
    for n in range(30):
        sign_in(client, f"nobody{n}@example.com", "guess", REMOTE_ADDR="10.0.0.9")
    assert sign_in(client, "me@example.com", REMOTE_ADDR="10.0.0.9").status_code == 302


def test_behind_the_proxy_the_forwarded_address_is_counted(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    AccountFactory(email="me@example.com")
    for _ in range(LOGIN_FAILURES):
        sign_in(client, "me@example.com", "guess", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.9")
    assert sign_in(client, "me@example.com", HTTP_X_FORWARDED_FOR="10.0.0.9").status_code == 429
    assert sign_in(client, "me@example.com", HTTP_X_FORWARDED_FOR="10.0.0.7").status_code == 302


def test_the_lockout_cools_off(client):
    from axes.models import AccessAttempt
    from django.utils import timezone

    AccountFactory(email="me@example.com")
    for _ in range(LOGIN_FAILURES):
        sign_in(client, "me@example.com", "guess")
    assert sign_in(client, "me@example.com").status_code == 429
    # 16 minutes pass (the cool-off is 15): moved in the database, not waited for.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timezone.timedelta(minutes=16))
    assert sign_in(client, "me@example.com").status_code == 302


def test_a_successful_login_resets_the_failures_of_that_address(client):
    AccountFactory(email="me@example.com")
    for _ in range(LOGIN_FAILURES - 1):
        sign_in(client, "me@example.com", "guess")
    assert sign_in(client, "me@example.com").status_code == 302
    client.logout()
    for _ in range(LOGIN_FAILURES - 1):
        assert sign_in(client, "me@example.com", "guess").status_code == 400
    assert sign_in(client, "me@example.com").status_code == 302


def test_the_admin_login_is_limited_too(client):
    """30 wrong passwords on /admin/login/ used to leave the right one working."""
    AccountFactory(email="staff@example.com", is_staff=True, is_superuser=True)
    for _ in range(LOGIN_FAILURES):
        client.post("/admin/login/", {"username": "staff@example.com", "password": "guess"})
    response = client.post("/admin/login/", {"username": "staff@example.com", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_signups_are_limited_per_ip(client):
    for n in range(SIGNUPS_PER_IP_PER_HOUR):
        assert sign_up(client, email=f"new{n}@example.com").status_code == 302
        client.logout()
    response = sign_up(client, email="one-more@example.com")
    assert response.status_code == 429 and b"Too many sign-ups" in response.content
    assert not Account.objects.filter(email="one-more@example.com").exists()
    assert client.post(
        "/accounts/signup/",
        {"email": "other@example.com", "password1": "a-long-unusual-passphrase",
         "password2": "a-long-unusual-passphrase"},
        REMOTE_ADDR="10.0.0.2",
    ).status_code == 302  # fmt: skip


def test_a_synthetic_community_member_cannot_sign_in(client):
    AccountFactory(email="ml-user-1@example.com", is_synthetic=True)
    assert sign_in(client, "ml-user-1@example.com").status_code == 400


def test_logout_needs_post_and_signs_out(client):
    client.force_login(AccountFactory())
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and "_auth_user_id" not in client.session


def test_password_reset_mails_a_link_that_sets_a_new_password(client):
    account = AccountFactory(email="me@example.com")
    response = client.post("/accounts/password/reset/", {"email": "me@example.com"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["me@example.com"]
    assert mail.outbox[0].subject == "Reset your Marquee password"
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    form_page = client.get(link.group(1), follow=True)
    assert b"Choose a new password" in form_page.content
    new = "a-brand-new-passphrase"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done["Location"] == "/accounts/password/reset/complete/"
    account.refresh_from_db()
    assert account.check_password(new)
    assert b"Your password has changed" in client.get(done["Location"]).content


def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_password_reset_mails_are_limited_per_address(client):
    AccountFactory(email="me@example.com")
    for _ in range(5):
        client.post("/accounts/password/reset/", {"email": "me@example.com"})
    assert len(mail.outbox) == 3


def test_a_used_reset_link_no_longer_works(client):
    AccountFactory(email="me@example.com")
    client.post("/accounts/password/reset/", {"email": "me@example.com"})
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True)
    new = "a-brand-new-passphrase"
    client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert b"This link no longer works" in client.get(link, follow=True).content
