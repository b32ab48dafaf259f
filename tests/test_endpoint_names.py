"""Every link the code builds names a page that exists: `url_for` and `external_url` with a written-out endpoint,
in every template and every Python module, whether or not a test happens to take that branch.

(A template once linked to `organisations.new`, which never existed: every signed-in person who could not sign
got a 500 on the sign-on page.) tests/test_every_template.py renders each template; this reads them all.
"""

from __future__ import annotations

import ast
import importlib
from collections.abc import Iterator
from pathlib import Path

from jinja2 import nodes

ROOT = Path(__file__).resolve().parent.parent
BUILDERS = {"url_for", "external_url"}


def _template_endpoints(app) -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "templates").rglob("*")):
        if not path.is_file() or path.suffix not in (".html", ".txt", ".svg"):
            continue
        tree = app.jinja_env.parse(path.read_text())
        for call in tree.find_all(nodes.Call):
            if isinstance(call.node, nodes.Name) and call.node.name in BUILDERS and call.args:
                first = call.args[0]
                if isinstance(first, nodes.Const) and isinstance(first.value, str):
                    yield f"{path.relative_to(ROOT)}:{call.lineno}", first.value


def _python_endpoints() -> Iterator[tuple[str, str]]:
    for path in sorted((ROOT / "campaigns").rglob("*.py")):
        module_name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        blueprint = getattr(importlib.import_module(module_name), "bp", None)
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            first = node.args[0]
            if name in BUILDERS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                endpoint = first.value
                if endpoint.startswith("."):
                    assert blueprint is not None, f"{path}:{node.lineno} builds {endpoint} outside a blueprint module"
                    endpoint = blueprint.name + endpoint
                yield f"{path.relative_to(ROOT)}:{node.lineno}", endpoint


def test_every_endpoint_named_in_a_template_exists(app):
    found = list(_template_endpoints(app))
    missing = [f"{where} names {endpoint}" for where, endpoint in found if endpoint not in app.view_functions]
    assert not missing, "Links to pages that do not exist:\n" + "\n".join(missing)
    assert len(found) > 200  # the walk really read the templates


def test_every_endpoint_named_in_the_code_exists(app):
    found = list(_python_endpoints())
    missing = [f"{where} names {endpoint}" for where, endpoint in found if endpoint not in app.view_functions]
    assert not missing, "Links to pages that do not exist:\n" + "\n".join(missing)
    assert len(found) > 100
