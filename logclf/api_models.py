"""Pydantic models of the HTTP API: every request and response body, so /docs shows them all."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorResponse(BaseModel):
    """Every 4xx/5xx answer: one sentence a person can act on."""

    detail: str = Field(description="What went wrong and how to fix it.")

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"detail": "missing required column(s) source and log_message; the header has: 'source', 'msg'"}]}
    )


class ValidationErrorResponse(ErrorResponse):
    """422 for a request that does not match the schema (e.g. no `file` field)."""

    errors: list[dict[str, Any]] = Field(default_factory=list, description="Pydantic's error list, for programs.")


class LogLine(BaseModel):
    source: str = Field("", description="The system that wrote the line (e.g. ModernCRM, LegacyCRM).", max_length=1_000)
    log_message: str = Field(description="The log line itself.", max_length=1_000_000)


class ClassifyJsonRequest(BaseModel):
    logs: list[LogLine] = Field(description="The lines to classify (at most MAX_JSON_LINES, 10,000 by default).")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "logs": [
                        {"source": "ModernCRM", "log_message": "IP 192.168.133.114 blocked due to potential attack"},
                        {"source": "BillingSystem", "log_message": "User 12345 logged in."},
                        {
                            "source": "LegacyCRM",
                            "log_message": "Case escalation for ticket ID 7324 failed because the assigned support agent is no longer active.",
                        },
                    ]
                }
            ]
        }
    )


class LineResult(BaseModel):
    target_label: str = Field(description="The label; `Unclassified` when no tier was confident.")
    classified_by: str = Field(description="The tier that decided: override (a correction), regex, bert, llm or none.")
    confidence: float | None = Field(
        description="1.0 for a rule, the ML tier's probability for bert, null for the LLM (no calibrated score)."
    )
    reason: str = Field("", description="Why the row is Unclassified (empty otherwise).")


class ClassifyJsonResponse(BaseModel):
    results: list[LineResult] = Field(description="One result per input line, in input order.")
    rows: int
    seconds: float = Field(description="Time spent classifying (queueing excluded).")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "results": [
                        {"target_label": "Security Alert", "classified_by": "regex", "confidence": 1.0, "reason": ""},
                        {"target_label": "User Action", "classified_by": "regex", "confidence": 1.0, "reason": ""},
                        {"target_label": "Workflow Error", "classified_by": "llm", "confidence": None, "reason": ""},
                    ],
                    "rows": 3,
                    "seconds": 0.012,
                }
            ]
        }
    )


class Health(BaseModel):
    status: str = Field(description="`ok` when the service can classify.")
    models_loaded: bool
    llm_configured: bool = Field(description="Whether the LLM tier is on (LLM_ENABLED and its provider configured).")
    llm_provider: str | None = Field(default=None, description="LLM_PROVIDER: groq or openai (never the key).")
    llm_model: str | None = Field(default=None, description="The model the LLM tier asks.")
    llm_send: str | None = Field(default=None, description="What leaves the machine: templates (default) or raw (secrets scrubbed).")
    auth_required: bool = Field(description="Whether API calls need an API key.")
    version: str
    labels: list[str]
    active_jobs: int = Field(description="Classifications running or queued right now.")
    corrections: int = Field(0, description="Corrections in force (POST /corrections): they decide before every tier.")


class LabelInfo(BaseModel):
    label: str
    description: str


class LabelsResponse(BaseModel):
    labels: list[LabelInfo]


class HeaderPreviewRequest(BaseModel):
    """The first lines of a plain log file, as the web page reads them before the upload."""

    text: str = Field(description="The file's first lines (at most 256 KB).", max_length=256 * 1024)
    log_format: str | None = Field(None, description="A header format in LogPAI's notation; default: detected.", max_length=1_000)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"text": "Nov 24 10:01:02 web01 sshd[4242]: Failed password for invalid user admin from 203.0.113.9\n"}]
        }
    )


class ParsedLine(BaseModel):
    timestamp: str
    host: str
    level: str
    component: str
    log_message: str


class HeaderPreviewResponse(BaseModel):
    """The format detected on these lines (as `/classify` would detect it on the file) and how they parse."""

    format: str = Field(description="The format's name (docs/formats.md), `custom` for a given log_format, `none` if none fits.")
    parsed: float = Field(description="The share of the lines this format parsed.")
    lines: int = Field(description="Non-blank lines looked at.")
    rows: list[ParsedLine] = Field(description="The first lines (at most 20), parsed into the columns /classify writes.")
