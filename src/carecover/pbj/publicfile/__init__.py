"""CMS's public daily staffing files: reading, the loader rules, loading, synthetic files.

Until the next release the names of the module this package replaced
(``carecover.pbj.publicfile``, now
``carecover.pbj.publicfile.scan``) are found here too (``moved``).
"""

from carecover.pbj.moved import forwarding

__getattr__ = forwarding(__name__, "carecover.pbj.publicfile", "carecover.pbj.publicfile.scan")
