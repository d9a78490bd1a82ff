"""Every UNCONFIRMED value is listed by ``rating methods`` and in docs/rating.md, the same set."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable

from carecover.rating.casemix import nursing_weights
from carecover.rating.methods import data_text
from carecover.rating.unconfirmed import unconfirmed_values
from tests.conftest import REPO, CliResult

Cli = Callable[..., CliResult]


def documented() -> set[tuple[str, str]]:
    text = (REPO / "docs" / "rating.md").read_text(encoding="utf-8")
    section = text.split("## UNCONFIRMED values", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| `([^`]+)` \|", section, flags=re.MULTILINE)
    return set(rows)


def test_the_docs_and_the_command_list_the_same_unconfirmed_values(cli: Cli) -> None:
    result = cli("rating", "methods", "--unconfirmed", "--format", "json")
    assert result.exit_code == 0, result.stderr
    listed = {(v["where"], v["key"]) for v in json.loads(result.stdout)}
    assert listed == documented()


def test_the_list_names_the_weight_tables_footnote_25_and_the_record_counting_rule(
    cli: Cli,
) -> None:
    keys = {(v.where, v.key) for v in unconfirmed_values()}
    assert ("nursing_weights_pdpm.csv", "weight") in keys
    assert ("nursing_weights_rug_iv.csv", "weight") in keys
    assert ("footnotes.csv", "footnote 25") in keys
    assert ("unconfirmed_rules.csv", "pbj.record_counting") in keys
    text = cli("rating", "methods").stdout
    assert "UNCONFIRMED footnotes.csv  footnote 25 = one_star" in text
    assert "UNCONFIRMED nursing_weights_pdpm.csv  weight = 25 of 25 groups, 0.62-3.84" in text


def test_a_value_confirmed_in_its_file_is_not_listed() -> None:
    keys = {(v.where, v.key) for v in unconfirmed_values()}
    assert ("2024-07", "points.maximum") not in keys
    assert ("footnotes.csv", "footnote 12") not in keys


def test_the_pdpm_weights_span_the_references_range_and_are_marked_a_proxy() -> None:
    weights = nursing_weights("pdpm")
    assert len(weights) == 25
    assert (min(weights.values()), max(weights.values())) == (0.62, 3.84)
    assert (weights["PA1"], weights["ES3"]) == (0.62, 3.84)
    for row in csv.DictReader(io.StringIO(data_text("nursing_weights_pdpm.csv"))):
        assert row["confidence"] == "UNCONFIRMED"
        assert row["source"].startswith("PROXY")
        # FY2024 = FY2023 after the second phase of the parity recalibration (x 3.84/3.95).
        assert abs(float(row["fy2023_weight"]) * 3.84 / 3.95 - float(row["weight"])) < 0.015
