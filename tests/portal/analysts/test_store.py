"""The history store as the analyst pages open it: prepared once per server worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from carecover.pbj import history_benchmark, history_views
from carecover.portal.analysts.store import prepare_history


def test_a_worker_compiles_the_analyst_pages_rules_before_its_first_request() -> None:
    history_benchmark._compiled.cache_clear()
    history_views._compiled.cache_clear()
    prepare_history()
    # With and without a quarter, state peers; the state view and the chain view.
    assert history_benchmark._compiled.cache_info().currsize == 2
    assert history_views._compiled.cache_info().currsize == 2


def test_without_a_history_store_a_worker_starts_all_the_same(
    settings: Any, tmp_path: Path
) -> None:
    settings.CARECOVER_HISTORY_STORE = tmp_path / "not-loaded.duckdb"
    history_views._compiled.cache_clear()
    prepare_history()
    assert history_views._compiled.cache_info().currsize == 0
