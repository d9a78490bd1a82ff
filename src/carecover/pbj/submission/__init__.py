"""A facility's PBJ submission: the XML, its checks, reports and store.

Until the next release the names of the module this package replaced
(``carecover.pbj.submission``, now
``carecover.pbj.submission.records``) are found here too (``moved``).
"""

from carecover.pbj.moved import forwarding

__getattr__ = forwarding(__name__, "carecover.pbj.submission", "carecover.pbj.submission.records")
