"""`make bench`: Common Ground against a floor, side by side under gunicorn on PostgreSQL.

For each size (signatures, and as many organisations) it builds a database once (migrations, then a bulk load in SQL:
organisations with their name words indexed, confirmed and counted signatures, their counters; VACUUM ANALYZE),
kept between runs and brought up to date by the migrations added since (BENCH_REBUILD=1 builds it again). The
benchmark's own sign-ons stay in it: a few thousand more organisations and signatures a run.

It serves that database twice, with the same number of gunicorn sync workers: the product (wsgi:app) and the floor
(bench/floor/app.py: raw Flask and psycopg, the few queries a well-indexed design needs, a plain template). Then, in
interleaved rounds (floor, product, then product, floor...), a load generator (BENCH_CLIENTS threads, a new
connection per request as gunicorn's sync workers close each one) asks each for:

- the statement page `/s/bench-statement`
- the signatories page `/s/bench-statement/signatories`
- a sign-on POST by someone without an account, for an organisation new to the platform (its name shares the word
  "trust" with every organisation already there; near-duplicates are looked for through the word index), with the
  confirmation email written to the outbox and the audit entry in the same transaction

and prints one table: requests per second, p50 and p99 latency, the workers' CPU and PostgreSQL's per request
(the apps take turns on the one server), SQL statements per request, and the product's throughput as a fraction of
the floor's.

Settings (environment): BENCH_SIZES (default 1000,100000; add 1000000 for the million), BENCH_ROUNDS (3),
BENCH_SECONDS per measurement (5), BENCH_CLIENTS (64), BENCH_WORKERS (gunicorn workers for each app, 4),
BENCH_QUICK=1 (1,000 only, one round of 2 s). PostgreSQL on postgres@127.0.0.1 unless
CAMPAIGNS_BENCH_ADMIN_URL names another server.
"""

from __future__ import annotations

import logging
import os
import tempfile

from stack_database import database_for
from stack_load import PAGES, Measured, floor_queries, load, product_queries
from stack_servers import serve
from stack_settings import CLIENTS, ROUNDS, SECONDS, SIZES, WORKERS


def measure_size(size: int) -> dict[tuple[str, str], Measured]:
    url = database_for(size)
    instance = tempfile.mkdtemp(prefix="cg-bench-stack-")
    results = {(page, app): Measured() for page, _label in PAGES for app in ("floor", "product")}
    for page, count in product_queries(url, instance).items():
        results[(page, "product")].queries = count
    servers = {name: serve(name, url, instance) for name in ("floor", "product")}
    try:
        for page, count in floor_queries(servers["floor"]).items():
            results[(page, "floor")].queries = count
        for server in servers.values():  # every worker compiles its templates and opens its connection first
            for page, _label in PAGES:
                load(server, page, Measured(), seconds=0.5)
        for round_number in range(ROUNDS):
            order = ("floor", "product") if round_number % 2 == 0 else ("product", "floor")
            for page, label in PAGES:
                for name in order:
                    load(servers[name], page, results[(page, name)])
                    done = results[(page, name)]
                    print(
                        f"  {size:>9,} round {round_number + 1}/{ROUNDS} {label:<17} {name:<8} "
                        f"{done.rate:8.1f} req/s so far",
                        flush=True,
                    )
    finally:
        for server in servers.values():
            server.stop()
    return results


def table(all_results: dict[int, dict[tuple[str, str], Measured]]) -> str:
    header = (
        "| Measure | Signatures | Floor req/s | Product req/s | Ratio | Floor p50 / p99 ms | Product p50 / p99 ms "
        "| Floor CPU ms/req | Product CPU ms/req | Floor DB CPU ms/req | Product DB CPU ms/req "
        "| Floor SQL/req | Product SQL/req |"
    )
    lines = [header, "|" + "---|" * 13]
    for page, label in PAGES:
        for size, results in all_results.items():
            floor, product = results[(page, "floor")], results[(page, "product")]
            ratio = product.rate / floor.rate if floor.rate else float("nan")

            def cpu(m: Measured) -> str:
                return f"{m.cpu * 1000 / m.ok:.1f}" if m.ok else "-"

            def database_cpu(m: Measured) -> str:
                return f"{m.database_cpu * 1000 / m.ok:.1f}" if m.ok else "-"

            def failed(m: Measured) -> str:
                return f" ({m.failed} failed)" if m.failed else ""

            lines.append(
                f"| {label} | {size:,} | {floor.rate:,.0f}{failed(floor)} | {product.rate:,.0f}{failed(product)} "
                f"| {ratio:.2f} | {floor.percentile(0.5):,.0f} / {floor.percentile(0.99):,.0f} "
                f"| {product.percentile(0.5):,.0f} / {product.percentile(0.99):,.0f} | {cpu(floor)} | {cpu(product)} "
                f"| {database_cpu(floor)} | {database_cpu(product)} | {floor.queries} | {product.queries} |"
            )
    return "\n".join(lines)


def main() -> None:
    logging.disable(logging.INFO)
    all_results = {}
    for size in SIZES:
        all_results[size] = measure_size(size)
    print(
        f"\nCommon Ground against the floor: PostgreSQL, gunicorn {WORKERS} sync workers each, {CLIENTS} clients, "
        f"{ROUNDS} interleaved round(s) of {SECONDS:g} s per measure; CPU is the app's workers', DB CPU "
        f"PostgreSQL's, per successful request; machine: {os.cpu_count()} CPUs\n"
    )
    print(table(all_results))


if __name__ == "__main__":
    main()
