"""The facility page's standing in the public files: peer percentiles and state minimum rows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.test import Client

from carecover.pbj.history.table import load_history
from carecover.pbj.store import connect
from carecover.portal.nursinghome.models import Facility

HISTORY = Path(__file__).resolve().parents[2] / "fixtures" / "pbj" / "history"


def _store_with(tmp_path: Path, ccn: str) -> Path:
    """The history fixtures with 335004 (BETA, below the NY minimum) renamed ``ccn``."""
    files = []
    for name in ("nurse_2024Q1.csv", "nurse_2024Q2.csv", "NH_ProviderInfo_Oct2024.csv"):
        copy = tmp_path / name
        copy.write_text((HISTORY / name).read_text().replace("335004", ccn))
        files.append(copy)
    db = tmp_path / "history.duckdb"
    con = connect(db)
    load_history(con, files)
    con.close()
    return db


def test_the_facility_page_shows_peer_percentiles_and_state_minimum_rows(
    loaded_facility: Facility,
    as_home_user: Callable[[str], Client],
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.CARECOVER_HISTORY_STORE = _store_with(tmp_path, loaded_facility.ccn)
    page = as_home_user("administrator").get(f"/nursing-homes/{loaded_facility.ccn}/")
    text = page.content.decode()
    standing = text.split('id="public-standing"')[1].split("</section>")[0]
    assert "Measures among state peers, 2024Q2" in standing  # its latest public quarter
    assert "ny-total" in standing
    assert "<strong>no</strong>" in standing


def test_a_facility_not_in_the_history_store_says_so(
    loaded_facility: Facility,
    as_home_user: Callable[[str], Client],
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.CARECOVER_HISTORY_STORE = _store_with(tmp_path, "335099")
    text = as_home_user("administrator").get(f"/nursing-homes/{loaded_facility.ccn}/")
    assert 'id="no-public-standing"' in text.content.decode()


def test_no_history_store_leaves_the_page_working(
    loaded_facility: Facility,
    as_home_user: Callable[[str], Client],
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.CARECOVER_HISTORY_STORE = tmp_path / "missing.duckdb"
    response = as_home_user("administrator").get(f"/nursing-homes/{loaded_facility.ccn}/")
    assert response.status_code == 200
    assert 'id="no-public-standing"' in response.content.decode()
