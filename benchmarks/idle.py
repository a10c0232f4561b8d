"""How much CPU ``cityprofiles serve`` uses while nobody edits anything.

``python -m benchmarks.idle SITE [--seconds 20]`` starts the preview on a free loopback
port, waits until its first build is done and it says "Serving", lets it settle for two
seconds, then reads the process's CPU time (user + system, from ``/proc``) at the start
and the end of ``--seconds`` of idleness, and prints the share of one core as JSON.
Linux only (``/proc``); children are counted too (there should be none while idle).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SETTLE_SECONDS = 2.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its waited-for children, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK")


def idle_share(site: Path, seconds: float, env: dict[str, str] | None = None) -> dict[str, float]:
    """Start the preview of ``site``; the share of a core it uses over ``seconds`` idle."""
    with tempfile.TemporaryDirectory(prefix="cityprofiles-idle-") as scratch:
        command = [sys.executable, "-m", "cityprofiles", "serve", str(site)]
        command += ["--out", str(Path(scratch) / "out"), "--port", str(_free_port())]
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            env={**os.environ, **(env or {}), "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            assert process.stdout is not None
            for line in process.stdout:
                if line.startswith("Serving"):
                    break
            else:
                raise SystemExit("the preview stopped before serving")
            ready = time.perf_counter() - started
            time.sleep(SETTLE_SECONDS)
            before, clock = cpu_seconds(process.pid), time.perf_counter()
            time.sleep(seconds)
            used, elapsed = cpu_seconds(process.pid) - before, time.perf_counter() - clock
        finally:
            process.terminate()
            process.wait(timeout=60)
    return {
        "cpu_seconds": used,
        "seconds": elapsed,
        "percent": 100 * used / elapsed,
        "ready": ready,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="CPU use of an idle `cityprofiles serve`")
    parser.add_argument("site", type=Path)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    print(json.dumps(idle_share(args.site, args.seconds)))


if __name__ == "__main__":
    main()
