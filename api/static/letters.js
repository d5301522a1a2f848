// The letters page: upload with per-file progress and result, and the list of letters (search, sort,
// view, delete); on a phone the table is shown as cards (style.css).
import { forgetDoc, openDoc } from "./panel.js";
import { $, OFFLINE, api, el, getJSON, headers, notice, reportOffline, setToken, token } from "./util.js";

let docs = [];
let limits = { max_upload_mb: 20, max_files: 20, supported_types: [".txt", ".md", ".html", ".htm", ".docx", ".pdf"] };
let changed = () => {}; // app.js: the letters changed, refresh what depends on them
const sort = { key: "added_at", dir: -1 };

const COLUMNS = [
  ["bureau", "机关"], ["doc_number", "文号"], ["date", "日期"], ["addressee", "收件人"], ["proposal_title", "提案"],
  ["paragraphs", "段落"], ["added_at", "添加时间"],
];
const SORTABLE = new Set(["bureau", "doc_number", "date", "added_at", "paragraphs"]);
const RESULT = {
  added: "已添加", updated: "已更新：替换了旧版本", unchanged: "未变化：与已收录的内容相同", removed: "已移除",
};

/** "已更新：替换了旧版本", naming the file the old version came from when it had another name. */
const resultText = (f) => (f.status === "updated" && f.replaced && f.replaced !== f.name
  ? `${RESULT.updated}（原文件：${f.replaced}）` : RESULT[f.status] || f.status);
const fileOf = (source) => String(source).split(/[\\/]/).pop().replace(/^upload:[0-9a-f]+:/, "");
const nameOf = (d) => d.doc_number || fileOf(d.source);
const shownDate = (iso) => (iso ? String(iso).replace("T", " ").slice(0, 16) : "—");

// --- the list -----------------------------------------------------------------------------------

function compare(a, b) {
  const x = a[sort.key];
  const y = b[sort.key];
  if (x == null || x === "") return 1; // unknown values last, whichever the direction
  if (y == null || y === "") return -1;
  const c = typeof x === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN", { numeric: true });
  return c * sort.dir;
}

function matches(d, q) {
  if (!q) return true;
  return [d.bureau, d.doc_number, d.date, d.addressee, d.proposal, d.proposal_title, d.title, fileOf(d.source)]
    .filter(Boolean).join("\n").toLowerCase().includes(q.toLowerCase());
}

function renderHead() {
  const cells = COLUMNS.map(([key, label]) => {
    const active = sort.key === key;
    const th = el("th", { scope: "col", "aria-sort": active ? (sort.dir > 0 ? "ascending" : "descending") : null });
    if (!SORTABLE.has(key)) th.textContent = label;
    else th.append(el("button", { type: "button", class: "sort", onclick: () => setSort(key, active ? -sort.dir : 1) },
      label, active ? (sort.dir > 0 ? " ▲" : " ▼") : ""));
    return th;
  });
  document.querySelector("#doc-table thead").replaceChildren(el("tr", {}, cells, el("th", { scope: "col", text: "操作" })));
}

function setSort(key, dir) {
  sort.key = key;
  sort.dir = dir;
  $("doc-sort").value = `${key}:${dir}`;
  renderTable();
}

function renderTable() {
  const q = $("doc-search").value.trim();
  const shown = docs.filter((d) => matches(d, q)).sort(compare);
  renderHead();
  const rows = shown.map((d) => el("tr", { "data-doc": d.doc_id },
    COLUMNS.map(([key, label]) => {
      const v = key === "added_at" ? shownDate(d.added_at) : d[key];
      const td = el("td", { class: `c-${key}`, "data-label": label, text: v == null || v === "" ? "—" : String(v) });
      // stored by an interrupted `rag index`: the answers cannot use it until the index is finished
      if (key === "bureau" && d.indexed === false) {
        td.append(" ", el("span", { class: "pending", title: d.index_note || "", text: "待索引" }));
      }
      return td;
    }),
    el("td", { class: "actions", "data-label": "操作" },
      el("button", { type: "button", onclick: (e) => openDoc(d.doc_id, null, "", e.currentTarget) }, "查看",
        el("span", { class: "sr-only", text: ` ${nameOf(d)}` })),
      el("button", { type: "button", class: "danger", onclick: () => removeDoc(d) }, "删除",
        el("span", { class: "sr-only", text: ` ${nameOf(d)}` })))));
  const empty = docs.length ? `没有符合“${q}”的答复函` : "还没有收录答复函：请在上方上传。";
  document.querySelector("#doc-table tbody").replaceChildren(
    ...(rows.length ? rows : [el("tr", {}, el("td", { colspan: String(COLUMNS.length + 1), class: "empty", text: empty }))]));
  const pending = docs.filter((d) => d.indexed === false).length;
  $("doc-count").textContent = (q ? `共 ${docs.length} 份，符合条件 ${shown.length} 份` : `共 ${docs.length} 份`)
    + (pending ? `，其中 ${pending} 份待索引（回答暂时用不到，请管理员运行 rag index 完成索引）` : "");
}

/** Reload the letters; also fills the bureau filter and the draft form's bureau list. */
export async function loadDocuments() {
  try {
    docs = await getJSON("/api/documents");
  } catch (e) {
    $("docs-load-error").replaceChildren(el("p", { class: "error", text: `答复函列表暂时读不到：${e.message}` }));
    return;
  }
  $("docs-load-error").replaceChildren();
  renderTable();
  const bureaus = [...new Set(docs.map((d) => d.bureau).filter(Boolean))].sort((a, b) => a.localeCompare(b, "zh-CN"));
  const sel = $("f-bureau");
  const keep = sel.value;
  sel.replaceChildren(el("option", { value: "", text: "全部机关" }), ...bureaus.map((b) => el("option", { value: b, text: b })));
  sel.value = bureaus.includes(keep) ? keep : "";
  $("bureau-list").replaceChildren(...bureaus.map((b) => el("option", { value: b })));
}

async function removeDoc(d) {
  if (!confirm(`确定删除“${nameOf(d)}”？删除后它不再出现在回答中。`)) return;
  try {
    await api(`/api/documents/${encodeURIComponent(d.doc_id)}`, { method: "DELETE" });
    forgetDoc(d.doc_id);
    notice($("docs-notice"), "ok", `已删除“${nameOf(d)}”（${d.bureau || "机关未识别"}）。`);
    changed();
  } catch (e) {
    notice($("docs-notice"), "error", `删除“${nameOf(d)}”失败：${e.message}`);
  }
  loadDocuments();
}

// --- upload -------------------------------------------------------------------------------------

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(bytes < 1024 * 1024 ? 2 : 1);
const size = (bytes) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${mb(bytes)} MB`);

function fileRow(file) {
  const bar = el("progress", { max: "1", value: "0", "aria-label": `${file.name} 上传进度` });
  const status = el("span", { class: "file-status", text: "等待上传" });
  const li = el("li", { class: "file-row", "data-state": "waiting" },
    el("span", { class: "file-name", text: file.name }), el("span", { class: "file-size", text: file.size ? size(file.size) : "0 KB" }),
    bar, status);
  return { file, li, bar, status };
}

function setState(row, state, text, progress = null) {
  row.li.dataset.state = state;
  row.status.textContent = text;
  if (progress !== null) row.bar.value = progress;
}

function refusedBeforeSending(row) {
  const ext = (row.file.name.match(/\.[^.]+$/) || [""])[0].toLowerCase();
  let why = "";
  if (!limits.supported_types.includes(ext)) why = `不支持${ext ? ` ${ext} ` : "无扩展名的"}文件：请另存为 ${limits.supported_types.join(" ")} 之一。`;
  else if (row.file.size === 0) why = "这是空文件：请重新导出答复函的文字。";
  else if (row.file.size > limits.max_upload_mb * 1024 * 1024) {
    why = `文件 ${mb(row.file.size)} MB，超过 ${limits.max_upload_mb} MB 的上限：请确认是答复函本身（不是扫描件或压缩包）。`;
  }
  if (why) setState(row, "refused", `已拒绝：${why}`, 0);
  return Boolean(why);
}

/** One request for a batch; XMLHttpRequest because fetch reports no upload progress. */
function sendBatch(rows) {
  return new Promise((resolve) => {
    const form = new FormData();
    for (const r of rows) form.append("files", r.file, r.file.name);
    const total = rows.reduce((n, r) => n + r.file.size, 0) || 1;
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/documents");
    for (const [k, v] of Object.entries(headers())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (ev) => {
      if (!ev.lengthComputable) return;
      let sent = (ev.loaded / ev.total) * total; // files go in order: each gets its share of the bytes sent
      for (const r of rows) {
        const part = Math.max(0, Math.min(1, sent / (r.file.size || 1)));
        sent -= r.file.size;
        setState(r, "sending", part < 1 ? `上传中 ${Math.floor(part * 100)}%` : "已上传，等待建立索引…", part);
      }
    };
    xhr.upload.onload = () => rows.forEach((r) => setState(r, "indexing", "已上传，正在建立索引…", 1));
    xhr.onload = () => {
      let body = {};
      try { body = JSON.parse(xhr.responseText); } catch (_) { /* a proxy's page */ }
      if (xhr.status === 200 && Array.isArray(body.files)) {
        body.files.forEach((f, i) => {
          const r = rows[i];
          if (f.status === "refused") setState(r, "refused", `已拒绝：${f.reason}`);
          else setState(r, f.status, resultText(f), 1);
        });
      } else {
        const why = body.detail || `上传失败（HTTP ${xhr.status}）：请稍后重试。`;
        rows.forEach((r) => setState(r, "failed", `未上传：${why}`, 0));
      }
      resolve();
    };
    xhr.onerror = () => {
      reportOffline();
      rows.forEach((r) => setState(r, "failed", `未上传：${OFFLINE}`, 0));
      resolve();
    };
    xhr.send(form);
  });
}

async function upload(e) {
  e.preventDefault();
  setToken($("token").value);
  const files = [...$("files").files];
  if (!files.length) {
    notice($("upload-notice"), "error", "请先选择要上传的答复函文件。");
    return;
  }
  $("upload-notice").replaceChildren();
  const rows = files.map(fileRow);
  $("upload-list").replaceChildren(...rows.map((r) => r.li));
  const button = $("upload-submit");
  button.disabled = true;
  const send = rows.filter((r) => !refusedBeforeSending(r));
  for (let i = 0; i < send.length; i += limits.max_files) await sendBatch(send.slice(i, i + limits.max_files));
  button.disabled = false;
  $("files").value = "";
  $("files-chosen").textContent = "未选择文件";
  const count = (state) => rows.filter((r) => r.li.dataset.state === state).length;
  const ok = count("added") + count("updated") + count("unchanged");
  const summary = `共 ${rows.length} 个文件：添加 ${count("added")}，更新 ${count("updated")}，未变化 ${count("unchanged")}，`
    + `拒绝 ${count("refused")}，未上传 ${count("failed")}。`;
  notice($("upload-notice"), ok === rows.length ? "ok" : "error", summary);
  if (count("added") || count("updated")) changed();
  loadDocuments();
}

export function setUploadLimits(health) {
  limits = { max_upload_mb: health.max_upload_mb, max_files: health.max_files || limits.max_files,
    supported_types: health.supported_types };
  $("files").setAttribute("accept", health.supported_types.join(","));
  $("upload-hint").textContent = `支持 ${health.supported_types.join(" ")}，每个文件不超过 ${health.max_upload_mb} MB，可一次选多个。`
    + (health.read_only ? `${health.notice || "索引目录只读：可以查询，不能上传或删除。"}`
      : health.uploads_enabled ? "" : "本服务器没有开启上传和删除：请联系管理员。");
}

export function initLetters(onChanged) {
  changed = onChanged;
  $("token").value = token();
  $("token").addEventListener("change", (e) => {
    setToken(e.target.value);
    forgetDoc();
    loadDocuments();
  });
  $("upload-form").addEventListener("submit", upload);
  $("files").addEventListener("change", () => {
    const n = $("files").files.length;
    $("files-chosen").textContent = n ? `已选 ${n} 个文件：${[...$("files").files].map((f) => f.name).join("、")}` : "未选择文件";
  });
  $("refresh-docs").addEventListener("click", loadDocuments);
  $("doc-search").addEventListener("input", renderTable);
  $("doc-sort").addEventListener("change", (e) => {
    const [key, dir] = e.target.value.split(":");
    setSort(key, Number(dir));
  });
  renderHead();
}
