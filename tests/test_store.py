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
@given(files=st.lists(st.lists(_problem, max_size=6), max_size=12), corpus=st.lists(_problem, max_size=20),
       spill_at=st.integers(1, 8), batch=st.integers(1, 4))
def test_the_store_gives_back_every_problem_sorted_however_it_spilled(files, corpus, spill_at, batch):
    store = ProblemStore(spill_at, batch)
    expected = []
    for n, problems in enumerate(files):
        path = f"data/2024/u/{n:03d}.yaml"
        mine = [Problem(path, *_fields(p)) for p in problems]
        store.add_file(mine)
        expected += mine
    extra = [Problem(f"data/2024/u/{n % max(len(files), 1):03d}.yaml", *_fields(p)) for n, p in enumerate(corpus)]
    store.add_corpus(iter(extra))  # corpus problems come in any order, and may go to disk in sorted runs
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
    monkeypatch.setattr(ProblemStore.__init__, "__defaults__", (7, 3))
    assert json.loads(run("lint", "--format", "json", "--no-cache").stdout) == whole
    assert run("lint", "--no-cache").stdout == text
    assert len(whole["problems"]) == 465


def _unit(digest):
    return digest[0]


def _no_findings(entries):
    return iter(())


@settings(max_examples=40, deadline=None)
@given(units=st.lists(st.one_of(st.none(), st.sampled_from(["妇联", "团委", "None", "城运中心"])), max_size=30),
       names=st.lists(st.sampled_from(["日常运作", "残疾人补贴", "党建"]), min_size=30, max_size=30))
def test_the_entry_store_hands_each_rule_its_groups_of_two_or_more_in_file_order(units, names):
    from perfgoals.lint.engine import Entry, Rule
    from perfgoals.lint.store import EntryStore

    def digest(src):
        return src

    rules = {"by-unit": Rule("by-unit", check_all=_no_findings, digest=digest, group=_unit),
             "also-by-unit": Rule("also-by-unit", check_all=_no_findings, digest=digest, group=_unit),  # shares it
             "same-name": Rule("same-name", check_all=_no_findings, digest=lambda s: s),
             "not-corpus": Rule("not-corpus")}
    store = EntryStore(rules)
    entries = []
    for i, unit in enumerate(units):
        digests = {"by-unit": (unit, f"行{i}"), "also-by-unit": (unit, f"行{i}")}
        if i % 3:  # some projects give no digest to a rule
            digests["same-name"] = names[i]
        entry = Entry(f"data/2024/u/{i:03d}.yaml", names[i], digests, {"": (1, 1), "项目名称": (3, i + 1)},
                      {7: ("same-name",)} if i % 5 == 0 else {})
        entries.append(entry)
        store.add(entry)
    for rid, key in (("by-unit", lambda e: repr(e.digests["by-unit"][0])), ("same-name", lambda e: e.digests.get("same-name"))):
        expected: dict = {}
        for e in entries:
            if e.digests.get(rid) is not None:
                expected.setdefault(key(e), []).append(e)
        want = sorted((g for g in expected.values() if len(g) > 1), key=lambda g: repr(key(g[0])))
        got = list(store.groups(rid))
        assert [[e.path for e in g] for g in got] == [[e.path for e in g] for g in want]
        for group, orig in zip(got, want):
            for e, o in zip(group, orig):  # this rule's digest travels, with the others it has, name, positions
                assert e.digests[rid] == o.digests[rid]
                assert all(e.digests[k] == o.digests.get(k, o.digests.get("by-unit")) for k in e.digests)
                assert (e.name, dict(e.positions), dict(e.suppressions)) == (o.name, dict(o.positions), dict(o.suppressions))
    assert store.channels["by-unit"] == store.channels["also-by-unit"] != store.channels["same-name"]
    assert "not-corpus" not in store.channels and list(store.groups("not-corpus")) == []
    store.close()


@settings(max_examples=60, deadline=None)
@given(items=st.lists(st.tuples(st.text(max_size=4), st.integers()), max_size=40), keep=st.integers(1, 9),
       batch=st.integers(1, 5))
def test_a_spill_list_gives_back_what_was_appended_in_order(items, keep, batch):
    from perfgoals.spill import SpillList

    spilled = SpillList(keep, batch)
    spilled.extend(items)
    assert list(spilled) == items and list(spilled) == items  # twice: it can be read again
    assert len(spilled) == len(items) and bool(spilled) == bool(items)
    assert (spilled.file is not None) == (len(items) >= keep)  # it went to disk once it held `keep`
    spilled.close()


def test_packed_rows_come_back_field_by_field() -> None:
    """Digest rows packed into one string read back as their fields' text, a separator inside a
    value turned into a space (the packing checks the common case by counting separators)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from perfgoals.lint.engine import pack_rows, unpack_rows

    field = st.one_of(st.none(), st.integers(), st.text(alphabet="a中 \x1e\x1f", max_size=6))

    @settings(max_examples=500, deadline=None)
    @given(st.lists(st.lists(field, min_size=2, max_size=5).map(tuple), max_size=5))  # digest rows have fields
    def round_trip(rows: list[tuple]) -> None:
        expected = [["" if v is None else str(v).replace("\x1e", " ").replace("\x1f", " ") for v in row] for row in rows]
        assert unpack_rows(pack_rows(rows)) == expected
        assert unpack_rows(pack_rows(iter(rows))) == expected
    round_trip()
