"""Running requests at the same moment, from separate threads, as separate browsers would."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import has_app_context

from campaigns.extensions import db


def at_once(*actions: Callable[[], Any]) -> list[Any]:
    """Start every action together (a barrier releases them at once); return their results in order."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)
    errors: list[BaseException] = []

    def run(index: int, action: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[index] = action()
        except BaseException as error:  # reported to the test below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    # End the test's own transaction, so what it reads next is what the threads committed.
    if has_app_context():
        db.session.commit()
    return results
