"""The business applications' failures, written as near pairs across the Error / Critical Error boundary.

The sources are the default deployment's (ModernCRM, ModernHR, BillingSystem, AnalyticsEngine,
ThirdPartyAPI); slots are training/generate_dataset.py's. `Error` is one operation that failed while the
service goes on (a payment, an e-mail, a report, a sync job, an export); `Critical Error` is the service or
its data at risk: fatal, unrecoverable, data loss or corruption, an outage, all replicas gone, cannot start.
Most pairs below differ in exactly those words, so the model learns the words that decide, not the topic.
A business process that could not complete (escalation, invoicing, lead conversion) is a Workflow Error
and is left to LegacyCRM's lines.
"""

from training.corpus.family import Family

BUSINESS_OPS = [
    Family(
        "business-ops",
        "business",
        4.0,
        {
            "E": [
                # payments
                "Payment {id} failed: card processor timed out after {ms} ms, will retry",
                "Charge for customer {id} declined by the payment gateway, retry scheduled",
                "Refund {id} could not be issued: gateway returned HTTP {status}",
                "Payment webhook {id} rejected: could not parse payload, request logged",
                # e-mail and notifications
                "Failed to send welcome email to user {user}: mailbox unavailable",
                "Notification {id} could not be delivered to {user}: SMTP server busy, queued for retry",
                "Email batch {id}: {n} messages bounced, the rest were sent",
                "Push notification to device {uuid} failed: token expired",
                # reports and exports
                "Report {code} failed to render: query timed out after {ms} ms",
                "Monthly sales report {id} could not be generated: source table locked, will retry at next run",
                "Export {id} to {file} failed: connection to storage reset",
                "Dashboard widget {id} failed to load data from {svc}",
                # sync and batch jobs
                "Sync job {code} failed for {n} records; the other records were synchronised",
                "Contact sync with {svc} failed: remote API returned {status}, retrying in {n} minutes",
                "Nightly import of {file} failed at line {big}: invalid date, job will run again tomorrow",
                "Batch {id} of the payroll export failed validation and was skipped",
                "Scheduled job {code} timed out after {n} minutes; next run scheduled",
                "Failed to refresh cache for {svc}: {host} did not respond",
                "Search index update for {svc} failed for document {id}",
                "Upload of {file} by {user} failed: file too large",
                "Could not connect to {host} for {svc}: connection refused, retrying",
                "Request to {svc} failed with status {status} after {ms} ms",
                "Failed to write audit entry {id}: lock wait timeout, entry retried",
                "Worker {n} of {svc} raised an exception processing job {id}; job moved to the retry queue",
            ],
            "C": [
                # payments
                "Payment processing halted for all customers: card processor unreachable, checkout is down",
                "Fatal: payment ledger corrupted, {n} transactions lost",
                "Refund database unrecoverable after crash; refunds since {ts} lost",
                "Payment service cannot start: encryption keys missing, all payments failing",
                # e-mail and notifications
                "Mail service down: all outgoing email is failing and the queue of {big} messages was lost",
                "Notification service crashed and cannot start: configuration store corrupted",
                # reports and exports
                "Reporting database corrupted: all reports unavailable, data since {ts} lost",
                "Analytics warehouse {host} is down: every report and dashboard is failing",
                "Export storage volume failed: {n} exported files lost beyond recovery",
                # sync and batch jobs
                "Sync job {code} overwrote {big} customer records with empty values: data loss",
                "Fatal error in sync engine: unrecoverable state, all sync jobs stopped",
                "Payroll database corrupted during batch {id}: salary records lost",
                "Scheduler crashed and cannot start: job store corrupted, no jobs will run",
                "{svc} is down: all replicas of its database are unreachable",
                "Outage: {svc} unavailable for every tenant, health checks failing on all {n} nodes",
                "Unrecoverable error in {svc}: the service stopped and will not restart",
                "Data loss in {svc}: {big} records deleted by a failed migration",
                "Fatal: {svc} cannot start, its database {host} rejects all connections",
                "Corruption detected in customer table of {svc}: writes halted",
                "All workers of {svc} crashed: the queue of {big} jobs was lost",
                "Primary and replica of {host} failed: {svc} data at risk, service stopped",
                "Critical outage: {svc} and {svc} both down after storage failure on {host}",
            ],
        },
        source="*",
    ),
]

FAMILIES = BUSINESS_OPS
