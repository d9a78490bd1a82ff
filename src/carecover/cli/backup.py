"""``carecover backup ...``: the backup-staffing rules engine."""

from __future__ import annotations

import typer

from carecover.cli import (
    backup_compliance,
    backup_mco_export,
    backup_reports,
    backup_rules,
    backup_visits,
)

app = typer.Typer(
    help="Backup staffing (NC Innovations): classify, validate, roll up.", no_args_is_help=True
)
backup_rules.register(app)
backup_reports.register(app)
backup_compliance.register(app)
backup_visits.register(app)
backup_mco_export.register(app)
