"""``carecover serve --demo``'s login table: every user name whole, whatever the width."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from carecover.cli.serve import print_logins

LOGINS = [
    (
        "blue-ridge-family-services-submitter",
        "s3cret-Pass-word",
        "Submitter",
        "Blue Ridge Family Services of Western North Carolina",
    ),
    ("mco-analyst", "s3cret-Pass-word", "MCO analyst", "Demo MCO"),
]


@pytest.mark.parametrize("width", [40, 60, 80, 200])
def test_a_terminal_shows_every_user_name_whole_at_any_width(width: int) -> None:
    out = io.StringIO()
    print_logins(LOGINS, Console(file=out, width=width, force_terminal=True, color_system=None))
    lines = out.getvalue().splitlines()
    for login in LOGINS:
        assert any(login[0] in line for line in lines), (width, login[0])


def test_a_pipe_gets_a_plain_list_one_login_a_line() -> None:
    out = io.StringIO()
    print_logins(LOGINS, Console(file=out, width=20, force_terminal=False))
    lines = out.getvalue().splitlines()
    assert lines[0] == "user name\tpassword\trole\torganisation"
    assert lines[1].split("\t") == [
        "blue-ridge-family-services-submitter",
        "s3cret-Pass-word",
        "Submitter",
        "Blue Ridge Family Services of Western North Carolina",
    ]
    assert len(lines) == 3
