import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_choice, env_int, env_list, env_url, secret_key_from


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("TRUE", True), ("on", True), ("0", False), ("no", False), ("", False)],
)
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG") is expected


def test_env_bool_rejects_anything_else(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG='maybe' is not a boolean"):
        env_bool("FLAG")


def test_env_bool_default_when_unset(monkeypatch):
    monkeypatch.delenv("FLAG", raising=False)
    assert env_bool("FLAG", default=True) is True


def test_env_int_rejects_text_and_values_below_minimum(monkeypatch):
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("N", 1)
    monkeypatch.setenv("N", "-5")
    with pytest.raises(ImproperlyConfigured, match="below the minimum"):
        env_int("N", 1, minimum=0)
    monkeypatch.setenv("N", " 42 ")
    assert env_int("N", 1) == 42


def test_env_list_splits_on_commas_and_rejects_empty_entries(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.setenv("HOSTS", "a.example,,b.example")
    with pytest.raises(ImproperlyConfigured, match="empty entry"):
        env_list("HOSTS", [])


def test_env_url_checks_the_scheme(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://root@localhost/db")
    with pytest.raises(ImproperlyConfigured, match="must start with one of postgres://"):
        env_url("DATABASE_URL", schemes=("postgres", "sqlite"))
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1/db")
    assert env_url("DATABASE_URL", schemes=("postgres",)) == "postgres://postgres@127.0.0.1/db"
    monkeypatch.delenv("DATABASE_URL")
    assert env_url("DATABASE_URL", schemes=("postgres",)) == ""


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    key_file = tmp_path / "var" / "secret_key"
    first = secret_key_from("SECRET_KEY", key_file)
    assert len(first) >= 50
    assert secret_key_from("SECRET_KEY", key_file) == first
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert list(key_file.parent.iterdir()) == [key_file]


def test_secret_key_from_environment_must_be_strong(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ImproperlyConfigured, match="at least 50 characters"):
        secret_key_from("SECRET_KEY", tmp_path / "k")
    monkeypatch.setenv("SECRET_KEY", "x" * 20 + "abcdefghijklmnopqrstuvwxyz0123456789")
    assert secret_key_from("SECRET_KEY", tmp_path / "k").startswith("xxx")


def test_env_choice_accepts_listed_values_only(monkeypatch):
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    assert env_choice("LOG_LEVEL", "INFO", ("INFO", "WARNING")) == "WARNING"
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    with pytest.raises(ImproperlyConfigured, match="must be one of INFO, WARNING"):
        env_choice("LOG_LEVEL", "INFO", ("INFO", "WARNING"))


def test_env_example_lists_every_variable_the_settings_read():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    settings_text = (root / "config" / "settings.py").read_text()
    read = set(re.findall(r"(?:env_\w+|secret_key_from)\([\"']([A-Z_]+)[\"']", settings_text))
    listed = set(re.findall(r"^([A-Z_]+)=", (root / ".env.example").read_text(), re.M))
    documented = (root / "docs" / "configuration.md").read_text()
    assert read == listed
    assert all(f"`{name}`" in documented for name in read)
