"""Probable duplicate residents: one person under two resident keys (Splink).

A second key appears when an identifying item changes between records (a typo
in a name, day and month swapped in the birth date, first and last names
swapped, the SSN missing on one record; cms-staffing-methodology.md §4.3).
The "Duplicate Residents" report lists such pairs with a match probability.

How it works:

1. the store's records are aggregated to **one row per resident key** (the
   identity of its latest record, names normalised by the resident key's own
   rule; ``duplicate_rule.linkage_input``);
2. Splink (v4) pairs keys **within a facility** (state and CCN), on DuckDB
   by default or on Spark (``engine``, national MDS), through the blocking
   rules of the model and scores each pair with the Fellegi-Sunter model
   in ``data/mds/duplicate_model.json`` (fixed m/u priors; ``train=True``
   re-estimates them from the data, seeded);
3. pairs at or above the threshold are returned, most probable first, with
   the identity items that differ (``duplicate_rule.pairs``).

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
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from carecover.engines import Engine, Linkage, linkage
from carecover.engines.duckdb import arrow_of_sql, parameters, rows_of_sql, sql_of, table_of
from carecover.errors import InputError
from carecover.mds.duplicate_model import DuplicateModel, load_duplicate_model
from carecover.mds.duplicate_rule import IDENTITY, PREDICTIONS, linkage_input, pairs

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

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


def probable_duplicates(
    con: DuckDBPyConnection,
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
    # A cursor: ``con`` may hold an unfinished result, which DuckDB 2 refuses
    # to run a relation beside.
    cursor = con.cursor()
    try:
        sql = _input_sql(table_of(cursor, "mds_assessments").schema())
        residents = arrow_of_sql(cursor, sql, parameters={"facility": facility})
    finally:
        cursor.close()
    if residents.num_rows < 2:
        return []
    do_train = train if train is not None else residents.num_rows >= model.training.min_residents
    with linkage(engine, threads=threads) as on:
        keys = residents.select(list(_LINK_COLUMNS))
        predictions = _link(on, keys, model, threshold, train=do_train)
    rows = _scored(residents, predictions, threshold, threads)
    rows.sort(key=lambda r: (-r["match_probability"], r["facility"], r["key_a"], r["key_b"]))
    return [_pair(row) for row in rows]


@lru_cache(maxsize=4)
def _input_sql(schema: Any) -> str:
    """``linkage_input`` over ``mds_assessments`` of ``schema``, compiled once per schema."""
    import ibis

    records = ibis.table(schema, name="mds_assessments")
    return sql_of(linkage_input(records, parameters(facility="string").facility.as_scalar()))


@lru_cache(maxsize=4)
def _pairs_sql(residents: Any) -> str:
    """``pairs`` over ``mds_dup_predictions`` and ``mds_dup_residents`` (schema ``residents``)."""
    import ibis

    scored = ibis.table(PREDICTIONS, name="mds_dup_predictions")
    keys = ibis.table(residents, name="mds_dup_residents")
    return sql_of(pairs(scored, keys, parameters(threshold="float64").threshold.as_scalar()))


def _scored(
    residents: Any, predictions: Any, threshold: float, threads: int | None
) -> list[dict[str, Any]]:
    """The rows of ``pairs`` over Arrow ``residents`` and ``predictions``, in no set order."""
    import duckdb
    import ibis

    sql = _pairs_sql(ibis.Schema.from_pyarrow(residents.schema))
    scratch = duckdb.connect(":memory:")
    try:
        scratch.execute("SET enable_progress_bar = false")
        if threads is not None:
            scratch.execute(f"SET threads = {int(threads)}")
        scratch.register("mds_dup_residents", residents)
        scratch.register("mds_dup_predictions", predictions)
        return rows_of_sql(scratch, sql, parameters={"threshold": threshold})
    finally:
        scratch.close()


# What Splink reads of a key (the model's items and blocking keys): the names
# shown and the counts stay here, for ``pairs``.
_LINK_COLUMNS = (
    "unique_id",
    *IDENTITY,
    "ssn_present",
    "birth_year",
    "first_initial",
    "last_initial",
)


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
        return on.linkage_output(predictions, tuple(PREDICTIONS))


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


def _pair(row: dict[str, Any]) -> DuplicatePair:
    return DuplicatePair(
        facility=str(row["facility"]),
        key_a=str(row["key_a"]),
        key_b=str(row["key_b"]),
        probability=float(row["match_probability"]),
        match_weight=float(row["match_weight"]),
        differing_fields=tuple(row["differing"]),
        first_name_a=str(row["first_name_a"]),
        last_name_a=str(row["last_name_a"]),
        birth_date_a=row["birth_date_a"],
        first_name_b=str(row["first_name_b"]),
        last_name_b=str(row["last_name_b"]),
        birth_date_b=row["birth_date_b"],
        records_a=int(row["records_a"]),
        records_b=int(row["records_b"]),
        last_seen_a=row["last_seen_a"],
        last_seen_b=row["last_seen_b"],
    )
