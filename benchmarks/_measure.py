"""Run a function in a fresh process and report its wall time and peak resident memory."""

from __future__ import annotations

import multiprocessing as mp
import resource
import time
from collections.abc import Callable


def _child(queue, fn, args):
    start = time.perf_counter()
    result = fn(*args)
    elapsed = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((elapsed, peak_mib, result))


def measure(fn: Callable, *args) -> tuple[float, float, object]:
    """(seconds, peak MiB, fn's result) with fn run alone in a spawned process."""
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(queue, fn, args))
    process.start()
    outcome = queue.get()
    process.join()
    if process.exitcode:
        raise RuntimeError(f"{fn.__name__} failed with exit code {process.exitcode}")
    return outcome
