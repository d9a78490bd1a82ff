"""In-app notifications and e-mails: reporting deadlines, returned reports, plans.

``carecover.backup.reminders`` decides which reminders are due; ``scanning``
gathers the facts from the database, ``delivery`` turns each reminder into a
notification per recipient (once: keyed) and an e-mail for those who chose
it; ``tasks`` runs the scan on django-tasks' database queue, re-scheduling
itself (``carecover worker``).
"""
