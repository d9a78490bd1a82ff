"""carecover: staffing compliance in long-term care.

Domain packages (framework-free):

- ``carecover.backup`` -- NC Innovations backup staffing: classifying service
  interruptions, Failure to Provide Backup Staffing reports, reporting periods,
  compliance and the MCO's roll-ups.
- ``carecover.pbj`` -- Payroll-Based Journal: codes, calendar, public files and
  staffing measures.

The CLI (``carecover.cli``) is a thin layer over these packages.
"""

__version__ = "0.1.0"
