// Shared helpers of the page: building elements as text, talking to the API, messages that stay, copying.
// Letters are untrusted input: every piece of data goes into the page as text (textContent or text nodes
// via el()), never as HTML.

export const $ = (id) => document.getElementById(id);

/** Build an element; string children become text nodes, so data is never parsed as HTML. */
export function el(tag, attrs = {}, ...children) {
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

/** A random id; crypto.randomUUID needs HTTPS, getRandomValues works on a plain-HTTP intranet too. */
export function newId() {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, "0")).join("");
}

// --- HTTP ---------------------------------------------------------------------------------------

const TOKEN_KEY = "rag.token"; // per tab (sessionStorage): a password is not kept after the browser closes

export function token() { return sessionStorage.getItem(TOKEN_KEY) || ""; }
export function setToken(value) { sessionStorage.setItem(TOKEN_KEY, value.trim()); }

export function headers(extra = {}) {
  const h = { ...extra };
  if (token()) h.Authorization = `Bearer ${token()}`;
  return h;
}

export const OFFLINE = "无法连接服务器：请检查网络，或稍候再试（连上后页面会自动恢复）。";

/** An error to show: `message` is Chinese and says what to do; `code` is the API's machine code. */
export class ApiError extends Error {
  constructor(message, code = "", status = 0) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

const BY_STATUS = {
  401: "需要口令：请在“文档”页的“管理口令”框里填写管理员提供的口令。",
  403: "没有权限：请联系管理员。",
  404: "找不到所请求的内容：请刷新页面后重试。",
  413: "内容太大：请减少文件数量或大小后重试。",
  502: "后台服务出错：请稍后重试。",
  503: "服务器正忙：请稍后重试。",
};

/** The Chinese message of a refused request: the API's `detail`, else one by status. */
export async function errorOf(res) {
  let detail = "";
  let code = "";
  try {
    const body = await res.json();
    if (typeof body.detail === "string") detail = body.detail;
    if (typeof body.code === "string") code = body.code;
  } catch (_) { /* not JSON: a proxy's page */ }
  if (!detail) detail = BY_STATUS[res.status] || `请求未能完成（HTTP ${res.status}）：请稍后重试。`;
  return new ApiError(detail, code, res.status);
}

/** Tell the connection watcher (app.js) that the server could not be reached. */
export function reportOffline() { document.dispatchEvent(new CustomEvent("rag:offline")); }

/** fetch that throws an ApiError with a Chinese message: refused (4xx/5xx) or not reachable at all. */
export async function api(url, opts = {}) {
  let res;
  try {
    res = await fetch(url, { ...opts, headers: headers(opts.headers || {}) });
  } catch (_) { // "Failed to fetch": the server is down or the network is gone
    reportOffline();
    throw new ApiError(OFFLINE, "offline", 0);
  }
  if (!res.ok) throw await errorOf(res);
  return res;
}

export async function getJSON(url, opts = {}) { return (await api(url, opts)).json(); }

export function postJSON(url, body) {
  return getJSON(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
}

// --- messages that stay until dismissed ---------------------------------------------------------

/** Show a result next to the action that caused it; it stays until its 关闭 button (or the next result). */
export function notice(container, kind, text) {
  const box = el("div", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status" },
    el("p", { text }),
    el("button", { type: "button", class: "dismiss", "aria-label": "关闭这条消息", onclick: () => box.remove() }, "关闭"));
  container.replaceChildren(box);
  return box;
}

// --- copying and downloading --------------------------------------------------------------------

/** Copy text; navigator.clipboard needs HTTPS, so a plain-HTTP intranet falls back to execCommand. */
export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch (_) { /* permission refused: try the old way */ }
  const area = el("textarea", { class: "sr-only", readonly: true });
  area.value = text;
  document.body.append(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand("copy"); } catch (_) { ok = false; }
  area.remove();
  return ok;
}

/** Run a copy from a button and say on the button whether it worked. */
export async function copyFrom(button, text) {
  const label = button.dataset.label || button.textContent;
  button.dataset.label = label;
  const ok = await copyText(text);
  button.textContent = ok ? "已复制" : "复制失败：请手动选择文字复制";
  setTimeout(() => { button.textContent = label; }, ok ? 2000 : 6000);
  return ok;
}

export function downloadBlob(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

/** A file name without characters Windows refuses. */
export function fileName(text, suffix) {
  const base = String(text || "").replace(/[\\/:*?"<>|\s]+/g, " ").trim().slice(0, 60) || "对话";
  return `${base}${suffix}`;
}
