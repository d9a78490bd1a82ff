"""The root Typer application; each domain adds its command group here."""

from __future__ import annotations

import typer

from carecover.cli import backup, mds, pbj, serve, synth

app = typer.Typer(
    name="carecover",
    help="Staffing compliance in long-term care.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(backup.app, name="backup")
app.add_typer(pbj.app, name="pbj")
app.add_typer(mds.app, name="mds")
app.add_typer(synth.app, name="synth")
serve.register(app)


@app.callback()
def _root() -> None:
    """Staffing compliance in long-term care."""
