"""What a benchmark compares: its measures, peer groups and columns.

Shared by the benchmark over daily files (``benchmark``) and over the
history store (``history_benchmark``), so neither imports the other for them.
"""

from __future__ import annotations

__all__ = ["BENCHMARK_COLUMNS", "MEASURES", "PEER_GROUPS"]

# The measures benchmarked, higher is more staff except where noted in docs/minimums.md.
MEASURES = (
    "total_hprd",
    "rn_hprd",
    "lpn_hprd",
    "aide_hprd",
    "weekend_total_hprd",
    "weekend_gap_hprd",
    "contract_share",
    "zero_rn_days",
    "rn_under_8h_days",
)
PEER_GROUPS = ("state", "county", "national", "chain", "beds")
BENCHMARK_COLUMNS = (
    "provnum",
    "quarter",
    "measure",
    "value",
    "percentile",
    "peer_median",
    "peers",
    "peer_group",
    "peer_key",
    "excluded",
)
