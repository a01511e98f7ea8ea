"""Shared helpers for the benchmark scripts (not a test module; run the scripts directly)."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED_CORPUS = REPO.parent / "shared" / "corpus"


def have(module: str) -> bool:
    import importlib.util
    return importlib.util.find_spec(module) is not None


def git_commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return out + ("+dirty" if dirty else "")
    except Exception:
        return "unknown"


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "platform": platform.platform(), "commit": git_commit()}


def console_script(name: str = "govlint") -> str | None:
    """The console script next to this interpreter (or on PATH)."""
    cand = Path(sys.executable).parent / name
    if cand.exists():
        return str(cand)
    return shutil.which(name)


def _tree_rss_kb(root_pid: int) -> int:
    """Sum of RSS (KiB) over root_pid and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as fh:
                data = fh.read().decode("ascii", "replace")
            rest = data[data.rfind(")") + 2:].split()
            ppid = int(rest[1])
            rss_pages = int(rest[21])
        except (OSError, ValueError, IndexError):
            continue
        pid = int(d)
        children.setdefault(ppid, []).append(pid)
        rss[pid] = rss_pages * (os.sysconf("SC_PAGE_SIZE") // 1024)
    total, stack = 0, [root_pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, ()))
    return total


def run_measured(cmd: list[str], env: dict | None = None, sample_memory: bool = False,
                 ok_codes=(0, 1), stdout=subprocess.DEVNULL) -> dict:
    """Run cmd in a fresh process; wall time, and (optionally) peak memory.

    ``cpu`` is user + system CPU seconds of the process tree (children that were waited for).
    Peak memory is measured two ways: ``max_process_mb`` is ru_maxrss of the largest process
    in the tree (a small wrapper process reports its children's rusage), ``tree_peak_mb`` is
    the peak of the summed RSS of the whole process tree sampled every 20 ms from /proc.
    """
    full_env = dict(os.environ)
    if env:
        full_env.update(env)
    if sample_memory:
        wrapper = ("import resource,subprocess,sys\n"
                   "r=subprocess.run(sys.argv[2:]).returncode\n"
                   "open(sys.argv[1],'w').write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))\n"
                   "sys.exit(r)\n")
        import tempfile
        fd, rfile = tempfile.mkstemp(prefix="govlint-bench-rss-")
        os.close(fd)
        argv = [sys.executable, "-c", wrapper, rfile, *cmd]
    else:
        argv = cmd
    peak = [0]
    import resource
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env=full_env, stdout=stdout, stderr=subprocess.PIPE)
    stop = threading.Event()
    if sample_memory:
        def poll():
            while not stop.is_set():
                peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
                stop.wait(0.02)
        th = threading.Thread(target=poll, daemon=True)
        th.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    stop.set()
    # CPU time (user + system) of the process and the children it waited for: robust to a
    # busy machine, where wall time also measures the other tenants
    cpu = (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime)
    out = {"wall": wall, "cpu": cpu, "rc": proc.returncode}
    if proc.returncode not in ok_codes:
        raise RuntimeError(f"command failed ({proc.returncode}): {' '.join(cmd[:6])} ...\n"
                           f"{err.decode('utf-8', 'replace')[-2000:]}")
    if sample_memory:
        try:
            out["max_process_mb"] = int(open(rfile).read() or 0) / 1024
        finally:
            os.unlink(rfile)
        out["tree_peak_mb"] = peak[0] / 1024
    return out


def median(xs):
    return statistics.median(xs)


def fmt_s(x: float) -> str:
    return f"{x * 1000:.0f} ms" if x < 10 else f"{x:.1f} s"
