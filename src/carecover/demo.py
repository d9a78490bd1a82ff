"""``make demo``: a walk-through of carecover on demo data.

Runs the real CLI, command by command, the way the README shows it, on
synthetic backup-staffing reports and on CMS's public PBJ rows shipped in
``../shared/data`` (when present beside the repository).
"""

from __future__ import annotations

import shlex
import subprocess
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

# An installed checkout sits beside ../shared (src/carecover/demo.py -> repo -> its parent).
SHARED_PBJ = Path(__file__).resolve().parents[3] / "shared" / "data" / "pbj"


def _run(*args: str, allow_fail: bool = False) -> None:
    shown = " ".join(shlex.quote(a) for a in args)
    print(f"\n\033[1m$ carecover {shown}\033[0m", flush=True)
    proc = subprocess.run([sys.executable, "-m", "carecover", *args], check=False)  # noqa: S603
    if proc.returncode != 0 and not allow_fail:
        raise SystemExit(f"demo step failed (exit {proc.returncode}): carecover {shown}")


def _heading(text: str) -> None:
    print(f"\n\033[1;34m== {text} ==\033[0m", flush=True)


def main() -> None:
    """Run the demo walk-through."""
    today = date.today().isoformat()
    with tempfile.TemporaryDirectory(prefix="carecover-demo-") as tmp:
        work = Path(tmp)
        _heading("1. Is this interruption reportable? (the seed's scenarios)")
        _run("backup", "classify", "--cause", "member_vacation", "--backup", "not_offered")
        _run("backup", "classify", "--cause", "staff_quit", "--backup", "declined")
        _run(
            "backup",
            "classify",
            "--cause",
            "staff_no_show",
            "--backup",
            "unavailable",
            "--late-notice",
            "--harm",
            "--json",
        )

        _heading("2. Reference data: services and reasons")
        _run("backup", "services", "--search", "T2013")
        _run("backup", "reasons")

        _heading("3. Six months of reports from 4 agencies and 4 Employers of Record")
        data = work / "backup"
        _run("synth", "backup", "-o", str(data), "--today", today)
        reports = str(data / "reports.csv")
        _run("backup", "validate", reports)

        _heading("4. Compliance per provider and reporting period")
        month = date.today().replace(day=1)
        _run(
            "backup",
            "periods",
            reports,
            "--from",
            month.isoformat(),
            "--to",
            today,
            "--attestations",
            str(data / "attestations.csv"),
            "--providers",
            str(data / "providers.csv"),
        )

        _heading("5. The MCO's roll-ups")
        previous = (month - timedelta(days=1)).strftime("%Y-%m")
        _run(
            "backup",
            "summary",
            reports,
            "--period",
            previous,
            "--kind",
            "monthly",
            "--attestations",
            str(data / "attestations.csv"),
            "--providers",
            str(data / "providers.csv"),
        )
        xlsx = work / "hrc.xlsx"
        _run(
            "backup",
            "summary",
            reports,
            "--period",
            previous,
            "--kind",
            "quarterly-hrc",
            "--format",
            "xlsx",
            "-o",
            str(xlsx),
        )
        print(f"(wrote {xlsx.stat().st_size:,} bytes of XLSX)")

        _heading("6. From EVV visit records to reports: last month's missed visits")
        visits = work / "visits.csv"
        _run("synth", "visits", "-o", str(visits), "--month", previous)
        _run("backup", "from-visits", str(visits))

        _pbj_demo(work)
    print("\nDone. `carecover --help` lists every command; README.md explains each.")
    print("`carecover serve --demo` serves the web portal on demo data (`make demo` does).")


def _pbj_demo(work: Path) -> None:
    real = SHARED_PBJ / "PBJ_Daily_Nurse_Staffing_CY2024Q2_015009.csv"
    if not real.exists():
        print("\n(../shared/data/pbj is not beside the repository: skipping the PBJ part)")
        return
    _heading("7. Nurse staffing from CMS's public PBJ file (facility 015009, 2024Q2)")
    _run("pbj", "measures", str(real))
    _run("pbj", "coverage", str(real))
    _heading("8. A synthetic PBJ submission, validated as CMS would")
    xml = work / "pbj.xml"
    _run("synth", "pbj-xml", "--facilities", "1", "--quarter", "2026Q3", "-o", str(xml))
    _run("pbj", "validate", str(xml), "--submitted-on", "2026-11-01", allow_fail=True)


if __name__ == "__main__":
    main()
