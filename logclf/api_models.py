"""Pydantic models of the HTTP API: every request and response body, so /docs shows them all."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from logclf.patterns import Pattern, PatternTable, SourceCount


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
    level: str | None = Field(
        None,
        description="Optional: the line's level as the software wrote it (ERROR, WARN, E, <3>, SEVERE ...). Evidence for the ML "
        "tier's confidence, never a label on its own.",
        max_length=100,
    )


class ClassifyJsonRequest(BaseModel):
    logs: list[LogLine] = Field(description="The lines to classify (at most MAX_JSON_LINES, 10,000 by default).")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "logs": [
                        {"source": "ModernCRM", "log_message": "IP 192.168.133.114 blocked due to potential attack"},
                        {"source": "BillingSystem", "log_message": "User 12345 logged in.", "level": "INFO"},
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
    reason: str = Field("", description="Why the row is Unclassified; for a rule, `rule <name>`; for a correction, who decided.")


class PatternSourceOut(BaseModel):
    """One source's share of a pattern line."""

    source: str
    count: int = Field(description="Rows of this pattern in this source.")
    example: str = Field(description="This source's first row of the pattern (a correction for this source names it).")

    @classmethod
    def of(cls, s: SourceCount) -> PatternSourceOut:
        return cls(source=s.source, count=s.count, example=s.example)


class PatternOut(BaseModel):
    """One line of the patterns table: a masked template's rows with one label and deciding tier, across the sources it spans."""

    source: str = Field(description="The source; when the template spans several with this label and tier, their names joined by `;`.")
    sources: list[PatternSourceOut] = Field(description="Each source the line spans (by name), with its count and first example.")
    template: str = Field(description="The masked template (variable parts replaced by placeholders such as <NUM>).")
    count: int = Field(description="Rows of this pattern.")
    share: float = Field(description="count / rows of the file.")
    target_label: str
    classified_by: str = Field(description="The deciding tier: override, regex, bert, llm or none.")
    confidence_min: float | None = Field(description="Lowest confidence among its rows; null when none has one (LLM, none).")
    confidence_mean: float | None = Field(description="Mean confidence among its rows with one.")
    example: str = Field(description="The first row's message as it appeared (cut at 1,000 characters).")
    example_cut: bool = Field(False, description="The example was cut: relabel this pattern from one of its rows instead.")

    @classmethod
    def of(cls, p: Pattern, rows: int) -> PatternOut:
        return cls(
            source=p.source,
            sources=[PatternSourceOut.of(s) for s in p.sources],
            template=p.template,
            count=p.count,
            share=round(p.count / rows, 6) if rows else 0.0,
            target_label=p.target_label,
            classified_by=p.classified_by,
            confidence_min=None if p.confidence_min is None else round(p.confidence_min, 4),
            confidence_mean=None if p.confidence_mean is None else round(p.confidence_mean, 4),
            example=p.example,
            example_cut=p.example_cut,
        )


class PatternsResponse(BaseModel):
    """The patterns table of one classification, largest first (docs/patterns.md)."""

    rows: int = Field(description="Rows classified; the counts plus other_rows add up to it.")
    patterns: list[PatternOut]
    other_rows: int = Field(0, description="Rows of the patterns folded into 'other patterns' past PATTERNS_MAX.")
    other_patterns: int = Field(0, description="How many patterns were folded.")
    max_patterns: int = Field(description="PATTERNS_MAX: distinct patterns kept.")
    row_patterns: list[int] | None = Field(
        None, description="/classify/json only: per input line, the index of its pattern in `patterns` (-1: folded into other)."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "rows": 3,
                    "patterns": [
                        {
                            "source": "BillingSystem;ModernCRM",
                            "sources": [
                                {"source": "BillingSystem", "count": 1, "example": "User 12345 logged in."},
                                {"source": "ModernCRM", "count": 1, "example": "User 7 logged in."},
                            ],
                            "template": "[rule user-login-logout]",
                            "count": 2,
                            "share": 0.666667,
                            "target_label": "User Action",
                            "classified_by": "regex",
                            "confidence_min": 1.0,
                            "confidence_mean": 1.0,
                            "example": "User 12345 logged in.",
                            "example_cut": False,
                        },
                        {
                            "source": "ModernCRM",
                            "sources": [{"source": "ModernCRM", "count": 1, "example": "Hey bro chill ya!"}],
                            "template": "Hey bro chill ya!",
                            "count": 1,
                            "share": 0.333333,
                            "target_label": "Unclassified",
                            "classified_by": "none",
                            "confidence_min": None,
                            "confidence_mean": None,
                            "example": "Hey bro chill ya!",
                            "example_cut": False,
                        },
                    ],
                    "other_rows": 0,
                    "other_patterns": 0,
                    "max_patterns": 10000,
                    "row_patterns": [0, 0, 1],
                }
            ]
        }
    )

    @classmethod
    def of(cls, table: PatternTable, row_patterns: list[int] | None = None) -> PatternsResponse:
        return cls(
            rows=table.rows,
            patterns=[PatternOut.of(p, table.rows) for p in table.patterns()],
            other_rows=table.other_rows,
            other_patterns=table.other_patterns,
            max_patterns=table.max_patterns,
            row_patterns=row_patterns,
        )


class ClassifyJsonResponse(BaseModel):
    results: list[LineResult] = Field(description="One result per input line, in input order.")
    rows: int
    seconds: float = Field(description="Time spent classifying (queueing excluded).")
    patterns: PatternsResponse | None = Field(None, description="With ?patterns=true: the lines' patterns table (null otherwise).")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "results": [
                        {"target_label": "Security Alert", "classified_by": "bert", "confidence": 0.9731, "reason": ""},
                        {"target_label": "User Action", "classified_by": "regex", "confidence": 1.0, "reason": "rule user-login-logout"},
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
    patterns_max: int = Field(0, description="PATTERNS_MAX: distinct patterns a patterns table keeps (?patterns=true); 0 = off.")


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
