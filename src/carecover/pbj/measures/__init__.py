"""Staffing measures and comparisons: HPRD, RN coverage, minimums, peers.

Until the next release the names of the module this package replaced
(``carecover.pbj.measures``, now
``carecover.pbj.measures.staffing``) are found here too (``moved``).
"""

from carecover.pbj.moved import forwarding

__getattr__ = forwarding(__name__, "carecover.pbj.measures", "carecover.pbj.measures.staffing")
