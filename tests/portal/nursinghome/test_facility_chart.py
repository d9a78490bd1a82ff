"""The HPRD chart's layout: total and RN per quarter, CMS's columns beside the facility's."""

from __future__ import annotations

from carecover.portal.nursinghome.hprd_chart import hprd_chart


def row(quarter: str, total: float | None, rn: float | None) -> dict[str, object]:
    return {"quarter": quarter, "total_hprd": total, "rn_hprd": rn}


def test_cms_columns_stand_beside_the_facilitys_own_where_cms_has_the_quarter() -> None:
    chart = hprd_chart(
        [row("2026Q2", 3.9, 0.8), row("2026Q3", 3.7, 0.7)], [row("2026Q2", 3.8, 0.75)]
    )
    assert [css for css, _ in chart.legend] == ["own-total", "own-rn", "cms-total", "cms-rn"]
    assert [(c.quarter, c.series) for c in chart.columns] == [
        ("2026Q2", "own-total"),
        ("2026Q2", "own-rn"),
        ("2026Q2", "cms-total"),
        ("2026Q2", "cms-rn"),
        ("2026Q3", "own-total"),
        ("2026Q3", "own-rn"),
    ]
    assert [label for label, _ in chart.labels] == ["2026Q2", "2026Q3"]


def test_the_highest_value_fills_the_chart_and_columns_sit_on_the_baseline() -> None:
    chart = hprd_chart([row("2026Q3", 4.0, 1.0)], [])
    total, rn = chart.columns
    assert total.height == chart.baseline - 20
    assert rn.height == total.height / 4
    assert total.y + total.height == chart.baseline
    assert rn.x > total.x + total.width - 0.001
    assert [css for css, _ in chart.legend] == ["own-total", "own-rn"]


def test_a_missing_measure_draws_no_column_and_no_data_draws_nothing() -> None:
    assert [c.series for c in hprd_chart([row("2026Q3", 3.0, None)], []).columns] == ["own-total"]
    empty = hprd_chart([], [])
    assert empty.columns == ()
    assert empty.legend == ()
