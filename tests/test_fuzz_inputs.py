"""Seeded random mutations of valid input files never end in a traceback (issue 12).

Six valid files (a PBJ submission XML, an MDS extract, a PBJ public file, a
backup-report CSV, a CMS provider file and a time-clock CSV) are mutated a
few hundred times each (``FUZZ_CASES``, default 300; half as many public
files, whose loads are the slowest), seeded, and driven through the library
functions the CLI commands call (``pbj validate`` and ``pbj load``, ``mds
load``, ``pbj load`` and ``pbj measures``, ``backup check``, ``rating
stars``, ``pbj onsite``). Each run must end cleanly or with a ``CarecoverError`` (what the
CLI prints as one ``error:`` line); anything else is a bug, reported with the
seed and the mutation so it can be replayed:
``FUZZ_SEED=<seed> pytest tests/test_fuzz_inputs.py -k <kind>``.

Mutations: bytes flipped, cut, doubled or truncated; lines swapped, dropped
or doubled; one CSV field, XML text or attribute set to a hostile value
(NaN, inf, 1e308, 400 digits, 3000000000, NUL, quotes, line breaks,
Unicode digits, ...).
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from carecover.errors import CarecoverError
from tests.conftest import REPO

FIXTURES = REPO / "tests" / "fixtures"
CASES = int(os.environ.get("FUZZ_CASES", "300"))
ONLY_SEED = os.environ.get("FUZZ_SEED")

HOSTILE = [
    "",
    " ",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "1e308",
    "-1e308",
    "1e-999",
    "1" * 400,
    "9" * 20,
    "3000000000",
    "-1",
    "0",
    "-0",
    "1_000",
    "\u0661\u0662",  # Arabic-Indic digits: Python's int() reads them
    "\uff11\uff12",  # full-width digits
    "+5",
    " 5 ",
    ".5",
    "5.",
    "1e",
    "--1",
    "0x10",
    '"',
    '""',
    ",",
    "\n",
    "\r",
    "\r\n",
    "\x00",
    "\t",
    "\u2028",
    "\ufeff",
    "é",
    "<",
    "&amp;",
    "&#0;",
    "]]>",
    "'",
    "=cmd|' /C calc'!A0",
    "2024-02-30",
    "2026-13-01",
    "99999999",
    "00000000",
    "9999-12-31",
    "0001-01-01",
    "A" * 300,
]

Mutation = Callable[[random.Random, bytes], tuple[bytes, str]]


def _token(rng: random.Random) -> str:
    return rng.choice(HOSTILE)


def flip_byte(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = rng.randrange(len(data))
    value = rng.randrange(256)
    return data[:at] + bytes([value]) + data[at + 1 :], f"byte {at} = 0x{value:02x}"


def cut_slice(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = rng.randrange(len(data))
    size = rng.randint(1, 40)
    return data[:at] + data[at + size :], f"cut {size} bytes at {at}"


def double_slice(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = rng.randrange(len(data))
    size = rng.randint(1, 200)
    return data[: at + size] + data[at : at + size] + data[at + size :], f"doubled {size} at {at}"


def truncate(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = rng.randrange(len(data))
    return data[:at], f"truncated at {at}"


def insert_token(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    at = rng.randrange(len(data))
    token = _token(rng)
    return data[:at] + token.encode() + data[at:], f"inserted {token[:20]!r} at {at}"


def shuffle_lines(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    lines = data.split(b"\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    how = rng.choice(["swap", "drop", "double"])
    if how == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif how == "drop":
        del lines[i]
    else:
        lines.insert(i, lines[j])
    return b"\n".join(lines), f"{how} lines {i + 1}, {j + 1}"


def csv_field(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """One field of one row (the header now and then) set to a hostile value."""
    # An earlier mutation may have broken the encoding or the quoting.
    text = data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="surrogateescape")
    try:
        rows = [r for r in csv.reader(io.StringIO(text, newline="")) if r]
    except csv.Error:
        rows = []
    if len(rows) < 2:
        return insert_token(rng, data)
    row = 0 if rng.random() < 0.1 else rng.randrange(1, len(rows))
    column = rng.randrange(len(rows[row]))
    token = _token(rng)
    rows[row][column] = token
    out = io.StringIO()
    csv.writer(out, lineterminator=rng.choice(["\n", "\r\n"])).writerows(rows)
    mutated = out.getvalue().encode("utf-8", errors="surrogateescape")
    return mutated, f"row {row + 1} field {column + 1} = {token[:20]!r}"


def csv_field_raw(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """One field replaced without quoting (commas, quotes and breaks break the row)."""
    lines = data.split(b"\n")
    row = rng.randrange(1, len(lines) - 1) if len(lines) > 2 else 0
    fields = lines[row].split(b",")
    column = rng.randrange(len(fields))
    token = _token(rng)
    fields[column] = token.encode()
    lines[row] = b",".join(fields)
    return b"\n".join(lines), f"raw row {row + 1} field {column + 1} = {token[:20]!r}"


_TEXT = re.compile(rb">([^<>]+)<")
_ATTRIBUTE = re.compile(rb'="([^"]*)"')
_TAG = re.compile(rb"</?[A-Za-z][^<>]*>")


def xml_value(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """One element text or attribute value set to a hostile value (escaped or not)."""
    spans = [m.span(1) for m in _TEXT.finditer(data) if m.group(1).strip()]
    spans += [m.span(1) for m in _ATTRIBUTE.finditer(data)]
    if not spans:  # an earlier mutation left no markup
        return insert_token(rng, data)
    start, end = rng.choice(spans)
    token = _token(rng)
    raw = token.encode()
    if rng.random() < 0.7:
        raw = raw.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b'"', b"&quot;")
    return data[:start] + raw + data[end:], f"value at {start} = {token[:20]!r}"


def xml_tag(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """One tag dropped or doubled."""
    tags = list(_TAG.finditer(data))
    if not tags:
        return insert_token(rng, data)
    tag = rng.choice(tags)
    start, end = tag.span()
    if rng.random() < 0.5:
        return data[:start] + data[end:], f"dropped tag {tag.group(0)[:30]!r}"
    return data[:end] + tag.group(0) + data[end:], f"doubled tag {tag.group(0)[:30]!r}"


BYTES: list[Mutation] = [flip_byte, cut_slice, double_slice, truncate, insert_token]
CSV: list[Mutation] = [*BYTES, shuffle_lines, csv_field, csv_field, csv_field, csv_field_raw]
XML: list[Mutation] = [*BYTES, shuffle_lines, xml_value, xml_value, xml_value, xml_tag]


def mutants(
    seed_base: int, data: bytes, mutations: list[Mutation], cases: int = CASES
) -> Iterator[tuple[int, bytes, str]]:
    """``cases`` seeded mutants of ``data`` (one to three mutations each)."""
    seeds = [int(ONLY_SEED)] if ONLY_SEED else range(seed_base, seed_base + cases)
    for seed in seeds:
        rng = random.Random(seed)
        mutated, notes = data, []
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            if not mutated:
                break
            mutated, note = rng.choice(mutations)(rng, mutated)
            notes.append(note)
        yield seed, mutated, "; ".join(notes)


def run_all(
    tmp_path: Path,
    name: str,
    data: bytes,
    mutations: list[Mutation],
    seed_base: int,
    entry: Callable[[Path], Any],
    *,
    cases: int = CASES,
) -> None:
    """Drive every mutant through ``entry``; fail listing each non-Carecover exception."""
    failures: list[str] = []
    for seed, mutated, notes in mutants(seed_base, data, mutations, cases):
        path = tmp_path / f"{seed}-{name}"
        path.write_bytes(mutated)
        try:
            entry(path)
        except CarecoverError:
            pass
        except Exception as exc:  # the point: nothing else may escape
            failures.append(f"seed {seed} ({notes}): {type(exc).__name__}: {exc}"[:400])
        finally:
            path.unlink(missing_ok=True)
    assert not failures, f"{len(failures)} traceback(s):\n" + "\n".join(failures[:10])


def test_mutated_pbj_xml_is_validated_and_loaded_without_a_traceback(tmp_path: Path) -> None:
    from carecover.pbj.store import connect
    from carecover.pbj.submission.store import load_xml
    from carecover.pbj.submission.validation import validate_submission

    con = connect(":memory:")

    def entry(path: Path) -> None:
        # ``pbj validate`` then ``pbj load`` (which validates again, then stores).
        report = validate_submission(path)
        if report.status != "rejected":
            load_xml(con, path)

    try:
        data = (FIXTURES / "pbj" / "xml" / "valid.xml").read_bytes()
        run_all(tmp_path, "pbj.xml", data, XML, 1_000, entry)
    finally:
        con.close()


def test_mutated_mds_extracts_load_without_a_traceback(tmp_path: Path) -> None:
    from carecover.mds.store import connect, load_files

    con = connect(None)

    def entry(path: Path) -> None:
        load_files(con, [path])  # ``mds load``: the file, then the census cache

    try:
        data = (FIXTURES / "mds" / "extract.csv").read_bytes()
        run_all(tmp_path, "mds.csv", data, CSV, 2_000, entry)
    finally:
        con.close()


def test_mutated_public_files_load_and_measure_without_a_traceback(tmp_path: Path) -> None:
    from carecover.pbj.measures.compiled import quarterly_text
    from carecover.pbj.publicfile.loading import load_file
    from carecover.pbj.store import connect

    con = connect(":memory:")
    count = [0]

    def entry(path: Path) -> None:
        count[0] += 1
        if count[0] % 8 == 0:
            quarterly_text(path)  # ``pbj measures FILE``: the fast path first
        else:
            load_file(con, path)  # ``pbj load``: a loaded mutant replaces the last one

    try:
        data = (FIXTURES / "pbj" / "nurse_2024Q2_plain.csv").read_bytes()
        # Half as many: a mutant that loads recomputes the stored measures (0.3 s).
        run_all(tmp_path, "puf.csv", data, CSV, 3_000, entry, cases=CASES // 2)
    finally:
        con.close()


def test_mutated_backup_reports_are_checked_without_a_traceback(tmp_path: Path) -> None:
    from carecover.backup.reading import check_reports

    def entry(path: Path) -> None:
        check_reports(path, today=date(2026, 12, 1))  # ``backup check``

    data = (FIXTURES / "backup" / "reports_valid.csv").read_bytes()
    run_all(tmp_path, "reports.csv", data, CSV, 4_000, entry)


@pytest.mark.parametrize("mutation", [*BYTES, shuffle_lines, csv_field, csv_field_raw, xml_value])
def test_every_mutation_changes_its_input(mutation: Mutation) -> None:
    # Guard: a mutation that returned its input unchanged would test nothing.
    name = "valid.xml" if mutation is xml_value else "nurse_2024Q2_plain.csv"
    data = (FIXTURES / "pbj" / ("xml/" if name.endswith("xml") else "") / name).read_bytes()
    changed = sum(mutation(random.Random(seed), data)[0] != data for seed in range(20))
    assert changed >= 15


def test_mutated_provider_files_are_rated_without_a_traceback(tmp_path: Path) -> None:
    from carecover.rating.recompute import recompute

    def entry(path: Path) -> None:
        recompute(path).rows(explain=True)  # ``rating stars --explain``

    data = (FIXTURES / "rating" / "NH_ProviderInfo_Aug2024_real3.csv").read_bytes()
    run_all(tmp_path, "provider.csv", data, CSV, 5_000, entry)


def test_mutated_time_clock_files_are_measured_without_a_traceback(tmp_path: Path) -> None:
    from carecover.pbj.timeclock.onsite import onsite_from_timeclock

    def entry(path: Path) -> None:
        onsite_from_timeclock(path)  # ``pbj onsite``

    data = (FIXTURES / "pbj" / "timeclock" / "onsite.csv").read_bytes()
    run_all(tmp_path, "timeclock.csv", data, CSV, 6_000, entry)
