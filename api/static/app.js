// 答复函问答助手 — plain JS modules, no build step. This file: tabs, drafting, the connection to the server
// and start-up; the chat is in chat.js (conversations in convs.js), the letter panel in panel.js, the letters
// page in letters.js, shared helpers in util.js.
// Letters are untrusted input: every piece of data goes into the page as text (textContent or text nodes
// via el()), never as HTML.
import { chip, initChat, loadWelcome, setLimits } from "./chat.js";
import { initLetters, loadDocuments, setUploadLimits } from "./letters.js";
import { initPanel } from "./panel.js";
import { $, api, copyFrom, downloadBlob, el, getJSON, notice, token } from "./util.js";

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
  const link = el("a", { class: "download", href: d.docx_url, download: d.docx_name }, "下载 Word 文档（.docx）");
  link.addEventListener("click", async (e) => {
    if (!token()) return; // a plain link works when the server needs no token
    e.preventDefault();
    try {
      downloadBlob(d.docx_name, await (await api(d.docx_url)).blob());
    } catch (err) {
      notice($("draft-notice"), "error", `下载失败：${err.message}`);
    }
  });
  const copy = el("button", { type: "button", class: "copy-markdown", onclick: (e) => copyFrom(e.currentTarget, d.markdown) },
    "复制 Markdown");
  const warn = d.marks
    ? el("p", { class: "warn" }, `有 ${d.marks} 处【待核实】：其他地区的数字、日期、文件、地名和单位名（黄色标出），蓝绿色为待填写内容。`) : null;
  $("draft-out").replaceChildren(el("div", { class: "draft-actions" }, link, copy), el("div", { id: "draft-notice" }),
    warn, el("article", { class: "letter", "aria-label": "草稿" },
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


// --- the connection: status line, reconnecting by itself -----------------------------------------

const POLL_MS = 30000; // a quiet check that the server is there
const RETRY_MS = 3000; // while it is not
let online = true;
let timer = null;

function setStatus(text, kind = "") {
  $("status").textContent = text;
  $("status").dataset.kind = kind;
}

function schedule(ms) {
  clearTimeout(timer);
  timer = setTimeout(loadHealth, ms);
}

function wentOffline() {
  if (online) setStatus("连接中断，正在重新连接……", "offline");
  online = false;
  schedule(RETRY_MS);
}

/** Everything that shows server state, refreshed (after a reconnect, an upload or a removal). */
function refreshAll() {
  loadDocuments();
  loadWelcome();
}

async function loadHealth() {
  let h;
  try {
    h = await getJSON("/api/health");
  } catch (e) {
    if (e.code === "offline") return; // wentOffline() has run: the retry is scheduled
    setStatus(`服务暂时不可用：${e.message}`, "offline");
    schedule(RETRY_MS);
    return;
  }
  const back = !online;
  online = true;
  setStatus((h.status === "ok" ? `已收录 ${h.documents} 份答复函` : "尚未建立索引：请在“文档”页上传答复函")
    + (h.read_only ? "（索引只读：可以查询，不能上传或删除）" : ""), "");
  $("index-info").textContent = h.status === "ok" ? `索引：${h.documents} 份答复函，${h.chunks} 个片段` : "";
  const llm = document.querySelector('#f-answer option[value="llm"]');
  llm.disabled = !h.answer_modes.includes("llm");
  llm.textContent = llm.disabled ? "大模型（未配置）" : "大模型";
  setLimits(h);
  setUploadLimits(h);
  if (back) refreshAll();
  schedule(POLL_MS);
}

document.addEventListener("rag:offline", wentOffline);

document.addEventListener("DOMContentLoaded", async () => {
  initTabs();
  initPanel();
  initLetters(() => { loadHealth(); loadWelcome(); });
  initDraft();
  loadHealth();
  loadDocuments();
  loadWelcome();
  await initChat();
});
