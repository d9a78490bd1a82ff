"""One Spark engine for the whole test session (a SparkSession takes ~15-30 s to start)."""

from __future__ import annotations

import math
from functools import cache
from typing import Any

from carecover.engines.spark import SparkEngine

__all__ = ["assert_same_rows", "spark_engine"]


@cache
def spark_engine() -> SparkEngine:
    """The tests' shared engine on ``local[1]`` (one shuffle partition: tiny fixtures)."""
    return SparkEngine.start("local[1]", partitions=1)


def assert_same_rows(left: list[dict[str, Any]], right: list[dict[str, Any]]) -> None:
    """Equal rows in equal order, floats equal to 1e-9 (sums may add in another order)."""
    assert len(left) == len(right)
    for a, b in zip(left, right, strict=True):
        assert list(a) == list(b)
        for name in a:
            x, y = a[name], b[name]
            if isinstance(x, float) and isinstance(y, float):
                assert math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-9), (name, x, y)
            else:
                assert x == y, (name, x, y)
                assert type(x) is type(y), (name, x, y)
