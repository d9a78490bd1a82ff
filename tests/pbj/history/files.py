"""The history store's fixture files: two quarters of the daily file and a provider release."""

from __future__ import annotations

from pathlib import Path

HISTORY = Path(__file__).resolve().parents[2] / "fixtures" / "pbj" / "history"
FILES = [
    HISTORY / n for n in ("nurse_2024Q1.csv", "nurse_2024Q2.csv", "NH_ProviderInfo_Oct2024.csv")
]
