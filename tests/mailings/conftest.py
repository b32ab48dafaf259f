"""The worker-process fixture of the outbox tests, for the update reliability tests."""

from tests.outbox.test_worker_processes import workers  # noqa: F401  (a fixture)
