// govlint workbench: upload, batch progress and ranking, decisions on a report. No network but this server.
(function () {
  "use strict";
  const csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  function post(url, body) {
    return fetch(url, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf}, body: JSON.stringify(body)})
      .then(r => r.json().then(j => { if (!r.ok) throw new Error(j.error || ("请求失败：" + r.status)); return j; }));
  }

  $$("td.time").forEach(td => { td.textContent = new Date(parseFloat(td.dataset.ts) * 1000).toLocaleString("zh-CN"); });

  // ----- upload -----
  const form = $("#upload");
  if (form) {
    let chosen = [];
    const list = $("#chosen"), start = $("#start"), drop = $("#drop");
    function show() {
      list.innerHTML = "";
      chosen.forEach(f => { const li = document.createElement("li"); li.textContent = (f.webkitRelativePath || f.name) + "（" + Math.ceil(f.size / 1024) + " KB）"; list.appendChild(li); });
      start.disabled = chosen.length === 0;
    }
    function add(files) { chosen = chosen.concat(Array.from(files)); show(); }
    $("#pick-files").addEventListener("change", e => add(e.target.files));
    $("#pick-folder").addEventListener("change", e => add(e.target.files));
    function walk(entry, out) {
      return new Promise(resolve => {
        if (entry.isFile) { entry.file(f => { out.push(f); resolve(); }, () => resolve()); return; }
        if (!entry.isDirectory) { resolve(); return; }
        const reader = entry.createReader(); const all = [];
        (function more() {
          reader.readEntries(items => {
            if (!items.length) { Promise.all(all.map(x => walk(x, out))).then(resolve); return; }
            all.push(...items); more();
          }, () => resolve());
        })();
      });
    }
    ["dragenter", "dragover"].forEach(t => drop.addEventListener(t, e => { e.preventDefault(); drop.classList.add("over"); }));
    ["dragleave", "drop"].forEach(t => drop.addEventListener(t, e => { e.preventDefault(); drop.classList.remove("over"); }));
    drop.addEventListener("drop", e => {
      const items = Array.from(e.dataTransfer.items || []).map(i => i.webkitGetAsEntry && i.webkitGetAsEntry()).filter(Boolean);
      if (!items.length) { add(e.dataTransfer.files); return; }
      const out = []; Promise.all(items.map(x => walk(x, out))).then(() => add(out));
    });
    form.addEventListener("submit", e => {
      e.preventDefault();
      const data = new FormData();
      chosen.forEach(f => data.append("files", f, f.webkitRelativePath || f.name));
      ["profile", "select", "corpus"].forEach(n => data.append(n, form.elements[n].value));
      const xhr = new XMLHttpRequest(), bar = $("#upload-progress"), err = $("#upload-error");
      bar.hidden = false; start.disabled = true; err.textContent = "";
      xhr.upload.onprogress = ev => { if (ev.lengthComputable) bar.value = 100 * ev.loaded / ev.total; };
      xhr.onload = () => {
        let j = {}; try { j = JSON.parse(xhr.responseText); } catch (_) { /* not JSON */ }
        if (xhr.status === 201) { location.href = j.url; return; }
        err.textContent = j.error || ("上传失败：" + xhr.status); start.disabled = false;
      };
      xhr.onerror = () => { err.textContent = "上传失败：网络错误"; start.disabled = false; };
      xhr.open("POST", "/api/batches"); xhr.setRequestHeader("X-CSRF-Token", csrf); xhr.send(data);
    });
  }

  // ----- batch: progress, ranking, sorting, filters -----
  const batch = $("#batch");
  if (batch) {
    const id = batch.dataset.batch, tbody = $("#ranking tbody");
    let state = null, sortKey = "rank", sortDir = 1;
    const STATUS = {queued: "排队中", checking: "检查中", done: "已完成", error: "无法读取"};
    function rank(files) {
      const done = files.filter(f => f.status === "done").slice().sort((a, b) =>
        (b.errors - a.errors) || (b.warnings - a.warnings) || ((b.copy_ratio || 0) - (a.copy_ratio || 0)) || (b.infos - a.infos) || a.name.localeCompare(b.name));
      done.forEach((f, i) => { f.rank = i + 1; });
      files.filter(f => f.status !== "done").forEach(f => { f.rank = Infinity; });
    }
    function key(f) {
      return {rank: f.rank, name: f.name, progress: f.status, errors: f.errors || 0, warnings: f.warnings || 0,
              infos: f.infos || 0, copy: f.copy_ratio || 0, score: f.score || 0}[sortKey];
    }
    function render() {
      if (!state) return;
      const fam = $("#family-filter").value, minSev = parseInt($("#severity-filter").value, 10);
      const families = new Set(); Object.values(state.families).forEach(c => Object.keys(c).forEach(k => families.add(k)));
      const sel = $("#family-filter");
      families.forEach(f => { if (![...sel.options].some(o => o.value === f)) { const o = document.createElement("option"); o.value = o.textContent = f; sel.appendChild(o); } });
      rank(state.files);
      const rows = state.files.slice().sort((a, b) => { const x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * sortDir; });
      tbody.innerHTML = "";
      rows.forEach(f => {
        if (f.status === "done") {
          if (fam && !(state.families[f.id] || {})[fam]) return;
          if (minSev === 3 && !f.errors) return;
          if (minSev === 2 && !(f.errors || f.warnings)) return;
        }
        const tr = document.createElement("tr"); tr.dataset.file = f.id; tr.className = "st-" + f.status;
        const cell = (text, cls) => { const td = document.createElement("td"); if (cls) td.className = cls; td.textContent = text; tr.appendChild(td); return td; };
        cell(f.rank === Infinity ? "" : f.rank, "num");
        const nameTd = cell(""); if (f.status === "done") { const a = document.createElement("a"); a.href = "/files/" + f.id; a.textContent = f.name; nameTd.appendChild(a); } else nameTd.textContent = f.name;
        const prog = cell(""); const p = document.createElement("progress"); p.max = 1; p.value = {queued: 0, checking: 0.5, done: 1, error: 1}[f.status]; prog.appendChild(p);
        prog.appendChild(document.createTextNode(" " + STATUS[f.status]));
        cell(f.errors ?? "", "num"); cell(f.warnings ?? "", "num"); cell(f.infos ?? "", "num");
        cell(f.copy_ratio == null ? "" : (f.copy_ratio <= 1 ? f.copy_ratio * 100 : f.copy_ratio).toFixed(1) + "%", "num");
        cell(f.score == null ? "" : f.score, "num");
        cell(f.error || (f.status === "done" && f.score >= 90 && (f.errors || f.warnings) ? "高分但问题较多，请重点复核" : ""), f.error ? "err" : "");
        tbody.appendChild(tr);
      });
      $("#batch-status").textContent = STATUS[state.status] || state.status;
    }
    $$("#ranking th[data-sort]").forEach(th => th.addEventListener("click", () => {
      sortDir = sortKey === th.dataset.sort ? -sortDir : 1; sortKey = th.dataset.sort;
      $$("#ranking th").forEach(x => x.classList.remove("asc", "desc")); th.classList.add(sortDir > 0 ? "asc" : "desc"); render();
    }));
    $("#family-filter").addEventListener("change", render); $("#severity-filter").addEventListener("change", render);
    const addBtn = $("#corpus-add");
    if (addBtn) addBtn.addEventListener("click", () => {
      addBtn.disabled = true; $("#corpus-msg").textContent = "正在加入…";
      post("/api/batches/" + id + "/corpus", {corpus: $("#corpus-target").value})
        .then(j => { $("#corpus-msg").textContent = "已加入对照语料"; })
        .catch(err => { $("#corpus-msg").textContent = err.message; })
        .finally(() => { addBtn.disabled = false; });
    });
    (function poll() {
      fetch("/api/batches/" + id, {credentials: "same-origin"}).then(r => r.json()).then(j => {
        state = j; render();
        if (j.status !== "done" && j.status !== "error") setTimeout(poll, 700);
        else batch.dataset.done = "1";
      });
    })();
  }

  // ----- report: decisions, notes, filters, text and cards scrolling together -----
  const report = $("#report");
  if (report) {
    const fid = report.dataset.file, text = $("#text"), cards = $("#cards");
    function activate(n, from) {
      $$("mark.active, li.active").forEach(x => x.classList.remove("active"));
      const card = $("#c" + n); const marks = $$("mark").filter(m => m.dataset.ids.split(" ").includes(String(n)));
      if (card) card.classList.add("active"); marks.forEach(m => m.classList.add("active"));
      if (from !== "card" && card) cards.scrollTop = card.offsetTop - cards.offsetTop - 8;
      if (from !== "text" && marks[0]) text.scrollTop = marks[0].offsetTop - text.offsetTop - 40;
    }
    $$("mark").forEach(m => m.addEventListener("click", () => activate(m.dataset.ids.split(" ")[0], "text")));
    $$("#cards li").forEach(li => li.addEventListener("click", e => { if (!e.target.closest(".decide")) activate(li.dataset.n, "card"); }));
    // scrolling the text brings the first comment of the visible part into view
    let ticking = false;
    text.addEventListener("scroll", () => {
      if (ticking) return; ticking = true;
      requestAnimationFrame(() => {
        ticking = false;
        const top = text.scrollTop + text.offsetTop;
        const m = $$("mark").find(x => x.offsetTop >= top);
        if (m) { const card = $("#c" + m.dataset.ids.split(" ")[0]); if (card && !card.classList.contains("hidden")) cards.scrollTop = card.offsetTop - cards.offsetTop - 8; }
      });
    });
    function save(li, verdict) {
      const note = $(".note", li).value, saved = $(".saved", li);
      return post("/api/files/" + fid + "/decisions", {fingerprint: li.dataset.fingerprint, verdict: verdict, note: note})
        .then(() => { saved.textContent = "已保存"; li.dataset.verdict = verdict || ""; })
        .catch(err => { saved.textContent = err.message; saved.classList.add("err"); });
    }
    $$("#cards li").forEach(li => {
      $$(".decide button", li).forEach(b => b.addEventListener("click", () => {
        const was = b.classList.contains("on");
        $$(".decide button", li).forEach(x => x.classList.remove("on"));
        const verdict = was ? null : b.dataset.verdict;
        if (verdict) b.classList.add("on");
        li.classList.toggle("rejected", verdict === "reject");
        save(li, verdict);
      }));
      $(".note", li).addEventListener("change", () => save(li, li.dataset.verdict || (($(".decide button.on", li) || {}).dataset || {}).verdict || null));
    });
    $("#save-note").addEventListener("click", () => post("/api/files/" + fid + "/note", {note: $("#doc-note").value})
      .then(() => { $("#note-saved").textContent = "已保存"; }).catch(err => { $("#note-saved").textContent = err.message; }));
    function filter() {
      const fam = $("#card-family").value, minSev = parseInt($("#card-severity").value, 10);
      $$("#cards li").forEach(li => li.classList.toggle("hidden", (fam && li.dataset.family !== fam) || parseInt(li.dataset.severity, 10) < minSev));
    }
    $("#card-family").addEventListener("change", filter); $("#card-severity").addEventListener("change", filter);
  }
})();
