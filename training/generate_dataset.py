"""Write the project's own labelled synthetic log dataset (deterministic for a given seed).

    python training/generate_dataset.py                 # -> training/dataset/synthetic_logs.csv
    python training/generate_dataset.py --rows 20000 --seed 7 --output /tmp/logs.csv

Columns: timestamp, source, log_message, target_label, complexity. `complexity` says which tier
a row is meant for: `regex` (rigid templates the shipped rules cover), `bert` (varied phrasings
for the ML tier) or `llm` (LegacyCRM lines, a source with almost no labelled data).
Every template below was written for this project.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import string
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "training" / "dataset" / "synthetic_logs.csv"
MODERN_SOURCES = ["ModernCRM", "ModernHR", "BillingSystem", "AnalyticsEngine", "ThirdPartyAPI"]
LLM_SOURCE = "LegacyCRM"

# ---------------------------------------------------------------------------- slot generators

FIRST = [
    "alice",
    "bob",
    "carol",
    "dave",
    "erin",
    "frank",
    "grace",
    "heidi",
    "ivan",
    "judy",
    "mallory",
    "oscar",
    "peggy",
    "trent",
    "victor",
    "walter",
]
SERVICES = ["payments", "auth", "inventory", "search", "reports", "notifications", "orders", "profile", "ledger", "etl"]
HOSTS = ["db-07", "web-03", "api-12", "cache-02", "worker-5", "node-14", "storage-01", "mq-09", "lb-02", "etl-06"]
PATHS = [
    "/api/v1/orders",
    "/api/v2/users",
    "/login",
    "/health",
    "/static/app.js",
    "/v2/servers/detail",
    "/invoices/export",
    "/search",
    "/api/v1/reports/daily",
    "/img/logo.png",
    "/checkout",
    "/graphql",
]
METHODS = ["GET", "GET", "GET", "POST", "PUT", "DELETE", "PATCH"]
STATUSES = [200, 200, 200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 409, 429, 500, 502, 503]
FILES = ["report_q3.pdf", "invoice_2291.xlsx", "payroll.csv", "contract_v2.docx", "export.zip", "avatar.png", "notes.txt"]
MODULES = [
    "LegacyReportBuilder",
    "SOAP endpoint /crm/v1",
    "XML import",
    "Classic dashboard",
    "v1 leads API",
    "OldAuth tokens",
    "batch mailer",
    "CSV exporter v1",
]
AGENTS = ["Mozilla/5.0 (X11; Linux x86_64)", "curl/8.5.0", "python-requests/2.32", "Go-http-client/1.1", "kube-probe/1.30"]


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _uuid(rng: random.Random) -> str:
    return "-".join(_hex(rng, n) for n in (8, 4, 4, 4, 12))


SLOTS = {
    "user": lambda r: r.choice([f"User{r.randint(1, 999)}", r.choice(FIRST), f"{r.choice(FIRST)}.{r.choice(FIRST)}"]),
    "uid": lambda r: str(r.randint(100, 99999)),
    "ip": lambda r: f"{r.choice([10, 172, 192, 203, 198])}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}",
    "n": lambda r: str(r.randint(2, 50)),
    "big": lambda r: str(r.randint(1000, 999999)),
    "id": lambda r: str(r.randint(1000, 99999)),
    "ver": lambda r: f"{r.randint(1, 9)}.{r.randint(0, 20)}.{r.randint(0, 30)}",
    "major": lambda r: str(r.randint(2, 9)),
    "path": lambda r: r.choice(PATHS),
    "method": lambda r: r.choice(METHODS),
    "status": lambda r: str(r.choice(STATUSES)),
    "ms": lambda r: str(r.randint(2, 4000)),
    "sec": lambda r: f"{r.random() * 2:.4f}",
    "bytes": lambda r: str(r.randint(0, 250000)),
    "pct": lambda r: str(r.randint(80, 99)),
    "lowpct": lambda r: str(r.randint(5, 60)),
    "mb": lambda r: str(r.choice([512, 1024, 2048, 4096, 8192, 16384, 32768])),
    "gb": lambda r: str(r.choice([20, 40, 80, 100, 200, 500, 1000])),
    "cpu": lambda r: str(r.choice([1, 2, 4, 8, 16, 32])),
    "used": lambda r: f"{r.randint(0, 30000)}.00",
    "host": lambda r: r.choice(HOSTS),
    "svc": lambda r: r.choice(SERVICES),
    "file": lambda r: r.choice(FILES),
    "module": lambda r: r.choice(MODULES),
    "uuid": _uuid,
    "hex": lambda r: _hex(r, 32),
    "req": lambda r: f"req-{_uuid(r)}",
    "ts": lambda r: (datetime(2025, 1, 1) + timedelta(seconds=r.randint(0, 365 * 86400))).strftime("%Y-%m-%d %H:%M:%S"),
    "clf_ts": lambda r: (datetime(2025, 1, 1) + timedelta(seconds=r.randint(0, 365 * 86400))).strftime("%d/%b/%Y:%H:%M:%S +0000"),
    "agent": lambda r: r.choice(AGENTS),
    "code": lambda r: "".join(r.choice(string.ascii_uppercase) for _ in range(3)) + str(r.randint(100, 999)),
}


SLOT_OR_BRACE = re.compile(r"\{\{|\}\}|\{(\w+)\}")  # one left-to-right pass, as str.format reads


def fill(template: str, rng: random.Random) -> str:
    """Fill `{slot}`s; `{{` and `}}` are literal braces (the JSON-style lines use them)."""
    return SLOT_OR_BRACE.sub(lambda m: SLOTS[m.group(1)](rng) if m.group(1) else m.group(0)[0], template)


# ---------------------------------------------------------------------------- templates per label
# (label, complexity) -> phrasings. `regex` phrasings are the ones resources/regex_rules.yaml covers.

TEMPLATES: dict[tuple[str, str], list[str]] = {
    ("User Action", "regex"): [
        "User {user} logged in.",
        "User {uid} logged in.",
        "User {user} logged out.",
        "User {uid} logged out.",
        "Account with ID {id} created by {user}.",
    ],
    ("System Notification", "regex"): [
        "Backup started at {ts}.",
        "Backup ended at {ts}.",
        "Backup completed successfully.",
        "System updated to version {ver}.",
        "File {file} uploaded successfully by user {user}.",
        "Disk cleanup completed successfully.",
        "System reboot initiated by user {user}.",
    ],
    ("HTTP Status", "regex"): [
        'nova.osapi_compute.wsgi.server [{req} {hex} {hex} - - -] {ip} "{method} {path} HTTP/1.1" status: {status} len: {bytes} time: {sec}',
        'nova.metadata.wsgi.server [{req} - - - - -] {ip},{ip} "GET /openstack/2013-10-17/meta_data.json HTTP/1.1" status: 200 len: {bytes} time: {sec}',
        '{ip} - - [{clf_ts}] "{method} {path} HTTP/1.1" {status} {bytes} "-" "{agent}"',
        '{ip} - {user} [{clf_ts}] "{method} {path} HTTP/2.0" {status} {bytes}',
    ],
    ("HTTP Status", "bert"): [
        '{{"method": "{method}", "path": "{path}", "status": {status}, "bytes": {bytes}, "duration_ms": {ms}}}',
        '{{"ts": "{ts}", "remote_addr": "{ip}", "request": "{method} {path} HTTP/1.1", "status": {status}, "body_bytes_sent": {bytes}}}',
        "{method} {path} returned {status} in {ms} ms",
        "HTTP {method} {path} -> {status} ({ms}ms)",
        "Request {method} {path} completed with status {status}",
        "Response {status} sent for {method} {path}, {bytes} bytes",
        "{svc} handled {method} {path} with HTTP {status} in {ms}ms",
        "access: client={ip} method={method} uri={path} status={status} size={bytes}",
        "Incoming request from {ip}: {method} {path} (status {status})",
        "HTTP/1.1 {status} for {method} {path} from {ip}",
        "Served {path} to {ip} with status code {status}",
        "{method} request to {path} finished: status={status} latency={ms}ms",
        "upstream {svc} responded {status} to {method} {path} after {ms} ms",
        "api-gateway: {method} {path} status {status} duration {sec}s",
        "http.request method={method} path={path} status_code={status} elapsed_ms={ms}",
        "Outbound call {method} https://partner.example.com{path} returned HTTP {status}",
        "webhook delivery to {path} got response code {status}",
        "Proxy forwarded {method} {path} -> {host}, status {status}, {bytes}B",
        "Completed {status} {method} {path} in {ms}ms",
        "GET request for {path} answered with {status}",
        "status={status} method={method} path={path} bytes={bytes} client={ip}",
        "[{svc}] {ip} {method} {path} {status} {ms}ms",
        "HTTP response status {status} returned by {svc} for {path}",
        "Handled request id {id}: {method} {path} -> {status}",
        "REST call {method} {path} finished with code {status} in {sec} seconds",
    ],
    ("Critical Error", "bert"): [
        "Kernel panic on node {host}: unable to mount root fs",
        "RAID array degraded: {n} of {n} disks failed on {host}",
        "Database cluster {host} is down: all replicas unreachable",
        "Data corruption detected in table ledger_{id}: checksum mismatch",
        "Critical: primary storage volume {host} offline, writes halted",
        "Service {svc} crashed with segmentation fault (core dumped)",
        "Power supply failure on rack {code}: node {host} shut down",
        "Unrecoverable disk failure on {host}: filesystem read-only",
        "Fatal: out of memory killer terminated {svc} on {host}, service unavailable",
        "Replication halted: data loss possible for shard {id}",
        "Multiple hardware faults detected on {host}: ECC memory errors exceeded limit",
        "Cluster quorum lost: {svc} cluster has stopped serving requests",
        "Critical failure: payment processing engine stopped responding",
        "Backup volume corrupted beyond repair on {host}",
        "Filesystem journal corrupted on {host}, emergency remount failed",
        "Primary database failover failed, {svc} is completely down",
        "Fatal error: encryption keystore unreadable, {svc} cannot start",
        "Node {host} lost all network interfaces, marked dead",
        "CRITICAL: transaction log truncated unexpectedly, records lost",
        "Storage controller {code} failure caused loss of volume {id}",
        "{svc} entered crash loop: restarted {n} times in 5 minutes",
        "Message queue {host} crashed and lost {big} unacknowledged messages",
        "System halted: CPU {n} reported machine check exception",
        "Irrecoverable index corruption in {svc} search cluster",
        "Datacenter cooling failure: {host} thermal shutdown triggered",
        "All workers of {svc} died; the service is unavailable",
    ],
    ("Error", "bert"): [
        "Failed to send notification email: SMTP connection refused",
        "Export job {id} failed: timeout writing to bucket",
        "Could not parse configuration file {file}: unexpected token",
        "Error while generating report {id}: template not found",
        "Payment gateway request failed for order {id}, will retry",
        "Unable to connect to cache {host}: connection reset by peer",
        "Failed to resize image {file}: unsupported format",
        "Scheduled task {code} failed with exit code {n}",
        "Error reading file {file}: permission denied",
        "Failed to refresh OAuth token for integration {svc}",
        "Webhook handler raised an exception processing event {id}",
        "Could not deliver SMS to customer {id}: provider error",
        "Failed to update search index for document {id}",
        "Error syncing contacts with {svc}: invalid response payload",
        "Connection to {host} timed out after {ms} ms",
        "Failed to write audit record {id}: disk quota exceeded",
        "Job {code} aborted: input file {file} missing",
        "Unhandled exception in {svc} worker: KeyError 'customer_id'",
        "Could not generate PDF for invoice {id}: font missing",
        "Failed to decode message {id} from queue: malformed JSON",
        "Retry limit reached while calling {svc} service",
        "DNS lookup failed for {host}.internal",
        "Error: CSV import of {file} stopped at line {big}",
        "Report scheduler could not acquire lock for job {id}",
        "Email template {code} failed to render: missing variable",
        "Failed to archive logs for {svc}: compression error",
    ],
    ("Security Alert", "bert"): [
        "IP {ip} blocked due to potential attack",
        "{n} failed password attempts for admin from {ip}",
        "Privilege escalation attempt by account {user}",
        "Unauthorized access attempt to {path} from {ip}",
        "Multiple failed login attempts detected for user {user}",
        "Brute force attack suspected from {ip}: {n} attempts in 60 seconds",
        "Access escalation detected for user {uid}: admin rights granted without approval",
        "Suspicious login for {user} from new country, session blocked",
        "Invalid API key used {n} times from {ip}",
        "User {user} attempted to read restricted file /etc/shadow",
        "Firewall blocked inbound connection from {ip} to port {n}22",
        "Account {user} locked after repeated authentication failures",
        "Potential SQL injection detected in request from {ip}",
        "Security policy violation: {user} disabled audit logging",
        "Token replay detected for session {hex}",
        "Admin privileges requested by unauthorised account {user}",
        "Login denied for {user}: MFA challenge failed {n} times",
        "Port scan detected from {ip}",
        "Malware signature found in uploaded file {file}",
        "Certificate pinning failure: possible man-in-the-middle on {host}",
        "Root login attempt over SSH from {ip} rejected",
        "Rate limit exceeded by {ip}, client temporarily banned",
        "User {uid} tried to access another tenant's data",
        "Unexpected sudo usage by service account svc_{svc}",
        "Password spraying pattern detected against {n} accounts from {ip}",
        "Access token for {user} used from two countries within minutes",
    ],
    ("System Notification", "bert"): [
        "Scheduled maintenance window for {svc} starts at {ts}",
        "Cron job {code} finished in {ms} ms",
        "Service {svc} restarted successfully",
        "Configuration reloaded for {svc}",
        "Log rotation completed for {svc}",
        "Nightly backup of {svc} database completed in {n} minutes",
        "Security patches applied to {host}, no reboot required",
        "Cache warmed up for {svc} with {big} entries",
        "Certificate for {host} renewed, valid for 90 days",
        "Node {host} joined the cluster",
        "Snapshot {id} of volume {host} created",
        "Daily report {id} generated and archived",
        "Health check passed for {svc} on {host}",
        "Database vacuum finished on {host}",
        "Time synchronised with NTP server {ip}",
        "Feature flag {code} enabled for {svc}",
        "Deployment of {svc} version {ver} finished",
        "Index rebuild for {svc} completed",
        "Temporary files cleared on {host}",
        "Replica {host} caught up with primary",
        "Scheduled export {id} delivered to storage",
        "Mail queue flushed: {n} messages sent",
        "Container image {svc}:{ver} pulled on {host}",
        "Daylight saving time adjustment applied on {host}",
        "Worker pool for {svc} scaled to {n} instances",
        "Data retention job removed records older than {n} days",
    ],
    ("Resource Usage", "bert"): [
        "nova.compute.claims [{req} {hex} {hex} - - -] [instance: {uuid}] Total memory: {mb} MB, used: {used} MB",
        "nova.compute.claims [{req} {hex} {hex} - - -] [instance: {uuid}] memory limit: {mb}.00 MB, free: {used} MB",
        "nova.compute.claims [{req} {hex} {hex} - - -] [instance: {uuid}] Total disk: {gb} GB, used: {used} GB",
        "nova.compute.claims [{req} {hex} {hex} - - -] [instance: {uuid}] disk limit not specified, defaulting to unlimited",
        "nova.compute.claims [{req} {hex} {hex} - - -] [instance: {uuid}] Total vcpu: {cpu} VCPU, used: {used} VCPU",
        "nova.compute.claims [{req} {hex} {hex} - - -] [instance: {uuid}] vcpu limit not specified, defaulting to unlimited",
        "Total memory: {mb} MB, used: {used} MB",
        "CPU usage at {pct}% on host {host}",
        "Memory usage of {svc} reached {pct}% of limit",
        "Disk /var on {host} is {pct}% full",
        "Quota warning: project {id} used {pct}% of storage quota",
        "Heap usage {mb} MB of {mb} MB for {svc}",
        "Load average on {host}: {n}.{n}, {n}.{n}, {n}.{n}",
        "Swap usage at {lowpct}% on {host}",
        "Connection pool for {svc} at {n} of {n} connections",
        "Inode usage on {host} reached {pct}%",
        "Bandwidth usage for tenant {id}: {gb} GB this month",
        "Container {svc} memory limit {mb} MB, current usage {mb} MB",
        "vCPU allocation for {host}: {cpu} of {cpu} in use",
        "Queue depth for {svc} is {big} messages",
        "Free disk space on {host}: {gb} GB remaining",
        "GPU memory utilisation {pct}% on {host}",
        "Thread count for {svc} at {big}, limit 5000",
        "API quota for tenant {id}: {big} of 1000000 calls used",
        "Storage used by bucket {svc}-archive: {gb} GB of {gb} GB",
        "Database {host} has {n} active connections, max 100",
    ],
    ("User Action", "bert"): [
        "User {user} changed their password",
        "User {user} updated profile settings",
        "{user} exported the contact list",
        "User {uid} enabled two-factor authentication",
        "{user} invited {user} to workspace {id}",
        "User {user} deleted report {id}",
        "User {user} signed in via SSO",
        "Session ended for user {uid} after sign-out",
        "{user} created a new project named proj-{id}",
        "User {uid} downloaded invoice {id}",
        "User {user} changed notification preferences",
        "{user} assigned ticket {id} to themselves",
        "User {user} added a comment to case {id}",
        "{user} shared dashboard {id} with the finance team",
        "New account registered by {user}",
        "User {uid} accepted the terms of service",
        "{user} renamed folder {id}",
        "User {user} requested a password reset email",
        "{user} approved expense claim {id}",
        "User {uid} updated billing address",
        "{user} archived conversation {id}",
        "User {user} switched language to German",
        "{user} scheduled a meeting for {ts}",
        "User {user} starred dataset {id}",
        "{user} removed API token {code}",
        "User {uid} opened a support chat",
    ],
    ("Workflow Error", "llm"): [
        "Case escalation for ticket ID {id} failed because the assigned support agent is no longer active.",
        "Invoice generation aborted for order ID {id} due to invalid tax calculation module.",
        "Lead conversion failed for prospect ID {id} due to missing contact information.",
        "Customer follow-up process for lead ID {id} failed due to missing next action.",
        "Task assignment for TeamID {id} could not complete due to invalid priority level.",
        "Escalation rule execution failed for ticket ID {id} - undefined escalation level.",
        "Opportunity stage update for deal {id} rejected: approval chain is broken.",
        "Renewal reminder workflow for contract {id} stopped: owner account deleted.",
    ],
    ("Deprecation Warning", "llm"): [
        "The '{module}' module will be retired in version {major}.0. Please migrate to the new platform.",
        "API endpoint 'getCustomerDetails' is deprecated and will be removed in version {major}.{n}. Use 'fetchCustomerInfo' instead.",
        "Support for legacy authentication methods will be discontinued after {ts}.",
        "{module} is no longer supported; use the v2 replacement before the next release.",
        "Deprecated field 'fax_number' in contact schema will be dropped in release {major}.0.",
        "Legacy report scheduler is deprecated and will stop running jobs after version {ver}.",
    ],
}

# Share of rows per (label, complexity); LegacyCRM rows are few, as in the real deployment.
WEIGHTS = {
    ("User Action", "regex"): 0.06,
    ("System Notification", "regex"): 0.08,
    ("HTTP Status", "regex"): 0.08,
    ("HTTP Status", "bert"): 0.14,
    ("Critical Error", "bert"): 0.08,
    ("Error", "bert"): 0.10,
    ("Security Alert", "bert"): 0.11,
    ("System Notification", "bert"): 0.10,
    ("Resource Usage", "bert"): 0.12,
    ("User Action", "bert"): 0.07,
    ("Workflow Error", "llm"): 0.0035,
    ("Deprecation Warning", "llm"): 0.0025,
}


def generate(rows: int, seed: int) -> list[dict[str, str]]:
    """`rows` labelled rows; every phrasing of every class appears at least once."""
    rng = random.Random(seed)
    keys = list(WEIGHTS)
    counts = {k: max(len(TEMPLATES[k]), round(rows * WEIGHTS[k])) for k in keys}
    plan: list[tuple[str, str, str]] = []
    for (label, complexity), count in counts.items():
        phrasings = TEMPLATES[(label, complexity)]
        for i in range(count):
            template = phrasings[i] if i < len(phrasings) else rng.choice(phrasings)
            plan.append((label, complexity, template))
    rng.shuffle(plan)
    start = datetime(2025, 1, 1)
    out = []
    for k, (label, complexity, template) in enumerate(plan):
        source = LLM_SOURCE if complexity == "llm" else rng.choice(MODERN_SOURCES)
        out.append(
            {
                "timestamp": (start + timedelta(seconds=k * 37 + rng.randint(0, 30))).strftime("%Y-%m-%d %H:%M:%S"),
                "source": source,
                "log_message": fill(template, rng),
                "target_label": label,
                "complexity": complexity,
            }
        )
    return out


def write_csv(rows: list[dict[str, str]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["timestamp", "source", "log_message", "target_label", "complexity"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--rows", type=int, default=6000)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = p.parse_args(argv)
    rows = generate(args.rows, args.seed)
    write_csv(rows, args.output)
    print(f"wrote {len(rows)} rows to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
