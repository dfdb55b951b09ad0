"""The examples in the package's docstrings (``>>>``) are run, so none of them can drift from the code."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

import perfgoals

PACKAGE = Path(perfgoals.__file__).parent
WITH_EXAMPLES = sorted(".".join(("perfgoals", *p.relative_to(PACKAGE).with_suffix("").parts))
                       for p in PACKAGE.rglob("*.py") if ">>>" in p.read_text(encoding="utf-8"))


def test_modules_with_examples_are_found():
    assert {"perfgoals.render.common", "perfgoals.render.html", "perfgoals.textsafe"} <= set(WITH_EXAMPLES)


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0, f"{name}: {result}"
