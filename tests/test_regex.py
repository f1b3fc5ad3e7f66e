"""Regex rules: each shipped rule fires on its template and not on look-alikes."""

import re

import pytest

from logclf.decision import Batch
from logclf.errors import UserError as ConfigError
from logclf.settings import Settings
from logclf.tiers.regex import RegexTier, Rule, first_char_test


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
        ("Admin access escalation detected for user 9429", "Security Alert"),
        ("Privilege escalation attempt by account svc_backup", "Security Alert"),
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
        ("Accepted password for deploy from 10.0.4.17 port 52144 ssh2", "User Action"),
        (
            "Accepted publickey for git from 192.0.2.8 port 40022 ssh2: ED25519 SHA256:q1w2E3r4T5y6U7i8O9p0aSdFgHjKlZxCvBnM1234567",
            "User Action",
        ),
        ("Failed password for root from 203.0.113.50 port 61234 ssh2", "Security Alert"),
        ("Failed password for invalid user oracle from 198.51.100.7 port 40112 ssh2", "Security Alert"),
        ("Invalid user admin from 45.13.2.9 port 55012", "Security Alert"),
        (
            "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=61.177.172.13  user=root",
            "Security Alert",
        ),
        (
            "Out of memory: Killed process 4121 (java) total-vm:8123456kB, anon-rss:6012345kB, file-rss:120kB, shmem-rss:0kB, UID:1001 pgtables:12345kB oom_score_adj:0",
            "Critical Error",
        ),
        ("Out of memory: Kill process 3321 (mysqld) score 912 or sacrifice child", "Critical Error"),
        ("Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010", "System Notification"),
        ("Received block blk_3587508140051953248_1045 of size 67108864 from /10.251.42.84", "System Notification"),
        ("PacketResponder 1 for block blk_38865049064139660 terminating", "System Notification"),
        ("10.251.110.8:50010 Served block blk_-7057732817224484853 to /10.251.111.130", "System Notification"),
        (
            "BLOCK* NameSystem.addStoredBlock: blockMap updated: 10.251.73.220:50010 is added to blk_7128370237687728475 size 67108864",
            "System Notification",
        ),
        ("BLOCK* NameSystem.allocateBlock: /user/root/rand/_temporary/part-00001. blk_-4216924716287893806", "System Notification"),
        ("BLOCK* NameSystem.delete: blk_-5115224386806290283 is added to invalidSet of 10.251.106.10:50010", "System Notification"),
        (
            "Deleting block blk_-1608999687919862906 file /mnt/hadoop/dfs/data/current/subdir26/blk_-1608999687919862906",
            "System Notification",
        ),
        ("pam_unix(sshd:session): session opened for user root(uid=0) by (uid=0)", "System Notification"),
        ("pam_unix(cron:session): session closed for user root", "System Notification"),
        ("Received disconnect from 10.0.4.17 port 52144:11: disconnected by user", "System Notification"),
        ("Connection closed by invalid user admin 45.13.2.9 port 55012 [preauth]", "Security Alert"),
        ("Disconnecting authenticating user root 61.177.172.13 port 40112: Too many authentication failures [preauth]", "Security Alert"),
        ("reverse mapping checking getaddrinfo for host-9.example.net [203.0.113.9] failed - POSSIBLE BREAK-IN ATTEMPT!", "Security Alert"),
        ("deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx", "System Notification"),
        ("intern : user NOT in sudoers ; TTY=pts/1 ; PWD=/home/intern ; USER=root ; COMMAND=/bin/bash", "Security Alert"),
        ("+ pts/0 alice:root", "System Notification"),
        ("- pts/1 mallory:root", "Security Alert"),
        ("FAILED SU (to root) mallory on pts/1", "Security Alert"),
        ("LOGIN ON tty1 BY alice", "User Action"),
        ("FAILED LOGIN (3) on '/dev/tty1' FOR 'UNKNOWN', User not known to the underlying authentication module", "Security Alert"),
        ("useradd[4121]: new user: name=carol, UID=1003, GID=1003, home=/home/carol, shell=/bin/bash, from=/dev/pts/0", "User Action"),
        ("usermod[771]: add 'carol' to group 'docker'", "User Action"),
        ("fail2ban.actions [1021]: NOTICE [sshd] Ban 203.0.113.50", "Security Alert"),
        ("fail2ban.actions [1021]: NOTICE [sshd] Unban 203.0.113.50", "System Notification"),
        (
            "[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56 SRC=198.51.100.7 DST=192.0.2.10 LEN=40 TOS=0x00 PREC=0x00 TTL=244 ID=54321 PROTO=TCP SPT=43127 DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0",
            "Security Alert",
        ),
        ("nginx.service: Deactivated successfully.", "System Notification"),
        ("nginx.service: Consumed 1.204s CPU time.", "System Notification"),
        ("postgresql.service: Start request repeated too quickly.", "Error"),
        ("api.service: Main process exited, code=exited, status=1/FAILURE", "Error"),
        ("api.service: Main process exited, code=dumped, status=11/SEGV", "Critical Error"),
        ("(root) CMD (cd / && run-parts --report /etc/cron.hourly)", "System Notification"),
        ("(*system*) BAD FILE MODE (/etc/cron.d/php)", "Error"),
        ("e1000e 0000:00:1f.6 eno1: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx", "System Notification"),
        ("ixgbe 0000:03:00.1 eth1: NIC Link is Down", "Error"),
        ("Kernel panic - not syncing: Fatal exception in interrupt", "Critical Error"),
        (
            "python3[28761]: segfault at 8 ip 00007f3a2b1c4d5e sp 00007ffd9a8b7c60 error 4 in libc.so.6[7f3a2b000000+195000]",
            "Critical Error",
        ),
        (
            "allowed=true\tugi=etl (auth:SIMPLE)\tip=/10.20.0.7\tcmd=open\tsrc=/data/raw/2025/part-00003\tdst=null\tperm=null\tproto=rpc",
            "System Notification",
        ),
        (
            "allowed=false\tugi=mallory (auth:KERBEROS) via hue (auth:SIMPLE)\tip=/10.20.0.9\tcmd=delete\tsrc=/warehouse\tdst=null\tperm=null\tproto=rpc",
            "Security Alert",
        ),
        (
            "Assigned container container_e17_1699000000000_0042_01_000007 of capacity <memory:4096, vCores:2> on host worker-3:8041, which has 2 containers, <memory:8192, vCores:4> used and <memory:8192, vCores:4> available after allocation",
            "System Notification",
        ),
        ("Start request for container_1699000000000_0042_01_000007 by user etl", "System Notification"),
        ("Added broadcast_3_piece0 in memory on 10.0.0.5:41827 (size: 5.3 KiB, free: 366.2 MiB)", "System Notification"),
        ("Block rdd_12_4 stored as values in memory (estimated size 18.4 MB, free 2.1 GB)", "System Notification"),
        (
            "nova.compute.manager [req-3f1c2b9a-1d2e-4f5a-9b8c-7d6e5f4a3b2c - - - - -] [instance: 9c0d9f4e-1b2a-4c3d-8e7f-6a5b4c3d2e1f] VM Stopped (Lifecycle Event)",
            "System Notification",
        ),
        (
            "nova.compute.manager [req-3f1c2b9a-1d2e-4f5a-9b8c-7d6e5f4a3b2c 5d1f admin - default default] [instance: 9c0d9f4e-1b2a-4c3d-8e7f-6a5b4c3d2e1f] Took 12.07 seconds to build instance.",
            "System Notification",
        ),
        ("UnauthorizedAccess:EC2/TorClient: EC2 instance i-0a1b2c3d4e5f is communicating with Tor entry guard nodes.", "Security Alert"),
        (
            "Warning Sensitive file opened for reading by non-trusted program (user=root program=cat command=cat /etc/shadow file=/etc/shadow container_id=4f9a1c2b3d4e image=alpine)",
            "Security Alert",
        ),
        (
            'type="LOGIN", realmId="prod", clientId="portal", userId="3f0c", ipAddress="10.1.2.3", auth_method="openid-connect", username="ana"',
            "User Action",
        ),
        (
            "type=LOGIN_ERROR, realmId=prod, clientId=portal, userId=null, ipAddress=198.51.100.4, error=user_not_found, username=admin",
            "Security Alert",
        ),
        (
            "type=REFRESH_TOKEN, realmId=prod, clientId=portal, userId=3f0c, ipAddress=10.1.2.3, token_id=77aa, grant_type=refresh_token",
            "System Notification",
        ),
        (
            "operationType=DELETE, realmId=prod, clientId=admin-cli, userId=3f0c, ipAddress=10.1.2.3, resourceType=USER, resourcePath=users/9a8b",
            "User Action",
        ),
        ('Started GET "/orders/17" for 10.0.0.8 at 2025-03-01 10:00:00 +0000', "HTTP Status"),
        ("Completed 404 Not Found in 12ms (ActiveRecord: 1.2ms | Allocations: 1204)", "HTTP Status"),
        (
            "method=GET path=/orders/17 format=html controller=OrdersController action=show status=200 duration=12.40 view=8.10 db=1.90",
            "HTTP Status",
        ),
        (
            'at=error code=H12 desc="Request timeout" method=GET path="/reports" host=shop.example.com request_id=0b1c fwd="198.51.100.4" dyno=web.2 connect=1ms service=30000ms status=503 bytes=0 protocol=https',
            "HTTP Status",
        ),
        (
            'logger=context userId=1 orgId=1 uname=admin t=2025-03-01T10:00:00Z level=info msg="Request Completed" method=GET path=/api/live/ws status=-1 remote_addr=10.0.0.8 time_ms=1 duration=1.2ms size=0',
            "HTTP Status",
        ),
        ("LOG:  checkpoint starting: time", "System Notification"),
        ("LOG:  connection authorized: user=app database=orders application_name=psql", "System Notification"),
        ("[Note] Start binlog_dump to master_thread_id(12) slave_server(2), pos(mysql-bin.000042, 154)", "System Notification"),
        ("* Background saving started by pid 4121", "System Notification"),
        (
            '{"t":{"$date":"2025-03-01T10:00:00.000+00:00"},"s":"I",  "c":"NETWORK",  "id":22943,   "ctx":"listener","msg":"Connection accepted","attr":{"remote":"10.0.0.8:50412","connectionCount":12}}',
            "System Notification",
        ),
        (
            'type=USER_END msg=audit(1700000000.123:812): pid=4121 uid=0 auid=1000 ses=3 msg=\'op=PAM:session_close grantors=pam_unix acct="ana" exe="/usr/sbin/sshd" hostname=10.0.0.8 addr=10.0.0.8 terminal=ssh res=success\'',
            "System Notification",
        ),
        (
            "type=USER_LOGIN msg=audit(1700000000.123:813): pid=4121 uid=0 auid=1000 ses=3 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" hostname=? addr=10.0.0.8 terminal=ssh res=success'",
            "User Action",
        ),
        (
            "type=DEL_USER msg=audit(1700000000.123:814): pid=4200 uid=0 auid=1000 ses=3 msg='op=delete-user id=1003 exe=\"/usr/sbin/userdel\" hostname=? addr=? terminal=pts/0 res=success'",
            "User Action",
        ),
        (
            'type=USER_AUTH msg=audit(1700000000.123:815): pid=4300 uid=0 auid=4294967295 ses=4294967295 msg=\'op=PAM:authentication grantors=? acct="root" exe="/usr/sbin/sshd" hostname=198.51.100.4 addr=198.51.100.4 terminal=ssh res=failed\'',
            "Security Alert",
        ),
        (
            '{"timestamp":"2025-03-01T10:00:00.000000+0000","flow_id":1,"event_type":"alert","src_ip":"198.51.100.4","dest_ip":"10.0.0.8","proto":"TCP","alert":{"signature":"ET SCAN Nmap Scripting Engine User-Agent Detected"}}',
            "Security Alert",
        ),
        ('ModSecurity: APR compiled version="1.7.0"; loaded version="1.7.2"', "System Notification"),
        (
            "ModSecurity: Access denied with code 403 (phase 2). Matched \"Operator `Ge' with parameter `5' against variable `TX:ANOMALY_SCORE' (Value: `10' )",
            "Security Alert",
        ),
        (
            "Microsoft Defender Antivirus has detected malware or other potentially unwanted software. Name: Trojan:Win32/Emotet ID: 2147 Severity: Severe",
            "Security Alert",
        ),
        ("The Event log service was started.", "System Notification"),
        ("ActivityManager: Killing 4121:com.example.app/u0a88 (adj 906): empty #17", "System Notification"),
        (
            "DEBUG: *** *** *** *** *** *** *** *** *** *** *** *** *** *** *** *** Build fingerprint: 'google/oriole/oriole:14/UQ1A/1:user/release-keys'",
            "Critical Error",
        ),
        ("D! [outputs.influxdb] Wrote batch of 1000 metrics in 12.5ms", "System Notification"),
        ("SERVICE ALERT: web01;HTTP;OK;HARD;3;HTTP OK: HTTP/1.1 200 OK - 512 bytes in 0.004 second response time", "System Notification"),
        ("Verification succeeded for blk_-4980916519894289629", "System Notification"),
        ("Roll Edit Log from 10.10.34.11", "System Notification"),
        ("map 100% reduce 67%", "System Notification"),
        ("Started 3 remote fetches in 7 ms", "System Notification"),
        ("Established session 0x14f05578bd80005 with negotiated timeout 30000 for client /10.10.34.13:37177", "System Notification"),
        ("[notice] 1204#1204: signal 1 (SIGHUP) received from 4121, reconfiguring", "System Notification"),
        ("[notice] jk2_init() Found child 6725 in scoreboard slot 10", "System Notification"),
        ("Created slice User Slice of UID 1000.", "System Notification"),
        ("anacron[4121]: Job `cron.daily' terminated", "System Notification"),
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
        "Admin access escalation detected for user 9429 was a false alarm",
        "Case escalation for ticket ID 7324 failed because the assigned support agent is no longer active.",
        "user 12345 logged in.",  # rules are case-sensitive unless they say otherwise
        "Malicious user 12345 logged in.",
        'GET /index.html HTTP/1.1" 200',
        "Accepted password for deploy from 10.0.4.17 port 52144 ssh2 but session setup failed",
        "Failed password for root from 203.0.113.50 port 61234",  # no protocol: not the sshd format
        "Invalid user admin from the web form",
        "pam_unix(sshd:session): session opened for user root(uid=0) by (uid=0) after 5 failures",
        "Connection closed by 10.0.4.17 port 52144 after 40 failed attempts",
        "deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root",  # no command: not sudo's line
        "+ pts/0 alice:root and more",
        "LOGIN ON tty1 BY alice FAILED",
        "useradd[4121]: failed adding user 'carol', exiting",
        "fail2ban.actions [1021]: ERROR [sshd] Ban 203.0.113.50 failed",
        "nginx.service: Deactivated successfully, but 3 processes remained.",
        "api.service: Main process exited, code=killed, status=9/KILL",  # killed by a person, not a crash
        "(root) CMD (backup.sh) failed",
        "NIC Link is Down",
        "python3[28761]: segfault handler installed",
        "Out of memory: Killed process 4121 (java) but the node stayed up",
        "Exception in receiveBlock for block blk_-1608999687919862906 java.io.EOFException: while trying to read 65557 bytes",
        "Receiving block blk_-1608999687919862906 src: /10.250.19.102:54106 dest: /10.250.19.102:50010 failed: disk full",
        "PacketResponder 2 for block blk_38865049064139660 Interrupted.",  # not its normal end
        "10.251.110.8:50010:Got exception while serving blk_-7057732817224484853 to /10.251.111.130:",
        "BLOCK* NameSystem.addStoredBlock: addStoredBlock request received for blk_7128370237687728475 on 10.251.73.220:50010 size 67108864 But it does not belong to any file.",
        "Deleting block blk_-1608999687919862906 failed: file not found",
        "allowed=true but the audit logger failed to write",
        "allowed=unknown\tugi=etl (auth:SIMPLE)\tip=/10.20.0.7\tcmd=open\tsrc=/x\tdst=null\tperm=null\tproto=rpc",
        "Assigned container container_1699000000000_0042_01_000007 of capacity <memory:4096, vCores:2> on host worker-3:8041 failed",
        "Start request for container_1699000000000_0042_01_000007 by user etl failed: NMToken expired",
        "Failed to add broadcast_3_piece0 in memory on 10.0.0.5:41827 (size: 5.3 KiB, free: 0.0 B)",
        "Block rdd_12_4 could not be stored in memory (estimated size 18.4 MB, free 2.1 GB)",
        "nova.compute.manager [req-3f1c2b9a-1d2e-4f5a-9b8c-7d6e5f4a3b2c - - - - -] [instance: 9c0d9f4e-1b2a-4c3d-8e7f-6a5b4c3d2e1f] Instance failed to spawn",
        "Policy: rotate keys every 90 days",  # a colon after a purpose word, but not a finding name
        "Warning Disk almost full (used=95% mount=/var)",  # a priority word, but no process or container fields
        "type=LOGIN_ERROR msg=audit(1700000000.1:42): pid=1 uid=0 res=failed",  # auditd's type=, not Keycloak's event
        "type=REFRESH_TOKEN_ERROR, realmId=prod, clientId=portal, userId=3f0c, ipAddress=10.1.2.3, error=invalid_token",
        'Started GET "/orders/17" for 10.0.0.8',  # no time: not the Rails line
        "Completed 500 Internal Server Error",  # no duration
        "method=GET path=/orders/17 status=200",  # lograge names the controller and action
        'at=error code=H10 desc="App crashed" method=GET path="/"',  # a router line without the request fields
        'logger=context userId=1 orgId=1 uname=admin t=2025-03-01T10:00:00Z level=error msg="Request error" error="context canceled"',
        "LOG:  checkpoints are occurring too frequently (9 seconds apart)",
        "LOG:  connection received: host=10.0.0.8 port=5432 rejected",
        "[Note] Start binlog_dump to master_thread_id(12) failed",
        "# Background saving error",
        '{"t":{"$date":"2025-03-01T10:00:00.000+00:00"},"s":"W",  "c":"NETWORK",  "id":22942,   "ctx":"listener","msg":"Connection refused because there are too many open connections","attr":{}}',
        "type=USER_END msg=audit(1700000000.123:812): pid=4121 uid=0 res=failed'",
        "type=USER_LOGIN msg=audit(1700000000.123:813): pid=4121 uid=0 res=success' audit: backlog limit exceeded",
        '{"timestamp":"2025-03-01T10:00:00.000000+0000","flow_id":1,"event_type":"flow","src_ip":"198.51.100.4"}',
        'ModSecurity: Failed to write to DBM file "/var/cache/modsecurity/ip": Permission denied',
        "Microsoft Defender Antivirus has encountered an error trying to update security intelligence. Error code: 0x80072ee2",
        "The Event log service was unable to start.",
        "ActivityManager: Killing 4121:com.example.app/u0a88 (adj 0): crash",
        "DEBUG: *** *** *** ***",  # not the tombstone's full marker
        "D! [outputs.influxdb] Buffer fullness: 9000 / 10000 metrics",
        "SERVICE ALERT: web01;HTTP;CRITICAL;HARD;3;connect to address 10.0.0.8 and port 80: Connection refused",
        "HOST ALERT: web01;DOWN;HARD;1;PING CRITICAL - Packet loss = 100%",
        "Verification failed for blk_-4980916519894289629",
        "Roll Edit Log from 10.10.34.11 failed: IOException",
        "map 100% reduce 67% (job failed)",
        "Started 3 remote fetches in 7 ms; 2 fetches failed",
        "Closed socket connection for client /10.10.34.13:37177 caused by exception",
        "[notice] 1204#1204: worker process 1300 exited with code 2",  # a worker that failed
        "[error] mod_jk child workerEnv in error state 6",
        "Failed to create slice User Slice of UID 1000.",
        "anacron[4121]: Job `cron.daily' locked by another anacron - skipping",
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


def test_first_character_dispatch_agrees_with_trying_every_rule():
    """Rules are only tried on lines whose first character can begin them: that must never change a result."""
    rules = [
        Rule("optional-start", r"b?c\d+", "Error"),
        Rule("branch", r"(?:alpha|\d+|[^\w\s])-x", "Error"),
        Rule("anything", r".*z", "Security Alert"),
        Rule("word", r"[\w.-]+ : TTY=\S+", "System Notification"),
        Rule("anchored", r"\bq+", "User Action"),
        Rule("caseless", r"hello", "User Action", ignore_case=True),
        Rule("negated", r"[^a-m]+", "Resource Usage"),
    ]
    tier = RegexTier(rules)
    lines = ["c12", "bc3", "alpha-x", "42-x", "#-x", "a-x", "buzz", "deploy : TTY=pts/0", "qqq", "HeLLo", "nop", "", "é", "zz"]
    expected = []
    for line in lines:
        first = next((r.label for r in rules if re.fullmatch(r.pattern, line, re.I if r.ignore_case else 0)), None)
        expected.append(first)
    assert [d and d.label for d in tier.decide(Batch([""] * len(lines), lines))] == expected
    assert first_char_test(r".*z") is None and first_char_test(r"b?c") is not None


HOSTILE = {  # about 1 MB each, shaped to make a rule with two unbounded parts backtrack
    "suricata": '{"timestamp":"x",' + '"event_type":"alert",' * 50_000,
    "falco": "Warning X (" + "user=a container=b " * 50_000,
    "grafana": "logger=context " + "a=b " * 250_000 + 'msg="Request Completed" method=GET path=/ status=200 =',
    "keycloak": "type=LOGIN, realmId=a, clientId=b, userId=c, ipAddress=d" + ", e=f" * 150_000 + ", ,",
    "auditd": "type=USER_START msg=audit(1.2:3): " + "res=success " * 80_000 + "x",
}


@pytest.mark.timeout(10)  # a hang guard, not a speed check: linear rules take milliseconds here, the Suricata rule's first form ~30 s
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_long_lines_do_not_hang(tier, name):
    assert tier.decide(Batch(["ModernCRM"], [HOSTILE[name]])) == [None]
