// The chat: welcome, questions and streamed answers with citations and related paragraphs, copy, feedback,
// and the conversation it belongs to (saved in the browser by convs.js).
import * as convs from "./convs.js";
import { openDoc } from "./panel.js";
import {
  $, ApiError, OFFLINE, copyFrom, downloadBlob, el, errorOf, fileName, getJSON, headers, newId, notice, postJSON,
  reportOffline,
} from "./util.js";

const HISTORY_SENT = 5;
const CURRENT_KEY = "rag.current"; // this tab's open conversation (sessionStorage: a reload keeps it)
let conv = null; // the open conversation; saved from its first question on
let maxQuestion = 2000; // the server's limit, from /api/health
let overview = null;
let asking = false;

function newConv() {
  const now = new Date().toISOString();
  return { id: newId(), title: "新对话", custom: false, created: now, updated: now, turns: [] };
}

function settings() {
  const body = {};
  const bureau = $("f-bureau").value;
  const year = parseInt($("f-year").value, 10);
  const k = parseInt($("f-k").value, 10);
  if (bureau) body.bureau = bureau;
  if (Number.isInteger(year)) body.year = year;
  if (Number.isInteger(k)) body.k = k;
  if ($("f-mode").value) body.mode = $("f-mode").value;
  if ($("f-answer").value) body.answer_mode = $("f-answer").value;
  return body;
}

// --- rendering ----------------------------------------------------------------------------------

/** Append one question/answer pair; returns the parts the stream fills in. */
function addTurn(question) {
  const list = $("messages");
  list.append(el("li", { class: "msg user" }, el("p", { class: "who", text: "提问" }), el("p", { class: "answer", text: question })));
  const answer = el("div", { class: "answer" });
  const extra = el("div");
  const tools = el("div", { class: "tools" });
  const bot = el("li", { class: "msg bot", "aria-busy": "true" }, el("p", { class: "who", text: "回答" }), answer, extra, tools);
  list.append(bot);
  bot.scrollIntoView({ block: "end" });
  return { bot, answer, extra, tools };
}

export function chip(c, n) {
  return el("button", {
    type: "button", class: "cite-chip", "data-doc": c.doc_id, "data-paragraph": c.paragraph,
    title: `查看原文：${c.label}`, onclick: (e) => openDoc(c.doc_id, c.paragraph, c.quote, e.currentTarget),
  }, n ? `[${n}] ` : "", c.label);
}

const who = (h) => h.name || [h.bureau, h.doc_number].filter(Boolean).join(" ") || "未署名的答复函";

/** "另见 N 封答复函": the same passage (word for word or nearly) in other letters, shown once; names on hover. */
function alsoIn(h) {
  const more = (h && h.also_in) || [];
  if (!more.length) return null;
  return el("span", { class: "also-in", title: more.map((x) => x.name).join("\n") }, `另见 ${more.length} 封答复函`);
}

function sourceChip(h) {
  const where = h.section ? ` · ${h.section}` : "";
  return el("button", {
    type: "button", class: "cite-chip source-chip", "data-doc": h.doc_id,
    onclick: (e) => openDoc(h.doc_id, h.paragraph_ids, "", e.currentTarget),
  }, `〔${who(h)}${where}〕`);
}

/** The retrieved passages the answer did not cite: broad questions have more than one good paragraph. */
function related(a) {
  const cited = new Set(a.citations.map((c) => c.paragraph));
  const seen = new Set();
  const rest = a.sources.filter((h) => {
    const key = h.paragraph_ids.join(",");
    if (seen.has(key) || h.paragraph_ids.some((p) => cited.has(p))) return false;
    seen.add(key);
    return true;
  });
  if (!rest.length) return null;
  const snippet = (t) => (t.length > 140 ? `${t.slice(0, 140)}…` : t);
  return el("details", { class: "related" },
    el("summary", { text: `相关段落（${rest.length}）` }),
    el("ol", {}, rest.map((h) => el("li", {},
      el("button", { type: "button", class: "related-open", "data-doc": h.doc_id, title: "查看原文",
        onclick: (e) => openDoc(h.doc_id, h.paragraph_ids, "", e.currentTarget) },
      `〔${who(h)} · ${h.section_title || h.section || "正文"}〕`), alsoIn(h),
      el("p", { class: "snippet", text: snippet(h.text) })))));
}

const ITEM = /^(\d+)\.\s*(.*?)((?:\[\d+\])*)$/;

/** The answer text; a list answer ("1. 兜底基本养老服务[1]" per line) becomes a list with each item's citation. */
function renderAnswerText(node, a) {
  const lines = a.answer.split("\n");
  if (!a.found || !lines.some((l) => ITEM.test(l))) {
    node.textContent = a.answer;
    return;
  }
  const out = [];
  let ol = null;
  for (const line of lines) {
    const m = ITEM.exec(line);
    if (!m) {
      ol = null;
      out.push(el("span", { class: "line", text: line }));
      continue;
    }
    if (!ol) out.push((ol = el("ol", { class: "answer-items" })));
    const refs = [...m[3].matchAll(/\[(\d+)\]/g)].map((r) => a.citations[Number(r[1]) - 1]).filter(Boolean);
    ol.append(el("li", {}, el("span", { class: "item-text", text: m[2] }),
      ...refs.map((c) => chip(c, a.citations.indexOf(c) + 1))));
  }
  node.replaceChildren(...out);
}

/** Fill a bot turn from the final Answer JSON (also used when reopening a conversation). */
function renderFinal(parts, a) {
  renderAnswerText(parts.answer, a);
  parts.answer.classList.toggle("notfound", !a.found);
  parts.extra.replaceChildren();
  if (a.resolved_question && a.question && a.resolved_question !== a.question) {
    parts.extra.append(el("p", { class: "resolved", text: `按“${a.resolved_question}”理解` }));
  }
  if (a.found && a.citations.length) {
    const sourceOf = (c) => a.sources.find((h) => h.paragraph_ids.includes(c.paragraph));
    parts.extra.append(el("p", { class: "chips-title", text: "引用（点击查看原文）" }),
      el("ul", { class: "chips" }, a.citations.map((c, i) => el("li", {}, chip(c, i + 1), alsoIn(sourceOf(c))))));
    const more = related(a);
    if (more) parts.extra.append(more);
  } else if (!a.found && a.sources.length) {
    const seen = new Set();
    const near = a.sources.filter((h) => !seen.has(h.doc_id) && seen.add(h.doc_id)).slice(0, 3);
    parts.extra.append(el("p", { class: "chips-title", text: "最接近的资料" }),
      el("ul", { class: "chips" }, near.map((h) => el("li", {}, sourceChip(h), alsoIn(h)))));
  }
}

function renderTools(parts, turn) {
  if (!turn.answer) {
    parts.tools.replaceChildren(el("button", { type: "button", onclick: () => ask(turn.question) }, "重新提问"));
    return;
  }
  const copy = el("button", { type: "button", class: "copy-answer",
    onclick: (e) => copyFrom(e.currentTarget, convs.answerText(turn.answer)) }, "复制回答");
  parts.tools.replaceChildren(copy, feedbackBox(turn));
}

function renderError(parts, message) {
  parts.answer.textContent = `出错：${message}`;
  parts.answer.classList.add("error");
}

// --- feedback -----------------------------------------------------------------------------------

function feedbackBox(turn) {
  const said = el("div", { class: "fb-said" });
  const box = el("div", { class: "feedback", role: "group", "aria-label": "评价这个回答" });
  // words, not 👍/👎 glyphs: many office PCs have no emoji font and would show empty boxes
  const button = (rating, label, title) => el("button", {
    type: "button", class: `fb fb-${rating}`, "aria-pressed": String(turn.feedback?.rating === rating), title,
    onclick: () => send(rating, ""),
  }, label);
  const up = button("up", "有用", "这个回答有用");
  const down = button("down", "有问题", "这个回答有问题");
  const reason = el("form", { class: "fb-reason", hidden: true },
    el("label", {}, "补充说明（可选）",
      el("textarea", { rows: "2", maxlength: "500", placeholder: "哪里不对、缺了什么？正确的说法或出处是什么？" })),
    el("button", { type: "submit" }, "提交说明"));
  reason.addEventListener("submit", (e) => {
    e.preventDefault();
    send(turn.feedback.rating, reason.querySelector("textarea").value.trim());
  });

  async function send(rating, text) {
    const a = turn.answer;
    try {
      await postJSON("/api/feedback", {
        turn_id: turn.id, rating, reason: text, question: turn.question, history: turn.history || [],
        resolved_question: a.resolved_question, answer: a.answer, found: a.found, citations: a.citations,
        settings: turn.settings || {},
      });
    } catch (e) {
      notice(said, "error", `评价未能提交：${e.message}`);
      return;
    }
    turn.feedback = { rating, reason: text };
    up.setAttribute("aria-pressed", String(rating === "up"));
    down.setAttribute("aria-pressed", String(rating === "down"));
    if (conv && conv.turns.includes(turn)) await convs.saveConv(conv, false);
    if (text) {
      reason.hidden = true;
      notice(said, "ok", "说明已提交，谢谢！");
    } else {
      reason.hidden = false;
      notice(said, "ok", "已记录评价，谢谢！可以再补充说明。");
    }
  }
  box.append(el("span", { class: "fb-label", text: "评价：" }), up, down, reason, said);
  return box;
}

// --- asking -------------------------------------------------------------------------------------

/** Read an SSE response body: yields {event, data} as each event completes. */
async function* sseEvents(res) {
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch (_) {
      reportOffline();
      throw new ApiError("回答中断：与服务器的连接断开了。请稍后点“重新提问”。", "offline");
    }
    if (chunk.done) break;
    buf += decoder.decode(chunk.value, { stream: true }).replace(/\r\n/g, "\n");
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

function tooLong() {
  const n = $("question").value.length;
  return n > maxQuestion ? `问题过长：最多 ${maxQuestion} 字，现在 ${n} 字。请删减后再发送。` : "";
}

function updateCounter() {
  const n = $("question").value.length;
  const over = n > maxQuestion;
  $("q-count").textContent = `${n} / ${maxQuestion}`;
  $("q-count").classList.toggle("over", over);
  $("question").setAttribute("aria-invalid", String(over));
  if (!over) $("q-error").textContent = "";
}

export async function ask(question) {
  if (asking || !question.trim()) return;
  asking = true;
  $("send").disabled = true;
  if (!conv) conv = newConv();
  const history = conv.turns.map((t) => (t.answer && t.answer.resolved_question) || t.question).slice(-HISTORY_SENT);
  const turn = { id: newId(), question, history, settings: settings(), answer: null, error: null, feedback: null };
  showWelcome(false);
  const parts = addTurn(question);
  try {
    let res;
    try {
      res = await fetch("/api/ask/stream", {
        method: "POST",
        headers: headers({ "Content-Type": "application/json", Accept: "text/event-stream" }),
        body: JSON.stringify({ question, history, ...turn.settings }),
      });
    } catch (_) {
      reportOffline();
      throw new ApiError(OFFLINE, "offline");
    }
    if (!res.ok) throw await errorOf(res);
    for await (const { event, data } of sseEvents(res)) {
      if (event === "token") parts.answer.append(document.createTextNode(data.text));
      else if (event === "final") turn.answer = { ...data, question };
      else if (event === "error") throw new ApiError(data.detail, data.code, data.status);
    }
    if (!turn.answer) throw new ApiError("回答中断：请点“重新提问”。", "interrupted");
    renderFinal(parts, turn.answer);
  } catch (e) {
    turn.error = `出错：${e instanceof ApiError ? e.message : "页面出错，请刷新后重试。"}`;
    renderError(parts, turn.error.slice(3));
  } finally {
    parts.bot.removeAttribute("aria-busy");
    conv.turns.push(turn);
    if (!conv.custom && conv.turns.length === 1) conv.title = convs.titleOf(question);
    renderTools(parts, turn);
    parts.bot.scrollIntoView({ block: "end" });
    // the next question may be sent as soon as this answer is shown: saving the conversation goes on meanwhile
    // (a question sent while this flag was still set, during the save, used to be dropped)
    asking = false;
    $("send").disabled = false;
    try {
      await convs.saveConv(conv);
      sessionStorage.setItem(CURRENT_KEY, conv.id);
    } catch (e) {
      notice($("conv-notice"), "error", `对话未能保存：${e.message}`);
    }
    await convs.renderList(conv.id);
  }
}

// --- conversations ------------------------------------------------------------------------------

function renderConversation() {
  $("messages").replaceChildren();
  for (const t of conv ? conv.turns : []) {
    const parts = addTurn(t.question);
    parts.bot.removeAttribute("aria-busy");
    if (t.answer) renderFinal(parts, t.answer);
    else renderError(parts, (t.error || "").replace(/^出错：/, ""));
    renderTools(parts, t);
  }
  showWelcome(!conv || !conv.turns.length);
}

async function openConversation(id) {
  const found = await convs.getConv(id);
  if (!found) return;
  conv = found;
  sessionStorage.setItem(CURRENT_KEY, id);
  renderConversation();
  await convs.renderList(id);
  $("conv-side").classList.remove("open");
  $("conv-toggle").setAttribute("aria-expanded", "false");
  $("question").focus();
}

function startNew() {
  conv = null;
  sessionStorage.removeItem(CURRENT_KEY);
  renderConversation();
  convs.renderList(null);
  $("question").focus();
}

function exportConversation() {
  if (!conv || !conv.turns.length) {
    notice($("conv-notice"), "error", "当前对话还没有内容：先提问，再导出。");
    return;
  }
  downloadBlob(fileName(conv.title, ".md"), new Blob([convs.toMarkdown(conv)], { type: "text/markdown;charset=utf-8" }));
}

// --- welcome ------------------------------------------------------------------------------------

function showWelcome(on) { $("welcome").hidden = !on; }

function renderWelcome() {
  const box = $("welcome-body");
  if (!overview) return;
  if (!overview.documents) {
    box.replaceChildren(el("p", { text: "还没有收录答复函：请在“文档”页上传答复函后再提问。" }));
    return;
  }
  const bureaus = overview.bureaus.map((b) => `${b.name}（${b.letters} 份）`).join("、");
  const years = overview.years.length ? `，年份：${overview.years.join("、")}` : "";
  const parts = [el("p", { class: "loaded", text: `已收录 ${overview.documents} 份答复函，来自 ${overview.bureaus.length} 个机关：${bureaus}${years}。` })];
  if (overview.suggestions.length) {
    parts.push(el("p", { class: "hint", text: "可以这样问（点击即提问）：" }),
      el("ul", { class: "suggestions" }, overview.suggestions.map((s) => el("li", {},
        el("button", { type: "button", class: "suggestion", title: `出自${s.bureau}的答复函`, onclick: () => ask(s.question) },
          s.question)))));
  }
  box.replaceChildren(...parts);
}

export async function loadWelcome() {
  try {
    overview = await getJSON("/api/overview");
    renderWelcome();
  } catch (e) {
    if (!overview) $("welcome-body").replaceChildren(el("p", { class: "error", text: `暂时读不到资料概况：${e.message}` }));
  }
}

export function setLimits(health) {
  maxQuestion = health.max_question || maxQuestion;
  updateCounter();
}

export async function initChat() {
  const q = $("question");
  $("ask-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const refusal = tooLong();
    if (refusal) { // refused with a message, never cut short
      $("q-error").textContent = refusal;
      q.focus();
      return;
    }
    const text = q.value;
    if (!text.trim() || asking) return; // while an answer is coming the question stays in the box, not lost
    q.value = "";
    updateCounter();
    ask(text);
  });
  q.addEventListener("keydown", (e) => {
    // Enter sends; Shift+Enter is a new line; never send while an IME is composing Chinese
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      $("ask-form").requestSubmit();
    }
  });
  q.addEventListener("input", updateCounter);
  $("new-conv").addEventListener("click", startNew);
  $("export-conv").addEventListener("click", exportConversation);
  convs.initConvs({ open: openConversation, removed: (id) => { if (conv && conv.id === id) startNew(); } });
  const id = sessionStorage.getItem(CURRENT_KEY);
  conv = id ? (await convs.getConv(id)) || null : null;
  renderConversation();
  updateCounter();
  await convs.renderList(conv ? conv.id : null);
}
