"""``carecover rating ...``: Five-Star staffing ratings, star cards and projections."""

from __future__ import annotations

import typer

from carecover.cli import rating_project, rating_stars

app = typer.Typer(
    help="Five-Star staffing rating: recompute CMS's stars, explain them, project a quarter.",
    no_args_is_help=True,
)
rating_stars.register(app)
rating_project.register(app)
