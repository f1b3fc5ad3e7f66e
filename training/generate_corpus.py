"""Write the real-world-format training corpus (see training/corpus/__init__.py for families, groups, label rules).

python training/generate_corpus.py                          # -> training/dataset/corpus.csv
python training/generate_corpus.py --rows 30000 --seed 7 --output /tmp/corpus.csv
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

from training.corpus import COLUMNS, FAMILIES, generate

ROOT = Path(__file__).resolve().parent.parent

DEFAULT_OUTPUT = ROOT / "training" / "dataset" / "corpus.csv"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Generate the labelled real-world-format log corpus.")
    p.add_argument("--rows", type=int, default=40800)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = p.parse_args(argv)
    if args.rows < 1:
        print(f"error: --rows must be positive; got {args.rows}", file=sys.stderr)
        return 2
    rows = generate(args.rows, args.seed)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with open(args.output, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    labels = Counter(r["target_label"] for r in rows)
    print(f"wrote {len(rows)} rows, {len(FAMILIES)} families, {len({f.group for f in FAMILIES})} groups to {args.output}", file=sys.stderr)
    print("  " + ", ".join(f"{k}: {v}" for k, v in labels.most_common()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
