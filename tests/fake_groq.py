"""A real HTTP server on loopback that speaks the chat-completions wire format, under Groq's path
(`/openai/v1/...`) and the OpenAI-compatible one (`/v1/...`, as Ollama, llama.cpp's server and vLLM serve it).

The official `groq` SDK is pointed at `base_url` (`GROQ_BASE_URL`), the `openai` SDK at `openai_base_url`
(`LLM_BASE_URL`); nothing is patched.
Each test scripts it with a `responder(request_json) -> Reply`. The default responder is an
oracle that labels lines by keywords, the way a competent model would for this taxonomy.
Also used by `bench/` to answer the LLM share of a workload.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PATH = "/openai/v1/chat/completions"  # Groq's
OPENAI_PATH = "/v1/chat/completions"  # any OpenAI-compatible server's

KEYWORD_LABELS = [
    (re.compile(r"deprecat|retired|no longer supported|discontinued|will be removed|dropped in", re.I), "Deprecation Warning"),
    (re.compile(r"escalation|invoice|lead conversion|follow-up|task assignment|workflow|opportunity|renewal", re.I), "Workflow Error"),
    (re.compile(r"blocked|unauthori[sz]ed|failed password|brute force|privilege", re.I), "Security Alert"),
    (re.compile(r"logged in|logged out", re.I), "User Action"),
]


def oracle_label(line: str) -> str:
    for pattern, label in KEYWORD_LABELS:
        if pattern.search(line):
            return label
    return "Unclassified"


@dataclass
class Reply:
    status: int = 200
    body: dict | str | None = None  # dict -> JSON; str -> sent raw
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


def lines_of(request: dict) -> list[str]:
    """The batch of log lines: the JSON array on the user message's last line (our wire contract)."""
    user = [m for m in request["messages"] if m["role"] == "user"][-1]["content"]
    return json.loads(user.rsplit("\n", 1)[-1])


def completion(content: str, prompt_tokens: int = 100, completion_tokens: int = 20, model: str = "openai/gpt-oss-120b") -> dict:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def labels_reply(labels: list[str]) -> Reply:
    return Reply(body=completion(json.dumps({"labels": labels})))


def oracle(request: dict) -> Reply:
    return labels_reply([oracle_label(line) for line in lines_of(request)])


class FakeGroq:
    """Start with `with FakeGroq() as g:`; `g.base_url` for the SDK; `g.requests` holds bodies seen."""

    def __init__(self, responder: Callable[[dict], Reply] = oracle, port: int = 0):
        self.responder = responder
        self.requests: list[dict] = []
        self.auth_headers: list[str] = []
        self.paths: list[str] = []
        self.raw_bodies: list[bytes] = []  # exactly what reached the wire (privacy tests search these)
        self.arrivals: list[float] = []  # time.monotonic() of each request, in arrival order (rate-limit tests)
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                length = int(self.headers.get("content-length", 0))
                raw = self.rfile.read(length)
                if self.path not in (PATH, OPENAI_PATH):
                    return self._send(Reply(404, {"error": {"message": "not found"}}))
                body = json.loads(raw)
                with outer._lock:
                    outer.arrivals.append(time.monotonic())
                    outer.requests.append(body)
                    outer.raw_bodies.append(raw)
                    outer.paths.append(self.path)
                    outer.auth_headers.append(self.headers.get("authorization", ""))
                self._send(outer.responder(body))

            def _send(self, reply: Reply):
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                data = reply.body if isinstance(reply.body, str) else json.dumps(reply.body or {})
                payload = data.encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(payload)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout): fine

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def openai_base_url(self) -> str:
        """For the `openai` SDK / LLM_BASE_URL: the OpenAI-compatible root, as local servers serve it."""
        return self.base_url + "/v1"

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self.requests)

    def most_in_any_window(self, window_s: float = 60.0) -> int:
        """The most requests that arrived within any `window_s` seconds (what a provider's per-minute limit counts)."""
        with self._lock:
            times = sorted(self.arrivals)
        most, start = 0, 0
        for end, t in enumerate(times):
            while t - times[start] >= window_s:
                start += 1
            most = max(most, end - start + 1)
        return most

    def __enter__(self) -> FakeGroq:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()


if __name__ == "__main__":  # standalone: python tests/fake_groq.py [PORT]
    import sys

    with FakeGroq(port=int(sys.argv[1]) if len(sys.argv) > 1 else 8777) as fake:
        print(f"fake Groq answering on {fake.base_url}{PATH}", flush=True)
        fake._thread.join()
