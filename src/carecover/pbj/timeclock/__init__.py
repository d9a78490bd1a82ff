"""Time-clock and payroll exports: shifts, a submission from them, on-site RN.

Until the next release the names of the module this package replaced
(``carecover.pbj.timeclock``, now
``carecover.pbj.timeclock.export``) are found here too (``moved``).
"""

from carecover.pbj.moved import forwarding

__getattr__ = forwarding(__name__, "carecover.pbj.timeclock", "carecover.pbj.timeclock.export")
