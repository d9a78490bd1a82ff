"""The history store as the analyst pages open it: prepared once per server worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from carecover.pbj.history import benchmark as history_benchmark
from carecover.pbj.history import views as history_views
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


def test_a_file_that_is_not_a_history_store_does_not_stop_a_worker(
    settings: Any, tmp_path: Path
) -> None:
    import duckdb

    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    text = tmp_path / "notes.duckdb"
    text.write_text("not a database")
    for store in (empty, text):
        settings.CARECOVER_HISTORY_STORE = store
        history_views._compiled.cache_clear()
        prepare_history()
        assert history_views._compiled.cache_info().currsize == 0


def test_a_store_without_staffing_files_is_a_page_saying_so(
    settings: Any, tmp_path: Path, as_analyst: Any
) -> None:
    import duckdb

    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    settings.CARECOVER_HISTORY_STORE = empty
    for page in ("/analysts/", "/analysts/facility/335001/", "/analysts/state/NY/"):
        answer = as_analyst.get(page)
        assert answer.status_code == 404
        assert "no staffing files" in answer.content.decode()
