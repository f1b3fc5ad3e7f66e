"""Regex rules: each shipped rule fires on its template and not on look-alikes."""

import pytest

from logclf.decision import Batch
from logclf.masking import ConfigError
from logclf.settings import Settings
from processor_regex import RegexTier, Rule


@pytest.fixture(scope="module")
def tier() -> RegexTier:
    return RegexTier.from_file(Settings().regex_rules_path)


@pytest.mark.parametrize(
    "line,label",
    [
        ("User 12345 logged in.", "User Action"),
        ("User User42 logged in.", "User Action"),
        ("User alice logged out.", "User Action"),
        ("Account with ID 5351 created by User634.", "User Action"),
        ("Backup started at 2025-05-14 07:06:55.", "System Notification"),
        ("Backup ended at 2025-08-08 13:06:23.", "System Notification"),
        ("Backup completed successfully.", "System Notification"),
        ("System updated to version 3.9.1.", "System Notification"),
        ("File data_6957.csv uploaded successfully by user User265.", "System Notification"),
        ("Disk cleanup completed successfully.", "System Notification"),
        ("System reboot initiated by user User243.", "System Notification"),
        (
            'nova.osapi_compute.wsgi.server [req-b9718cd8-f65e-49cc-8349-6cf7122af137 113d3a99c3d7 54fadb412c4e - - -] 10.11.10.1 "GET /v2/54fadb412c4e/servers/detail HTTP/1.1" status: 200 len: 1893 time: 0.2675118',
            "HTTP Status",
        ),
        ('203.0.113.9 - - [10/Oct/2025:13:55:36 +0000] "GET /index.html HTTP/1.1" 200 2326 "-" "curl/8.5.0"', "HTTP Status"),
    ],
)
def test_rule_fires(tier, line, label):
    assert tier.decide(Batch(["ModernCRM"], [line]))[0].label == label


@pytest.mark.parametrize(
    "near_miss",
    [
        "User 12345 logged in from 203.0.113.9 after 5 failed attempts",  # a security event, not routine
        "User 12345 logged in. Session token reused from another country",
        "Backup completed with errors: 3 files skipped.",
        "Backup started at noon.",
        "System updated to version 3.9.1 but rollback failed",
        "File data.csv upload failed for user User265.",
        "Disk cleanup failed: permission denied",
        "System reboot initiated by user User243 failed",
        "Account with ID 5351 deleted by User634.",
        "user 12345 logged in.",  # rules are case-sensitive unless they say otherwise
        "Malicious user 12345 logged in.",
        'GET /index.html HTTP/1.1" 200',
    ],
)
def test_near_misses_fall_through(tier, near_miss):
    assert tier.decide(Batch(["ModernCRM"], [near_miss])) == [None]


def label_of(tier: RegexTier, message: str) -> str | None:
    (decision,) = tier.decide(Batch([""], [message]))
    return decision and decision.label


def test_first_listed_rule_wins():
    tier = RegexTier([Rule("a", r"Disk .*", "First"), Rule("b", r"Disk cleanup.*", "Second")])
    assert label_of(tier, "Disk cleanup done") == "First"


def test_ignore_case_is_per_rule():
    tier = RegexTier([Rule("a", r"backup done", "X", ignore_case=True), Rule("b", r"reboot", "Y")])
    assert label_of(tier, "BACKUP DONE") == "X"
    assert label_of(tier, "REBOOT") is None


@pytest.mark.parametrize("pattern", ["(unclosed", "(?P<g>x)"])
def test_bad_rules_are_config_errors(pattern):
    with pytest.raises(ConfigError):
        RegexTier([Rule("bad", pattern, "X")])


def test_rules_file_errors_name_the_file(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  - pattern: 'x'\n")
    with pytest.raises(ConfigError, match="rules.yaml"):
        RegexTier.from_file(path)
