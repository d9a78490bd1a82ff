"""Settings from the environment: typed helpers that fail with ConfigError at start-up."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from carecover.errors import ConfigError
from carecover.portal.config import (
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_mco_profile,
    env_secret,
)

SHIPPED = Path(__file__).resolve().parents[2] / "src" / "carecover" / "data" / "backup"


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


@pytest.mark.parametrize("value", ["", "partners", "alliance", " Vaya "])
def test_it_takes_a_shipped_mco_profile_by_name_or_none(value: str) -> None:
    assert env_mco_profile({"CARECOVER_MCO_PROFILE": value}) == value.strip()
    assert env_mco_profile({}) == ""


def test_it_takes_an_mco_profile_file_by_path(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text((SHIPPED / "mcos" / "alliance.toml").read_text("utf-8"), "utf-8")
    assert env_mco_profile({"CARECOVER_MCO_PROFILE": str(path)}) == str(path)


def test_it_refuses_an_unknown_mco_profile_naming_the_variable_and_the_names() -> None:
    with pytest.raises(ConfigError, match="CARECOVER_MCO_PROFILE: cannot read") as caught:
        env_mco_profile({"CARECOVER_MCO_PROFILE": "aliance"})
    assert "partners, alliance, vaya" in str(caught.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('layout = "alliance"', 'layout = "nosuch"'), "no export layout for MCO 'nosuch'"),
        (('format = "xlsx"', 'format = "pdf"'), "format must be one of"),
        (('scheme = "14-day"', 'scheme = "weekly"'), "scheme must be"),
    ],
)
def test_it_refuses_a_malformed_mco_profile_file(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    path = tmp_path / "bad.toml"
    text = (SHIPPED / "mcos" / "alliance.toml").read_text("utf-8")
    assert change[0] in text
    path.write_text(text.replace(*change), "utf-8")
    with pytest.raises(ConfigError, match=message):
        env_mco_profile({"CARECOVER_MCO_PROFILE": str(path)})


def test_the_portal_does_not_start_on_a_bad_mco_profile_and_says_why_in_one_line() -> None:
    env = {**os.environ, "CARECOVER_MCO_PROFILE": "nosuch"}
    env["DJANGO_SETTINGS_MODULE"] = "carecover.portal.settings"
    result = subprocess.run(
        [sys.executable, "-m", "carecover.portal", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "error: CARECOVER_MCO_PROFILE: cannot read the MCO profile nosuch: "
        "No such file or directory (a shipped profile is one of partners, alliance, vaya)"
    )
