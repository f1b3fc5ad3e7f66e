"""The real-variety workload: public software's log formats at production-like frequencies.

The corpus-derived varied workload (`workloads.varied_rows`) keeps every corpus line as its own
template, ~9,000 of them by construction: an embedding stress test. Production logs are different:
a few formats dominate and the variety is in the *values*. This module writes lines in the formats
of sixteen public systems (HDFS, Hadoop, Spark, ZooKeeper, OpenStack, Blue Gene/L, HPC, Thunderbird,
Linux, OpenSSH, Apache, Android, HealthApp, Proxifier, macOS, Windows CBS), written from knowledge of
each format, with Zipf-like popularity across ~200 line kinds, and values redrawn richly per row:
numbers of every length, host names with and without digits and ports, paths, user names, UUIDs,
hex, block ids, numbers joined by punctuation (`1511##6425`, `3|4`, `a_1_2`), timestamps.

`token_rule` is the reference the bench reports beside our masking: the plain Drain-style rule,
any whitespace token holding a digit is a variable.
"""

from __future__ import annotations

import random
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from pathlib import Path

from bench.workloads import _cumulative, _write_once

ZIPF_EXPONENT = 1.1  # weight of the k-th most frequent line kind: 1 / k^1.1 (a few kinds dominate)

# ----------------------------------------------------------------------------- value pools (fixed words)
USERS = [
    "root",
    "admin",
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
    "hdfs",
    "yarn",
    "spark",
    "zookeeper",
    "nova",
    "www-data",
    "nginx",
    "postgres",
    "mysql",
    "deploy",
    "jenkins",
    "backup",
    "oracle",
    "git",
    "ubuntu",
    "ec2-user",
    "test",
    "guest",
    "support",
    "operator",
    "ftp",
    "mail",
    "nobody",
    "daemon",
]
HOST_WORDS = [
    "api",
    "apis",
    "www",
    "mail",
    "smtp",
    "imap",
    "proxy",
    "cdn",
    "static",
    "edge",
    "auth",
    "login",
    "db",
    "cache",
    "queue",
    "search",
    "img",
    "media",
    "files",
    "ntp",
    "dns",
]
DOMAINS = [
    "google",
    "facebook",
    "microsoft",
    "apple",
    "amazon",
    "akamai",
    "cloudflare",
    "github",
    "gitlab",
    "office",
    "live",
    "yahoo",
    "baidu",
    "qq",
    "weibo",
    "example",
    "acme",
    "contoso",
    "fabrikam",
    "cuhk",
    "mit",
    "stanford",
    "berkeley",
    "tsinghua",
    "azure",
    "fastly",
    "twimg",
    "doubleclick",
]
TLDS = ["com", "com", "com", "net", "org", "io", "edu", "cn", "hk", "uk", "de", "jp"]
PATH_WORDS = [
    "var",
    "log",
    "lib",
    "tmp",
    "opt",
    "usr",
    "local",
    "share",
    "data",
    "home",
    "etc",
    "srv",
    "app",
    "apps",
    "bin",
    "conf",
    "cache",
    "run",
    "spool",
    "mnt",
    "dfs",
    "current",
    "followup",
    "spasm",
    "raptor",
    "jobs",
    "scratch",
    "work",
    "build",
    "release",
    "static",
    "assets",
    "images",
    "uploads",
    "users",
    "reports",
]
FILE_EXT = ["log", "txt", "conf", "json", "xml", "jar", "so", "dat", "tmp", "gz"]
PACKAGES = ["Package_for_KB", "Microsoft-Windows-Foundation", "Microsoft-Windows-Client-Features", "WinEmb-Shell", "Microsoft-Hyper-V"]
APPS = ["Chrome", "Safari", "Firefox", "Mail", "Finder", "Dock", "Spotlight", "Slack", "Outlook", "Teams", "Dropbox", "Skype"]
PROCESSES = [
    "chrome.exe",
    "firefox.exe",
    "outlook.exe",
    "svchost.exe",
    "Teams.exe",
    "Dropbox.exe",
    "skype.exe",
    "OneDrive.exe",
    "WeChat.exe",
]
SERVICES = ["nova-api", "nova-compute", "keystone", "glance", "neutron", "cinder", "swift", "heat"]
METHODS = ("GET", "GET", "GET", "GET", "POST", "POST", "PUT", "DELETE", "HEAD")
STATUSES = ("200",) * 12 + ("201", "204", "301", "302", "304", "400", "401", "403", "404", "404", "500", "502", "503")
ANDROID_TAGS = [
    "PowerManagerService",
    "WindowManager",
    "ActivityManager",
    "DisplayPowerController",
    "SendBroadcastPermission",
    "AudioManager",
]
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randrange(10 ** (n - 1), 10**n)) if n > 1 else str(rng.randrange(10))


def _number(rng: random.Random) -> str:
    """A count or id of any length: mostly short, sometimes long (1 to 19 digits)."""
    return _digits(rng, min(19, 1 + int(rng.expovariate(0.35))))


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _label(rng: random.Random) -> str:
    word = rng.choice(HOST_WORDS)
    r = rng.random()
    if r < 0.25:
        return f"{word}{rng.randrange(1, 40)}"
    if r < 0.35:
        return f"{word}-{rng.randrange(1, 20):02d}"
    return word


def host(rng: random.Random) -> str:
    """A host name: FQDNs with and without digits in their labels, sometimes deeper subdomains."""
    parts = [_label(rng)]
    if rng.random() < 0.3:
        parts.append(rng.choice(("dc1", "eu-west", "us", "cse", "corp", "prod", "internal", "edge")))
    parts.append(rng.choice(DOMAINS))
    if rng.random() < 0.15:
        parts.append(rng.choice(("edu", "co", "ac")))
    parts.append(rng.choice(TLDS))
    return ".".join(parts)


def host_port(rng: random.Random) -> str:
    return f"{host(rng)}:{rng.choice(('443', '443', '80', '8080', '5070', str(rng.randrange(1024, 65536))))}"


def ip(rng: random.Random) -> str:
    return f"{rng.choice((10, 172, 192, rng.randrange(1, 224)))}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


# paths of words only: a system has a limited set of them (its config, its pages); a random combination of words
# per row would be a variable no rule can see, unlike anything a real log repeats
FIXED_PATHS = [
    "/etc/httpd/conf/httpd.conf",
    "/var/www/html/index.html",
    "/var/www/html/favicon.ico",
    "/var/www/html/robots.txt",
    "/var/www/html/admin/login.php",
    "/var/www/html/scripts/setup.php",
    "/usr/lib/jvm/java/bin/java",
    "/opt/app/conf/app.yaml",
    "/var/log/messages",
    "/var/lib/mysql/ibdata",
    "/home/deploy/.ssh/authorized_keys",
    "/srv/static/css/site.css",
    "/p/gb/spasm/raptor",
    "/bgl/apps/followup/spasm/bin/spasm",
    "/usr/local/bin/backup.sh",
    "/etc/nginx/nginx.conf",
]


def path(rng: random.Random) -> str:
    """An absolute path: a fixed one of words only (30%), or 2-6 segments of which at least one holds digits or
    hex (job dirs, ids, dated files) among words and user names."""
    if rng.random() < 0.3:
        return rng.choice(FIXED_PATHS)
    segments = []
    for _ in range(rng.randrange(2, 7)):
        r = rng.random()
        if r < 0.6:
            segments.append(rng.choice(PATH_WORDS))
        elif r < 0.75:
            segments.append(f"{rng.choice(PATH_WORDS)}{rng.randrange(1, 500)}")
        elif r < 0.85:
            segments.append(str(rng.randrange(1, 99999)))
        elif r < 0.92:
            segments.append(_hex(rng, rng.choice((8, 12, 16))))
        else:
            segments.append(rng.choice(USERS))
    name = (
        f"{rng.choice(PATH_WORDS)}{rng.choice(('_' + _number(rng), '-' + _hex(rng, 6), str(rng.randrange(1, 99))))}.{rng.choice(FILE_EXT)}"
    )
    return "/" + "/".join(segments + [name])


def user(rng: random.Random) -> str:
    return rng.choice(USERS) if rng.random() < 0.85 else f"{rng.choice(USERS)}{rng.randrange(1, 100)}"


def uuid(rng: random.Random) -> str:
    h = _hex(rng, 32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def joined(rng: random.Random) -> str:
    """Numbers joined inside one token by punctuation, as counters and composite ids are written."""
    sep = rng.choice(("##", "|", ":", "_", "#", "-"))
    return sep.join(_number(rng) for _ in range(rng.randrange(2, 7)))


def duration(rng: random.Random) -> str:
    return f"{rng.randrange(0, 5000)}.{_digits(rng, rng.choice((1, 2, 3)))}"


def size(rng: random.Random) -> str:
    return str(rng.randrange(1, 10 ** rng.randrange(1, 11)))


def ts_iso(rng: random.Random) -> str:
    return (
        f"{rng.randrange(2015, 2027)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d} "
        f"{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d},{rng.randrange(1000):03d}"
    )


def ts_syslog(rng: random.Random) -> str:
    return f"{rng.choice(MONTHS)} {rng.randrange(1, 29):>2} {rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"


def ts_hdfs(rng: random.Random) -> str:
    return f"0811{rng.randrange(1, 12):02d} {rng.randrange(24):02d}{rng.randrange(60):02d}{rng.randrange(60):02d} {rng.randrange(1, 40000)}"


def ts_short(rng: random.Random) -> str:  # Spark, Android, HealthApp-style compact stamps
    return f"{rng.randrange(15, 27)}/{rng.randrange(1, 13):02d}/{rng.randrange(1, 29):02d} {rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"


def ts_health(rng: random.Random) -> str:
    return f"2017{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}-{rng.randrange(24)}:{rng.randrange(60)}:{rng.randrange(60)}:{rng.randrange(1000)}"


def ts_bgl(rng: random.Random) -> str:
    d = f"2005.{rng.randrange(6, 13):02d}.{rng.randrange(1, 29):02d}"
    return f"{rng.randrange(1117838570, 1136000000)} {d} R{rng.randrange(80):02d}-M{rng.randrange(2)}-N{rng.randrange(16):X}-C:J{rng.randrange(18):02d}-U{rng.randrange(2)}1"


def ts_android(rng: random.Random) -> str:
    return f"{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d} {rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}.{rng.randrange(1000):03d}  {rng.randrange(100, 30000):>5} {rng.randrange(100, 30000):>5}"


def ts_proxifier(rng: random.Random) -> str:
    return (
        f"[{rng.randrange(1, 13):02d}.{rng.randrange(1, 29):02d} {rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}]"
    )


def ts_apache(rng: random.Random) -> str:
    return f"[{rng.choice(DAYS)} {rng.choice(MONTHS)} {rng.randrange(1, 29):02d} {rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d} 2005]"


def ts_clf(rng: random.Random) -> str:
    return f"[{rng.randrange(1, 29):02d}/{rng.choice(MONTHS)}/2025:{rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d} +0000]"


def ts_cbs(rng: random.Random) -> str:
    return f"2016-09-{rng.randrange(1, 29):02d} {rng.randrange(24):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d},"


SLOT_DRAW: dict[str, Callable[[random.Random], str]] = {
    "num": _number,
    "small": lambda r: str(r.randrange(0, 100)),
    "pid": lambda r: str(r.randrange(100, 65536)),
    "port": lambda r: str(r.randrange(1024, 65536)),
    "big": lambda r: _digits(r, r.randrange(8, 20)),
    "blk": lambda r: f"blk_{r.choice(('', '-'))}{_digits(r, 19)}",
    "ip": ip,
    "ipport": lambda r: f"{ip(r)}:{r.randrange(1024, 65536)}",
    "host": host,
    "hostport": host_port,
    "path": path,
    "user": user,
    "uuid": uuid,
    "hex8": lambda r: _hex(r, 8),
    "hex16": lambda r: _hex(r, 16),
    "hex40": lambda r: _hex(r, 40),
    "joined": joined,
    "dur": duration,
    "size": size,
    "pct": lambda r: str(r.randrange(0, 101)),
    "method": lambda r: r.choice(METHODS),
    "status": lambda r: r.choice(STATUSES),
    "svc": lambda r: r.choice(SERVICES),
    "pkg": lambda r: (
        f"{r.choice(PACKAGES)}~31bf3856ad364e35~amd64~~{r.randrange(6, 11)}.{r.randrange(4)}.{r.randrange(10000, 20000)}.{r.randrange(1000)}"
    ),
    "app": lambda r: r.choice(APPS),
    "exe": lambda r: r.choice(PROCESSES),
    "atag": lambda r: r.choice(ANDROID_TAGS),
    "machost": lambda r: f"mbp-{r.choice(('anna', 'ops', 'dev', 'lab'))}-{r.randrange(1, 30)}",
    "linhost": lambda r: r.choice(("web1", "web2", "db1", "gw", "build")),
    "node": lambda r: f"node-{r.randrange(1, 1024)}",
    "job": lambda r: f"job_{_digits(r, 13)}_{r.randrange(1, 9999):04d}",
    "attempt": lambda r: f"attempt_{_digits(r, 13)}_{r.randrange(1, 9999):04d}_{r.choice('mr')}_{r.randrange(999999):06d}_{r.randrange(4)}",
    "container": lambda r: f"container_{_digits(r, 13)}_{r.randrange(1, 9999):04d}_01_{r.randrange(999999):06d}",
    "req": lambda r: f"req-{uuid(r)}",
    "sid": lambda r: f"0x{_hex(r, 14)}",
    "word": lambda r: r.choice(("sessions", "tmp", "uploads", "exports", "cache", "locks", "mail", "logs")),
    "ts_iso": ts_iso,
    "ts_syslog": ts_syslog,
    "ts_hdfs": ts_hdfs,
    "ts_short": ts_short,
    "ts_health": ts_health,
    "ts_bgl": ts_bgl,
    "ts_android": ts_android,
    "ts_proxifier": ts_proxifier,
    "ts_apache": ts_apache,
    "ts_clf": ts_clf,
    "ts_cbs": ts_cbs,
}

SN, ERR, CRIT, SEC, HTTP, RES, UA, DEP = (
    "System Notification",
    "Error",
    "Critical Error",
    "Security Alert",
    "HTTP Status",
    "Resource Usage",
    "User Action",
    "Deprecation Warning",
)

# (source, gold label, format): {slot} is redrawn per row from SLOT_DRAW. Written from each format's shape.
KINDS: list[tuple[str, str, str]] = [
    # HDFS
    ("hdfs", SN, "{ts_hdfs} INFO dfs.DataNode$PacketResponder: PacketResponder {small} for block {blk} terminating"),
    ("hdfs", SN, "{ts_hdfs} INFO dfs.DataNode$PacketResponder: Received block {blk} of size {size} from /{ip}"),
    ("hdfs", SN, "{ts_hdfs} INFO dfs.DataNode$DataXceiver: Receiving block {blk} src: /{ipport} dest: /{ipport}"),
    (
        "hdfs",
        SN,
        "{ts_hdfs} INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap updated: {ipport} is added to {blk} size {size}",
    ),
    ("hdfs", SN, "{ts_hdfs} INFO dfs.FSNamesystem: BLOCK* NameSystem.allocateBlock: {path}. {blk}"),
    ("hdfs", SN, "{ts_hdfs} INFO dfs.FSNamesystem: BLOCK* NameSystem.delete: {blk} is added to invalidSet of {ipport}"),
    ("hdfs", SN, "{ts_hdfs} INFO dfs.DataNode$DataXceiver: {ipport} Served block {blk} to /{ip}"),
    ("hdfs", SN, "{ts_hdfs} INFO dfs.FSDataset: Deleting block {blk} file /mnt/hadoop/dfs/data/current/subdir{small}/{blk}"),
    ("hdfs", ERR, "{ts_hdfs} WARN dfs.DataNode$DataXceiver: {ipport}:Got exception while serving {blk} to /{ip}:"),
    (
        "hdfs",
        ERR,
        "{ts_hdfs} INFO dfs.DataNode$PacketResponder: Exception in receiveBlock for block {blk} java.io.IOException: Connection reset by peer",
    ),
    ("hdfs", SN, "{ts_hdfs} INFO dfs.DataBlockScanner: Verification succeeded for {blk}"),
    ("hdfs", SN, "{ts_hdfs} INFO dfs.FSNamesystem: BLOCK* ask {ipport} to replicate {blk} to datanode(s) {ipport}"),
    # Hadoop MapReduce / YARN
    (
        "hadoop",
        SN,
        "{ts_iso} INFO [main] org.apache.hadoop.mapreduce.v2.app.MRAppMaster: Created MRAppMaster for application appattempt_{big}_{small}_{small}",
    ),
    (
        "hadoop",
        SN,
        "{ts_iso} INFO [AsyncDispatcher event handler] org.apache.hadoop.mapreduce.v2.app.job.impl.TaskAttemptImpl: {attempt} TaskAttempt Transitioned from NEW to UNASSIGNED",
    ),
    (
        "hadoop",
        SN,
        "{ts_iso} INFO [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: Assigned container {container} to {attempt}",
    ),
    (
        "hadoop",
        SN,
        "{ts_iso} INFO [fetcher#{small}] org.apache.hadoop.mapreduce.task.reduce.Fetcher: fetcher#{small} about to shuffle output of map {attempt} decomp: {size} len: {size} to MEMORY",
    ),
    ("hadoop", SN, "{ts_iso} INFO [main] org.apache.hadoop.mapred.MapTask: Processing split: hdfs://{host}:{port}{path}:{size}+{size}"),
    (
        "hadoop",
        ERR,
        "{ts_iso} WARN [LeaseRenewer:{user}@{host}:{port}] org.apache.hadoop.hdfs.LeaseRenewer: Failed to renew lease for [DFSClient_NONMAPREDUCE_{num}_{small}] for {small} seconds.  Will retry shortly ...",
    ),
    (
        "hadoop",
        ERR,
        "{ts_iso} ERROR [RMCommunicator Allocator] org.apache.hadoop.mapreduce.v2.app.rm.RMContainerAllocator: ERROR IN CONTACTING RM.",
    ),
    (
        "hadoop",
        SN,
        "{ts_iso} INFO [IPC Server handler {small} on {port}] org.apache.hadoop.mapred.TaskAttemptListenerImpl: Progress of TaskAttempt {attempt} is : 0.{num}",
    ),
    (
        "hadoop",
        CRIT,
        "{ts_iso} FATAL [IPC Server handler {small} on {port}] org.apache.hadoop.mapred.TaskAttemptListenerImpl: Task: {attempt} - exited : java.net.NoRouteToHostException: No Route to Host from {host} to {host}:{port} failed on socket timeout exception",
    ),
    # Spark
    ("spark", SN, "{ts_short} INFO storage.BlockManager: Found block rdd_{small}_{num} locally"),
    ("spark", SN, "{ts_short} INFO executor.Executor: Running task {dur} in stage {dur} (TID {num})"),
    ("spark", SN, "{ts_short} INFO executor.Executor: Finished task {dur} in stage {dur} (TID {num}). {size} bytes result sent to driver"),
    ("spark", SN, "{ts_short} INFO spark.CacheManager: Partition rdd_{small}_{num} not found, computing it"),
    (
        "spark",
        SN,
        "{ts_short} INFO storage.MemoryStore: Block broadcast_{num} stored as values in memory (estimated size {dur} KB, free {dur} MB)",
    ),
    ("spark", SN, "{ts_short} INFO broadcast.TorrentBroadcast: Reading broadcast variable {num} took {num} ms"),
    ("spark", SN, "{ts_short} INFO executor.CoarseGrainedExecutorBackend: Got assigned task {num}"),
    ("spark", ERR, "{ts_short} ERROR executor.Executor: Exception in task {dur} in stage {dur} (TID {num})"),
    ("spark", SN, "{ts_short} INFO storage.ShuffleBlockFetcherIterator: Getting {num} non-empty blocks out of {num} blocks"),
    ("spark", SN, "{ts_short} INFO storage.ShuffleBlockFetcherIterator: Started {num} remote fetches in {num} ms"),
    # ZooKeeper
    (
        "zookeeper",
        SN,
        "{ts_iso} - INFO  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181:NIOServerCnxnFactory@197] - Accepted socket connection from /{ipport}",
    ),
    (
        "zookeeper",
        SN,
        "{ts_iso} - INFO  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181:NIOServerCnxn@1001] - Closed socket connection for client /{ipport} which had sessionid {sid}",
    ),
    (
        "zookeeper",
        SN,
        "{ts_iso} - INFO  [SyncThread:{small}:ZooKeeperServer@595] - Established session {sid} with negotiated timeout {num} for client /{ipport}",
    ),
    ("zookeeper", ERR, "{ts_iso} - WARN  [SendWorker:{small}:QuorumCnxManager$SendWorker@688] - Send worker leaving thread"),
    ("zookeeper", ERR, "{ts_iso} - WARN  [RecvWorker:{small}:QuorumCnxManager$RecvWorker@765] - Interrupting SendWorker"),
    ("zookeeper", ERR, "{ts_iso} - WARN  [NIOServerCxn.Factory:0.0.0.0/0.0.0.0:2181:NIOServerCnxn@349] - caught end of stream exception"),
    (
        "zookeeper",
        SN,
        "{ts_iso} - INFO  [ProcessThread(sid:{small} cport:-1)::PrepRequestProcessor@476] - Processed session termination for sessionid: {sid}",
    ),
    ("zookeeper", ERR, "{ts_iso} - WARN  [QuorumPeer[myid={small}]/0:0:0:0:0:0:0:0:2181:Follower@118] - Got zxid {sid} expected 0x1"),
    # OpenStack nova
    (
        "openstack",
        HTTP,
        '{svc}.osapi_compute.wsgi.server [{req} {hex16} {hex16} - - -] {ip} "{method} /v2/{hex16}/servers/detail HTTP/1.1" status: {status} len: {size} time: {dur}',
    ),
    (
        "openstack",
        HTTP,
        '{svc}.metadata.wsgi.server [-] {ip},{ip} "GET /openstack/2013-10-17/meta_data.json HTTP/1.1" status: {status} len: {size} time: {dur}',
    ),
    ("openstack", SN, "nova.compute.manager [{req} - - - - -] [instance: {uuid}] VM Started (Lifecycle Event)"),
    (
        "openstack",
        SN,
        "nova.compute.manager [{req} - - - - -] [instance: {uuid}] During sync_power_state the instance has a pending task (spawning). Skip.",
    ),
    ("openstack", SN, "nova.compute.claims [{req} {hex16} {hex16} - - -] [instance: {uuid}] Total memory: {num} MB, used: {dur} MB"),
    ("openstack", SN, "nova.virt.libvirt.imagecache [{req} - - - - -] image {uuid} at (/var/lib/nova/instances/_base/{hex40}): checking"),
    ("openstack", SN, "nova.compute.manager [{req} {hex16} {hex16} - - -] [instance: {uuid}] Took {dur} seconds to build instance."),
    ("openstack", ERR, "nova.compute.manager [{req} - - - - -] [instance: {uuid}] Instance failed to spawn"),
    ("openstack", DEP, "nova.api.openstack [{req} - - - - -] The v2 API is deprecated; use the v2.1 API at /v2.1/{hex16}/servers"),
    # Blue Gene/L
    ("bgl", SN, "- {ts_bgl} RAS KERNEL INFO instruction cache parity error corrected"),
    ("bgl", SN, "- {ts_bgl} RAS KERNEL INFO generating core.{num}"),
    ("bgl", CRIT, "KERNDTLB {ts_bgl} RAS KERNEL FATAL data TLB error interrupt"),
    ("bgl", SN, "- {ts_bgl} RAS KERNEL INFO {num} double-hummer alignment exceptions"),
    ("bgl", SN, "- {ts_bgl} RAS KERNEL INFO CE sym {small}, at {sid}, mask {sid}"),
    ("bgl", ERR, "APPREAD {ts_bgl} RAS APP FATAL ciod: failed to read message prefix on control stream (CioStream socket to {ipport}"),
    ("bgl", ERR, "- {ts_bgl} RAS APP FATAL ciod: Error loading {path}: invalid or missing program image, No such file or directory"),
    ("bgl", ERR, "- {ts_bgl} RAS APP FATAL ciod: LOGIN chdir({path}) failed: No such file or directory"),
    ("bgl", CRIT, "KERNMNTF {ts_bgl} RAS KERNEL FATAL Lustre mount FAILED : bglio{small} : block_id : location"),
    ("bgl", SN, "- {ts_bgl} RAS KERNEL INFO total of {num} ddr error(s) detected and corrected"),
    # HPC
    ("hpc", SN, "{num} node-{small} node status {big} 1 running running"),
    (
        "hpc",
        CRIT,
        "{num} node-{small} unix.hw state_change.unavailable {big} 1 Component State Change: Component \\042alt0\\042 is in the unavailable state (HWID={num})",
    ),
    (
        "hpc",
        SN,
        "{num} node-{small} boot_cmd new {big} 1 Targeting domains:node-D{small} and nodes:node-[{small}-{small}] child of command {num}",
    ),
    ("hpc", SN, "{num} {node} action start {big} 1 clusterAddMember (command {num})"),
    ("hpc", ERR, "{num} {node} node status {big} 1 Fan speeds ( {num} {num} {num} {num} {num} {num} )"),
    ("hpc", RES, "{num} {node} domain status {big} 1 ServerFileSystem domain storage{small} has {pct}% used, {num} free"),
    # Thunderbird
    ("thunderbird", SN, "- {big} 2005.11.{small} {node} {ts_syslog} {node}/{node} ntpd[{pid}]: synchronized to {ip}, stratum {small}"),
    (
        "thunderbird",
        SN,
        "- {big} 2005.11.{small} {node} {ts_syslog} {node}/{node} crond(pam_unix)[{pid}]: session opened for user {user} by (uid=0)",
    ),
    ("thunderbird", SN, "- {big} 2005.11.{small} {node} {ts_syslog} {node}/{node} crond(pam_unix)[{pid}]: session closed for user {user}"),
    (
        "thunderbird",
        CRIT,
        "ECC {big} 2005.11.{small} {node} {ts_syslog} {node}/{node} kernel: EXT3-fs error (device sda{small}): ext3_find_entry: reading directory #{num} offset {num}",
    ),
    ("thunderbird", SN, "- {big} 2005.11.{small} {node} {ts_syslog} {node}/{node} dhcpd: DHCPREQUEST for {ip} from {hex8} via eth{small}"),
    # Linux syslog
    ("linux", SN, "{ts_syslog} {linhost} syslogd 1.4.1: restart."),
    ("linux", SN, "{ts_syslog} {linhost} logrotate: ALERT exited abnormally with [{small}]"),
    (
        "linux",
        SEC,
        "{ts_syslog} {linhost} sshd(pam_unix)[{pid}]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost={host}",
    ),
    ("linux", SEC, "{ts_syslog} {linhost} sshd(pam_unix)[{pid}]: check pass; user unknown"),
    ("linux", SN, "{ts_syslog} {linhost} su(pam_unix)[{pid}]: session opened for user {user} by (uid=0)"),
    ("linux", SEC, "{ts_syslog} {linhost} ftpd[{pid}]: connection from {ip} ({host}) at {ts_apache}"),
    (
        "linux",
        RES,
        "{ts_syslog} {linhost} kernel: Memory: {num}k/{num}k available ({num}k kernel code, {num}k reserved, {num}k data, {num}k init, {num}k highmem)",
    ),
    ("linux", ERR, "{ts_syslog} {linhost} cups: cupsd shutdown failed"),
    (
        "linux",
        SN,
        "{ts_syslog} {linhost} kernel: Linux version 2.6.5-1.358 (bhcompile@{host}) (gcc version 3.3.3 20040412 (Red Hat Linux 3.3.3-7)) #1 {ts_apache}",
    ),
    # OpenSSH
    ("openssh", SEC, "{ts_syslog} bastion sshd[{pid}]: Failed password for invalid user {user} from {ip} port {port} ssh2"),
    ("openssh", SEC, "{ts_syslog} bastion sshd[{pid}]: Failed password for {user} from {ip} port {port} ssh2"),
    ("openssh", SEC, "{ts_syslog} bastion sshd[{pid}]: Invalid user {user} from {ip}"),
    (
        "openssh",
        SEC,
        "{ts_syslog} bastion sshd[{pid}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}  user={user}",
    ),
    ("openssh", SN, "{ts_syslog} bastion sshd[{pid}]: Received disconnect from {ip}: 11: Bye Bye [preauth]"),
    ("openssh", SN, "{ts_syslog} bastion sshd[{pid}]: Connection closed by {ip} [preauth]"),
    (
        "openssh",
        SEC,
        "{ts_syslog} bastion sshd[{pid}]: reverse mapping checking getaddrinfo for {host} [{ip}] failed - POSSIBLE BREAK-IN ATTEMPT!",
    ),
    ("openssh", UA, "{ts_syslog} bastion sshd[{pid}]: Accepted password for {user} from {ip} port {port} ssh2"),
    (
        "openssh",
        SEC,
        "{ts_syslog} bastion sshd[{pid}]: error: maximum authentication attempts exceeded for {user} from {ip} port {port} ssh2 [preauth]",
    ),
    (
        "openssh",
        SEC,
        "{ts_syslog} bastion sshd[{pid}]: PAM {small} more authentication failures; logname= uid=0 euid=0 tty=ssh ruser= rhost={ip}",
    ),
    # Apache (error log and access log)
    ("apache", SN, "{ts_apache} [notice] jk2_init() Found child {pid} in scoreboard slot {small}"),
    ("apache", SN, "{ts_apache} [notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties"),
    ("apache", ERR, "{ts_apache} [error] mod_jk child workerEnv in error state {small}"),
    ("apache", ERR, "{ts_apache} [error] [client {ip}] Directory index forbidden by rule: {path}"),
    ("apache", ERR, "{ts_apache} [error] [client {ip}] File does not exist: {path}"),
    ("apache", HTTP, '{ip} - - {ts_clf} "{method} {path} HTTP/1.1" {status} {size} "-" "Mozilla/5.0 (X11; Linux x86_64)"'),
    ("apache", HTTP, '{ip} - {user} {ts_clf} "{method} /api/v1/users/{num}/orders?page={small} HTTP/1.1" {status} {size} {dur}'),
    # Android
    (
        "android",
        SN,
        '{ts_android} D {atag}: release:lock={num}, flg=0x0, tag="RILJ_ACK_WL", name=com.android.phone, ws=null, uid={pid}, pid={pid}',
    ),
    (
        "android",
        SN,
        '{ts_android} I {atag}: acquire lock={num}, flags=0x1, tag="View Lock", name=com.android.systemui, ws=null, uid={pid}, pid={pid}',
    ),
    ("android", SN, "{ts_android} D {atag}: updateIsPoweredLocked: mIsPowered=true, mPlugType={small}"),
    (
        "android",
        SN,
        "{ts_android} I WindowManager: Screen frozen for +{num}ms due to Window{{{hex8} u0 com.tencent.mm/com.tencent.mm.ui.LauncherUI}}",
    ),
    ("android", SN, "{ts_android} V AlarmManager: set({hex8} RTC_WAKEUP {big} {small}) wl=false"),
    ("android", ERR, "{ts_android} E ActivityManager: ANR in com.android.systemui, time={big}"),
    ("android", SN, "{ts_android} D DisplayPowerController: Animating brightness: target={small}, rate={small}"),
    (
        "android",
        SN,
        "{ts_android} I ActivityManager: Start proc {pid}:com.tencent.mm:push/u0a{small} for service com.tencent.mm/.booter.CoreService",
    ),
    # HealthApp
    ("healthapp", SN, "{ts_health}|Step_LSC|{num}|onStandStepChanged {num}"),
    ("healthapp", SN, "{ts_health}|Step_LSC|{num}|onExtend:{big} {small} {small} {small}"),
    ("healthapp", SN, "{ts_health}|Step_SPUtils|{num}|setTodayTotalDetailSteps={big}##{num}##{num}##{num}##{num}##{big}"),
    ("healthapp", SN, "{ts_health}|Step_StandReportReceiver|{num}|onReceive action: android.intent.action.SCREEN_ON"),
    ("healthapp", SN, "{ts_health}|Step_LSC|{num}|processHandleBroadcastAction action:android.intent.action.TIME_TICK"),
    ("healthapp", SN, "{ts_health}|Step_ExtSDM|{num}|calculateCaloriesWithCache totalCalories={num}"),
    ("healthapp", SN, "{ts_health}|Step_SPUtils|{num}|getTodayTotalDetailSteps = {joined}"),
    ("healthapp", SN, "{ts_health}|Step_ExtSDM|{num}|calculateAltitudeWithCache totalAltitude={small}"),
    ("healthapp", SN, "{ts_health}|Step_StandStepCounter|{num}|flush sensor data"),
    # Proxifier
    ("proxifier", SN, "{ts_proxifier} {exe} - {hostport} open through proxy proxy.corp.example.edu:8080 HTTPS"),
    (
        "proxifier",
        SN,
        "{ts_proxifier} {exe} - {hostport} close, {size} bytes ({dur} KB) sent, {size} bytes ({dur} KB) received, lifetime {small}:{small}",
    ),
    ("proxifier", SN, "{ts_proxifier} {exe} - {hostport} close, {size} bytes sent, {size} bytes received, lifetime <1 sec"),
    (
        "proxifier",
        ERR,
        "{ts_proxifier} {exe} - {hostport} error : Could not connect through proxy proxy.corp.example.edu:8080 - Proxy server cannot establish a connection with the target, status code {small}",
    ),
    ("proxifier", SN, "{ts_proxifier} {exe} *{small} - {hostport} open through proxy {hostport} SOCKS5"),
    ("proxifier", SN, "{ts_proxifier} {exe} - {host}:{port} matching {user}_rule using proxy {hostport}"),
    # macOS
    (
        "mac",
        SN,
        "{ts_syslog} {machost} kernel[0]: ARPT: {num}.{num}: wl0: wl_update_tcpkeep_seq: Original Seq: {num}, Ack: {num}, Win size: {num}",
    ),
    ("mac", SN, "{ts_syslog} {machost} kernel[0]: Wake reason: RTC (Alarm)"),
    ("mac", SN, "{ts_syslog} {machost} com.apple.CDScheduler[{pid}]: Thermal pressure state: 1 Memory pressure state: 0"),
    (
        "mac",
        ERR,
        "{ts_syslog} {machost} {app}[{pid}]: Failed to connect (_connection) outlet from (NSApplication) to ({app}Window): missing setter or instance variable",
    ),
    (
        "mac",
        SN,
        "{ts_syslog} {machost} symptomsd[{pid}]: __73-[NetworkAnalyticsEngine observeValueForKeyPath:ofObject:change:context:]_block_invoke unexpected switch value {small}",
    ),
    ("mac", ERR, "{ts_syslog} {machost} {app}[{pid}]: CGSConnectionByID: {num} is not a valid connection ID."),
    ("mac", SN, "{ts_syslog} {machost} sharingd[{pid}]: {dur}: SDStatusMonitor::kStatusWirelessPowerChanged"),
    (
        "mac",
        SN,
        "{ts_syslog} {machost} com.apple.xpc.launchd[1] (com.apple.xpc.launchd.domain.pid.{app}.{pid}): Path not allowed in target domain: type = pid, path = {path}",
    ),
    # Windows CBS
    (
        "windows",
        SN,
        "{ts_cbs} Info                  CBS    Loaded Servicing Stack v6.1.7601.23505 with Core: C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_6.1.7601.23505_none_{hex16}\\cbscore.dll",
    ),
    (
        "windows",
        SN,
        '{ts_cbs} Info                  CSI    {hex8}@{big} CSI Transaction @0x{hex8} initialized for deployment engine {{{uuid}}} with flags 0x00000002 and client id [10]"TI5.{big}:1/"',
    ),
    (
        "windows",
        SN,
        "{ts_cbs} Info                  CBS    Read out cached package applicability for package: {pkg}, ApplicableState: {small}, CurrentState:{small}",
    ),
    ("windows", SN, "{ts_cbs} Info                  CBS    Session: {big}_{big} initialized by client WindowsUpdateAgent."),
    (
        "windows",
        ERR,
        "{ts_cbs} Info                  CBS    Failed to internally open package. [HRESULT = 0x800f0805 - CBS_E_INVALID_PACKAGE]",
    ),
    ("windows", SN, "{ts_cbs} Info                  CBS    SQM: Initializing online with Windows opt-in: False"),
    (
        "windows",
        ERR,
        "{ts_cbs} Info                  CBS    Failed to get session package state [HRESULT = 0x80070002 - ERROR_FILE_NOT_FOUND]",
    ),
    (
        "windows",
        SN,
        "{ts_cbs} Info                  CBS    Exec: Processing complete.  Session: {big}_{big}, Package: {pkg} [HRESULT = 0x00000000 - S_OK]",
    ),
    # application-level lines every stack has: databases, web servers, errors with documented codes
    ("postgresql", ERR, '{ts_iso} UTC [{pid}] {user}@app ERROR:  relation "orders_{small}" does not exist at character {small}'),
    ("oracle", ERR, "{ts_iso} ORA-00942: table or view does not exist (session {num}, user {user})"),
    ("oracle", CRIT, "{ts_iso} ORA-00600: internal error code, arguments: [{num}], [{num}], [], [], [], [], [], []"),
    ("storage", CRIT, "{ts_iso} write {path} failed: errno 28 (No space left on device)"),
    ("storage", SEC, "{ts_iso} open {path} failed: EACCES (Permission denied) for uid {num}"),
    ("nginx", HTTP, '{ip} - - {ts_clf} "{method} /api/v2/orders/{uuid} HTTP/2.0" {status} {size} "-" "curl/8.{small}.{small}" rt={dur}'),
    (
        "nginx",
        ERR,
        '{ts_iso} [error] {pid}#{pid}: *{num} upstream timed out (110: Connection timed out) while reading response header from upstream, client: {ip}, server: {host}, upstream: "http://{ipport}/"',
    ),
    ("nginx", SN, "{ts_iso} [notice] {pid}#{pid}: signal process started"),
    ("app", DEP, "{ts_iso} WARN api: GET /v1/accounts/{num} is deprecated and will be removed on 2027-01-01; use /v2/accounts/{num}"),
    ("app", UA, "{ts_iso} INFO audit: user {user} logged in from {ip} (session {uuid})"),
    ("app", UA, "{ts_iso} INFO audit: user {user} changed password (request {req})"),
    ("app", RES, "{ts_iso} WARN monitor: disk usage on {host} at {pct}% ({size} of {size} bytes)"),
    ("app", RES, "{ts_iso} INFO metrics: heap used={size} committed={size} max={size} gc_pause_ms={num}"),
    ("app", ERR, "{ts_iso} ERROR worker: job {uuid} failed after {small} attempts: timeout calling https://{host}/v1/charge"),
    ("app", SN, "{ts_iso} INFO scheduler: cron job cleanup-{word} finished in {dur}s"),
    ("app", SN, "{ts_iso} INFO cache: evicted {num} keys from shard {joined}"),
]

SLOT = re.compile(r"\{(\w+)\}")


class Kind:
    """A line kind split into literals and slots once, so rendering a row is a join."""

    def __init__(self, source: str, label: str, fmt: str):
        self.source, self.label = source, label
        text = fmt.replace("{{", "\x00").replace("}}", "\x01")
        self.literals: list[str] = []
        self.slots: list[Callable[[random.Random], str]] = []
        pos = 0
        for m in SLOT.finditer(text):
            self.literals.append(_unescape(text[pos : m.start()]))
            self.slots.append(SLOT_DRAW[m.group(1)])
            pos = m.end()
        self.literals.append(_unescape(text[pos:]))

    def render(self, rng: random.Random) -> str:
        out = [self.literals[0]]
        for draw, literal in zip(self.slots, self.literals[1:], strict=True):
            out.append(draw(rng))
            out.append(literal)
        return "".join(out)


def _unescape(text: str) -> str:
    return text.replace("\x00", "{").replace("\x01", "}")


def rows(n: int, seed: int) -> Iterator[tuple[str, str, str]]:
    """(source, log_message, gold label) rows: line kinds by Zipf-like popularity (the order is shuffled
    by the seed, so no system is always the most frequent), every slot redrawn per row."""
    rng = random.Random(seed)
    kinds = [Kind(*k) for k in KINDS]
    random.Random(seed + 1).shuffle(kinds)
    cum = _cumulative([1.0 / (k + 1) ** ZIPF_EXPONENT for k in range(len(kinds))])
    for _ in range(n):
        kind = kinds[bisect_left(cum, rng.random())]
        yield kind.source, kind.render(rng), kind.label


def write_csv(path: Path, n: int, seed: int) -> Path:
    """Write the workload once (same n and seed -> same bytes); later runs reuse the file."""
    return _write_once(path, rows(n, seed))


_TOKEN_DIGIT = re.compile(r"\S*\d\S*")


def token_rule(line: str) -> str:
    """The plain rule of Drain-style parsers: every whitespace token holding a digit is a variable."""
    return " ".join(_TOKEN_DIGIT.sub("<*>", line).split())
