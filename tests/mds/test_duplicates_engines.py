"""Probable duplicate residents on Spark: the same pairs as on DuckDB (issue 14 §2).

The model is written once, in DuckDB's SQL; Splink's Spark backend runs it
with the similarity functions of Splink's jar. Probabilities agree to 1e-9.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from carecover.engines.spark import _rename_functions
from carecover.mds import connect, load_files
from carecover.mds.duplicate_model import load_duplicate_model
from carecover.mds.duplicates import DuplicatePair, probable_duplicates
from carecover.mds.synth import synth_mds
from tests.engines.sessions import spark_engine
from tests.mds.factories import raw, write_extract
from tests.mds.test_duplicates import CASES, JOHN


def _store(tmp_path: Path, rows: list[dict[str, str]]) -> Any:
    con = connect(None)
    load_files(con, [write_extract(tmp_path / "extract.csv", [raw(**r) for r in rows])])
    return con


def assert_same_pairs(duck: list[DuplicatePair], spark: list[DuplicatePair]) -> None:
    assert [(p.key_a, p.key_b) for p in spark] == [(p.key_a, p.key_b) for p in duck]
    for a, b in zip(duck, spark, strict=True):
        assert math.isclose(a.probability, b.probability, rel_tol=1e-9, abs_tol=1e-9)
        assert math.isclose(a.match_weight, b.match_weight, rel_tol=1e-9, abs_tol=1e-9)
        assert replace(b, probability=a.probability, match_weight=a.match_weight) == a


def test_every_named_identity_error_gives_the_same_pair_on_both_engines(tmp_path: Path) -> None:
    rows = []
    for n, (usual, other, _) in enumerate(CASES.values()):
        fac = {"FAC_ID": f"F{n}", "A0100B": f"05500{n}"}
        rows += [usual | fac, other | fac]
    con = _store(tmp_path, rows)
    duck = probable_duplicates(con)
    spark = probable_duplicates(con, engine=spark_engine())
    assert len(duck) == 4
    assert_same_pairs(duck, spark)
    assert {p.differing_fields for p in spark} == {c[2] for c in CASES.values()}


def test_pairs_below_the_threshold_are_scored_alike_on_both_engines(tmp_path: Path) -> None:
    # Every level of the name comparison is reached (equal, typo, far apart),
    # with the Jaro-Winkler UDF of Splink's jar on Spark.
    con = _store(
        tmp_path,
        [
            JOHN | {"A0600A": "111-22-3335"},
            JOHN | {"A0600A": "222-33-4445", "A0500A": "James", "A0900": "19400315"},
            JOHN | {"A0600A": "333-44-5556", "A0500A": "Jon", "A0800": "2"},
            JOHN | {"A0600A": "", "A0500C": "Smithe", "A0900": "19400350"},
        ],
    )
    duck = probable_duplicates(con, threshold=0.0)
    assert len(duck) >= 3
    assert_same_pairs(duck, probable_duplicates(con, threshold=0.0, engine=spark_engine()))


@pytest.mark.slow
def test_a_synthetic_extract_gives_the_same_pairs_on_both_engines_trained_or_not(
    tmp_path: Path,
) -> None:
    out = tmp_path / "mds.csv"
    synth_mds(
        out, facilities=4, start=date(2026, 1, 1), end=date(2026, 3, 31), seed=5,
        duplicate_rate=0.03,
    )  # fmt: skip
    con = connect(None)
    load_files(con, [out])
    duck = probable_duplicates(con, train=False)
    assert len(duck) > 20
    assert_same_pairs(duck, probable_duplicates(con, train=False, engine=spark_engine()))
    # Training samples pairs with a seed: each engine repeats its own run, to
    # the last bits of a sum Spark may add in another order (pairs tied on
    # their probability may then swap places).
    packaged = load_duplicate_model()
    quick = replace(
        packaged,
        splink_settings=packaged.settings() | {"max_iterations": 2},
        training=replace(packaged.training, u_max_pairs=20_000),
    )
    first, second = (
        sorted(
            probable_duplicates(con, train=True, model=quick, engine=spark_engine()),
            key=lambda p: (p.key_a, p.key_b),
        )
        for _ in range(2)
    )
    assert len(first) > 20
    assert_same_pairs(first, second)


def test_the_model_keeps_its_duckdb_sql_and_spark_gets_its_own_function_names() -> None:
    settings = load_duplicate_model().settings()
    spark = _rename_functions(settings, {"jaro_winkler_similarity": "jaro_winkler"})
    text = repr(spark)
    assert "jaro_winkler_similarity" not in text
    assert "jaro_winkler(" in text
    assert "levenshtein(" in text  # Spark's own, untouched
    assert "jaro_winkler_similarity" in repr(settings)  # the model is not changed
