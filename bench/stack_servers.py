"""make bench, against the floor: the product and the floor served by gunicorn, started and stopped."""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from stack_settings import ROOT, SLUG, WORKERS


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user and system) used so far by these processes (those gone meanwhile are left out)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def database_cpu_seconds() -> float:
    """CPU time used so far by PostgreSQL's processes on this machine: the server both apps share, so what it does
    while one app is measured (the apps take turns) is that app's, with its background work besides."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in ("postgres", "postmaster"):
                    pids.append(int(entry.name))
            except OSError:
                continue
    return cpu_seconds(pids)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    """A gunicorn serving one app on one port."""

    name: str
    port: int
    process: subprocess.Popen[bytes]

    def workers(self) -> list[int]:
        """The worker processes' ids (the master's children)."""
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    found.append(int(entry.name))
        return found

    def cpu_seconds(self) -> float:
        """CPU time (user and system) used so far by the workers."""
        return cpu_seconds(self.workers())

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def serve(name: str, url: str, instance: str) -> Server:
    """Start gunicorn for the product ("product") or the floor ("floor") on the database at `url`."""
    port = free_port()
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    if name == "product":
        environment |= {
            "CAMPAIGNS_ENV": "production",
            "CAMPAIGNS_BASE_URL": f"http://127.0.0.1:{port}",
            "CAMPAIGNS_INSTANCE_PATH": instance,
            "DATABASE_URL": url,
            "SECRET_KEY": "bench-" + secrets.token_hex(16),
            "RATELIMIT_ENABLED": "false",
        }
        target, folder = "wsgi:app", ROOT
    else:
        environment["FLOOR_DATABASE_URL"] = url
        target, folder = "app:app", ROOT / "bench" / "floor"
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "-w", str(WORKERS), "-b", f"127.0.0.1:{port}", "--log-level", "warning", target]
    process = subprocess.Popen(command, cwd=folder, env=environment)
    server = Server(name, port, process)
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", f"/s/{SLUG}")
            connection.getresponse().read()
            return server
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"The {name} server stopped on starting (exit {process.returncode})") from None
            time.sleep(0.1)
    server.stop()
    raise SystemExit(f"The {name} server did not answer")


# --- Load --------------------------------------------------------------------------------------------------------
