"""`perfgoals lint`: load project files, run the rules, apply suppressions and the baseline.

Large runs are made fast three ways: the per-file work (parse + project rules) runs in a pool
of processes above `POOL_THRESHOLD` files, sending back only problems and small corpus
digests; its results are kept in a content-hash cache (`lint.cache`) so unchanged files are
not parsed again; and the cyclic garbage collector is paused while loading.
"""

from __future__ import annotations

import gc
import sys
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping, Sequence

from .. import loader, selfeval
from ..forms import beside_path, file_kind
from ..problems import Problem
from ..runtime import POOL_THRESHOLD, bulk, pool_context, workers
from ..workspace import ProjectFile
from . import engine
from .config import Config
from .cache import Inputs, Keyer
from .store import EntryStore, Filing, ProblemStore, Record
from .registry import RULES

@dataclass(frozen=True)
class LintResult:
    """The problems found (sorted by file and line) and how many files were checked."""

    problems: Sequence[Problem]
    files: int
    hidden_by_baseline: int = 0
    suppressed: int = 0
    cached: int = 0
    #: With ``lint --since``: the problems of the base revision that are gone (None otherwise).
    fixed: int | None = None
    #: With ``lint --since``: the base the problems are new against, for the counts line.
    since: str | None = None
    #: The files checked (as shown), for a baseline written from a subset of them.
    checked: tuple[str, ...] = ()

    def errors_only(self) -> "LintResult":
        """``lint -q``: the errors alone."""
        import dataclasses
        return dataclasses.replace(self, problems=[p for p in self.problems if p.level == "error"])


def active_rules(config: Config) -> dict[str, engine.Rule]:
    return {rid: r for rid, r in RULES.items() if config.enabled(rid)}


#: What one file yields: its problems, its corpus entry (None if unreadable), problems suppressed inline.
Outcome = tuple[list[Problem], "engine.Entry | None", int]


def plan(config: Config, rules: Mapping[str, engine.Rule]) -> engine.Plan:
    """The order a run's files go through its rules, with the levels and options in force."""
    return engine.Plan(rules, config.level, config.options_for, uniform=not config.per_path, inline=config.inline)


def check_file(f: ProjectFile, config: Config, steps: engine.Plan, inputs: Inputs | None = None) -> Outcome:
    """Everything lint learns from one file on its own: problems and the corpus entry.
    ``inputs``: the bytes already read (`cache.Keyer.read`), so that what is checked is exactly
    what the cache key was made of."""
    src: engine.Source | engine.EvalSource | engine.MonitorSource
    project: Any
    kind = file_kind(f.raw)
    if kind == "monitor":
        from .. import monitor
        mon, problems = monitor.load_bytes(inputs.data, f.shown) if inputs is not None \
            else monitor.load_file(f.path, f.shown)
        if mon is None:
            return problems, None, 0
        if inputs is not None:
            target = loader.load_bytes(inputs.target, "目标表")[0] if inputs.target is not None else None
            evaluation = selfeval.load_bytes(inputs.evaluation, "自评表")[0] if inputs.evaluation is not None else None
        else:
            target_file, evaluation_file = beside_path(f.path, kind, "target"), beside_path(f.path, kind, "selfeval")
            target = loader.load_file(target_file)[0] if target_file.is_file() else None
            evaluation = selfeval.load_file(evaluation_file)[0] if evaluation_file.is_file() else None
        src, project = engine.MonitorSource(mon, target, evaluation, f.year, f.unit), mon
    elif kind == "selfeval":
        if inputs is not None:
            evaluation, problems = selfeval.load_bytes(inputs.data, f.shown)
        else:
            evaluation, problems = selfeval.load_file(f.path, f.shown)
        if evaluation is None:
            return problems, None, 0
        target_file = selfeval.target_path(f.path)
        if inputs is not None:
            target = loader.load_bytes(inputs.target, str(target_file))[0] if inputs.target is not None else None
        else:
            target = loader.load_file(target_file)[0] if target_file.is_file() else None
        src, project = engine.EvalSource(evaluation, target, f.year, f.unit), evaluation
    else:
        loaded, problems = loader.load_bytes(inputs.data, f.shown) if inputs is not None \
            else loader.load_file(f.raw, f.shown)
        if loaded is None:
            return problems, None, 0
        src, project = engine.Source(loaded, f.year, f.unit), loaded
    found, entry, hidden = engine.check_project(src, steps)
    if problems:  # a value the schema already rejected is reported once, as what it is (malformed)
        rejected = {p.data_path for p in problems if p.data_path}
        found = [p for p in found if p.data_path not in rejected]
    return problems + found + unknown_rules(project), entry, hidden


def unknown_rules(project: Any) -> list[Problem]:
    """A disable comment naming no rule is a mistake: it silences nothing (``unknown-rule``)."""
    out = []
    for line, ids in sorted(project.suppressions.items()):
        for rid in ids:
            if rid not in RULES and rid != "all":
                from difflib import get_close_matches
                close = get_close_matches(rid, list(RULES), n=1)
                hint = f"，是否应为“{close[0]}”？" if close else "（用 perfgoals rules 查看全部规则）"
                # the comment stands on the line before the one it covers when it is alone on its line
                out.append(Problem(project.path, line, 1, f"忽略注释中的规则“{rid}”不存在，该注释不起作用{hint}",
                                   "unknown-rule", "warning"))
    return out


_worker_config: Config | None = None
_worker_plan: engine.Plan | None = None
_worker_filing: Filing | None = None
_worker_keyer: Keyer | None = None


def _init_worker(config: Config, records: bool, keyer: Keyer | None = None) -> None:
    """A worker process's rules; ``records``: send corpus entries as `Filing.record` makes them
    (the main process only files them), not as entries (which a cache keeps); ``keyer``: the
    cache's, so each file is keyed by the very bytes the worker checks."""
    global _worker_config, _worker_plan, _worker_filing, _worker_keyer
    rules = active_rules(config)
    _worker_config = config
    _worker_plan = plan(config, rules)
    _worker_filing = Filing(rules) if records else None
    _worker_keyer = keyer
    gc.disable()


def _worker(f: ProjectFile) -> tuple[list[tuple[Any, ...]], Any, int, str | None]:
    """One file in a worker process. Problems travel as plain tuples: they pickle faster than
    named tuples (a class reference and a call each), and the main process is the bottleneck
    of a pooled run; the corpus entry travels as its record when the worker makes those; with a
    cache, the key of the bytes checked comes back too."""
    assert _worker_config is not None and _worker_plan is not None
    problems, entry, hidden, key = checked(f, _worker_config, _worker_plan, _worker_keyer)
    sent = _worker_filing.record(entry) if _worker_filing is not None and entry is not None else entry
    return [astuple(p) for p in problems], sent, hidden, key


def checked(f: ProjectFile, config: Config, steps: engine.Plan,
            keyer: Keyer | None) -> tuple[list[Problem], engine.Entry | None, int, str | None]:
    """`check_file`, and with a ``keyer`` the cache key of exactly the bytes that were checked
    (None when they could not be read: nothing is cached then). A file saved while lint runs is
    thus never filed under the new content's key with the old content's problems."""
    inputs = keyer.read(f) if keyer is not None else None
    problems, entry, hidden = check_file(f, config, steps, inputs)
    return problems, entry, hidden, (keyer.key(f, inputs) if keyer is not None and inputs is not None else None)


def _shared(entry: engine.Entry | None, path: str) -> engine.Entry | None:
    """An entry from a worker with its strings shared: rule ids and keys arrive unpickled, one
    copy per project, and a cache keeps the entries it is given until the run ends."""
    if entry is None:
        return None
    return engine.Entry(path, entry.name, {sys.intern(k): v for k, v in entry.digests.items()},
                        {sys.intern(k): v for k, v in entry.positions.items()}, entry.suppressions)


def astuple(p: Problem) -> tuple[Any, ...]:
    return tuple(p)


def lint_files(files: Sequence[ProjectFile], config: Config, cache: Any | None = None, jobs: int | None = None,
               progress: Callable[[int], None] | None = None) -> LintResult:
    """Lint project files. Unreadable files become one syntax/schema problem each; the rest go on.

    ``cache`` (a `lint.cache.Cache`) answers for files whose content it has seen with the same
    tool version and configuration; ``jobs`` caps the worker processes (default: all cores
    when there are more than `POOL_THRESHOLD` files to parse).
    """
    with bulk():
        rules = active_rules(config)
        steps = plan(config, rules)
        selected = [f for f in files if not config.ignored(f.shown)]
        keyer = cache.keyer if cache is not None else None
        keys = [keyer.key(f, keyer.read(f)) if keyer is not None else None for f in selected]
        known = [cache is not None and key is not None and cache.has(key) for key in keys]
        todo = [f for f, hit in zip(selected, known) if not hit]
        procs = workers(jobs)
        pool = None
        # what is checked now: each file's outcome, and its entry's record when a worker made it
        fresh: Iterator[tuple[Outcome, Record | None, str | None]]
        if len(todo) >= POOL_THRESHOLD and procs > 1:
            records = cache is None  # a cache keeps entries themselves
            pool = pool_context().Pool(procs, _init_worker, (config, records, keyer))
            chunk = max(8, min(64, len(todo) // (procs * 8)))
            fresh = (
                (([Problem(f.shown, row[1], row[2], row[3], sys.intern(row[4]), sys.intern(row[5]), row[6])
                   for row in rows], None if records else _shared(sent, f.shown), hidden),  # one path string per file
                 sent if records else None, key)
                for f, (rows, sent, hidden, key) in zip(todo, pool.imap(_worker, todo, chunksize=chunk)))
        else:
            fresh = (_sequential(f, config, steps, keyer) for f in todo)
        # problems and corpus entries go to stores that move them to disk: memory stays flat
        store = ProblemStore()
        entries = EntryStore(rules)
        suppressed = hits = 0
        try:
            for f, key, hit in zip(selected, keys, known):
                outcome = cache.get(key, f.shown) if hit and cache is not None and key is not None else None
                record = None
                if outcome is not None:
                    hits += 1
                else:
                    # not in the cache, or a damaged record there: check it now
                    outcome, record, read_key = next(fresh) if not hit else _sequential(f, config, steps, keyer)
                    if cache is not None and read_key is not None:  # filed under what was read, not what was listed
                        cache.put(read_key, outcome)
                found, entry, hidden = outcome
                store.add_file(found)
                if record is not None:
                    entries.add_record(record)
                elif entry is not None:
                    entries.add(entry)
                suppressed += hidden
                if progress:
                    progress(1)
            if pool is not None:
                pool.terminate()
                pool = None
            store.add_corpus(engine.check_corpus(entries, rules, config.level, config.inline))
        finally:
            if pool is not None:
                pool.terminate()
            entries.close()
        if cache is not None:
            cache.save()
        return LintResult(store, len(selected), suppressed=suppressed, cached=hits,
                          checked=tuple(f.shown for f in selected))


def only(result: LintResult, files: Sequence[ProjectFile]) -> LintResult:
    """A run over ``files`` and their siblings (`reviewscope.context`) told as a run over ``files``:
    their problems, counted as their files."""
    import dataclasses
    keep = {f.shown for f in files}
    store = ProblemStore()
    last = None
    batch: list[Problem] = []
    for p in result.problems:  # in path order
        if p.path not in keep:
            continue
        if p.path != last and batch:
            store.add_file(batch)
            batch = []
        last = p.path
        batch.append(p)
    if batch:
        store.add_file(batch)
    return dataclasses.replace(result, problems=store, files=len(files), checked=tuple(f.shown for f in files))


def _sequential(f: ProjectFile, config: Config, steps: engine.Plan,
                keyer: Keyer | None) -> tuple[Outcome, Record | None, str | None]:
    problems, entry, hidden, key = checked(f, config, steps, keyer)
    return (problems, entry, hidden), None, key


def lint_sources(sources: Sequence[engine.Source | engine.EvalSource | engine.MonitorSource],
                 config: Config) -> LintResult:
    """Lint projects already in memory (tests, other commands)."""
    rules = active_rules(config)
    steps = plan(config, rules)
    problems: list[Problem] = []
    entries = EntryStore(rules)
    suppressed = 0
    try:
        for src in sources:
            found, entry, hidden = engine.check_project(src, steps)
            problems.extend(found)
            entries.add(entry)
            suppressed += hidden
        problems.extend(engine.check_corpus(entries, rules, config.level, config.inline))
    finally:
        entries.close()
    problems.sort(key=lambda p: (p.path, p.line, p.column, p.rule))
    return LintResult(problems, len(sources), suppressed=suppressed)
