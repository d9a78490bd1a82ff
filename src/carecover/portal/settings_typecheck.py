"""Settings for static analysis only (the django-stubs mypy plugin imports them).

The real settings refuse to load without ``CARECOVER_SECRET_KEY``; a type
checker has no secrets, so this module supplies a placeholder first.
"""

from __future__ import annotations

import os

os.environ.setdefault("CARECOVER_SECRET_KEY", "typecheck-only-" + "x" * 32)

from carecover.portal.settings import *  # noqa: F403
