"""The examples in docstrings are tests too (small pure helpers document themselves)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import cityprofiles

MODULES = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(cityprofiles.__path__, "cityprofiles.")
    if name not in ("cityprofiles.__main__",)
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_hold(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} docstring examples failed in {name}"
