"""`make bench`'s BENCH_ONLY: which scenarios, and so which servers, a run measures."""

from __future__ import annotations

import pytest

from bench.options import BenchOptions
from bench.scenarios import SCENARIOS, selected


def only(monkeypatch: pytest.MonkeyPatch, value: str) -> tuple[str, ...]:
    monkeypatch.setenv("BENCH_ONLY", value)
    return BenchOptions.from_environment().only


def test_no_selection_measures_every_scenario(monkeypatch):
    monkeypatch.delenv("BENCH_ONLY", raising=False)
    assert selected(BenchOptions.from_environment().only) == SCENARIOS


def test_fragments_select_the_scenarios_whose_names_contain_them(monkeypatch):
    chosen = selected(only(monkeypatch, " Update , list "))
    assert [scenario.name for scenario in chosen] == [
        "filtered list page (20 items)",
        "update command (PATCH full_name)",
    ]


def test_a_selection_matching_nothing_is_refused_with_the_names_to_choose_from(monkeypatch):
    with pytest.raises(ValueError, match="matches no scenario") as refused:
        selected(only(monkeypatch, "patch-everything"))
    assert all(scenario.name in str(refused.value) for scenario in SCENARIOS)
