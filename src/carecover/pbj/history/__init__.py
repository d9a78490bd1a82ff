"""The national history store: every quarter of the public files, and its views.

Until the next release the names of the module this package replaced
(``carecover.pbj.history``, now
``carecover.pbj.history.table``) are found here too (``moved``).
"""

from carecover.pbj.moved import forwarding

__getattr__ = forwarding(__name__, "carecover.pbj.history", "carecover.pbj.history.table")
