"""make bench, against the floor: the settings (environment) and the paths every stack module needs."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(1, str(Path(__file__).resolve().parent))


QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "1000" if QUICK else "1000,100000").split(",")]
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "1" if QUICK else "3"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "2" if QUICK else "5"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "64"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
ADMIN_URL = os.environ.get("CAMPAIGNS_BENCH_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
SLUG = "bench-statement"
BUILT = "Common Ground benchmark database, complete: {size} signatures"
