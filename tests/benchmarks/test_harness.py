"""The harness keeps each command's best run and the ratios within each round."""

from __future__ import annotations

import sys

import pytest
from benchmarks.harness import Command, Timing, best_of, paired_ratios, run_rounds


def _round(*seconds: float) -> list[Timing]:
    return [Timing(f"c{i}", s, 10.0 * (i + 1) + s) for i, s in enumerate(seconds)]


def test_best_of_keeps_each_command_s_fastest_run_and_largest_memory() -> None:
    rounds = [_round(1.0, 2.0), _round(0.8, 2.4), _round(0.9, 1.9)]
    assert best_of(rounds) == [Timing("c0", 0.8, 11.0), Timing("c1", 1.9, 22.4)]


def test_paired_ratios_divide_within_each_round_and_sort() -> None:
    rounds = [_round(1.0, 2.0), _round(0.8, 2.4), _round(1.0, 1.5)]
    assert paired_ratios(rounds, 1, 0) == pytest.approx([1.5, 2.0, 3.0])


def test_run_rounds_times_every_command_in_every_round() -> None:
    quick = Command("true", [sys.executable, "-c", "pass"])
    rounds = run_rounds([quick, quick], repeat=2)
    assert [[t.label for t in r] for r in rounds] == [["true", "true"], ["true", "true"]]
    assert all(t.seconds > 0 and t.peak_mib > 0 for r in rounds for t in r)
