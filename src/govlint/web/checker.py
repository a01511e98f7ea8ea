"""Checking uploaded batches in the background, one batch at a time, in the existing worker pool.

The web process queues a batch; one thread takes batches in order and runs govlint's batch
runner on the stored files, saving each file's result as it arrives, so the page's progress
bars move file by file. Nothing here is specific to HTTP.
"""

from __future__ import annotations

import logging
from collections import Counter
import queue
import threading

log = logging.getLogger("govlint.web")


def overrides_for(settings: dict) -> dict:
    """The batch's page settings as the same overrides the command line builds."""
    from govlint.commands.check import build_overrides
    select = settings.get("select") or None
    return build_overrides([select] if select else None, None, None, settings.get("profile") or None, None,
                           settings.get("corpus") or None)


def self_score(doc) -> float | None:
    """The overall self-evaluation score the report states, if any."""
    if doc is None:
        return None
    from govlint.rules.scoring import score_statements
    for statement in score_statements(doc, overall_only=True):
        return float(statement[1])
    return None


def light(result):
    """A FileResult that pickles as the document's source, not its parsed structure."""
    from govlint import runner
    if result.document is not None and not isinstance(result.document, tuple):
        result.document = runner._light(result.document)
    return result


def rebuild(result):
    from govlint import runner
    return runner._rebuild(result)


class Checker:
    """One background thread that checks queued batches with ``jobs`` worker processes."""

    def __init__(self, store, jobs: int = 1):
        self.store = store
        self.jobs = max(1, jobs)
        self.queue: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="govlint-web-checker", daemon=True)
        self.thread.start()

    def submit(self, batch_id: str) -> None:
        self.queue.put(batch_id)

    def _run(self) -> None:
        while True:
            bid = self.queue.get()
            if bid is None:
                return
            try:
                self.check_batch(bid)
            except Exception:   # a batch never takes the checker down
                log.exception("batch %s failed", bid)
                self.store.set_batch_status(bid, "error")

    def check_batch(self, bid: str) -> None:
        import json
        from govlint import runner
        from govlint.config import ConfigError
        from govlint.finding import Severity
        with self.store.db() as db:
            row = db.execute("SELECT settings FROM batches WHERE id=?", (bid,)).fetchone()
        if row is None:
            return
        settings = json.loads(row["settings"])
        try:
            overrides = overrides_for(settings)
        except SystemExit:
            overrides = {}
        files = [f for f in self.store.files(bid) if f["status"] == "queued"]
        self.store.set_batch_status(bid, "checking")
        by_path = {}
        for f in files:
            path = str(self.store.upload_dir(bid) / f["stored"])
            by_path[path] = f
            self.store.set_status(f["id"], "checking")

        def arrived(result):
            f = by_path.get(result.path)
            if f is None:
                return
            if result.error:
                self.store.set_status(f["id"], "error", result.error)
                return
            try:
                save(f, rebuild(result))
            except Exception:   # one file's trouble is that file's error
                log.exception("saving %s failed", f["name"])
                self.store.set_status(f["id"], "error", "保存检查结果时出错")

        def save(f, result):
            counts = tuple(sum(1 for x in result.findings if x.severity == s)
                           for s in (Severity.ERROR, Severity.WARNING, Severity.INFO))
            ratio = (result.extra or {}).get("copy_ratio")
            score = self_score(result.document)
            families = dict(Counter(x.family for x in result.findings))
            self.store.save_result(f["id"], light(result), counts,
                                   float(ratio) if isinstance(ratio, (int, float)) else None, score, families)

        try:
            runner.check_files(list(by_path), overrides, self.jobs, arrived)
        except ConfigError as exc:
            for f in files:
                self.store.set_status(f["id"], "error", str(exc))
        finally:
            # whatever happened, no file is left "checking" forever
            for f in self.store.files(bid):
                if f["status"] in ("queued", "checking"):
                    self.store.set_status(f["id"], "error", "检查未完成（内部错误），请重新上传")
        self.store.set_batch_status(bid, "done")

    def stop(self) -> None:
        self.queue.put(None)
