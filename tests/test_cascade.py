"""Routing (which tier sees which row) and the sample the engine issue names."""

import pytest

SAMPLE = [
    ("ModernCRM", "IP 192.168.133.114 blocked due to potential attack", "Security Alert"),
    ("BillingSystem", "User 12345 logged in.", "User Action"),
    ("AnalyticsEngine", "File data_6957.csv uploaded successfully by user User265.", "System Notification"),
    ("AnalyticsEngine", "Backup completed successfully.", "System Notification"),
    ("ModernHR", "GET /v2/54fadb412c4e40cdbaed9335e4c35a9e/servers/detail HTTP/1.1 RCODE   200 len: 1583 time: 0.1878400", "HTTP Status"),
    ("ModernHR", "Admin access escalation detected for user 9429", "Security Alert"),
    ("ModernCRM", "Kernel panic on node db-07: unable to mount root fs", "Critical Error"),
    ("ModernHR", "Failed to send notification email: SMTP connection refused", "Error"),
    ("ThirdPartyAPI", "Disk /var on web-03 is 93% full", "Resource Usage"),
]


def test_sample_lines_are_classified_correctly(cascade):
    decisions = cascade.classify([s for s, _, _ in SAMPLE], [m for _, m, _ in SAMPLE])
    assert [d.label for d in decisions] == [label for _, _, label in SAMPLE]


def test_routing_by_tier(cascade):
    sources = ["ModernCRM", "ModernCRM", "LegacyCRM", "ModernCRM", "ModernCRM"]
    messages = [
        "User 12345 logged in.",  # rule
        "Kernel panic on node db-07: unable to mount root fs",  # ML
        "User 12345 logged in.",  # LLM source: never sees the rules
        "",  # empty
        "Hey bro chill ya!",  # unlike any training line: ML unsure -> LLM (off) -> Unclassified
    ]
    tiers = [d.tier for d in cascade.classify(sources, messages)]
    assert tiers == ["regex", "bert", "none", "none", "none"]


def test_llm_sources_are_configurable(make_cascade):
    c = make_cascade(llm_sources=("BillingSystem",))
    decisions = c.classify(["BillingSystem", "LegacyCRM"], ["User 1 logged in.", "User 1 logged in."])
    assert [d.tier for d in decisions] == ["none", "regex"]


def test_unclassified_rows_say_why(cascade):
    d = cascade.classify(["LegacyCRM", "ModernCRM", "ModernCRM"], ["Lead conversion failed", "", "Hey bro chill ya!"])
    assert "GROQ_API_KEY" in d[0].reason
    assert d[1].reason == "empty log_message"
    assert d[2].reason.startswith("ML tier unsure")


def test_each_template_is_embedded_once(cascade, monkeypatch):
    seen = []
    original = cascade.bert.embedder.encode
    monkeypatch.setattr(cascade.bert.embedder, "encode", lambda texts: seen.extend(texts) or original(texts))
    messages = [f"Disk /var on web-0{i % 3} is {80 + i}% full" for i in range(60)]
    first = cascade.classify(["ModernCRM"] * 60, messages)
    again = cascade.classify(["ModernCRM"] * 60, messages)  # next chunk: remembered, not re-embedded
    assert len(seen) == len(set(seen)) == len({cascade.masker.template(m) for m in messages})
    assert first == again and {d.label for d in first} == {"Resource Usage"}


@pytest.mark.parametrize("threshold,expected_tier", [(0.0, "bert"), (1.01, "none")])
def test_threshold_override(make_cascade, threshold, expected_tier):
    c = make_cascade(confidence_threshold=threshold)
    assert c.classify(["ModernCRM"], ["Kernel panic on node db-07: unable to mount root fs"])[0].tier == expected_tier


def test_masking_collapses_variable_parts(cascade):
    t = cascade.masker.template
    assert t("User 12345 logged in from 10.0.0.1") == t("User 777 logged in from 192.168.1.20") == "User <NUM> logged in from <IP>"
    assert t("req-b9718cd8-f65e-49cc-8349-6cf7122af137 ok") == "req-<UUID> ok"
    assert t("job abc123 took 2.5 s, 300 ms") == "job <ID> took <NUM> s, <NUM> ms"
