"""Hostile-input corpus (issue #19): generate ≥ 300 bad-input cases, run govlint on each, count
internal errors, hangs, lost batches, changed user files and peak memory, per class.

    PYTHONPATH=src python bench/hostile_corpus.py [--jobs 2] [--timeout 60] [--only CLASS] [--json out.json]

Each case is a fresh directory with its files, one govlint command, and what must hold:

- internal error: ``内部错误`` or a Python traceback on stderr, or an exit code other than the
  expected ones (0/1 findings, 2 input or usage error);
- hang: still running after ``--timeout`` seconds (killed);
- lost batch: a good companion report named on the command line is missing from the output;
- changed user file: any file of the case directory other than the outputs it may write
  differs afterwards (bytes, or a file disappeared);
- peak memory: the child's maximum resident set size (``wait4`` rusage), reported per class.

Classes covered here are the ones of issue #19 this area fixed (outputs guard, -o targets,
file names, configuration, lexicons, regexes, nesting, corpus, LSP) plus a text/stdin fuzz
class and a Redis class (skipped without a server). Reader hardening, per-file isolation in the
runner and NUM001/FUND002 belong to other work; cases for them are listed as not covered.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REPORT = (REPO / "corpora" / "sample_report.txt").read_text(encoding="utf-8")
GOOD = "good.txt"


class Case:
    def __init__(self, cls, name, args, files=None, expect=(0, 1, 2), outputs=(), companion=False,
                 setup=None, stdin=None, env=None):
        self.cls, self.name, self.args = cls, name, list(args)
        self.files = dict(files or {})          # relative name -> bytes
        self.expect = tuple(expect)
        self.outputs = set(outputs)             # files the command may (re)write
        self.companion = companion              # a good report is added to the command line
        self.setup = setup                      # callable(dir) for FIFOs, sqlite files …
        self.stdin = stdin
        self.env = env or {}


# ----- case generators ------------------------------------------------------------------------

def outputs_guard():
    out = []
    lookalikes = {
        "审核意见表.md": b"# \xe5\xae\xa1\xe6\xa0\xb8\xe6\x84\x8f\xe8\xa7\x81\xe8\xa1\xa8\n\nuser notes\n",
        "notes.md": b"# notes\n",
        "findings.json": b'{"findings": [], "summary": {"checked": 1}}',
        "f2.json": b'{"findings": [], "summary": {}, "generator": "govlint"}',
        "list.json": b"[1, 2, 3]",
        "out.txt": "我的记录\n共检查 3 个文件，未发现问题。\n".encode(),
        "gh.txt": b"::error file=a,title=b::other tool\n",
        "r.sarif": b'{"runs": [{"tool": {"driver": {"name": "eslint"}}}]}',
        "page.html": b'<html><head><meta name="generator" content="hugo"></head></html>',
        "page2.html": b"<!DOCTYPE html><html><body>mine</body></html>",
        "book.xlsx": None, "doc.docx": None, "empty.txt": b"", "bin.md": bytes(range(256)),
    }
    cmds = {".md": [["review", GOOD]], ".html": [["review", GOOD]], ".xlsx": [["review", GOOD]],
            ".docx": [["review", GOOD], ["review", "r.docx", "--annotate"]],
            ".json": [["check", GOOD, "-f", "json"], ["check", GOOD, "-f", "sarif"]],
            ".sarif": [["check", GOOD, "-f", "sarif"]], ".txt": [["check", GOOD], ["check", GOOD, "-f", "github"]]}
    for name, content in lookalikes.items():
        for cmd in cmds[Path(name).suffix]:
            files = {name: content}
            if content is None:
                files[name] = _office(Path(name).suffix, creator="someone")
            if "--annotate" in cmd:
                files["r.docx"] = _office(".docx", creator="someone", text=REPORT)
            args = cmd[:-1] + [cmd[-1], name] if cmd[-1] == "--annotate" else cmd + ["-o", name]
            out.append(Case("outputs-guard", f"{name}:{' '.join(cmd)}", args, files, expect=(2,)))
    # govlint's own outputs are replaced on the next run (two runs in one case)
    for name, cmd in [("a.md", ["review", GOOD]), ("a.xlsx", ["review", GOOD]), ("a.docx", ["review", GOOD]),
                      ("a.html", ["review", GOOD]), ("a.txt", ["check", GOOD]), ("a.json", ["check", GOOD, "-f", "json"]),
                      ("a.sarif", ["check", GOOD, "-f", "sarif"]), ("a.gh", ["check", GOOD, "-f", "github"])]:
        out.append(Case("outputs-guard", f"rewrite {name}", cmd + ["-o", name], {}, expect=(0, 1),
                        outputs={name}, setup=("twice",)))
    return out


def _office(suffix, creator="someone", text="一、项目概况\n全年实际支出2712万元。"):
    import io
    buf = io.BytesIO()
    if suffix == ".docx":
        import docx
        d = docx.Document()
        for line in text.splitlines()[:40]:
            d.add_paragraph(line)
        d.core_properties.author = creator
        d.save(buf)
    else:
        import openpyxl
        wb = openpyxl.Workbook()
        wb.active.append(["项目", "金额"])
        wb.properties.creator = creator
        wb.save(buf)
    return buf.getvalue()


def output_targets():
    out = []
    for name, target, expect, setup in [
        ("fifo-no-reader", "pipe", (2,), "fifo"), ("dev-full", "/dev/full", (2,), None),
        ("dev-null", "/dev/null", (0, 1), None), ("dev-stdout-pipe", "/dev/stdout", (0, 1), None),
        ("directory", "adir", (2,), "dir"), ("missing-parent", "no/such/dir/x.txt", (2,), None),
        ("input-itself", GOOD, (2,), None), ("symlink-to-user-file", "link.txt", (2,), "symlink"),
    ]:
        for fmt in ("text", "json"):
            out.append(Case("output-targets", f"{name}-{fmt}", ["check", GOOD, "-f", fmt, "-o", target],
                            {}, expect=expect, setup=(setup,) if setup else None))
        # review chooses the format by the extension: /dev/null or a FIFO without one is a usage error
        review_target = target if target.startswith("/dev") or setup in ("fifo", "dir") or target == GOOD \
            else target + ".md"
        out.append(Case("output-targets", f"{name}-review", ["review", GOOD, "-o", review_target], {},
                        expect=(2,) if review_target.startswith("/dev") else expect,
                        setup=(setup,) if setup else None))
    return out


def file_names():
    out = []
    names = [b"bad\xff.txt", b"\xc3\x28x.txt", b"a\xed\xa0\x80b.md", b"\x80\x81\x82.txt", b"x\nnewline.txt",
             b"-a.txt", "空 格（中文）.txt".encode(), b"\xe4\xb8.txt"]
    for raw in names:
        for fmt in ("text", "json", "sarif", "github"):
            out.append(Case("file-names", f"{raw!r}-{fmt}", ["check", ".", "-f", fmt], {raw: REPORT.encode()},
                            expect=(0, 1, 2), companion=True))
        out.append(Case("file-names", f"{raw!r}-review", ["review", ".", "-o", "l.md", "-o", "l.xlsx",
                                                          "-o", "l.docx", "-o", "l.html"],
                        {raw: REPORT.encode()}, expect=(0,), outputs={"l.md", "l.xlsx", "l.docx", "l.html"}))
    return out


def configs():
    out = []
    wrong = {"str": '"x"', "int": "5", "ints": "[1, 2, 3]", "table": "{ a = 1 }", "bool": "true",
             "nested": "[[1], [2]]"}
    keys = ["select", "ignore", "extend-select", "severity", "per-file-ignores", "options", "lexicons", "profile",
            "fail-on", "exclude", "corpus", "baseline", "boilerplate", "jobs"]
    for key in keys:
        for wname, value in wrong.items():
            out.append(Case("config", f"{key}={wname}", ["check", GOOD], {"govlint.toml": f"{key} = {value}\n".encode()},
                            expect=(0, 1, 2)))
    for name, content in [("tool-str", 'tool = "x"\n#govlint\n'), ("tool-array", "[[tool]]\nx = 'govlint'\n"),
                          ("tool-govlint-str", '[tool]\ngovlint = "x"\n'), ("tool-govlint-array", "[[tool.govlint]]\n"),
                          ("tool-int", "tool = 5 # govlint\n")]:
        out.append(Case("config", name, ["check", GOOD], {"pyproject.toml": content.encode()}, expect=(2,)))
    for depth in (100, 1000, 2000, 5000):
        out.append(Case("nesting", f"toml-depth-{depth}", ["check", GOOD],
                        {"govlint.toml": ("a = " + "[" * depth + "]" * depth + "\n").encode()}, expect=(0, 1, 2)))
        out.append(Case("nesting", f"toml-table-depth-{depth}", ["check", GOOD],
                        {"govlint.toml": ("a = " + "{b = " * depth + "1" + "}" * depth + "\n").encode()},
                        expect=(0, 1, 2)))
    for depth in (1000, 100_000, 1_000_000):
        for kind, (o, c) in (("list", ("[", "]")), ("dict", ('{"a":', "}"))):
            body = o * depth + ("1" if kind == "dict" else "") + c * depth
            out.append(Case("nesting", f"baseline-{kind}-{depth}", ["check", GOOD, "--baseline", "b.json"],
                            {"b.json": body.encode()}, expect=(2,)))
    for raw in (b"\xff\xfe bad", b"select = ['\xff']\n", b"\x00" * 100):
        out.append(Case("config", f"bytes-{raw[:6]!r}", ["check", GOOD], {"govlint.toml": raw}, expect=(2,)))
    return out


def lexicons():
    sys.path.insert(0, str(REPO / "src"))
    from govlint.lexicon import _shipped
    out = []
    shipped = _shipped()
    wrong = ["5", '"x"', "[1, 2, 3]", "{ a = 1 }", "[[1]]", "true", '[{ zz = 1 }]']
    for lex, data in sorted(shipped.items()):
        for key in sorted(k for k in data if k != "meta"):
            for i, value in enumerate(wrong):
                base = data[key]
                # a value of the right shape is not a hostile case
                if isinstance(base, list) and base and isinstance(base[0], str) and value.startswith('["'):
                    continue
                toml = f'{key} = {value}\n[meta]\nextends = "{lex}"\nsource = "bench"\n'
                out.append(Case("lexicon", f"{lex}.{key}={value}", ["check", GOOD],
                                {"x.toml": toml.encode(), "govlint.toml": b'lexicons = ["x.toml"]\n'},
                                expect=(0, 1, 2)))
    for name, toml in [("meta-str", 'meta = "x"\n'), ("meta-list", "meta = [1]\n"), ("extends-int", "[meta]\nextends = 5\n"),
                       ("extends-unknown", '[meta]\nextends = "nope"\n'), ("no-meta", 'claims = ["x"]\n'),
                       ("key-in-meta", '[meta]\nextends = "vague"\nclaims = [1]\n'),
                       ("deep", "a = " + "[" * 3000 + "]" * 3000 + '\n[meta]\nextends = "vague"\n')]:
        out.append(Case("lexicon", name, ["check", GOOD],
                        {"x.toml": toml.encode(), "govlint.toml": b'lexicons = ["x.toml"]\n'}, expect=(2,)))
    return out


UNSAFE = ["(a+)+$", "(a*)*b", "(a|a)+$", "(a|aa)+$", "(\\w+\\s?)+$", "(.*a){12}", "(x+x+)+y", "(.|\\s)*$",
          "((ab)*)+c", "(a?){30}a{30}", "^(\\d+)+$", "(\\s*,\\s*)*$", "([a-z]+)*=", "(?:a|a?)+b", "(x?x?)+y",
          "(项目+)+完", "([一二三]+)+$", "(\\S+\\s*)+。$", "(?:.*,)*x", "(a+|b+)*c"]


def regexes():
    out = []
    for i, pattern in enumerate(UNSAFE):
        toml = ('[meta]\nextends = "leftovers"\nsource = "bench"\n[[patterns]]\nkind = "residue"\n'
                f"pattern = '{pattern}'\nmessage = \"x\"\n")
        text = REPORT + "\n" + "a" * 40 + "项" * 40 + " " * 40 + "\n"
        out.append(Case("regex", f"{pattern}", ["check", "t.txt"],
                        {"x.toml": toml.encode(), "govlint.toml": b'lexicons = ["x.toml"]\n', "t.txt": text.encode()},
                        expect=(2,)))
    return out


def corpus():
    out = []
    for cmd in (["corpus", "stats", "--index", "other.db"], ["corpus", "add", GOOD, "--index", "other.db"],
                ["corpus", "remove", GOOD, "--index", "other.db"], ["check", GOOD, "--corpus", "other.db"]):
        out.append(Case("corpus", f"foreign-db:{cmd[1]}", cmd, {}, expect=(2,), setup=("foreigndb",)))
    for name, content in [("empty.md", b""), ("notes.md", b"# notes\n"), ("zero.sqlite", b"\x00" * 4096),
                          ("hdr.sqlite", b"SQLite format 3\x00" + b"\x00" * 4080), ("text.sqlite", b"hello")]:
        for cmd in ("add", "stats", "remove"):
            args = ["corpus", cmd] + ([GOOD] if cmd != "stats" else []) + ["--index", name]
            out.append(Case("corpus", f"{name}:{cmd}", args, {name: content}, expect=(2,)))
    for url in ["redis://[::1/0", "redis://127.0.0.1:99999/0", "redis://:x@[zz/0", "redis://127.0.0.1:1/0",
                "redis://localhost:abc/0", "rediss://[::1]:1/0", "unix:///nonexistent.sock", "redis://127.0.0.1:1/x",
                "redis://%zz@127.0.0.1:1/0", "redis://" + "a" * 300 + ":1/0"]:
        out.append(Case("corpus", f"url {url[:40]}", ["corpus", "stats", "--index", url], {}, expect=(2,)))
        out.append(Case("corpus", f"check-url {url[:40]}", ["check", GOOD, "--corpus", url], {}, expect=(2,)))
    out.append(Case("corpus", "silent-listener", ["corpus", "stats", "--index", "redis://127.0.0.1:{port}/0"],
                    {}, expect=(2,), setup=("listener",)))
    out.append(Case("corpus", "fifo-in-add", ["corpus", "add", ".", "--index", "i.sqlite"], {}, expect=(0,),
                    outputs={"i.sqlite"}, setup=("fifo-txt",)))
    return out


def text_fuzz(n: int, seed: int = 19):
    rnd = random.Random(seed)
    pieces = ["项目", "资金", "万元", "%", "公里", "执行率", "其中", "合计", "一、", "（一）", "（", "）", "【", "】", "《",
              "》", "，", "。", "\n", "0", "1", "9", "100", "0.5", "九", "万", "亿", "两", "零", "XX", "\u3000", "\x00",
              "\ufeff", "𠮷", "\ud800", "<!-- govlint: disable -->"]
    out = []
    for i in range(n):
        k = rnd.choice([50, 200, 1000, 3000])
        text = "".join(rnd.choice(pieces) for _ in range(k))
        data = text.encode("utf-8", "surrogatepass" if i % 7 == 0 else "replace")
        if i % 3 == 0:
            out.append(Case("text-fuzz", f"stdin-{i}", ["check", "-", "--stdin-filename", "s.txt"], {},
                            stdin=data, expect=(0, 1, 2)))
        else:
            out.append(Case("text-fuzz", f"file-{i}", ["check", f"f{i}.txt"], {f"f{i}.txt": data},
                            expect=(0, 1, 2), companion=True))
    for i, data in enumerate([b"", b"\x00" * 1000, os.urandom(2000), b"\xff\xfe" + "报告".encode("utf-16-le"),
                              "报告".encode("gb18030") * 100]):
        out.append(Case("text-fuzz", f"stdin-bytes-{i}", ["check", "-"], {}, stdin=data, expect=(0, 1, 2)))
    return out


def lsp_cases():
    attacks = {
        "no-header": b"hello\r\n\r\n", "junk": bytes(range(256)) * 4, "bad-length": b"Content-Length: x\r\n\r\n{}",
        "huge-length": b"Content-Length: 999999999999\r\n\r\n", "not-json": b"Content-Length: 3\r\n\r\n{{{",
        "short-length": b"Content-Length: 500\r\n\r\n{}", "no-blank-line": b"Content-Length: 10\r\n",
        "lf-only": b"Content-Length: 2\n\n{}", "deep-json": b"Content-Length: 200000\r\n\r\n" + b"[" * 100000 + b"]" * 100000,
        "unknown-doc-change": None,
    }
    return [Case("lsp", name, ["server"], {}, expect=(0,), stdin=data, setup=("lsp",)) for name, data in attacks.items()]


# ----- running ---------------------------------------------------------------------------------

def _digest(d: Path) -> dict:
    out = {}
    for root, dirs, names in os.walk(d):
        for n in names:
            p = Path(root) / n
            try:
                st = os.lstat(p)
            except OSError:
                continue
            rel = os.fsencode(p.relative_to(d))
            if stat.S_ISREG(st.st_mode):
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
            else:
                out[rel] = f"mode:{stat.S_IFMT(st.st_mode)}"
    return out


def _run(cmd, cwd, env, stdin, timeout):
    """(rc or None on hang, stdout, stderr, maxrss KiB)"""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                             stdout=out, stderr=err, start_new_session=True)
        if stdin is not None:
            try:
                p.stdin.write(stdin)
                p.stdin.close()
            except BrokenPipeError:
                pass
        deadline = time.monotonic() + timeout
        rc, rss = None, 0
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                rc, rss = os.waitstatus_to_exitcode(status), ru.ru_maxrss
                p.returncode = rc
                break
            if time.monotonic() > deadline:
                os.killpg(p.pid, signal.SIGKILL)
                _, status, ru = os.wait4(p.pid, 0)
                p.returncode = -9
                rss = ru.ru_maxrss
                break
            time.sleep(0.05)
        out.seek(0)
        err.seek(0)
        return rc, out.read(), err.read(), rss


def _run_lsp(cmd, cwd, env, data, timeout):
    """Send ``data`` and keep the pipe open until diagnostics arrive (or ``timeout``), then
    close it: the server must exit by itself on end of input."""
    import threading
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, start_new_session=True)
    got = bytearray()
    seen = threading.Event()

    def reader():
        while True:
            chunk = p.stdout.read1(65536)
            if not chunk:
                seen.set()
                return
            got.extend(chunk)
            if b"publishDiagnostics" in got:
                seen.set()
    threading.Thread(target=reader, daemon=True).start()
    err_buf = bytearray()
    threading.Thread(target=lambda: err_buf.extend(p.stderr.read()), daemon=True).start()
    try:
        p.stdin.write(data)
        p.stdin.flush()
    except BrokenPipeError:
        pass
    seen.wait(timeout)
    try:
        p.stdin.close()
    except BrokenPipeError:
        pass
    deadline = time.monotonic() + 20
    while True:
        pid, status, ru = os.wait4(p.pid, os.WNOHANG)
        if pid:
            time.sleep(0.2)
            return os.waitstatus_to_exitcode(status), bytes(got), bytes(err_buf), ru.ru_maxrss
        if time.monotonic() > deadline:
            os.killpg(p.pid, signal.SIGKILL)
            _, status, ru = os.wait4(p.pid, 0)
            return None, bytes(got), bytes(err_buf), ru.ru_maxrss
        time.sleep(0.05)


def _lsp_session(attack: bytes | None, name: str):
    def frame(obj):
        b = json.dumps(obj, ensure_ascii=False).encode()
        return b"Content-Length: %d\r\n\r\n" % len(b) + b
    msgs = frame({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                  "params": {"processId": None, "rootUri": None, "capabilities": {}}})
    msgs += frame({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    if attack is None:
        msgs += frame({"jsonrpc": "2.0", "method": "textDocument/didChange",
                       "params": {"textDocument": {"uri": "file:///nope.md", "version": 2}, "contentChanges": [{"text": "x"}]}})
    else:
        msgs += attack
    msgs += frame({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": "file:///tmp/x.md", "languageId": "markdown", "version": 1, "text": "项目资金已全部到位 ，执行情况良好,群众反映较好。\n"}}})
    return msgs


def run_case(case: Case, timeout: float, env_base: dict) -> dict:
    d = Path(tempfile.mkdtemp(prefix="govlint-hostile-"))
    res = {"class": case.cls, "name": case.name, "internal": False, "hang": False, "lost": False,
           "changed": False, "rc": None, "rss_kib": 0, "note": ""}
    listener = None
    lsp_proc_input = None
    try:
        (d / GOOD).write_text(REPORT, encoding="utf-8")
        for name, content in case.files.items():
            p = d / (os.fsdecode(name) if isinstance(name, bytes) else name)
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(content)
        args = list(case.args)
        setup = case.setup or ()
        if "fifo" in setup:
            os.mkfifo(d / "pipe")
        if "fifo-txt" in setup:
            os.mkfifo(d / "z.txt")
        if "dir" in setup:
            (d / "adir").mkdir()
        if "symlink" in setup:
            (d / "mine.txt").write_text("用户的文件\n", encoding="utf-8")
            os.symlink("mine.txt", d / "link.txt")
            os.symlink("mine.txt", d / "link.txt.md")
        if "foreigndb" in setup:
            con = sqlite3.connect(d / "other.db")
            con.execute("CREATE TABLE t (x)")
            con.execute("INSERT INTO t VALUES (1)")
            con.commit()
            con.close()
        if "listener" in setup:
            listener = socket.socket()
            listener.bind(("127.0.0.1", 0))
            listener.listen(8)
            args = [a.replace("{port}", str(listener.getsockname()[1])) for a in args]
        if case.companion:
            args = args[:2] + ([GOOD] if args[1] != "." else []) + args[2:]
        stdin = case.stdin
        if "lsp" in setup:
            stdin = _lsp_session(case.stdin, case.name)
        before = _digest(d)
        cmd = [sys.executable, "-m", "govlint", *args]
        if "lsp" in setup:
            rc, out, err, rss = _run_lsp(cmd, d, env_base, stdin, timeout)
            res["rc"], res["rss_kib"] = rc, rss
            if rc is None:
                res["hang"] = True
            elif b"publishDiagnostics" not in out:
                res["internal"] = True
                res["note"] = "no diagnostics after the attack"
            elif b"Error in server" in out or b"Traceback" in err:
                res["internal"] = True
                res["note"] = "English error or traceback"
            return res
        if "twice" in setup:
            _run(cmd, d, env_base, stdin, timeout)
            before = _digest(d)
        rc, out, err, rss = _run(cmd, d, env_base, stdin, timeout)
        res["rc"], res["rss_kib"] = rc, rss
        err_t = err.decode("utf-8", "replace")
        out_t = out.decode("utf-8", "replace")
        if rc is None:
            res["hang"] = True
        elif "内部错误" in err_t or "Traceback" in err_t or rc not in case.expect:
            res["internal"] = True
            res["note"] = (err_t.strip().splitlines() or [f"rc={rc}"])[-1][:200] + f" (rc={rc})"
        if case.companion and rc is not None and not res["hang"]:
            if GOOD not in out_t and rc != 2:
                res["lost"] = True
            if rc == 2 and "共检查" not in out_t and '"checked"' not in out_t and GOOD not in out_t \
                    and "-f" in args and args[args.index("-f") + 1] in ("text", "json"):
                res["lost"] = True
        after = _digest(d)
        allowed = {os.fsencode(o) for o in case.outputs}
        for k, v in before.items():
            if k in allowed:
                continue
            if after.get(k) != v:
                res["changed"] = True
                res["note"] += f" changed {k!r}"
        if "foreigndb" in setup:
            con = sqlite3.connect(f"{(d / 'other.db').resolve().as_uri()}?mode=ro", uri=True)
            if con.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                res["changed"] = True
                res["note"] += " other.db switched to WAL"
            con.close()
    except Exception as exc:  # noqa: BLE001 - a harness failure is reported, not hidden
        res["internal"] = True
        res["note"] = f"harness: {type(exc).__name__}: {exc}"[:200]
    finally:
        if listener is not None:
            listener.close()
        shutil.rmtree(d, ignore_errors=True)
    return res


def all_cases(fuzz: int):
    cases = (outputs_guard() + output_targets() + file_names() + configs() + lexicons() + regexes() + corpus()
             + text_fuzz(fuzz) + lsp_cases())
    return cases


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--fuzz", type=int, default=60, help="generated text/stdin cases")
    ap.add_argument("--only", help="run only this class")
    ap.add_argument("--json", help="write every case's result here")
    a = ap.parse_args()
    env = dict(os.environ, PYTHONPATH=str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""),
               GOVLINT_REDIS_LOCK_TTL="2")
    env.pop("GOVLINT_CONFIG", None)
    cases = all_cases(a.fuzz)
    if a.only:
        cases = [c for c in cases if c.cls == a.only]
    t0 = time.time()
    with ThreadPoolExecutor(a.jobs) as pool:
        results = list(pool.map(lambda c: run_case(c, a.timeout, env), cases))
    classes: dict = {}
    for r in results:
        c = classes.setdefault(r["class"], {"cases": 0, "internal": 0, "hang": 0, "lost": 0, "changed": 0, "peak_mib": 0})
        c["cases"] += 1
        for k in ("internal", "hang", "lost", "changed"):
            c[k] += int(r[k])
        c["peak_mib"] = max(c["peak_mib"], round(r["rss_kib"] / 1024))
    total = {k: sum(c[k] for c in classes.values()) for k in ("cases", "internal", "hang", "lost", "changed")}
    total["peak_mib"] = max((c["peak_mib"] for c in classes.values()), default=0)
    print(f"{'class':16} {'cases':>6} {'internal':>9} {'hangs':>6} {'lost':>5} {'changed':>8} {'peak MiB':>9}")
    for name, c in classes.items():
        print(f"{name:16} {c['cases']:>6} {c['internal']:>9} {c['hang']:>6} {c['lost']:>5} {c['changed']:>8} {c['peak_mib']:>9}")
    print(f"{'total':16} {total['cases']:>6} {total['internal']:>9} {total['hang']:>6} {total['lost']:>5} "
          f"{total['changed']:>8} {total['peak_mib']:>9}")
    print(f"({time.time() - t0:.0f} s, timeout {a.timeout:g} s, jobs {a.jobs})")
    for r in results:
        if r["internal"] or r["hang"] or r["lost"] or r["changed"]:
            flags = ",".join(k for k in ("internal", "hang", "lost", "changed") if r[k])
            print(f"  FAIL [{r['class']}] {r['name'][:70]}: {flags} {r['note']}")
    if a.json:
        Path(a.json).write_text(json.dumps({"classes": classes, "total": total, "cases": results},
                                           ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if any(total[k] for k in ("internal", "hang", "lost", "changed")) else 0


if __name__ == "__main__":
    sys.exit(main())
