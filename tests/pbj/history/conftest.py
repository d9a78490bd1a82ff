"""A history store loaded once per test module from ``files.FILES`` (read-only tests share it).

A module that needs an empty store per test (``test_table``) defines its own ``con``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from carecover.pbj.history.table import load_history
from carecover.pbj.store import connect
from tests.pbj.history.files import FILES


@pytest.fixture(scope="module")
def con() -> Iterator[Any]:
    connection = connect(":memory:")
    load_history(connection, FILES)
    yield connection
    connection.close()
