"""``govlint web``: the workbench's API, decisions, downloads and safety (in-process client)."""

from __future__ import annotations

import html
import io
import re
import time
import warnings
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")

with warnings.catch_warnings():   # starlette's note about httpx versions is not ours to act on
    warnings.simplefilter("ignore", DeprecationWarning)
    from starlette.testclient import TestClient  # noqa: E402

from govlint.web.app import Settings, StartError, create_app, is_loopback, safe_name  # noqa: E402
from helpers import make_docx, run_cli  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = (ROOT / "corpora" / "sample_report.txt").read_bytes()


def _client(tmp_path, **kw):
    app = create_app(Settings(data_dir=tmp_path / "data", **kw))
    return TestClient(app, raise_server_exceptions=False), app


def _csrf(client) -> str:
    page = client.get("/")
    assert page.status_code == 200
    return re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)


def _wait(client, bid, headers=None):
    for _ in range(300):
        j = client.get(f"/api/batches/{bid}", headers=headers or {}).json()
        if j["status"] in ("done", "error"):
            return j
        time.sleep(0.1)
    raise AssertionError("batch never finished")


def _upload(client, files, csrf=None, headers=None, **form):
    h = dict(headers or {})
    if csrf:
        h["X-CSRF-Token"] = csrf
    data = {"profile": "auto", "select": "", "corpus": "", **form}
    return client.post("/api/batches", files=[("files", f) for f in files], data=data, headers=h)


def test_upload_check_decide_and_download(tmp_path):
    client, app = _client(tmp_path)
    csrf = _csrf(client)
    docx = make_docx(tmp_path / "in.docx", ["2023年度农村公路养护项目绩效自评报告", "一、项目概况",
                                            "项目资金(省级补助)已全部到位,执行率100%。"])
    r = _upload(client, [("白沙区老旧小区.txt", SAMPLE, "text/plain"), ("公路.docx", docx.read_bytes(), "x"),
                         ("说明.png", b"\x89PNG", "image/png")], csrf)
    assert r.status_code == 201, r.text
    j = _wait(client, r.json()["batch"])
    by_name = {f["name"]: f for f in j["files"]}
    assert by_name["说明.png"]["status"] == "error" and "不支持的文件类型" in by_name["说明.png"]["error"]
    txt = by_name["白沙区老旧小区.txt"]
    assert txt["status"] == "done" and txt["errors"] >= 1 and txt["score"] == 93.0
    assert j["families"][txt["id"]]["FUND"] >= 1
    page = client.get(f"/files/{txt['id']}")
    assert page.status_code == 200 and "采纳" in page.text
    shown = set(re.findall(r'<span class="code">([A-Z]+\d{3})</span>', page.text))
    from govlint import registry
    assert shown and all(registry.get(c).title_zh in page.text for c in shown)   # Chinese titles beside codes
    cards = re.findall(r'data-fingerprint="([^"]+)"', page.text)
    messages = re.findall(r'<p class="msg">([^<]+)</p>', page.text)
    assert len(cards) == len(messages) == txt["errors"] + txt["warnings"] + txt["infos"]
    rejected, noted = cards[0], cards[1]
    h = {"X-CSRF-Token": csrf}
    assert client.post(f"/api/files/{txt['id']}/decisions", json={"fingerprint": rejected, "verdict": "reject"},
                       headers=h).status_code == 200
    assert client.post(f"/api/files/{txt['id']}/decisions",
                       json={"fingerprint": noted, "verdict": "accept", "note": "请附上验收报告"}, headers=h).status_code == 200
    assert client.post(f"/api/files/{txt['id']}/note", json={"note": "整体数据需与决算核对"}, headers=h).status_code == 200
    md = client.get(f"/files/{txt['id']}/download/md").content.decode("utf-8")
    assert "审核人意见：请附上验收报告" in md and "整体数据需与决算核对" in md
    import docx as pydocx
    d = pydocx.Document(io.BytesIO(client.get(f"/files/{txt['id']}/download/docx").content))
    cells = "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells)
    assert "请附上验收报告" in cells and "整体数据需与决算核对" in cells
    import openpyxl
    wb = openpyxl.load_workbook(io.BytesIO(client.get(f"/files/{txt['id']}/download/xlsx").content))
    values = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value}
    assert any("请附上验收报告" in v for v in values)
    annotated = client.get(f"/files/{by_name['公路.docx']['id']}/download/annotated")
    assert annotated.status_code == 200
    assert b"word/comments.xml" in annotated.content or "word/comments.xml" in zipfile.ZipFile(
        io.BytesIO(annotated.content)).namelist()
    assert client.get(f"/files/{txt['id']}/download/annotated").status_code == 400   # not a Word report
    z = zipfile.ZipFile(io.BytesIO(client.get(f"/batches/{j['id']}/download.zip").content))
    names = z.namelist()
    assert "汇总审核意见.xlsx" in names and any(n.endswith("/批注副本.docx") for n in names)


def test_rejected_finding_leaves_every_list(tmp_path):
    client, _ = _client(tmp_path)
    csrf = _csrf(client)
    r = _upload(client, [("r.txt", SAMPLE, "text/plain")], csrf, select="STRUCT001")
    j = _wait(client, r.json()["batch"])
    fid = j["files"][0]["id"]
    page = client.get(f"/files/{fid}").text
    fps = re.findall(r'data-fingerprint="([^"]+)"', page)
    messages = [html.unescape(m) for m in re.findall(r'<p class="msg">([^<]+)</p>', page)]
    assert len(fps) >= 2 and len(set(messages)) == len(messages)
    before = client.get(f"/files/{fid}/download/md").content.decode("utf-8")
    assert all(m in before for m in messages)
    client.post(f"/api/files/{fid}/decisions", json={"fingerprint": fps[0], "verdict": "reject"},
                headers={"X-CSRF-Token": csrf})
    after = client.get(f"/files/{fid}/download/md").content.decode("utf-8")
    assert messages[0] not in after and all(m in after for m in messages[1:])


def test_pdf_list(tmp_path):
    import shutil
    if not (shutil.which("soffice") or shutil.which("chromium")):
        from helpers import unavailable
        unavailable("neither LibreOffice nor Chromium is installed")
    client, _ = _client(tmp_path)
    csrf = _csrf(client)
    j = _wait(client, _upload(client, [("r.txt", SAMPLE, "text/plain")], csrf).json()["batch"])
    pdf = client.get(f"/files/{j['files'][0]['id']}/download/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


# ----- safety ------------------------------------------------------------------------------------

def test_refuses_to_start_on_a_network_address_without_a_token(tmp_path):
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    with pytest.raises(StartError, match="访问令牌"):
        create_app(Settings(host="0.0.0.0", data_dir=tmp_path))
    p = run_cli("web", "--host", "0.0.0.0", "--port", "0", "--data-dir", str(tmp_path / "d"),
                env={"GOVLINT_WEB_TOKEN": ""})
    assert p.returncode == 2 and "访问令牌" in p.stderr_text and "Traceback" not in p.stderr_text
    create_app(Settings(host="0.0.0.0", tokens=("s3cret-token",), data_dir=tmp_path))   # with a token it starts


def test_tokens_sessions_and_owners(tmp_path):
    client, _ = _client(tmp_path, host="0.0.0.0", tokens=("alpha-token-1", "beta-token-2"))
    assert client.get("/", follow_redirects=False).status_code == 303          # to the login page
    assert client.get("/api/batches/x").status_code == 401
    wrong = client.get("/api/batches/x", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json()["error"] == "访问令牌不正确"
    assert client.post("/login", data={"token": "nope"}).status_code == 401
    alpha = {"Authorization": "Bearer alpha-token-1"}
    r = _upload(client, [("r.txt", SAMPLE, "text/plain")], headers=alpha)
    assert r.status_code == 201
    bid = r.json()["batch"]
    _wait(client, bid, alpha)
    beta = {"Authorization": "Bearer beta-token-2"}
    assert client.get(f"/api/batches/{bid}", headers=beta).status_code == 404
    assert client.get(f"/batches/{bid}", headers=beta).status_code == 404
    # a browser session: login sets an HttpOnly, SameSite=Strict cookie; its posts need the CSRF token
    login = client.post("/login", data={"token": "beta-token-2"}, follow_redirects=False)
    assert login.status_code == 303
    cookie = login.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert bid not in client.get("/").text
    assert _upload(client, [("r.txt", SAMPLE, "text/plain")]).status_code == 403


def test_csrf_required_for_state_changes(tmp_path):
    client, _ = _client(tmp_path)
    csrf = _csrf(client)
    r = _upload(client, [("r.txt", SAMPLE, "text/plain")])
    assert r.status_code == 403 and "CSRF" in r.json()["error"]
    assert _upload(client, [("r.txt", SAMPLE, "text/plain")], csrf="forged").status_code == 403
    bid = _upload(client, [("r.txt", SAMPLE, "text/plain")], csrf).json()["batch"]
    fid = _wait(client, bid)["files"][0]["id"]
    assert client.post(f"/api/files/{fid}/note", json={"note": "x"}).status_code == 403
    fresh = TestClient(client.app)                       # another browser without a session
    assert fresh.post(f"/api/files/{fid}/note", json={"note": "x"}).status_code == 403


def test_file_names_are_sanitised_and_stored_under_random_names(tmp_path):
    assert safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_name("..\\..\\a\x00b.docx") == "ab.docx"
    assert safe_name("") == "未命名"
    client, app = _client(tmp_path)
    csrf = _csrf(client)
    bid = _upload(client, [("../../../../tmp/evil.txt", SAMPLE, "text/plain"),
                           ("../../../../tmp/evil.txt", SAMPLE, "text/plain")], csrf).json()["batch"]
    j = _wait(client, bid)
    assert [f["name"] for f in j["files"]] == ["evil.txt", "evil.txt"]
    stored = sorted(p.name for p in (tmp_path / "data" / "uploads" / bid).iterdir())
    assert len(stored) == 2 and all(re.fullmatch(r"[0-9a-f]{32}\.txt", n) for n in stored)
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()
    assert client.get("/static/../store.py").status_code == 404


def test_oversize_upload_is_refused_in_chinese(tmp_path):
    client, _ = _client(tmp_path, max_upload_mb=1, max_files=2)
    csrf = _csrf(client)
    big = _upload(client, [("big.txt", b"x" * (1024 * 1024 + 10), "text/plain")], csrf)
    assert big.status_code == 413 and "上限" in big.json()["error"]
    many = _upload(client, [(f"{i}.txt", SAMPLE, "text/plain") for i in range(3)], csrf)
    assert many.status_code == 413 and "最多" in many.json()["error"]


def test_errors_are_chinese_pages_without_tracebacks(tmp_path, monkeypatch):
    client, app = _client(tmp_path)
    missing = client.get("/batches/nope")
    assert missing.status_code == 404 and "没有这个批次" in missing.text
    monkeypatch.setattr(app.state.store, "batches", lambda owner: 1 / 0)
    broken = client.get("/")
    assert broken.status_code == 500 and "服务器内部错误" in broken.text
    assert "Traceback" not in broken.text and "ZeroDivision" not in broken.text


def test_batches_persist_and_retention_deletes_old_ones(tmp_path):
    client, app = _client(tmp_path)
    csrf = _csrf(client)
    bid = _upload(client, [("r.txt", SAMPLE, "text/plain")], csrf).json()["batch"]
    _wait(client, bid)
    # a new server on the same data directory still has the batch and its results
    again, _ = _client(tmp_path)
    cookie = {"govlint_session": client.cookies.get("govlint_session")}
    assert again.get(f"/api/batches/{bid}", cookies=cookie).json()["files"][0]["status"] == "done"
    store = app.state.store
    with store.db() as db:
        db.execute("UPDATE batches SET created = created - 40 * 86400 WHERE id=?", (bid,))
    assert store.purge(30) == 1
    assert not (tmp_path / "data" / "uploads" / bid).exists()
    assert again.get(f"/api/batches/{bid}", cookies=cookie).status_code == 404


def test_a_batch_joins_a_reference_corpus_from_the_page(tmp_path):
    index = tmp_path / "corpus.sqlite"
    client, _ = _client(tmp_path, corpora=(str(index),))
    csrf = _csrf(client)
    bid = _upload(client, [("r.txt", SAMPLE, "text/plain")], csrf).json()["batch"]
    _wait(client, bid)
    page = client.get(f"/batches/{bid}").text
    assert 'id="corpus-add"' in page and str(index) in page
    assert client.post(f"/api/batches/{bid}/corpus", json={"corpus": str(index)}).status_code == 403   # CSRF
    assert client.post(f"/api/batches/{bid}/corpus", json={"corpus": "/etc/other.db"},
                       headers={"X-CSRF-Token": csrf}).status_code == 400
    r = client.post(f"/api/batches/{bid}/corpus", json={"corpus": str(index)}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200, r.text
    from govlint.corpus import open_index
    idx = open_index(str(index), create=False)
    try:
        assert idx.n_docs() == 1
    finally:
        idx.close()
    # the next batch is checked against it: the same report is now a copy of the corpus one
    bid2 = _upload(client, [("again.txt", SAMPLE, "text/plain")], csrf, corpus=str(index)).json()["batch"]
    j = _wait(client, bid2)
    assert j["files"][0]["copy_ratio"] and j["files"][0]["copy_ratio"] > 0.5
