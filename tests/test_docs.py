"""Every public name is documented in numpydoc style, and the API page lists every module."""

import importlib
import inspect
from pathlib import Path

import pytest


MODULES = ["activations", "losses", "network", "training", "lr_search", "gradcheck", "autograd", "symbolic", "data", "digits", "plots",
           "widgets", "book", "checks", "exercises"]
ROOT = Path(__file__).resolve().parents[1]


def public_names():
    """Every function and class in a module's ``__all__``, and every public method and property of those classes."""
    for module_name in MODULES:
        module = importlib.import_module(f"bpcourse.{module_name}")
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) or callable(obj):
                yield f"{module_name}.{name}", obj
            if inspect.isclass(obj) and obj.__module__ == module.__name__:
                for attribute, member in vars(obj).items():
                    if attribute.startswith("_") and attribute != "__call__":
                        continue
                    if isinstance(member, (staticmethod, classmethod)):
                        member = member.__func__
                    if inspect.isfunction(member) or isinstance(member, property):
                        yield f"{module_name}.{name}.{attribute}", member


def _parameter_names(function):
    return [p.name for p in inspect.signature(function).parameters.values() if p.name not in ("self", "cls")]


NAMES = list(public_names())


def test_the_docs_test_sees_functions_classes_and_methods():
    qualified = {name for name, _ in NAMES}
    assert {"network.MLP", "network.MLP.backward", "training.History.final_loss", "autograd.Value.backward",
            "losses.sse", "losses.Loss.__call__"} <= qualified
    assert len([name for name in qualified if name.count(".") == 2]) >= 40  # methods and properties


@pytest.mark.parametrize("qualified, obj", NAMES, ids=[name for name, _ in NAMES])
def test_public_name_has_a_numpydoc_docstring(qualified, obj):
    doc = inspect.getdoc(obj) or ""
    assert len(doc) > 20, f"{qualified} has no docstring"
    function = inspect.unwrap(obj)
    if isinstance(obj, property) or inspect.isclass(obj) or not inspect.isfunction(function):
        return  # a property or a registry says what it is in its first line; a class documents its __init__
    parameters = _parameter_names(function)
    # a function of the one variable the maths names (relu(z)) may say it all in its first line
    if len(parameters) == 1 and parameters[0] in ("z", "x") and "\n" not in doc:
        return
    if parameters:
        assert "Parameters\n----------" in doc, f"{qualified} does not list its parameters"
    if function.__name__ != "__init__":
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


def _readme_section(title):
    text = (ROOT / "README.md").read_text()
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end]


def test_the_readme_example_prints_what_the_readme_says(capsys):
    import re

    section = _readme_section("The package in use")
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    printed = re.search(r"prints.*?```text\n(.*?)```", section, re.S).group(1)
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out == printed


def test_the_readme_quotes_the_package_s_own_messages():
    import bpcourse

    section = _readme_section("The package in use")
    X, y = bpcourse.dosage_data()
    with pytest.raises(ValueError) as refused:
        bpcourse.gradient_descent(bpcourse.dosage_network(), X, y, "sse", 0.0, 5)
    assert f"`ValueError: {refused.value}`" in section
    history = bpcourse.gradient_descent(bpcourse.dosage_network(), X, y, "sse", 0.5, 100)
    # the README wraps the message over two lines
    assert f"`{history.message}`" in " ".join(section.split())
