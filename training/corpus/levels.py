"""The level each template is written at, spelled as its software spells it (the corpus's `level` column).

A level is a property of the code that writes the line, not of our label: real software logs plenty of
failures at WARN or INFO, some crashes at ERROR, and security events at WARN or NOTICE. So each template
gets one typical severity, drawn from its label's mix below by a stable hash of the template (the same
template always gets the same level), then spelled in its family's style (`E`, `<3>`, `SEVERE`, `FATAL` ...).
`blank_some` empties the level on a seeded share of rows, so the model also learns to work without one.
"""

from __future__ import annotations

import random
import zlib

# Per label: (severity, weight) - the share of templates written at each severity.
TYPICAL = {
    "HTTP Status": (("INFO", 8), ("NOTICE", 1), ("WARNING", 1)),
    "Critical Error": (("CRIT", 6), ("ERROR", 3), ("EMERG", 1)),
    "Error": (("ERROR", 6), ("WARNING", 3), ("INFO", 1)),
    "Security Alert": (("WARNING", 5), ("NOTICE", 2), ("ERROR", 2), ("ALERT", 1)),
    "System Notification": (("INFO", 7), ("NOTICE", 2), ("DEBUG", 1)),
    "Resource Usage": (("INFO", 5), ("WARNING", 4), ("ERROR", 1)),
    "User Action": (("INFO", 8), ("NOTICE", 2)),
    "Workflow Error": (("ERROR", 6), ("WARNING", 4)),
    "Deprecation Warning": (("WARNING", 8), ("INFO", 2)),
}

# How each style writes a severity; a family not listed writes Java/log4j-style words.
STYLES = {
    "log4j": {
        "EMERG": "FATAL",
        "ALERT": "FATAL",
        "CRIT": "FATAL",
        "ERROR": "ERROR",
        "WARNING": "WARN",
        "NOTICE": "INFO",
        "INFO": "INFO",
        "DEBUG": "DEBUG",
    },
    "python": {
        "EMERG": "CRITICAL",
        "ALERT": "CRITICAL",
        "CRIT": "CRITICAL",
        "ERROR": "ERROR",
        "WARNING": "WARNING",
        "NOTICE": "INFO",
        "INFO": "INFO",
        "DEBUG": "DEBUG",
    },
    "syslog": {
        "EMERG": "<0>",
        "ALERT": "<1>",
        "CRIT": "<2>",
        "ERROR": "<3>",
        "WARNING": "<4>",
        "NOTICE": "<5>",
        "INFO": "<6>",
        "DEBUG": "<7>",
    },
    "letter": {"EMERG": "F", "ALERT": "F", "CRIT": "F", "ERROR": "E", "WARNING": "W", "NOTICE": "I", "INFO": "I", "DEBUG": "D"},
    "jul": {
        "EMERG": "SEVERE",
        "ALERT": "SEVERE",
        "CRIT": "SEVERE",
        "ERROR": "SEVERE",
        "WARNING": "WARNING",
        "NOTICE": "INFO",
        "INFO": "INFO",
        "DEBUG": "FINE",
    },
    "apache": {
        "EMERG": "emerg",
        "ALERT": "alert",
        "CRIT": "crit",
        "ERROR": "error",
        "WARNING": "warn",
        "NOTICE": "notice",
        "INFO": "info",
        "DEBUG": "debug",
    },
    "windows": {
        "EMERG": "Critical",
        "ALERT": "Critical",
        "CRIT": "Critical",
        "ERROR": "Error",
        "WARNING": "Warning",
        "NOTICE": "Information",
        "INFO": "Information",
        "DEBUG": "Verbose",
    },
    "lower": {
        "EMERG": "panic",
        "ALERT": "fatal",
        "CRIT": "fatal",
        "ERROR": "error",
        "WARNING": "warn",
        "NOTICE": "info",
        "INFO": "info",
        "DEBUG": "debug",
    },
}
FAMILY_STYLE = {
    **dict.fromkeys(("sshd", "pam", "sudo", "su", "login", "systemd", "cron", "kernel", "storage", "network", "packages"), "syslog"),
    **dict.fromkeys(("auditd", "fail2ban", "clamav", "suricata", "nagios", "monit"), "syslog"),
    **dict.fromkeys(("apache-error", "nginx-error", "mod_jk", "haproxy", "modsecurity"), "apache"),
    **dict.fromkeys(("android", "kubelet", "kube-control-plane"), "letter"),  # logcat and klog: one letter
    **dict.fromkeys(("java", "keycloak", "jenkins", "camunda"), "jul"),
    **dict.fromkeys(("windows-cbs", "windows-events", "windows-defender", "aspnet-core"), "windows"),
    **dict.fromkeys(("python", "django", "werkzeug", "uvicorn", "gunicorn", "nova-api", "nova-compute", "neutron", "keystone"), "python"),
    **dict.fromkeys(("cinder-glance", "ambari", "business-regex", "business-bert", "legacycrm"), "python"),
    **dict.fromkeys(("dockerd", "containerd", "go-web", "grafana", "prometheus", "telegraf", "crowdsec", "node", "falco"), "lower"),
    **dict.fromkeys(("juniper-junos", "mikrotik", "zfs", "nfs", "smartd", "wireguard", "openvpn", "strongswan"), "syslog"),
    **dict.fromkeys(("postfix", "dovecot", "exim", "bind", "dnsmasq", "isc-dhcpd"), "syslog"),
    **dict.fromkeys(("glusterfs",), "letter"),  # gluster writes " E [" / " W [" / " I ["
    **dict.fromkeys(("airflow", "celery", "mlflow", "dbt", "pytorch-lightning", "business-ops"), "python"),
    **dict.fromkeys(("coredns", "argocd", "flux", "tekton", "gitlab-runner", "temporal", "envoy", "emqx"), "lower"),
    **dict.fromkeys(("fortigate", "palo-alto", "rspamd"), "lower"),
}
BLANK_SHARE = 0.4  # share of rows written without a level


def typical_severity(label: str, template: str) -> str:
    """The severity this template is written at: its label's mix, picked by a stable hash of the template."""
    mix = TYPICAL[label]
    point = zlib.crc32(template.encode("utf-8")) % sum(w for _, w in mix)
    for severity, weight in mix:
        if point < weight:
            return severity
        point -= weight
    return mix[-1][0]


def typical_level(family: str, label: str, template: str) -> str:
    """The level cell as `family` writes this template."""
    return STYLES[FAMILY_STYLE.get(family, "log4j")][typical_severity(label, template)]


def blank_some(rows: list[dict[str, str]], seed: int, share: float = BLANK_SHARE) -> None:
    """Empty the level of about `share` of the rows, deterministically for a seed (its own RNG: the other
    columns stay exactly as generated)."""
    rng = random.Random(f"levels-{seed}")
    for row in rows:
        if rng.random() < share:
            row["level"] = ""
