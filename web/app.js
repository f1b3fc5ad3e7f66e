// The web page: preview a CSV, upload it with progress, show labels, charts and downloads.
// No libraries: the CSV parser and the charts are small and written for this page.
"use strict";

const REQUIRED = ["source", "log_message"];
const DELIMITERS = [",", ";", "\t", "|"];
const PREVIEW_BYTES = 256 * 1024;
const PREVIEW_ROWS = 5;
const TABLE_ROWS = 500;
// Light backgrounds that keep dark text readable (contrast > 7:1 with #111).
const LABEL_COLOURS = {
  "HTTP Status": "#cfe3ff", "Critical Error": "#ffc9c9", "Error": "#ffd8a8", "Security Alert": "#f3c4ff",
  "System Notification": "#c9f0d6", "Resource Usage": "#fff0a3", "User Action": "#c5f0f0",
  "Workflow Error": "#ffd1e6", "Deprecation Warning": "#e2d9c8", "Unclassified": "#e3e6ea",
};
const EXTRA_COLOURS = ["#d8e2dc", "#ece4db", "#dfe7fd", "#fde2e4"];
const TIER_NAMES = { override: "correction", regex: "regex rules", bert: "embeddings + model", llm: "LLM", none: "none (Unclassified)" };
const RECHECK_ROWS = 50000;  // rows re-classified after a correction (in requests of RECHECK_BATCH)
const RECHECK_BATCH = 5000;
const PATTERNS_DEFAULT_ROWS = 300;  // bigger results open on the Patterns view
const PATTERN_ROWS = 500;  // patterns drawn at once (after the filters)

const $ = (id) => document.getElementById(id);
let chosen = null;      // the File to upload
let blobUrls = [];      // revoked when a new file is chosen
let serverPatterns = true;  // the server builds patterns tables (PATTERNS_MAX > 0; from /health)
let chosenPreview = null;  // the file whose preview is being built (a slow answer for an older one is dropped)

// ---------------------------------------------------------------- CSV parsing (RFC 4180 + the server's rules)

/** Parse CSV text into rows of cells: quoted fields may hold the delimiter, newlines and "" escapes. */
function parseCsv(text, delimiter, spaceBeforeQuote) {
  const rows = [];
  let row = [], cell = "", i = 0, quoted = false, atStart = true;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { cell += '"'; i += 2; continue; }
        quoted = false; i++; continue;
      }
      cell += c; i++; continue;
    }
    if (atStart && spaceBeforeQuote && c === " ") {
      let j = i; while (text[j] === " ") j++;
      if (text[j] === '"') { i = j; continue; }
    }
    if (c === '"' && atStart) { quoted = true; atStart = false; i++; continue; }
    if (c === delimiter) { row.push(cell); cell = ""; atStart = true; i++; continue; }
    if (c === "\r" || c === "\n") {
      row.push(cell); cell = ""; atStart = true;
      if (!(row.length === 1 && row[0] === "")) rows.push(row);  // blank lines are not records
      row = [];
      i += (c === "\r" && text[i + 1] === "\n") ? 2 : 1;
      continue;
    }
    cell += c; atStart = false; i++;
  }
  if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

/** Like the server: the delimiter that splits the header into source and log_message. */
function detectLayout(text) {
  const firstLine = text.replace(/^[\r\n]+/, "").split(/\r?\n/, 1)[0] || "";
  let best = null;
  for (const d of DELIMITERS) {
    const spaced = new RegExp((d === "|" ? "\\|" : d) + ' +"').test(text.slice(0, 65536));
    const header = parseCsv(firstLine, d, spaced)[0] || [];
    const names = header.map((h) => h.trim().toLowerCase());
    const score = REQUIRED.filter((r) => names.includes(r)).length;
    if (!best || score > best.score) best = { score, delimiter: d, spaced, header, names };
    if (score === REQUIRED.length) return best;
  }
  return best;
}

function parseWithLayout(text) {
  text = text.replace(/^\uFEFF/, "");
  const layout = detectLayout(text);
  return { layout, rows: parseCsv(text, layout.delimiter, layout.spaced) };
}

// ---------------------------------------------------------------- small DOM helpers

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v; else node.setAttribute(k, v);
  }
  for (const child of children) node.append(child);
  return node;
}

function svgEl(tag, attrs = {}) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function setMessage(node, text, kind) {
  node.textContent = text;
  node.className = "message" + (kind ? " " + kind : "");
}

function colourOf(label) {
  if (LABEL_COLOURS[label]) return LABEL_COLOURS[label];
  return EXTRA_COLOURS[Math.abs([...label].reduce((h, c) => h * 31 + c.charCodeAt(0), 7)) % EXTRA_COLOURS.length];
}

function badge(label) {
  const span = el("span", { class: "badge" }, label);
  span.style.background = colourOf(label);
  return span;
}

function humanSize(bytes) {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function apiHeaders() {
  const key = $("apikey").value.trim();
  return key ? { "X-API-Key": key } : {};
}

// ---------------------------------------------------------------- health

async function checkHealth() {
  const box = $("health");
  try {
    const r = await fetch("/health", { cache: "no-store" });
    const h = await r.json();
    box.className = "health " + (h.models_loaded ? "ok" : "bad");
    $("health-text").textContent =
      `Server ${h.status} · models ${h.models_loaded ? "loaded" : "not loaded"} · LLM tier ${h.llm_configured ? `on (${h.llm_provider} · ${h.llm_model} · sends ${h.llm_send})` : "off"} · v${h.version}`;
    $("apikey-row").hidden = !h.auth_required;
    serverPatterns = h.patterns_max === undefined || h.patterns_max > 0;
  } catch (e) {
    box.className = "health bad";
    $("health-text").textContent = "Server unreachable";
  }
}

// ---------------------------------------------------------------- choosing and previewing

async function choose(file) {
  chosen = null;
  chosenPreview = file;
  $("results").hidden = true;
  $("progress-box").hidden = true;
  $("preview").hidden = false;
  $("classify").disabled = true;
  $("file-info").textContent = `${file.name} — ${humanSize(file.size)}`;
  const check = $("check");
  const table = $("preview-table");
  table.replaceChildren();
  if (file.size === 0) return setMessage(check, "This file is empty. Choose a CSV with a header row naming source and log_message.", "error");

  const gz = /\.gz$/i.test(file.name);
  const kind = formatOf(file.name);
  let bytes;
  try {
    bytes = gz ? await gunzipHead(file, PREVIEW_BYTES) : await file.slice(0, PREVIEW_BYTES).arrayBuffer();
  } catch (e) {
    return setMessage(check, "This .gz file is not valid gzip data.", "error");
  }
  const cut = gz ? bytes.byteLength >= PREVIEW_BYTES : file.size > PREVIEW_BYTES;  // the preview ends mid-file
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (e) {
    if (!cut) {
      return setMessage(check, "This file is not UTF-8 text. Save it as UTF-8 (or use the API with ?encoding=latin-1).", "error");
    }
    text = new TextDecoder("utf-8").decode(bytes);  // cut inside a character: fine for a preview
  }
  if (kind !== "csv") return previewLines(file, text, kind, cut);
  const { layout, rows } = parseWithLayout(text);
  if (file.size > PREVIEW_BYTES && rows.length > 1) rows.pop();  // the last record may be cut off
  if (layout.score < REQUIRED.length) {
    const missing = REQUIRED.filter((r) => !layout.names.includes(r));
    const found = layout.header.length ? layout.header.map((h) => `"${h}"`).join(", ") : "nothing";
    return setMessage(check, `Missing column${missing.length > 1 ? "s" : ""} ${missing.join(" and ")}. The header has: ${found}. ` +
      "Rename the columns and choose the file again.", "error");
  }
  const body = rows.slice(1, 1 + PREVIEW_ROWS);
  table.append(el("thead", {}, el("tr", {}, ...layout.header.map((h) => el("th", { scope: "col" }, h)))));
  table.append(el("tbody", {}, ...body.map((r) => el("tr", {}, ...layout.header.map((_, i) => el("td", {}, r[i] ?? ""))))));
  const delimName = { ",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe" }[layout.delimiter];
  const more = file.size > PREVIEW_BYTES ? "the first rows" : `${rows.length - 1} row${rows.length === 2 ? "" : "s"}`;
  setMessage(check, `Looks right: ${delimName}-separated, columns source and log_message found; showing ${Math.min(PREVIEW_ROWS, body.length)} of ${more}.`, "ok");
  chosen = file;
  $("classify").disabled = false;
}

// The server reads files by name as the CLI does: .csv/.tsv, .jsonl/.ndjson, anything else plain log lines (.gz decompressed).
function formatOf(name) {
  const ext = name.replace(/\.gz$/i, "").split(".").pop().toLowerCase();
  return { csv: "csv", tsv: "csv", jsonl: "jsonl", ndjson: "jsonl" }[ext] || "lines";
}

// The first `limit` decompressed bytes of a gzip file, read through the browser's DecompressionStream.
async function gunzipHead(file, limit) {
  const reader = file.stream().pipeThrough(new DecompressionStream("gzip")).getReader();
  const parts = [];
  let size = 0;
  while (size < limit) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    size += value.length;
  }
  reader.cancel().catch(() => {});
  const out = new Uint8Array(Math.min(size, limit));
  let at = 0;
  for (const p of parts) { const n = Math.min(p.length, out.length - at); out.set(p.subarray(0, n), at); at += n; }
  return out.buffer;
}

async function previewLines(file, text, kind, cut) {
  const check = $("check"), table = $("preview-table");
  const lines = text.split(/\r?\n/).filter((l) => l.trim());
  if (cut && lines.length > 1) lines.pop();  // the last line may be cut off
  if (!lines.length) return setMessage(check, "This file has no log lines.", "error");
  const shown = lines.slice(0, PREVIEW_ROWS);
  const gz = /\.gz$/i.test(file.name) ? ", gzip" : "";
  if (kind === "jsonl") {
    const bad = shown.findIndex((l) => { try { const o = JSON.parse(l); return !o || typeof o !== "object" || Array.isArray(o); } catch (e) { return true; } });
    if (bad >= 0) return setMessage(check, `Line ${bad + 1} is not a JSON object. Each line of a .jsonl file must be one.`, "error");
    table.append(el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "JSON object"))));
    table.append(el("tbody", {}, ...shown.map((l) => el("tr", {}, el("td", {}, l)))));
    setMessage(check, `Looks right: JSON Lines${gz}; showing ${shown.length} line${shown.length === 1 ? "" : "s"}.`, "ok");
  } else {
    const found = await detectHeaders(lines.slice(0, 1000).join("\n"));
    if (chosenPreview !== file) return;  // another file was chosen meanwhile
    if (found) showParsed(found, gz);
    else {  // the server could not be asked (e.g. an API key is needed): the raw lines
      table.append(el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "log line"))));
      table.append(el("tbody", {}, ...shown.map((l) => el("tr", {}, el("td", {}, l)))));
      setMessage(check, `Plain log lines${gz}; the header format is detected when the file is classified. Showing ${shown.length} line${shown.length === 1 ? "" : "s"}.`, "ok");
    }
  }
  chosen = file;
  $("classify").disabled = false;
}

// What /classify will make of the first lines: the detected header format and the parsed columns.
async function detectHeaders(text) {
  try {
    const r = await fetch("/formats/detect", {
      method: "POST", headers: { "Content-Type": "application/json", ...apiHeaders() }, body: JSON.stringify({ text }), cache: "no-store",
    });
    return r.ok ? await r.json() : null;
  } catch (e) {
    return null;
  }
}

const PARSED_COLUMNS = ["timestamp", "host", "level", "component", "log_message"];

function showParsed(found, gz) {
  const check = $("check"), table = $("preview-table");
  const rows = found.rows.slice(0, PREVIEW_ROWS);
  // the columns the header gave (log_message always): a format without a host shows no empty host column
  const columns = PARSED_COLUMNS.filter((c) => c === "log_message" || rows.some((r) => r[c]));
  table.append(el("thead", {}, el("tr", {}, ...columns.map((c) => el("th", { scope: "col" }, c)))));
  table.append(el("tbody", {}, ...rows.map((r) => el("tr", {}, ...columns.map((c) => el("td", {}, r[c]))))));
  const share = `${(found.parsed * 100).toFixed(found.parsed === 1 ? 0 : 1)}%`;
  const first = `the first ${found.lines.toLocaleString()} line${found.lines === 1 ? "" : "s"}`;
  if (found.format === "none") {
    setMessage(check, `Plain log lines${gz}; no known header format found in ${first}, so each whole line is the message. ` +
      "See docs/formats.md for the formats, or pass log_format to the API.", "ok");
  } else {
    setMessage(check, `Looks right: plain log lines${gz}, header format ${found.format} (parsed ${share} of ${first}); ` +
      `showing ${rows.length} parsed line${rows.length === 1 ? "" : "s"}.`, "ok");
  }
}

// ---------------------------------------------------------------- upload and results

function upload(file, explain, onProgress, patterns = false) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const query = [explain && "explain=true", patterns && "patterns=true"].filter(Boolean).join("&");
    xhr.open("POST", `/classify${query ? "?" + query : ""}`);
    xhr.responseType = "arraybuffer";
    for (const [k, v] of Object.entries(apiHeaders())) xhr.setRequestHeader(k, v);
    if (onProgress) {
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress("upload", e.loaded / e.total);
      xhr.upload.onload = () => onProgress("classifying", 1);
    }
    xhr.onload = () => {
      if (xhr.status === 200) {
        return resolve({
          bytes: xhr.response, disposition: xhr.getResponseHeader("Content-Disposition"), type: xhr.getResponseHeader("Content-Type") || "",
          patternsUrl: xhr.getResponseHeader("X-Patterns"),
        });
      }
      let detail = `The server answered ${xhr.status}.`;
      try { detail = JSON.parse(new TextDecoder().decode(xhr.response)).detail || detail; } catch (e) { /* not JSON */ }
      reject(new Error(detail));
    };
    xhr.onerror = () => reject(new Error("The server could not be reached. Is it running?"));
    const form = new FormData();
    form.append("file", file, file.name);
    xhr.send(form);
  });
}

function filenameFrom(disposition, fallback) {
  const m = /filename="([^"]+)"/.exec(disposition || "");
  return m ? m[1] : fallback;
}

function blobLink(anchor, bytes, name, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  blobUrls.push(url);
  anchor.href = url;
  anchor.download = name;
  anchor.removeAttribute("aria-disabled");
}

async function classify() {
  const file = chosen;
  if (!file) return;
  blobUrls.forEach((u) => URL.revokeObjectURL(u));
  blobUrls = [];
  $("classify").disabled = true;
  $("results").hidden = true;
  $("progress-box").hidden = false;
  const bar = $("progress"), label = $("progress-label"), status = $("status");
  bar.value = 0;
  setMessage(status, "");
  label.textContent = "Uploading…";
  const started = performance.now();
  try {
    const explained = await upload(file, true, (phase, fraction) => {
      if (phase === "upload") { bar.value = Math.round(fraction * 100); return; }
      label.textContent = "Classifying…";
      bar.removeAttribute("value");  // indeterminate while the server works
    }, serverPatterns);
    const seconds = (performance.now() - started) / 1000;
    bar.value = 100;
    label.textContent = "Done";
    const text = new TextDecoder().decode(explained.bytes);
    const jsonl = explained.type.startsWith("application/x-ndjson");  // JSON Lines in, JSON Lines out
    const rows = showResults(jsonl ? jsonlTable(text, file.name) : parseWithLayout(text), seconds, file);
    await loadPatterns(explained.patternsUrl);
    setMessage(status, `Classified ${rows.toLocaleString()} rows in ${seconds.toFixed(1)} s.`, "ok");
    const plainName = filenameFrom(explained.disposition, `logs_classified.${jsonl ? "jsonl" : "csv"}`);
    blobLink($("download-explain"), explained.bytes, plainName.replace(/_classified\.(csv|jsonl)$/, "_classified_explained.$1"), explained.type);
    const link = $("download");
    link.setAttribute("aria-disabled", "true");
    link.textContent = "Preparing the download…";
    // The plain CSV (exactly what curl gets) is a second request; the server remembers templates, so it is quick.
    const plain = await upload(file, false, null);
    blobLink(link, plain.bytes, filenameFrom(plain.disposition, plainName), plain.type);
    link.textContent = `Download ${link.download}`;
  } catch (e) {
    label.textContent = "Failed";
    bar.value = 0;
    setMessage(status, e.message, "error");
    const link = $("download");
    if (link.getAttribute("aria-disabled")) link.textContent = "Download unavailable";
  } finally {
    $("classify").disabled = false;
  }
}

let resultRows = [], resultHeader = [], resultFile = null, resultSeconds = 0;
let patternTable = null;  // the server's patterns table of the results: {rows, patterns, other_rows, other_patterns}
let labelNames = [];  // the taxonomy, from GET /labels (the choices of a correction)
let drawCharts = () => {};  // redrawn on resize so the text keeps its size

function columns() {
  const header = resultHeader.map((h) => h.trim().toLowerCase());
  const col = (name) => header.lastIndexOf(name);
  return { si: col("source"), mi: col("log_message"), li: col("target_label"), ti: col("classified_by"), ci: col("confidence") };
}

// Where the server finds a JSON object's message and source (logclf/formats.py: MESSAGE_FIELDS, SOURCE_FIELDS).
const MESSAGE_FIELDS = ["log_message", "message", "msg", "log", "MESSAGE"];
const SOURCE_FIELDS = ["source", "service", "app", "logger", "SYSLOG_IDENTIFIER"];

/** JSON Lines results as the table the page shows: the source and message the server classified, and the added fields. */
function jsonlTable(text, fileName) {
  const stem = fileName.replace(/\.gz$/i, "").replace(/\.[^.]*$/, "") || "stdin";
  const pick = (o, names, fallback) => {
    const name = names.find((k) => o[k] !== undefined && o[k] !== null);
    if (name === undefined) return fallback;
    return typeof o[name] === "string" ? o[name] : pythonJson(o[name]);
  };
  const header = ["source", "log_message", "target_label", "classified_by", "confidence", "reason"];
  const rows = text.split("\n").filter((l) => l.trim()).map((line) => {
    const o = JSON.parse(line);
    const confidence = o.confidence === null || o.confidence === undefined ? "" : o.confidence.toFixed(4);
    return [pick(o, SOURCE_FIELDS, stem), pick(o, MESSAGE_FIELDS, ""), o.target_label, o.classified_by ?? "", confidence, o.reason ?? ""];
  });
  return { layout: { header }, rows: [header, ...rows] };
}

/** A non-string field as the server turned it into text (Python's json.dumps: ", " and ": " separators),
 *  so a correction made here names the message the server classified. */
function pythonJson(v) {
  if (Array.isArray(v)) return `[${v.map(pythonJson).join(", ")}]`;
  if (v && typeof v === "object") return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${pythonJson(x)}`).join(", ")}}`;
  return JSON.stringify(v);
}

function showResults({ layout, rows }, seconds, file) {
  resultHeader = layout.header;
  resultRows = rows.slice(1);
  resultFile = file;
  resultSeconds = seconds;
  patternTable = null;
  summarise();
  loadLabels().then(() => { renderTable($("label-filter").value); renderPatterns(); });  // the selects, whichever answer came first
  refreshCorrections();
  return resultRows.length;
}

/** Charts, summary and filter from the rows as they are now (again after every correction). */
function summarise() {
  const { li, ti } = columns();
  const byLabel = new Map(), byTier = new Map();
  for (const r of resultRows) {
    byLabel.set(r[li], (byLabel.get(r[li]) || 0) + 1);
    byTier.set(r[ti], (byTier.get(r[ti]) || 0) + 1);
  }
  $("results").hidden = false;  // visible first: the charts measure their width
  $("summary").textContent = `${resultFile.name}: ${resultRows.length.toLocaleString()} rows, ${byLabel.size} labels, ${resultSeconds.toFixed(1)} s (upload included).`;
  drawCharts = () => {
    barChart($("chart-labels"), [...byLabel].sort((a, b) => b[1] - a[1]), (k) => colourOf(k), (k) => k);
    barChart($("chart-tiers"), [...byTier].sort((a, b) => b[1] - a[1]), () => "#9cc3ea", (k) => TIER_NAMES[k] || k);
  };
  drawCharts();
  const filter = $("label-filter");
  const current = filter.value;
  filter.replaceChildren(el("option", { value: "" }, `All labels (${resultRows.length.toLocaleString()})`),
    ...[...byLabel].sort((a, b) => b[1] - a[1]).map(([k, n]) => el("option", { value: k }, `${k} (${n.toLocaleString()})`)));
  filter.value = byLabel.has(current) ? current : "";
  filter.onchange = () => renderTable(filter.value);
  renderTable(filter.value);
  renderPatterns();
}

function renderTable(only) {
  const { si, mi, li, ti, ci } = columns();
  const matching = [];
  resultRows.forEach((r, i) => { if (!only || r[li] === only) matching.push(i); });
  const rows = matching.slice(0, TABLE_ROWS).map((i) => [i, resultRows[i]]);
  const table = $("result-table");
  table.replaceChildren(
    el("thead", {}, el("tr", {}, ...["#", "source", "log_message", "label", "tier", "confidence"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows.map(([i, r]) => {
      const tr = el("tr", { "data-label": r[li], "data-tier": r[ti] ?? "" },
        el("td", { class: "num" }, String(i + 1)),
        el("td", {}, r[si] ?? ""), el("td", { class: "msg" }, r[mi] ?? ""),
        el("td", {}, labelCell(i, r[li])), el("td", {}, TIER_NAMES[r[ti]] || r[ti] || ""), el("td", { class: "num" }, r[ci] ?? ""));
      return tr;
    })),
  );
  $("shown").textContent = matching.length > rows.length
    ? `Showing the first ${rows.length.toLocaleString()} of ${matching.length.toLocaleString()} rows; download the CSV for all of them.`
    : `${matching.length.toLocaleString()} row${matching.length === 1 ? "" : "s"}.`;
}

/** A select (keyboard accessible) when the taxonomy is known: choosing another label stores a correction. */
function labelCell(i, label) {
  if (!labelNames.length) return badge(label);
  const names = labelNames.includes(label) ? labelNames : [label, ...labelNames];
  const select = el("select", { class: "label-select", "aria-label": `Label of row ${i + 1} (choose another to correct it)` },
    ...names.map((n) => el("option", { value: n }, n)));
  select.value = label;
  select.style.background = colourOf(label);
  select.addEventListener("change", () => correct(i, select.value));
  return select;
}

// ---------------------------------------------------------------- corrections

async function api(method, path, body) {
  const headers = { ...apiHeaders(), ...(body ? { "Content-Type": "application/json" } : {}) };
  const r = await fetch(path, { method, headers, body: body ? JSON.stringify(body) : undefined, cache: "no-store" });
  if (!r.ok) {
    let detail = `The server answered ${r.status}.`;
    try { detail = (await r.json()).detail || detail; } catch (e) { /* not JSON */ }
    throw new Error(typeof detail === "string" ? detail : JSON.stringify(detail));
  }
  return r;
}

async function loadLabels() {
  if (labelNames.length) return;
  try {
    labelNames = (await (await api("GET", "/labels")).json()).labels.map((l) => l.label);
    if (!labelNames.includes("Unclassified")) labelNames.push("Unclassified");
  } catch (e) { labelNames = []; }  // no labels: the table shows plain badges
}

async function correct(i, label) {
  const { si, mi } = columns();
  const status = $("correction-status");
  setMessage(status, "Saving the correction…");
  try {
    const c = await (await api("POST", "/corrections", { source: resultRows[i][si] ?? "", log_message: resultRows[i][mi] ?? "", target_label: label })).json();
    const changed = await recheck([c]);
    setMessage(status, `Saved: lines like “${c.template}” are now ${c.target_label}; ${changed.toLocaleString()} row${changed === 1 ? "" : "s"} updated.`, "ok");
  } catch (e) {
    setMessage(status, e.message, "error");
    renderTable($("label-filter").value);  // put the select back to the row's label
  }
  refreshCorrections();
}

/** Re-classify the rows (labels of the same template change at once); returns how many changed.
 *  The patterns table is rebuilt from the same requests when they cover every row; past RECHECK_ROWS
 *  rows, the corrections `cs` (when given) are applied to it as the server will apply them. */
async function recheck(cs = []) {
  const { si, mi, li, ti, ci } = columns();
  let changed = 0;
  const upto = Math.min(resultRows.length, RECHECK_ROWS);
  const tables = [];
  const query = patternTable && serverPatterns ? "?patterns=true" : "";
  for (let start = 0; start < upto; start += RECHECK_BATCH) {
    const part = resultRows.slice(start, Math.min(upto, start + RECHECK_BATCH));
    const logs = part.map((r) => ({ source: r[si] ?? "", log_message: r[mi] ?? "" }));
    const { results, patterns } = await (await api("POST", `/classify/json${query}`, { logs })).json();
    if (patterns) tables.push(patterns);
    results.forEach((res, k) => {
      const r = part[k];
      if (r[li] !== res.target_label || r[ti] !== res.classified_by) changed++;
      r[li] = res.target_label;
      if (ti >= 0) r[ti] = res.classified_by;
      if (ci >= 0) r[ci] = res.confidence == null ? "" : res.confidence.toFixed(4);
    });
  }
  if (patternTable) {
    if (query && upto === resultRows.length) patternTable = mergePatternTables(tables);
    else if (cs.length) patternTable = correctedLocally(patternTable, cs);
  }
  summarise();
  return changed;
}

async function refreshCorrections() {
  try {
    const { count, corrections } = await (await api("GET", "/corrections")).json();
    $("corrections-count").textContent = `${count} correction${count === 1 ? "" : "s"}`;
    $("corrections-list").replaceChildren(...corrections.map((c) => {
      const undo = el("button", { type: "button", class: "small", "aria-label": `Undo the correction of “${c.template}”` }, "Undo");
      undo.addEventListener("click", () => undoCorrection(c.id));
      return el("li", {}, el("span", { class: "src" }, c.source === "*" ? "any source" : c.source), " ",
        el("code", {}, c.template), " → ", badge(c.target_label), " ", undo);
    }));
    $("corrections-empty").hidden = count > 0;
  } catch (e) {
    $("corrections-count").textContent = "corrections unavailable";
  }
}

async function undoCorrection(id) {
  const status = $("correction-status");
  try {
    await api("DELETE", `/corrections/${id}`);
    const changed = await recheck();  // (past RECHECK_ROWS rows the patterns keep the corrected label until the next upload)
    setMessage(status, `Correction removed; ${changed.toLocaleString()} row${changed === 1 ? "" : "s"} updated.`, "ok");
  } catch (e) {
    setMessage(status, e.message, "error");
  }
  refreshCorrections();
}

async function exportCorrections(format) {
  try {
    const r = await api("GET", `/corrections/export?format=${format}`);
    const url = URL.createObjectURL(await r.blob());
    const a = el("a", { href: url, download: format === "csv" ? "corrections.csv" : "overrides.yaml" });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (e) {
    setMessage($("correction-status"), e.message, "error");
  }
}

// ---------------------------------------------------------------- patterns

async function loadPatterns(url) {
  patternTable = null;
  if (url) {
    try {
      patternTable = await (await api("GET", url)).json();
    } catch (e) {
      setMessage($("correction-status"), `Patterns unavailable: ${e.message}`, "error");
    }
  }
  $("tab-patterns").hidden = !patternTable;
  setView(patternTable && resultRows.length > PATTERNS_DEFAULT_ROWS ? "patterns" : "rows");
  renderPatterns();
}

function setView(name, focus = false) {
  for (const [view, tab] of [["patterns", $("tab-patterns")], ["rows", $("tab-rows")]]) {
    const on = view === name;
    tab.setAttribute("aria-selected", String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`${view}-view`).hidden = !on;
    if (on && focus) tab.focus();
  }
}

// A line is a (template, label, tier); the sources it spans are merged into it (as the server lists them).
const patternKey = (p) => [p.template, p.target_label, p.classified_by].join("\u0000");
const sourcesOf = (p) => (p.sources && p.sources.length ? p.sources : [{ source: p.source, count: p.count, example: p.example }]);
const byName = (a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0);
const byCount = (a, b) => b.count - a.count || a.source.localeCompare(b.source) || a.template.localeCompare(b.template);

/** Several patterns tables (one per /classify/json request) as one: counts added, confidences combined. */
function mergePatternTables(tables) {
  const merged = new Map();
  let rows = 0, otherRows = 0, otherPatterns = 0;
  for (const t of tables) {
    rows += t.rows; otherRows += t.other_rows; otherPatterns += t.other_patterns;
    for (const p of t.patterns) addPattern(merged, { ...p });
  }
  return finished(merged, rows, otherRows, otherPatterns);
}

function addPattern(merged, p) {
  p.sources = sourcesOf(p).map((s) => ({ ...s }));
  const q = merged.get(patternKey(p));
  if (!q) return merged.set(patternKey(p), p);
  const wq = q.confidence_mean == null ? 0 : q.count, wp = p.confidence_mean == null ? 0 : p.count;
  if (wq + wp) q.confidence_mean = ((q.confidence_mean || 0) * wq + (p.confidence_mean || 0) * wp) / (wq + wp);
  if (p.confidence_min != null) q.confidence_min = q.confidence_min == null ? p.confidence_min : Math.min(q.confidence_min, p.confidence_min);
  q.count += p.count;
  for (const s of p.sources) {  // the sources, by name: counts added, the first example kept
    const t = q.sources.find((x) => x.source === s.source);
    if (t) t.count += s.count; else q.sources.push(s);
  }
  q.sources.sort(byName);
  q.source = q.sources.map((x) => x.source).join(";");
  q.example_cut = q.example_cut || p.example_cut;
  return merged;
}

function finished(merged, rows, otherRows, otherPatterns) {
  const patterns = [...merged.values()].sort(byCount);
  for (const p of patterns) p.share = rows ? p.count / rows : 0;
  return { rows, patterns, other_rows: otherRows, other_patterns: otherPatterns };
}

/** The table as the server will see it after corrections `cs`: each source's part of a corrected template takes its label. */
function correctedLocally(table, cs) {
  const merged = new Map();
  for (const p of table.patterns) {
    for (const s of sourcesOf(p)) {  // a line spanning sources splits when only some of them are corrected
      const c = cs.find((c) => p.template === c.template && (c.source === "*" || s.source === c.source));
      const part = { ...p, source: s.source, sources: [s], count: s.count, example: s.example };
      addPattern(merged, c ? { ...part, target_label: c.target_label, classified_by: "override", confidence_min: 1, confidence_mean: 1 } : part);
    }
  }
  return finished(merged, table.rows, table.other_rows, table.other_patterns);
}

function confidenceText(p) {
  if (p.confidence_min == null) return "";
  if (Math.abs(p.confidence_mean - p.confidence_min) < 5e-5) return p.confidence_min.toFixed(4);
  return `${p.confidence_min.toFixed(4)} min · ${p.confidence_mean.toFixed(4)} mean`;
}

function fillChoices(select, entries, allText, name) {
  const current = select.value;
  select.replaceChildren(el("option", { value: "" }, allText),
    ...entries.map(([k, n]) => el("option", { value: k }, `${name(k)} (${n.toLocaleString()} rows)`)));
  select.value = entries.some(([k]) => k === current) ? current : "";
}

function renderPatterns() {
  const table = $("patterns-table");
  if (!patternTable) { table.replaceChildren(); $("patterns-shown").textContent = ""; return; }
  const all = patternTable.patterns;
  const byLabel = new Map(), byTier = new Map();
  for (const p of all) {
    byLabel.set(p.target_label, (byLabel.get(p.target_label) || 0) + p.count);
    byTier.set(p.classified_by, (byTier.get(p.classified_by) || 0) + p.count);
  }
  const sorted = (m) => [...m].sort((a, b) => b[1] - a[1]);
  fillChoices($("pattern-label"), sorted(byLabel), "All labels", (k) => k);
  fillChoices($("pattern-tier"), sorted(byTier), "All tiers", (k) => TIER_NAMES[k] || k);
  const label = $("pattern-label").value, tier = $("pattern-tier").value;
  const needle = $("pattern-search").value.trim().toLowerCase();
  const matching = all.filter((p) => (!label || p.target_label === label) && (!tier || p.classified_by === tier) &&
    (!needle || `${p.source}\n${p.template}\n${p.example}`.toLowerCase().includes(needle)));
  const shown = matching.slice(0, PATTERN_ROWS);
  const filtered = label || tier || needle;
  const other = !filtered && patternTable.other_rows
    ? [el("tr", { class: "other", "data-count": String(patternTable.other_rows) },
      el("td", {}, ""), el("td", { class: "num" }, patternTable.other_rows.toLocaleString()),
      el("td", { class: "num" }, percent(patternTable.other_rows)), el("td", {}, "*"),
      el("td", { colspan: "5" }, `other patterns: ${patternTable.other_patterns.toLocaleString()} smaller patterns folded past PATTERNS_MAX`))]
    : [];
  table.replaceChildren(
    el("thead", {}, el("tr", {}, ...["#", "rows", "share", "source", "template", "label", "tier", "confidence", "example"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...shown.map((p) => el("tr", { "data-label": p.target_label, "data-tier": p.classified_by, "data-count": String(p.count), "data-template": p.template },
      el("td", { class: "num" }, String(all.indexOf(p) + 1)),
      el("td", { class: "num" }, p.count.toLocaleString()),
      el("td", { class: "num" }, percent(p.count)),
      sourceCell(p),
      el("td", { class: "tpl" }, el("code", {}, p.template || "(empty message)")),
      el("td", {}, patternLabelCell(p)),
      el("td", {}, TIER_NAMES[p.classified_by] || p.classified_by),
      el("td", { class: "num" }, confidenceText(p)),
      el("td", { class: "example" }, p.example))), ...other),
  );
  const rows = matching.reduce((n, p) => n + p.count, 0) + (filtered ? 0 : patternTable.other_rows);
  $("patterns-shown").textContent = `${matching.length.toLocaleString()} pattern${matching.length === 1 ? "" : "s"}` +
    (shown.length < matching.length ? ` (the first ${shown.length.toLocaleString()} shown)` : "") +
    ` · ${rows.toLocaleString()} of ${patternTable.rows.toLocaleString()} rows (${percent(rows)})`;
}

/** The source, or the sources a line spans with each one's rows. */
function sourceCell(p) {
  const sources = sourcesOf(p);
  if (sources.length < 2) return el("td", { "data-sources": p.source }, p.source);
  return el("td", { "data-sources": p.source, title: `${sources.length} sources: this template has the same label and tier in each` },
    sources.map((s) => `${s.source} (${s.count.toLocaleString()})`).join(", "));
}

function percent(n) {
  return patternTable && patternTable.rows ? `${((100 * n) / patternTable.rows).toFixed(1)}%` : "";
}

/** The pattern's label as a select: another choice corrects its template, so every row of it follows. */
function patternLabelCell(p) {
  if (!labelNames.length || p.example_cut || !p.example) return badge(p.target_label);
  const names = labelNames.includes(p.target_label) ? labelNames : [p.target_label, ...labelNames];
  const across = sourcesOf(p).length > 1 ? ` in ${sourcesOf(p).length} sources` : "";
  const select = el("select", { class: "label-select", "aria-label": `Label of the pattern “${p.template}” (${p.count} rows${across}; choose another to correct them all)` },
    ...names.map((n) => el("option", { value: n }, n)));
  select.value = p.target_label;
  select.style.background = colourOf(p.target_label);
  select.addEventListener("change", () => relabelPattern(p, select.value));
  return select;
}

/** One correction per source the pattern spans (the corrections API takes one at a time), each from that
 *  source's example; then one re-classification, so every row of those sources' template follows. */
async function relabelPattern(p, label) {
  const status = $("correction-status");
  const sources = sourcesOf(p);
  setMessage(status, sources.length > 1 ? `Saving ${sources.length} corrections (one per source)…` : "Saving the correction…");
  const saved = [];
  try {
    for (const s of sources) {
      saved.push(await (await api("POST", "/corrections", { source: s.source, log_message: s.example || p.example, target_label: label })).json());
    }
    const changed = await recheck(saved);
    const c = saved[0];
    const rule = p.template.startsWith("[rule ")
      ? ` This pattern is a regex rule's: its lines of other shapes keep the rule's label (rules live in resources/regex_rules.yaml).` : "";
    const where = saved.length > 1 ? ` in ${saved.length} sources (${saved.map((x) => x.source).join(", ")})` : "";
    setMessage(status, `Saved: lines like “${c.template}” are now ${c.target_label}${where}; ${changed.toLocaleString()} row${changed === 1 ? "" : "s"} updated.${rule}`, "ok");
  } catch (e) {
    if (saved.length) {  // some sources were corrected before the error: show their rows as they are now
      try { await recheck(saved); } catch (_) { /* the error below is the one to show */ }
    }
    const partly = saved.length ? ` (${saved.length} of ${sources.length} sources corrected: ${saved.map((x) => x.source).join(", ")})` : "";
    setMessage(status, `${e.message}${partly}`, "error");
    renderPatterns();  // put the select back to the pattern's label
  }
  refreshCorrections();
}

/** Horizontal bars with the name on the left and the count on the right; sized to fit its box. */
function barChart(svg, entries, colour, name) {
  // Drawn at the box's own width, so the text keeps its size on a phone.
  const width = Math.max(280, Math.round(svg.getBoundingClientRect().width) || 520);
  const rowH = 26, left = Math.min(170, Math.round(width * 0.45)), right = 60;
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const total = entries.reduce((s, [, n]) => s + n, 0) || 1;
  svg.setAttribute("viewBox", `0 0 ${width} ${Math.max(1, entries.length) * rowH + 4}`);
  svg.replaceChildren();
  entries.forEach(([key, n], i) => {
    const y = i * rowH + 2;
    const w = Math.max(2, ((width - left - right) * n) / max);
    const title = svgEl("title");
    title.textContent = `${name(key)}: ${n} rows (${((100 * n) / total).toFixed(1)}%)`;
    const g = svgEl("g");
    g.append(title);
    const label = svgEl("text", { x: left - 8, y: y + rowH / 2 + 4, "text-anchor": "end" });
    label.textContent = name(key);
    const bar = svgEl("rect", { x: left, y: y + 3, width: w, height: rowH - 8, rx: 3, fill: colour(key), stroke: "#555", "stroke-width": 0.5 });
    const count = svgEl("text", { x: left + w + 6, y: y + rowH / 2 + 4 });
    count.textContent = n.toLocaleString();
    g.append(label, bar, count);
    svg.append(g);
  });
}

// ---------------------------------------------------------------- wiring

function init() {
  const drop = $("drop"), input = $("file");
  drop.addEventListener("click", () => input.click());  // a <button>: Enter and Space click it too
  input.addEventListener("change", () => input.files[0] && choose(input.files[0]));
  for (const type of ["dragenter", "dragover"]) {
    drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.add("over"); });
  }
  for (const type of ["dragleave", "drop"]) drop.addEventListener(type, () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    const file = e.dataTransfer.files[0];
    if (file) choose(file);
  });
  $("classify").addEventListener("click", classify);
  $("corrections-toggle").addEventListener("click", () => {
    const panel = $("corrections-panel");
    panel.hidden = !panel.hidden;
    $("corrections-toggle").setAttribute("aria-expanded", String(!panel.hidden));
    if (!panel.hidden) refreshCorrections();
  });
  $("export-yaml").addEventListener("click", () => exportCorrections("yaml"));
  $("export-csv").addEventListener("click", () => exportCorrections("csv"));
  for (const [id, view] of [["tab-patterns", "patterns"], ["tab-rows", "rows"]]) {
    const tab = $(id);
    tab.addEventListener("click", () => setView(view));
    tab.addEventListener("keydown", (e) => {  // the tab pattern: arrows (and Home/End) move between the two views
      if (!["ArrowLeft", "ArrowRight", "Home", "End"].includes(e.key)) return;
      e.preventDefault();
      const next = view === "patterns" ? "rows" : "patterns";
      setView(e.key === "Home" ? "patterns" : e.key === "End" ? "rows" : next, true);
    });
  }
  for (const id of ["pattern-label", "pattern-tier"]) $(id).addEventListener("change", renderPatterns);
  let searchTimer = 0;
  $("pattern-search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(renderPatterns, 150); });
  let resizeTimer = 0;
  window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(() => drawCharts(), 150); });
  checkHealth();
  setInterval(checkHealth, 15000);
}

document.addEventListener("DOMContentLoaded", init);
