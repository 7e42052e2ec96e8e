"""The peer in the queue benchmark: pgqueuer (PyPI) doing the same work as
guestcare's runner, on the same Postgres server, in the same run.

For each work kind (noop, write one row) and runner count, it enqueues N jobs
one call each, then starts that many pgqueuer QueueManagers, each in its own
process with its own connection (as separate workers would run), in drain
mode with batches of 10, and times until every job is done. Results are
written as JSON lines for `gc-bench queue --peer FILE`.

Usage: python pgqueuer_peer.py DSN JOBS RUNNERS[,RUNNERS...] OUT.jsonl
"""

import asyncio
import json
import multiprocessing
import sys
import time

import asyncpg
from pgqueuer import AsyncpgDriver, Queries, QueueManager
from pgqueuer.domain.types import QueueExecutionMode

BATCH = 10


async def reset(dsn):
    conn = await asyncpg.connect(dsn)
    queries = Queries(AsyncpgDriver(conn))
    if not await queries.has_table("pgqueuer"):
        await queries.install()
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS bench_effects_peer (id bigserial PRIMARY KEY, job_id bigint NOT NULL)"
    )
    await conn.execute("TRUNCATE bench_effects_peer")
    await queries.clear_queue()
    await queries.clear_queue_log()
    await conn.close()


async def enqueue(dsn, work, n):
    conn = await asyncpg.connect(dsn)
    queries = Queries(AsyncpgDriver(conn))
    started = time.perf_counter()
    for _ in range(n):
        await queries.enqueue(work, None)
    elapsed = time.perf_counter() - started
    await conn.close()
    return n / elapsed


async def consume(dsn, work):
    conn = await asyncpg.connect(dsn)
    effects = await asyncpg.connect(dsn)
    qm = QueueManager(Queries(AsyncpgDriver(conn)))

    @qm.entrypoint("noop")
    async def noop(job):
        pass

    @qm.entrypoint("write")
    async def write(job):
        await effects.execute("INSERT INTO bench_effects_peer (job_id) VALUES ($1)", job.id)

    await qm.run(batch_size=BATCH, mode=QueueExecutionMode.drain)
    await conn.close()
    await effects.close()


def consumer_process(dsn, work):
    asyncio.run(consume(dsn, work))


def measure(dsn, work, runners, n):
    asyncio.run(reset(dsn))
    enqueue_rate = asyncio.run(enqueue(dsn, work, n))
    started = time.perf_counter()
    processes = [
        multiprocessing.Process(target=consumer_process, args=(dsn, work)) for _ in range(runners)
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    elapsed = time.perf_counter() - started
    return {
        "work": work,
        "runners": runners,
        "jobs": n,
        "enqueue_per_sec": enqueue_rate,
        "complete_per_sec": n / elapsed,
    }


def main():
    dsn, jobs, runners, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    with open(out, "w") as results:
        for work in ("noop", "write"):
            for count in (int(r) for r in runners.split(",")):
                row = measure(dsn, work, count, jobs)
                print(
                    f"pgqueuer {work} x{count}: enqueue {row['enqueue_per_sec']:.0f}/s, "
                    f"complete {row['complete_per_sec']:.0f}/s",
                    flush=True,
                )
                results.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
