"""A corpus of hostile CSV files, built in code so each one carries its own ground truth.

Every case is either `ok` (with the rows a person meant, header first, and the delimiter the
output must keep) or an expected client error (HTTP status and a phrase of the message). The
expected rows are written down independently of `logclf.csv_io`, so a reader bug cannot hide by
agreeing with itself. Used by the in-process, CLI and HTTP tests alike.
"""

from __future__ import annotations

import codecs
import csv
import io
import random
from dataclasses import dataclass, field

HEADER = ["source", "log_message"]


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    rows: list[list[str]] | None = None  # expected parsed rows, header first; None = an error is expected
    delimiter: str = ","
    status: int = 0  # expected HTTP status for an error
    message: str = ""  # a phrase the error must contain
    encoding: str | None = None  # the encoding a client must name (CLI --encoding / HTTP ?encoding=)
    tags: frozenset[str] = field(default_factory=frozenset)

    @property
    def ok(self) -> bool:
        return self.rows is not None


def write_csv(rows: list[list[str]], delimiter: str = ",", lineterminator: str = "\r\n") -> str:
    """Python's writer as the reference producer. Only with `\\r\\n` line ends does it quote a bare `\\r`."""
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=delimiter, lineterminator=lineterminator).writerows(rows)
    return buf.getvalue()


def _ok(name: str, rows: list[list[str]], delimiter: str = ",", *, encoding: str = "utf-8", lineterminator: str = "\n", **kw) -> Case:
    return Case(name, write_csv(rows, delimiter, lineterminator).encode(encoding), rows, delimiter, **kw)


def build() -> list[Case]:
    """The corpus (deterministic: random bytes come from a fixed seed)."""
    rng = random.Random(8)
    wide_header = [f"col_{i}" for i in range(3000)]
    wide_header[1500], wide_header[2999] = "source", "log_message"
    wide_row = [f"v{i}" for i in range(3000)]
    wide_row[1500], wide_row[2999] = "ModernCRM", "User 7 logged in."
    formula_rows = [
        HEADER + ["note"],
        ["ModernCRM", '=HYPERLINK("http://evil","x")', "=1+2"],
        ["ModernHR", "+cmd|' /C calc'!A0", "-2"],
        ["BillingSystem", "@SUM(A1:A9)", "+1"],
        ["-", "-rf /", "@"],
    ]
    embedded = [
        HEADER,
        ["ModernCRM", 'line one\r\nline "two", three'],
        ["ModernHR", 'say ""hi"" , then "bye"'],
        ["AnalyticsEngine", "ends with newline\n"],
        ["ThirdPartyAPI", ""],
    ]
    cases = [
        Case(
            "bom_crlf_embedded",
            codecs.BOM_UTF8 + write_csv(embedded, lineterminator="\r\n").encode(),
            embedded,
        ),
        _ok("nul_bytes_in_cells", [HEADER, ["ModernCRM", "a\x00b"], ["\x00", "\x00\x00 tail"]]),
        _ok("one_megabyte_message", [HEADER, ["ModernCRM", "A" * 1_000_000], ["ModernHR", "x-" * 500_000]], tags=frozenset({"big"})),
        Case("thousands_of_columns", write_csv([wide_header, wide_row, wide_row]).encode(), [wide_header, wide_row, wide_row]),
        _ok("duplicate_header_names", [HEADER + ["source", "log_message"], ["A", "first", "B", "second"]]),
        _ok("header_only", [HEADER]),
        Case(
            "missing_cells",
            b"source,log_message,extra,more\nModernCRM,User 1 logged in.\nModernHR\n,,x\n",
            [HEADER + ["extra", "more"], ["ModernCRM", "User 1 logged in.", "", ""], ["ModernHR", "", "", ""], ["", "", "x", ""]],
        ),
        _ok("utf16_le_bom", [HEADER, ["ModernCRM", "café ☕ 𝄞"]], encoding="utf-16"),
        Case(
            "utf16_be_bom",
            codecs.BOM_UTF16_BE + write_csv([HEADER, ["ModernHR", "naïve"]]).encode("utf-16-be"),
            [HEADER, ["ModernHR", "naïve"]],
        ),
        _ok("semicolon", [HEADER, ["ModernCRM", "a,b,c"], ["ModernHR", "x;y"]], ";"),
        _ok("tab", [HEADER, ["ModernCRM", "a;b,c"], ["ModernHR", "tab\there"]], "\t"),
        _ok("pipe", [HEADER, ["ModernCRM", "a|b"]], "|"),
        _ok("formula_cells", formula_rows),
        Case(
            "cr_only_line_ends",  # classic Mac line ends: used to crash header detection
            b"source,log_message\rModernCRM,User 1 logged in.\rModernHR,Backup completed successfully.\r",
            [HEADER, ["ModernCRM", "User 1 logged in."], ["ModernHR", "Backup completed successfully."]],
        ),
        # written with \r\n line ends, so Python's writer quotes the bare \r (with \n it would not)
        _ok("bare_cr_inside_cell", [HEADER, ["ModernCRM", "before\rafter"], ["ModernHR", "\r"]], lineterminator="\r\n"),
        Case(
            "blank_lines_before_header",
            b"\n\r\n\nsource,log_message\nModernCRM,x\n\n",
            [HEADER, ["ModernCRM", "x"]],
        ),
        Case(
            "quoted_comma_quote_and_leading_space",  # `, "` inside a quoted cell is not the `a, "b"` style
            b'source,log_message\nModernCRM,"failed, ""disk full"""\nModernHR,   indented\n',
            [HEADER, ["ModernCRM", 'failed, "disk full"'], ["ModernHR", "   indented"]],
        ),
        Case(
            "space_before_quote_style",
            b'source, log_message\nModernCRM, "IP 1.2.3.4 blocked, due to attack"\n',
            [["source", "log_message"], ["ModernCRM", "IP 1.2.3.4 blocked, due to attack"]],
        ),
        Case(
            "latin1_unnamed",
            "source,log_message\nModernCRM,caf\xe9 cr\xe8me\n".encode("latin-1"),
            status=415,
            message="not valid UTF-8",
        ),
        Case(
            "latin1_named",
            "source,log_message\nModernCRM,caf\xe9 cr\xe8me\n".encode("latin-1"),
            [HEADER, ["ModernCRM", "café crème"]],
            encoding="latin-1",
        ),
        Case("random_bytes", bytes(rng.randrange(256) for _ in range(4096)), status=415, message="not valid"),
        Case("empty", b"", status=400, message="empty"),
        Case("missing_columns", b"src,message\nA,b\n", status=422, message="missing required column"),
        Case("too_many_fields", b"source,log_message\nA,b\nC,d,e\n", status=400, message="line 3: 3 fields"),
        Case(
            "unterminated_quote",
            b'source,log_message\nA,ok\nB,"never closed\nC,c\nD,d\n',
            status=400,
            message="line 3: a quoted cell starting on this line is never closed",
        ),
        Case(
            "text_after_closing_quote",
            b'source,log_message\nA,"GET /x" 200\n',
            status=400,
            message="line 2: text follows the closing quote",
        ),
        Case("nul_in_header", b"sou\x00rce,log_message\nA,b\n", status=415, message="NUL"),
        Case("unknown_encoding_named", b"source,log_message\nA,b\n", status=400, message="unknown encoding", encoding="klingon"),
        Case("binary_codec_named", b"source,log_message\nA,b\n", status=400, message="not a text encoding", encoding="base64"),
    ]
    names = [c.name for c in cases]
    assert len(names) == len(set(names))
    return cases


CORPUS = build()
BY_NAME = {c.name: c for c in CORPUS}
