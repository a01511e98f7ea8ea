"""Load check for ``govlint web`` on loopback: concurrent uploads, each a batch of reports.

Starts the workbench in a subprocess on 127.0.0.1 (a fresh data directory, an access token),
then N clients each upload one batch of M reports from corpora/ at the same time and poll
until their batch is checked. Reports throughput (reports checked per second, wall clock),
the p50/p95 time from upload to a finished batch, the p95 of the upload request alone, and
the server's peak memory (resident set of the server and its worker processes, sampled).
Every loop is bounded in count and time; only 127.0.0.1 is contacted.

    python bench/web_load.py --clients 20 --reports 10
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-token-0123456789"


def rss_tree(pid: int) -> int:
    """Resident bytes of a process and its descendants (Linux /proc)."""
    total = 0
    kids = {pid}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text().rsplit(")", 1)[1].split()
            ppid = int(stat[1])
            if int(d.name) == pid or ppid in kids:
                kids.add(int(d.name))
        except (OSError, IndexError, ValueError):
            continue
    for k in kids:
        try:
            for line in Path(f"/proc/{k}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--reports", type=int, default=10)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=900, help="give up after this many seconds")
    args = ap.parse_args()
    import httpx

    samples = sorted((ROOT / "corpora").glob("*.txt"))
    files = [(p.name, p.read_bytes()) for p in samples]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = tempfile.mkdtemp(prefix="govlint-web-bench-")
    server = subprocess.Popen([sys.executable, "-m", "govlint", "web", "--host", "127.0.0.1", "--port", str(port),
                               "--data-dir", data, "--token", TOKEN, "--jobs", str(args.jobs)],
                              stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {TOKEN}"}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/batches/none", headers=headers, timeout=2).status_code == 404:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    else:
        server.kill()
        print("the workbench did not start", file=sys.stderr)
        return 1
    peak = [rss_tree(server.pid)]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], rss_tree(server.pid))
            time.sleep(0.2)
    threading.Thread(target=sample, daemon=True).start()

    latencies, uploads, failures = [], [], []

    def client(i: int):
        batch = [("files", (f"{i:02d}-{k:02d}-{files[(i + k) % len(files)][0]}", files[(i + k) % len(files)][1],
                            "text/plain")) for k in range(args.reports)]
        t0 = time.monotonic()
        with httpx.Client(base_url=base, headers=headers, timeout=120) as c:
            r = c.post("/api/batches", files=batch, data={"profile": "auto"})
            uploads.append(time.monotonic() - t0)
            if r.status_code != 201:
                failures.append(f"upload {r.status_code}")
                return
            bid = r.json()["batch"]
            while time.monotonic() - t0 < args.timeout:
                j = c.get(f"/api/batches/{bid}").json()
                if j["status"] == "done":
                    if any(f["status"] != "done" for f in j["files"]):
                        failures.append("a file was not checked")
                    latencies.append(time.monotonic() - t0)
                    return
                time.sleep(0.25)
            failures.append("timeout")

    start = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(args.timeout + 60)
    wall = time.monotonic() - start
    stop.set()
    server.terminate()
    try:
        server.wait(10)
    except subprocess.TimeoutExpired:
        server.kill()
    n = args.clients * args.reports
    q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(round(p * (len(xs) - 1))))] if xs else float("nan")  # noqa: E731
    print(f"clients {args.clients} × reports {args.reports} = {n} reports, worker processes {args.jobs}, "
          f"{os.cpu_count()} CPUs")
    print(f"wall {wall:.1f} s; throughput {n / wall:.2f} reports/s")
    print(f"upload request: p50 {statistics.median(uploads):.2f} s, p95 {q(uploads, 0.95):.2f} s")
    if latencies:
        print(f"upload → batch checked: p50 {statistics.median(latencies):.1f} s, p95 {q(latencies, 0.95):.1f} s")
    print(f"server peak RSS (with workers): {peak[0] / 2**20:.0f} MiB")
    print(f"failures: {len(failures)} {sorted(set(failures))}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
