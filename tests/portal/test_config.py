"""Settings from the environment: typed helpers that fail with ConfigError at start-up."""

from __future__ import annotations

import pytest

from carecover.errors import ConfigError
from carecover.portal.config import database_from_url, env_bool, env_int, env_list, env_secret


def test_it_reads_a_sqlite_url_as_a_file_path() -> None:
    db = database_from_url("sqlite:////var/lib/carecover/portal.sqlite3")
    assert (db["ENGINE"], db["NAME"]) == (
        "django.db.backends.sqlite3",
        "/var/lib/carecover/portal.sqlite3",
    )


def test_it_reads_a_postgres_url_with_credentials() -> None:
    db = database_from_url("postgres://care:s%40cret@db.example:6543/portal")
    assert (db["ENGINE"], db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "django.db.backends.postgresql",
        "portal",
        "care",
        "s@cret",
        "db.example",
        "6543",
    )


@pytest.mark.parametrize(
    "url", ["mysql://u:hunter2@h/db", "postgres://h:5432/", "sqlite://", "postgres://h:port/db"]
)
def test_it_refuses_a_database_url_it_cannot_use_without_echoing_it(url: str) -> None:
    with pytest.raises(ConfigError, match="CARECOVER_DATABASE_URL") as caught:
        database_from_url(url)
    assert "hunter2" not in str(caught.value)


def test_it_reads_booleans_and_refuses_anything_else() -> None:
    assert env_bool("X", False, {"X": "Yes"}) is True
    assert env_bool("X", True, {"X": "off"}) is False
    assert env_bool("X", True, {}) is True
    with pytest.raises(ConfigError, match="X must be true or false"):
        env_bool("X", False, {"X": "maybe"})


def test_it_reads_positive_whole_numbers() -> None:
    assert env_int("N", 30, {"N": "45"}) == 45
    with pytest.raises(ConfigError, match="whole number"):
        env_int("N", 30, {"N": "ten"})
    with pytest.raises(ConfigError, match="more than 0"):
        env_int("N", 30, {"N": "0"})


def test_it_reads_comma_separated_hosts() -> None:
    assert env_list("H", ["localhost"], {"H": "a.example, b.example,"}) == [
        "a.example",
        "b.example",
    ]


def test_it_refuses_a_missing_or_short_secret_key() -> None:
    with pytest.raises(ConfigError, match="is not set"):
        env_secret({})
    with pytest.raises(ConfigError, match="too short"):
        env_secret({"CARECOVER_SECRET_KEY": "short"})
