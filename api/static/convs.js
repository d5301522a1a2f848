// Past conversations, kept in the browser (IndexedDB: they survive closing it, and hold far more than
// localStorage's few MB), listed beside the chat: searchable, renameable, deletable, exportable as Markdown.
import { $, el, notice } from "./util.js";

const DB_NAME = "rag-chat";
const STORE = "conversations";
let dbPromise = null;
const memory = new Map(); // where IndexedDB is unavailable (some private windows): kept for this tab only

function openDB() {
  if (!dbPromise) {
    dbPromise = new Promise((resolve) => {
      if (!window.indexedDB) { resolve(null); return; }
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "id" });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(null);
    });
  }
  return dbPromise;
}

async function run(mode, work) {
  const db = await openDB();
  if (!db) {
    const r = work(null);
    return r && typeof r === "object" && "result" in r ? r.result : r;
  }
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const req = work(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(req && req.result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("aborted"));
  });
}

export async function listConvs() {
  const all = await run("readonly", (s) => (s ? s.getAll() : { result: [...memory.values()] }));
  return (all || []).sort((a, b) => b.updated.localeCompare(a.updated));
}

export const getConv = (id) => run("readonly", (s) => (s ? s.get(id) : { result: memory.get(id) }));

/** Save; `touch` (a new question) moves the conversation to the top, a rename or a rating does not. */
export async function saveConv(conv, touch = true) {
  if (touch) conv.updated = new Date().toISOString();
  const copy = JSON.parse(JSON.stringify(conv)); // IndexedDB clones; keep no live references
  await run("readwrite", (s) => (s ? s.put(copy) : memory.set(copy.id, copy)));
}

export const deleteConv = (id) => run("readwrite", (s) => (s ? s.delete(id) : memory.delete(id)));

export function titleOf(question) {
  const t = question.replace(/\s+/g, " ").trim();
  return t.length > 30 ? `${t.slice(0, 30)}…` : t;
}

// --- Markdown -----------------------------------------------------------------------------------

export function citationsText(answer) {
  return (answer.citations || []).map((c, i) => `[${i + 1}] ${c.label}\n    “${c.quote}”`).join("\n");
}

/** One answer with its citations, as copied to the clipboard. */
export function answerText(answer) {
  const cites = answer.found ? citationsText(answer) : "";
  return cites ? `${answer.answer}\n\n引用：\n${cites}` : answer.answer;
}

const when = (iso) => new Date(iso).toLocaleString("zh-CN", { hour12: false });

export function toMarkdown(conv) {
  const lines = [`# ${conv.title}`, "", `> 导出时间：${when(new Date().toISOString())}；对话开始于 ${when(conv.created)}`, ""];
  for (const t of conv.turns) {
    lines.push(`## 问：${t.question}`, "");
    if (!t.answer) { lines.push(t.error || "（没有回答）", ""); continue; }
    const a = t.answer;
    if (a.resolved_question && a.resolved_question !== t.question) lines.push(`*按“${a.resolved_question}”理解*`, "");
    lines.push(a.answer, "");
    if (a.found && a.citations.length) {
      lines.push("**引用**", "");
      a.citations.forEach((c, i) => lines.push(`${i + 1}. ${c.label}`, `   > ${c.quote}`));
      lines.push("");
    }
  }
  return lines.join("\n");
}

// --- the list beside the chat -------------------------------------------------------------------

let handlers = { open: () => {}, removed: () => {} };
let currentId = null;

function matches(conv, q) {
  if (!q) return true;
  const hay = [conv.title, ...conv.turns.flatMap((t) => [t.question, t.answer ? t.answer.answer : ""])].join("\n");
  return hay.toLowerCase().includes(q.toLowerCase());
}

export async function renderList(activeId = currentId) {
  currentId = activeId;
  const q = $("conv-search").value.trim();
  const all = await listConvs();
  const shown = all.filter((c) => matches(c, q));
  $("conv-count").textContent = all.length ? `共 ${all.length} 个对话` : "";
  const items = shown.map((c) => el("li", { class: c.id === currentId ? "conv current" : "conv", "data-id": c.id },
    el("button", { type: "button", class: "conv-open", "aria-current": c.id === currentId ? "true" : null,
      onclick: () => handlers.open(c.id) },
    el("span", { class: "conv-title", text: c.title }),
    el("span", { class: "conv-when", text: `${when(c.updated)} · ${c.turns.length} 问` })),
    el("div", { class: "conv-actions" },
      el("button", { type: "button", class: "link", onclick: () => rename(c.id) }, "重命名",
        el("span", { class: "sr-only", text: ` ${c.title}` })),
      el("button", { type: "button", class: "link danger", onclick: () => remove(c) }, "删除",
        el("span", { class: "sr-only", text: ` ${c.title}` })))));
  const empty = all.length ? `没有包含“${q}”的对话` : "还没有对话记录：提问后会自动保存在这里。";
  $("conv-list").replaceChildren(...(items.length ? items : [el("li", { class: "conv-empty", text: empty })]));
}

async function rename(id) {
  const conv = await getConv(id);
  const li = $("conv-list").querySelector(`li[data-id="${id}"]`);
  if (!conv || !li) return;
  const input = el("input", { type: "text", class: "conv-rename", "aria-label": "对话名称", maxlength: "60" });
  input.value = conv.title;
  let done = false;
  const finish = async (save) => {
    if (done) return;
    done = true;
    const title = input.value.trim();
    if (save && title && title !== conv.title) {
      conv.title = title;
      conv.custom = true;
      await saveConv(conv, false);
    }
    await renderList();
    $("conv-list").querySelector(`li[data-id="${id}"] .conv-open`)?.focus();
  };
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter") { e.preventDefault(); finish(true); }
    if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); finish(false); }
  });
  input.addEventListener("blur", () => finish(true));
  li.replaceChildren(input);
  input.focus();
  input.select();
}

async function remove(conv) {
  if (!confirm(`确定删除对话“${conv.title}”？删除后无法恢复。`)) return;
  try {
    await deleteConv(conv.id);
    notice($("conv-notice"), "ok", `已删除对话“${conv.title}”`);
  } catch (e) {
    notice($("conv-notice"), "error", `删除失败：${e.message}`);
  }
  await renderList();
  handlers.removed(conv.id);
}

export function initConvs(on) {
  handlers = on;
  $("conv-search").addEventListener("input", () => renderList());
  const show = (open) => {
    $("conv-side").classList.toggle("open", open);
    $("conv-toggle").setAttribute("aria-expanded", String(open));
    (open ? $("conv-search") : $("conv-toggle")).focus();
  };
  $("conv-toggle").addEventListener("click", () => show(!$("conv-side").classList.contains("open")));
  $("conv-close").addEventListener("click", () => show(false));
  openDB().then((db) => {
    if (!db) notice($("conv-notice"), "error", "此浏览器不能保存对话记录（可能是无痕模式）：关闭页面后对话会丢失。");
  });
}
