"""The HTTP service: `logclf serve` (or `uvicorn server:app` in a checkout), then POST a CSV to /classify/, or open / or /docs.

Routes stay thin: uploads are spooled by Starlette into private temporary files (bounded by
MAX_UPLOAD_MB, enforced in `logclf.http_middleware` before and while the body is read), classified
in a bounded thread pool (`logclf.service.Classifier`) into a private temporary file, streamed back
and deleted.
Models load once, in `lifespan`; importing this module loads nothing.
"""

import io
import logging
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, BinaryIO, Literal

import anyio
import fastapi_offline
from fastapi import APIRouter, Depends, FastAPI, File, HTTPException, Query, Request, Security, UploadFile
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.background import BackgroundTask

from logclf import __version__
from logclf.api_models import (
    ClassifyJsonRequest,
    ClassifyJsonResponse,
    ErrorResponse,
    HeaderPreviewRequest,
    HeaderPreviewResponse,
    Health,
    LabelInfo,
    LabelsResponse,
    LineResult,
    ParsedLine,
    PatternsResponse,
    ValidationErrorResponse,
)
from logclf.corrections import CorrectionStore
from logclf.corrections_api import router as corrections_router
from logclf.errors import UserError
from logclf.formats import split_name
from logclf.headers import SAMPLE_LINES, compile_logpai, parser_for
from logclf.http_middleware import UNAUTHORIZED, ServiceMiddleware, StartupError, configure_logging, key_matches, validation_detail
from logclf.metrics import ServerMetrics
from logclf.multiline import RecordJoiner, classifier_messages, joined
from logclf.paths import WEB
from logclf.patterns import PATTERN_COLUMNS, CollectPatterns, PatternTable, RecentPatterns
from logclf.service import Classifier, classify_upload, download_name, unlink
from logclf.settings import Settings

log = logging.getLogger("logclf.server")
# Swagger UI and ReDoc bundles from the fastapi-offline wheel, so /docs and /redoc work offline.
DOCS_ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {
        400: "Unreadable input: empty file, malformed CSV line, unknown encoding.",
        401: "API_KEY is set and the request lacks a matching X-API-Key / Bearer token.",
        413: "The upload exceeds MAX_UPLOAD_MB (decompressed: MAX_DECOMPRESSED_MB), or the JSON body has more than MAX_JSON_LINES lines.",
        415: "The bytes are not text in the expected encoding (try ?encoding=latin-1) or not a CSV.",
        422: "Missing `file` field, missing source/log_message columns (the message names the columns found), or an invalid body.",
        504: "Classification took longer than REQUEST_TIMEOUT_S.",
    }
    return {c: {"model": ValidationErrorResponse if c == 422 else ErrorResponse, "description": text[c]} for c in codes}


CSV_EXAMPLE = 'source,log_message,target_label\nModernCRM,"IP 192.168.133.114 blocked due to potential attack",Security Alert\n'


@asynccontextmanager
async def lifespan(app: FastAPI):
    """Load the models once (in a thread: the event loop stays free) and keep the service in `app.state`."""
    from logclf.cascade import Cascade  # the tiers; the embedding model loads inside from_settings

    settings: Settings = app.state.settings
    started = time.perf_counter()
    try:
        cascade = await anyio.to_thread.run_sync(app.state.load_cascade or Cascade.from_settings, settings)
    except UserError as exc:
        log.error("cannot start: %s", exc)
        raise StartupError(str(exc)) from None
    try:  # corrections: a person's labels, applied before every tier (logclf/corrections.py)
        corrections = await anyio.to_thread.run_sync(CorrectionStore, settings.corrections_path, cascade.masker.template, cascade.labels)
    except UserError as exc:
        log.error("cannot start: %s", exc)
        raise StartupError(str(exc)) from None
    cascade.use_overrides(corrections.table)
    app.state.corrections = corrections
    app.state.patterns = RecentPatterns()
    service = app.state.classifier = Classifier(settings, cascade, app.state.metrics)
    llm_on = cascade.llm_status().get("configured")
    log.info("models loaded in %.1fs; LLM tier %s", time.perf_counter() - started, "on" if llm_on else "off")
    try:
        yield
    finally:
        if app.state.classifier is service:
            app.state.classifier = None
        service.close()
        corrections.close()


PREVIEW_FIELDS = ("timestamp", "host", "level", "component", "log_message")

# -- dependencies ---------------------------------------------------------------------------------

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="Needed when the server sets API_KEY.")
bearer = HTTPBearer(auto_error=False, description="Alternative to X-API-Key.")


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_service(request: Request) -> Classifier:
    return request.app.state.classifier


def require_api_key(
    request: Request,
    settings: Annotated[Settings, Depends(get_settings)],
    _key: Annotated[str | None, Security(api_key_header)],
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> None:
    """401 unless API_KEY is unset or sent (X-API-Key or Bearer); the two Security parameters document it."""
    if not key_matches(request.headers, settings.api_key):
        raise HTTPException(401, UNAUTHORIZED, headers={"WWW-Authenticate": "Bearer"})


def json_lines_within_limit(body: ClassifyJsonRequest, settings: Annotated[Settings, Depends(get_settings)]) -> ClassifyJsonRequest:
    if len(body.logs) > settings.max_json_lines:
        raise HTTPException(413, f"{len(body.logs)} lines; at most MAX_JSON_LINES={settings.max_json_lines} per request: upload a CSV")
    return body


def new_pattern_table(service: Classifier, wanted: bool) -> PatternTable | None:
    """A patterns table for this request when it asked for one (?patterns=true); 400 when PATTERNS_MAX is 0."""
    if not wanted:
        return None
    if not service.settings.patterns_max:
        raise HTTPException(400, "patterns are off on this server (PATTERNS_MAX=0)")
    return PatternTable(service.cascade.masker.template, service.settings.patterns_max)


Service = Annotated[Classifier, Depends(get_service)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
protected = [Depends(require_api_key)]
router = APIRouter()


# -- routes ---------------------------------------------------------------------------------------


RAW_BODY_TYPES = {
    "text/plain": "lines",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl",
    "text/csv": "csv",
    "text/tab-separated-values": "csv",
}
LINES_EXAMPLE = (
    "2024-03-01 12:00:01,234 ERROR [http-nio-8080-exec-3] o.a.c.c.DispatcherServlet: Request processing failed\n"
    "java.lang.IllegalStateException: connection pool exhausted\n\tat com.example.db.Pool.take(Pool.java:88)\n"
)
RAW_BODY_DOC = {
    "requestBody": {
        "content": {
            "text/plain": {"schema": {"type": "string"}, "example": LINES_EXAMPLE},
            "application/x-ndjson": {
                "schema": {"type": "string"},
                "example": '{"message": "disk /dev/sda1 is 97% full", "service": "node-07"}\n',
            },
            "text/csv": {"schema": {"type": "string"}, "example": "source,log_message\nModernCRM,User 12345 logged in.\n"},
        },
        "description": "Either the multipart field `file`, or the body itself (no multipart), as log shippers send it "
        "(Vector's `http` sink, Fluent Bit's `http` output): `text/plain` log lines, `application/x-ndjson` / "
        "`application/jsonl` JSON Lines, or `text/csv`; optionally `Content-Encoding: gzip`. The same limits apply "
        "(MAX_UPLOAD_MB, MAX_DECOMPRESSED_MB, MAX_LINE_KB).",
    }
}


@router.post(
    "/classify",
    summary="Classify a file: CSV, JSON Lines or plain log lines, uploaded or as the raw body",
    response_class=Response,
    dependencies=protected,
    openapi_extra=RAW_BODY_DOC,
    responses={
        200: {
            "content": {"text/csv": {"example": CSV_EXAMPLE}},
            "description": "The CSV with `target_label` appended. With `?patterns=true`, the `X-Patterns` header is the URL of "
            "this file's patterns table (`GET /patterns/{token}`).",
            "headers": {
                "X-Log-Format": {
                    "description": "Plain log lines only: the header format detected (or `custom`) and the share of lines it parsed.",
                    "schema": {"type": "string", "example": "log4j; parsed=0.993"},
                },
                "X-Patterns": {"description": "With ?patterns=true: /patterns/{token}", "schema": {"type": "string"}},
            },
        },
        **_errors(400, 401, 413, 415, 422, 504),
    },
)
@router.post("/classify/", include_in_schema=False, response_class=Response, dependencies=protected)
async def classify_file(
    request: Request,
    service: Service,
    file: Annotated[
        UploadFile | None,
        File(description="A CSV with `source` and `log_message` columns, a JSON Lines file, or a plain log file; optionally .gz."),
    ] = None,
    explain: Annotated[bool, Query(description="Add `classified_by`, `confidence` and `reason` columns.")] = False,
    encoding: Annotated[
        str | None, Query(max_length=40, description="Input encoding when not UTF-8/UTF-16 with BOM.", examples=["latin-1"])
    ] = None,
    format: Annotated[  # noqa: A002 (the query parameter's public name)
        Literal["csv", "jsonl", "lines"] | None,
        Query(
            description="Input format; default by file name: .csv/.tsv, .jsonl/.ndjson, anything else plain log lines. "
            ".gz is decompressed. A raw body: by its Content-Type."
        ),
    ] = None,
    source: Annotated[
        str | None, Query(max_length=200, description="Source for plain lines / JSONL without one (default: file stem; raw body: http).")
    ] = None,
    message_field: Annotated[str | None, Query(max_length=200, description="JSONL: the message field.")] = None,
    source_field: Annotated[str | None, Query(max_length=200, description="JSONL: the source field.")] = None,
    log_format: Annotated[
        str | None,
        Query(
            max_length=1000,
            description="Plain lines: the header format in LogPAI's notation (default: detected from the first 1,000 lines).",
            examples=["<Date> <Time> <Pid> <Level> <Component>: <Content>"],
        ),
    ] = None,
    patterns: Annotated[
        bool, Query(description="Also build the file's patterns table (templates with counts); its URL comes in the `X-Patterns` header.")
    ] = False,
    multiline: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Plain lines: `auto` joins stack traces and indented lines into one record (row), `off` keeps one row "
            "per line, or parser names (`java,python`). Default: the server's MULTILINE (auto).",
        ),
    ] = None,
) -> Response:
    """The upload comes back as `<name>_classified.csv` (JSON Lines in: `.jsonl`), every column/field and row kept.

    Without multipart, the body itself is the file (see the request body's content types): this is what log
    shippers send. `curl --data-binary @app.log -H "Content-Type: text/plain" .../classify`"""
    settings = service.settings
    if file is None:
        stream, fmt_by_type, charset = await raw_body(request)
        name, fmt = None, format or fmt_by_type
        encoding = encoding or charset
        source = source or "http"
    else:
        stream, name = file.file, file.filename
        fmt = format or split_name(name)[1]
    options = dict(name=name, fmt=fmt, source=source, message_field=message_field, source_field=source_field)
    options["max_bytes"] = int(settings.max_decompressed_mb * 1024 * 1024)
    options["multiline"] = multiline or settings.multiline
    options["log_format"] = log_format
    found: dict[str, Any] = {}

    table = new_pattern_table(service, patterns)

    def job(cascade) -> str:  # noqa: ANN001 (the service's per-request cascade)
        if table is not None:  # the patterns table, filled in the same pass
            cascade = CollectPatterns(cascade, table)
        try:
            return classify_upload(
                stream, encoding, explain, settings.chunk_rows, cascade, found, max_line_chars=settings.max_line_chars, **options
            )
        finally:
            if file is None:  # the spooled raw body: closed by the worker that read it, even after a 504
                stream.close()

    path = await service.run(job, on_abandon=unlink)
    ext, media = ("jsonl", "application/x-ndjson") if fmt == "jsonl" else ("csv", "text/csv; charset=utf-8")
    headers = {"X-Log-Format": found["header"].header_value()} if found.get("header") else {}
    if table is not None:
        headers["X-Patterns"] = f"/patterns/{request.app.state.patterns.put(table)}"
    return FileResponse(
        path, media_type=media, filename=download_name(name, ext), headers=headers or None, background=BackgroundTask(unlink, path)
    )


async def raw_body(request: Request) -> tuple[BinaryIO, str, str | None]:
    """A non-multipart body spooled to a private temporary file as it arrives (bounded by MAX_UPLOAD_MB in the
    middleware, like an upload): (stream, format by Content-Type, charset). gzip is decoded by the reader."""
    media, _, params = request.headers.get("content-type", "").partition(";")
    media = media.strip().lower()
    if media in ("multipart/form-data", "application/x-www-form-urlencoded"):  # a form without `file` (its body is read)
        raise UserError(
            'no file uploaded: send the file as the multipart/form-data field `file` (curl -F "file=@logs.csv"), '
            "or as the body itself with its type (curl -H 'Content-Type: text/plain' --data-binary @app.log)",
            http_status=422,
        )
    media = media or "text/plain"
    if media not in RAW_BODY_TYPES:
        raise UserError(
            f"Content-Type {media} is not read here: upload a file (multipart field `file`) or send the body as "
            f"{', '.join(RAW_BODY_TYPES)} (curl: -H 'Content-Type: text/plain' --data-binary @app.log)",
            http_status=415,
        )
    coding = request.headers.get("content-encoding", "identity").strip().lower()
    if coding not in ("identity", "gzip", "x-gzip"):
        raise UserError(f"Content-Encoding {coding} is not supported; send gzip or no encoding", http_status=415)
    charset = next(
        (v.strip().strip('"') for k, _, v in (p.partition("=") for p in params.split(";")) if k.strip().lower() == "charset"), None
    )
    spool = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115 (closed by the caller)
    try:
        async for chunk in request.stream():
            if getattr(spool, "_rolled", False):
                await anyio.to_thread.run_sync(spool.write, chunk)  # on disk: not from the event loop
            else:
                spool.write(chunk)
        spool.seek(0)
        if coding != "identity" and spool.read(2) != b"\x1f\x8b" and spool.tell():
            raise UserError("Content-Encoding: gzip, but the body is not gzip data", http_status=400)
        spool.seek(0)
    except BaseException:
        spool.close()
        raise
    return spool, RAW_BODY_TYPES[media], charset


@router.post(
    "/formats/detect", summary="Detect and parse the header format of log lines", dependencies=protected, responses=_errors(400, 401, 422)
)
def detect_header_format(body: HeaderPreviewRequest, settings: SettingsDep) -> HeaderPreviewResponse:
    """What `/classify` would make of a plain log file's first lines: the web page's preview. Runs no model.
    Stack traces are joined into their record as `/classify` joins them (the server's MULTILINE)."""
    lines = [line for line in body.text.splitlines() if line.strip()][:SAMPLE_LINES]
    custom = compile_logpai(body.log_format) if body.log_format else None
    parser, replay = parser_for(iter(lines), custom)
    rows = []
    for first, rest in RecordJoiner.for_mode(settings.multiline).records(replay):
        *header, message = parser.parse(first)
        rows.append(ParsedLine(**dict(zip(PREVIEW_FIELDS, [*header, joined(message, rest)], strict=True))))
    report = parser.report
    return HeaderPreviewResponse(format=report.name, parsed=round(report.share, 4), lines=report.lines, rows=rows[:20])


PATTERNS_CSV_EXAMPLE = (
    ",".join(PATTERN_COLUMNS) + "\nBillingSystem;ModernCRM,[rule user-login-logout],2,User Action,regex,1.0000,User 12345 logged in.\n"
    "ModernCRM,Hey bro chill ya!,1,Unclassified,none,,Hey bro chill ya!\n"
)


@router.get(
    "/patterns/{token}",
    summary="The patterns table of an upload",
    dependencies=protected,
    responses={
        200: {
            "content": {"application/json": {}, "text/csv": {"example": PATTERNS_CSV_EXAMPLE}},
            "description": "Largest pattern first; a template spanning several sources with one label and tier is one line "
            "(`sources`; in the CSV, `source` joins their names with `;`). CSV (`?format=csv`): the columns of `logclf --patterns FILE`.",
        },
        404: {"model": ErrorResponse, "description": "Unknown token, or the table is gone (the server keeps the last 16)."},
        **_errors(401),
    },
)
async def get_patterns(
    request: Request,
    token: Annotated[str, PathParam(max_length=64, description="From the `X-Patterns` header of `POST /classify?patterns=true`.")],
    format: Annotated[Literal["json", "csv"], Query(description="json (default) or csv.")] = "json",  # noqa: A002
) -> PatternsResponse:
    """The templates of one classified upload with their counts, label, deciding tier, confidence and an example line."""
    table = request.app.state.patterns.get(token)
    if table is None:
        raise HTTPException(404, "no such patterns table (the server keeps the last 16): classify the file again with ?patterns=true")
    if format == "csv":
        out = io.StringIO()
        table.write_csv(out)
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8")  # type: ignore[return-value]
    return PatternsResponse.of(table)


@router.post(
    "/classify/json", summary="Classify log lines sent as JSON", dependencies=protected, responses=_errors(400, 401, 413, 422, 504)
)
async def classify_json(
    body: Annotated[ClassifyJsonRequest, Depends(json_lines_within_limit)],
    service: Service,
    patterns: Annotated[
        bool, Query(description="Add `patterns`: the lines' templates with counts, and each line's pattern (`row_patterns`).")
    ] = False,
) -> ClassifyJsonResponse:
    """One result per line, in order. For more than MAX_JSON_LINES lines, upload a CSV instead."""
    sources = [line.source for line in body.logs]
    messages = classifier_messages([line.log_message for line in body.logs], service.settings.max_line_chars)
    levels = [line.level for line in body.logs] if any(line.level for line in body.logs) else None
    table = new_pattern_table(service, patterns)
    started = time.perf_counter()

    def job(cascade) -> tuple[list, list[str] | None]:
        if table is None:
            return cascade.classify(sources, messages, None, levels), None
        prepared = cascade.prepare(sources, messages)  # the same pass: the table reads the cascade's templates
        decisions = cascade.classify(sources, messages, prepared, levels)
        return decisions, table.add(sources, messages, prepared.templates, decisions)

    decisions, templates = await service.run(job)
    results = [LineResult(target_label=d.label, classified_by=d.tier, confidence=d.confidence, reason=d.reason) for d in decisions]
    table_out = None
    if table is not None and templates is not None:
        table_out = PatternsResponse.of(table, table.line_indices(sources, templates, decisions))
    seconds = round(time.perf_counter() - started, 4)
    return ClassifyJsonResponse(results=results, rows=len(results), seconds=seconds, patterns=table_out)


@router.get("/health", summary="Liveness and what is loaded")
async def health(request: Request, settings: SettingsDep) -> Health:
    """Answers from the event loop at once, even while classifications run."""
    service: Classifier | None = request.app.state.classifier
    return Health(
        status="ok" if service else "starting",
        models_loaded=service is not None,
        llm_configured=bool(service and service.cascade.llm_status().get("configured")),
        llm_provider=settings.llm_provider,
        llm_model=settings.llm_model_in_use,
        llm_send=settings.llm_send,
        auth_required=bool(settings.api_key),
        version=__version__,
        labels=list(service.cascade.labels) if service else [],
        active_jobs=service.active if service else 0,
        corrections=request.app.state.corrections.count() if service else 0,
        patterns_max=settings.patterns_max,
    )


@router.get("/labels", summary="The labels and what they mean", dependencies=protected, responses=_errors(401))
async def labels(service: Service) -> LabelsResponse:
    descriptions = service.cascade.label_descriptions
    return LabelsResponse(labels=[LabelInfo(label=lb, description=descriptions.get(lb, "")) for lb in service.cascade.labels])


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    dependencies=protected,
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Prometheus text format."}, **_errors(401)},
)
async def prometheus_metrics(request: Request) -> Response:
    return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE_LATEST)


@router.get("/", include_in_schema=False)
async def index() -> FileResponse:
    return FileResponse(WEB / "index.html", media_type="text/html; charset=utf-8")


DOCS_ASSETS_URL = "/docs-assets"


@router.get("/docs", include_in_schema=False)
async def swagger_ui(request: Request) -> HTMLResponse:
    page = {"openapi_url": request.app.openapi_url, "title": f"{request.app.title} — Swagger UI"}
    assets = {"swagger_js_url": "swagger-ui-bundle.js", "swagger_css_url": "swagger-ui.css", "swagger_favicon_url": "favicon.png"}
    return get_swagger_ui_html(**page, **{k: f"{DOCS_ASSETS_URL}/{v}" for k, v in assets.items()})


@router.get("/redoc", include_in_schema=False)
async def redoc(request: Request) -> HTMLResponse:
    page = {"openapi_url": request.app.openapi_url, "title": f"{request.app.title} — ReDoc"}
    assets = {"redoc_js_url": "redoc.standalone.js", "redoc_favicon_url": "favicon.png"}
    return get_redoc_html(**page, **{k: f"{DOCS_ASSETS_URL}/{v}" for k, v in assets.items()}, with_google_fonts=False)


# -- error handlers -------------------------------------------------------------------------------


async def on_user_error(request: Request, exc: UserError) -> JSONResponse:
    """Input a person must fix (bad CSV, unknown encoding ...): its HTTP status and the message."""
    return JSONResponse({"detail": str(exc)}, exc.http_status)


async def on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{k: e[k] for k in ("loc", "msg", "type") if k in e} for e in exc.errors()]
    return JSONResponse({"detail": validation_detail(errors), "errors": errors}, 422)


async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    rid = request.scope.get("state", {}).get("request_id", "-")
    log.error("unhandled error (rid=%s)", rid, exc_info=exc)
    return JSONResponse(
        {"detail": f"internal error; the server log has the details (request id {rid})"}, 500, headers={"X-Request-ID": rid}
    )


def create_app(settings: Settings | None = None, load_cascade: Callable[[Settings], Any] | None = None) -> FastAPI:
    """Build the app. Nothing heavy happens here: the models load in `lifespan`.

    `load_cascade` replaces `Cascade.from_settings` (tests share one loaded embedding model).
    """
    settings = settings or Settings.from_env()
    configure_logging()
    app = FastAPI(
        title="logclf — hybrid log classification",
        version=__version__,
        description=(
            "Upload a CSV with `source` and `log_message` columns; get it back with `target_label` added.\n\n"
            'curl: `curl -X POST "http://127.0.0.1:8000/classify/" -F "file=@logs.csv" -o classified_logs.csv`\n\n'
            'Errors are JSON `{"detail": "..."}`. When the server sets `API_KEY`, send `X-API-Key`.'
        ),
        lifespan=lifespan,
        docs_url=None,  # served by the router from local assets: the default pages load them from a CDN
        redoc_url=None,
    )
    app.state.settings, app.state.load_cascade, app.state.classifier = settings, load_cascade, None
    app.state.metrics = metrics = ServerMetrics(lambda: app.state.classifier.cascade.llm_stats() if app.state.classifier else None)
    app.add_middleware(ServiceMiddleware, settings=settings, metrics=metrics)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["X-API-Key", "Authorization", "Content-Type", "X-Request-ID"],
            expose_headers=["X-Request-ID", "Content-Disposition", "X-Patterns"],
        )
    app.add_exception_handler(UserError, on_user_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unexpected)
    app.include_router(router)
    app.include_router(corrections_router, dependencies=protected, responses=_errors(401))
    app.mount("/static", StaticFiles(directory=WEB), name="static")
    app.mount(DOCS_ASSETS_URL, StaticFiles(directory=DOCS_ASSETS), name="docs-assets")
    return app


def app_from_env() -> FastAPI:
    """The app `uvicorn server:app` serves; a bad setting is one line on stderr and exit status 2."""
    try:
        settings = Settings.from_env()
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(exc.exit_status) from None
    return create_app(settings)


def __getattr__(name: str) -> FastAPI:
    """`uvicorn logclf.server:app` builds the app from the environment when it is first asked for."""
    if name == "app":
        return app_from_env()
    raise AttributeError(name)
