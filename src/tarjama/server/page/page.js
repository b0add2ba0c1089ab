// The newsroom page: a thin client of the /v1 API. Text reaches the page only through
// textContent and text nodes, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { text: "", filename: "translation.en.txt", entries: new Map(), url: null };

async function api(path, options) {
  const response = await fetch(path, options);
  let body = null;
  try { body = await response.json(); } catch (e) { /* not JSON: reported below */ }
  if (!response.ok) {
    const retry = response.headers.get("Retry-After");
    const message = (body && body.error) || `${response.status} ${response.statusText}`;
    throw new Error(retry ? `${message} (retry in ${retry} s)` : message);
  }
  return body;
}

// While a request runs: "Translating…" with the seconds it has taken, the buttons off, and
// the previous result gone (an editor must never copy a stale translation).
let ticker = null;
function busy(on, what) {
  $("translate").disabled = on;
  $("file").disabled = on;
  document.body.setAttribute("aria-busy", on ? "true" : "false");
  clearInterval(ticker);
  const progress = $("progress");
  if (on) {
    $("status").textContent = "";
    clear();
    const started = Date.now();
    const tick = () => {
      const seconds = Math.floor((Date.now() - started) / 1000);
      progress.textContent = `Translating ${what}…` + (seconds ? ` ${seconds} s` : "");
    };
    tick();
    ticker = setInterval(tick, 1000);
    progress.hidden = false;
  } else {
    progress.hidden = true;
    progress.textContent = "";
  }
}

function failed(e) {
  clear();
  $("status").textContent = `Error: ${e.message}`;
}

function clear() {
  state.text = "";
  $("translation").textContent = "";
  $("summary").textContent = "";
  $("copy").disabled = true;
  $("copy-status").textContent = "";
  const link = $("download");
  if (state.url) URL.revokeObjectURL(state.url);
  state.url = null;
  link.removeAttribute("href");
  link.classList.add("disabled");
  link.setAttribute("aria-disabled", "true");
  $("report").tBodies[0].replaceChildren();
  $("report-section").hidden = true;
  $("issues").replaceChildren();
  $("issues-section").hidden = true;
}

async function translateText() {
  const text = $("source").value;
  if (!text.trim()) { clear(); $("status").textContent = "Paste Arabic text first, or choose a file."; return; }
  busy(true, "the text");
  try {
    const body = await api("/v1/translate", {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text }),
    });
    await loadEntries();
loadFormats();
    show(body, "translation.en.txt");
  } catch (e) { failed(e); }
  finally { busy(false); }
}

async function translateFile(file) {
  busy(true, file.name);
  try {
    const form = new FormData();
    form.append("file", file, file.name);
    const body = await api("/v1/translate_file", { method: "POST", body: form });
    // A document (.docx, .odt, .pptx) is not text: the text area shows its paragraphs.
    $("source").value = body.document_base64 ? sourceParagraphs(body.sentences) : await file.text();
    await loadEntries();
loadFormats();
    show(body, englishName(body.filename || file.name));
  } catch (e) { failed(e); }
  finally { busy(false); $("file").value = ""; }
}

function sourceParagraphs(sentences) {
  const paragraphs = [];
  for (const s of sentences) (paragraphs[s.paragraph - 1] ||= []).push(s.source);
  return Array.from(paragraphs, (p) => (p || []).join(" ")).join("\n");
}

function bytes(base64) {
  const raw = atob(base64);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

function englishName(name) {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? `${name.slice(0, dot)}.en${name.slice(dot)}` : `${name}.en`;
}

// -- showing a result ---------------------------------------------------------------------------
function show(body, filename) {
  const english = body.document_base64 ? body.paragraphs.join("\n") : body.translation;
  state.text = english;
  state.filename = filename;
  $("translation").textContent = english;
  $("summary").textContent = body.summary;
  $("copy").disabled = false;
  $("copy-status").textContent = "";
  const link = $("download");
  if (state.url) URL.revokeObjectURL(state.url);
  state.url = URL.createObjectURL(body.document_base64
    ? new Blob([bytes(body.document_base64)], { type: "application/octet-stream" })
    : new Blob([body.translation], { type: "text/plain;charset=utf-8" }));
  link.href = state.url;
  link.download = filename;
  link.classList.remove("disabled");
  link.removeAttribute("aria-disabled");
  report(body.sentences);
  issues(body.sentences);
}

function describe(term) {
  const entry = state.entries.get(term.source);
  const lines = [`${term.source} → ${term.target}`];
  if (entry && entry.variants.length) lines.push(`variants: ${entry.variants.join(" | ")}`);
  if (entry && entry.forbidden.length) lines.push(`forbidden: ${entry.forbidden.join(" | ")}`);
  if (entry && entry.note) lines.push(`note: ${entry.note}`);
  if (entry && entry.file) lines.push(`file: ${entry.file}:${entry.line}`);
  lines.push(`enforced: ${term.method}, ${term.status}`);
  if (term.fixes.length) lines.push(`fixes: ${term.fixes.join("; ")}`);
  return lines.join("\n");
}

// Text with some spans marked: spans are [start, end, term, key], sorted, not overlapping.
function marked(text, spans) {
  const out = document.createDocumentFragment();
  let at = 0;
  for (const [start, end, term, key] of spans) {
    if (start < at) continue;
    out.append(text.slice(at, start));
    const mark = document.createElement("mark");
    mark.className = term.status === "applied" ? "term" : "term unresolved";
    mark.dataset.key = key;
    mark.title = describe(term);
    mark.textContent = text.slice(start, end);
    out.append(mark);
    at = end;
  }
  out.append(text.slice(at));
  return out;
}

// Where each term's target stands in the English: its occurrences, taken in order.
function targetSpans(translation, terms, prefix) {
  const spans = [];
  const from = new Map();
  terms.forEach((term, i) => {
    const start = translation.indexOf(term.target, from.get(term.target) || 0);
    if (start < 0 || term.status !== "applied") return;
    from.set(term.target, start + term.target.length);
    spans.push([start, start + term.target.length, term, `${prefix}-${i}`]);
  });
  return spans.sort((a, b) => a[0] - b[0]);
}

function report(sentences) {
  const tbody = $("report").tBodies[0];
  tbody.replaceChildren();
  sentences.forEach((s, n) => {
    const row = tbody.insertRow();
    row.insertCell().textContent = `${s.paragraph}.${s.sentence}`;
    const ar = row.insertCell();
    ar.lang = "ar"; ar.dir = "rtl"; ar.className = "source";
    const sourceSpans = s.glossary.map((t, i) => [t.start, t.end, t, `${n}-${i}`]).sort((a, b) => a[0] - b[0]);
    ar.append(marked(s.source, sourceSpans));
    const en = row.insertCell();
    en.lang = "en"; en.dir = "ltr"; en.className = "target";
    en.append(marked(s.translation, targetSpans(s.translation, s.glossary, n)));
  });
  $("report-section").hidden = sentences.length === 0;
}

function issues(sentences) {
  const list = $("issues");
  list.replaceChildren();
  for (const s of sentences) {
    for (const t of s.glossary) {
      if (t.status !== "applied") add(list, `paragraph ${s.paragraph}: ${t.text} → ${t.target} is unresolved`);
    }
    for (const w of s.warnings) add(list, `paragraph ${s.paragraph}: ${w}`);
  }
  $("issues-section").hidden = list.children.length === 0;
}

function add(list, text) {
  const li = document.createElement("li");
  li.textContent = text;
  list.append(li);
}

// Hovering a term lights it up in both languages.
$("report").addEventListener("mouseover", (e) => light(e.target, true));
$("report").addEventListener("mouseout", (e) => light(e.target, false));
function light(node, on) {
  if (!(node instanceof HTMLElement) || !node.dataset.key) return;
  for (const m of document.querySelectorAll(`mark[data-key="${node.dataset.key}"]`)) m.classList.toggle("hot", on);
}

// -- copy -------------------------------------------------------------------------------------
async function copy() {
  let ok = false;
  try { await navigator.clipboard.writeText(state.text); ok = true; } catch (e) { ok = copyBySelection(state.text); }
  $("copy-status").textContent = ok ? "Copied" : "Select the English and copy it by hand";
}

function copyBySelection(text) {
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed"; area.style.opacity = "0";
  document.body.append(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
  area.remove();
  return ok;
}

// -- glossary -----------------------------------------------------------------------------------
async function loadEntries() {
  try {
    const body = await api("/v1/glossary");
    state.entries = new Map(body.entries.map((e) => [e.source, e]));
  } catch (e) { /* hover texts then lack the file and note; translation still works */ }
}

let searchTimer = null;
async function search() {
  const query = $("glossary-search").value.trim();
  const list = $("glossary-results");
  if (!query) { list.hidden = true; list.replaceChildren(); return; }
  try {
    const body = await api(`/v1/glossary?search=${encodeURIComponent(query)}`);
    list.replaceChildren();
    for (const e of body.entries) {
      const li = document.createElement("li");
      const ar = document.createElement("span");
      ar.lang = "ar"; ar.dir = "rtl"; ar.textContent = e.source;
      li.append(ar, ` → ${e.target}`);
      if (e.forbidden.length) li.append(` (not: ${e.forbidden.join(", ")})`);
      list.append(li);
    }
    if (!body.entries.length) add(list, "no entry");
    list.hidden = false;
  } catch (e) { $("status").textContent = `Error: ${e.message}`; }
}

// The file picker takes every format the server reads.
async function loadFormats() {
  try {
    const body = await api("/frontend/settings");
    $("file").accept = body.supportedFilesFormat.join(",");
  } catch (e) { /* the picker then takes any file; the server names a format it cannot read */ }
}

// -- wiring ---------------------------------------------------------------------------------------
$("translate").addEventListener("click", translateText);
$("copy").addEventListener("click", copy);
$("file").addEventListener("change", () => { if ($("file").files.length) translateFile($("file").files[0]); });
$("glossary-search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(search, 150); });
$("source").addEventListener("keydown", (e) => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) translateText(); });
const drop = $("drop");
drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  if (e.dataTransfer.files.length) translateFile(e.dataTransfer.files[0]);
});
loadEntries();
loadFormats();
