"""The one way the benchmarks time an action: a warm-up run, then the median of `runs` runs."""

import statistics
import time


def median_seconds(action, runs: int) -> float:
    action()  # warm-up: fonts, templates, imports, caches
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)
