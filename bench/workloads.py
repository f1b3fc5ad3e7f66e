"""Deterministic benchmark workloads, written as CSV files the CLI reads.

Repetitive logs are built the way real logs are: a fixed set of *template instances* (a phrasing
of `training/generate_dataset.py` with its words chosen: user names, services, paths, hosts)
whose variable parts (ids, numbers, IPs, UUIDs, timestamps, sizes) change on every row. So rows
are almost all distinct as text, while masking folds them into at most `instances` templates.
"""

from __future__ import annotations

import csv
import random
import re
from bisect import bisect_left
from collections.abc import Iterator
from pathlib import Path

from training.generate_dataset import LLM_SOURCE, MODERN_SOURCES, SLOTS, TEMPLATES

ROOT = Path(__file__).resolve().parent.parent

# Slots whose values the masking table turns into placeholders: they vary per row.
VARIABLE_SLOTS = {
    "uid",
    "ip",
    "n",
    "big",
    "id",
    "ver",
    "ms",
    "sec",
    "bytes",
    "pct",
    "lowpct",
    "mb",
    "gb",
    "cpu",
    "used",
    "uuid",
    "hex",
    "req",
    "ts",
    "status",
}
SLOT = re.compile(r"\{(\w+)\}")
POOL_SIZE = 4096  # pre-drawn values per variable slot; a row combines several, so rows rarely repeat
POOL_BUDGET = 1_000_000  # pre-drawn values over all pools of the varied workload (a big corpus gets smaller pools)


class TemplateInstance:
    """A phrasing with its fixed words filled in; `render` fills the variable slots per row."""

    def __init__(self, source: str, label: str, complexity: str, phrasing: str, rng: random.Random):
        self.source, self.label, self.complexity = source, label, complexity
        literals, slots, current, pos = [], [], "", 0
        text = phrasing.replace("{{", "\x00").replace("}}", "\x01")
        for m in SLOT.finditer(text):
            current += text[pos : m.start()]
            if m.group(1) in VARIABLE_SLOTS:
                literals.append(current)
                slots.append(m.group(1))
                current = ""
            else:
                current += SLOTS[m.group(1)](rng)
            pos = m.end()
        literals.append(current + text[pos:])
        self.literals = [_unescape(p) for p in literals]
        self.slots = slots

    def render(self, pools: dict[str, list[str]], rng: random.Random) -> str:
        literals, slots = self.literals, self.slots
        out = [literals[0]]
        for k, slot in enumerate(slots):
            out.append(pools[slot][rng.randrange(POOL_SIZE)])
            out.append(literals[k + 1])
        return "".join(out)


def _unescape(text: str) -> str:
    return text.replace("\x00", "{").replace("\x01", "}")


def instances(count: int, seed: int, llm_share: float = 0.0) -> list[TemplateInstance]:
    """`count` template instances; a share `llm_share` of them from the LLM-routed source."""
    rng = random.Random(seed)
    ml_keys = [k for k in TEMPLATES if k[1] != "llm"]
    llm_keys = [k for k in TEMPLATES if k[1] == "llm"]
    out = []
    n_llm = round(count * llm_share)
    for i in range(count):
        label, complexity = rng.choice(llm_keys if i < n_llm else ml_keys)
        source = LLM_SOURCE if complexity == "llm" else rng.choice(MODERN_SOURCES)
        out.append(TemplateInstance(source, label, complexity, rng.choice(TEMPLATES[(label, complexity)]), rng))
    return out


def pools(seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    return {slot: [SLOTS[slot](rng) for _ in range(POOL_SIZE)] for slot in sorted(VARIABLE_SLOTS)}


def rows(n: int, templates: int, seed: int, llm_row_share: float = 0.0) -> Iterator[tuple[str, str, str]]:
    """(source, log_message, gold label) rows; LLM-source instances get `llm_row_share` of rows.

    Instance popularity is skewed (Zipf-like), as in real logs where a few templates dominate.
    """
    rng = random.Random(seed)
    value_pools = pools(seed + 1)
    if llm_row_share:
        llm = instances(max(1, templates // 20), seed + 2, llm_share=1.0)
        ml = instances(templates - len(llm), seed + 3)
    else:
        llm, ml = [], instances(templates, seed + 3)
    ml_weights = [1.0 / (k + 1) ** 0.8 for k in range(len(ml))]
    cum = _cumulative(ml_weights)
    for _ in range(n):
        inst = llm[rng.randrange(len(llm))] if llm and rng.random() < llm_row_share else ml[bisect_left(cum, rng.random())]
        yield inst.source, inst.render(value_pools, rng), inst.label


def _cumulative(weights: list[float]) -> list[float]:
    total, acc, out = sum(weights), 0.0, []
    for w in weights:
        acc += w / total
        out.append(acc)
    out[-1] = 1.0
    return out


def write_csv(path: Path, n: int, templates: int, seed: int, llm_row_share: float = 0.0) -> Path:
    """Write the workload once; later runs reuse the file (same arguments -> same bytes)."""
    return _write_once(path, rows(n, templates, seed, llm_row_share))


def _write_once(path: Path, labelled_rows: Iterator[tuple[str, str, str]]) -> Path:
    """`source, log_message` rows to `path` unless it exists (written to .part, then renamed)."""
    path = Path(path)
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["source", "log_message"])
        writer.writerows((s, m) for s, m, _ in labelled_rows)
    tmp.replace(path)
    return path


# ----------------------------------------------------------------------------- varied workload
# Real-world lines (a labelled corpus) with every variable part re-randomised per row, keeping its
# shape: a timestamp stays a valid timestamp in the same format (URL-encoded ones too), an IP an IP,
# a block id a block id of the same length, a hex run hex of the same length and case, and any other
# digit run the same number of digits (a leading zero stays, so part-00169 stays zero-padded).

DEFAULT_CORPUS = ROOT / "training" / "dataset" / "corpus.csv"
SAMPLE_CORPUS = ROOT / "bench" / "sample_corpus.csv"  # real-world formats, used until the corpus exists
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MON = "|".join(MONTHS)
# Each alternative is one kind of variable; `_render_piece` knows how to redraw each.
VARIABLE = re.compile(
    r"(?P<keep>HTTP/\d(?:\.\d)?|x86_64|(?<![\w.])v\d{1,2}(?:\.\d)?(?![\w.])|(?:ORA|TNS)-\d{5}|HRESULT = 0x[0-9A-Fa-f]{8}|ERROR \d{4}"
    r"|(?i:errno[ =:]+|exit code |exit status |with code |signal |event id )\d+|[Ss][Hh][Aa](?:1|256|512)|ssh2|[Ee][Xx][Tt]4|[Uu][Tt][Ff]-8|IPv[46]|Mozilla/5\.0|pg_wal)"
    r"|(?P<uuid>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}(?:(?:[T ]|%20)\d{2}(?::|%3A)\d{2}(?:(?::|%3A)\d{2}(?:[.,]\d+)?)?)?)"
    rf"|(?P<clf>\d{{2}}/(?:{_MON})/\d{{4}}:\d{{2}}:\d{{2}}:\d{{2}})"
    rf"|(?P<syslog>\b(?:{_MON}) [ \d]\d \d{{2}}:\d{{2}}:\d{{2}})"
    r"|(?P<ip>(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?![\w.]))"
    r"|(?P<hex>(?<![0-9A-Za-z])(?=[0-9a-fA-F]*[a-fA-F])(?=[0-9a-fA-F]*\d)[0-9a-fA-F]{6,}(?![0-9A-Za-z]))"
    r"|(?P<digits>\d+)"
)
HEX_LOWER, HEX_UPPER = "0123456789abcdef", "0123456789ABCDEF"


def _draw(kind: str, text: str, rng: random.Random) -> str:
    """A fresh value of the same kind and shape as `text`."""
    if kind == "uuid" or kind == "hex":
        alphabet = HEX_UPPER if any(c in "ABCDEF" for c in text) else HEX_LOWER
        while True:  # a hex run keeps both a digit and a letter, or it would read as a number or a word
            drawn = "".join(rng.choice(alphabet) if c != "-" else c for c in text)
            if kind == "uuid" or (any(c.isdigit() for c in drawn) and not drawn.isdigit()):
                return drawn
    if kind == "ip":
        return ".".join(str(rng.randrange(1, 255)) for _ in range(4))
    if kind in ("iso", "clf", "syslog"):
        fields = [
            2000 + rng.randrange(30),
            rng.randrange(1, 13),
            rng.randrange(1, 29),
            rng.randrange(24),
            rng.randrange(60),
            rng.randrange(60),
        ]
        if kind != "iso":  # day, year, h, m, s (clf) / day, h, m, s (syslog); the month is a name
            fields = [fields[2], fields[0], *fields[3:]] if kind == "clf" else [fields[2], *fields[3:]]
            text = re.sub(_MON, MONTHS[rng.randrange(12)], text, count=1)
        values = iter(fields)

        def field(m: re.Match) -> str:
            value = next(values, None)
            width = len(m.group())
            if value is None:  # fractions of a second
                return "".join(rng.choice("0123456789") for _ in range(width))
            return str(value).rjust(width, "0" if m.group()[0] == "0" or width == 2 else " ")[-width:]

        encoded = re.sub(r"%3A|%20", lambda m: "\x00" if m.group() == "%3A" else "\x01", text)  # encoded ':' / ' '
        return re.sub(r"\d+", field, encoded).replace("\x00", "%3A").replace("\x01", "%20")
    # a digit run: same length; a leading zero stays a zero, a single digit may become any digit, and
    # a run of two or three keeps its first digit (an HTTP status keeps its class, a small count stays small)
    if len(text) == 1:
        return rng.choice("0123456789")
    first = text[0] if text[0] == "0" or len(text) <= 3 else rng.choice("123456789")
    return first + "".join(rng.choice("0123456789") for _ in range(len(text) - 1))


class VariedLine:
    """A corpus line split into fixed text and variable pieces; `render` redraws the pieces per row."""

    def __init__(self, source: str, message: str, label: str):
        self.source, self.label = source, label
        self.literals: list[str] = []
        self.pieces: list[tuple[str, str]] = []  # (kind, original text)
        pos, current = 0, ""
        for m in VARIABLE.finditer(message):
            current += message[pos : m.start()]
            pos = m.end()
            if m.lastgroup == "keep":
                current += m.group()
                continue
            self.literals.append(current)
            self.pieces.append((m.lastgroup or "digits", m.group()))
            current = ""
        self.literals.append(current + message[pos:])

    def render(self, pools: dict[tuple[str, str], list[str]], rng: random.Random) -> str:
        out = [self.literals[0]]
        for piece, literal in zip(self.pieces, self.literals[1:], strict=True):
            pool = pools[piece]
            out.append(pool[rng.randrange(len(pool))])
            out.append(literal)
        return "".join(out)


def corpus_path(path: Path | None = None) -> Path:
    """The corpus to draw from: `path` if given (it must exist), else the training corpus, else the sample."""
    if path is not None:
        if not Path(path).is_file():
            raise FileNotFoundError(f"{path}: corpus file not found (a labelled CSV with source, log_message, target_label)")
        return Path(path)
    return DEFAULT_CORPUS if DEFAULT_CORPUS.is_file() else SAMPLE_CORPUS


def load_corpus(path: Path) -> list[VariedLine]:
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = {"source", "log_message", "target_label"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        lines = [VariedLine(r["source"], r["log_message"], r["target_label"]) for r in reader if r["log_message"].strip()]
    if not lines:
        raise ValueError(f"{path}: no log lines")
    return lines


def varied_rows(n: int, seed: int, corpus: Path | None = None) -> Iterator[tuple[str, str, str]]:
    """(source, log_message, gold label) rows drawn from the corpus lines (Zipf-like popularity, as
    in real logs), each row with fresh variable parts: almost every row is distinct as text."""
    rng = random.Random(seed)
    lines = load_corpus(corpus_path(corpus))
    rng.shuffle(lines)  # popularity does not follow the file's order
    pools: dict[tuple[str, str], list[str]] = {}
    pool_rng = random.Random(seed + 1)
    distinct = {piece for line in lines for piece in line.pieces}
    # pre-drawn values in all pools stay near 1M strings: a 24k-line corpus has ~100k distinct pieces
    per_piece = max(16, min(POOL_SIZE, POOL_BUDGET // max(1, len(distinct))))
    for line in lines:
        for piece in line.pieces:
            if piece not in pools:
                size = per_piece if len(piece[1]) > 1 else 10  # a single digit has only ten values
                pools[piece] = [_draw(piece[0], piece[1], pool_rng) for _ in range(size)]
    cum = _cumulative([1.0 / (k + 1) ** 0.8 for k in range(len(lines))])
    for _ in range(n):
        line = lines[bisect_left(cum, rng.random())]
        yield line.source, line.render(pools, rng), line.label


def write_varied_csv(path: Path, n: int, seed: int, corpus: Path | None = None) -> Path:
    """Write the varied workload once (same corpus, n and seed -> same bytes); later runs reuse it."""
    return _write_once(path, varied_rows(n, seed, corpus))
