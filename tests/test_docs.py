"""Every public name is documented in numpydoc style, and the API page lists every module."""

import importlib
import inspect
from pathlib import Path

import pytest


MODULES = ["activations", "losses", "network", "training", "lr_search", "gradcheck", "autograd", "symbolic", "data", "digits", "plots",
           "widgets", "book", "checks", "exercises"]
ROOT = Path(__file__).resolve().parents[1]


def public_names():
    for module_name in MODULES:
        module = importlib.import_module(f"bpcourse.{module_name}")
        for name in module.__all__:
            yield f"{module_name}.{name}", getattr(module, name)


@pytest.mark.parametrize("qualified, obj", list(public_names()), ids=lambda v: v if isinstance(v, str) else "")
def test_public_name_has_a_numpydoc_docstring(qualified, obj):
    if not (inspect.isfunction(obj) or inspect.isclass(obj)):
        return  # registries and constants are documented by the string after them
    doc = inspect.getdoc(obj) or ""
    assert len(doc) > 20, f"{qualified} has no docstring"
    if inspect.isfunction(obj):
        parameters = [p for p in inspect.signature(obj).parameters.values() if p.name not in ("self", "cls")]
        one_line_ok = len(parameters) == 1 and parameters[0].name in ("z", "x")  # sigmoid(z): the maths says it
        if parameters and not one_line_ok:
            assert "Parameters\n----------" in doc, f"{qualified} does not list its parameters"
            assert "Returns\n-------" in doc, f"{qualified} does not say what it returns"


def test_the_reference_page_covers_every_module():
    page = (ROOT / "book" / "api.md").read_text()
    for module_name in MODULES:
        assert f"automodule:: bpcourse.{module_name}" in page, module_name


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name):
    import doctest

    module = importlib.import_module(f"bpcourse.{module_name}")
    failures, _ = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0
