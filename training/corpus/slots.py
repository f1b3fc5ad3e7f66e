"""Slot fillers shared by every family: the variable parts of real log lines.

A template names its variable parts as `{slot}`; `{{` and `}}` are literal braces. Numbers, ids, hex,
block ids, sizes with units, durations, encoded query strings, numbered host names and dates in several
formats vary on every row, so the model learns the words around them, not the values. Word slots
(services, units, tables, topics ...) vary too: they are part of what makes two lines different events.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta
from urllib.parse import quote

_EPOCH = datetime(2024, 1, 1)


def _hex(r: random.Random, n: int) -> str:
    return "".join(r.choice("0123456789abcdef") for _ in range(n))


def _uuid(r: random.Random) -> str:
    return "-".join(_hex(r, n) for n in (8, 4, 4, 4, 12))


def _when(r: random.Random) -> datetime:
    return _EPOCH + timedelta(seconds=r.randint(0, 700 * 86400), microseconds=r.randint(0, 999999))


def _ip(r: random.Random) -> str:
    first = r.choice([10, 10, 172, 192, 203, 198, 45, 81, 113, 185, 61])
    return f"{first}.{r.randint(0, 255)}.{r.randint(0, 255)}.{r.randint(1, 254)}"


def _size(r: random.Random) -> str:
    unit = r.choice(["KB", "MB", "MB", "GB", "K", "M", "G", "MiB", "GiB", "kB"])
    value = r.choice([f"{r.randint(1, 999)}", f"{r.uniform(0.1, 999):.1f}", f"{r.uniform(0.1, 99):.2f}"])
    return f"{value}{r.choice(['', ' '])}{unit}" if unit not in ("K", "M", "G") else f"{value}{unit}"


def _duration(r: random.Random) -> str:
    return r.choice(
        [f"{r.randint(1, 999)}ms", f"{r.uniform(0.01, 90):.2f}s", f"{r.randint(1, 59)}m{r.randint(0, 59)}s", f"{r.randint(1, 9999)} ms"]
    )


def _query(r: random.Random) -> str:
    stamp = quote(_when(r).strftime("%Y-%m-%dT%H:%M:%S+00:00"), safe="")
    pairs = [
        f"since={stamp}",
        f"page={r.randint(1, 40)}",
        f"id={r.randint(1, 99999)}",
        f"_={r.randint(10**12, 10**13)}",
        f"token={_hex(r, 16)}",
    ]
    return "&".join(r.sample(pairs, r.randint(1, 3)))


def _path(r: random.Random) -> str:
    base = r.choice(URL_PATHS)
    base = base.replace("#", str(r.randint(1, 99999)))
    return base + (f"?{_query(r)}" if r.random() < 0.3 else "")


def _host(r: random.Random) -> str:
    return r.choice(
        [
            f"{r.choice(HOST_WORDS)}-{r.randint(1, 99):02d}",
            f"{r.choice(HOST_WORDS)}{r.randint(1, 40)}.{r.choice(DOMAINS)}",
            f"ip-{_ip(r).replace('.', '-')}",
        ]
    )


def _date(r: random.Random) -> str:
    fmt = r.choice(["%Y-%m-%d %H:%M:%S", "%a %b %d %H:%M:%S %Y", "%d/%m/%Y %H:%M", "%Y%m%d", "%b %d, %Y", "%Y-%m-%dT%H:%M:%SZ"])
    return _when(r).strftime(fmt)


URL_PATHS = [
    "/",
    "/index.html",
    "/login",
    "/logout",
    "/api/v1/orders/#",
    "/api/v2/users/#",
    "/health",
    "/healthz",
    "/metrics",
    "/static/js/app.#.js",
    "/static/css/main.css",
    "/images/logo.png",
    "/favicon.ico",
    "/robots.txt",
    "/search",
    "/api/v1/items",
    "/cart/checkout",
    "/wp-login.php",
    "/admin",
    "/graphql",
    "/v2/#/servers/detail",
    "/products/#",
    "/downloads/report-#.pdf",
    "/api/v3/accounts/#/invoices",
    "/feed.xml",
    "/oauth/token",
    "/ws",
    "/status",
]
HOST_WORDS = ["web", "db", "app", "node", "worker", "cache", "mq", "lb", "edge", "k8s-node", "compute", "storage", "dn", "nn", "es-data"]
DOMAINS = ["prod.example.com", "dc1.internal", "eu-west.corp.local", "cluster.local", "lab.example.org"]
USERS = [
    "root",
    "admin",
    "ubuntu",
    "deploy",
    "jenkins",
    "postgres",
    "alice",
    "bob",
    "carol",
    "dave",
    "erin",
    "oracle",
    "git",
    "test",
    "guest",
    "ftpuser",
    "support",
    "backup",
    "www-data",
    "nagios",
    "hadoop",
    "mysql",
    "pi",
    "user",
]
PEOPLE = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar", "peggy", "trent"]
SERVICES = [
    "payments",
    "auth",
    "inventory",
    "search",
    "reports",
    "notifications",
    "orders",
    "profile",
    "ledger",
    "checkout",
    "gateway",
    "catalog",
]
METHODS = ["GET", "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"]
STATUS = [200] * 12 + [201, 204, 206, 301, 302, 304, 304, 400, 401, 403, 404, 404, 405, 408, 413, 429, 499, 500, 502, 503, 504]
AGENTS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
    "curl/8.5.0",
    "python-requests/2.31.0",
    "Go-http-client/1.1",
    "kube-probe/1.29",
    "Googlebot/2.1 (+http://www.google.com/bot.html)",
    "okhttp/4.12.0",
    "Wget/1.21.3",
]


SLOTS = {
    "ip": _ip,
    "port": lambda r: str(r.randint(1024, 65535)),
    "pid": lambda r: str(r.randint(2, 4194304)),
    "n": lambda r: str(r.randint(1, 64)),
    "big": lambda r: str(r.randint(1000, 99999999)),
    "id": lambda r: str(r.randint(1, 999999)),
    "hex8": lambda r: _hex(r, 8),
    "hex12": lambda r: _hex(r, 12),
    "hex32": lambda r: _hex(r, 32),
    "hex64": lambda r: _hex(r, 64),
    "addr": lambda r: "0x" + _hex(r, r.choice([8, 12, 16])),
    "uuid": _uuid,
    "req": lambda r: f"req-{_uuid(r)}",
    "blk": lambda r: f"blk_{r.choice(['-', ''])}{r.randint(10**17, 9 * 10**18)}",
    "gs": lambda r: str(r.randint(1000, 9999999)),  # HDFS generation stamp
    "appid": lambda r: f"{r.randint(1400000000000, 1799999999999)}_{r.randint(1, 9999):04d}",
    "size": _size,
    "bytes": lambda r: str(r.randint(0, 67108864)),
    "kb": lambda r: str(r.randint(1000, 64000000)),
    "mb": lambda r: str(r.choice([256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536])),
    "gb": lambda r: str(r.choice([8, 20, 40, 80, 100, 250, 500, 1000, 2000])),
    "pct": lambda r: str(r.randint(80, 99)),
    "lowpct": lambda r: str(r.randint(1, 70)),
    "float": lambda r: f"{r.uniform(0, 100):.2f}",
    "dur": _duration,
    "ms": lambda r: str(r.randint(0, 30000)),
    "sec": lambda r: f"{r.uniform(0, 5):.7f}",
    "ver": lambda r: f"{r.randint(1, 12)}.{r.randint(0, 30)}.{r.randint(0, 40)}",
    "kver": lambda r: f"{r.choice([5, 6])}.{r.randint(1, 19)}.{r.randint(0, 120)}-{r.randint(1, 99)}-generic",
    "date": _date,
    "iso": lambda r: _when(r).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
    "clf": lambda r: _when(r).strftime("%d/%b/%Y:%H:%M:%S +0000"),
    "path": _path,
    "query": _query,
    "method": lambda r: r.choice(METHODS),
    "status": lambda r: str(r.choice(STATUS)),
    "agent": lambda r: r.choice(AGENTS),
    "host": _host,
    "user": lambda r: r.choice(USERS),
    "person": lambda r: r.choice(PEOPLE),
    "svc": lambda r: r.choice(SERVICES),
    "uid": lambda r: str(r.randint(1000, 65000)),
    "tty": lambda r: r.choice(["pts/0", "pts/1", "pts/3", "tty1", "ssh:notty", "pts/12"]),
    "sshkey": lambda r: (
        f"SHA256:{''.join(r.choice('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') for _ in range(43))}"
    ),
    "dev": lambda r: r.choice(["sda", "sdb", "sdc", "nvme0n1", "nvme1n1", "vda", "xvdf", "md0", "dm-0"]),
    "part": lambda r: r.choice(["sda1", "sdb2", "nvme0n1p2", "vda1", "dm-2", "md127", "sdc1"]),
    "mnt": lambda r: r.choice(["/", "/var", "/home", "/data", "/srv/backup", "/var/lib/docker", "/mnt/disk3", "/tmp"]),
    "iface": lambda r: r.choice(["eth0", "eth1", "ens3", "ens192", "enp0s31f6", "bond0", "eno1", "wlan0"]),
    "mac": lambda r: ":".join(_hex(r, 2) for _ in range(6)),
    "file": lambda r: (
        f"/var/{r.choice(['lib', 'data', 'spool', 'cache'])}/{r.choice(['app', 'export', 'tmp', 'jobs'])}/{r.choice(['part', 'chunk', 'batch', 'file'])}-{r.randint(0, 99999):05d}.{r.choice(['dat', 'csv', 'json', 'gz', 'parquet'])}"
    ),
}

SLOT_OR_BRACE = re.compile(r"\{\{|\}\}|\{(\w+)\}")


def fill(template: str, rng: random.Random, words: dict[str, list[str]] | None = None) -> str:
    """Fill `{slot}`s from SLOTS or from the family's own word lists (`words`)."""

    def one(m: re.Match) -> str:
        name = m.group(1)
        if not name:
            return m.group(0)[0]
        if words and name in words:
            return rng.choice(words[name])
        return SLOTS[name](rng)

    return SLOT_OR_BRACE.sub(one, template)
