"""Every service takes the person acting as a keyword argument, `actor=`, so a call reads the same in every area
and cannot swap who did something with what it was done to."""

import ast

from tests.test_docstrings import CAMPAIGNS


def test_every_function_that_takes_the_actor_takes_it_as_a_keyword_argument():
    """Services and everything below them (the activity log's writers among them), in every module."""
    positional = []
    for path in sorted(CAMPAIGNS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            names = [argument.arg for argument in node.args.posonlyargs + node.args.args]
            # A check that takes only the actor (require_verified_email) has nothing to confuse it with.
            if "actor" in names and len(names) > 1:
                positional.append(f"{path.relative_to(path.parents[1])}:{node.lineno} {node.name}")
    assert not positional, "Takes the actor by position:\n" + "\n".join(positional)
