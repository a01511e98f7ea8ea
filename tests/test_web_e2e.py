"""The workbench in a real browser: Debian's Chromium driven through Playwright (no browser download).

Upload a batch, wait for the results, open a report, mark findings, add comments, download the
Word and Excel lists and the annotated copy, and check what they contain. With
``GOVLINT_WEB_SCREENSHOT=path.png`` the report view is also saved there (the README's picture).
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from helpers import make_docx, unavailable

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def _chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if not exe:
        unavailable("Chromium is not installed")
    return exe


@pytest.fixture
def server(tmp_path):
    pytest.importorskip("starlette")
    uvicorn = pytest.importorskip("uvicorn")
    from govlint.web.app import Settings, create_app
    app = create_app(Settings(data_dir=tmp_path / "data"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started, "the workbench did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    t.join(10)


@pytest.fixture
def browser():
    exe = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("playwright (Python client) is not installed")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


def test_review_a_batch_in_the_browser(server, browser, tmp_path):
    import docx
    import openpyxl
    report = tmp_path / "白沙区老旧小区改造.txt"
    report.write_bytes((ROOT / "corpora" / "sample_report.txt").read_bytes())
    word = make_docx(tmp_path / "公路养护.docx", ["2023年度农村公路养护项目绩效自评报告", "一、项目概况",
                                                 "项目资金(省级补助)已全部到位,执行率100%。", "（一）基本情况",
                                                 "（2）绩效目标", "完成养护里程126公里。"])
    page = browser.new_page(accept_downloads=True, viewport={"width": 1400, "height": 900})
    page.goto(server + "/")
    page.set_input_files("#pick-files", [str(report), str(word)])
    assert page.locator("#chosen li").count() == 2
    page.click("#start")
    page.wait_for_url("**/batches/**")
    batch_url = page.url
    page.wait_for_selector("#batch[data-done='1']", timeout=120_000)
    rows = page.locator("#ranking tbody tr")
    assert rows.count() == 2
    assert "已完成" in rows.nth(0).inner_text()
    # the worst report comes first, and the ranking sorts by a column on click
    first = rows.nth(0).locator("a").inner_text()
    assert first == report.name
    page.click("#ranking th[data-sort='name']")
    assert page.locator("#ranking tbody tr").nth(0).locator("a").inner_text() == word.name
    page.select_option("#severity-filter", "3")
    assert page.locator("#ranking tbody tr").count() >= 1

    page.click(f"text={report.name}")
    page.wait_for_selector("#cards li")
    cards = page.locator("#cards li")
    n = cards.count()
    assert n >= 5 and page.locator("mark").count() >= 1
    rejected_msg = cards.nth(0).locator(".msg").inner_text()
    cards.nth(0).locator("button.reject").click()
    page.wait_for_function("document.querySelector('#cards li').querySelector('.saved').textContent === '已保存'")
    note = cards.nth(1).locator("textarea.note")
    note.fill("请补充工程验收报告")
    note.dispatch_event("change")
    page.wait_for_function("document.querySelectorAll('#cards li')[1].querySelector('.saved').textContent === '已保存'")
    page.fill("#doc-note", "资金数据请与部门决算核对")
    page.click("#save-note")
    page.wait_for_function("document.querySelector('#note-saved').textContent === '已保存'")
    # filters hide cards without reloading
    page.select_option("#card-severity", "3")
    visible = page.locator("#cards li:not(.hidden)").count()
    assert 0 < visible < n
    page.select_option("#card-severity", "1")
    shot = os.environ.get("GOVLINT_WEB_SCREENSHOT") or str(tmp_path / "workbench.png")
    page.locator("#cards li").nth(2).click()
    page.screenshot(path=shot, full_page=True)
    assert Path(shot).stat().st_size > 10_000

    with page.expect_download() as dl:
        page.click("a[data-kind='docx']")
    d = docx.Document(dl.value.path())
    cells = "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells)
    assert "审核人意见：请补充工程验收报告" in cells and "资金数据请与部门决算核对" in cells
    assert rejected_msg not in cells
    with page.expect_download() as dl:
        page.click("a[data-kind='xlsx']")
    wb = openpyxl.load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes()))
    values = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert any("请补充工程验收报告" in v for v in values) and not any(rejected_msg == v for v in values)

    # the Word report: its annotated copy carries the findings as Word comments
    page.goto(batch_url)
    page.wait_for_selector("#batch[data-done='1']")
    page.select_option("#severity-filter", "1")
    page.click(f"text={word.name}")
    page.wait_for_selector("#cards li")
    with page.expect_download() as dl:
        page.click("a[data-kind='annotated']")
    annotated = docx.Document(dl.value.path())
    comments = list(annotated.comments)
    assert comments and any("半角" in c.text for c in comments)
    assert [p.text for p in annotated.paragraphs][:2] == ["2023年度农村公路养护项目绩效自评报告", "一、项目概况"]
    page.close()
