"""A facility's measures beside its peers': value, percentile, peer median. One rule, in Ibis.

Both benchmarks use it: over the daily files (``benchmark``, facility-quarters
computed by ``measures.quarterly_expression``) and over the history store
(``history_benchmark``, its ``history_measures`` table, which adds chain,
beds and turnover). Each brings a table of one row per facility-quarter with
``provnum``, ``quarter``, ``peer_key`` (who counts as a peer), ``excluded``
and the measure columns:

- the peers of a facility-quarter are the rows of the same quarter and peer
  key that CMS's exclusion rules keep and that have a value; a facility
  whose own quarter is excluded, or has no value, gets no percentile;
- percentile = 100 × (peers below + ½ × peers equal, the facility included)
  ÷ peers: the mid-rank percentile, so ties share one value;
- the peer median is the interpolated median of the peers' values.

Only the facility's own peer groups are unpivoted and compared, so a store of
a few hundred thousand facility-quarters answers in a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["compare_with_peers"]

_GROUP = ["quarter", "measure", "peer_key"]


def _long(wide: Any, keys: Sequence[str], measures: Sequence[str]) -> Any:
    """One row per facility-quarter and measure, the value as float64."""
    typed = wide.select(*keys, **{m: wide[m].cast("float64") for m in measures})
    return typed.pivot_longer(list(measures), names_to="measure", values_to="value")


def compare_with_peers(
    wide: Any, *, facility: Any, measures: Sequence[str], peer_group: str
) -> Any:
    """The benchmark rows (``peer_groups.BENCHMARK_COLUMNS``) of ``facility`` in ``wide``.

    One row per quarter of the facility in ``wide`` and measure, ordered by
    quarter; ``peer_group`` names the grouping in the ``peer_group`` column.
    ``facility`` is a CCN or an Ibis string (a run-time parameter).
    """
    import ibis

    mine = _long(
        wide.filter(wide.provnum == facility),
        ["provnum", "quarter", "peer_key", "excluded"],
        measures,
    )
    groups = mine.select("quarter", "peer_key").distinct()
    candidates = wide.filter(~wide.excluded).semi_join(groups, ["quarter", "peer_key"])
    peers = _long(candidates, ["quarter", "peer_key"], measures)
    peers = peers.filter(peers.value.notnull())
    paired = peers.join(mine.select(*_GROUP, own=mine.value), _GROUP)
    stats = paired.group_by(_GROUP).aggregate(
        peers=paired.count(),
        peer_median=paired.value.median(),
        below=paired.count(where=paired.value < paired.own),
        equal=paired.count(where=paired.value == paired.own),
    )
    joined = mine.left_join(stats, _GROUP)
    percentile = (100 * (joined.below + 0.5 * joined.equal) / joined.peers).round(1)
    rated = ~mine.excluded & mine.value.notnull()
    return joined.select(
        provnum=mine.provnum,
        quarter=mine.quarter,
        measure=mine.measure,
        value=mine.value.round(5),
        percentile=ibis.cases((rated, percentile), else_=ibis.null("float64")),
        peer_median=joined.peer_median.round(5),
        peers=joined.peers.fill_null(0).cast("int64"),
        peer_group=ibis.literal(peer_group),
        peer_key=mine.peer_key,
        excluded=mine.excluded,
    ).order_by("quarter")
