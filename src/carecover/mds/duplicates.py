"""Probable duplicate residents: one person under two resident keys (Splink).

A second key appears when an identifying item changes between records (a typo
in a name, day and month swapped in the birth date, first and last names
swapped, the SSN missing on one record; cms-staffing-methodology.md §4.3).
The "Duplicate Residents" report lists such pairs with a match probability.

How it works:

1. the store's records are aggregated to **one row per resident key** (the
   identity of its latest record, names normalised as in ``residents``);
2. Splink (v4) pairs keys **within a facility** (state and CCN), on DuckDB
   by default or on Spark (``engine``, national MDS), through the blocking
   rules of the model and scores each pair with the Fellegi-Sunter model
   in ``data/mds/duplicate_model.json`` (fixed m/u priors; ``train=True``
   re-estimates them from the data, seeded);
3. pairs at or above the threshold are returned, most probable first, with
   the identity items that differ.

Splink runs in a scratch in-memory DuckDB (or on the Spark engine, which
gets only the model's items of each key), so the store is only read (a
read-only connection works) and never receives Splink's work tables. The
model is written once, in DuckDB's SQL; the engine adapter translates it
(``engines.spark``: Spark's names for the similarity functions). The
store keeps no SSN nor any hash of it, only whether one was present, so the
SSN can only be reported as missing on one key, or, when every other item is
equal (the keys can then differ only by the SSN), as different.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from carecover.engines import Engine, Linkage, linkage
from carecover.errors import InputError
from carecover.mds.duplicate_model import DuplicateModel, load_duplicate_model

__all__ = ["DuplicatePair", "probable_duplicates"]


@dataclass(frozen=True)
class DuplicatePair:
    """Two resident keys of one facility that are probably one person.

    ``differing_fields`` names what differs: ``first_name``, ``last_name``,
    ``names_swapped``, ``birth_date``, ``birth_day_month_swapped``,
    ``birth_date_missing_on_one``, ``gender``, ``gender_missing_on_one``,
    ``ssn_missing_on_one``, ``ssn`` (inferred: both keys have an SSN and all
    other items are equal) and ``facility_internal_id``. No SSN is ever shown.
    """

    key_a: str
    key_b: str
    probability: float
    differing_fields: tuple[str, ...]
    facility: str
    match_weight: float
    first_name_a: str
    last_name_a: str
    birth_date_a: date | None
    first_name_b: str
    last_name_b: str
    birth_date_b: date | None
    records_a: int
    records_b: int
    last_seen_a: date
    last_seen_b: date


# One row per resident key: the identity of its latest record (ties broken on
# source file and record locator so the choice is reproducible). Names are
# normalised like ``residents.normalise_name``; empty items become NULL so the
# model's null levels apply.
_RESIDENTS = r"""
WITH keys AS (
    SELECT resident_key, count(*) AS records, max(target_date) AS last_seen,
        bool_or(ssn_present) AS any_ssn,
        arg_max({'state': state, 'ccn': ccn, 'fid': facility_internal_id,
                 'first_name': first_name, 'last_name': last_name,
                 'birth_date': birth_date, 'gender': gender},
                {'t': target_date, 's': source_file, 'r': record}) AS latest
    FROM mds_assessments
    WHERE $facility IS NULL OR ccn = $facility
    GROUP BY resident_key
)
SELECT resident_key AS unique_id,
    upper(trim(coalesce(latest.state, ''))) AS state,
    coalesce(latest.ccn, '') AS ccn,
    coalesce(latest.fid, '') AS facility_internal_id,
    nullif(upper(regexp_replace(coalesce(latest.first_name, ''), '[\s\-''.]+', '', 'g')), '')
        AS first_name,
    nullif(upper(regexp_replace(coalesce(latest.last_name, ''), '[\s\-''.]+', '', 'g')), '')
        AS last_name,
    strftime(latest.birth_date, '%Y%m%d') AS birth_date,
    nullif(trim(coalesce(latest.gender, '')), '') AS gender,
    coalesce(any_ssn, false) AS ssn_present,
    coalesce(latest.first_name, '') AS first_name_shown,
    coalesce(latest.last_name, '') AS last_name_shown,
    latest.birth_date AS birth_date_shown,
    records,
    last_seen
FROM keys
"""

_INPUT_COLUMNS = """
SELECT *, substr(birth_date, 1, 4) AS birth_year,
    substr(first_name, 1, 1) AS first_initial, substr(last_name, 1, 1) AS last_initial
FROM mds_dup_arrow
"""

# The pairs Splink kept, oriented key_a < key_b, with the items that differ.
_PAIRS = """
WITH p AS (
    SELECT least(unique_id_l, unique_id_r) AS key_a,
        greatest(unique_id_l, unique_id_r) AS key_b,
        match_probability, match_weight
    FROM {predictions}
    WHERE match_probability >= $threshold
), j AS (
    SELECT p.*, a.ccn AS facility,
        a.first_name AS fa, a.last_name AS la, a.birth_date AS ba, a.gender AS ga,
        b.first_name AS fb, b.last_name AS lb, b.birth_date AS bb, b.gender AS gb,
        a.ssn_present AS sa, b.ssn_present AS sb,
        a.facility_internal_id <> b.facility_internal_id AS fac_id_differs,
        a.first_name_shown AS first_name_a, a.last_name_shown AS last_name_a,
        a.birth_date_shown AS birth_date_a,
        b.first_name_shown AS first_name_b, b.last_name_shown AS last_name_b,
        b.birth_date_shown AS birth_date_b,
        a.records AS records_a, b.records AS records_b,
        a.last_seen AS last_seen_a, b.last_seen AS last_seen_b
    FROM p
    JOIN mds_dup_residents a ON a.unique_id = p.key_a
    JOIN mds_dup_residents b ON b.unique_id = p.key_b
), f AS (
    SELECT *,
        fa IS NOT DISTINCT FROM fb AND la IS NOT DISTINCT FROM lb AS names_equal,
        NOT (fa IS NOT DISTINCT FROM fb AND la IS NOT DISTINCT FROM lb)
            AND coalesce(fa = lb AND la = fb, false) AS exact_swap,
        NOT (fa IS NOT DISTINCT FROM fb AND la IS NOT DISTINCT FROM lb)
            AND NOT coalesce(fa = lb AND la = fb, false)
            AND coalesce(jaro_winkler_similarity(fa, lb) >= 0.88
                AND jaro_winkler_similarity(la, fb) >= 0.88
                AND jaro_winkler_similarity(fa, lb) + jaro_winkler_similarity(la, fb)
                    > jaro_winkler_similarity(fa, fb) + jaro_winkler_similarity(la, lb),
                false) AS near_swap
    FROM j
)
SELECT facility, key_a, key_b, match_probability, match_weight,
    list_filter([
        CASE WHEN exact_swap OR near_swap THEN 'names_swapped' END,
        CASE WHEN near_swap AND fa IS DISTINCT FROM lb THEN 'first_name'
             WHEN NOT exact_swap AND NOT near_swap AND fa IS DISTINCT FROM fb
             THEN 'first_name' END,
        CASE WHEN near_swap AND la IS DISTINCT FROM fb THEN 'last_name'
             WHEN NOT exact_swap AND NOT near_swap AND la IS DISTINCT FROM lb
             THEN 'last_name' END,
        CASE WHEN ba IS NOT DISTINCT FROM bb THEN NULL
             WHEN ba IS NULL OR bb IS NULL THEN 'birth_date_missing_on_one'
             WHEN substr(ba, 1, 4) = substr(bb, 1, 4) AND substr(ba, 5, 2) = substr(bb, 7, 2)
                  AND substr(ba, 7, 2) = substr(bb, 5, 2) THEN 'birth_day_month_swapped'
             ELSE 'birth_date' END,
        CASE WHEN ga IS NOT DISTINCT FROM gb THEN NULL
             WHEN ga IS NULL OR gb IS NULL THEN 'gender_missing_on_one'
             ELSE 'gender' END,
        CASE WHEN sa <> sb THEN 'ssn_missing_on_one'
             WHEN sa AND sb AND names_equal AND ba IS NOT DISTINCT FROM bb
                  AND ga IS NOT DISTINCT FROM gb AND NOT fac_id_differs THEN 'ssn' END,
        CASE WHEN fac_id_differs THEN 'facility_internal_id' END
    ], lambda x: x IS NOT NULL) AS differing,
    first_name_a, last_name_a, birth_date_a, first_name_b, last_name_b, birth_date_b,
    records_a, records_b, last_seen_a, last_seen_b
FROM f
ORDER BY match_probability DESC, facility, key_a, key_b
"""


def probable_duplicates(
    con: Any,
    *,
    facility: str | None = None,
    threshold: float = 0.8,
    train: bool | None = None,
    model: DuplicateModel | None = None,
    threads: int | None = None,
    engine: Engine | None = None,
) -> list[DuplicatePair]:
    """Pairs of resident keys that are probably one person, most probable first.

    ``con`` is the MDS store (it is only read). ``facility`` limits the report
    to one CCN. Pairs are kept when their match probability is at or above
    ``threshold`` (0–1). ``train``: ``False`` scores with the
    model's fixed priors; ``True`` first re-estimates u by seeded random
    sampling and m by expectation maximisation on the data; ``None`` trains
    only (the default) when there are at least the model's ``training.min_residents`` keys.
    ``model`` replaces the packaged model; ``threads`` caps DuckDB's threads
    in the scratch database. ``engine`` (a Spark engine) runs Splink there,
    for national MDS; the store's records are read on DuckDB as always and
    only the model's items of each key go to the engine.
    """
    if not 0.0 <= threshold <= 1.0:
        raise InputError(f"the threshold must be between 0 and 1, not {threshold}")
    model = model or load_duplicate_model()
    import duckdb

    # A cursor: ``con`` may hold an unfinished result, which DuckDB 2 refuses
    # to run a relation beside; Arrow straight from a relation avoids a copy.
    cursor = con.cursor()
    try:
        residents = cursor.sql(_RESIDENTS, params={"facility": facility}).to_arrow_table()
    finally:
        cursor.close()
    if residents.num_rows < 2:
        return []
    scratch = duckdb.connect(":memory:")
    try:
        scratch.execute("SET enable_progress_bar = false")
        if threads is not None:
            scratch.execute(f"SET threads = {int(threads)}")
        scratch.register("mds_dup_arrow", residents)
        scratch.execute(f"CREATE TABLE mds_dup_residents AS {_INPUT_COLUMNS}")
        scratch.unregister("mds_dup_arrow")
        del residents
        do_train = train if train is not None else _count(scratch) >= model.training.min_residents
        linked = scratch.sql(f"SELECT {', '.join(_LINK_COLUMNS)} FROM mds_dup_residents")
        with linkage(engine, threads=threads) as on:
            predictions = _link(on, linked.to_arrow_table(), model, threshold, train=do_train)
        scratch.register("mds_dup_predictions", predictions)
        sql = _PAIRS.format(predictions="mds_dup_predictions")
        rows = scratch.execute(sql, {"threshold": threshold}).fetchall()
    finally:
        scratch.close()
    return [_pair(row) for row in rows]


# What Splink reads of a key (the model's items and blocking keys), and what
# comes back: the names shown and the counts stay in the scratch database.
_LINK_COLUMNS = (
    "unique_id",
    "state",
    "ccn",
    "facility_internal_id",
    "first_name",
    "last_name",
    "birth_date",
    "gender",
    "ssn_present",
    "birth_year",
    "first_initial",
    "last_initial",
)
_PREDICTION_COLUMNS = ("unique_id_l", "unique_id_r", "match_probability", "match_weight")


def _count(scratch: Any) -> int:
    # fetchall, not fetchone: DuckDB 2 refuses Splink's next query beside an
    # unfinished result.
    ((count,),) = scratch.execute("SELECT count(*) FROM mds_dup_residents").fetchall()
    return int(count)


def _link(on: Linkage, keys: Any, model: DuplicateModel, threshold: float, *, train: bool) -> Any:
    """Splink's scored pairs of ``keys`` (Arrow) at or above ``threshold``, as Arrow."""
    from splink import Linker

    with on.linking(), _quiet_splink():
        # No basic logging: Splink would otherwise configure the root logger.
        linker = Linker(
            on.linkage_input(keys),
            on.linkage_settings(model.settings()),
            db_api=on.linkage_api(),
            set_up_basic_logging=False,
            # The packaged model is validated once by the tests; validating on
            # every call costs half a second of SQL parsing.
            validate_settings=model.validate,
        )
        if train:
            _train(on, linker, model)
        predictions = linker.inference.predict(threshold_match_probability=threshold)
        return on.linkage_output(predictions, _PREDICTION_COLUMNS)


def _train(on: Linkage, linker: Any, model: DuplicateModel) -> None:
    with on.reproducible():
        linker.training.estimate_u_using_random_sampling(
            max_pairs=model.training.u_max_pairs, seed=model.training.seed
        )
    for rule in model.training.em_blocking_rules:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, fix_u_probabilities=True, estimate_without_term_frequencies=True
        )


@contextmanager
def _quiet_splink() -> Iterator[None]:
    # Splink logs every step at INFO and untrainable levels at WARNING; a report must
    # not print them (nor any PHI they could carry).
    log = logging.getLogger("splink")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        log.setLevel(level)


def _pair(row: Any) -> DuplicatePair:
    return DuplicatePair(
        facility=str(row[0]),
        key_a=str(row[1]),
        key_b=str(row[2]),
        probability=float(row[3]),
        match_weight=float(row[4]),
        differing_fields=tuple(row[5]),
        first_name_a=str(row[6]),
        last_name_a=str(row[7]),
        birth_date_a=row[8],
        first_name_b=str(row[9]),
        last_name_b=str(row[10]),
        birth_date_b=row[11],
        records_a=int(row[12]),
        records_b=int(row[13]),
        last_seen_a=row[14],
        last_seen_b=row[15],
    )
