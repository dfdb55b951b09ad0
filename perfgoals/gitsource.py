"""Project files as they are in git revisions (``diff --rev``, ``lint --since``, ``review``).

Revisions mean what they mean to git and to a pull request:

- ``REV`` — the merge base of REV and HEAD against the working tree (``git diff REV...``):
  what this branch changed, not what REV gained since the branch left it;
- ``A..B`` — A against B, as they are;
- ``A...B`` — the merge base of A and B against B.

A revision's tree is written out to a temporary folder (`checkout`), so every command reads it
with the same loaders it uses for the working tree.
"""

from __future__ import annotations

import os
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Callable, Iterator

from .problems import InputError


def _git(args: list[str], cwd: Path, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, check=False)
    except FileNotFoundError:
        raise InputError("找不到 git 命令：与 git 版本比较需要安装 git") from None
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, args, done.stdout, done.stderr)
    return done.stdout


def toplevel(path: Path) -> Path:
    """The root of the git work tree that holds ``path``."""
    try:
        return Path(_git(["rev-parse", "--show-toplevel"], path).decode().strip())
    except subprocess.CalledProcessError:
        raise InputError(f"{path} 不在 git 仓库中：--rev、--since 只能在 git 仓库里使用") from None


def check_revision(rev: str, repo: Path) -> str:
    """The commit id of ``rev``; an InputError in Chinese when git does not know it."""
    try:
        return _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], repo).decode().strip()
    except subprocess.CalledProcessError:
        hint = "；浅克隆的仓库可能缺少该分支，请先 git fetch" if _shallow(repo) else ""
        raise InputError(f"git 不认识修订版本“{rev}”（可用分支名、标签或提交号，如 main、origin/main、HEAD~1）{hint}") from None


def _shallow(repo: Path) -> bool:
    try:
        return _git(["rev-parse", "--is-shallow-repository"], repo).strip() == b"true"
    except subprocess.CalledProcessError:
        return False


def merge_base(a: str, b: str, repo: Path) -> str:
    """The commit where ``a`` and ``b`` diverged; a clear message when history is too short."""
    check_revision(a, repo)
    check_revision(b, repo)
    try:
        return _git(["merge-base", a, b], repo).decode().strip()
    except subprocess.CalledProcessError:
        if _shallow(repo):
            raise InputError(f"找不到“{a}”与“{b}”的共同祖先（merge base）：这是浅克隆（shallow clone），历史不全。"
                             "请获取完整历史：git fetch --unshallow，或在 GitHub Actions 的 actions/checkout 中设置 "
                             "fetch-depth: 0（GitLab：变量 GIT_DEPTH: 0）") from None
        raise InputError(f"“{a}”与“{b}”没有共同祖先（merge base），无法判断合并请求改了什么；"
                         f"可用 --rev {a}..{b} 直接比较两个版本") from None


@dataclass(frozen=True)
class Range:
    """What to compare: ``base`` (a commit) against ``head`` (a commit, or None for the work tree)."""

    spec: str
    base: str
    head: str | None
    base_label: str
    head_label: str


def resolve(spec: str, repo: Path) -> Range:
    """A revision spec as git means it (see the module docstring)."""
    if "..." in spec:
        a, _, b = spec.partition("...")
        a, b = a or "HEAD", b or "HEAD"
        base = merge_base(a, b, repo)
        return Range(spec, base, check_revision(b, repo), _base_label(a, b, base, repo), b)
    if ".." in spec:
        a, _, b = spec.partition("..")
        a, b = a or "HEAD", b or "HEAD"
        return Range(spec, check_revision(a, repo), check_revision(b, repo), a, b)
    base = merge_base(spec, "HEAD", repo)
    return Range(spec, base, None, _base_label(spec, "HEAD", base, repo), "工作区")


def _base_label(a: str, b: str, base: str, repo: Path) -> str:
    """How the base of ``a...b`` is named: "main 与 HEAD 的共同祖先 1a2b3c4d", or just
    "HEAD（1a2b3c4d）" when the merge base is ``a`` itself (``--rev HEAD``, a branch not yet
    moved on), where "HEAD 与 HEAD 的共同祖先" would say nothing."""
    if a == b or check_revision(a, repo) == base:
        return f"{a}（{base[:8]}）"
    return f"{a} 与 {b} 的共同祖先 {base[:8]}"


def blob_at(rev: str | None, repo: Path, path: Path) -> bytes | None:
    """One file as it is at ``rev`` (None: the work tree), or None where it is not there."""
    if rev is None:
        try:
            return path.read_bytes() if path.is_file() else None
        except OSError:
            return None
    rel = path.resolve().relative_to(repo.resolve()).as_posix()
    listing = _git(["ls-tree", "-z", rev, "--", rel], repo).decode("utf-8", "surrogateescape")
    meta = listing.split("\0")[0].partition("\t")[0].split()
    if len(meta) != 3 or meta[1] != "blob":
        return None
    return _git(["cat-file", "blob", meta[2]], repo)  # asked by object id, never by a path


def listing(rev: str, repo: Path, folder: Path) -> list[tuple[str, str]]:
    """(path relative to the repo root, object id) of every ``*.yaml`` under ``folder`` at ``rev``."""
    check_revision(rev, repo)
    rel = folder.resolve().relative_to(repo.resolve()).as_posix()
    # NUL-separated entries ("mode type id<TAB>path"): a path may hold any character, a newline too
    text = _git(["ls-tree", "-r", "-z", rev, "--", rel], repo).decode("utf-8", "surrogateescape")
    entries = []
    for entry in text.split("\0"):
        meta, _tab, name = entry.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob" and name.lower().endswith((".yaml", ".yml")):
            entries.append((name, parts[2]))
    return entries


def blobs(entries: list[tuple[str, str]], repo: Path) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of each (name, object id), read by one ``git cat-file --batch`` as a stream:
    one process, not one per file; asked by object id, never by a path (which could hold a
    newline); memory holds one file, not the revision."""
    if not entries:
        return
    request = "".join(f"{oid}\n" for _name, oid in entries).encode("ascii")
    try:
        proc = subprocess.Popen(["git", "cat-file", "--batch"], cwd=repo, stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except FileNotFoundError:
        raise InputError("找不到 git 命令：与 git 版本比较需要安装 git") from None
    assert proc.stdin is not None and proc.stdout is not None
    feeder = threading.Thread(target=_feed, args=(proc.stdin, request), daemon=True)
    feeder.start()
    try:
        for name, oid in entries:
            header = proc.stdout.readline().split()
            if len(header) != 3:  # "<id> missing": a damaged repository
                raise InputError(f"git 仓库中缺少对象 {oid}（{name}）：仓库可能已损坏，请运行 git fsck")
            size = int(header[2])
            raw = proc.stdout.read(size)
            proc.stdout.read(1)
            yield name, raw
    finally:
        proc.stdout.close()
        proc.wait()
        feeder.join()


def _feed(pipe: IO[bytes], data: bytes) -> None:
    try:
        pipe.write(data)
        pipe.close()
    except OSError:  # the reader stopped early
        pass


def changed_paths(rng: Range, repo: Path, data: Path | None = None) -> list[str]:
    """Every path (relative to the repo root) that differs between the two sides of ``rng``: a
    renamed file under both names; with the work tree as head, untracked files too (under
    ``data``, ignored ones as well: a walk of the folder reads them)."""
    args = ["diff", "--name-only", "-z", "--no-renames", rng.base]
    if rng.head is not None:
        args.append(rng.head)
    names = _git([*args, "--"], repo).decode("utf-8", "surrogateescape").split("\0")
    if rng.head is None:
        names += _git(["ls-files", "-z", "--others", "--exclude-standard"], repo).decode(
            "utf-8", "surrogateescape").split("\0")
        if data is not None:  # in data/, an ignored table is still read by a walk of the folder
            rel = data.resolve().relative_to(repo.resolve()).as_posix()
            names += _git(["ls-files", "-z", "--others", "--", rel], repo).decode(
                "utf-8", "surrogateescape").split("\0")
    return sorted({n for n in names if n})


def checkout(rev: str, repo: Path, data: Path, dest: Path, keep: Callable[[str], bool] | None = None) -> Path:
    """Write the data folder as it is at ``rev`` into ``dest``; returns the copy of ``data``.

    Only the YAML files (projects and units.yaml) are written, with the same relative paths;
    ``keep``: only the paths (relative to the repo root) it accepts.
    """
    rel = data.resolve().relative_to(repo.resolve())
    copy = dest / rel
    copy.mkdir(parents=True, exist_ok=True)
    entries = [(n, o) for n, o in listing(rev, repo, data) if keep is None or keep(n)]
    for name, raw in blobs(entries, repo):
        target = dest / name
        if not target.resolve().is_relative_to(dest.resolve()):
            continue  # a path in a hostile repository never leads out of the folder
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "wb") as fh:
            fh.write(raw)
    os.utime(copy)
    return copy
