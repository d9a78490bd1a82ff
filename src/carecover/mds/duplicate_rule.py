"""The rules of the duplicate-residents report, as Ibis expressions (``duplicates``).

``linkage_input`` is what Splink links: one row per resident key, the
identity of its latest record with names normalised by the resident key's
own rule (``residents.name_key_of``), so two keys whose names the key
already treats as one name are not reported as differing in it.
``pairs`` orients Splink's scored pairs and names the identity items that
differ. ``duplicates`` compiles each once and runs it on DuckDB.
"""

from __future__ import annotations

from typing import Any

from carecover.mds.residents import name_key_of

__all__ = ["IDENTITY", "PREDICTIONS", "linkage_input", "pairs"]

#: Splink's scored pairs as ``pairs`` reads them (the columns ``duplicates`` keeps).
PREDICTIONS = {
    "unique_id_l": "string",
    "unique_id_r": "string",
    "match_probability": "float64",
    "match_weight": "float64",
}
#: The items of a key's latest record that Splink and the report read.
IDENTITY = (
    "state",
    "ccn",
    "facility_internal_id",
    "first_name",
    "last_name",
    "birth_date",
    "gender",
)
# Both names at least this close (Jaro-Winkler) to the other's swapped name
# count as swapped: the packaged model's "close typo" level.
_NEAR = 0.88


def linkage_input(records: Any, facility: Any) -> Any:
    """One row per resident key of ``records`` (``mds_assessments``), as Splink reads it.

    Only the records of the CCN ``facility`` (a string scalar; NULL: every
    facility). Each key has the identity of its latest record (by target
    date, then file and record locator, so the choice is reproducible), its
    number of records, ``last_seen`` (latest target date) and ``ssn_present``
    (on any record). Names are normalised as in the resident key, and an
    empty name, birth date or gender is NULL so the model's null levels apply.
    """
    import ibis

    picked = records.filter(facility.isnull() | (records.ccn == facility))
    items = ibis.struct({c: picked[c] for c in IDENTITY})
    # The latest record has the greatest (target date, file, record locator):
    # one aggregate, where numbering each key's records (a window) sorts them
    # all, four times slower on a store of 200,000 keys.
    order = ibis.struct({"t": picked.target_date, "s": picked.source_file, "r": picked.record})
    grouped = picked.group_by("resident_key").aggregate(
        latest=items.argmax(order),
        records=picked.count(),
        last_seen=picked.target_date.max(),
        any_ssn=picked.ssn_present.any(),
    )
    keys = grouped.unpack("latest")
    first_name = name_key_of(keys.first_name).nullif("")
    last_name = name_key_of(keys.last_name).nullif("")
    birth_date = keys.birth_date.strftime("%Y%m%d")
    identity = keys.select(
        unique_id=keys.resident_key,
        state=keys.state.fill_null("").strip().upper(),
        ccn=keys.ccn.fill_null(""),
        facility_internal_id=keys.facility_internal_id.fill_null(""),
        first_name=first_name,
        last_name=last_name,
        birth_date=birth_date,
        gender=keys.gender.fill_null("").strip().nullif(""),
        ssn_present=keys.any_ssn.fill_null(False),
        first_name_shown=keys.first_name.fill_null(""),
        last_name_shown=keys.last_name.fill_null(""),
        birth_date_shown=keys.birth_date,
        records=keys.records,
        last_seen=keys.last_seen,
    )
    # Splink's blocking keys, each from the normalised item.
    return identity.mutate(
        birth_year=identity.birth_date.substr(0, 4),
        first_initial=identity.first_name.substr(0, 1),
        last_initial=identity.last_name.substr(0, 1),
    )


def pairs(predictions: Any, residents: Any, threshold: Any) -> Any:
    """The pairs of ``predictions`` at or above ``threshold``, keys oriented ``key_a < key_b``.

    ``residents`` is the ``linkage_input`` the predictions were made from.
    Each pair has its ``facility``, probability and weight, ``differing``
    (the names of ``DuplicatePair.differing_fields``, in their order) and
    each key's names and birth date as recorded, records and last seen.
    """
    import ibis

    kept = predictions.filter(predictions.match_probability >= threshold)
    p = kept.select(
        key_a=ibis.least(kept.unique_id_l, kept.unique_id_r),
        key_b=ibis.greatest(kept.unique_id_l, kept.unique_id_r),
        match_probability=kept.match_probability,
        match_weight=kept.match_weight,
    )
    j = p.join(_side(residents, "a"), "key_a").join(_side(residents, "b"), "key_b")
    f = j.mutate(
        names_equal=j.fa.identical_to(j.fb) & j.la.identical_to(j.lb),
        swapped=((j.fa == j.lb) & (j.la == j.fb)).fill_null(False),
        near=_near_swap(j.fa, j.la, j.fb, j.lb),
    )
    f = f.mutate(exact_swap=~f.names_equal & f.swapped)
    f = f.mutate(near_swap=~f.names_equal & ~f.swapped & f.near)
    return f.select(
        "facility",
        "key_a",
        "key_b",
        "match_probability",
        "match_weight",
        differing=_differing(f),
        first_name_a=f.first_name_shown_a,
        last_name_a=f.last_name_shown_a,
        birth_date_a=f.birth_date_shown_a,
        first_name_b=f.first_name_shown_b,
        last_name_b=f.last_name_shown_b,
        birth_date_b=f.birth_date_shown_b,
        records_a=f.records_a,
        records_b=f.records_b,
        last_seen_a=f.last_seen_a,
        last_seen_b=f.last_seen_b,
    )


def _side(residents: Any, side: str) -> Any:
    """The items of one key of a pair, named for its side (``fa``, ``la``, ... for ``a``)."""
    r = residents
    items = {
        f"key_{side}": r.unique_id,
        f"f{side}": r.first_name,
        f"l{side}": r.last_name,
        f"b{side}": r.birth_date,
        f"g{side}": r.gender,
        f"s{side}": r.ssn_present,
        f"fid_{side}": r.facility_internal_id,
        **{f"{c}_{side}": r[c] for c in ("first_name_shown", "last_name_shown")},
        **{f"{c}_{side}": r[c] for c in ("birth_date_shown", "records", "last_seen")},
    }
    if side == "a":
        items["facility"] = r.ccn
    return r.select(**items)


def _near_swap(fa: Any, la: Any, fb: Any, lb: Any) -> Any:
    """Each name a close typo of the other's swapped name, and closer swapped than not."""
    import ibis

    # The pairs always run in a scratch DuckDB (Splink's predictions come back
    # as Arrow from either engine), so DuckDB's name for the function.
    jaro_winkler_similarity = ibis.udf.scalar.builtin(_similarity, name="jaro_winkler_similarity")
    first_swapped = jaro_winkler_similarity(fa, lb)
    last_swapped = jaro_winkler_similarity(la, fb)
    near = (
        (first_swapped >= _NEAR)
        & (last_swapped >= _NEAR)
        & (
            first_swapped + last_swapped
            > jaro_winkler_similarity(fa, fb) + jaro_winkler_similarity(la, lb)
        )
    )
    return near.fill_null(False)


def _similarity(a: str, b: str) -> float:
    """The signature of an engine's similarity function (Ibis reads only that)."""
    raise NotImplementedError


def _differing(f: Any) -> Any:
    """The names of the items that differ between the two keys of each pair of ``f``."""
    import ibis

    none = ibis.null("string")
    swap = f.exact_swap | f.near_swap
    plain = ~f.exact_swap & ~f.near_swap
    birth_swapped = (
        (f.ba.substr(0, 4) == f.bb.substr(0, 4))
        & (f.ba.substr(4, 2) == f.bb.substr(6, 2))
        & (f.ba.substr(6, 2) == f.bb.substr(4, 2))
    )
    fid_differs = f.fid_a != f.fid_b
    fields = [
        ibis.ifelse(swap, "names_swapped", none),
        ibis.cases(
            (f.near_swap & ~f.fa.identical_to(f.lb), "first_name"),
            (plain & ~f.fa.identical_to(f.fb), "first_name"),
            else_=none,
        ),
        ibis.cases(
            (f.near_swap & ~f.la.identical_to(f.fb), "last_name"),
            (plain & ~f.la.identical_to(f.lb), "last_name"),
            else_=none,
        ),
        ibis.cases(
            (f.ba.identical_to(f.bb), none),
            (f.ba.isnull() | f.bb.isnull(), "birth_date_missing_on_one"),
            (birth_swapped, "birth_day_month_swapped"),
            else_="birth_date",
        ),
        ibis.cases(
            (f.ga.identical_to(f.gb), none),
            (f.ga.isnull() | f.gb.isnull(), "gender_missing_on_one"),
            else_="gender",
        ),
        ibis.cases(
            (f.sa != f.sb, "ssn_missing_on_one"),
            # Every other item equal: the keys can differ only by the SSN.
            (
                f.sa
                & f.sb
                & f.names_equal
                & f.ba.identical_to(f.bb)
                & f.ga.identical_to(f.gb)
                & ~fid_differs,
                "ssn",
            ),
            else_=none,
        ),
        ibis.ifelse(fid_differs, "facility_internal_id", none),
    ]
    return ibis.array(fields).filter(lambda field: field.notnull())
