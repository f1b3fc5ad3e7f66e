"""Provider clients: one chat-completions call, with the SDK's errors turned into one `CallFailed`.

The tier (batching, cache, limiter, retries, breaker, validation) is the same for every provider; a provider only
builds the SDK client and the request. A third provider is a subclass with `_make_client`, `_errors` and
`_request_args`. Both SDKs get `max_retries=0`: retries are the tier's (counted, jittered, bounded by the breaker).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from logclf.errors import UserError
from logclf.llm.prompt import labels_schema
from logclf.settings import Settings

log = logging.getLogger("logclf.llm")

# Models on which Groq applies a JSON schema strictly (the answer cannot leave the enum of labels).
GROQ_STRICT_SCHEMA_MODELS = frozenset({"openai/gpt-oss-20b", "openai/gpt-oss-120b"})


@dataclass(frozen=True)
class Completion:
    content: str | None
    prompt_tokens: int
    completion_tokens: int


class CallFailed(Exception):
    """One failed call. `retry`: worth another attempt (429, 5xx, timeout, connection, unreadable reply);
    `auth`: the key was refused (the breaker opens at once); `retry_after`: the server's wish, in seconds."""

    def __init__(
        self, reason: str, *, retry: bool = True, auth: bool = False, retry_after: float | None = None, rate_limited: bool = False
    ):
        super().__init__(reason)
        self.reason, self.retry, self.auth, self.retry_after = reason, retry, auth, retry_after
        self.rate_limited = rate_limited  # HTTP 429: the account's budget, shared by every caller, is spent


class Provider:
    """One chat-completions endpoint. `complete` sends one request (two when the endpoint rejects
    `response_format`: then JSON is asked for in the prompt only, remembered for this client's lifetime)."""

    name = ""
    display = ""  # how errors name the endpoint

    def __init__(self, settings: Settings, model: str, labels: Sequence[str], on_request: Callable[[], None]):
        self.settings, self.model, self.labels = settings, model, list(labels)
        self._on_request = on_request
        self._format_lock = threading.Lock()
        self.response_format: dict | None = self._preferred_format()
        self.client = self._make_client()

    # -- what a provider defines ---------------------------------------------------------------

    def _make_client(self):
        raise NotImplementedError

    def _errors(self) -> tuple[type[Exception], type[Exception], type[Exception]]:
        """The SDK's (status error, timeout error, connection error) classes."""
        raise NotImplementedError

    def _preferred_format(self) -> dict | None:
        return labels_schema(self.labels)

    def _request_args(self) -> dict:
        """Provider-specific arguments besides model, messages, temperature and response_format."""
        return {}

    # -- the call ------------------------------------------------------------------------------

    def complete(self, messages: list[dict[str, str]]) -> Completion:
        status_error, timeout_error, connection_error = self._errors()
        while True:
            response_format = self.response_format
            args = {"model": self.model, "messages": messages, "temperature": 0, **self._request_args()}
            if response_format is not None:
                args["response_format"] = response_format
            self._on_request()
            try:
                response = self.client.chat.completions.create(**args)
            except status_error as exc:
                status = exc.status_code
                if response_format is not None and _rejects_response_format(exc):
                    with self._format_lock:
                        self.response_format = None
                    log.warning("%s rejected response_format (HTTP %d): asking for JSON in the prompt only", self.display, status)
                    continue
                if status in (401, 403):
                    raise CallFailed(f"{self.display} refused the API key (HTTP {status})", retry=False, auth=True) from None
                if status != 429 and status < 500:
                    raise CallFailed(f"{self.display} rejected the request (HTTP {status})", retry=False) from None
                raise CallFailed(
                    f"HTTP {status}", retry_after=_retry_after_seconds(exc.response.headers.get("retry-after")), rate_limited=status == 429
                ) from None
            except timeout_error:
                raise CallFailed(f"timed out after {self.settings.llm_timeout_s:g}s") from None
            except connection_error:
                raise CallFailed(f"could not connect to {self.display}") from None
            except Exception as exc:  # a reply the SDK cannot parse (not JSON, wrong shape)
                raise CallFailed(f"unreadable reply from {self.display} ({type(exc).__name__})") from None
            usage = getattr(response, "usage", None)
            content = response.choices[0].message.content if response.choices else None
            return Completion(content, int(getattr(usage, "prompt_tokens", 0) or 0), int(getattr(usage, "completion_tokens", 0) or 0))

    def close(self) -> None:
        self.client.close()


class GroqProvider(Provider):
    """Groq through the `groq` SDK (`GROQ_API_KEY`, `GROQ_BASE_URL`, `GROQ_MODEL`)."""

    name, display = "groq", "Groq"

    def _make_client(self):
        from groq import Groq

        s = self.settings
        return Groq(api_key=s.groq_api_key, base_url=s.groq_base_url or None, timeout=s.llm_timeout_s, max_retries=0)

    def _errors(self):
        from groq import APIConnectionError, APIStatusError, APITimeoutError

        return APIStatusError, APITimeoutError, APIConnectionError

    def _preferred_format(self) -> dict | None:
        # Groq applies schemas strictly only on some models; elsewhere json_object is the reliable mode.
        return labels_schema(self.labels) if self.model in GROQ_STRICT_SCHEMA_MODELS else {"type": "json_object"}

    def _request_args(self) -> dict:
        s = self.settings
        args: dict = {"max_completion_tokens": s.llm_max_completion_tokens}
        if s.llm_reasoning_effort:  # gpt-oss style: reasoning in a separate field we do not need
            args["reasoning_effort"] = s.llm_reasoning_effort
            args["include_reasoning"] = False
        return args


class OpenAICompatibleProvider(Provider):
    """Any OpenAI-compatible server (Ollama, llama.cpp's server, vLLM, LM Studio, OpenAI) through the `openai` SDK:
    `LLM_BASE_URL`, `LLM_MODEL`, `LLM_API_KEY` (optional: without one the placeholder `no-key` is sent)."""

    name, display = "openai", "the OpenAI-compatible endpoint"

    def _make_client(self):
        from openai import OpenAI

        s = self.settings
        # The SDK insists on a key; local servers ignore the placeholder it then sends.
        return OpenAI(api_key=s.llm_api_key or "no-key", base_url=s.llm_base_url or None, timeout=s.llm_timeout_s, max_retries=0)

    def _errors(self):
        from openai import APIConnectionError, APIStatusError, APITimeoutError

        return APIStatusError, APITimeoutError, APIConnectionError

    def _request_args(self) -> dict:
        s = self.settings
        args: dict = {"max_tokens": s.llm_max_completion_tokens}  # the name every compatible server knows
        if s.llm_reasoning_effort and "gpt-oss" in self.model:  # other local models may refuse the field
            args["reasoning_effort"] = s.llm_reasoning_effort
        return args


PROVIDERS: dict[str, type[Provider]] = {p.name: p for p in (GroqProvider, OpenAICompatibleProvider)}


def make_provider(settings: Settings, labels: Sequence[str], on_request: Callable[[], None]) -> Provider:
    try:
        cls = PROVIDERS[settings.llm_provider]
    except KeyError:
        raise UserError(f"LLM_PROVIDER must be one of {', '.join(PROVIDERS)}, got {settings.llm_provider!r}") from None
    return cls(settings, settings.llm_model_in_use, labels, on_request)


def _rejects_response_format(exc) -> bool:
    """An HTTP 400 whose message names response_format (or the schema it carried): some local servers
    accept chat completions but not structured output."""
    if exc.status_code != 400:
        return False
    try:
        text = f"{exc} {exc.response.text}".lower()
    except Exception:  # a streamed or closed body: the message alone decides
        text = str(exc).lower()
    return "response_format" in text or "json_schema" in text


def _retry_after_seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff
