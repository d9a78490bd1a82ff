"""``python -m carecover`` runs the CLI."""

from carecover.cli import main

main()
