"""The lint problem store: what a huge run writes to disk comes back whole and in order."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from perfgoals.lint import store as store_module
from perfgoals.lint.store import ProblemStore
from perfgoals.problems import Problem

_problem = st.builds(Problem, st.just(""), st.integers(1, 50), st.integers(1, 9), st.text(max_size=5),
                     st.sampled_from(["a-rule", "b-rule"]), st.sampled_from(["error", "warning"]), st.text(max_size=3))


@settings(max_examples=60, deadline=None)
@given(files=st.lists(st.lists(_problem, max_size=6), max_size=12), corpus=st.lists(_problem, max_size=5),
       spill_at=st.integers(1, 8))
def test_the_store_gives_back_every_problem_sorted_however_it_spilled(files, corpus, spill_at):
    store = ProblemStore(spill_at)
    expected = []
    for n, problems in enumerate(files):
        path = f"data/2024/u/{n:03d}.yaml"
        mine = [Problem(path, *_fields(p)) for p in problems]
        store.add_file(mine)
        expected += mine
    extra = [Problem(f"data/2024/u/{n % max(len(files), 1):03d}.yaml", *_fields(p)) for n, p in enumerate(corpus)]
    store.add_corpus(extra)
    expected = sorted(expected + extra, key=lambda p: (p.path, p.line, p.column, p.rule))
    assert list(store) == expected and list(store) == expected  # twice: it can be read again
    assert len(store) == len(expected)
    assert sum(store.levels.values()) == len(expected)
    store.close()


def _fields(p: Problem) -> tuple:
    return (p.line, p.column, p.message, p.rule, p.level, p.data_path)


def test_lint_output_is_the_same_when_problems_go_to_disk(run, monkeypatch):
    whole = json.loads(run("lint", "--format", "json", "--no-cache").stdout)
    text = run("lint", "--no-cache").stdout
    monkeypatch.setattr(store_module, "SPILL_AT", 7)
    monkeypatch.setattr(ProblemStore.__init__, "__defaults__", (7,))
    assert json.loads(run("lint", "--format", "json", "--no-cache").stdout) == whole
    assert run("lint", "--no-cache").stdout == text
    assert len(whole["problems"]) == 490
