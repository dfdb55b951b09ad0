"""The units of a data directory: folder names, the full 实施单位 names in ``units.yaml``, and
turning what a user types after ``--unit`` into a folder.

``data/units.yaml`` maps each unit folder to the full 实施单位 names whose projects it holds
(kept by ``perfgoals import`` and ``perfgoals new --new-unit``). A user may type either the
folder (妇联) or a full name (共青团浦江镇委员会 → 团委); anything else is a mistake until
``--new-unit`` says a new unit is meant.
"""

from __future__ import annotations

from difflib import get_close_matches
from pathlib import Path
from typing import Any, Mapping

from .naming import safe_name, unit_folder
from .problems import InputError
from .workspace import UNITS_FILE, unit_folders

__all__ = ["UNITS_FILE", "load", "names", "of", "folder_for", "resolve", "unknown_message", "with_unit", "text"]


def load(data: Path) -> dict[str, list[str]]:
    """``units.yaml`` of a data directory (empty when there is none); a broken one is an InputError."""
    path = data / UNITS_FILE
    if not path.exists():
        return {}
    from . import yamlio  # ruamel: only when a units file is read (lint without --unit never is)
    if not path.is_file():
        raise InputError(f"{path} 应为文件，实为文件夹")
    from . import loader
    try:
        text = path.read_text(encoding="utf-8-sig")
        # the project files' reader first: it refuses aliases and deep nesting, which ruamel
        # would expand (a 600-byte file → minutes and gigabytes)
        loader.compose(text)
        return yamlio.load_units(text)
    except loader.BadInput as e:
        raise InputError(f"{path}:{e.line}: 单位文件无法读取：{e.message}") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: 单位文件不是 UTF-8 编码") from None
    except yamlio.FormatError as e:
        raise InputError(f"{path}:{e.line}: 单位文件无法读取：{e}") from None
    except OSError as e:
        raise InputError(f"无法读取 {path}：{e.strerror or e}") from None


def resolve(name: str, registry: Mapping[str, list[str]], folders: set[str]) -> str | None:
    """The folder a typed unit name means: a folder name, or a full name listed in units.yaml."""
    if name in folders or name in registry:
        return name
    holding = [folder for folder, fulls in registry.items() if name in fulls]
    if len(holding) > 1:
        raise InputError(f"实施单位全称“{name}”在 units.yaml 中列在 {len(holding)} 个单位文件夹下（{'、'.join(holding)}）："
                         f"请用文件夹名指定，或改正 units.yaml")
    if holding:
        return holding[0]
    safe = safe_name(name)
    return safe if safe in folders else None


def unknown_message(name: str, registry: Mapping[str, list[str]], folders: set[str]) -> str:
    """"No such unit", with the closest folder or full names (or all of them when none is close)."""
    by_name = {folder: folder for folder in (*folders, *registry)}
    for folder, fulls in registry.items():
        for full in fulls:
            by_name.setdefault(full, folder)
    close = get_close_matches(name, list(by_name), n=3, cutoff=0.3)
    # "共青团委" is close to 团委 though difflib scores it low: a shared 2-character stretch counts too
    close += [n for n in sorted(by_name) if n not in close and len(n) >= 2 and (n in name or name in n)][:3]
    shown = []
    for n in close:
        folder = by_name[n]
        label = folder if n == folder else f"{folder}（{n}）"
        if label not in shown:
            shown.append(label)
    hint = f"相近的单位：{'、'.join(shown)}" if shown else f"现有单位：{'、'.join(sorted(set(by_name.values()))) or '无'}"
    return f"没有单位“{name}”；{hint}"


def folder_for(data: Path, name: str, allow_new: bool = False, creating: bool = False) -> str:
    """The unit folder for ``--unit NAME``; an InputError naming the closest units when unknown.

    With ``allow_new`` an unknown name is a new unit: its folder is the name made safe.
    ``creating``: the caller could make a new unit (the message then says how).
    """
    registry = load(data)
    folders = unit_folders(data)
    found = resolve(name, registry, folders)
    if found is not None:
        return found
    if allow_new:
        return safe_name(name)
    raise InputError(unknown_message(name, registry, folders) + ("（新单位请加 --new-unit）" if creating else ""))


def names(data: Path) -> dict[str, str]:
    """Each unit folder's full 实施单位 name: the first one units.yaml lists for it (the name a
    unit is shown by in every rendered form; a folder it does not list is shown by its tables)."""
    return {folder: full[0] for folder, full in load(data).items() if full}


def with_unit(registry: Mapping[str, list[str]], folder: str, full: str) -> dict[str, list[str]]:
    """The registry with ``full`` listed under ``folder`` (sorted by folder, as import writes it)."""
    out = {k: list(v) for k, v in registry.items()}
    names = out.setdefault(folder, [])
    if full not in names:
        names.append(full)
    return {k: out[k] for k in sorted(out)}


def text(registry: Mapping[str, list[str]], data: Path | None = None) -> str:
    """The units file's text; with ``data``, its current file updated in place (what a person
    wrote there, comments included, is kept)."""
    from . import yamlio
    path = data / UNITS_FILE if data is not None else None
    if path is not None and path.is_file():
        try:
            return yamlio.units_update(path.read_text(encoding="utf-8-sig"), registry)
        except (OSError, UnicodeDecodeError, yamlio.FormatError):
            pass  # load() has said what is wrong with it before anything is written
    return yamlio.units_text({k: registry[k] for k in sorted(registry)})


def of(item: Any) -> str:
    """The unit a project is counted, listed and printed under: the unit folder it sits in, else
    the folder its 实施单位 would get (`naming.unit_folder`; 未填实施单位 when blank). The one
    answer for summary, render and export."""
    return item.unit_folder or unit_folder(item.project.unit)
