"""``govlint server`` against a hostile or broken client (issue #19): framing garbage, a huge
Content-Length, bodies that are not JSON, notifications for documents never opened, and one
very large report next to a small one."""

import io
import json

import pytest

pytest.importorskip("pygls.lsp.server")

from test_lsp import CLEAN, LINE, Client  # noqa: E402  (tests/ is on sys.path: conftest)


@pytest.fixture
def client(tmp_path):
    c = Client(tmp_path)
    yield c
    if c.proc.poll() is None:
        c.proc.kill()
        c.proc.wait()


def _raw(client, data: bytes):
    client.proc.stdin.write(data)
    client.proc.stdin.flush()


def _codes(diags):
    return {d["code"] for d in diags}


@pytest.mark.parametrize("garbage", [
    b"hello world\r\n\r\n",                                       # no header at all
    b"\x00\xff\xfe junk \x1b[31m\n" * 50,                          # binary junk
    b"Content-Length: abc\r\n\r\n{}",                              # bad length
    b"Content-Length: 5\r\n\r\n{\"a\":",                           # body that is not JSON
    b"Content-Length: 999999999999\r\n\r\n",                       # huge length: skipped, no MemoryError
    b"Content-Length: 40\r\nContent-Type: x\r\n\r\n" + b"[" * 40,   # valid framing, body never ends
    b"Content-Length: 10\r\n",                                     # missing blank line: swallowed by the next header
])
def test_framing_garbage_recovers_at_the_next_header(client, tmp_path, garbage):
    client.start(tmp_path)
    _raw(client, garbage)
    uri = (tmp_path / "a.md").as_uri()
    client.open(uri, "# 说明\n\n" + LINE + "\n")
    assert "STYLE001" in _codes(client.diagnostics(uri, timeout=60))
    assert client.proc.poll() is None
    assert client.stop() == 0


def test_a_length_that_swallows_the_next_message_recovers(client, tmp_path):
    client.start(tmp_path)
    _raw(client, b"Content-Length: 500\r\n\r\n{\"jsonrpc\": \"2.0\"}")     # says 500, sends 19
    uri = (tmp_path / "b.md").as_uri()
    client.open(uri, "# 说明\n\n" + LINE + "\n")
    # the open notification was partly swallowed: the server resynchronises at the next header,
    # so a second open (an editor re-sending after a restart of the document) is answered
    client.open(uri, "# 说明\n\n" + LINE + "\n", version=2)
    assert "STYLE001" in _codes(client.diagnostics(uri, timeout=60))
    assert client.proc.poll() is None


def test_notifications_for_unknown_documents_give_a_chinese_message(client, tmp_path):
    client.start(tmp_path)
    uri = (tmp_path / "never-opened.md").as_uri()
    client.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                             "contentChanges": [{"text": "x"}]})
    m = client.wait(lambda m: m.get("method") == "window/showMessage", timeout=60)
    text = m["params"]["message"]
    assert "govlint" in text and "Error in server" not in text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text)
    other = (tmp_path / "c.md").as_uri()
    client.open(other, "# 说明\n\n" + LINE + "\n")
    assert "STYLE001" in _codes(client.diagnostics(other, timeout=60))


def test_a_huge_report_does_not_block_a_small_one(client, tmp_path):
    """The large report is checked in its own lane: the small one's diagnostics come first."""
    client.start(tmp_path)
    big = (tmp_path / "big.txt").as_uri()
    small = (tmp_path / "small.md").as_uri()
    para = "全年实际支出2712万元，预算执行率100%，完成农村公路养护126公里，路面优良率达到82%。\n"
    client.open(big, para * 40_000, language="plaintext")      # ~2 MB of report text
    client.open(small, "# 说明\n\n" + LINE + "\n")
    first = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics", timeout=240)
    assert first["params"]["uri"] == small
    assert "STYLE001" in _codes(first["params"]["diagnostics"])


# ----- the framer alone (no process) ------------------------------------------------------------

def _frame(obj) -> bytes:
    body = json.dumps(obj).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


@pytest.mark.parametrize("prefix", [b"", b"junk\n", b"Content-Length: 99999999999999\r\n\r\n",
                                    b"content-length: 3\n\n{x}", b"\r\n\r\n\r\n", b"Content-Length: 2\r\n\r\n{}",
                                    b"Content-Length: 7\n\n[1,2,3]"])
def test_framer_yields_every_valid_message(prefix):
    from govlint.lsp import Framer
    msgs = [{"id": i, "jsonrpc": "2.0", "method": "x", "params": {"t": "报告" * i}} for i in range(5)]
    stream = io.BytesIO(prefix + b"".join(_frame(m) for m in msgs))
    f = Framer(stream)
    got = []
    while True:
        body = f.next_message()
        if body is None:
            break
        got.append(json.loads(body))
    assert got == msgs


def test_framer_memory_is_bounded_by_the_limit(monkeypatch):
    from govlint import lsp
    monkeypatch.setattr(lsp, "MAX_MESSAGE", 1000)
    stream = io.BytesIO(_frame({"jsonrpc": "2.0", "big": "x" * 5000}) + _frame({"jsonrpc": "2.0", "ok": 1}))
    f = lsp.Framer(stream)
    assert json.loads(f.next_message()) == {"jsonrpc": "2.0", "ok": 1}
    assert f.next_message() is None
    assert len(f.buf) <= 5000 + 1 << 16
