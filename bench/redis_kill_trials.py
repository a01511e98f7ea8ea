"""Redis killed under govlint (issue #19): SIGKILL a real redis-server during corpus builds and checks.

    PYTHONPATH=src python bench/redis_kill_trials.py [--trials 50] [--seed 19] [--shared 0] [--json out.json]

Two redis-server processes on random free ports in 6400–6499: a *reference* server that is
never touched, and a *victim* server that is killed with SIGKILL at a random moment of each
trial and restarted on the same port and data directory after a random pause (0–2 s). Each
trial runs one govlint command against the victim through the public command line only
(``govlint corpus add|remove|stats``, ``govlint check --corpus``), so it does not depend on
how the index is laid out in Redis. The trials run in three blocks by the victim's persistence: AOF with
``appendfsync always``, AOF with ``everysec`` (Redis may lose the last second of
acknowledged writes), or none (a restart comes back empty).

Checked per trial:

- no internal error (``内部错误``, a traceback) and no hang (the command is killed after 120 s);
- the killed command either fails with a one-line Chinese error (exit 2) or succeeds with a
  correct result: for ``check``, its DUP002 findings equal the reference server's for the
  same files (a check that exits 0/1 with other DUP002 findings is a *silent partial
  result*); for ``corpus add``/``remove``, success is only counted as correct when the index
  holds what the command said (unless Redis itself lost acknowledged writes: ``everysec`` or
  no persistence, counted separately);
- afterwards the index is consistent or says it is not: ``corpus add`` of the same folder
  (the documented recovery; retried while another writer's lock has not expired) must
  succeed, and then ``corpus stats`` (documents, characters, paragraphs, fingerprints) and
  the probe's DUP002 findings must equal the reference server's.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, SHARED_CORPUS, machine  # noqa: E402

STATS_KEYS = ("documents", "characters", "distinct_fingerprints", "paragraphs")
MODES = ("aof-always", "aof-everysec", "none")


def free_port(rng: random.Random, taken: set[int]) -> int:
    ports = [p for p in range(6400, 6500) if p not in taken]
    rng.shuffle(ports)
    for p in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", p))
            except OSError:
                continue
        return p
    raise SystemExit("no free port in 6400-6499")


class Server:
    def __init__(self, port: int, data: Path):
        self.port, self.data, self.proc, self.mode = port, data, None, "aof-always"
        data.mkdir(parents=True, exist_ok=True)

    def start(self, mode: str | None = None) -> None:
        self.mode = mode or self.mode
        persist = {"aof-always": ["--appendonly", "yes", "--appendfsync", "always"],
                   "aof-everysec": ["--appendonly", "yes", "--appendfsync", "everysec"],
                   "none": ["--appendonly", "no"]}[self.mode]
        if self.mode == "none":
            for f in self.data.iterdir():       # a server without persistence comes back empty
                shutil.rmtree(f) if f.is_dir() else f.unlink()
        self.proc = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                                      "--dir", str(self.data), "--save", "", *persist],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        import redis
        for _ in range(200):
            try:
                redis.Redis(port=self.port, socket_connect_timeout=0.2).ping()
                return
            except Exception:   # noqa: BLE001  (connection refused, LOADING)
                time.sleep(0.05)
        raise SystemExit(f"redis-server on {self.port} did not start")

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        self.kill()


def govlint(args, timeout=120, env=None):
    """(exit code or None on timeout, stdout, stderr)"""
    p = subprocess.Popen([sys.executable, "-m", "govlint", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=env, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
        return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        return None, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def internal(err: str) -> bool:
    return "内部错误" in err or "Traceback" in err


def clear_error(rc, err: str) -> bool:
    lines = [x for x in err.strip().splitlines() if x.strip()]
    return rc == 2 and len(lines) >= 1 and all(any("\u4e00" <= ch <= "\u9fff" for ch in x) for x in lines)


def dup002(out: str) -> list | None:
    try:
        d = json.loads(out)
    except ValueError:
        return None
    return sorted((f.get("start"), f.get("end"), f["message"]) for f in d["findings"] if f["code"] == "DUP002")


def stats(url: str, env) -> dict | None:
    rc, out, err = govlint(["corpus", "stats", "--index", url, "--json"], env=env)
    if rc != 0:
        return None
    d = json.loads(out)
    return {k: d.get(k) for k in STATS_KEYS}


def make_reports(root: Path, shared: int) -> tuple[Path, Path, list[Path]]:
    """A folder of distinct past reports (the repository's samples plus ``shared`` files of the
    shared corpus) and a probe report that copies passages from three of them."""
    past = root / "past"
    past.mkdir()
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "corpora").glob("*.txt")) if "gbk" not in p.name]
    if SHARED_CORPUS.is_dir() and shared:
        texts += [p.read_text(encoding="utf-8") for p in sorted(SHARED_CORPUS.glob("*/*.txt"))[:shared]]
    files = []
    for i, t in enumerate(texts):
        f = past / f"{i:03d}.txt"
        f.write_text(t, encoding="utf-8")
        files.append(f)
    paras = [[x for x in t.split("\n") if len(x) >= 60] for t in texts[:3]]
    probe = root / "probe.txt"
    probe.write_text("2024年度示范项目绩效自评报告\n一、项目概况\n" + "\n".join(p[0] for p in paras if p)
                     + "\n二、项目实施情况\n本年度完成道路硬化12公里，受益群众3200人。\n"
                     + "\n".join(p[-1] for p in paras if p) + "\n", encoding="utf-8")
    return past, probe, files


def toggle(files: list[Path], rng: random.Random, k: int) -> None:
    """Change k files (append or drop a marker sentence) so that an add replaces entries."""
    mark = "\n（本段为修订说明：数据已按决算口径更新。）\n"
    for f in rng.sample(files, k):
        t = f.read_text(encoding="utf-8")
        f.write_text(t[: -len(mark)] if t.endswith(mark) else t + mark, encoding="utf-8")


def recover(url: str, past: Path, env) -> tuple[bool, str]:
    """``corpus add`` of the folder until it succeeds (another writer's lock may still be held)."""
    last = ""
    for _ in range(6):
        rc, out, err = govlint(["corpus", "add", str(past), "--index", url], env=env)
        if rc == 0:
            return True, ""
        last = f"exit {rc}: {err.strip()[-200:]}"
        if internal(err) or rc is None:
            return False, last
        time.sleep(2)
    return False, last


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--trials", type=int, default=50)
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--shared", type=int, default=0, help="also index this many files of ../shared/corpus "
                    "(longer adds, more kills mid-write; slower)")
    ap.add_argument("--json", help="write every trial here")
    args = ap.parse_args()
    if not shutil.which("redis-server"):
        print("skipped: redis-server is not installed")
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(3))     # stop the servers on kill (finally below)
    rng = random.Random(args.seed)
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), GOVLINT_REDIS_LOCK_TTL="3")
    env.pop("GOVLINT_CONFIG", None)
    results = []
    with tempfile.TemporaryDirectory(prefix="govlint-redis-kill-") as tmp:
        tmp = Path(tmp)
        past, probe, files = make_reports(tmp, args.shared)
        ref_port = free_port(rng, set())
        ref = Server(ref_port, tmp / "ref")
        ref.start("none")
        vic = Server(free_port(rng, {ref_port}), tmp / "victim")
        vic.start("aof-always")
        ref_url = f"redis://127.0.0.1:{ref.port}/0#ref"
        url = f"redis://127.0.0.1:{vic.port}/0#trial"
        print(f"# Redis kill trials: {args.trials} trials, seed {args.seed}, {len(files)} past reports, "
              f"victim port {vic.port}, reference port {ref.port}; {machine()}")
        try:
            ok, why = recover(url, past, env)
            assert ok, why
            t_add = time.monotonic()
            recover(ref_url, past, env)
            t_add = max(1.0, time.monotonic() - t_add)
            t0 = time.monotonic()
            govlint(["check", str(probe), "--corpus", ref_url, "-f", "json"], env=env)
            t_check = max(1.0, time.monotonic() - t0)
            for n in range(args.trials):
                mode = MODES[n * len(MODES) // args.trials]       # three blocks, one per persistence mode
                if mode != vic.mode:
                    vic.kill()
                    vic.start(mode)
                    ok, why = recover(url, past, env)
                    assert ok, why
                op = rng.choice(["add", "add", "check", "check", "remove", "stats"])
                if op == "add":
                    toggle(files, rng, rng.randint(3, 12))
                    cmd = ["corpus", "add", str(past), "--index", url]
                    span = t_add
                elif op == "remove":
                    victims = rng.sample(files, rng.randint(1, 5))
                    cmd = ["corpus", "remove", *map(str, victims), "--index", url]
                    span = t_add / 2
                elif op == "check":
                    cmd = ["check", str(probe), "--corpus", url, "-f", "json", "--select", "DUP002"]
                    span = t_check
                else:
                    cmd = ["corpus", "stats", "--index", url, "--json"]
                    span = 1.0
                if op == "add" or n == 0:     # the reference index follows the same files (healthy)
                    ok_ref, why = recover(ref_url, past, env)
                    assert ok_ref, why
                    rc_ref, out_ref, _ = govlint(["check", str(probe), "--corpus", ref_url, "-f", "json",
                                                  "--select", "DUP002"], env=env)
                    want = dup002(out_ref)
                    ref_stats = stats(ref_url, env)
                delay = rng.uniform(0.2, span + 0.5)
                pause = rng.choice([0.0, rng.uniform(0, 0.5), rng.uniform(0.5, 2.0)])
                p = subprocess.Popen([sys.executable, "-m", "govlint", *cmd], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env, start_new_session=True)
                time.sleep(delay)
                killed_during = p.poll() is None
                vic.kill()
                time.sleep(pause)
                vic.start(mode)
                try:
                    out, err = p.communicate(timeout=120)
                    rc = p.returncode
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    out, err = p.communicate()
                    rc = None
                out, err = out.decode("utf-8", "replace"), err.decode("utf-8", "replace")
                r = {"trial": n, "op": op, "mode": mode, "delay": round(delay, 2), "pause": round(pause, 2),
                     "killed_during": killed_during, "exit": rc, "stderr": err.strip()[-240:]}
                if rc is None:
                    r["verdict"] = "HANG"
                elif internal(err):
                    r["verdict"] = "INTERNAL ERROR"
                elif rc == 2:
                    r["verdict"] = "clear error" if clear_error(rc, err) else "unclear error"
                elif op == "check":
                    got = dup002(out)
                    r["verdict"] = "correct result" if got == want else "SILENT PARTIAL DUP002"
                    r["dup002"] = (len(got) if got is not None else None, len(want or []))
                else:
                    r["verdict"] = "completed"
                # after: does the index hold what the command said, and is it consistent after recovery?
                before = stats(url, env) if op == "add" and rc == 0 else None
                if op == "add" and rc == 0 and before != ref_stats:
                    r["acknowledged_lost"] = mode != "aof-always"     # Redis may lose acknowledged writes
                    if mode == "aof-always":
                        r["verdict"] = "ADD SAID DONE, INDEX DIFFERS"
                ok, why = recover(url, past, env)
                after = stats(url, env)
                rc2, out2, err2 = govlint(["check", str(probe), "--corpus", url, "-f", "json", "--select", "DUP002"],
                                          env=env)
                r["recovered"] = ok
                r["consistent"] = ok and after == ref_stats and dup002(out2) == want
                if not r["consistent"]:
                    r["inconsistency"] = {"recover": why, "after": after, "reference": ref_stats,
                                          "check_exit": rc2, "check_err": err2.strip()[-200:]}
                results.append(r)
                print(f"{n:3d} {op:6s} {mode:12s} kill at {delay:4.1f}s{' (mid-run)' if killed_during else ' (after)  '}"
                      f" pause {pause:3.1f}s → exit {rc}, {r['verdict']}; consistent afterwards: {r['consistent']}"
                      + (f"  [{r['stderr'][-90:]}]" if rc == 2 else ""), flush=True)
        finally:
            vic.stop()
            ref.stop()
    bad = [r for r in results if r["verdict"] in ("HANG", "INTERNAL ERROR", "unclear error", "SILENT PARTIAL DUP002",
                                                  "ADD SAID DONE, INDEX DIFFERS") or not r["consistent"]]
    by = {}
    for r in results:
        by[r["verdict"]] = by.get(r["verdict"], 0) + 1
    mid = sum(r["killed_during"] for r in results)
    print(f"\n{len(results)} trials ({mid} killed mid-command): " + ", ".join(f"{k} {v}" for k, v in sorted(by.items()))
          + f"; acknowledged writes lost by Redis: {sum(bool(r.get('acknowledged_lost')) for r in results)}"
          + f"; inconsistent after recovery: {sum(not r['consistent'] for r in results)}; failures: {len(bad)}")
    for r in bad:
        print(f"- trial {r['trial']} {r['op']} {r['mode']}: {r['verdict']} {r.get('inconsistency', '')} {r['stderr']}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
