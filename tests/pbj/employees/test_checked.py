"""Employee Detail files read and checked on Spark itself: the same rows, errors and measures.

Each test reads the same small files on DuckDB (its own scan) and on Spark
(``local[1]``, ``Engine.read_text`` and the same rules) and compares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from carecover.engines import Engine, connect
from carecover.errors import InputError
from carecover.pbj.employees.detail import COLUMNS, employee_table
from carecover.pbj.employees.measures import contract_share, hour_outliers, weekend_staffing
from tests.engines.sessions import assert_same_rows, spark_engine

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pbj" / "employee_detail"
GOOD = FIXTURES / "two_facilities_2024Q2.csv"
HEADER = "PROVNUM,CY_Qtr,SYS_EMPLYEE_ID,WorkDate,JOB_TITLE_CD,PAY_TYPE_CD,HRS_WRKD\n"


@pytest.fixture
def duck() -> Iterator[Engine]:
    engine = connect("duckdb")
    yield engine
    engine.close()


def rows(engine: Engine, paths: list[Path]) -> list[dict[str, Any]]:
    return engine.to_rows(employee_table(engine, paths).order_by(list(COLUMNS)))


def error_of(engine: Engine, path: Path) -> tuple[Any, ...]:
    with pytest.raises(InputError) as caught:
        engine.to_rows(employee_table(engine, [path]))
    e = caught.value
    return (e.file, e.line, e.field, e.reason)


def test_files_with_repeated_rows_give_the_same_rows_and_measures_on_both_engines(
    duck: Engine, tmp_path: Path
) -> None:
    repeated = tmp_path / "repeated.csv"
    # RN-1 on 5 April twice in this file: the later row's 6 hours count; and GOOD's
    # 8 hours for that day are replaced, this file coming after it.
    repeated.write_text(
        HEADER + "015001,2024Q2,RN-1,20240405,7,2,7\n"
        "015001,2024Q2,RN-9,20240405,7,2,4\n"
        "015001,2024Q2,RN-1,20240405,7,2,6\n",
        encoding="utf-8",
    )
    files = [GOOD, FIXTURES / "long_month_drifted_header.csv", repeated]
    spark = spark_engine()
    on_duck, on_spark = rows(duck, files), rows(spark, files)
    assert_same_rows(on_duck, on_spark)
    rn1 = [r["hours"] for r in on_spark if r["employee_id"] == "RN-1" and r["workdate"].day == 5]
    assert rn1 == [6.0]
    measures: list[Callable[[Any], Any]] = [contract_share, weekend_staffing, hour_outliers]
    for measure in measures:
        assert_same_rows(
            duck.to_rows(measure(employee_table(duck, files))),
            spark.to_rows(measure(employee_table(spark, files))),
        )


@pytest.mark.parametrize(
    "name",
    ["negative_hours.csv", "quoted_line_breaks_then_bad_hours.csv", "unterminated_quote.csv"],
)
def test_a_bad_file_is_refused_on_spark_naming_file_line_and_field_as_on_duckdb(
    duck: Engine, name: str
) -> None:
    on_duck = error_of(duck, FIXTURES / name)
    on_spark = error_of(spark_engine(), FIXTURES / name)
    assert on_spark == on_duck
    assert on_spark[0] == str(FIXTURES / name)


def test_a_windows_1252_file_reads_the_same_on_both_engines(duck: Engine) -> None:
    path = FIXTURES / "cp1252_names.csv"
    on_spark = rows(spark_engine(), [path])
    assert_same_rows(rows(duck, [path]), on_spark)
    assert len(on_spark) == 2


def test_a_byte_of_neither_encoding_is_refused_naming_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bad_byte.csv"
    # 0x81 is no character of Windows-1252, and the text is not UTF-8.
    path.write_bytes(
        HEADER.encode() + b"015001,2024Q2,RN-1,20240405,7,2,8\n015001,2024Q2,R\x81,20240406,7,2,8\n"
    )
    with pytest.raises(InputError) as caught:
        employee_table(spark_engine(), [path])
    assert (caught.value.file, caught.value.line) == (str(path), 3)
