"""Where the data lives: finding ``data/``, listing project files, writing files atomically."""

from __future__ import annotations

import functools
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .forms import BESIDE, file_kind
from .problems import InputError

#: The list of unit folders and their full 实施单位 names, in data/ (read and written by `units`).
UNITS_FILE = "units.yaml"

DATA_DIR = "data"

#: Files a listing left out, with why: said once at the end of a command (`skipped_note`).
_SKIPPED: dict[str, str] = {}


def skip(path: str, reason: str) -> None:
    _SKIPPED.setdefault(path, reason)


def _near(path: str, here: str) -> str:
    """A path relative to the current folder when it lies inside it (as lint shows files)."""
    rel = os.path.relpath(path, here)
    return path if rel.startswith("..") else rel


def skipped_note() -> str | None:
    """"跳过了 2 个文件：…" for the files listings left out since the last call, or None."""
    if not _SKIPPED:
        return None
    here = os.getcwd()
    items = sorted((_near(path, here), reason) for path, reason in _SKIPPED.items())
    _SKIPPED.clear()
    shown = "；".join(f"{path}（{reason}）" for path, reason in items[:10])
    more = f"；……共 {len(items)} 个" if len(items) > 10 else ""
    return f"注意：跳过了 {len(items)} 个文件：{shown}{more}"


_YEAR_DIR = re.compile(r"\d{4}")


@dataclass(frozen=True, slots=True)
class ProjectFile:
    """A project file: its path on disk, the path shown to people, its year and unit folders.

    A city's repository lists hundreds of thousands of these, so one is kept small: the two paths
    share their tail (``data/2024/妇联/x.yaml``) and differ only in a head that all the files of a
    listing share (``/home/u/repo/`` and ``""``); both are strings made when asked for.
    """

    tail: str
    heads: tuple[str, str]  # (head of the path on disk, head of the path shown), shared
    year: int | None
    unit: str | None

    def __init__(self, path: Path | str, shown: str, year: int | None, unit: str | None) -> None:
        raw = os.fspath(path)
        cut = _common_tail(raw, shown)
        object.__setattr__(self, "tail", shown[cut:])
        object.__setattr__(self, "heads", _heads(raw[:len(raw) - len(shown) + cut], shown[:cut]))
        object.__setattr__(self, "year", year)
        object.__setattr__(self, "unit", unit if unit is None else sys.intern(unit))  # one per unit folder

    @property
    def raw(self) -> str:
        """The path on disk, as a string."""
        return self.heads[0] + self.tail

    @property
    def shown(self) -> str:
        """The path as people see it (relative to the current directory where it can be)."""
        return self.heads[1] + self.tail

    @property
    def path(self) -> Path:
        return Path(self.heads[0] + self.tail)


def _common_tail(raw: str, shown: str) -> int:
    """Where the tail ``raw`` and ``shown`` share begins in ``shown``: at a folder boundary (or
    the whole string), so that the heads are folder prefixes a listing shares."""
    if raw.endswith(shown):  # the usual case: shown is raw relative to the current directory
        return 0
    n = 0
    limit = min(len(raw), len(shown))
    while n < limit and raw[-1 - n] == shown[-1 - n]:
        n += 1
    cut = len(shown) - n
    while cut < len(shown) and not (cut == 0 or shown[cut - 1] == "/"):
        cut += 1
    return cut if cut < len(shown) else len(shown)


@functools.lru_cache(maxsize=256)
def _heads(raw: str, shown: str) -> tuple[str, str]:
    return raw, shown


#: The years a table may be for: four digits, and nothing a typo ("25", "20244") would give.
YEAR_MIN, YEAR_MAX = 2000, 2099


def nearest(start: Path, wanted: Callable[[Path], bool]) -> Path | None:
    """The first of ``start`` and its parents that is ``wanted``: the one walk up the folders
    (data/, .perfgoals.yaml)."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if wanted(folder):
            return folder
    return None


def find_data(start: Path | None = None) -> Path:
    """The ``data/`` directory: in the current directory or the nearest parent that has one.

    A ``data/`` inside a year folder is never taken (``data/2024/妇联/data`` would be a nested
    tree written by mistake); the search goes on upward from there.
    """
    here = (start or Path.cwd()).resolve()
    found = nearest(here, lambda folder: (folder / DATA_DIR).is_dir() and not _inside_data_tree(folder))
    if found is not None:
        return found / DATA_DIR
    raise InputError(f"找不到数据目录 data/：请在含有 data/ 的项目目录（或其子目录）中运行，或用 --data 指定（当前目录：{here}）")


def _inside_data_tree(folder: Path) -> bool:
    """True for ``…/data`` itself and anything below ``…/data/<year>``."""
    parts = folder.parts
    return any(part == DATA_DIR and (i == len(parts) - 1 or _YEAR_DIR.fullmatch(parts[i + 1]))
               for i, part in enumerate(parts))


def data_dir(given: Path | None, create: bool = False) -> Path:
    """The data directory a command works on: ``--data`` when given, else `find_data`.

    Commands that write (``new``, ``import``) may create a ``--data`` folder that does not exist
    yet (``create``); without ``--data`` nothing is created: a mistyped folder would otherwise
    grow a stray ``data/`` tree.
    """
    if given is None:
        return find_data()
    if given.is_dir():
        return given
    if given.exists():
        raise InputError(f"数据目录 {given} 不是文件夹")
    if not create:
        raise InputError(f"数据目录不存在：{given}")
    return given


@dataclass(frozen=True)
class YearChoice:
    """The year a command works on, how many projects it has, and what other years hold."""

    year: int
    count: int
    defaulted: bool
    others: tuple[tuple[int, int], ...] = ()
    #: what is counted: "个项目" (target tables), "张监控表", "张自评表"
    noun: str = "个项目"

    def describe(self) -> str:
        """What a command says on stderr when it chose the year itself."""
        others = "，".join(f"{y} 年度 {n} {self.noun[0]}" for y, n in self.others)
        tail = f"；另有 {others}，可用 --year 选择" if others else ""
        what = "有项目" if self.noun == "个项目" else f"有{self.noun[1:]}"
        return f"年度：{self.year}（数据中{what}的最新年度，{self.count} {self.noun}{tail}）"


def count_projects(folder: Path, kind: str = "target") -> int:
    """Target tables under a folder (a 自评表 is not another project), or the files of another
    ``kind`` (the 监控表 of a year)."""
    return sum(1 for _path, rel in _walk(folder) if file_kind(rel[-1]) == kind) if folder.is_dir() else 0


def choose_year(data: Path, year: int | None, kind: str = "target") -> YearChoice:
    """``--year`` if given (it must have projects), else the latest year that has projects (or
    files of ``kind``: a year's 监控表 may stand without their target tables).

    An empty year folder (``data/2026/`` made ahead of time) is never the default.
    """
    counts = {y: count_projects(data / str(y), kind) for y in years(data)}
    filled = {y: n for y, n in counts.items() if n}
    if kind != "target":
        from .forms.base import KIND_WORDS
        what, count = f"{KIND_WORDS[kind]}（*{BESIDE[kind]}）", f"张{KIND_WORDS[kind]}"
    else:
        what, count = "项目文件", "个项目"
    if year is not None:
        if not filled.get(year):
            have = "、".join(f"{y}（{n} {count}）" for y, n in sorted(filled.items())) or "无"
            raise InputError(f"{year} 年度没有{what}；现有年度：{have}")
        return YearChoice(year, filled[year], False, noun=count)
    if not filled:
        raise InputError(f"数据目录 {data} 中没有{what}" if kind != "target" else
                         f"数据目录 {data} 中没有任何项目文件（应为 {data}/<年度>/<单位>/<项目>.yaml）")
    latest = max(filled)
    others = tuple(sorted(((y, n) for y, n in filled.items() if y != latest), reverse=True))
    return YearChoice(latest, filled[latest], True, others, count)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def describe(path: Path, data: Path | None) -> tuple[int | None, str | None]:
    """(year, unit folder) of a project file laid out as ``<data>/<year>/<unit>/<name>.yaml``."""
    parts = path.resolve().parts
    if data is not None:
        try:
            parts = path.resolve().relative_to(data.resolve()).parts
        except ValueError:
            pass
    year = unit = None
    for i, part in enumerate(parts[:-1]):
        if _YEAR_DIR.fullmatch(part):
            year = int(part)
            unit = parts[i + 1] if i + 2 < len(parts) else None
    return year, unit


def project_files(paths: Iterable[Path], data: Path | None = None, year: int | None = None,
                  unit: str | None = None, kind: str = "target") -> list[ProjectFile]:
    """Project files under the given paths (files or folders), sorted, filtered by year and unit.

    ``kind`` picks target tables ("target", the default), 自评表 (``*.自评.yaml``, "selfeval")
    or both ("all", what lint checks). A file named on the command line is taken as it is.

    Links are not followed out of the folders given: a link that points outside is skipped,
    so a hostile data repository cannot make the tool read files elsewhere.
    """
    roots = list(paths)
    found: dict[str, ProjectFile] = {}
    listed: list[ProjectFile] = []
    for root in roots:
        if not root.exists():
            raise InputError(f"路径不存在：{root}")
        if not root.is_file() and not root.is_dir():
            raise InputError(f"{root} 不是普通文件（命名管道、设备或套接字），不能作为绩效目标表读取")
        guard = data if data is not None else _nearest_data()
        if guard is not None and _leads_out(root, guard):
            raise InputError(f"{root} 是指向数据目录以外（{root.resolve()}）的链接，不读取：请直接给出那个文件的路径，"
                             "或把它复制到数据目录中")
        if root.is_file():
            y, u = describe(root, data)
            if (year is None or y == year) and (unit is None or u == unit):
                found.setdefault(str(root.resolve()), ProjectFile(root, _shown(root), y, u))
            continue
        for f in folder_files(root, data, year, unit, kind):
            if len(roots) == 1:  # one folder: the walk is in order and names each file once
                listed.append(f)
            else:
                found.setdefault(f.shown, f)
    if not found:
        return listed
    return sorted([*found.values(), *listed], key=lambda f: f.shown)


def folder_files(root: Path, data: Path | None = None, year: int | None = None, unit: str | None = None,
                 kind: str = "target") -> Iterator[ProjectFile]:
    """`project_files` of one folder, as a stream in path order (nothing is kept)."""
    # where the folder sits below data/ tells the year and unit of what it holds
    base_year, base_unit = describe(root / "x", data)
    return _files_under(root, _shown(root), base_year, base_unit, year, unit, kind)


def _files_under(root: Path, prefix: str, base_year: int | None, base_unit: str | None, year: int | None,
                 unit: str | None, kind: str, real: str | None = None) -> Iterator[ProjectFile]:
    """Files under ``root`` (shown as ``prefix``/…) of the year and unit asked for; ``real``: where
    ``root`` truly is, when the caller knows it already."""
    # a year folder and one unit asked for: only that unit's folder is walked
    only = unit if unit is not None and base_year is not None and base_unit is None else None
    for path, rel in _walk(root, only, real):
        if base_year is None and rel == (UNITS_FILE,):
            continue  # data/units.yaml is the units list; a project named "units" deeper down is a project
        y, u = place(rel, base_year, base_unit)
        if (year is not None and y != year) or (unit is not None and u != unit):
            continue
        if kind != "all" and file_kind(rel[-1]) != kind:
            continue
        shown = "/".join((prefix, *rel)) if prefix not in ("", ".") else "/".join(rel)
        yield ProjectFile(path, shown, y, u)


def place(rel: tuple[str, ...], base_year: int | None = None, base_unit: str | None = None
          ) -> tuple[int | None, str | None]:
    """(year, unit folder) of a file at ``rel`` (path parts) below a folder of ``base_year`` and
    ``base_unit`` (None, None: below data/ itself).

    >>> place(("2024", "妇联", "x.yaml"))
    (2024, '妇联')
    >>> place(("妇联", "x.yaml"), 2024)
    (2024, '妇联')
    >>> place(("2024", "x.yaml"))
    (2024, None)
    """
    y, u = base_year, base_unit
    for i, part in enumerate(rel[:-1]):
        if _YEAR_DIR.fullmatch(part):
            y = int(part)
            u = rel[i + 1] if i + 2 < len(rel) else None
    if y is not None and u is None and base_year is not None and base_unit is None and len(rel) > 1:
        u = rel[0]
    return y, u


def listed(names: Iterable[str], year: int | None = None, unit: str | None = None, kind: str = "target"
           ) -> Iterator[tuple[str, int | None, str | None]]:
    """`project_files` of names relative to data/ (a git revision's listing, nothing on disk):
    (name, year, unit folder) of those a walk of the written-out revision would give.

    >>> [n for n, _y, _u in listed(["units.yaml", "2024/妇联/a.yaml", "2024/.x/b.yaml", "2024/妇联/a.自评.yaml"])]
    ['2024/妇联/a.yaml']
    """
    for name in names:
        rel = tuple(name.split("/"))
        if rel == (UNITS_FILE,) or any(part.startswith(".") for part in rel):
            continue
        if not rel[-1].lower().endswith((".yaml", ".yml")):
            continue
        y, u = place(rel)
        if (year is not None and y != year) or (unit is not None and u != unit):
            continue
        if kind != "all" and file_kind(rel[-1]) != kind:
            continue
        yield name, y, u


def walk_order(name: str) -> list[str]:
    """The sort key of a path (relative, "/"-separated) in the order a walk of its folder
    (`folder_files`) gives: each folder sorts as its name and "/".

    >>> sorted(["a/b.yaml", "a-b.yaml", "a.yaml"], key=walk_order)
    ['a-b.yaml', 'a.yaml', 'a/b.yaml']
    """
    parts = name.replace(os.sep, "/").split("/")
    return [part + "/" for part in parts[:-1]] + parts[-1:]


def shown_as(files: Iterable[ProjectFile], copy: Path, data: Path) -> list[ProjectFile]:
    """Files of a copy of the data folder (a git revision written out) named as the same files
    in ``data``: configuration patterns match them, and messages point where people look."""
    out = []
    for f in files:
        rel = f.path.resolve().relative_to(copy.resolve())
        out.append(ProjectFile(f.path, _shown(data / rel), f.year, f.unit))
    return out


def _walk(root: Path, only: str | None = None, real: str | None = None) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every project file under ``root`` with its path parts relative to ``root``, in the order
    of their paths as strings (a folder sorts as its name and "/"): a listing needs no sort.
    Links out of ``root`` are not followed, nor links back to a folder being walked. ``only``:
    of what ``root`` itself holds, only that entry (one unit's folder of a year). ``real``:
    ``root`` with its links resolved, when the caller knows it."""
    base = Path(real) if real is not None else root.resolve()
    return _folder(str(root), (), str(base), base, only)


def _folder(path: str, rel: tuple[str, ...], real: str, base: Path,
            only: str | None) -> Iterator[tuple[str, tuple[str, ...]]]:
    """`_walk` in one folder. ``real``: where the folder truly is (its links resolved), to see a
    link loop back. (A plain function, not a closure calling itself: that would be a reference
    cycle, which lives on while a large run pauses the garbage collector.)"""
    for key, target in _entries(path, real, base, only if not rel else None):
        if key.endswith("/"):
            name = key[:-1]
            yield from _folder(_join(path, name), (*rel, name), target or _join(real, name), base, only)
        else:
            yield _join(path, key), (*rel, key)


def _entries(path: str, real: str, base: Path, only: str | None = None) -> list[tuple[str, str | None]]:
    """What one folder holds that a walk enters, sorted: project files by name, folders as their
    name and "/" with where a link among them leads (None for a plain folder). Hidden entries,
    links out of ``base`` and links back to a folder being walked are left out; ``only``: only
    the entry of that name."""
    try:
        with os.scandir(path) as it:
            entries = list(it)
    except OSError:
        return []
    # kept while the folder is walked (a year folder holds thousands of units): names only
    keyed: list[tuple[str, str | None]] = []
    for entry in entries:
        name = entry.name
        if only is not None and name != only:
            continue
        table = name.lower().endswith((".yaml", ".yml"))
        if name.startswith("."):
            if table and not name.endswith(".tmp"):
                skip(entry.path, "隐藏文件（名称以“.”开头）")
            continue
        target = None
        if entry.is_symlink():
            resolved = Path(entry.path).resolve()
            if not _inside(resolved, base):
                if table or entry.is_dir():
                    skip(entry.path, "指向数据目录以外的链接，不读取")
                continue  # a link out of the data folder is never read
            target = str(resolved)
        if entry.is_dir():
            if target is not None and (real == target or real.startswith(target + "/")):
                continue  # a link to a folder being walked: it would never end
            keyed.append((name + "/", target))
        elif table:
            if entry.is_file():
                keyed.append((name, None))
            else:  # a FIFO would block the run, a device or socket is no table
                skip(entry.path, "不是普通文件（命名管道、设备或套接字）")
    del entries
    keyed.sort()
    return keyed


def _nearest_data() -> Path | None:
    try:
        return find_data()
    except InputError:
        return None


def _leads_out(path: Path, data: Path) -> bool:
    """A path named on the command line that lies in the data folder but is (or passes through)
    a link to somewhere outside it."""
    absolute = path if path.is_absolute() else Path.cwd() / path
    root = data.resolve()
    inside_by_name = Path(os.path.normpath(absolute)).is_relative_to(Path(os.path.normpath(data.absolute())))
    return inside_by_name and not path.resolve().is_relative_to(root)


def _join(folder: str, name: str) -> str:
    """`os.path.join` of a folder and an entry's name (which holds no "/"), without its checks."""
    return f"{folder}/{name}" if not folder.endswith("/") else folder + name


def _inside(path: Path, base: Path) -> bool:
    try:
        path.relative_to(base)
        return True
    except ValueError:
        return False


def years(data: Path) -> list[int]:
    """The years that have a folder in ``data/``."""
    return sorted(int(p.name) for p in data.iterdir() if p.is_dir() and _YEAR_DIR.fullmatch(p.name))


class YearListing:
    """A year's project files a unit at a time, for commands that work unit by unit (diff): the
    year's unit folders are found at once, each unit's files listed only when asked for. Files
    lying in the year folder itself, outside any unit folder, are the unit ""."""

    def __init__(self, data: Path, year: int, kind: str = "target") -> None:
        self.data, self.year, self.kind = data, year, kind
        self.folder = data / str(year)
        self.prefix = _shown(self.folder)  # worked out once: each costs a few system calls
        self._base = self.folder.resolve() if self.folder.is_dir() else self.folder
        #: unit → where a unit folder that is a link leads (None for a plain folder): a unit is a
        #: folder that holds a project file of the kind (the first one found is enough)
        self._real: dict[str, str | None] = {}
        self._top: list[str] = []  # project files lying in the year folder itself
        for key, target in _entries(str(self.folder), str(self._base), self._base):
            if not key.endswith("/"):
                if self._wanted(key):
                    self._top.append(key)
                continue
            unit = key[:-1]
            if _YEAR_DIR.fullmatch(unit):
                continue  # a year folder inside a year folder holds no unit of this year
            if next(iter(self._unit_files(unit, target or _join(str(self._base), unit))), None) is not None:
                self._real[sys.intern(unit)] = target  # None: the folder is where its name says
        if self._top:
            self._real[""] = None
        self.units = sorted(self._real, key=lambda n: n + "/" if n else "")

    def _wanted(self, name: str) -> bool:
        return self.kind == "all" or file_kind(name) == self.kind

    def _unit_files(self, unit: str, real: str) -> Iterator[ProjectFile]:
        return _unit_files(self.folder, self.prefix, self.year, self.kind, unit, real)

    def files(self, unit: str) -> list[ProjectFile]:
        """The project files of one unit folder ("" : those outside any unit folder)."""
        if unit not in self._real:  # a dict: a city's year has thousands of units
            return []
        real = self._real[unit] or _join(str(self._base), unit)
        if unit == "":
            return [ProjectFile(_join(str(self.folder), name), _join(self.prefix, name) if self.prefix not in ("", ".")
                                else name, self.year, None) for name in self._top]
        # the unit's folder itself is walked (the year folder once per unit would be units²)
        return list(self._unit_files(unit, real))

    def part(self, units: Iterable[str]) -> UnitFolders:
        """Some of the year's unit folders (not ""), to be listed elsewhere: a worker process
        lists the files of its own units, and the parent never holds them."""
        return UnitFolders(self.folder, self.prefix, self.year, self.kind,
                           tuple((u, self._real[u] or _join(str(self._base), u)) for u in units if u and u in self._real))


@dataclass(frozen=True)
class UnitFolders:
    """Unit folders of a year with where each truly is (`YearListing.part`), small enough to send
    to another process; each unit's files are listed when asked for, as `YearListing` lists them."""

    folder: Path
    prefix: str
    year: int
    kind: str
    reals: tuple[tuple[str, str], ...]

    @property
    def units(self) -> list[str]:
        return [unit for unit, _real in self.reals]

    def files(self, unit: str) -> list[ProjectFile]:
        real = dict(self.reals).get(unit)
        return [] if real is None else list(_unit_files(self.folder, self.prefix, self.year, self.kind, unit, real))


def _unit_files(folder: Path, prefix: str, year: int, kind: str, unit: str, real: str) -> Iterator[ProjectFile]:
    """The files of one unit folder of a year folder (``real``: where the unit folder truly is)."""
    shown = f"{prefix}/{unit}" if prefix not in ("", ".") else unit
    return _files_under(folder / unit, shown, year, unit, year, unit, kind, real)


def unit_folders(data: Path) -> set[str]:
    """Every unit folder of every year folder (the units a typed name may mean)."""
    found: set[str] = set()
    for year in years(data) if data.is_dir() else ():
        found.update(p.name for p in (data / str(year)).iterdir() if p.is_dir() and not p.name.startswith("."))
    return found


def years_holding(data: Path, *, project: str | None = None, unit: str | None = None, besides: int | None = None,
                  kind: str = "target") -> list[int]:
    """The years other than ``besides`` that hold a project file named for ``project`` (in any
    unit, or in ``unit``) or, without a project, any project file of ``unit``: for "not in 2025,
    but in 2024" hints. Looks at file names only (one folder read per unit)."""
    from .naming import safe_name
    suffix = BESIDE.get(kind, ".yaml")
    wanted = safe_name(project) + suffix if project is not None else None
    found = []
    for year in years(data):
        if year == besides:
            continue
        folder = data / str(year)
        units = [folder / unit] if unit is not None else [p for p in folder.iterdir() if p.is_dir()]
        for place in units:
            if wanted is not None and (place / wanted).is_file():
                found.append(year)
                break
            if wanted is None and place.is_dir() and any(
                    p.name.endswith(".yaml") and file_kind(p.name) == kind
                    for p in place.iterdir()):
                found.append(year)
                break
    return found


def elsewhere(what: str, found: list[int]) -> str:
    """"；该项目在 2024 年度有，可加 --year 2024" for the years `years_holding` found ("" for none)."""
    if not found:
        return ""
    shown = "、".join(str(y) for y in found)
    return f"；{what}在 {shown} 年度有，可加 --year {found[-1]}"


@functools.lru_cache(maxsize=256)
def _repository_of(folder: str) -> str | None:
    """The nearest folder at or above ``folder`` that holds ``.git`` (a work tree's root)."""
    here = folder
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        up = os.path.dirname(here)
        if up == here:
            return None
        here = up


def from_root(path: str) -> str:
    """A path as shown (relative to the working directory, or absolute) made relative to the root
    of the repository holding it, whatever the working directory: what GitHub annotations,
    GitLab Code Quality, SARIF and a pull-request comment need. Unchanged outside a repository."""
    absolute = os.path.abspath(path)
    root = _repository_of(os.path.dirname(absolute))
    return os.path.relpath(absolute, root).replace(os.sep, "/") if root is not None else path
