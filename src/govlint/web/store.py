"""The workbench's embedded database: batches, uploaded files, results and reviewer decisions.

One SQLite file under the data directory (WAL, one connection per thread). Uploads are
stored beside it under random names (``uploads/<batch>/<random><ext>``); the name a user
gave is kept only as display text. Results are pickled FileResults written by this process
alone. Every query is scoped by the owner (the hash of the access token), so one token's
batches are invisible to another.
"""

from __future__ import annotations

import json
import os
import pickle
import secrets
import shutil
import sqlite3
import threading
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS batches (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, created REAL NOT NULL, settings TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued');
CREATE TABLE IF NOT EXISTS files (
    id TEXT PRIMARY KEY, batch TEXT NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL, name TEXT NOT NULL, stored TEXT, size INTEGER NOT NULL,
    status TEXT NOT NULL, error TEXT, result BLOB, errors INTEGER, warnings INTEGER, infos INTEGER,
    copy_ratio REAL, score REAL, families TEXT);
CREATE TABLE IF NOT EXISTS decisions (
    file TEXT NOT NULL REFERENCES files(id) ON DELETE CASCADE, fingerprint TEXT NOT NULL,
    verdict TEXT, note TEXT NOT NULL DEFAULT '', PRIMARY KEY (file, fingerprint));
CREATE TABLE IF NOT EXISTS notes (
    file TEXT PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE, note TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, csrf TEXT NOT NULL, created REAL NOT NULL);
CREATE INDEX IF NOT EXISTS files_batch ON files(batch, seq);
CREATE INDEX IF NOT EXISTS batches_owner ON batches(owner, created);
"""
MARK = "govlint-web"
SESSION_DAYS = 7


def new_id() -> str:
    return secrets.token_urlsafe(12)


class Store:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "uploads").mkdir(exist_ok=True)
        self.path = self.root / "workbench.db"
        self._local = threading.local()
        self.conn().executescript(SCHEMA)
        with self.db() as db:
            mark = db.execute("SELECT value FROM meta WHERE key='kind'").fetchone()
            if mark is None:
                db.execute("INSERT INTO meta VALUES ('kind', ?)", (MARK,))

    def db(self) -> "_Tx":
        return _Tx(self.conn())

    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.row_factory = sqlite3.Row
            self._local.conn = conn
        return conn

    # ----- sessions ---------------------------------------------------------------------------
    def new_session(self, owner: str) -> tuple[str, str]:
        sid, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        with self.db() as db:
            db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?)", (sid, owner, csrf, time.time()))
        return sid, csrf

    def session(self, sid: str):
        with self.db() as db:
            row = db.execute("SELECT owner, csrf, created FROM sessions WHERE id=?", (sid,)).fetchone()
        if row is None or time.time() - row["created"] > SESSION_DAYS * 86400:
            return None
        return row["owner"], row["csrf"]

    # ----- batches ----------------------------------------------------------------------------
    def upload_dir(self, batch: str) -> Path:
        d = self.root / "uploads" / batch
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        return d

    def create_batch(self, owner: str, settings: dict) -> str:
        bid = new_id()
        with self.db() as db:
            db.execute("INSERT INTO batches (id, owner, created, settings) VALUES (?, ?, ?, ?)",
                       (bid, owner, time.time(), json.dumps(settings, ensure_ascii=False)))
        return bid

    def add_file(self, batch: str, seq: int, name: str, stored: str | None, size: int,
                 status: str = "queued", error: str | None = None) -> str:
        fid = new_id()
        with self.db() as db:
            db.execute("INSERT INTO files (id, batch, seq, name, stored, size, status, error) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", (fid, batch, seq, name, stored, size, status, error))
        return fid

    def batches(self, owner: str) -> list:
        with self.db() as db:
            return db.execute("SELECT b.*, COUNT(f.id) AS nfiles FROM batches b LEFT JOIN files f ON f.batch=b.id "
                              "WHERE b.owner=? GROUP BY b.id ORDER BY b.created DESC", (owner,)).fetchall()

    def batch(self, owner: str, bid: str):
        with self.db() as db:
            return db.execute("SELECT * FROM batches WHERE id=? AND owner=?", (bid, owner)).fetchone()

    def set_batch_status(self, bid: str, status: str) -> None:
        with self.db() as db:
            db.execute("UPDATE batches SET status=? WHERE id=?", (status, bid))

    def files(self, bid: str) -> list:
        with self.db() as db:
            return db.execute("SELECT id, batch, seq, name, stored, size, status, error, errors, warnings, infos, "
                              "copy_ratio, score, families FROM files WHERE batch=? ORDER BY seq", (bid,)).fetchall()

    def file(self, owner: str, fid: str):
        with self.db() as db:
            return db.execute("SELECT f.* FROM files f JOIN batches b ON b.id=f.batch WHERE f.id=? AND b.owner=?",
                              (fid, owner)).fetchone()

    def set_status(self, fid: str, status: str, error: str | None = None) -> None:
        with self.db() as db:
            db.execute("UPDATE files SET status=?, error=? WHERE id=?", (status, error, fid))

    def save_result(self, fid: str, result, counts: tuple, copy_ratio, score, families: dict) -> None:
        blob = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        with self.db() as db:
            db.execute("UPDATE files SET status='done', error=NULL, result=?, errors=?, warnings=?, infos=?, "
                       "copy_ratio=?, score=?, families=? WHERE id=?",
                       (blob, *counts, copy_ratio, score, json.dumps(families), fid))

    def result(self, fid: str):
        """The file's stored FileResult (document as its light source form), or None."""
        with self.db() as db:
            row = db.execute("SELECT result FROM files WHERE id=?", (fid,)).fetchone()
        return pickle.loads(row["result"]) if row is not None and row["result"] is not None else None

    # ----- decisions --------------------------------------------------------------------------
    def decide(self, fid: str, fingerprint: str, verdict: str | None, note: str) -> None:
        with self.db() as db:
            db.execute("INSERT INTO decisions VALUES (?, ?, ?, ?) ON CONFLICT(file, fingerprint) "
                       "DO UPDATE SET verdict=excluded.verdict, note=excluded.note", (fid, fingerprint, verdict, note))

    def decisions(self, fid: str) -> dict:
        with self.db() as db:
            rows = db.execute("SELECT fingerprint, verdict, note FROM decisions WHERE file=?", (fid,)).fetchall()
        return {r["fingerprint"]: (r["verdict"], r["note"]) for r in rows}

    def set_note(self, fid: str, note: str) -> None:
        with self.db() as db:
            db.execute("INSERT INTO notes VALUES (?, ?) ON CONFLICT(file) DO UPDATE SET note=excluded.note",
                       (fid, note))

    def note(self, fid: str) -> str:
        with self.db() as db:
            row = db.execute("SELECT note FROM notes WHERE file=?", (fid,)).fetchone()
        return row["note"] if row else ""

    def purge_batch(self, bid: str) -> None:
        with self.db() as db:
            db.execute("DELETE FROM batches WHERE id=?", (bid,))
        shutil.rmtree(self.root / "uploads" / bid, ignore_errors=True)

    # ----- retention --------------------------------------------------------------------------
    def purge(self, days: float) -> int:
        """Delete batches (rows and uploads) older than ``days``; returns how many went."""
        cutoff = time.time() - days * 86400
        with self.db() as db:
            old = [r["id"] for r in db.execute("SELECT id FROM batches WHERE created < ?", (cutoff,))]
            for bid in old:
                db.execute("DELETE FROM batches WHERE id=?", (bid,))
            db.execute("DELETE FROM sessions WHERE created < ?", (time.time() - SESSION_DAYS * 86400,))
        for bid in old:
            shutil.rmtree(self.root / "uploads" / bid, ignore_errors=True)
        return len(old)


class _Tx:
    """``with store.db() as db``: one transaction on this thread's connection."""

    def __init__(self, conn):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, kind, exc, tb):
        self.conn.execute("COMMIT" if kind is None else "ROLLBACK")
        return False


def default_root() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "govlint" / "web"
