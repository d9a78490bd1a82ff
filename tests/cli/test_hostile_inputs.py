"""Every CLI command over one shared set of hostile inputs: never a traceback (issue 12 §3).

Each command that reads a file (or a store) is run through ``carecover.cli.main``,
the installed entry point (so ``pbj measures FILE`` takes its quick path), once
per hostile input: empty, blank, binary, truncated, CR-only, NUL, wide,
UTF-16 (with and without BOM), a DOCTYPE in UTF-16, junk named ``.xml``, a
damaged ZIP, an unterminated quote, a directory, a missing path. It may succeed
(0), refuse the input (1: one ``error: ...`` line when it prints an error) or
reject the usage (2), and nothing else.

``COMMANDS`` (or ``STORE_COMMANDS``, for a command that reads only a store)
must name every command: a new command fails
``test_every_command_is_run_over_the_hostile_inputs`` until it is added here
(or to ``NOT_RUN`` with the reason).
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest
import typer

from carecover.cli import main
from carecover.cli.app import app
from tests.conftest import REPO

PBJ = REPO / "tests" / "fixtures" / "pbj"
NURSE = (PBJ / "nurse_2024Q2_plain.csv").read_bytes()
MDS = (REPO / "tests" / "fixtures" / "mds" / "extract.csv").read_bytes()
PBJ_XML = (PBJ / "xml" / "valid.xml").read_text(encoding="utf-8")

# {F}: the hostile input; {DB}: a fresh store path; {OUT}: an output directory;
# {OUT_FILE}: a fresh output file.
COMMANDS: dict[str, list[str]] = {
    "backup validate": ["backup", "validate", "{F}"],
    "backup summary": ["backup", "summary", "{F}", "--period", "2026-01"],
    "backup periods": ["backup", "periods", "{F}", "--from", "2026-01-01", "--to", "2026-01-31"],
    "backup from-visits": ["backup", "from-visits", "{F}"],
    "pbj validate": ["pbj", "validate", "{F}"],
    "pbj export-xml": [
        *("pbj", "export-xml", "{F}", "--facility-id", "FAC1", "--state", "OH"),
        *("--quarter", "2026Q3", "-o", "{OUT}"),
    ],
    "pbj measures": ["pbj", "measures", "{F}"],
    "pbj coverage": ["pbj", "coverage", "{F}"],
    "pbj load": ["pbj", "load", "{F}", "--db", "{DB}"],
    "pbj onsite": ["pbj", "onsite", "{F}"],
    "pbj minimums": ["pbj", "minimums", "{F}"],
    "pbj benchmark": ["pbj", "benchmark", "{F}", "--facility", "015001"],
    "pbj report": ["pbj", "report", "1702S", "{F}", "--quarter", "2026Q2"],
    "pbj non-nurse": ["pbj", "non-nurse", "{F}"],
    "facility figures": [
        *("facility", "figures", "--pbj", "{F}", "--mds", "{F}", "--quarter", "2026Q3"),
    ],
    "mds load": ["mds", "load", "{F}", "--db", "{DB}"],
    "mds census": ["mds", "census", "{F}", "--from", "2026-01-01", "--to", "2026-01-31"],
    "mds report": ["mds", "report", "roster", "{F}"],
    "mds reconcile": [
        *("mds", "reconcile", "{F}", "--pbj-db", "{F}"),
        *("--from", "2026-01-01", "--to", "2026-01-31"),
    ],
    "rating stars": ["rating", "stars", "--provider-info", "{F}"],
    "rating explain": ["rating", "explain", "--facility", "015009", "--provider-info", "{F}"],
    "rating project": [
        *("rating", "project", "{F}", "--facility", "015001", "--quarter", "2024Q2"),
        *("--as-of", "2024-05-01"),
    ],
    "rating turnover": ["rating", "turnover", "--quarter", "2024Q2", "--db", "{F}"],
    "synth backup": ["synth", "backup", "-o", "{F}", "--members", "2"],
    "synth puf": ["synth", "puf", "--facilities", "1", "--quarter", "2024Q2", "-o", "{F}"],
    "synth pbj-xml": ["synth", "pbj-xml", "--quarter", "2024Q2", "--facilities", "1", "-o", "{F}"],
    "synth mds": ["synth", "mds", "--from", "2026-01-01", "--to", "2026-01-31", "-o", "{F}"],
    "synth visits": ["synth", "visits", "-o", "{F}", "--members", "2"],
    "synth employee-detail": [
        *("synth", "employee-detail", "--quarter", "2024Q2", "--facilities", "1", "-o", "{F}"),
    ],
    "backup export": [
        *("backup", "export", "{F}", "--mco", "partners", "--period", "2026-01-15"),
        *("--provider", "PRV001", "-o", "{OUT_FILE}"),
    ],
    "pbj history load": ["pbj", "history", "load", "{F}", "--db", "{DB}"],
    "pbj employees turnover": ["pbj", "employees", "turnover", "{F}", "--quarter", "2024Q2"],
    "pbj employees tenure": ["pbj", "employees", "tenure", "{F}", "--quarter", "2024Q2"],
    "pbj employees contract": ["pbj", "employees", "contract", "{F}"],
    "pbj employees outliers": ["pbj", "employees", "outliers", "{F}"],
    "pbj employees weekend": ["pbj", "employees", "weekend", "{F}"],
}
# The same commands with the hostile input as their store.
STORE_COMMANDS: dict[str, list[str]] = {
    "pbj load --db": ["pbj", "load", str(PBJ / "nurse_2024Q2_plain.csv"), "--db", "{F}"],
    "pbj measures --db": ["pbj", "measures", "--db", "{F}"],
    "pbj coverage --db": ["pbj", "coverage", "--db", "{F}"],
    "pbj employees contract --db": ["pbj", "employees", "contract", "--db", "{F}"],
    "pbj minimums --db": ["pbj", "minimums", "--db", "{F}"],
    "pbj benchmark --db": ["pbj", "benchmark", "--facility", "015001", "--db", "{F}"],
    "mds load --db": [
        *("mds", "load", str(REPO / "tests" / "fixtures" / "mds" / "extract.csv")),
        *("--db", "{F}"),
    ],
    "mds census --db": [
        "mds",
        "census",
        "--from",
        "2026-01-01",
        "--to",
        "2026-01-31",
        "--db",
        "{F}",
    ],
    "mds report --db": ["mds", "report", "roster", "--db", "{F}"],
    "pbj non-nurse --db": ["pbj", "non-nurse", "--db", "{F}"],
    "pbj state --db": ["pbj", "state", "--state", "NY", "--db", "{F}"],
    "pbj chain --db": ["pbj", "chain", "--chain", "GENESIS", "--db", "{F}"],
    "pbj history load --db": [
        *("pbj", "history", "load", str(PBJ / "nurse_2024Q2_plain.csv"), "--db", "{F}"),
    ],
    "pbj report --db": ["pbj", "report", "1704S", "--db", "{F}", "--quarter", "2026Q1"],
    "rating project --db": [
        *("rating", "project", "--facility", "015001", "--quarter", "2024Q2"),
        *("--as-of", "2024-05-01", "--db", "{F}"),
    ],
}
NOT_RUN = {
    "backup classify": "reads no file",
    "backup services": "reads no file",
    "backup reasons": "reads no file",
    "rating methods": "reads no file",
    "serve": "starts a server that runs until stopped",
    "worker": "a queue worker that runs until stopped",
}


def _zip_of(name: str, data: bytes) -> bytes:
    from io import BytesIO

    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def _damaged(archive: bytes) -> bytes:
    """``archive`` with bytes of its first member's compressed data overwritten."""
    start = 30 + len("valid.xml")  # the local header, then the data
    return archive[: start + 40] + b"\xff" * 64 + archive[start + 104 :]


def _wide() -> bytes:
    header = NURSE.split(b"\n", 1)[0] + b"".join(b",X%d" % i for i in range(5_000))
    return header + b"\n" + NURSE.split(b"\n")[1] + b",1" * 5_000 + b"\n"


DOCTYPE_XML = PBJ_XML.replace(
    "<nursingHomeData",
    '<!DOCTYPE nursingHomeData SYSTEM "http://example.invalid/x.dtd">\n<nursingHomeData',
    1,
)
# name -> (file name, bytes); None: a directory; absent file: the name alone.
HOSTILE: dict[str, tuple[str, bytes | None]] = {
    "empty": ("empty.csv", b""),
    "blank": ("blank.csv", b"  \n\n \r\n"),
    "binary": ("binary.csv", bytes(range(256)) * 64),
    "truncated csv": ("truncated.csv", NURSE[: len(NURSE) // 2]),
    "truncated zip": ("truncated.zip", _zip_of("valid.xml", PBJ_XML.encode())[:200]),
    "zip of junk": ("junk.zip", _zip_of("junk.xml", b"junk")),
    "damaged zip member": ("damaged.zip", _damaged(_zip_of("valid.xml", PBJ_XML.encode()))),
    "cr only": ("mac.csv", NURSE.replace(b"\n", b"\r")),
    "nul": ("nul.csv", NURSE.replace(b"TESTVILLE", b"TEST\x00VILLE", 1)),
    "wide": ("wide.csv", _wide()),
    "utf-16 csv": ("utf16.csv", NURSE.decode().encode("utf-16")),
    "utf-16 xml without bom": ("bomless.xml", PBJ_XML.encode("utf-16-le")),
    "doctype in utf-16": ("doctype.xml", DOCTYPE_XML.encode("utf-16")),
    "junk named xml": ("junk.xml", b"junk, not xml\n"),
    "unterminated quote": ("quote.csv", MDS.replace(b",F1,", b',"F1,', 1)),
    "directory": ("folder.csv", None),
    "missing": ("missing.csv", b"MISSING"),
}


def _make(tmp: Path, case: str) -> Path:
    name, data = HOSTILE[case]
    path = tmp / name
    if data is None:
        path.mkdir()
    elif data != b"MISSING":
        path.write_bytes(data)
    return path


def _run(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    """Run ``carecover ARGV`` through the installed entry point; its exit status."""
    monkeypatch.setattr(sys, "argv", ["carecover", *argv])
    try:
        main()
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return 0


def _check(
    template: list[str],
    case: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # a default store never touches ~
    hostile = _make(tmp_path, case)
    values = {
        "{F}": str(hostile),
        "{DB}": str(tmp_path / "s.duckdb"),
        "{OUT}": str(tmp_path),
        "{OUT_FILE}": str(tmp_path / "out.csv"),
    }
    argv = [values.get(a, a) for a in template]
    code = _run(argv, monkeypatch)
    out = capfd.readouterr()
    assert "Traceback" not in out.err + out.out, out.err
    assert code in {0, 1, 2}, (code, out.err)
    errors = [line for line in out.err.splitlines() if line.startswith("error: ")]
    if code == 1 and out.err.strip():
        assert errors == out.err.strip().splitlines(), out.err


@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_no_command_gives_a_traceback_on_a_hostile_input(
    command: str,
    case: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    _check(COMMANDS[command], case, tmp_path, monkeypatch, capfd)


@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.parametrize("command", list(STORE_COMMANDS))
def test_no_command_gives_a_traceback_on_a_hostile_store(
    command: str,
    case: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
) -> None:
    _check(STORE_COMMANDS[command], case, tmp_path, monkeypatch, capfd)


def _leaf_commands(command: object, prefix: str = "") -> list[str]:
    children = getattr(command, "commands", None)
    if not children:
        return [prefix.strip()]
    names: list[str] = []
    for name, child in children.items():
        names += _leaf_commands(child, f"{prefix} {name}")
    return names


def test_every_command_is_run_over_the_hostile_inputs() -> None:
    commands = set(_leaf_commands(typer.main.get_command(app)))
    run_on_stores = {name.removesuffix(" --db") for name in STORE_COMMANDS}
    assert commands == set(COMMANDS) | run_on_stores | set(NOT_RUN)
