"""The HTTP service: `uvicorn server:app`, then POST a CSV to /classify, or open / or /docs.

Routes stay thin: uploads are spooled by Starlette into private temporary files (bounded by
MAX_UPLOAD_MB, enforced in `ServiceMiddleware` before and while the body is read), classified in a
bounded thread pool (`Classifier`) into a private temporary file, streamed back and deleted.
Models load once, in `lifespan`; importing this module loads nothing.
"""

import asyncio
import hmac
import logging
import os
import re
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Annotated, Any, BinaryIO, TypeVar

import anyio
from fastapi import Depends, FastAPI, File, HTTPException, Query, Request, Security, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.background import BackgroundTask
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from logclf import __version__
from logclf.api_models import (
    ClassifyJsonRequest,
    ClassifyJsonResponse,
    ErrorResponse,
    Health,
    LabelInfo,
    LabelsResponse,
    LineResult,
    ValidationErrorResponse,
)
from logclf.csv_io import CsvInputError, CsvReader
from logclf.masking import ConfigError
from logclf.metrics import ServerMetrics, tier_label_counts
from logclf.settings import Settings
from logclf.stream import classify_csv

log = logging.getLogger("logclf.server")
access_log = logging.getLogger("logclf.access")
WEB = Path(__file__).resolve().parent / "web"
CLASSIFY_PATHS = frozenset({"/classify", "/classify/", "/classify/json"})
KNOWN_ROUTES = CLASSIFY_PATHS | {"/", "/health", "/metrics", "/labels", "/docs", "/redoc", "/openapi.json"}
BODY_SLACK = 64 * 1024  # multipart boundaries and headers around the file
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
T = TypeVar("T")


class StartupError(RuntimeError):
    """The service cannot start (missing or bad model/config file); the message says which file."""


class _Cancelled(Exception):
    """The request gave up (timeout); the worker stops at the next chunk."""


# ----------------------------------------------------------------------------- classification


class _CountingCascade:
    """Wraps the cascade for one request: counts (tier, label) and stops when cancelled."""

    def __init__(self, cascade: Any, cancelled: threading.Event):
        self.llm = cascade.llm
        self._cascade, self._cancelled = cascade, cancelled
        self.counts: Counter[tuple[str, str]] = Counter()

    def classify(self, sources: Sequence[str], messages: Sequence[str]) -> list[Any]:
        if self._cancelled.is_set():
            raise _Cancelled
        decisions = self._cascade.classify(sources, messages)
        self.counts.update(tier_label_counts(decisions))
        return decisions


class Classifier:
    """The models plus a bounded pool of worker threads, so the event loop never classifies."""

    def __init__(self, settings: Settings, cascade: Any, metrics: ServerMetrics):
        self.settings, self.cascade, self.metrics = settings, cascade, metrics
        self.pool = ThreadPoolExecutor(max(1, settings.server_worker_threads), thread_name_prefix="classify")
        self.active = 0

    async def run(self, job: Callable[[_CountingCascade], T], on_abandon: Callable[[T], None] | None = None) -> T:
        """Run `job` in the pool within REQUEST_TIMEOUT_S (queueing included); 504 after that."""
        cancelled = threading.Event()
        counting = _CountingCascade(self.cascade, cancelled)
        future = self.pool.submit(job, counting)
        self.active += 1
        self.metrics.in_progress.inc()
        try:
            with anyio.fail_after(self.settings.request_timeout_s):
                result = await asyncio.wrap_future(future)
        except TimeoutError:
            cancelled.set()
            if not future.cancel() and on_abandon:
                future.add_done_callback(lambda f: f.exception() is None and on_abandon(f.result()))
            raise HTTPException(504, f"classification took longer than REQUEST_TIMEOUT_S={self.settings.request_timeout_s:g}s") from None
        except CsvInputError as exc:
            raise HTTPException(exc.status, str(exc)) from None
        finally:
            self.active -= 1
            self.metrics.in_progress.dec()
        self.metrics.count_rows(counting.counts.items())
        return result

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.cascade.close()


def _classify_file(upload: BinaryIO, encoding: str | None, explain: bool, chunk_rows: int, cascade: _CountingCascade) -> str:
    """Classify an uploaded CSV into a private temporary file (mode 0600) and return its path."""
    upload.seek(0)
    reader = CsvReader(upload, encoding=encoding, chunk_rows=chunk_rows)
    fd, path = tempfile.mkstemp(prefix="logclf-out-", suffix=".csv")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            classify_csv(reader, out, cascade, explain=explain)
    except BaseException:
        _unlink(path)
        raise
    return path


def _unlink(path: str) -> None:
    with suppress(FileNotFoundError):
        os.unlink(path)


def download_name(filename: str | None) -> str:
    """`<stem>_classified.csv` from the client's file name, reduced to safe characters."""
    base = re.split(r"[\\/]", filename or "")[-1]
    stem = base.rsplit(".", 1)[0] if "." in base.strip(".") else base
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._-")[:100]
    return f"{stem or 'logs'}_classified.csv"


# ----------------------------------------------------------------------------- cross-cutting


def key_matches(headers: Headers, expected: str) -> bool:
    """True when no key is configured, or X-API-Key / Authorization: Bearer carries it."""
    if not expected:
        return True
    given = headers.get("x-api-key") or ""
    auth = headers.get("authorization") or ""
    if not given and auth[:7].lower() == "bearer ":
        given = auth[7:].strip()
    return hmac.compare_digest(given.encode(), expected.encode())


UNAUTHORIZED = "missing or wrong API key: send the header `X-API-Key: <key>` (or `Authorization: Bearer <key>`)"


class ServiceMiddleware:
    """Request ids, access log, latency metrics, early 401/413 for uploads, quiet start-up failures."""

    def __init__(self, app: ASGIApp, settings: Settings, metrics: ServerMetrics):
        self.app, self.settings, self.metrics = app, settings, metrics
        self.max_body = int(settings.max_upload_mb * 1024 * 1024) + BODY_SLACK

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, self._quiet_lifespan(send))
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        incoming = headers.get("x-request-id", "")
        rid = incoming if _REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = rid
            await send(message)

        started = time.perf_counter()
        path = scope["path"]
        try:
            early = self._early_refusal(scope, headers) if scope["method"] == "POST" and path in CLASSIFY_PATHS else None
            if early is not None:
                await early(scope, receive, send_with_id)
            else:
                if scope["method"] == "POST" and path in CLASSIFY_PATHS:
                    receive = self._limited(receive)
                await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            self.metrics.observe_request(path if path in KNOWN_ROUTES else "other", status, seconds)
            client = scope.get("client") or ("-", 0)
            access_log.info('%s "%s %s" %d %.1fms rid=%s', client[0], scope["method"], path, status, seconds * 1000, rid)

    def _early_refusal(self, scope: Scope, headers: Headers) -> JSONResponse | None:
        """Refuse before reading a byte of the body: wrong key, or a declared length over the limit."""
        if not key_matches(headers, self.settings.api_key):
            return JSONResponse({"detail": UNAUTHORIZED}, 401, headers={"WWW-Authenticate": "Bearer"})
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            return JSONResponse({"detail": self._too_large()}, 413, headers={"Connection": "close"})
        return None

    def _limited(self, receive: Receive) -> Receive:
        """Count body bytes as they arrive (chunked uploads have no Content-Length)."""
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise HTTPException(413, self._too_large())
            return message

        return limited

    def _too_large(self) -> str:
        return f"upload larger than MAX_UPLOAD_MB={self.settings.max_upload_mb:g} MB: split the file or raise the limit"

    @staticmethod
    def _quiet_lifespan(send: Send) -> Send:
        """A StartupError was already logged as one line; uvicorn need not print its traceback."""

        async def quiet(message: Message) -> None:
            if message["type"] == "lifespan.startup.failed" and StartupError.__name__ in message.get("message", ""):
                message = {**message, "message": ""}
            await send(message)

        return quiet


def _configure_logging() -> None:
    """Our loggers print under uvicorn, which configures only its own."""
    logger = logging.getLogger("logclf")
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    for noisy in ("httpx", "sentence_transformers", "transformers"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


def _validation_detail(errors: Sequence[Any]) -> str:
    if any(tuple(e.get("loc", ()))[-1:] == ("file",) for e in errors):
        return 'no file uploaded: send the CSV as the multipart/form-data field `file` (curl -F "file=@logs.csv")'
    parts = [f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg', '')}" for e in errors[:5]]
    return "invalid request: " + "; ".join(parts)


# ----------------------------------------------------------------------------- the app


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {
        400: "Unreadable input: empty file, malformed CSV line, unknown encoding.",
        401: "API_KEY is set and the request lacks a matching X-API-Key / Bearer token.",
        413: "The upload exceeds MAX_UPLOAD_MB, or the JSON body has more than MAX_JSON_LINES lines.",
        415: "The bytes are not text in the expected encoding (try ?encoding=latin-1) or not a CSV.",
        422: "Missing `file` field, missing source/log_message columns (the message names the columns found), or an invalid body.",
        504: "Classification took longer than REQUEST_TIMEOUT_S.",
    }
    return {c: {"model": ValidationErrorResponse if c == 422 else ErrorResponse, "description": text[c]} for c in codes}


CSV_EXAMPLE = 'source,log_message,target_label\nModernCRM,"IP 192.168.133.114 blocked due to potential attack",Security Alert\n'


def create_app(settings: Settings | None = None, load_cascade: Callable[[Settings], Any] | None = None) -> FastAPI:
    """Build the app. Nothing heavy happens here: the models load in `lifespan`.

    `load_cascade` replaces `Cascade.from_settings` (tests share one loaded embedding model).
    """
    settings = settings or Settings.from_env()
    _configure_logging()
    state: dict[str, Classifier] = {}
    metrics = ServerMetrics(lambda: state["classifier"].cascade.llm.stats.as_dict() if "classifier" in state else None)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        from cascade import Cascade  # the tiers; the embedding model loads inside from_settings

        started = time.perf_counter()
        try:
            cascade = await anyio.to_thread.run_sync(load_cascade or Cascade.from_settings, settings)
        except ConfigError as exc:
            log.error("cannot start: %s", exc)
            raise StartupError(str(exc)) from None
        service = state["classifier"] = app.state.classifier = Classifier(settings, cascade, metrics)
        log.info("models loaded in %.1fs; LLM tier %s", time.perf_counter() - started, "on" if cascade.llm.configured else "off")
        try:
            yield
        finally:
            if state.get("classifier") is service:
                del state["classifier"]
            service.close()

    def classifier() -> Classifier:
        return state["classifier"]

    api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="Needed when the server sets API_KEY.")
    bearer = HTTPBearer(auto_error=False, description="Alternative to X-API-Key.")

    def require_api_key(
        request: Request,
        _key: Annotated[str | None, Security(api_key_header)],
        _bearer: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
    ) -> None:
        if not key_matches(request.headers, settings.api_key):
            raise HTTPException(401, UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})

    Service = Annotated[Classifier, Depends(classifier)]
    protected = [Depends(require_api_key)]

    app = FastAPI(
        title="logclf — hybrid log classification",
        version=__version__,
        description=(
            "Upload a CSV with `source` and `log_message` columns; get it back with `target_label` added.\n\n"
            'curl: `curl -X POST "http://127.0.0.1:8000/classify/" -F "file=@logs.csv" -o classified_logs.csv`\n\n'
            'Errors are JSON `{"detail": "..."}`. When the server sets `API_KEY`, send `X-API-Key`.'
        ),
        lifespan=lifespan,
    )
    app.add_middleware(ServiceMiddleware, settings=settings, metrics=metrics)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["X-API-Key", "Authorization", "Content-Type", "X-Request-ID"],
            expose_headers=["X-Request-ID", "Content-Disposition"],
        )

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{k: e[k] for k in ("loc", "msg", "type") if k in e} for e in exc.errors()]
        return JSONResponse({"detail": _validation_detail(errors), "errors": errors}, 422)

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        rid = request.scope.get("state", {}).get("request_id", "-")
        log.error("unhandled error (rid=%s)", rid, exc_info=exc)
        return JSONResponse(
            {"detail": f"internal error; the server log has the details (request id {rid})"}, 500, headers={"X-Request-ID": rid}
        )

    @app.post(
        "/classify",
        summary="Classify a CSV file",
        response_class=Response,
        dependencies=protected,
        responses={
            200: {"content": {"text/csv": {"example": CSV_EXAMPLE}}, "description": "The CSV with `target_label` appended."},
            **_errors(400, 401, 413, 415, 422, 504),
        },
    )
    @app.post("/classify/", include_in_schema=False, response_class=Response, dependencies=protected)
    async def classify_file(
        service: Service,
        file: Annotated[UploadFile, File(description="A CSV with `source` and `log_message` columns (`,` `;` tab or `|`).")],
        explain: Annotated[bool, Query(description="Add `classified_by`, `confidence` and `reason` columns.")] = False,
        encoding: Annotated[
            str | None, Query(max_length=40, description="Input encoding when not UTF-8/UTF-16 with BOM.", examples=["latin-1"])
        ] = None,
    ) -> Response:
        """The uploaded CSV comes back as an attachment `<name>_classified.csv`, every column and row kept."""
        path = await service.run(
            lambda cascade: _classify_file(file.file, encoding, explain, service.settings.chunk_rows, cascade), on_abandon=_unlink
        )
        return FileResponse(
            path, media_type="text/csv; charset=utf-8", filename=download_name(file.filename), background=BackgroundTask(_unlink, path)
        )

    @app.post("/classify/json", summary="Classify log lines sent as JSON", dependencies=protected, responses=_errors(401, 413, 422, 504))
    async def classify_json(body: ClassifyJsonRequest, service: Service) -> ClassifyJsonResponse:
        """One result per line, in order. For more than MAX_JSON_LINES lines, upload a CSV instead."""
        if len(body.logs) > settings.max_json_lines:
            raise HTTPException(413, f"{len(body.logs)} lines; at most MAX_JSON_LINES={settings.max_json_lines} per request: upload a CSV")
        sources = [line.source for line in body.logs]
        messages = [line.log_message for line in body.logs]
        started = time.perf_counter()
        decisions = await service.run(lambda cascade: cascade.classify(sources, messages))
        results = [LineResult(target_label=d.label, classified_by=d.tier, confidence=d.confidence, reason=d.reason) for d in decisions]
        return ClassifyJsonResponse(results=results, rows=len(results), seconds=round(time.perf_counter() - started, 4))

    @app.get("/health", summary="Liveness and what is loaded")
    async def health() -> Health:
        """Answers from the event loop at once, even while classifications run."""
        service = state.get("classifier")
        return Health(
            status="ok" if service else "starting",
            models_loaded=service is not None,
            llm_configured=bool(service and service.cascade.llm.configured),
            auth_required=bool(settings.api_key),
            version=__version__,
            labels=list(service.cascade.labels) if service else [],
            active_jobs=service.active if service else 0,
        )

    @app.get("/labels", summary="The labels and what they mean", dependencies=protected, responses=_errors(401))
    async def labels(service: Service) -> LabelsResponse:
        descriptions = service.cascade.bert.bundle.label_descriptions
        return LabelsResponse(labels=[LabelInfo(label=lb, description=descriptions.get(lb, "")) for lb in service.cascade.labels])

    @app.get(
        "/metrics",
        summary="Prometheus metrics",
        dependencies=protected,
        response_class=Response,
        responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text format."}, **_errors(401)},
    )
    async def prometheus_metrics() -> Response:
        return Response(metrics.render(), media_type=CONTENT_TYPE_LATEST)

    @app.get("/", include_in_schema=False)
    async def index() -> FileResponse:
        return FileResponse(WEB / "index.html", media_type="text/html; charset=utf-8")

    app.mount("/static", StaticFiles(directory=WEB), name="static")
    return app


app = create_app()
