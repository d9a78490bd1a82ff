"""The analyst pages: facility, state and chain from public files alone; safe downloads."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carecover.portal.audit.models import AuditEvent


def test_search_finds_facilities_by_ccn_prefix_or_name(as_analyst: Client) -> None:
    by_name = as_analyst.get("/analysts/?q=acme").content.decode()
    assert "ACME NORTH" in by_name
    assert "ACME SOUTH" in by_name
    assert "HUDSON" not in by_name
    by_ccn = as_analyst.get("/analysts/?q=335003").content.decode()
    assert "HUDSON HOUSE" in by_ccn
    assert "ACME" not in by_ccn.split('id="found"')[1]


def test_the_facility_page_shows_percentiles_and_state_minimum_rows(as_analyst: Client) -> None:
    page = as_analyst.get("/analysts/facility/335004/?quarter=2024Q2").content.decode()
    assert 'id="peer-rows"' in page
    assert 'id="minimum-rows"' in page
    assert "ny-total" in page
    assert "<strong>no</strong>" in page
    assert "BETA HOMES" in page
    assert "45 certified beds" in page
    assert "<svg" in page


def test_chain_peers_on_the_facility_page(as_analyst: Client) -> None:
    page = as_analyst.get("/analysts/facility/335001/?peers=chain").content.decode()
    assert "Measures among chain peers, 2024Q2" in page


def test_a_bad_quarter_or_peer_group_is_a_400_naming_it(as_analyst: Client) -> None:
    bad = as_analyst.get("/analysts/facility/335001/?peers=city")
    assert bad.status_code == 400
    assert "peers" in bad.content.decode()
    assert as_analyst.get("/analysts/state/NY/?quarter=20x4").status_code == 400


def test_unknown_facility_state_or_chain_is_a_404(as_analyst: Client) -> None:
    assert as_analyst.get("/analysts/facility/999999/").status_code == 404
    assert as_analyst.get("/analysts/state/ZZ/").status_code == 404
    assert as_analyst.get("/analysts/state/N1/").status_code == 404
    assert as_analyst.get("/analysts/chain/?name=NOBODY").status_code == 404


def test_the_state_page_lists_facilities_below_the_minimum(as_analyst: Client) -> None:
    page = as_analyst.get("/analysts/state/NY/").content.decode()
    below = page.split('id="below-minimum"')[1].split("</table>")[0]
    assert "BETA ON THE LAKE" in below
    assert "ACME NORTH" in below
    assert "HUDSON" not in below
    assert "BETA ON THE LAKE" in page.split('id="zero-rn"')[1].split("</table>")[0]


def test_the_chain_page_lists_its_facilities_only(as_analyst: Client) -> None:
    page = as_analyst.get("/analysts/chain/?name=acme+care").content.decode()
    rows = page.split('id="chain-facilities"')[1].split("</table>")[0]
    assert "ACME NORTH" in rows
    assert "ACME SOUTH" in rows
    assert "BETA" not in rows


def test_downloads_are_audited_csv_and_xlsx(as_analyst: Client) -> None:
    response = as_analyst.get("/analysts/facility/335001/benchmark.csv?peers=beds")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["peer_key"] for r in rows} == {"100-149"}
    assert response["Content-Disposition"] == 'attachment; filename="335001-benchmark-beds.csv"'
    xlsx = as_analyst.get("/analysts/state/NY/view.xlsx").content
    assert zipfile.is_zipfile(io.BytesIO(xlsx))
    assert AuditEvent.objects.filter(action="export", object_id="facility:335001").exists()


def test_a_formula_in_a_public_file_is_neutralised_in_downloads(
    as_analyst: Client, tmp_path: Path, settings: object
) -> None:
    from carecover.pbj.history.table import load_history
    from carecover.pbj.store import connect

    from .conftest import HISTORY

    provider = tmp_path / "NH_ProviderInfo.csv"
    lines = (HISTORY / "NH_ProviderInfo_Oct2024.csv").read_text().splitlines()
    lines[1] = lines[1].replace("ACME CARE", '=HYPERLINK("http://x")'.replace('"', ""))
    provider.write_text("\n".join(lines) + "\n")
    db = tmp_path / "history.duckdb"
    con = connect(db)
    load_history(con, [HISTORY / "nurse_2024Q2.csv", provider])
    con.close()
    settings.CARECOVER_HISTORY_STORE = db  # type: ignore[attr-defined]
    text = as_analyst.get("/analysts/facility/335001/benchmark.csv?peers=chain").content.decode(
        "utf-8-sig"
    )
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    page=st.sampled_from(
        [
            "/analysts/",
            "/analysts/facility/335001/",
            "/analysts/state/NY/",
            "/analysts/chain/",
            "/analysts/facility/335001/benchmark.csv",
        ]
    ),
    name=st.sampled_from(["q", "chain", "quarter", "peers", "name"]),
    value=st.text(max_size=300),
)
def test_no_query_string_is_a_server_error(
    as_analyst: Client, page: str, name: str, value: str
) -> None:
    status = as_analyst.get(page, {name: value}).status_code
    assert status in (200, 400, 404)


def test_chain_peers_without_a_provider_file_are_a_400_naming_peers(
    as_analyst: Client, tmp_path: Path, settings: object
) -> None:
    from carecover.pbj.history.table import load_history
    from carecover.pbj.store import connect

    from .conftest import HISTORY

    db = tmp_path / "history.duckdb"
    con = connect(db)
    load_history(con, [HISTORY / "nurse_2024Q2.csv"])
    con.close()
    settings.CARECOVER_HISTORY_STORE = db  # type: ignore[attr-defined]
    for page in ("/analysts/facility/335001/", "/analysts/facility/335001/benchmark.csv"):
        response = as_analyst.get(page, {"peers": "chain"})
        assert response.status_code == 400
        assert "provider information file" in response.content.decode()
