"""Text from the tables made safe for an output: one line for terminals and CI annotations,
inert in Markdown. Every output that shows a project's own words goes through here."""

from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]()!|~])")  # our own markup always comes first on a line
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_REFERENCE = re.compile(r"(#|!)(?=\d)")


def one_line(text: str) -> str:
    """Text on one line: line breaks and control characters become one space each run."""
    if text.isprintable():  # no control character, line or paragraph separator: nothing to replace
        return text.strip()
    return _CONTROL.sub(" ", text).strip()


def md_text(text: object) -> str:
    """Text from a table (a project name, a value) made inert inside Markdown.

    It stays on one line (a line break would end a table row or a list item), cannot open a
    link, image, heading, code span or HTML element (``</details>`` would break the comment's
    folding), cannot mention anyone (``@name`` would ping a user or team) and cannot become a
    bare link.
    """
    out = one_line(str(text))
    out = out.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    out = _MD_SPECIAL.sub(r"\\\1", out)
    out = out.replace("@", "@\u200b").replace("://", ":\u200b//").replace("www.", "www\u200b.")
    # "#12" links an issue and "!12" a merge request on GitHub and GitLab: not from a table's words
    return _REFERENCE.sub("\\1\u200b", out)


def code_span(text: object) -> str:
    """Text (a file name) shown as written inside a Markdown code span, in a table cell too:
    nothing in a code span is a link, an emphasis or an escape, so ``( ) _ * [ ]`` need none;
    the fence is longer than any run of backquotes inside, and ``|`` is escaped for the table.

    >>> code_span("data/2024/妇联/a_(b).yaml:3")
    '`data/2024/妇联/a_(b).yaml:3`'
    >>> code_span("x`y|z")
    '``x`y\\\\|z``'
    >>> code_span("`x")
    '`` `x ``'
    """
    value = one_line(str(text)).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"
