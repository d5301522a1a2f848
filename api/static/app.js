// 答复函问答助手 — plain JS, no build step.
// Letters are untrusted input: every piece of data goes into the page as text (textContent or text
// nodes via el()), never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const CONV_KEY = "rag.conversation"; // per browser tab (sessionStorage)
const TOKEN_KEY = "rag.token";
const HISTORY_SENT = 5;

/** Build an element; string children become text nodes, so data is never parsed as HTML. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// --- HTTP ---------------------------------------------------------------------------------------

function token() { return sessionStorage.getItem(TOKEN_KEY) || ""; }

function headers(extra = {}) {
  const h = { ...extra };
  if (token()) h.Authorization = `Bearer ${token()}`;
  return h;
}

async function errorText(res) {
  let detail = `${res.status} ${res.statusText}`;
  try {
    const body = await res.json();
    if (typeof body.detail === "string") detail = body.detail;
    else if (Array.isArray(body.detail)) detail = body.detail.map((d) => d.msg).join("；");
  } catch (_) { /* not JSON */ }
  if (res.status === 401) detail += "（请在“文档”页填写令牌）";
  return detail;
}

async function getJSON(url, opts = {}) {
  const res = await fetch(url, { ...opts, headers: headers(opts.headers || {}) });
  if (!res.ok) throw new Error(await errorText(res));
  return res.json();
}

function setStatus(text) { $("status").textContent = text; }

// --- tabs ---------------------------------------------------------------------------------------

const tabs = () => Array.from(document.querySelectorAll('[role="tab"]'));

function selectTab(tab, focus = true) {
  for (const t of tabs()) {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute("aria-controls")).hidden = !on;
  }
  if (focus) tab.focus();
  if (tab.id === "tab-docs") loadDocuments();
}

function initTabs() {
  for (const t of tabs()) {
    t.addEventListener("click", () => selectTab(t));
    t.addEventListener("keydown", (e) => { // arrow keys move between tabs (WAI-ARIA tabs pattern)
      const list = tabs();
      const i = list.indexOf(t);
      if (e.key === "ArrowRight") selectTab(list[(i + 1) % list.length]);
      else if (e.key === "ArrowLeft") selectTab(list[(i - 1 + list.length) % list.length]);
      else return;
      e.preventDefault();
    });
  }
}

// --- conversation -------------------------------------------------------------------------------

function loadConv() {
  try { return JSON.parse(sessionStorage.getItem(CONV_KEY) || "[]"); } catch (_) { return []; }
}
function saveConv(turns) { sessionStorage.setItem(CONV_KEY, JSON.stringify(turns.slice(-30))); }

function filters() {
  const body = {};
  const bureau = $("f-bureau").value;
  const year = parseInt($("f-year").value, 10);
  if (bureau) body.bureau = bureau;
  if (Number.isInteger(year)) body.year = year;
  if ($("f-mode").value) body.mode = $("f-mode").value;
  if ($("f-answer").value) body.answer_mode = $("f-answer").value;
  return body;
}

/** Append one question/answer pair; returns the parts the stream fills in. */
function addTurn(question) {
  const list = $("messages");
  list.append(el("li", { class: "msg user" }, el("p", { class: "who", text: "提问" }), el("p", { class: "answer", text: question })));
  const answer = el("p", { class: "answer" });
  const extra = el("div");
  const bot = el("li", { class: "msg bot", "aria-busy": "true" }, el("p", { class: "who", text: "回答" }), answer, extra);
  list.append(bot);
  bot.scrollIntoView({ block: "end" });
  return { bot, answer, extra };
}

function chip(c, n) {
  return el("button", {
    type: "button", class: "cite-chip", "data-doc": c.doc_id, "data-paragraph": c.paragraph,
    title: `查看原文：${c.label}`, onclick: (e) => openDoc(c.doc_id, c.paragraph, c.quote, e.currentTarget),
  }, n ? `[${n}] ` : "", c.label);
}

function sourceChip(h) {
  const who = [h.bureau, h.doc_number].filter(Boolean).join(" ") || h.doc_id;
  const where = h.section ? ` · ${h.section}` : "";
  return el("button", {
    type: "button", class: "cite-chip source-chip", "data-doc": h.doc_id,
    onclick: (e) => openDoc(h.doc_id, h.paragraph_ids, "", e.currentTarget),
  }, `〔${who}${where}〕`);
}

/** Fill a bot turn from the final Answer JSON (also used when restoring the conversation). */
function renderFinal(parts, a) {
  parts.answer.textContent = a.answer;
  parts.answer.classList.toggle("notfound", !a.found);
  parts.extra.replaceChildren();
  if (a.resolved_question && a.question && a.resolved_question !== a.question) {
    parts.extra.append(el("p", { class: "resolved", text: `按“${a.resolved_question}”理解` }));
  }
  if (a.found && a.citations.length) {
    parts.extra.append(el("p", { class: "chips-title", text: "引用（点击查看原文）" }),
      el("ul", { class: "chips" }, a.citations.map((c, i) => el("li", {}, chip(c, i + 1)))));
  } else if (!a.found && a.sources.length) {
    const seen = new Set();
    const near = a.sources.filter((h) => !seen.has(h.doc_id) && seen.add(h.doc_id)).slice(0, 3);
    parts.extra.append(el("p", { class: "chips-title", text: "最接近的资料" }),
      el("ul", { class: "chips" }, near.map((h) => el("li", {}, sourceChip(h)))));
  }
}

function renderConversation() {
  for (const t of loadConv()) {
    const parts = addTurn(t.question);
    parts.bot.removeAttribute("aria-busy");
    if (t.answer) renderFinal(parts, t.answer);
    else parts.answer.textContent = t.error || "";
  }
}

/** Read an SSE response body: yields {event, data} as each event completes. */
async function* sseEvents(res) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true }).replace(/\r\n/g, "\n");
    let cut;
    while ((cut = buf.indexOf("\n\n")) >= 0) {
      const raw = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      let event = "message";
      const data = [];
      for (const line of raw.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      if (data.length) yield { event, data: JSON.parse(data.join("\n")) };
    }
  }
}

let asking = false;

async function ask(question) {
  if (asking || !question.trim()) return;
  asking = true;
  $("send").disabled = true;
  const turns = loadConv();
  const history = turns.map((t) => (t.answer && t.answer.resolved_question) || t.question).slice(-HISTORY_SENT);
  const parts = addTurn(question);
  let final = null;
  let error = null;
  try {
    const res = await fetch("/api/ask/stream", {
      method: "POST",
      headers: headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
      body: JSON.stringify({ question, history, ...filters() }),
    });
    if (!res.ok) throw new Error(await errorText(res));
    for await (const { event, data } of sseEvents(res)) {
      if (event === "token") parts.answer.append(document.createTextNode(data.text));
      else if (event === "final") final = { ...data, question };
      else if (event === "error") throw new Error(data.detail);
    }
    if (!final) throw new Error("回答中断，请重试");
    renderFinal(parts, final);
  } catch (e) {
    error = `出错：${e.message}`;
    parts.answer.textContent = error;
    parts.answer.classList.add("error");
  } finally {
    parts.bot.removeAttribute("aria-busy");
    parts.bot.scrollIntoView({ block: "end" });
    turns.push({ question, answer: final, error });
    saveConv(turns);
    asking = false;
    $("send").disabled = false;
  }
}

function initChat() {
  const q = $("question");
  $("ask-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = q.value;
    q.value = "";
    ask(text);
  });
  q.addEventListener("keydown", (e) => {
    // Enter sends; Shift+Enter is a new line; never send while an IME is composing Chinese
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      $("ask-form").requestSubmit();
    }
  });
  $("clear").addEventListener("click", () => {
    sessionStorage.removeItem(CONV_KEY);
    $("messages").replaceChildren();
    q.focus();
  });
  renderConversation();
}

// --- the letter panel ---------------------------------------------------------------------------

const docCache = new Map();
let panelOpener = null;

async function fetchDoc(docId) {
  if (!docCache.has(docId)) docCache.set(docId, await getJSON(`/api/documents/${encodeURIComponent(docId)}`));
  return docCache.get(docId);
}

/** Paragraph text with the quote wrapped in <mark>, built from text nodes. */
function withQuote(text, quote) {
  const at = quote ? text.indexOf(quote) : -1;
  if (at < 0) return [text];
  return [text.slice(0, at), el("mark", { text: quote }), text.slice(at + quote.length)];
}

/** Show a letter beside the chat; `paragraphIds` (one id or a list) are highlighted, the first scrolled to. */
async function openDoc(docId, paragraphIds, quote, opener) {
  const cite = new Set([].concat(paragraphIds || []));
  panelOpener = opener || document.activeElement;
  document.querySelectorAll(".cite-chip.active").forEach((c) => c.classList.remove("active"));
  if (opener) opener.classList.add("active");
  const panel = $("doc-panel");
  const body = $("doc-body");
  let doc;
  try {
    doc = await fetchDoc(docId);
  } catch (e) {
    body.replaceChildren(el("p", { class: "error", text: `无法打开原文：${e.message}` }));
    showPanel(panel);
    return;
  }
  const m = doc.meta;
  $("doc-title").textContent = m.title || m.doc_number || doc.source;
  const rows = [
    ["机关", m.bureau], ["文号", m.doc_number], ["日期", m.date], ["收件人", m.addressee],
    ["提案", [m.proposal, m.proposal_title].filter(Boolean).join(" ")], ["联系人", m.contact],
  ];
  $("doc-meta").replaceChildren(...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v || "—" })]));
  let target = null;
  body.replaceChildren(...doc.paragraphs.map((p) => {
    const cited = cite.has(p.id);
    const node = p.kind === "heading"
      ? el("h3", { "data-pid": p.id, text: p.text })
      : el("p", { class: p.kind, "data-pid": p.id },
        p.label ? el("span", { class: "plabel", text: p.label }) : null,
        ...(cited ? withQuote(p.text, quote) : [p.text]));
    if (cited) {
      node.classList.add("cited");
      node.tabIndex = -1;
      target = target || node;
    }
    return node;
  }));
  showPanel(panel);
  if (opener) opener.scrollIntoView({ block: "nearest" }); // the chat column just got narrower
  if (target) {
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  } else {
    $("panel-close").focus();
  }
}

function showPanel(panel) {
  panel.hidden = false;
  $("layout").classList.add("panel-open");
}

function closePanel() {
  const panel = $("doc-panel");
  if (panel.hidden) return;
  panel.hidden = true;
  $("layout").classList.remove("panel-open");
  if (panelOpener && document.contains(panelOpener)) panelOpener.focus();
}

// --- documents ----------------------------------------------------------------------------------

async function loadDocuments() {
  let docs;
  try {
    docs = await getJSON("/api/documents");
  } catch (e) {
    setStatus(`文档列表不可用：${e.message}`);
    return;
  }
  const rows = docs.map((d) => el("tr", {},
    el("td", { text: d.bureau || "—" }), el("td", { text: d.doc_number || "—" }), el("td", { text: d.date || "—" }),
    el("td", { text: d.addressee || "—" }), el("td", { text: String(d.paragraphs) }),
    el("td", { class: "actions" },
      el("button", { type: "button", onclick: (e) => openDoc(d.doc_id, null, "", e.currentTarget) }, "查看",
        el("span", { class: "sr-only", text: ` ${d.doc_number || d.doc_id}` })),
      el("button", { type: "button", class: "danger", onclick: () => removeDoc(d) }, "删除",
        el("span", { class: "sr-only", text: ` ${d.doc_number || d.doc_id}` })))));
  document.querySelector("#doc-table tbody").replaceChildren(...rows);
  const bureaus = [...new Set(docs.map((d) => d.bureau).filter(Boolean))].sort();
  const sel = $("f-bureau");
  const keep = sel.value;
  sel.replaceChildren(el("option", { value: "", text: "全部机关" }), ...bureaus.map((b) => el("option", { value: b, text: b })));
  sel.value = bureaus.includes(keep) ? keep : "";
  $("bureau-list").replaceChildren(...bureaus.map((b) => el("option", { value: b })));
}

async function removeDoc(d) {
  if (!confirm(`确定删除“${d.doc_number || d.source}”？`)) return;
  try {
    await getJSON(`/api/documents/${encodeURIComponent(d.doc_id)}`, { method: "DELETE" });
    docCache.delete(d.doc_id);
    setStatus(`已删除 ${d.doc_number || d.doc_id}`);
  } catch (e) {
    setStatus(`删除失败：${e.message}`);
  }
  loadDocuments();
  loadHealth();
}

function renderReport(r) {
  const out = $("upload-report");
  const list = (title, items) => items.length
    ? [el("p", { text: `${title}（${items.length}）` }), el("ul", {}, items.map((x) => el("li", { text: x })))] : [];
  const name = (src) => src.split(":").slice(2).join(":") || src; // upload:<sha>:<name>
  out.replaceChildren(
    ...list("已添加", r.added.map((s) => `${name(s)} → ${r.doc_ids[s]}`)),
    ...list("已更新", r.updated.map(name)),
    ...list("未变化", r.unchanged.map(name)),
    ...list("已跳过", r.skipped.map((s) => `${name(s.source)}：${s.reason}`)),
  );
}

function initDocs() {
  $("token").value = token();
  $("token").addEventListener("change", (e) => {
    sessionStorage.setItem(TOKEN_KEY, e.target.value.trim());
    docCache.clear();
    loadDocuments();
  });
  $("refresh-docs").addEventListener("click", loadDocuments);
  $("upload-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $("token").value.trim());
    const form = new FormData();
    for (const f of $("files").files) form.append("files", f, f.name);
    const button = e.submitter;
    button.disabled = true;
    $("upload-report").replaceChildren(el("p", { text: "正在上传并建立索引……" }));
    try {
      const res = await fetch("/api/documents", { method: "POST", headers: headers(), body: form });
      if (!res.ok) throw new Error(await errorText(res));
      renderReport(await res.json());
      $("files").value = "";
    } catch (err) {
      $("upload-report").replaceChildren(el("p", { class: "error", text: `上传失败：${err.message}` }));
    } finally {
      button.disabled = false;
      loadDocuments();
      loadHealth();
    }
  });
}

// --- drafting -----------------------------------------------------------------------------------

/** Draft text with 【待核实：…】 / 【待填：…】 markers highlighted (text nodes only). */
function marked(text) {
  return text.split(/(【[^】]*】)/).filter(Boolean).map((part) => (part.startsWith("【") && part.endsWith("】")
    ? el("mark", { class: part.startsWith("【待核实") ? "ph" : "fill", text: part }) : part));
}

function renderDraft(d) {
  const sections = d.sections.map((s) => el("section", {},
    el("h4", {}, ...marked(s.heading)),
    s.demand ? el("p", { class: "demand", text: `对应建议：${s.demand}` }) : null,
    s.paragraphs.map((p) => [
      el("p", { class: "body" }, ...marked(p.text)),
      p.sources.length ? el("ul", { class: "chips" }, p.sources.map((c) => el("li", {}, chip(c, 0)))) : null,
    ])));
  const link = el("a", { class: "download", href: d.docx_url, download: "答复函草稿.docx" }, "下载 Word 文档（.docx）");
  link.addEventListener("click", async (e) => {
    if (!token()) return; // a plain link works when the server needs no token
    e.preventDefault();
    const res = await fetch(d.docx_url, { headers: headers() });
    if (!res.ok) { setStatus(`下载失败：${await errorText(res)}`); return; }
    const url = URL.createObjectURL(await res.blob());
    const a = el("a", { href: url, download: "答复函草稿.docx" });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  });
  const warn = d.marks
    ? el("p", { class: "warn" }, `有 ${d.marks} 处【待核实】：其他地区的数字、日期、文件、地名和单位名（黄色标出），蓝绿色为待填写内容。`) : null;
  $("draft-out").replaceChildren(link, warn, el("article", { class: "letter", "aria-label": "草稿" },
    el("p", { class: "docno", text: d.doc_number }),
    el("h3", {}, ...marked(d.title)),
    el("p", {}, ...marked(d.salutation)),
    el("p", { class: "body" }, ...marked(d.opening)),
    sections,
    el("p", { class: "body", text: d.closing }),
    el("p", { class: "body" }, ...marked(d.contact)),
    el("p", { class: "sign" }, ...marked(d.signature)),
    el("p", { class: "sign" }, ...marked(d.date))));
  link.scrollIntoView({ block: "start" });
}

function initDraft() {
  $("draft-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = {};
    for (const [k, v] of new FormData(e.target)) if (String(v).trim()) body[k] = String(v).trim();
    const button = $("draft-submit");
    button.disabled = true;
    $("draft-out").replaceChildren(el("p", { text: "正在检索先例并起草……" }));
    try {
      renderDraft(await getJSON("/api/draft", {
        method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
      }));
    } catch (err) {
      $("draft-out").replaceChildren(el("p", { class: "error", text: `起草失败：${err.message}` }));
    } finally {
      button.disabled = false;
    }
  });
}

// --- start --------------------------------------------------------------------------------------

async function loadHealth() {
  try {
    const h = await getJSON("/api/health");
    setStatus(h.status === "ok" ? `已索引 ${h.documents} 份答复函 · ${h.chunks} 个片段` : "尚未建立索引：请上传答复函或运行 rag index");
    const llm = document.querySelector('#f-answer option[value="llm"]');
    llm.disabled = !h.answer_modes.includes("llm");
    llm.textContent = llm.disabled ? "大模型（未配置）" : "大模型";
    $("upload-hint").textContent = `支持 ${h.supported_types.join(" ")}，每个文件不超过 ${h.max_upload_mb} MB。`
      + (h.uploads_enabled ? "" : "服务器未设置 RAG_ADMIN_TOKEN，上传与删除已停用。");
  } catch (e) {
    setStatus(`服务不可用：${e.message}`);
  }
}

document.addEventListener("keydown", (e) => {
  if (e.key === "Escape") closePanel();
});

document.addEventListener("DOMContentLoaded", () => {
  initTabs();
  initChat();
  initDocs();
  initDraft();
  $("panel-close").addEventListener("click", closePanel);
  loadHealth();
  loadDocuments();
});
