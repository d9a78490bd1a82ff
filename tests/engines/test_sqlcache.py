"""Compiled SQL kept on disk: built once per key, rebuilt when missing, never required."""

from __future__ import annotations

from pathlib import Path

import pytest

from carecover.engines.sqlcache import cache_dir, cached_sql, code_key


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "cache"
    monkeypatch.setenv("CARECOVER_CACHE_DIR", str(path))
    return path


def test_the_sql_is_built_once_then_read_from_its_file(cache: Path) -> None:
    built: list[str] = []

    def build() -> str:
        built.append("x")
        return "SELECT 1"

    assert cached_sql("rule", "k1", build) == "SELECT 1"
    assert cached_sql("rule", "k1", build) == "SELECT 1"
    assert built == ["x"]
    assert (cache / "rule-k1.sql").read_text(encoding="utf-8") == "SELECT 1"


def test_another_key_builds_its_own_sql_and_a_missing_file_is_built_again(cache: Path) -> None:
    cached_sql("rule", "k1", lambda: "SELECT 1")
    assert cached_sql("rule", "k2", lambda: "SELECT 2") == "SELECT 2"
    (cache / "rule-k1.sql").unlink()
    assert cached_sql("rule", "k1", lambda: "SELECT 3") == "SELECT 3"
    assert sorted(p.name for p in cache.iterdir()) == ["rule-k1.sql", "rule-k2.sql"]


def test_an_unwritable_cache_only_costs_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("CARECOVER_CACHE_DIR", str(blocker))
    assert cached_sql("rule", "k", lambda: "SELECT 1") == "SELECT 1"
    assert cached_sql("rule", "k", lambda: "SELECT 2") == "SELECT 2"


def test_the_key_changes_with_a_file_s_bytes_its_name_or_a_given_name(tmp_path: Path) -> None:
    rule = tmp_path / "rule.py"
    rule.write_text("A = 1\n")
    first = code_key([rule], "variant")
    assert code_key([rule], "variant") == first
    assert code_key([rule, rule], "variant") == first  # a file listed twice counts once
    assert code_key([rule], "other") != first
    rule.write_text("A = 2\n")
    assert code_key([rule], "variant") != first
    renamed = tmp_path / "renamed.py"
    renamed.write_text("A = 1\n")
    assert code_key([renamed], "variant") != first


def test_the_default_cache_is_the_user_s_cache_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CARECOVER_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "carecover"
