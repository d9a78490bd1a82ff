"""Running the incidents app's data migrations on old-shaped rows, then restoring the schema."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_incidents(name: str) -> Any:
    """Migrate the incidents app to migration ``name``; the models as they are then.

    Apps that depend on a later incidents migration (their migrations are
    unapplied on the way back) are left out of the returned models, so the
    models are exactly the schema in the database.
    """
    executor = MigrationExecutor(connection)
    executor.migrate([("incidents", name)])
    executor.loader.build_graph()
    applied = sorted(executor.loader.applied_migrations)
    return executor.loader.project_state(applied).apps


def restore_schema() -> None:
    """Every app at its latest migration again (the rest of the suite expects it)."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
