"""The duplicate model is data: a versioned Splink settings file with fixed priors."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from carecover.errors import ConfigError
from carecover.mds.duplicate_model import load_duplicate_model


def test_the_packaged_model_is_a_valid_splink_model_with_every_m_and_u_fixed() -> None:
    from splink import DuckDBAPI, Linker

    model = load_duplicate_model()
    assert model.version >= 1
    assert 0 < model.threshold < 1
    columns = (
        "unique_id VARCHAR, state VARCHAR, ccn VARCHAR, first_name VARCHAR, last_name VARCHAR,"
        " birth_date VARCHAR, birth_year VARCHAR, first_initial VARCHAR, last_initial VARCHAR,"
        " gender VARCHAR, ssn_present BOOLEAN"
    )
    con = duckdb.connect()
    con.execute(f"CREATE TABLE residents ({columns})")
    linker = Linker(
        "residents",
        model.settings(),
        db_api=DuckDBAPI(con),
        set_up_basic_logging=False,
        validate_settings=True,
    )
    saved = linker.misc.save_model_to_json()
    for comparison in saved["comparisons"]:
        for level in comparison["comparison_levels"]:
            if not level.get("is_null_level"):
                assert "m_probability" in level, level
                assert "u_probability" in level, level


def test_every_rule_of_the_model_stays_within_one_facility() -> None:
    rules = load_duplicate_model().settings()["blocking_rules_to_generate_predictions"]
    assert all("l.state = r.state AND l.ccn = r.ccn" in r["blocking_rule"] for r in rules)


def test_a_model_whose_m_values_do_not_sum_to_one_is_a_config_error(tmp_path: Path) -> None:
    text = (Path(__file__).parents[2] / "src/carecover/data/mds/duplicate_model.json").read_text()
    raw = json.loads(text)
    raw["splink_settings"]["comparisons"][2]["comparison_levels"][1]["m_probability"] = 0.5
    path = tmp_path / "model.json"
    path.write_text(json.dumps(raw))
    with pytest.raises(ConfigError, match="gender m_probability"):
        load_duplicate_model(path)


def test_an_unreadable_or_malformed_model_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_duplicate_model(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text('{"version": 1}')
    with pytest.raises(ConfigError, match="malformed"):
        load_duplicate_model(tmp_path / "bad.json")
