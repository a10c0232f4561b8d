"""Run one command and print its wall time, CPU time, peak RSS and output as JSON.

A separate process per measurement, so ``RUSAGE_CHILDREN`` holds that command alone.
``python -m benchmarks.measure CMD ...``
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main() -> None:
    start = time.perf_counter()
    proc = subprocess.run(sys.argv[1:], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(proc.returncode)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime  # all processes, workers included
    print(
        json.dumps(
            {"wall": wall, "cpu": cpu, "rss_mb": usage.ru_maxrss / 1024, "stdout": proc.stdout}
        )
    )


if __name__ == "__main__":
    main()
