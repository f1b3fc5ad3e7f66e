"""Propose regex rules for the logs the regex tier does not catch yet.

    logclf discover LABELED.csv                      # print proposals
    logclf discover LABELED.csv --rules my_rules.yaml --write
    logclf discover LABELED.csv --json

How: mask the unmatched lines into templates (as the cascade does), embed each distinct template
once, and cluster them with DBSCAN on cosine distance. A large cluster whose rows share one label
is a rigid family of lines a rule can take off the ML and LLM tiers' hands. Its templates become
one rule: placeholders (<NUM>, <IP>, <UUID>, <ID>, <TS>, <EMAIL>, <HOST>, <PATH>, <URL>) turn back into the masking
patterns that produced them, templates that differ in a few words are merged (a word taking a
handful of values becomes an alternation, more values a word pattern), the rest is escaped. Every
rule is measured on the data (rows it matches, share of them with its label); a rule that would
misfire on another label's lines (precision < 1.0) is flagged, never proposed or written.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from logclf.decision import Batch
from logclf.errors import UserError
from logclf.masking import Masker
from logclf.settings import Settings
from logclf.tiers.regex import RegexTier
from logclf.training.data import load_labelled

SPECIAL = set("\\.^$*+?{}[]()|")
MAX_ALTERNATIVES = 8  # a word with more distinct values than this is an open set: a word pattern
WORD = r"[\w.@-]+"
PLACEHOLDER_CHARS = re.compile(r"<[A-Z]+>")
# Readable regex pieces for the shipped placeholders (a rule is read by people); any other
# placeholder of a custom masking table falls back to the mask's own pattern.
READABLE = {
    "<NUM>": r"[-+]?\d+(?:(?:[.,_#-]|##)\d+)*",
    "<IP>": r"\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?",
    "<UUID>": r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}",
    "<TS>": r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?",
    "<EMAIL>": r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    "<ID>": r"\w+",
    "<HOST>": r"[\w.-]+(?::\d{1,5})?",
    "<PATH>": r"(?:/[^\s/]+)+/?",
    "<URL>": r"[A-Za-z][\w+.-]*://[^\s/?#]+",
}


@dataclass
class Proposal:
    name: str
    label: str
    pattern: str
    rows: int  # rows of the data the rule matches
    precision: float  # share of those rows carrying `label`
    new_rows: int  # of them, rows no existing rule matched
    templates: int  # distinct templates of the cluster it came from
    misfires: dict[str, int] = field(default_factory=dict)  # other label -> rows, for flagged rules
    reason: str = ""
    mixed_cluster: bool = False  # from the one-label part of a cluster that held several labels


def escape(text: str) -> str:
    """re.escape for readability: only regex metacharacters are escaped (spaces and dashes stay)."""
    return "".join("\\" + ch if ch in SPECIAL else ch for ch in text)


def placeholder_patterns(masker: Masker) -> dict[str, str]:
    """{placeholder: regex} for the masking table's placeholders, so rules match what masking replaced."""
    return {placeholder: READABLE.get(placeholder, f"(?:{pattern})") for _, pattern, placeholder in masker.masks}


def token_regex(token: str, placeholders: dict[str, str]) -> str:
    """One word of a template as a regex: placeholders become their mask pattern, the rest is escaped."""
    keys = sorted(placeholders, key=len, reverse=True)
    if not keys:
        return escape(token)
    splitter = re.compile("(" + "|".join(re.escape(k) for k in keys) + ")")
    return "".join(placeholders[part] if part in placeholders else escape(part) for part in splitter.split(token) if part)


def allowed_differences(words: int) -> int:
    """Templates are one family when at most a third of their words differ (at least one may)."""
    return max(1, words // 3)


def varying_positions(group: list[list[str]]) -> int:
    return sum(len(set(position)) > 1 for position in zip(*group, strict=True))


def merge_groups(templates: list[str]) -> list[list[list[str]]]:
    """Templates split into words, grouped when they have as many words and differ in few positions."""
    groups: list[list[list[str]]] = []
    for template in templates:
        words = template.split(" ")
        for group in groups:
            if len(group[0]) == len(words) and varying_positions([*group, words]) <= allowed_differences(len(words)):
                group.append(words)
                break
        else:
            groups.append([words])
    return groups


def group_regex(group: list[list[str]], placeholders: dict[str, str]) -> str:
    """One regex for a group of same-length templates: constant words, alternations or word patterns."""
    parts = []
    for position in zip(*group, strict=True):
        values = list(dict.fromkeys(position))
        spans_space = any("<TS>" in v for v in values)  # a timestamp can contain a space
        if len(values) == 1:
            parts.append(token_regex(values[0], placeholders))
        elif len(values) <= MAX_ALTERNATIVES or spans_space:
            parts.append("(?:" + "|".join(token_regex(v, placeholders) for v in values) + ")")
        else:
            generic = all(re.fullmatch(WORD, PLACEHOLDER_CHARS.sub("x", v)) for v in values)
            parts.append(WORD if generic else r"\S+")
    return " ".join(parts)


def exact_regex(templates: list[str], placeholders: dict[str, str]) -> str:
    return "|".join(" ".join(token_regex(w, placeholders) for w in t.split(" ")) for t in templates)


@dataclass
class Data:
    """The rows a rule is measured on: messages and labels of the non-LLM sources."""

    messages: list[str]
    labels: np.ndarray
    unmatched: np.ndarray  # bool: no existing rule matches

    def measure(self, pattern: str) -> tuple[np.ndarray, Counter]:
        compiled = re.compile(pattern)
        hits = np.fromiter((compiled.fullmatch(m) is not None for m in self.messages), dtype=bool, count=len(self.messages))
        return hits, Counter(self.labels[hits].tolist())

    def fires_only_on(self, pattern: str, label: str) -> bool:
        return set(self.measure(pattern)[1]) <= {label}


def rule_for_cluster(templates: list[str], label: str, data: Data, placeholders: dict[str, str]) -> tuple[str, bool]:
    """(pattern, precise), from the most general candidate that stays precise on the data.

    Per word count: one merged pattern for all templates of that length; if it would misfire,
    groups of templates that differ in a few words; if those misfire, the exact templates.
    """
    pieces, precise = [], True
    for same_length in by_length(templates):
        piece = _precise_piece(same_length, label, data, placeholders)
        precise &= piece is not None
        pieces.append(piece or group_regex([t.split(" ") for t in same_length], placeholders))
    unique = list(dict.fromkeys(pieces))
    return (unique[0] if len(unique) == 1 else "|".join(f"(?:{p})" for p in unique)), precise


def by_length(templates: list[str]) -> list[list[str]]:
    groups: dict[int, list[str]] = {}
    for t in templates:
        groups.setdefault(len(t.split(" ")), []).append(t)
    return list(groups.values())


def _precise_piece(templates: list[str], label: str, data: Data, placeholders: dict[str, str]) -> str | None:
    split = [t.split(" ") for t in templates]
    if varying_positions(split) <= allowed_differences(len(split[0])):
        broad = group_regex(split, placeholders)
        if data.fires_only_on(broad, label):
            return broad
    parts = []
    for group in merge_groups(templates):
        merged = group_regex(group, placeholders)
        if data.fires_only_on(merged, label):
            parts.append(merged)
            continue
        exact = exact_regex([" ".join(w) for w in group], placeholders)
        if not data.fires_only_on(exact, label):
            return None
        parts.append(exact)
    return "|".join(f"(?:{p})" for p in parts) if len(parts) > 1 else parts[0]


def cluster_templates(vectors: np.ndarray, eps: float, min_samples: int = 1) -> np.ndarray:
    """DBSCAN labels on cosine distance (the vectors are L2-normalised)."""
    from sklearn.cluster import DBSCAN

    return DBSCAN(eps=eps, min_samples=min_samples, metric="cosine").fit(vectors).labels_


def discover(
    df: pd.DataFrame,
    regex: RegexTier,
    masker: Masker,
    embedder,
    *,
    llm_sources: tuple[str, ...] = ("LegacyCRM",),
    eps: float = 0.15,
    min_rows: int = 10,
    max_rules: int = 20,
    existing_names: set[str] | None = None,
) -> dict:
    """Cluster unmatched lines and measure one proposed rule per cluster (per label, if it is mixed)."""
    ml = df[~df["source"].isin(llm_sources)].reset_index(drop=True)
    messages = ml["log_message"].tolist()
    unmatched = np.array([d is None for d in regex.decide(Batch(ml["source"].tolist(), messages))], dtype=bool)
    data = Data(messages, ml["target_label"].to_numpy(dtype=object), unmatched)
    templates = [masker.template(m) for m in np.array(messages, dtype=object)[unmatched]]
    labels = data.labels[unmatched]
    distinct = list(dict.fromkeys(templates))
    result = {
        "rows": len(ml),
        "unmatched_rows": int(unmatched.sum()),
        "templates": len(distinct),
        "clusters": 0,
        "proposed": [],
        "flagged": [],
        "mixed_clusters": [],
        "redundant": 0,  # clusters whose lines earlier (larger) proposed rules already match
    }
    if not distinct:
        return result
    cluster_of = dict(zip(distinct, cluster_templates(embedder.encode(distinct), eps), strict=True))
    rows_by_cluster: dict[int, list[int]] = {}
    for i, t in enumerate(templates):
        rows_by_cluster.setdefault(int(cluster_of[t]), []).append(i)
    result["clusters"] = len(rows_by_cluster)

    placeholders = placeholder_patterns(masker)
    names = set(existing_names or ())
    accepted: list[tuple[Proposal, np.ndarray]] = []
    for cluster, rows in sorted(rows_by_cluster.items(), key=lambda kv: -len(kv[1])):
        if len(rows) < min_rows or len(accepted) >= max_rules:
            break
        cluster_labels = Counter(labels[rows].tolist())
        if len(cluster_labels) > 1:
            # Embeddings put lines of several labels together; each label's part may still be a
            # rigid family. Its rule must then pass the same precision check as any other.
            result["mixed_clusters"].append({"cluster": cluster, "rows": len(rows), "labels": dict(cluster_labels)})
        for label, count in cluster_labels.most_common():
            if count < min_rows or len(accepted) >= max_rules:
                continue
            members = list(dict.fromkeys(templates[i] for i in rows if labels[i] == label))
            proposal, hits = measure_proposal(members, label, data, placeholders)
            proposal.mixed_cluster = len(cluster_labels) > 1
            if proposal.precision < 1.0:
                proposal.reason = "would misfire on other labels' lines"
                result["flagged"].append(asdict(proposal))
                continue
            covered = union([h for _, h in accepted], len(messages))
            if (hits & ~covered).sum() < min_rows:
                result["redundant"] += 1  # earlier, larger rules already match these lines
                continue
            # a more general rule replaces the ones it contains (same label: precise rules cannot overlap otherwise)
            accepted = [(p, h) for p, h in accepted if not (h <= hits).all()]
            proposal.name = unique_name(label, names | {p.name for p, _ in accepted})
            accepted.append((proposal, hits))
    result["proposed"] = [asdict(p) for p, _ in accepted]
    covered = union([h for _, h in accepted], len(messages))
    result["covered_unmatched_rows"] = int((covered & unmatched).sum())
    result["covered_share_of_unmatched"] = round(float((covered & unmatched).sum() / max(1, unmatched.sum())), 4)
    if "complexity" in ml.columns:
        intended = ml["complexity"].to_numpy() == "regex"
        result["regex_intended"] = {
            "rows": int(intended.sum()),
            "matched_by_current_rules": int((intended & ~unmatched).sum()),
            "covered": int((covered & intended).sum()),  # by the proposed rules
        }
    return result


def union(masks: list[np.ndarray], n: int) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    for mask in masks:
        out |= mask
    return out


def measure_proposal(templates: list[str], label: str, data: Data, placeholders: dict[str, str]) -> tuple[Proposal, np.ndarray]:
    """The cluster's rule with its coverage and precision on the data (and the rows it matches)."""
    pattern, _ = rule_for_cluster(templates, label, data, placeholders)
    hits, hit_labels = data.measure(pattern)
    matched = int(hits.sum())
    proposal = Proposal(
        name="",
        label=label,
        pattern=pattern,
        rows=matched,
        precision=round(hit_labels[label] / matched, 4) if matched else 0.0,
        new_rows=int((hits & data.unmatched).sum()),
        templates=len(templates),
        misfires={k: v for k, v in hit_labels.items() if k != label},
    )
    return proposal, hits


def unique_name(label: str, taken: set[str]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "label"
    k = 1
    while f"discovered-{slug}-{k}" in taken:
        k += 1
    return f"discovered-{slug}-{k}"


def rule_entries(proposals: list[dict], data_name: str = "", total_rows: int = 0) -> list[dict]:
    """Rules-file entries, with a note saying where each came from and how it measured."""
    where = f" on {data_name}" if data_name else ""

    def note(p: dict) -> str:
        share = f" ({p['rows'] / total_rows:.2%} of {total_rows})" if total_rows else ""
        return f"discovered by logclf discover{where}: matches {p['rows']} rows{share}, precision {p['precision']:.4f}"

    return [{"name": p["name"], "pattern": p["pattern"], "label": p["label"], "note": note(p)} for p in proposals]


def append_rules(path: Path, proposals: list[dict], data_name: str = "", total_rows: int = 0) -> int:
    """Append proposals to a rules file in its own format, keeping its comments; return how many.

    The result is loaded with RegexTier.from_file before it replaces the file, so a bad write
    cannot leave a broken rules file behind.
    """
    entries = rule_entries(proposals, data_name, total_rows)
    if not entries:
        return 0
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    existing = (yaml.safe_load(text) or {}) if text.strip() else {}
    dumped = yaml.safe_dump(entries, sort_keys=False, allow_unicode=True, width=10_000)
    if isinstance(existing, dict) and existing.get("rules") and set(existing) == {"rules"}:
        indent = _item_indent(text)
        block = "".join(indent + line + "\n" for line in dumped.splitlines())
        new_text = text if text.endswith("\n") else text + "\n"
        new_text += block
    else:  # empty list, empty or missing file: keep the comment lines and write a fresh list
        comments = "".join(line + "\n" for line in text.splitlines() if line.lstrip().startswith("#"))
        rules = list(existing.get("rules") or []) if isinstance(existing, dict) else []
        new_text = comments + yaml.safe_dump({"rules": rules + entries}, sort_keys=False, allow_unicode=True, width=10_000)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(new_text, encoding="utf-8")
    try:
        RegexTier.from_file(tmp)
    except UserError:
        tmp.unlink()
        raise
    tmp.replace(path)
    return len(entries)


def _item_indent(text: str) -> str:
    """The indentation of the rules list items ('  ' in the shipped file)."""
    match = re.search(r"^( *)- ", text, flags=re.MULTILINE)
    return match.group(1) if match else "  "


def format_result(result: dict) -> str:
    lines = [
        f"{result['rows']} rows outside LLM sources; {result['unmatched_rows']} not matched by the current rules "
        f"-> {result['templates']} templates in {result['clusters']} clusters",
        "",
    ]
    for p in result["proposed"]:
        lines += [
            f"PROPOSED {p['name']} -> {p['label']}: {p['rows']} rows ({p['new_rows']} new), precision {p['precision']:.4f}, "
            f"from {p['templates']} templates{' (one label of a mixed cluster)' if p['mixed_cluster'] else ''}",
            f"  {p['pattern']}",
        ]
    for p in result["flagged"]:
        lines += [
            f"FLAGGED, not proposed: {p['label']} rule matches {p['rows']} rows at precision {p['precision']:.4f}; misfires on {p['misfires']}",
            f"  {p['pattern']}",
        ]
    for c in result["mixed_clusters"]:
        lines.append(f"mixed cluster of {c['rows']} rows, labels {c['labels']}: one candidate rule per label")
    lines += [
        "",
        f"proposed rules cover {result.get('covered_unmatched_rows', 0)} of {result['unmatched_rows']} unmatched rows ({result.get('covered_share_of_unmatched', 0):.2%})",
    ]
    if "regex_intended" in result:
        ri = result["regex_intended"]
        lines.append(
            f"regex-intended rows (complexity == regex): {ri['rows']}; matched by the current rules: {ri['matched_by_current_rules']}, "
            f"by the proposed rules: {ri['covered']}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="logclf discover", description="Propose regex rules for the lines the current rules miss.")
    p.add_argument("data", type=Path, help="labelled CSV: source, log_message, target_label")
    p.add_argument("--rules", type=Path, help="rules file to start from and to --write into (default: REGEX_RULES_PATH)")
    p.add_argument("--write", action="store_true", help="append the proposed rules to the rules file")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    p.add_argument("--eps", type=float, default=0.15, help="DBSCAN radius in cosine distance")
    p.add_argument("--min-rows", type=int, default=10, help="smallest cluster (in rows) worth a rule")
    p.add_argument("--max-rules", type=int, default=20)
    p.add_argument("--backend", default="torch", help="embedding backend: torch, onnx or onnx-int8")
    args = p.parse_args(argv)

    settings = Settings.from_env()
    rules_path = args.rules or settings.regex_rules_path
    try:
        df = load_labelled(args.data)
        # A --rules file that does not exist yet starts empty; --write creates it.
        regex = RegexTier([]) if args.rules and not args.rules.exists() else RegexTier.from_file(rules_path)
        masker = Masker.from_file(settings.masking_path)
        from logclf.embedding import Embedder

        embedder = Embedder.from_settings(settings, args.backend)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = discover(
        df,
        regex,
        masker,
        embedder,
        llm_sources=settings.llm_sources,
        eps=args.eps,
        min_rows=args.min_rows,
        max_rules=args.max_rules,
        existing_names={r.name for r in regex.rules},
    )
    print(format_result(result), file=sys.stderr if args.json else sys.stdout)
    if args.write:
        written = append_rules(rules_path, result["proposed"], args.data.name, result["rows"])
        print(f"appended {written} rule(s) to {rules_path}", file=sys.stderr)
        result["written"] = written
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
