"""A facility's own figures from its own PBJ XML and MDS files (issue 15 §5).

Framework-free: the CLI (``carecover facility figures``) calls it, and the
portal's facility page reaches the same domain functions.
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
