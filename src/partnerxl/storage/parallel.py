"""Worker processes for large folders: reading reviews and writing summaries by the hundred.

Measured on a 2-core machine (benchmarks/README.md): two workers read 1,000 reviews in about 60% of the time of
one when the machine is otherwise idle; on a busy machine they can be slower, hence PARTNERXL_WORKERS. The results
are identical either way (the same function runs on the same inputs, in order).

Under Pyodide (xlwings Lite, `sys.platform == "emscripten"`) the work always runs in this one process, on purpose:
WebAssembly in a browser or in Excel's web view has no processes to start, and Lite gives one CPU; the check is
made on the platform, before PARTNERXL_WORKERS, rather than left to an import failing somewhere in
multiprocessing. Elsewhere, a Python built without working process pools (no `_multiprocessing`, or no
semaphores: NotImplementedError) also runs the tasks here, with the same results.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import partial
from typing import Any

PARALLEL_FROM = 64   # below this many tasks, starting worker processes costs more than it saves


def single_process_platform(platform: str | None = None) -> bool:
    """True where no worker process can ever be started: Pyodide (WebAssembly, as in xlwings Lite)."""
    return (platform or sys.platform) == "emscripten"


def workers_for(n_tasks: int) -> int:
    """1 under Pyodide; else PARTNERXL_WORKERS if set, else one process per core (at most 4) from PARALLEL_FROM
    tasks, else none."""
    if single_process_platform():
        return 1
    env = os.environ.get("PARTNERXL_WORKERS", "").strip()
    if env.isdigit() and int(env) >= 1:
        return int(env)
    return min(os.cpu_count() or 1, 4) if n_tasks >= PARALLEL_FROM else 1


Progress = Callable[[int, int], None]
"""Told (tasks done, tasks in all) as tasks finish, in this process: a console bar, Excel's status bar."""


def run_all(task: Callable[[Any], Any], tasks: list[Any], progress: Progress | None = None, *,
            send: Callable[[Any], Any] | None = None, receive: Callable[[Any], Any] | None = None) -> list[Any]:
    """`[task(t) for t in tasks]`, in worker processes when there are many (`task` must be a module-level function);
    `progress(done, total)` is called as results come in (in order), and once with (0, total) before the first.
    For the trip back from a worker, `send` (module-level) is applied there to each result and `receive` here as
    it arrives (so a compact result is unpacked, and let go, one at a time); run in this process, a result needs
    no trip and neither is applied."""
    total = len(tasks)
    if progress is not None:
        progress(0, total)
    workers = workers_for(total)
    if workers <= 1:
        return _told((task(t) for t in tasks), total, progress, None)
    try:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(max_workers=workers)
    except (ImportError, NotImplementedError):  # a Python without process pools: see the module docstring
        return _told((task(t) for t in tasks), total, progress, None)
    with pool:
        chunk = max(1, min(total // (workers * 8), PROGRESS_CHUNK if progress is not None else total))
        sent = task if send is None else partial(_sent, task, send)
        return _told(pool.map(sent, tasks, chunksize=chunk), total, progress, receive)


def _sent(task: Callable[[Any], Any], send: Callable[[Any], Any], t: Any) -> Any:
    return send(task(t))


PROGRESS_CHUNK = 25  # with a progress bar, tasks go to the workers in chunks of at most this many


def _told(results: Any, total: int, progress: Progress | None, each: Callable[[Any], Any] | None) -> list[Any]:
    out = []
    for result in results:
        out.append(result if each is None else each(result))
        if progress is not None:
            progress(len(out), total)
    return out
