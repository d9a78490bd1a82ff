"""Daily public files read and checked on any engine: Spark refuses a bad file as DuckDB does.

Each bad file is refused by DuckDB's own path (the measures' scan, then the
careful loader) and by ``checked.read_checked`` on DuckDB and on Spark
(``local[1]``): the same file, line, CMS column and message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from carecover.engines import Engine, connect
from carecover.errors import InputError
from carecover.pbj.measures.staffing import quarterly_measures, to_rows
from carecover.pbj.publicfile.checked import daily_table, read_checked
from tests.engines.sessions import assert_same_rows, spark_engine

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pbj"
PLAIN = FIXTURES / "nurse_2024Q2_plain.csv"


@pytest.fixture
def duck() -> Iterator[Engine]:
    engine = connect("duckdb")
    yield engine
    engine.close()


def refusal(call: Callable[..., Any], *args: Any) -> tuple[Any, ...]:
    with pytest.raises(InputError) as caught:
        call(*args)
    e = caught.value
    return (e.file, e.line, e.field, e.reason)


def measured(path: Path) -> Any:
    """DuckDB's own path: the measures' scan, then the careful loader for a bad file."""
    return to_rows(quarterly_measures(path))


def edited(tmp_path: Path, name: str, line: int, old: str, new: str) -> Path:
    """``PLAIN`` with the first ``old`` on line ``line`` replaced by ``new``."""
    lines = PLAIN.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path = tmp_path / name
    path.write_text("".join(lines), encoding="utf-8")
    return path


def bad_files(tmp_path: Path) -> list[Path]:
    return [
        FIXTURES / "negative_hours.csv",
        FIXTURES / "float_ccn.csv",
        FIXTURES / "duplicate_day.csv",
        edited(tmp_path, "outside_quarter.csv", 4, ",20240403,", ",20240703,"),
        edited(tmp_path, "not_a_number.csv", 3, ",24,24,", ",2 4,24,"),
    ]


def test_a_bad_row_is_refused_on_duckdb_naming_file_line_and_column_as_the_loader(
    duck: Engine, tmp_path: Path
) -> None:
    for path in bad_files(tmp_path):
        loader = refusal(measured, path)
        assert refusal(read_checked, duck, path) == loader
        assert loader[0] == str(path)
        assert loader[1] is not None


def test_a_bad_row_is_refused_on_spark_naming_file_line_and_column_as_on_duckdb(
    duck: Engine, tmp_path: Path
) -> None:
    spark = spark_engine()
    for path in bad_files(tmp_path)[:-1]:  # "not a number" is DuckDB's test: few Spark runs
        assert refusal(read_checked, spark, path) == refusal(read_checked, duck, path)


def test_a_facility_day_in_two_files_is_kept_from_the_later_file_as_loading_keeps_it(
    tmp_path: Path,
) -> None:
    later = edited(tmp_path, "later.csv", 2, ",24,24,", ",16,16,")
    files = [PLAIN, later]
    spark = spark_engine()
    table = daily_table(spark, files)
    rows = spark.to_rows(table.order_by(["provnum", "workdate"]))
    assert len(rows) == len(PLAIN.read_text(encoding="utf-8").splitlines()) - 1
    assert_same_rows(
        to_rows(quarterly_measures(files)), spark.to_rows(quarterly_measures(files, engine=spark))
    )
