"""Cross-cutting HTTP concerns as pure ASGI middleware: request ids, access log, latency metrics,
API key and upload-size checks before the body is read, and quiet start-up failures.
"""

from __future__ import annotations

import hmac
import logging
import re
import time
import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import HTTPException
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from logclf.metrics import ServerMetrics
from logclf.settings import Settings

access_log = logging.getLogger("logclf.access")
CLASSIFY_PATHS = frozenset({"/classify", "/classify/", "/classify/json"})
KNOWN_ROUTES = CLASSIFY_PATHS | {"/", "/health", "/metrics", "/labels", "/docs", "/redoc", "/openapi.json"}
BODY_SLACK = 64 * 1024  # multipart boundaries and headers around the file
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


def route_label(scope: Scope) -> str:
    """The matched route's path template (`/corrections/{correction_id}`), so metrics name every route and
    stay bounded; early refusals name their path; anything unmatched (404s, probes) is "other"."""
    route = scope.get("route")
    template = getattr(route, "path", None)
    if template is not None:
        return template or "/"
    return scope["path"] if scope["path"] in KNOWN_ROUTES else "other"


class StartupError(RuntimeError):
    """The service cannot start (missing or bad model/config file); the message says which file."""


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
            self.metrics.observe_request(route_label(scope), status, seconds)
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


def configure_logging() -> None:
    """Our loggers print under uvicorn, which configures only its own."""
    logger = logging.getLogger("logclf")
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    for noisy in ("httpx", "sentence_transformers", "transformers"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


def validation_detail(errors: Sequence[Any]) -> str:
    if any(tuple(e.get("loc", ()))[-1:] == ("file",) for e in errors):
        return 'no file uploaded: send the CSV as the multipart/form-data field `file` (curl -F "file=@logs.csv")'
    parts = [f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg', '')}" for e in errors[:5]]
    return "invalid request: " + "; ".join(parts)
