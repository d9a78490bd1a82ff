"""``carecover synth ...``: synthetic data shared by tests, demo and benchmarks."""

from __future__ import annotations

import typer

from carecover.cli import (
    synth_backup,
    synth_employee_detail,
    synth_mds,
    synth_pbj_xml,
    synth_puf,
    synth_visits,
)

app = typer.Typer(
    help="Synthetic data with realistic national distributions.", no_args_is_help=True
)
synth_backup.register(app)
synth_puf.register(app)
synth_pbj_xml.register(app)
synth_mds.register(app)
synth_visits.register(app)
synth_employee_detail.register(app)
