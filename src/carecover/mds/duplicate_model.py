"""The probable-duplicate model: Splink settings with fixed m/u priors, read from data.

The model is ``carecover/data/mds/duplicate_model.json``: a Splink 4 settings
dictionary (``splink_settings``: blocking rules, comparisons, m and u
probabilities) wrapped with its version, effective date, source, the default
threshold, the training settings and the reason behind each prior. Code never
holds a probability: change the file, bump ``version``.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from carecover.errors import ConfigError

__all__ = ["DuplicateModel", "TrainingSettings", "load_duplicate_model"]


@dataclass(frozen=True)
class TrainingSettings:
    """When and how to re-estimate m/u from the data (see ``probable_duplicates``)."""

    min_residents: int
    u_max_pairs: int
    seed: int
    em_blocking_rules: tuple[str, ...]


@dataclass(frozen=True)
class DuplicateModel:
    """One version of the duplicate model."""

    version: int
    effective_from: str
    threshold: float
    training: TrainingSettings
    splink_settings: dict[str, Any]
    validate: bool = False

    def settings(self) -> dict[str, Any]:
        """A fresh copy of the Splink settings (Splink may annotate what it is given)."""
        return copy.deepcopy(self.splink_settings)


def load_duplicate_model(path: Path | None = None) -> DuplicateModel:
    """Read the model file (default: the packaged ``duplicate_model.json``).

    A model read from ``path`` is checked by Splink when used (``validate``);
    the packaged one is checked by the tests.
    """
    if path is None:
        where = "carecover/data/mds/duplicate_model.json"
        text = (
            resources.files("carecover")
            .joinpath("data", "mds", "duplicate_model.json")
            .read_text("utf-8")
        )
    else:
        where = str(path)
        try:
            text = path.read_text("utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot read the duplicate model {where}: {exc}") from exc
    try:
        raw = json.loads(text)
        training = raw["training"]
        model = DuplicateModel(
            version=int(raw["version"]),
            effective_from=str(raw["effective_from"]),
            threshold=float(raw["threshold"]),
            training=TrainingSettings(
                min_residents=int(training["min_residents"]),
                u_max_pairs=int(training["u_max_pairs"]),
                seed=int(training["seed"]),
                em_blocking_rules=tuple(str(r) for r in training["em_blocking_rules"]),
            ),
            splink_settings=dict(raw["splink_settings"]),
            validate=path is not None,
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"the duplicate model {where} is malformed: {exc}") from exc
    _check_levels(model, where)
    return model


def _check_levels(model: DuplicateModel, where: str) -> None:
    # m and u are distributions over a comparison's non-null levels: each sums to 1.
    for comparison in model.splink_settings.get("comparisons", []):
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        for key in ("m_probability", "u_probability"):
            total = sum(float(lv.get(key, 0.0)) for lv in levels)
            if abs(total - 1.0) > 1e-6:
                name = comparison["output_column_name"]
                raise ConfigError(f"the duplicate model {where}: {name} {key} sums to {total}")
