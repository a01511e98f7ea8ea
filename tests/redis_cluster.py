"""A throw-away Redis Cluster on loopback for tests and benchmarks: 3 masters, no replicas.

Ports are taken from 7100–7199 (the first three consecutive free ones, with their cluster
bus ports +10000 free too), data in a temporary directory, everything stopped by ``stop()``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

PORTS = range(7100, 7200)


def _free(port: int) -> bool:
    for p in (port, port + 10000):
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", p))
        except OSError:
            return False
        finally:
            s.close()
    return True


def available() -> str | None:
    """Why no cluster can be started here (None: it can)."""
    for tool in ("redis-server", "redis-cli"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    return None


class LocalCluster:
    def __init__(self, workdir: Path, masters: int = 3):
        self.dir = Path(workdir)
        self.masters = masters
        self.ports: list[int] = []
        self.procs: dict[int, subprocess.Popen] = {}

    @property
    def url(self) -> str:
        return f"redis+cluster://127.0.0.1:{self.ports[0]}"

    def _start_node(self, port: int) -> None:
        d = self.dir / str(port)
        d.mkdir(parents=True, exist_ok=True)
        self.procs[port] = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
             "--cluster-config-file", str(d / "nodes.conf"), "--cluster-node-timeout", "2000",
             "--save", "", "--appendonly", "no", "--dir", str(d), "--logfile", str(d / "log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _cli(self, port: int, *args, timeout=30) -> str:
        return subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port), *args], capture_output=True,
                              text=True, timeout=timeout).stdout

    def start(self) -> "LocalCluster":
        self.dir.mkdir(parents=True, exist_ok=True)
        for first in PORTS:
            ports = list(range(first, first + self.masters))
            if ports[-1] in PORTS and all(_free(p) for p in ports):
                break
        else:
            raise RuntimeError("no free ports in 7100-7199")
        self.ports = ports
        for p in ports:
            self._start_node(p)
        for p in ports:
            for _ in range(100):
                if self._cli(p, "ping").strip() == "PONG":
                    break
                time.sleep(0.05)
            else:
                self.stop()
                raise RuntimeError(f"redis-server did not start on {p}")
        res = subprocess.run(["redis-cli", "--cluster", "create", *[f"127.0.0.1:{p}" for p in ports],
                              "--cluster-replicas", "0", "--cluster-yes"], capture_output=True, text=True, timeout=60)
        if res.returncode != 0:
            self.stop()
            raise RuntimeError(f"cluster create failed: {res.stdout[-300:]} {res.stderr[-300:]}")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if all("cluster_state:ok" in self._cli(p, "cluster", "info") for p in ports):
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("cluster did not reach state ok")

    def stop_node(self, port: int) -> None:
        proc = self.procs.pop(port, None)
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)

    def restart_node(self, port: int) -> None:
        """Kill one master and start it again on its cluster config: it keeps its slots, loses
        its data (no persistence) and gets a new run_id — a fail-over without a replica."""
        self.stop_node(port)
        self._start_node(port)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if all("cluster_state:ok" in self._cli(p, "cluster", "info") for p in self.ports):
                return
            time.sleep(0.1)
        raise RuntimeError(f"cluster did not recover after restarting {port}")

    def stop(self) -> None:
        for port in list(self.procs):
            self.stop_node(port)
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


if __name__ == "__main__":     # manual use: start one and wait
    import tempfile
    c = LocalCluster(Path(tempfile.mkdtemp(prefix="govlint-cluster-"))).start()
    print(c.url, flush=True)
    try:
        signal.pause()
    finally:
        c.stop()
    os._exit(0)
