"""Project files as they are in a git revision (for `perfgoals diff --rev`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from .problems import InputError


def _git(args: list[str], cwd: Path, data: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, check=False)
    except FileNotFoundError:
        raise InputError("找不到 git 命令：--rev 需要安装 git") from None
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, args, done.stdout, done.stderr)
    return done.stdout


def toplevel(path: Path) -> Path:
    """The root of the git work tree that holds ``path``."""
    try:
        return Path(_git(["rev-parse", "--show-toplevel"], path).decode().strip())
    except subprocess.CalledProcessError:
        raise InputError(f"{path} 不在 git 仓库中：--rev 只能在 git 仓库里使用") from None


def check_revision(rev: str, repo: Path) -> None:
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], repo)
    except subprocess.CalledProcessError:
        raise InputError(f"git 不认识修订版本“{rev}”（可用分支名、标签或提交号，如 main、HEAD~1）") from None


def files_at(rev: str, repo: Path, folder: Path) -> dict[str, bytes]:
    """Every ``*.yaml`` under ``folder`` (relative to the repo root) at ``rev``: path → bytes."""
    check_revision(rev, repo)
    rel = folder.resolve().relative_to(repo.resolve()).as_posix()
    listing = _git(["ls-tree", "-r", "-z", "--name-only", rev, "--", rel], repo).decode("utf-8")
    names = [n for n in listing.split("\0") if n.endswith((".yaml", ".yml")) and not n.endswith("units.yaml")]
    if not names:
        return {}
    # one `git cat-file --batch` for all files: one process, not one per file
    request = "".join(f"{rev}:{n}\n" for n in names).encode("utf-8")
    out = _git(["cat-file", "--batch"], repo, request)
    result: dict[str, bytes] = {}
    pos = 0
    for name in names:
        header_end = out.index(b"\n", pos)
        header = out[pos:header_end].split()
        size = int(header[2])
        start = header_end + 1
        result[name] = out[start:start + size]
        pos = start + size + 1
    return result
