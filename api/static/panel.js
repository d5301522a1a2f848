// The letter panel: a letter beside the chat (over it on a phone), the cited paragraphs highlighted.
import { $, el, getJSON } from "./util.js";

const docCache = new Map();
let panelOpener = null;

export function forgetDoc(docId) {
  if (docId) docCache.delete(docId);
  else docCache.clear();
}

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
export async function openDoc(docId, paragraphIds, quote, opener) {
  const cite = new Set([].concat(paragraphIds || []));
  panelOpener = opener || document.activeElement;
  document.querySelectorAll(".cite-chip.active, .related-open.active").forEach((c) => c.classList.remove("active"));
  if (opener) opener.classList.add("active");
  const panel = $("doc-panel");
  const body = $("doc-body");
  let doc;
  try {
    doc = await fetchDoc(docId);
  } catch (e) {
    $("doc-title").textContent = "无法打开原文";
    $("doc-meta").replaceChildren();
    body.replaceChildren(el("p", { class: "error", role: "alert", text: `无法打开原文：${e.message}` }));
    showPanel(panel);
    $("panel-close").focus();
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

export function closePanel() {
  const panel = $("doc-panel");
  if (panel.hidden) return;
  panel.hidden = true;
  $("layout").classList.remove("panel-open");
  if (panelOpener && document.contains(panelOpener)) panelOpener.focus();
}

export function initPanel() {
  $("panel-close").addEventListener("click", closePanel);
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape") closePanel();
  });
}
