"""Every area is laid out the same way, so that whoever knows one area can find their way in any other."""

import ast
from pathlib import Path

from flask import Flask

CAMPAIGNS = Path(__file__).resolve().parent.parent / "campaigns"
AREAS = sorted(path.parent for path in CAMPAIGNS.glob("*/views.py"))
#: What a blueprint does at registration or gives every template: only its blueprint.py may do it.
BLUEPRINT_SET_UP = ("app_context_processor", "app_template_global", "app_template_filter", "add_app_template", "record")


def _calls_and_decorators(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "bp":
            names.add(node.attr)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Blueprint":
            names.add("Blueprint")
    return names


def test_there_are_areas_to_check():
    assert {area.name for area in AREAS} >= {"accounts", "organisations", "statements", "signatures", "submissions"}


def test_every_area_with_pages_makes_its_blueprint_in_blueprint_py_and_nowhere_else():
    misplaced = []
    for path in sorted(CAMPAIGNS.rglob("*.py")):
        if path.name == "blueprint.py":
            continue
        found = _calls_and_decorators(path)
        if "Blueprint" in found or any(name.startswith(BLUEPRINT_SET_UP) for name in found):
            misplaced.append(str(path.relative_to(CAMPAIGNS.parent)))
    assert not misplaced, "Blueprints and their template helpers belong in blueprint.py: " + ", ".join(misplaced)
    assert [area.name for area in AREAS if not (area / "blueprint.py").exists()] == []


def test_every_area_views_module_gathers_all_its_topic_views():
    missing = []
    for area in AREAS:
        imported = {
            alias.name
            for node in ast.walk(ast.parse((area / "views.py").read_text()))
            if isinstance(node, ast.ImportFrom) and node.module == f"campaigns.{area.name}"
            for alias in node.names
        }
        missing += [f"{area.name}/{topic.name}" for topic in area.glob("*_views.py") if topic.stem not in imported]
    assert not missing, "views.py should import: " + ", ".join(missing)


def test_the_app_registers_one_blueprint_per_area_and_no_other(app: Flask):
    assert set(app.blueprints) == {area.name for area in AREAS}


def test_an_area_that_stores_data_reads_it_in_queries_py_and_changes_it_in_services_py():
    incomplete = [
        f"{area.name}/{module}"
        for area in AREAS
        if (area / "models.py").exists()
        for module in ("services.py", "queries.py")
        if not (area / module).exists()
    ]
    assert not incomplete


def test_no_module_is_over_four_hundred_lines():
    long = {
        str(path.relative_to(CAMPAIGNS.parent)): lines
        for path in CAMPAIGNS.rglob("*.py")
        if (lines := len(path.read_text().splitlines())) > 400
    }
    assert not long, f"Split these modules: {long}"
