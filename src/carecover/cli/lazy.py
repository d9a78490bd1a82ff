"""Command groups that are imported only when they run.

``carecover pbj measures`` should not pay for importing openpyxl, Django or
the rating tables of other groups; ``carecover --help`` should import none.
The root group lists each lazy group under its name with a one-line help
text; the first time the group is run (or its ``commands`` are read, as the
README test does), its module is imported and the real Typer group takes
over: it parses the arguments, prints its own ``--help`` and runs.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

__all__ = ["LazyCommand", "lazy_root"]


class LazyCommand(TyperCommand):
    """Stands for the command or group that ``module`` defines until it is needed.

    The module defines ``app`` (a Typer group) or ``register(app)`` (one command).
    """

    def __init__(self, name: str, module: str, help: str) -> None:
        super().__init__(name, help=help)
        self.module = module
        self._real: Any = None

    def real(self) -> Any:
        """The command the module defines (imported on first use)."""
        if self._real is None:
            module = importlib.import_module(self.module)
            # Built under a root without completion options, as add_typer would.
            root = typer.Typer(add_completion=False)
            group = getattr(module, "app", None)
            if group is None:
                module.register(root)
                self._real = typer.main.get_command(root)
            else:
                root.add_typer(group, name=self.name)
                parent: Any = typer.main.get_command(root)
                self._real = parent.commands[self.name]
            self._real.name = self.name
        return self._real

    @property
    def commands(self) -> Any:
        """The real group's subcommands (``None`` for a single command)."""
        return getattr(self.real(), "commands", None)

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        """Let the real command parse the arguments (and answer ``--help``)."""
        return self.real().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        """Run the real command."""
        return self.real().invoke(ctx)


def lazy_root(groups: Mapping[str, tuple[str, str]]) -> type[TyperGroup]:
    """A root group class listing ``groups`` (name -> (module, help)) before eager commands."""

    class LazyRoot(TyperGroup):
        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            lazy = {name: LazyCommand(name, mod, text) for name, (mod, text) in groups.items()}
            self.commands = {**lazy, **self.commands}

    return LazyRoot
