"""A facility's figures: from its own PBJ XML and MDS files (issue 15 §5), and a quarter's
page of figures from its store (``overview.compute_figures``, issue 14 §1).

Framework-free: the CLI (``carecover facility figures``) and the portal's
facility page both call this package.
"""

from __future__ import annotations

from carecover.facility.figures import (
    OwnFigures,
    load_own_files,
    mds_cmi_ratio,
    own_figures,
    turnover_inputs,
)

__all__ = ["OwnFigures", "load_own_files", "mds_cmi_ratio", "own_figures", "turnover_inputs"]
