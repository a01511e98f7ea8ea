"""The reviewer's workbench: a Starlette application over govlint's batch check and review lists.

Pages: the start page (upload, settings, earlier batches), a batch (progress and ranking),
a report (text with highlights beside the comment cards, decisions 采纳 / 不采纳 and the
reviewer's own comments), and downloads (the review list as .docx .xlsx .pdf .md .html, the
annotated .docx, a zip of the whole batch) that reflect the reviewer's decisions.

Safety: on a loopback address without tokens every request is the one local user; with
tokens (required on any other address) a request carries ``Authorization: Bearer <token>``
or a session cookie from the login page (HttpOnly, SameSite=Strict). State-changing requests
from a session need its CSRF token (``X-CSRF-Token`` header or ``csrf`` form field). Tokens
are compared in constant time; batches are owned by the hash of the token that made them.
Uploads are size- and count-limited, stored under random names, never executed or served
back raw. Errors are Chinese pages or JSON ``{"error": ...}``, never a traceback.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import ipaddress
import json
import logging
import re
import secrets
import unicodedata
import zipfile
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from govlint.web.store import Store, default_root

HERE = Path(__file__).resolve().parent
COOKIE = "govlint_session"
LOCAL_OWNER = "local"
DOWNLOADS = {"docx": ("审核意见表.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
             "xlsx": ("审核意见表.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
             "md": ("审核意见表.md", "text/markdown; charset=utf-8"),
             "html": ("审核意见表.html", "text/html; charset=utf-8"),
             "pdf": ("审核意见表.pdf", "application/pdf"),
             "annotated": ("批注副本.docx",
                           "application/vnd.openxmlformats-officedocument.wordprocessingml.document")}
log = logging.getLogger("govlint.web")


class Settings:
    """What ``govlint web`` was started with."""

    def __init__(self, host: str = "127.0.0.1", tokens: tuple = (), data_dir: str | Path | None = None,
                 max_upload_mb: float = 200, max_files: int = 500, retention_days: float | None = None,
                 jobs: int = 1, corpora: tuple = ()):
        self.host = host
        self.tokens = tuple(t for t in tokens if t)
        self.data_dir = Path(data_dir) if data_dir else default_root()
        self.max_upload = int(max_upload_mb * 1024 * 1024)
        self.max_files = max_files
        self.retention_days = retention_days
        self.jobs = jobs
        self.corpora = tuple(corpora)


class StartError(Exception):
    """The workbench refuses to start (one Chinese line)."""


def is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def owner_of(token: str) -> str:
    return hashlib.sha256(("govlint-web:" + token).encode("utf-8")).hexdigest()[:32]


def safe_name(name: str) -> str:
    """A display name from an uploaded file name: the last path part, no control characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    return (name or "未命名")[:120]


def _error_page(templates, request, status: int, message: str):
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    return templates.TemplateResponse(request, "error.html", {"status": status, "message": message},
                                      status_code=status)


def create_app(settings: Settings) -> Starlette:
    if not is_loopback(settings.host) and not settings.tokens:
        raise StartError(f"在 {settings.host} 上提供服务必须设置访问令牌（--token 或环境变量 GOVLINT_WEB_TOKEN），"
                         "否则局域网内任何人都能看到上传的报告")
    store = Store(settings.data_dir)
    if settings.retention_days:
        store.purge(settings.retention_days)
        _every_day(lambda: store.purge(settings.retention_days))
    from govlint.web.checker import Checker
    checker = Checker(store, settings.jobs)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    owners = {owner_of(t): t for t in settings.tokens}

    # ----- who is asking ----------------------------------------------------------------------
    def bearer(request: Request) -> str | None:
        auth = request.headers.get("authorization", "")
        if not auth.lower().startswith("bearer "):
            return None
        given = auth[7:].strip()
        for t in settings.tokens:
            if hmac.compare_digest(given.encode("utf-8"), t.encode("utf-8")):
                return owner_of(t)
        raise HTTPException(401, "访问令牌不正确")

    def who(request: Request, state_changing: bool = False) -> tuple[str, str | None]:
        """(owner, csrf token of the session or None for bearer requests); raises 401/403."""
        if settings.tokens:
            owner = bearer(request)
            if owner is not None:
                return owner, None
        sid = request.cookies.get(COOKIE)
        sess = store.session(sid) if sid else None
        if sess is None:
            if settings.tokens:
                raise HTTPException(401, "请先登录（输入访问令牌）")
            if state_changing:
                raise HTTPException(403, "缺少会话或 CSRF 令牌，请刷新页面后重试")
            return LOCAL_OWNER, None
        owner, csrf = sess
        if settings.tokens and owner not in owners:
            raise HTTPException(401, "会话已失效，请重新登录")
        if state_changing:
            given = request.headers.get("x-csrf-token", "")
            if not given or not hmac.compare_digest(given.encode("utf-8"), csrf.encode("utf-8")):
                raise HTTPException(403, "缺少或错误的 CSRF 令牌，请刷新页面后重试")
        return owner, csrf

    def page(request: Request, name: str, context: dict, owner_csrf=None):
        """A page; on first visit (loopback, no tokens) a session is made for its CSRF token."""
        owner, csrf = owner_csrf or who(request)
        new_sid = None
        if csrf is None and not settings.tokens:
            new_sid, csrf = store.new_session(LOCAL_OWNER)
        resp = templates.TemplateResponse(request, name, {**context, "csrf": csrf or "",
                                                          "login": bool(settings.tokens)})
        if new_sid:
            _set_cookie(resp, new_sid)
        return resp

    def _set_cookie(resp: Response, sid: str) -> None:
        resp.set_cookie(COOKIE, sid, httponly=True, samesite="strict", max_age=7 * 86400, path="/")

    # ----- pages ------------------------------------------------------------------------------
    async def index(request: Request):
        try:
            owner, csrf = who(request)
        except HTTPException as exc:
            if exc.status_code == 401:
                return RedirectResponse("/login", status_code=303)
            raise
        from govlint.readers import supported_suffixes
        return page(request, "index.html", {"batches": store.batches(owner), "suffixes": supported_suffixes(),
                                            "corpora": settings.corpora}, (owner, csrf))

    async def login(request: Request):
        if request.method == "GET":
            return templates.TemplateResponse(request, "login.html", {"error": ""})
        form = await request.form()
        given = str(form.get("token", ""))
        match = next((t for t in settings.tokens if hmac.compare_digest(given.encode("utf-8"), t.encode("utf-8"))),
                     None)
        if match is None:
            return templates.TemplateResponse(request, "login.html", {"error": "访问令牌不正确"}, status_code=401)
        sid, _ = store.new_session(owner_of(match))
        resp = RedirectResponse("/", status_code=303)
        _set_cookie(resp, sid)
        return resp

    def _batch(owner: str, bid: str):
        row = store.batch(owner, bid)
        if row is None:
            raise HTTPException(404, "没有这个批次（或无权查看）")
        return row

    def _file(owner: str, fid: str):
        row = store.file(owner, fid)
        if row is None:
            raise HTTPException(404, "没有这个文件（或无权查看）")
        return row

    async def batch_page(request: Request):
        owner, csrf = who(request)
        row = _batch(owner, request.path_params["bid"])
        return page(request, "batch.html", {"batch": row, "settings": json.loads(row["settings"]),
                                            "corpora": settings.corpora}, (owner, csrf))

    async def file_page(request: Request):
        owner, csrf = who(request)
        row = _file(owner, request.path_params["fid"])
        if row["status"] != "done":
            raise HTTPException(409, f"此文件尚未检查完成或无法读取：{row['error'] or row['status']}")
        from govlint.web.views import report_view
        view = report_view(store, row)
        return page(request, "report.html", {"file": row, "view": view}, (owner, csrf))

    # ----- API --------------------------------------------------------------------------------
    async def create_batch(request: Request):
        owner, _ = who(request, state_changing=True)
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_upload:
            raise HTTPException(413, f"上传内容超过上限 {settings.max_upload // (1024 * 1024)} MB")
        from govlint.readers import supported_suffixes
        suffixes = set(supported_suffixes())
        form = await request.form(max_files=settings.max_files + 1, max_fields=50,
                                  max_part_size=1024 * 1024)
        uploads = [v for k, v in form.multi_items() if k == "files" and hasattr(v, "read")]
        if not uploads:
            raise HTTPException(400, "没有收到文件")
        if len(uploads) > settings.max_files:
            raise HTTPException(413, f"一次最多上传 {settings.max_files} 个文件")
        select = str(form.get("select", "")).strip()
        if select:
            from govlint import registry
            known = list(registry.all_rules())
            for c in re.split(r"[,，\s]+", select.upper()):
                if c and c != "ALL" and not any(k.startswith(c) for k in known):
                    raise HTTPException(400, f"未知的规则代码或前缀 {c}")
        profile = str(form.get("profile", "auto"))
        if profile not in ("auto", "self-eval", "generic"):
            raise HTTPException(400, "未知的报告类型")
        corpus = str(form.get("corpus", "")).strip()
        if corpus and corpus not in settings.corpora:
            raise HTTPException(400, "未知的对照语料索引")
        bid = store.create_batch(owner, {"profile": profile, "select": select, "corpus": corpus})
        folder = store.upload_dir(bid)
        total = 0
        for seq, up in enumerate(uploads, 1):
            name = safe_name(getattr(up, "filename", "") or "")
            ext = Path(name).suffix.lower()
            if ext not in suffixes:
                store.add_file(bid, seq, name, None, 0, "error",
                               f"不支持的文件类型 {ext or '（无扩展名）'}（支持：{'、'.join(sorted(suffixes))}）")
                continue
            stored = secrets.token_hex(16) + ext
            size = 0
            with open(folder / stored, "xb") as fh:
                while True:
                    chunk = await up.read(1 << 20)
                    if not chunk:
                        break
                    size += len(chunk)
                    total += len(chunk)
                    if total > settings.max_upload:
                        fh.close()
                        store.purge_batch(bid)
                        raise HTTPException(413, f"上传内容超过上限 {settings.max_upload // (1024 * 1024)} MB")
                    fh.write(chunk)
            store.add_file(bid, seq, name, stored, size)
        checker.submit(bid)
        return JSONResponse({"batch": bid, "url": f"/batches/{bid}"}, status_code=201)

    async def batch_status(request: Request):
        owner, _ = who(request)
        row = _batch(owner, request.path_params["bid"])
        files = [{"id": f["id"], "name": f["name"], "status": f["status"], "error": f["error"],
                  "errors": f["errors"], "warnings": f["warnings"], "infos": f["infos"],
                  "copy_ratio": f["copy_ratio"], "score": f["score"]} for f in store.files(row["id"])]
        families = {f["id"]: json.loads(f["families"]) for f in store.files(row["id"]) if f["families"]}
        return JSONResponse({"id": row["id"], "status": row["status"], "files": files, "families": families})

    async def decide(request: Request):
        owner, _ = who(request, state_changing=True)
        row = _file(owner, request.path_params["fid"])
        body = await _json(request)
        verdict = body.get("verdict")
        if verdict not in ("accept", "reject", None):
            raise HTTPException(400, "verdict 只能是 accept、reject 或 null")
        fp = str(body.get("fingerprint", ""))
        if not fp:
            raise HTTPException(400, "缺少 fingerprint")
        store.decide(row["id"], fp, verdict, str(body.get("note", ""))[:2000])
        return JSONResponse({"ok": True})

    async def set_note(request: Request):
        owner, _ = who(request, state_changing=True)
        row = _file(owner, request.path_params["fid"])
        body = await _json(request)
        store.set_note(row["id"], str(body.get("note", ""))[:5000])
        return JSONResponse({"ok": True})

    async def add_to_corpus(request: Request):
        owner, _ = who(request, state_changing=True)
        row = _batch(owner, request.path_params["bid"])
        body = await _json(request)
        index = str(body.get("corpus", ""))
        if index not in settings.corpora:
            raise HTTPException(400, "未知的对照语料索引")
        from govlint.corpus import CorpusError, open_index
        paths = [str(store.upload_dir(row["id"]) / f["stored"]) for f in store.files(row["id"])
                 if f["status"] == "done"]
        try:
            idx = open_index(index, create=True)
            try:
                summary = idx.add_paths(paths, skip_errors=True)
            finally:
                idx.close()
        except CorpusError as exc:
            raise HTTPException(400, str(exc))
        return JSONResponse({"ok": True, "summary": {k: v for k, v in summary.items()
                                                     if isinstance(v, (int, float, str))}})

    async def download(request: Request):
        owner, _ = who(request)
        row = _file(owner, request.path_params["fid"])
        kind = request.path_params["kind"]
        if kind not in DOWNLOADS:
            raise HTTPException(404, "没有这种下载格式")
        if row["status"] != "done":
            raise HTTPException(409, "此文件尚未检查完成或无法读取")
        from govlint.web.views import render_download
        data = render_download(store, [row], kind)
        name = f"{Path(row['name']).stem}-{DOWNLOADS[kind][0]}"
        return Response(data, media_type=DOWNLOADS[kind][1], headers=_attachment(name))

    async def download_batch(request: Request):
        owner, _ = who(request)
        row = _batch(owner, request.path_params["bid"])
        from govlint.web.views import render_download
        files = store.files(row["id"])
        done = [f for f in files if f["status"] == "done"]
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            if done:
                z.writestr("汇总审核意见.xlsx", render_download(store, files, "xlsx"))
                z.writestr("汇总审核意见.md", render_download(store, files, "md"))
            for f in done:
                stem = f"{f['seq']:02d}-{Path(f['name']).stem}"
                for kind in ("docx", "xlsx", "md"):
                    z.writestr(f"{stem}/{DOWNLOADS[kind][0]}", render_download(store, [f], kind))
                if f["stored"].endswith(".docx"):
                    z.writestr(f"{stem}/{DOWNLOADS['annotated'][0]}", render_download(store, [f], "annotated"))
        return Response(buf.getvalue(), media_type="application/zip", headers=_attachment(f"批次{row['id'][:6]}.zip"))

    async def _json(request: Request) -> dict:
        try:
            body = await request.json()
        except ValueError:
            raise HTTPException(400, "请求内容不是 JSON") from None
        if not isinstance(body, dict):
            raise HTTPException(400, "请求内容应为 JSON 对象")
        return body

    # ----- errors -----------------------------------------------------------------------------
    async def http_error(request: Request, exc: HTTPException):
        return _error_page(templates, request, exc.status_code, exc.detail if isinstance(exc.detail, str)
                           and not exc.detail.isascii() else _STATUS_ZH.get(exc.status_code, "请求无法完成"))

    async def server_error(request: Request, exc: Exception):
        log.exception("request failed: %s", request.url.path)
        return _error_page(templates, request, 500, "服务器内部错误，请稍后重试；若一再出现，请把服务器日志交给管理员")

    routes = [
        Route("/", index),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/batches/{bid}", batch_page),
        Route("/batches/{bid}/download.zip", download_batch),
        Route("/files/{fid}", file_page),
        Route("/files/{fid}/download/{kind}", download),
        Route("/api/batches", create_batch, methods=["POST"]),
        Route("/api/batches/{bid}", batch_status),
        Route("/api/batches/{bid}/corpus", add_to_corpus, methods=["POST"]),
        Route("/api/files/{fid}/decisions", decide, methods=["POST"]),
        Route("/api/files/{fid}/note", set_note, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: http_error, Exception: server_error})
    app.state.store = store
    app.state.checker = checker
    app.state.settings = settings
    return app


_STATUS_ZH = {400: "请求有误", 401: "需要登录", 403: "没有权限", 404: "找不到页面", 405: "不支持的请求方法",
              409: "状态冲突", 413: "上传内容过大", 500: "服务器内部错误"}


def _every_day(job) -> None:
    """Run ``job`` once a day in a daemon thread (retention of old batches)."""
    import threading

    def loop():
        import time
        while True:
            time.sleep(86400)
            try:
                job()
            except Exception:  # the next day tries again
                log.exception("retention failed")
    threading.Thread(target=loop, name="govlint-web-retention", daemon=True).start()


def _attachment(name: str) -> dict:
    from urllib.parse import quote
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "_", name) or "download"
    return {"Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}",
            "X-Content-Type-Options": "nosniff"}
