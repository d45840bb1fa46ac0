"""POST /api/v1/auth/register/, token/, token/refresh/ and logout/: JWT sign-up and sign-in,
rotation with a blacklist, and django-axes' lockout answered in JSON."""

import pytest
from rest_framework.test import APIClient

from profiles.models import Account
from profiles.tests.api_cast import assert_error
from profiles.tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _generous_auth_throttle(monkeypatch):
    from config.api_throttles import ScopedThrottle

    rates = {**ScopedThrottle.THROTTLE_RATES, "auth": "1000/min"}
    monkeypatch.setattr(ScopedThrottle, "THROTTLE_RATES", rates)


def _token(client, email, password):
    return client.post("/api/v1/auth/token/", {"email": email, "password": password}, format="json")


def test_register_creates_a_household_and_answers_a_working_token_pair():
    client = APIClient()
    response = client.post(
        "/api/v1/auth/register/",
        {"email": "New@Example.com", "password": "a long enough pass phrase"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "new@example.com"
    assert Account.objects.filter(pk=body["id"]).exists()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {body['tokens']['access']}")
    assert client.get("/api/v1/profiles/").json() == []


def test_register_refuses_a_weak_password_and_a_taken_address_with_400():
    AccountFactory(email="taken@example.com")
    client = APIClient()
    weak = client.post(
        "/api/v1/auth/register/", {"email": "a@example.com", "password": "12345678"}, format="json"
    )
    assert_error(weak, 400, "invalid")
    taken = client.post(
        "/api/v1/auth/register/",
        {"email": "taken@example.com", "password": "a long enough pass phrase"},
        format="json",
    )
    assert_error(taken, 400, "invalid")
    assert "already exists" in str(taken.json()["detail"])


def test_token_for_the_right_password_and_401_for_a_wrong_one():
    account = AccountFactory(password=PASSWORD)
    client = APIClient()
    good = _token(client, account.email, PASSWORD)
    assert good.status_code == 200
    assert set(good.json()) == {"access", "refresh"}
    assert_error(_token(client, account.email, "wrong"), 401)


def test_a_synthetic_member_gets_no_token():
    member = AccountFactory(password=PASSWORD, is_synthetic=True, is_active=False)
    assert_error(_token(APIClient(), member.email, PASSWORD), 401)


def test_refresh_rotates_and_the_old_refresh_token_works_once():
    account = AccountFactory(password=PASSWORD)
    client = APIClient()
    refresh = _token(client, account.email, PASSWORD).json()["refresh"]
    rotated = client.post("/api/v1/auth/token/refresh/", {"refresh": refresh}, format="json")
    assert rotated.status_code == 200
    assert rotated.json()["refresh"] != refresh
    again = client.post("/api/v1/auth/token/refresh/", {"refresh": refresh}, format="json")
    assert_error(again, 401, "token_not_valid")


def test_logout_blacklists_the_refresh_token():
    account = AccountFactory(password=PASSWORD)
    client = APIClient()
    refresh = _token(client, account.email, PASSWORD).json()["refresh"]
    out = client.post("/api/v1/auth/logout/", {"refresh": refresh}, format="json")
    assert out.status_code == 200
    after = client.post("/api/v1/auth/token/refresh/", {"refresh": refresh}, format="json")
    assert_error(after, 401, "token_not_valid")


def test_a_garbage_access_token_is_401_in_the_error_shape():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert_error(client.get("/api/v1/profiles/"), 401, "token_not_valid")


def test_the_token_endpoint_locks_out_after_the_failure_limit_with_a_json_429(settings):
    account = AccountFactory(password=PASSWORD)
    client = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert_error(_token(client, account.email, "wrong"), 401)
    assert_error(_token(client, account.email, "wrong"), 429, "locked_out")  # the limit
    locked = _token(client, account.email, PASSWORD)  # even the right password now
    assert_error(locked, 429, "locked_out")
    assert int(locked["Retry-After"]) == int(settings.AXES_COOLOFF_TIME.total_seconds())
    other_address = AccountFactory(password=PASSWORD)
    assert _token(client, other_address.email, PASSWORD).status_code == 200


def test_the_auth_scope_throttles_per_client_ip(monkeypatch):
    from config.api_throttles import ScopedThrottle

    monkeypatch.setattr(ScopedThrottle, "THROTTLE_RATES", {"auth": "3/min", "default": "9/min"})
    account = AccountFactory(password=PASSWORD)
    client = APIClient()
    for _ in range(3):
        _token(client, account.email, "wrong-but-counted")
    throttled = _token(client, account.email, PASSWORD)
    assert_error(throttled, 429, "throttled")
    assert "Retry-After" in throttled
