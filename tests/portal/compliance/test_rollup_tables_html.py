"""The roll-up page's table rows, built in the view, read as the template loop wrote them."""

from __future__ import annotations

from datetime import date

from django.template import Context, Template

from carecover.backup.rollup import Table
from carecover.portal.compliance.report_views import _body

# The template loop the view's ``_body`` replaced (kept here as the oracle).
LOOP = Template(
    '{% for row in table.rows %}<tr>{% for cell in row %}<td>{{ cell|default_if_none:"n/a" }}'
    '</td>{% endfor %}</tr>{% empty %}<tr><td colspan="{{ table.columns|length }}">None.</td>'
    "</tr>{% endfor %}"
)


def _loop(table: Table) -> str:
    return LOOP.render(Context({"table": table}))


def test_table_rows_render_like_the_template_loop_did() -> None:
    rows = (
        ("900001234A", 3, 12.5, None, date(2026, 7, 1), "<b>&'\""),
        ("=cmd|' /C calc'!A0", 0, 0.0, 2, date(2026, 9, 30), ""),
    )
    table = Table("t", "T", ("a", "b", "c", "d", "e", "f"), rows)
    assert str(_body(table)) == _loop(table)


def test_an_empty_table_says_none_across_its_columns() -> None:
    table = Table("t", "T", ("a", "b"), ())
    assert str(_body(table)) == _loop(table)
