"""The overall rating: inspection stars moved by staffing and QM stars."""

from __future__ import annotations

import pytest

from carecover.rating.methods import method
from carecover.rating.overall import overall_rating, overall_steps


@pytest.mark.parametrize(
    ("name", "hi", "staffing", "qm", "expected"),
    [
        ("2024-07", 3, 5, 3, 4),
        ("2024-07", 3, 4, 3, 3),  # a 4-star staffing rating no longer adds a star
        ("2019-04", 3, 4, 3, 4),  # it did before July 2022, when above the inspection rating
        ("2019-04", 4, 4, 3, 4),  # ...but not when equal to it
        ("2024-07", 3, 1, 3, 2),
        ("2024-07", 3, 3, 5, 4),
        ("2024-07", 3, 3, 1, 2),
        ("2024-07", 5, 5, 5, 5),
        ("2024-07", 1, 1, 1, 1),
        ("2024-07", 1, 5, 5, 2),  # one inspection star: at most one star up
    ],
)
def test_it_applies_the_versions_staffing_and_qm_steps(
    name: str, hi: int, staffing: int, qm: int, expected: int
) -> None:
    m = method(name)
    assert overall_rating([hi], [staffing], [qm], m)[0] == expected
    assert overall_steps(hi, staffing, qm, m)[-1] == f"overall rating: {expected}"


def test_a_missing_staffing_rating_skips_its_step() -> None:
    m = method("2024-07")
    assert overall_rating([3], [float("nan")], [5], m)[0] == 4
    assert "no staffing step" in overall_steps(3, None, 5, m)[1]
