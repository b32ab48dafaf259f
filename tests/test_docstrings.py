"""Every public service and query function says in one line what it promises, so a reader need not open it."""

import ast
from pathlib import Path

CAMPAIGNS = Path(__file__).resolve().parent.parent / "campaigns"


def _service_and_query_modules() -> list[Path]:
    """Each area's services.py and queries.py, and the modules a services.py re-exports from its own area."""
    modules = []
    for services in sorted(CAMPAIGNS.glob("*/services.py")):
        modules.append(services)
        area = services.parent.name
        for node in ast.parse(services.read_text()).body:
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(f"campaigns.{area}."):
                module = CAMPAIGNS / area / f"{node.module.rsplit('.', 1)[1]}.py"
                if module.exists() and not module.name.endswith(("models.py", "forms.py", "emails.py")):
                    modules.append(module)
    modules += sorted(CAMPAIGNS.glob("*/queries.py"))
    return sorted(set(modules))


def test_the_modules_found_include_every_area():
    areas = {path.parent.name for path in _service_and_query_modules()}
    assert {"accounts", "organisations", "statements", "signatures", "submissions", "mailings", "outbox"} <= areas


def test_every_public_service_and_query_function_has_a_one_line_docstring():
    undocumented = []
    for path in _service_and_query_modules():
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_"):
                docstring = ast.get_docstring(node)
                if not docstring or not docstring.splitlines()[0].strip():
                    undocumented.append(f"{path.relative_to(CAMPAIGNS.parent)}:{node.lineno} {node.name}")
    assert not undocumented, "No docstring saying what it promises:\n" + "\n".join(undocumented)
