"""``python -m carecover.portal <command>``: Django's management commands."""

from __future__ import annotations

import os
import sys

from carecover.errors import CarecoverError


def main(argv: list[str] | None = None) -> int:
    """Run a Django management command with the portal's settings; 1 on a carecover error."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecover.portal.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(["carecover.portal", *(sys.argv[1:] if argv is None else argv)])
    except CarecoverError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
