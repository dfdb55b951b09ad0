"""What an official form is made of (`Form`), and the indicator words all forms share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Final, Mapping

OUTPUT: Final = "产出指标"
COST: Final = "成本指标"
BENEFIT: Final = "效益指标"
SATISFACTION: Final = "满意度指标"
#: Every 一级 indicator any form uses, in the order the forms print them.
LEVEL1_ORDER: Final = (COST, OUTPUT, BENEFIT, SATISFACTION)
#: The 二级 indicators rules and readers name: every form has them, under these words.
QUANTITY: Final = "数量指标"
SERVED_SATISFACTION: Final = "服务对象满意度指标"


_TERM = re.compile(r"(\d{4})(\d{2})-(\d{4})(\d{2})")


def term_dates(text: str | None) -> tuple[str | None, str | None]:
    """项目起止时间 as start and end: 202401-202612 → 2024-01, 2026-12. Any other writing stays
    whole in the start (lint's date-format names it), so the file's text is never changed."""
    hit = _TERM.fullmatch(text or "")
    if hit is None:
        return text, None
    return f"{hit.group(1)}-{hit.group(2)}", f"{hit.group(3)}-{hit.group(4)}"


def term_text(start: str | None, end: str | None) -> str | None:
    """The 项目起止时间 of a start and an end (`term_dates` read backwards)."""
    if end is None:
        return start
    return f"{(start or '').replace('-', '')}-{end.replace('-', '')}"


#: The stages of a project's year, in order, as people call their tables.
KIND_WORDS: Final = {"target": "目标表", "monitor": "监控表", "selfeval": "自评表"}


@dataclass(frozen=True)
class Form:
    """One official form: what it is called, what it holds, how a blank one looks.

    ``levels`` is its 一级 → 二级 vocabulary in the order the form prints it; ``blank`` the
    二级 rows a blank form pre-prints (a row each); ``money_unit`` the unit its amounts are
    kept in; ``nature`` whether its header has 项目性质; ``value_head`` the heading of the
    value column. ``users`` and ``example`` are for `perfgoals forms`.
    """

    id: str
    title: str
    kind: str  # "target" (a 目标表), "monitor" (a 监控表) or "selfeval" (a 自评表): `KIND_WORDS`
    levels: Mapping[str, tuple[str, ...]]
    blank: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    money_unit: str = "万元"
    nature: bool = False
    value_head: str = "年度指标值"
    users: str = ""
    example: str = ""
    #: how its files' names end: a target table ``x.yaml``; a form filled for a target table
    #: sits beside it as ``x.<form's word>.yaml`` (``x.自评.yaml``)
    suffix: str = ".yaml"
    #: the package that reads and writes a form kept beside a target table (its ``load_file``,
    #: ``load_bytes``, ``text``, ``format_text``); "" for a target form
    package: str = ""
    #: what ``perfgoals new --form`` also accepts for it (the ids of earlier releases)
    aliases: tuple[str, ...] = ()
    #: the choices of its 项目类别 (or the field that stands there, e.g. 项目属性)
    categories: tuple[str, ...] = ()
    #: A form whose files use its own words: (YAML key path, project field) in file order, the
    #: field being a key of `model.FIELDS` or ``term`` (项目起止时间 = start and end, 202401-202412).
    #: Empty: the Shanghai files' keys (`model.TOP_KEYS`), which the loader reads directly.
    layout: tuple[tuple[str, str], ...] = ()
    #: the keys of one indicator row: 三级 name, value, and 绩效标准 where the form has it
    row_keys: tuple[str, ...] = ("三级指标", "年度指标值")
    #: ``grid(document, blank_slots, official) -> sheet.Grid``: how a form with its own layout
    #: draws itself (None: the Shanghai layout `formgrid.build` draws); a "module:function" text
    #: names one in a package above this one (imported when first used: `hook`)
    grid: Any = None
    #: ``read(rows, year) -> document``: the form back from rows of cells in that layout
    read: Any = None

    def hook(self, name: str) -> Any:
        """The form's ``grid`` or ``read`` function (None when it has none)."""
        found = getattr(self, name)
        if isinstance(found, str):
            import importlib
            module, _colon, function = found.partition(":")
            found = getattr(importlib.import_module(module), function)
        return found

    def field_path(self, fld: str) -> str | None:
        """Where a project field sits in this form's files (None: the form has no such field)."""
        from ..model import FIELDS
        if not self.layout:  # the Shanghai files: every field but those only other forms have
            return None if fld in ("annual.upper", "long_groups") else FIELDS.get(fld)
        for path, name in self.layout:
            if name == fld or (name == "term" and fld in ("start", "end")):
                return path
        return None

    def yaml_path(self, data_path: str) -> str | None:
        """A data path in the Shanghai words (as rules and positions name them) in this form's
        own words; None when the form has no such field (a rule's finding there does not apply)."""
        if not self.layout:
            return data_path
        from ..model import FIELDS
        best = max((f for f, canon in FIELDS.items() if data_path == canon or data_path.startswith(canon + ".")
                    or data_path.startswith(canon + "[")), key=lambda f: len(FIELDS[f]), default=None)
        if best is None:
            # a whole block (项目资金, 年度资金, 绩效目标): where its first field on this form is
            inside = [f for f, canon in FIELDS.items() if canon.startswith(data_path + ".")]
            paths = [p for f in inside if (p := self.field_path(f)) is not None]
            return paths[0].rsplit(".", 1)[0] if paths else ("" if data_path == "" else None)
        own = self.field_path(best)
        if own is None:
            return None
        rest = data_path[len(FIELDS[best]):]
        if best in ("groups", "long_groups") and rest:
            tail = rest.rsplit(".", 1)
            words = dict(zip(("三级指标", "年度指标值", "绩效标准"), self.row_keys))
            if len(tail) == 2 and tail[1] in words:
                rest = f"{tail[0]}.{words[tail[1]]}"
        return own + rest

    @property
    def words(self) -> tuple[tuple[str, str], ...]:
        """(Shanghai word, this form's word) for every field named differently here, longest
        first: how a rule's message is put in the form's words."""
        from ..model import FIELDS
        if not self.layout:
            return ()
        out: dict[str, str] = {}
        for fld, canon in FIELDS.items():
            own = self.field_path(fld)
            if own is None or fld in ("groups", "long_groups"):
                continue
            a, b = canon.rsplit(".", 1)[-1], own.rsplit(".", 1)[-1]
            if a != b:
                out[a] = b
        if self.row_keys[1] != "年度指标值":
            out["年度指标值"] = self.row_keys[1]
        # a word two fields share (其他资金 of both blocks) is left as it is
        ambiguous = {a for a in out if sum(1 for c in FIELDS.values() if c.endswith("." + a) or c == a) > 1}
        return tuple(sorted(((a, b) for a, b in out.items() if a not in ambiguous), key=lambda w: -len(w[0])))

    def in_words(self, message: str) -> str:
        """A message written in the Shanghai words, in this form's words."""
        words = dict(self.words)
        if not words:
            return message
        # one pass, longest word first: a replaced word is never replaced again
        return re.sub("|".join(map(re.escape, words)), lambda hit: words[hit.group(0)], message)

    def order(self, level1: str, level2: str) -> tuple[int, int]:
        """A sort key placing a (一级, 二级) pair in this form's order; unknown names go last."""
        i = LEVEL1_ORDER.index(level1) if level1 in LEVEL1_ORDER else len(LEVEL1_ORDER)
        names = self.levels.get(level1, ())
        return i, names.index(level2) if level2 in names else len(names)

    @property
    def blocks(self) -> dict[str, tuple[str, ...]]:
        """The layout's top-level keys in file order, each with its inner keys (("",) for a key
        that holds its value itself)."""
        out: dict[str, tuple[str, ...]] = {}
        for path, _fld in self.layout:
            head, _dot, key = path.partition(".")
            out[head] = out.get(head, ()) + (key,)
        return out

    @cached_property
    def marks(self) -> frozenset[str]:
        """The top-level keys only this form's files have: how a file says which form it is
        (asked for every file read: worked out once)."""
        from ..model import TOP_KEYS
        return frozenset(path.split(".", 1)[0] for path, _f in self.layout) - set(TOP_KEYS)
