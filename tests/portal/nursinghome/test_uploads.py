"""The upload service: a file is judged whole, then loaded into its facility's store or not at all.

The files are made here from the synthetic generators: Oakwood's PBJ file is
the synthetic one with Oakwood's state (NC), and every bad file is a small
change to a good one, so each test shows one reason for a rejection.
The plain functions at the top are shared with the view and browser tests.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carecover.pbj.calendar import Quarter
from carecover.pbj.publicfile.synth import synthesize_puf
from carecover.portal.audit.models import AuditEvent
from carecover.portal.nursinghome.models import Facility, Upload, UploadKind
from carecover.portal.nursinghome.stores import facility_store
from carecover.portal.nursinghome.uploads import (
    UploadOptions,
    generated_xml_path,
    receive_upload,
)

#: The day the PBJ edits assume: before 2026Q3's deadline (2026-11-14).
TODAY = date(2026, 10, 15)
Q3 = Quarter(2026, 3)

TIMECLOCK_HEADER = (
    "employee_id,hire_date,termination_date,job_title_code,job_title,pay_type_code,"
    "work_date,hours\n"
)
BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>\n'
    b"<nursingHomeData>&lol2;</nursingHomeData>\n"
)


def oakwood_pbj(synthetic: Path) -> bytes:
    """The synthetic 2026Q3 PBJ file for SYN000001, in Oakwood's state (NC)."""
    return synthetic.read_bytes().replace(
        b"<stateCode>OH</stateCode>", b"<stateCode>NC</stateCode>"
    )


def rejected_pbj(synthetic: Path) -> bytes:
    """Oakwood's PBJ file with one payTypeCode 7 (edit -3676, fatal)."""
    return oakwood_pbj(synthetic).replace(
        b"<payTypeCode>1</payTypeCode>", b"<payTypeCode>7</payTypeCode>", 1
    )


def timeclock_csv(rows: list[str] | None = None, quarter: Quarter = Q3) -> bytes:
    """A small time-clock export of ``quarter`` (an RN and a CNA on its first two days)."""
    first, second = quarter.start.isoformat(), quarter.start.replace(day=2).isoformat()
    body = rows or [
        f"E1001,2020-01-06,,7,,1,{first},8",
        f"E1001,2020-01-06,,7,,1,{second},8.5",
        f"E2002,2021-03-01,,10,,2,{first},7.5",
    ]
    return (TIMECLOCK_HEADER + "\n".join(body) + "\n").encode()


def public_file(folder: Path, provnums: tuple[str, ...]) -> bytes:
    """A synthetic Daily Nurse Staffing CSV of 2026Q2 for ``provnums`` (one per facility)."""
    out = folder / f"puf-{'-'.join(provnums)}.csv"
    synthesize_puf(out, facilities=len(provnums), quarter="2026Q2", seed=3)
    text = out.read_text(encoding="utf-8")
    for index, provnum in enumerate(provnums, start=1):
        text = text.replace(f"S{index:05d},", f"{provnum},")
    return text.encode()


def upload_file(name: str, content: bytes) -> SimpleUploadedFile:
    """An uploaded file as Django hands it to a view."""
    return SimpleUploadedFile(name, content)


def store_counts(facility: Facility) -> dict[str, int]:
    """Rows of every table in the facility's store."""
    with facility_store(facility) as con:
        tables = [
            name
            for (name,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY 1"
            ).fetchall()
        ]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in tables}


Receive = Callable[..., Upload]


@pytest.fixture
def receive(homes: dict[str, Any]) -> Receive:
    """Upload ``content`` as ``name`` for a facility (Oakwood), as its administrator."""

    def go(
        kind: UploadKind,
        name: str,
        content: bytes,
        *,
        facility: str = "oakwood",
        options: UploadOptions | None = None,
    ) -> Upload:
        return receive_upload(
            homes[facility],
            homes["users"]["administrator"],
            kind,
            upload_file(name, content),
            options,
            today=TODAY,
        )

    return go


@pytest.fixture
def oakwood(homes: dict[str, Any]) -> Facility:
    """Oakwood Nursing and Rehabilitation (CCN 100000, SYN000001, NC)."""
    facility: Facility = homes["oakwood"]
    return facility


def test_an_accepted_pbj_file_is_loaded_and_its_public_file_days_are_rebuilt(
    receive: Receive, oakwood: Facility, synthetic_files: dict[str, Path]
) -> None:
    upload = receive(UploadKind.PBJ_XML, "oakwood-q3.xml", oakwood_pbj(synthetic_files["pbj_xml"]))
    assert upload.status == "accepted"
    assert upload.quarters == ["2026Q3"]
    report = upload.report
    assert report["records_processed"] > 0
    assert report["records_accepted"] == report["records_processed"]
    assert report["fvr"]["files"][0]["header"]["facilityId"] == "SYN000001"
    counts = store_counts(oakwood)
    assert counts["employee_hours"] > 0
    assert counts["submission_daily_nurse_staffing"] == Q3.days


def test_a_rejected_pbj_file_stores_nothing_but_keeps_its_report(
    receive: Receive, oakwood: Facility, synthetic_files: dict[str, Path]
) -> None:
    before = store_counts(oakwood)
    upload = receive(UploadKind.PBJ_XML, "bad.xml", rejected_pbj(synthetic_files["pbj_xml"]))
    assert store_counts(oakwood) == before
    assert upload.status == "rejected"
    assert Upload.objects.get(pk=upload.pk).report["status"] == "rejected"
    (finding,) = [f for f in upload.report["findings"] if f["edit"] == "-3676"]
    assert finding["severity"] == "fatal"
    assert finding["line"] > 0
    assert finding["employee"]
    assert finding["field"] == "payTypeCode"
    assert {"edit": "-3676", "severity": "fatal", "count": 1}.items() <= next(
        e for e in upload.report["edits"] if e["edit"] == "-3676"
    ).items()
    assert upload.report["message"].startswith(
        f"bad.xml:{finding['line']}: payTypeCode: [-3676] payTypeCode '7' is not 1, 2 or 3"
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            (b"<facilityId>SYN000001</facilityId>", b"<facilityId>SYN000002</facilityId>"),
            "facilityId",
        ),
        ((b"<stateCode>NC</stateCode>", b"<stateCode>OH</stateCode>"), "stateCode"),
    ],
)
def test_a_pbj_file_of_another_facility_or_state_is_refused(
    receive: Receive,
    oakwood: Facility,
    synthetic_files: dict[str, Path],
    change: tuple[bytes, bytes],
    field: str,
) -> None:
    before = store_counts(oakwood)
    content = oakwood_pbj(synthetic_files["pbj_xml"]).replace(*change)
    upload = receive(UploadKind.PBJ_XML, "pinecrest.xml", content)
    assert upload.status == "rejected"
    assert store_counts(oakwood) == before
    assert "for another facility" in upload.report["message"]
    (finding,) = [f for f in upload.report["findings"] if f["edit"] == "facility"]
    assert finding["field"] == field


def test_uploading_the_same_pbj_file_twice_loads_it_once(
    receive: Receive, oakwood: Facility, synthetic_files: dict[str, Path]
) -> None:
    content = oakwood_pbj(synthetic_files["pbj_xml"])
    first = receive(UploadKind.PBJ_XML, "q3.xml", content)
    after_first = store_counts(oakwood)
    second = receive(UploadKind.PBJ_XML, "q3-again.xml", content)
    assert store_counts(oakwood) == after_first
    assert (first.status, second.status) == ("accepted", "accepted")
    assert not first.summary["already_loaded"]
    assert second.summary["already_loaded"]
    assert any(note.startswith("Already loaded") for note in second.report["notes"])


def zipped(members: dict[str, bytes]) -> bytes:
    """A ZIP archive holding ``members``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_of_pbj_files_is_accepted_only_when_every_file_is_the_facilitys(
    receive: Receive, oakwood: Facility, synthetic_files: dict[str, Path]
) -> None:
    own = oakwood_pbj(synthetic_files["pbj_xml"])
    other = own.replace(b"<facilityId>SYN000001</facilityId>", b"<facilityId>RIV0001</facilityId>")
    before = store_counts(oakwood)
    mixed = receive(UploadKind.PBJ_XML, "q3.zip", zipped({"a.xml": own, "b.xml": other}))
    assert mixed.status == "rejected"
    assert store_counts(oakwood) == before
    (finding,) = [f for f in mixed.report["findings"] if f["edit"] == "facility"]
    assert (finding["record"], finding["field"]) == ("q3.zip!b.xml", "facilityId")
    upload = receive(UploadKind.PBJ_XML, "q3.zip", zipped({"a.xml": own}))
    assert upload.status == "accepted"
    assert store_counts(oakwood)["employee_hours"] > 0


def _truncated(synthetic: Path) -> bytes:
    content = oakwood_pbj(synthetic)
    return content[: len(content) // 2]


def _wrong_encoding(synthetic: Path) -> bytes:
    # Declared ASCII, holds a Latin-1 "é": not well-formed.
    return oakwood_pbj(synthetic).replace(b"carecover synth", b"carecover synth\xe9", 1)


@pytest.mark.parametrize(
    ("name", "make", "edit", "text"),
    [
        ("truncated.xml", _truncated, "CC-01", ""),
        ("latin1.xml", _wrong_encoding, "CC-01", ""),
        ("bomb.xml", lambda _: BOMB, "CC-02", "DOCTYPE"),
    ],
)
def test_broken_xml_is_rejected_with_the_line_and_stores_nothing(
    receive: Receive,
    oakwood: Facility,
    synthetic_files: dict[str, Path],
    name: str,
    make: Callable[[Path], bytes],
    edit: str,
    text: str,
) -> None:
    before = store_counts(oakwood)
    upload = receive(UploadKind.PBJ_XML, name, make(synthetic_files["pbj_xml"]))
    assert upload.status == "rejected"
    assert store_counts(oakwood) == before
    (finding,) = [f for f in upload.report["findings"] if f["edit"] == edit]
    assert finding["line"]
    assert text in finding["message"]
    assert upload.report["message"].startswith(f"{name}:{finding['line']}: [{edit}]")


@pytest.mark.parametrize(
    ("kind", "name", "content", "expected"),
    [
        (UploadKind.PBJ_XML, "empty.xml", b"", "empty.xml: the file is empty"),
        (
            UploadKind.PBJ_XML,
            "extract.csv",
            b"STATE_CD,FAC_ID,A0100B\nNC,F0,100000\n",
            "extract.csv:1: this looks like a MDS assessments",
        ),
        (
            UploadKind.PUBLIC_FILE,
            "hours.csv",
            TIMECLOCK_HEADER.encode(),
            "hours.csv:1: this looks like a Time-clock",
        ),
        (UploadKind.TIMECLOCK, "q3.xml", b"<nursingHomeData/>", "q3.xml: a Time-clock"),
        (
            UploadKind.TIMECLOCK,
            "latin1.csv",
            TIMECLOCK_HEADER.encode() + "E1,,,,Infirmière,1,2026-07-01,8\n".encode("latin-1"),
            "latin1.csv: not a readable UTF-8 CSV",
        ),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_with_a_message_naming_it(
    receive: Receive,
    oakwood: Facility,
    kind: UploadKind,
    name: str,
    content: bytes,
    expected: str,
) -> None:
    before = store_counts(oakwood)
    upload = receive(kind, name, content, options=UploadOptions(quarter=Q3))
    assert upload.status == "rejected"
    assert upload.report["message"].startswith(expected)
    assert store_counts(oakwood) == before


def test_a_time_clock_export_becomes_a_pbj_file_that_is_loaded_and_kept(
    receive: Receive, oakwood: Facility
) -> None:
    upload = receive(
        UploadKind.TIMECLOCK, "payroll.csv", timeclock_csv(), options=UploadOptions(Q3)
    )
    assert upload.status == "accepted", upload.report
    assert upload.quarters == ["2026Q3"]
    xml = generated_xml_path(upload)
    assert xml.parent.parent.name == "100000"
    text = xml.read_text(encoding="utf-8")
    assert "<facilityId>SYN000001</facilityId>" in text
    assert "<stateCode>NC</stateCode>" in text
    assert upload.summary["generated_xml"]
    assert store_counts(oakwood)["employee_hours"] == 3
    assert upload.report["notes"][0].startswith("Turned 3 rows into a PBJ file for SYN000001")


def test_a_time_clock_export_with_bad_rows_lists_every_one_and_stores_nothing(
    receive: Receive, oakwood: Facility
) -> None:
    before = store_counts(oakwood)
    rows = [
        "E1001,2020-01-06,,7,,1,2026-07-01,8",
        "E1001,2020-01-06,,7,,9,2026-07-02,8",
        "E2002,2021-03-01,,10,,2,2026-07-xx,7.5",
    ]
    upload = receive(
        UploadKind.TIMECLOCK, "payroll.csv", timeclock_csv(rows), options=UploadOptions(Q3)
    )
    assert upload.status == "rejected"
    assert store_counts(oakwood) == before
    found = [(f["line"], f["field"]) for f in upload.report["findings"]]
    assert found == [(3, "pay_type_code"), (4, "work_date")]
    assert upload.report["message"].startswith("payroll.csv:3: pay_type_code:")
    assert not generated_xml_path(upload).exists()


def test_a_job_title_mapping_file_names_the_payroll_titles(
    receive: Receive, oakwood: Facility
) -> None:
    rows = ["E1001,2020-01-06,,,Night Charge Nurse,1,2026-07-01,8"]
    mapping = upload_file("titles.csv", b"job_title,job_title_code\nNight Charge Nurse,7\n")
    without = receive(UploadKind.TIMECLOCK, "p.csv", timeclock_csv(rows), options=UploadOptions(Q3))
    assert without.status == "rejected"
    assert "Night Charge Nurse" in without.report["message"]
    upload = receive(
        UploadKind.TIMECLOCK,
        "p.csv",
        timeclock_csv(rows),
        options=UploadOptions(Q3, "merge", mapping),
    )
    assert upload.status == "accepted", upload.report["message"]


def test_an_mds_extract_is_loaded_and_refused_records_are_listed_without_identity(
    receive: Receive, oakwood: Facility, synthetic_files: dict[str, Path]
) -> None:
    lines = synthetic_files["mds"].read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    bad = lines[1].split(",")
    bad[header.index("A0900")] = "19451302"  # an impossible birth date
    bad[header.index("A0310F")] = "77"
    content = "\n".join([lines[0], ",".join(bad), *lines[2:]]) + "\n"
    upload = receive(UploadKind.MDS, "mds.csv", content.encode())
    assert upload.status == "accepted"
    assert upload.report["records_rejected"] == 1
    assert upload.report["records_accepted"] == len(lines) - 2
    assert store_counts(oakwood)["mds_assessments"] == len(lines) - 2
    items = {f["field"]: f for f in upload.report["findings"]}
    assert set(items) == {"A0900", "A0310F"}
    assert items["A0310F"]["record"] == "line 2"
    assert items["A0310F"]["line"] == 2
    stored = json.dumps(upload.report)
    for identifying in (bad[header.index(c)] for c in ("A0500A", "A0500C", "A0600A", "A0900")):
        assert identifying not in stored


def test_mds_records_of_another_facility_are_refused(
    receive: Receive, homes: dict[str, Any], synthetic_files: dict[str, Path]
) -> None:
    pinecrest = homes["pinecrest"]
    before = store_counts(pinecrest)
    content = synthetic_files["mds"].read_bytes()
    upload = receive(UploadKind.MDS, "oakwood-mds.csv", content, facility="pinecrest")
    assert upload.status == "rejected"
    assert store_counts(pinecrest) == before
    first = next(f for f in upload.report["findings"] if f["edit"] == "facility")
    assert (first["record"], first["field"]) == ("line 2", "A0100B")
    assert "not 100001" in first["message"]


def test_the_same_mds_file_twice_is_loaded_once(
    receive: Receive, oakwood: Facility, synthetic_files: dict[str, Path]
) -> None:
    content = synthetic_files["mds"].read_bytes()
    receive(UploadKind.MDS, "mds.csv", content)
    after_first = store_counts(oakwood)
    again = receive(UploadKind.MDS, "mds.csv", content)
    assert store_counts(oakwood) == after_first
    assert again.summary["already_loaded"]


def test_mds_after_pbj_rebuilds_the_census_of_the_pbj_quarter(
    receive: Receive, oakwood: Facility, synthetic_files: dict[str, Path]
) -> None:
    receive(UploadKind.PBJ_XML, "q3.xml", oakwood_pbj(synthetic_files["pbj_xml"]))
    receive(UploadKind.MDS, "mds.csv", synthetic_files["mds"].read_bytes())
    with facility_store(oakwood) as con:
        ((census,),) = con.execute(
            "SELECT sum(mdscensus) FROM submission_daily_nurse_staffing WHERE quarter = '2026Q3'"
        ).fetchall()
    assert census > 0


def test_a_public_file_of_the_facility_is_loaded_and_one_with_other_provnums_refused(
    receive: Receive, oakwood: Facility, tmp_path: Path
) -> None:
    mixed = receive(UploadKind.PUBLIC_FILE, "puf.csv", public_file(tmp_path, ("100000", "345678")))
    assert mixed.status == "rejected"
    assert "345678" in mixed.report["findings"][0]["message"]
    assert mixed.report["findings"][0]["field"] == "PROVNUM"
    assert store_counts(oakwood).get("daily_nurse_staffing", 0) == 0
    own = receive(UploadKind.PUBLIC_FILE, "puf.csv", public_file(tmp_path, ("100000",)))
    assert own.status == "accepted", own.report["message"]
    assert own.quarters == ["2026Q2"]
    assert store_counts(oakwood)["daily_nurse_staffing"] == Quarter(2026, 2).days


def test_a_public_file_row_that_cannot_be_read_is_named_by_line_and_column(
    receive: Receive, oakwood: Facility, tmp_path: Path
) -> None:
    lines = public_file(tmp_path, ("100000",)).decode().splitlines()
    lines[5] = lines[5].replace(",2026Q2,", ",2026Q9,")
    upload = receive(UploadKind.PUBLIC_FILE, "puf.csv", ("\n".join(lines) + "\n").encode())
    assert upload.status == "rejected"
    assert upload.report["message"].startswith("puf.csv:6: CY_Qtr:")
    assert store_counts(oakwood).get("daily_nurse_staffing", 0) == 0


@pytest.mark.parametrize(("column", "value"), [("Hrs_RN", "nan"), ("MDScensus", "3000000000")])
def test_a_public_file_with_a_bad_number_is_refused_by_line_and_column(
    receive: Receive, oakwood: Facility, tmp_path: Path, column: str, value: str
) -> None:
    # The same rule as ``pbj load`` (issue 12 §1): never computed, never stored.
    rows = list(csv.reader(io.StringIO(public_file(tmp_path, ("100000",)).decode())))
    rows[5][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    upload = receive(UploadKind.PUBLIC_FILE, "puf.csv", out.getvalue().encode())
    assert upload.status == "rejected"
    assert upload.report["message"].startswith(f"puf.csv:6: {column}: ")
    assert store_counts(oakwood).get("daily_nurse_staffing", 0) == 0


def test_each_upload_is_audited_without_its_content(
    receive: Receive, synthetic_files: dict[str, Path]
) -> None:
    upload = receive(UploadKind.MDS, "mds.csv", synthetic_files["mds"].read_bytes())
    event = AuditEvent.objects.get(object_type="nursinghome.upload", object_id=str(upload.pk))
    assert event.after is not None
    assert event.after["status"] == "accepted"
    assert event.after["facility"] == "100000"
    assert event.actor_username == "nadia"


def test_the_users_file_name_is_shown_but_never_used_as_a_path(
    receive: Receive, oakwood: Facility, facility_stores: Path
) -> None:
    upload = receive(
        UploadKind.TIMECLOCK, "../../evil.csv", timeclock_csv(), options=UploadOptions(Q3)
    )
    assert upload.original_name == "evil.csv"
    assert upload.status == "accepted"
    assert generated_xml_path(upload) == facility_stores / "100000" / "uploads" / f"{upload.pk}.xml"
    assert not (facility_stores.parent / "evil.csv").exists()
    assert list((facility_stores / "100000" / "incoming").iterdir()) == []


def test_an_ambiguous_job_title_is_never_defaulted_and_the_users_mapping_decides(
    receive: Receive, oakwood: Facility
) -> None:
    before = store_counts(oakwood)
    rows = ["E1001,2020-01-06,,,MDS Coordinator,1,2026-07-01,8"]
    without = receive(UploadKind.TIMECLOCK, "p.csv", timeclock_csv(rows), options=UploadOptions(Q3))
    assert without.status == "rejected"
    assert store_counts(oakwood) == before
    assert "'MDS Coordinator': 6 (" in without.report["message"]
    assert "or 8 (" in without.report["message"]
    mapping = upload_file("titles.csv", b"job_title,job_title_code\nMDS Coordinator,8\n")
    upload = receive(
        UploadKind.TIMECLOCK,
        "p.csv",
        timeclock_csv(rows),
        options=UploadOptions(Q3, "merge", mapping),
    )
    assert upload.status == "accepted", upload.report["message"]
