"""The lint cache cannot lie (issue 25, items 1–2): a record is filed under the bytes that were
checked, runs with other settings never mix their records, and the ``score:`` section counts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from perfgoals.lint import cache as lint_cache

from .conftest import DATA, EXAMPLES, ROOT

WOMEN = Path("data") / "2024" / "妇联"


def _repo(tmp_path: Path) -> Path:
    """Two units of the fixture data: small enough to lint many times in a test."""
    repo = tmp_path / "repo"
    for unit in ("妇联", "团委", "党建办"):
        shutil.copytree(DATA / "2024" / unit, repo / "data" / "2024" / unit)
    shutil.copy(DATA / "units.yaml", repo / "data" / "units.yaml")
    return repo


def _counts(run, repo: Path, *args: str) -> list[tuple[str, int, str]]:
    body = json.loads(run("lint", "--format", "json", *args, cwd=repo).stdout)
    return sorted((p["path"], p["line"], p["rule"]) for p in body["problems"])


def test_a_file_saved_while_lint_runs_is_filed_under_what_was_read(run, tmp_path, monkeypatch):
    repo = _repo(tmp_path)
    broken = EXAMPLES / "invalid" / "funds-total-sum" / "财政资金抄错.yaml"
    target = repo / WOMEN / "妇女儿童维权.yaml"
    clean = target.read_bytes()
    target.write_bytes(broken.read_bytes())  # B: a table with an error
    truth_b = _counts(run, repo, "--no-cache")
    assert any(rule == "funds-total-sum" for _p, _l, rule in truth_b)
    real_read = lint_cache.Keyer.read
    swapped = []

    def read_then_save(self, f):  # the clerk saves A over B right after lint listed and keyed B
        inputs = real_read(self, f)
        if f.path.name == target.name and not swapped:
            swapped.append(True)
            target.write_bytes(clean)
        return inputs
    monkeypatch.setattr(lint_cache.Keyer, "read", read_then_save)
    run("lint", "--format", "json", cwd=repo)
    monkeypatch.setattr(lint_cache.Keyer, "read", real_read)
    assert swapped
    target.write_bytes(broken.read_bytes())  # B again: the cache must not answer with A's problems
    assert _counts(run, repo) == truth_b


def test_runs_with_other_settings_never_mix_their_records(run, tmp_path):
    repo = _repo(tmp_path)
    truth = _counts(run, repo, "--no-cache")
    narrow = _counts(run, repo, "--select", "goal-vague")
    assert len(narrow) < len(truth)
    assert _counts(run, repo) == truth  # after the narrow run filled the cache
    assert _counts(run, repo, "--select", "goal-vague") == narrow
    assert _counts(run, repo) == truth


def test_concurrent_runs_with_edits_end_equal_to_no_cache(tmp_path):
    """4 lints at once with different selections while files are edited; then the cached run
    equals --no-cache. Bounded: 3 rounds, each process with a 120 s limit."""
    repo = _repo(tmp_path)
    env = {**os.environ, "PERFGOALS_CACHE_DIR": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT)}
    env.pop("CI", None)
    files = sorted((repo / "data" / "2024").rglob("*.yaml"))
    selections = (["--select", "goal-vague"], [], ["--ignore", "vague-qualitative"], ["--select", "funds-total-sum"])

    def lint(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "perfgoals", "lint", "--format", "json", *args], cwd=repo,
                              env=env, capture_output=True, text=True, timeout=120)

    def edit(stop: threading.Event) -> None:
        k = 0
        while not stop.is_set():
            path = files[k % len(files)]
            text = path.read_text(encoding="utf-8")
            flipped = text.replace("2.70", "2.71", 1) if "2.70" in text else text.replace("2.71", "2.70", 1)
            path.write_text(flipped, encoding="utf-8")
            k += 1
            time.sleep(0.005)

    for _round in range(3):
        stop = threading.Event()
        editor = threading.Thread(target=edit, args=(stop,))
        editor.start()
        procs = [subprocess.Popen([sys.executable, "-m", "perfgoals", "lint", "--format", "json", *sel], cwd=repo,
                                  env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for sel in selections]
        for p in procs:
            p.wait(timeout=120)
        stop.set()
        editor.join()
        for sel in selections:
            cached, fresh = lint(*sel), lint(*sel, "--no-cache")
            assert json.loads(cached.stdout)["problems"] == json.loads(fresh.stdout)["problems"], sel


def test_lint_scores_selfevals_with_the_score_section(run, tmp_path):
    """A 得分 the configured 档次 accepts is accepted by lint as by score (Config.only kept `score:`)."""
    repo = _repo(tmp_path)
    evaluation = repo / WOMEN / "社区助老服务补贴.自评.yaml"
    shutil.copy(EXAMPLES / "selfeval" / evaluation.name, evaluation)
    text = evaluation.read_text(encoding="utf-8")
    old = "实际完成值: 基本缓解, 分值: 15, 得分: 11,"
    assert old in text
    text = text.replace(old, "实际完成值: 基本缓解, 分值: 15, 得分: 6,").replace("总分: 93.82", "总分: 88.82")
    evaluation.write_text(text, encoding="utf-8")
    default = _counts(run, repo, "--select", "selfeval-score-mismatch", "--no-cache")
    assert default  # 6 of 15 is below the default 部分达成 band (60–80 %)
    (repo / ".perfgoals.yaml").write_text("score:\n  档次: {部分达成: [40, 80]}\n", encoding="utf-8")
    score = run("score", str(evaluation.relative_to(repo)), cwd=repo)
    line = next(s for s in score.output.splitlines() if "高龄独居老人就餐困难" in s)
    assert "←" not in line, line  # score accepts it under the configured band
    assert _counts(run, repo, "--select", "selfeval-score-mismatch", "--no-cache") == []
    assert _counts(run, repo, "--select", "selfeval-score-mismatch") == []  # and the cache agrees


def test_an_old_layout_cache_file_is_replaced_not_trusted(run, tmp_path, monkeypatch):
    import sqlite3
    repo = _repo(tmp_path)
    folder = tmp_path / "old-cache"
    monkeypatch.setenv("PERFGOALS_CACHE_DIR", str(folder))
    truth = _counts(run, repo, "--no-cache")
    assert _counts(run, repo) == truth
    [db] = list(folder.glob("*/lint.sqlite"))
    with sqlite3.connect(db) as con:
        con.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, record TEXT)")
        con.execute("INSERT INTO entries VALUES ('x', '{}')")
    assert _counts(run, repo) == truth
    with sqlite3.connect(db) as con:
        assert con.execute("SELECT name FROM sqlite_master WHERE name = 'entries'").fetchone() is None
