"""The backup-staffing web portal (Django), a thin edge over ``carecover.backup``.

How the parts fit:

- ``config`` reads the environment with small typed helpers that raise
  ``ConfigError`` at start-up; ``settings`` turns that into Django settings.
- ``accounts``: organisations (provider agencies with sites, Employers of
  Record, the MCO) and their users, each with one role.
- ``incidents``: members, backup staffing reports (with every version kept)
  and the service-break log. Forms convert to a ``BackupReport`` and let
  ``carecover.backup.validation`` judge it; life-cycle steps call
  ``carecover.backup.lifecycle``. No rule is written twice.
- ``audit``: the append-only record of who did what, when, before and after.
- ``api`` mounts each app's ``api.py`` router as the JSON API at ``/api/``
  (bearer tokens from ``accounts.tokens``; errors answered by ``apierrors``).
- ``headers`` adds the Content-Security-Policy; ``health`` answers ``/healthz``;
  ``demo`` fills a database with the synthetic demo world.

Run it with ``carecover serve`` or manage it with ``python -m carecover.portal``.
"""
