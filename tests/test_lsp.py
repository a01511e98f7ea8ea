"""``govlint server``: speak LSP over stdio to a real server process."""

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytest.importorskip("pygls.lsp.server")

ROOT = Path(__file__).resolve().parent.parent
# 𠮷 is outside the BMP: one code point, two UTF-16 code units, four UTF-8 bytes
LINE = "𠮷项目资金已全部到位 ，执行情况良好,群众反映较好。"
SPACE_CP = LINE.index(" ")     # 10 code points before the stray space
COMMA_CP = LINE.index(",")     # 18
CLEAN = "全年完成培训12期，覆盖基层干部800人次。\n"


class Client:
    def __init__(self, cwd):
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
        env.pop("GOVLINT_CONFIG", None)
        self.proc = subprocess.Popen([sys.executable, "-m", "govlint", "server"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd, env=env)
        self.messages: queue.Queue = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    self.messages.put(None)
                    return
                line = line.decode("ascii").strip()
                if not line:
                    break
                k, _, v = line.partition(":")
                headers[k.strip().lower()] = v.strip()
            body = out.read(int(headers["content-length"]))
            self.messages.put(json.loads(body.decode("utf-8")))

    def send(self, msg):
        data = json.dumps({"jsonrpc": "2.0", **msg}, ensure_ascii=False).encode("utf-8")
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()

    def request(self, method, params):
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        return self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def wait(self, pred, timeout=30):
        while True:
            try:
                m = self.messages.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError("no answer from the server; stderr:\n" + self._stderr()) from None
            if m is None:
                raise AssertionError("server exited; stderr:\n" + self._stderr())
            if pred(m):
                return m

    def diagnostics(self, uri, timeout=30):
        m = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                      and m["params"]["uri"] == uri, timeout)
        return m["params"]["diagnostics"]

    def _stderr(self):
        if self.proc.poll() is None:
            self.proc.kill()
        return self.proc.stderr.read().decode("utf-8", "replace")

    def open(self, uri, text, language="markdown", version=1):
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language,
                                                              "version": version, "text": text}})

    def start(self, root, encodings=None):
        caps = {"textDocument": {"publishDiagnostics": {"relatedInformation": True}}}
        if encodings:
            caps["general"] = {"positionEncodings": encodings}
        result = self.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(),
                                             "capabilities": caps})["result"]
        self.notify("initialized", {})
        return result

    def stop(self):
        assert self.request("shutdown", None).get("error") is None
        self.notify("exit", None)
        try:
            rc = self.proc.wait(timeout=20)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        return rc


@pytest.fixture
def client(tmp_path):
    c = Client(tmp_path)
    yield c
    if c.proc.poll() is None:
        c.proc.kill()
        c.proc.wait()


def by_code(diags):
    return {d["code"]: d for d in diags}


@pytest.mark.parametrize("encodings, space_at, comma_at", [
    (None, SPACE_CP + 1, COMMA_CP + 1),                                   # UTF-16 by default
    (["utf-8"], len(LINE[:SPACE_CP].encode()), len(LINE[:COMMA_CP].encode())),
    (["utf-32"], SPACE_CP, COMMA_CP),
])
def test_diagnostics_on_open(client, tmp_path, encodings, space_at, comma_at):
    init = client.start(tmp_path, encodings)
    assert init["serverInfo"]["name"] == "govlint"
    assert init["capabilities"]["positionEncoding"] == (encodings or ["utf-16"])[0]
    uri = (tmp_path / "报告.md").as_uri()
    client.open(uri, "# 说明\n\n" + LINE + "\n")
    d = by_code(client.diagnostics(uri))
    assert set(d) == {"STYLE001", "STYLE004"}
    assert d["STYLE004"]["range"] == {"start": {"line": 2, "character": space_at},
                                      "end": {"line": 2, "character": space_at + 1}}
    assert d["STYLE001"]["range"] == {"start": {"line": 2, "character": comma_at},
                                      "end": {"line": 2, "character": comma_at + 1}}
    assert d["STYLE001"]["severity"] == 2 and d["STYLE001"]["source"] == "govlint"
    assert "半角" in d["STYLE001"]["message"] and "建议" in d["STYLE001"]["message"]
    assert d["STYLE001"]["data"]["fingerprint"]
    assert client.stop() == 0


def test_change_save_close_and_config(client, tmp_path):
    (tmp_path / "govlint.toml").write_text('ignore = ["STYLE004"]\n', encoding="utf-8")
    client.start(tmp_path)
    txt = (tmp_path / "2024年度自评.txt").as_uri()
    client.open(txt, LINE + "\n", language="plaintext")
    assert [d["code"] for d in client.diagnostics(txt)] == ["STYLE001"]       # config honoured
    # an error-level finding: a template placeholder in the title
    client.notify("textDocument/didChange", {"textDocument": {"uri": txt, "version": 2},
                                             "contentChanges": [{"text": "20XX年度项目支出绩效自评报告\n" + CLEAN}]})
    diags = client.diagnostics(txt)
    assert "STYLE002" in by_code(diags) and by_code(diags)["STYLE002"]["severity"] == 1
    # an incremental edit that fixes it
    client.notify("textDocument/didChange", {"textDocument": {"uri": txt, "version": 3}, "contentChanges": [
        {"range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 4}}, "text": "2024"}]})
    assert "STYLE002" not in by_code(client.diagnostics(txt))
    client.notify("textDocument/didSave", {"textDocument": {"uri": txt}})
    assert "STYLE002" not in by_code(client.diagnostics(txt))
    # other files are left alone, closing clears
    py = (tmp_path / "x.py").as_uri()
    client.open(py, "a = 1,2\n", language="python")
    client.notify("textDocument/didClose", {"textDocument": {"uri": txt}})
    m = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")
    assert m["params"] == {"uri": txt, "diagnostics": []}
    assert client.stop() == 0


def test_suppression_comments_work_in_the_editor(client, tmp_path):
    client.start(tmp_path)
    uri = (tmp_path / "r.md").as_uri()
    client.open(uri, "<!-- govlint: disable-next-line=STYLE001 -->\n" + LINE + "\n")
    assert [d["code"] for d in client.diagnostics(uri)] == ["STYLE004"]
    assert client.stop() == 0


def test_bad_config_is_shown_not_fatal(client, tmp_path):
    (tmp_path / "govlint.toml").write_text('selekt = ["STYLE"]\n', encoding="utf-8")
    client.start(tmp_path)
    uri = (tmp_path / "r.md").as_uri()
    client.open(uri, LINE + "\n")
    d = by_code(client.diagnostics(uri))
    assert "config" in d and "selekt" in d["config"]["message"] and "STYLE001" in d
    assert client.stop() == 0


def test_quick_fixes_and_fix_all(client, tmp_path):
    client.start(tmp_path)
    uri = (tmp_path / "报告.md").as_uri()
    text = "# 说明\n\n" + LINE + "\n"
    client.open(uri, text)
    diags = client.diagnostics(uri)
    d = by_code(diags)
    assert d["STYLE001"]["data"]["fix"]["edits"][0]["newText"] == "，"
    result = client.request("textDocument/codeAction", {
        "textDocument": {"uri": uri}, "range": d["STYLE001"]["range"],
        "context": {"diagnostics": diags}})["result"]
    quick = [a for a in result if a["kind"] == "quickfix"]
    assert {a["diagnostics"][0]["code"] for a in quick} == {"STYLE001", "STYLE004"}
    comma = next(a for a in quick if a["diagnostics"][0]["code"] == "STYLE001")
    assert comma["edit"]["changes"][uri] == [{"range": d["STYLE001"]["range"], "newText": "，"}]
    fix_all = next(a for a in result if a["kind"] == "source.fixAll")
    (edit,) = fix_all["edit"]["changes"][uri]
    assert edit["range"]["start"] == {"line": 0, "character": 0}
    assert edit["newText"] == text.replace(" ，", "，").replace(",", "，")
    assert client.stop() == 0
