"""Rules on 项目绩效目标: the 项目总目标 and 年度总体目标 texts."""

from __future__ import annotations

import re
from typing import Iterator

from .. import model as m
from .engine import Finding, Source, rule

_PAST = re.compile(r"(完成了|实现了|开展了|取得了|达到了|举办了|发放了|已完成|已经完成|已实现|已开展|已发放)")
_CUT_ENDINGS = "，、：；（(“《-—"
_CUT_WORDS = "的每和与及对为在将把从向更并或使以其之"
#: (term, first budget year in which it is out of date, why)
#: Families of stale references: (pattern, first year it is stale, why). A family is one cause:
#: a goal that names 十九大 and 十九届五中全会 gets one finding.
STALE_TERMS: tuple[tuple[str, int, str], ...] = (
    (r"十九大|十九届[一二三四五六七]?中?全会|党的十九届", 2023, "党的二十大已于 2022 年召开，应引用二十大精神"),
    (r"疫情防控|新冠|防疫|抗疫|核酸检测|常态化疫情", 2023, "疫情防控措施已于 2022 年底调整，不宜再作为项目依据"),
    (r"脱贫攻坚(?!成果)", 2021, "脱贫攻坚已于 2020 年底完成，现为巩固拓展脱贫攻坚成果、乡村振兴"),
    (r"建成小康社会进程|决胜全面建成小康", 2021, "全面建成小康社会已于 2020 年实现"),
    (r"十三五", 2021, "“十三五”规划期为 2016—2020 年，现为“十四五”"),
)


_STALE = tuple((re.compile(pattern), since, why) for pattern, since, why in STALE_TERMS)
#: Any of them: most goal texts hold none, and one search says so.
_ANY_STALE = re.compile("|".join(f"(?:{pattern})" for pattern, _since, _why in STALE_TERMS))
_NON_WORD = re.compile(r"\W")
_DIGIT = re.compile(r"\d")


def _goals(p: m.Project) -> Iterator[tuple[str, str, str | None]]:
    yield f"{m.K_GOALS}.{m.K_GOAL_TOTAL}", m.K_GOAL_TOTAL, p.goal_total
    yield f"{m.K_GOALS}.{m.K_GOAL_ANNUAL}", m.K_GOAL_ANNUAL, p.goal_annual


@rule("goal-missing", "error")
def goal_missing(src: Source) -> Iterator[Finding]:
    """项目总目标与年度总体目标都必须填写。

    依据：财预〔2015〕88号——绩效目标是预算安排的前提，“完整性”是审核的第一项。
    通过：年度总体目标: 开展帮困助学活动，走访困难妇女儿童 33 人
    不通过：年度总体目标: null
    """
    for path, name, text in _goals(src.project):
        if not text or not text.strip():
            yield Finding(path, f"{name}未填写")


@rule("goal-vague", "warning")
def goal_vague(src: Source) -> Iterator[Finding]:
    """绩效目标过于笼统：太短且没有任何数量、时间或范围，无法据此评价；或在较长的目标中，要达到的只是
    “预期目标”“预期效果”一类空话（“达到预期的目标”说不出要达到什么）。

    依据：财预〔2015〕88号要求绩效目标“指向明确”“细化量化”。
    通过：年度总体目标: 全年开展维权宣传活动 5 次，入户走访 20 次
    不通过：年度总体目标: 完成全年政府文印保障工作
    不通过：年度总体目标: 全年开展维权宣传活动 5 次，入户走访 20 次，确保项目达到预期的目标
    """
    for path, name, text in _goals(src.project):
        if text and len(_NON_WORD.sub("", text)) < 15 and not _DIGIT.search(text):
            yield Finding(path, f"{name}过于笼统（“{text.strip()}”），应写明做什么、做多少、何时完成")
        elif text and (hit := _EMPTY_AIM.search(text)):
            yield Finding(path, f"{name}中的“{hit.group(0)}”没有说出要达到什么：应写明具体的产出或效果")


#: an aim that names no aim: "达到预期的目标", "取得预期效果", "实现预期目标"
_EMPTY_AIM = re.compile(r"(达到|实现|取得|完成)(了)?(预期|既定|预定)(的)?(目标|效果|成效)")


@rule("goal-past-tense", "warning")
def goal_past_tense(src: Source) -> Iterator[Finding]:
    """绩效目标是计划，不应写成已完成的事（“完成了…”“已…”）。

    依据：财预〔2015〕88号——绩效目标是“预期达到的产出和效果”；写成过去时往往是把上年总结抄进了目标表。
    通过：项目总目标: 完成 7-8 月高温慰问工作
    不通过：项目总目标: 完成了7-8月高温慰问工作。
    """
    for path, name, text in _goals(src.project):
        hit = _PAST.search(text or "")
        if hit:
            yield Finding(path, f"{name}写成了过去时（“{hit.group(1)}”）：目标应写预期要达到的结果")


@rule("goal-truncated", "warning")
def goal_truncated(src: Source) -> Iterator[Finding]:
    """绩效目标文字在句子中间断掉（以逗号或“的”“每”等虚词结尾，括号、引号只开不合，以乱码“�”结尾），
    或没有说完的一个目标恰是另一个目标的开头（从同一段文字复制时少复制了后半截）。

    句子以虚词结尾，哪怕后面补了句号（“要求每。”），也算断掉。

    依据：常识——常见于从窄小的表格单元格复制时文字被截断，审核时无法读懂完整目标。
    通过：项目总目标: 开展庆祝五四青年节系列活动。
    通过：项目总目标: 落实帮扶政策是必要的。全年走访 33 人。
    通过：项目总目标: 开展维权宣传活动，维护妇女儿童合法权益。 / 年度总体目标: 开展维权宣传活动，维护妇女儿童合法权益。全年走访 33 人。
    不通过：项目总目标: 团市委将爱心托班列入实事项目，要求每
    不通过：项目总目标: 团市委将爱心托班列入实事项目，要求每。全年开办两期。
    不通过：项目总目标: 按《上海市妇女儿童发展规划开展维权服务，全年走访 33 人。
    不通过：项目总目标: 全年开展维权宣传活动 5 次，入户走访困难妇女儿童 20 �
    不通过：项目总目标: 全年开展维权宣传活动 5 次，入户走访困难妇 / 年度总体目标: 全年开展维权宣传活动 5 次，入户走访困难妇女儿童 20 次。
    """
    p = src.project
    texts = {name: (text or "").strip() for _path, name, text in _goals(p)}
    for path, name, text in _goals(p):
        t = texts[name]
        if len(t) < 10:
            continue
        cut = _cut_at(t) or _prefix_of(t, [v for k, v in texts.items() if k != name])
        if cut:
            yield Finding(path, f"{name}似乎在句子中间被截断（{cut}），请补全")


def _prefix_of(t: str, others: list[str]) -> str | None:
    """A text that stops without closing punctuation where another goal text goes on: the same
    passage copied short."""
    if t[-1] in _CLOSING:
        return None
    for other in others:
        # the rest is more than a word ("…中期评估" / "…中期评估报告" says the same thing)
        if len(other) >= len(t) + _MORE and other.startswith(t):
            return f"只是另一个目标的开头，后面还有“{other[len(t):len(t) + 8]}…”"
    return None


_CLOSING = "。！？；.!?;）)”》】"
_MORE = 4


_CLAUSE = re.compile(r"[，、。；！？,;]")
#: A sentence: a run of four or more characters from the text's start or a full stop to the next one.
#: Anchored and possessive, so a final run without a full stop is tried once, not from each of its
#: characters (the unanchored lazy form took time quadratic in it: 16 µs of a goal's 18).
_SENTENCE = re.compile(r"(?<![^。；！？])([^。；！？]{4,}+)[。；！？]")


def _cut_at(t: str) -> str | None:
    """Where a goal text breaks off mid-sentence, described for the message; None when it reads whole."""
    last_clause = _CLAUSE.split(t.rstrip("，、"))[-1]
    if t[-1] == "\ufffd" or "\ud800" <= t[-1] <= "\udfff":  # a character cut in two, shown as �
        return f"结尾为半个字“{t[-6:-1]}�”"
    if t[-1] in _CUT_ENDINGS or t[-1] in _CUT_WORDS or (len(t) > 40 and 0 < len(last_clause) <= 1):
        return f"结尾为“{t[-6:]}”"
    for hit in _SENTENCE.finditer(t):
        sentence = hit.group(1).rstrip()
        tail = sentence[-1]
        if tail in _CUT_WORDS.replace("的", "") or (tail == "的" and "是" not in sentence) or tail in "，、":
            return f"“{sentence[-6:]}{t[hit.end() - 1]}”处句子没有说完"
    for opening, closing in _PAIRS:
        if t.count(opening) > t.count(closing):
            at = t.rindex(opening)
            return f"“{t[at:at + 8]}…”的“{opening}”没有对应的“{closing}”"
    return None


_PAIRS = (("（", "）"), ("(", ")"), ("“", "”"), ("《", "》"), ("【", "】"))


@rule("goal-stale-reference", "warning")
def goal_stale_reference(src: Source) -> Iterator[Finding]:
    """绩效目标引用了对本年度已过时的提法（如 2024 年表中的“十九大”“疫情防控”“脱贫攻坚”）。

    依据：财预〔2015〕88号“相关性”——目标应与当年的工作任务相关；过时提法说明目标是照搬往年的。
    通过：年度总体目标: 贯彻落实党的二十大精神
    不通过：年度总体目标: 贯彻落实党的十九大精神（2024 年的表）
    """
    year = src.project.year
    if year is None:
        return
    for path, name, text in _goals(src.project):
        if not text or _ANY_STALE.search(text) is None:
            continue
        for pattern, since, why in _STALE:
            hit = pattern.search(text) if year >= since else None
            if hit:
                yield Finding(path, f"{name}含有已过时的提法“{hit.group(0)}”：{why}（88号·相关性）")


_CN_DIGITS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
#: A number (or one Chinese numeral) and the count unit after it. The pattern starts with the
#: number, so the regex engine skips ahead to digits; what may not stand before it (a digit, a
#: point, 年, 第 …: part of a longer number, a date or an ordinal) is checked on each hit.
_PROMISE = re.compile(r"(\d+(?:\.\d+)?|[一两二三四五六七八九十](?![一二三四五六七八九十]))\s*(?:余|多)?\s*"
                      r"(名|人次|人|次|场次|场|期|户|所|篇|批|项|个|件|家|条|处|座|支|门|课时|节)")
_NOT_BEFORE = frozenset(".年月日号%第一二两三四五六七八九十")


_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _promises(text: str) -> list[tuple[str, str]]:
    """The counts a goal text promises: ("50", "约50名") for every number with a count unit."""
    out = []
    for hit in _PROMISE.finditer(text):
        at = hit.start()
        if at and (text[at - 1] in _NOT_BEFORE or text[at - 1].isdecimal()):
            continue  # no other hit starts inside this one: it is a number and its unit
        number = hit.group(1)
        value = str(_CN_DIGITS[number]) if number in _CN_DIGITS else number
        if value not in ("0", "1"):  # "一个…" is a way of speaking, not a promise to count
            out.append((value, hit.group(0)))
    return out


@rule("goal-unmeasured", "warning")
def goal_unmeasured(src: Source) -> Iterator[Finding]:
    """绩效目标中承诺的数量（“约50名代表”“两次人代会”“280人”）没有任何指标去衡量。

    依据：财预〔2015〕88号“相应匹配”——绩效指标是绩效目标的细化，目标里写了的数量应有指标与之对应，
    否则年终自评时无从核对目标是否达成。
    通过：项目总目标: 开展职业技能培训 / 年度总体目标: 组织职业技能培训4期 / 数量指标: 职业技能培训期数 ≥4期
    不通过：年度总体目标: 组织约50名代表视察（指标中没有 50）
    """
    p = src.project
    goals = list(_goals(p))
    promised = [(path, name, _promises(text or "")) for path, name, text in (*goals[1:], *goals[:1])]  # annual first
    if not any(promises for _path, _name, promises in promised):
        return
    measured = set(_NUMBER.findall(" ".join(f"{r.name or ''} {r.value or ''}" for _path, _g, _i, r in p.rows())))
    seen: set[str] = set()
    for path, name, promises in promised:
        missing = [shown for value, shown in promises if value not in measured and value not in seen]
        seen.update(value for value, _shown in promises)
        if missing:
            yield Finding(path, f"{name}中承诺的“{'”“'.join(missing)}”没有指标衡量：应在数量指标中写明这个数"
                                "（88号·相应匹配）")


_GOAL_DATE = re.compile(r"(?<!\d)(20\d\d)\s*年\s*(\d{1,2})\s*月")
_PLAN_DATE = re.compile(r"^(\d{4})-(\d{1,2})")


@rule("goal-date-outside-plan", "warning")
def goal_date_outside_plan(src: Source) -> Iterator[Finding]:
    """绩效目标中写的日期（某年某月）落在计划开始日期至计划完成日期之外：两处说的不是同一个项目周期。

    依据：表式本身——计划日期与目标描述的是同一件事，互相矛盾时至少有一处是错的（常见于照搬上一年的表）。
    只看写到月份的日期（“2023年11月1日开工”）；政策文件的年份（“2016年市政府实事项目”）不算。
    通过：计划开始日期: 2024-01-01 / 年度总体目标: 2024年6月底前完成
    不通过：计划开始日期: 2024-01-01 / 项目总目标: 项目计划开工时间2023年11月1日
    """
    p = src.project
    start, end = _PLAN_DATE.match(p.start or ""), _PLAN_DATE.match(p.end or "")
    if not start or not end:
        return
    first = (int(start.group(1)), int(start.group(2)))
    last = (int(end.group(1)), int(end.group(2)))
    for path, name, text in _goals(p):
        outside = [h.group(0) for h in _GOAL_DATE.finditer(text or "")
                   if not first <= (int(h.group(1)), int(h.group(2))) <= last]
        if outside:
            yield Finding(path, f"{name}中的“{'”“'.join(outside)}”不在计划日期 {p.start} 至 {p.end} 之内："
                                "请核对计划日期或目标文字")
