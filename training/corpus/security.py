"""Security tooling: the Suricata IDS, ClamAV, ModSecurity, the Linux audit daemon, CrowdSec and the Wazuh
manager. Their alerts are what Security Alert looks like outside sshd; their routine lines (rules loaded,
signatures updated, agents connected) are System Notification like any daemon's."""

from training.corpus.family import Family

SIGNATURE = [
    "ET SCAN Suspicious inbound to MSSQL port 1433",
    "ET SCAN Potential SSH Scan",
    "ET SCAN Nmap Scripting Engine User-Agent Detected (Nmap Scripting Engine)",
    "ET EXPLOIT Apache log4j RCE Attempt (http ldap) (CVE-2021-44228)",
    "ET WEB_SERVER Possible SQL Injection Attempt UNION SELECT",
    "ET POLICY Outgoing Basic Auth Base64 HTTP Password detected unencrypted",
    "ET MALWARE Possible Windows executable sent when remote host claims to send html content",
    "ET DROP Spamhaus DROP Listed Traffic Inbound group 12",
]
CLASSIFICATION = [
    "Attempted Information Leak",
    "Potentially Bad Traffic",
    "Web Application Attack",
    "Misc Attack",
    "A Network Trojan was detected",
]
MALWARE = [
    "Win.Trojan.Agent-1234567",
    "Doc.Dropper.Agent-7654321",
    "Unix.Malware.Mirai-9876543",
    "Eicar-Signature",
    "Html.Phishing.Bank-4455",
]
CRS_RULE = [
    ("942100", "SQL Injection Attack Detected via libinjection"),
    ("941100", "XSS Attack Detected via libinjection"),
    ("930120", "OS File Access Attempt"),
    ("932100", "Remote Command Execution: Unix Command Injection"),
    ("913100", "Found User-Agent associated with security scanner"),
]
SCENARIO = [
    "crowdsecurity/ssh-bf",
    "crowdsecurity/http-probing",
    "crowdsecurity/http-crawl-non_statics",
    "crowdsecurity/http-bad-user-agent",
]
EXE = ["/usr/sbin/sshd", "/usr/bin/login", "/usr/sbin/crond", "/usr/bin/sudo"]
AGENT_NAME = ["web01", "db-primary", "bastion", "worker-07", "mail02"]

FAMILIES = [
    Family(
        "suricata",
        "security",
        2.0,
        {
            "S": [
                "[**] [1:{sid}:{n}] {signature} [**] [Classification: {classification}] [Priority: {n}] {{TCP}} {ip}:{port} -> {ip}:{port}",
                "[**] [1:{sid}:{n}] {signature} [**] [Classification: {classification}] [Priority: {n}] {{UDP}} {ip}:{port} -> {ip}:53",
                '{{"timestamp":"{iso}","event_type":"alert","src_ip":"{ip}","src_port":{port},"dest_ip":"{ip}","dest_port":{port},"proto":"TCP","alert":{{"action":"allowed","signature_id":{sid},"signature":"{signature}","category":"{classification}","severity":{n}}}}}',
                '{{"timestamp":"{iso}","event_type":"drop","src_ip":"{ip}","dest_ip":"{ip}","proto":"TCP","alert":{{"action":"blocked","signature":"{signature}"}}}}',
            ],
            "N": [
                "This is Suricata version {ver} RELEASE running in SYSTEM mode",
                "all {n} packet processing threads, {n} management threads initialized, engine started.",
                "{n} rule files processed. {big} rules successfully loaded, 0 rules failed",
                "rule reload starting",
                "rule reload complete",
                "Signal Received.  Stopping engine.",
                "time elapsed {float}s",
                '{{"timestamp":"{iso}","event_type":"flow","src_ip":"{ip}","dest_ip":"{ip}","proto":"TCP","app_proto":"tls","flow":{{"pkts_toserver":{n},"bytes_toserver":{bytes},"state":"closed"}}}}',
            ],
            "E": [
                "[ERRCODE: SC_ERR_PCAP_OPEN_LIVE(96)] - Problem opening pcap interface {iface}: {iface}: No such device exists",
                '[ERRCODE: SC_ERR_INVALID_SIGNATURE(39)] - error parsing signature "alert http any any -> any any (msg:\\"local rule\\"; content:\\"x\\"; sid:{sid};)" from file /etc/suricata/rules/local.rules at line {n}',
                "Failed to open eve-log output file /var/log/suricata/eve.json: Permission denied",
            ],
            "R": [
                "capture.kernel_drops: {big} packets dropped by the kernel ({lowpct}% of {big})",
                "flow memcap reached: {big} bytes in use, emergency mode active",
                "tcp.reassembly_memuse {big} reached stream.reassembly.memcap {big}",
            ],
            "D": [
                "deprecated 'detect-engine' configuration option 'profile' found, use 'detect.profile' instead; it will be removed in Suricata 8",
            ],
        },
        words={
            "sid": [str(x) for x in (2010935, 2001219, 2024364, 2034647, 2006446, 2400011)],
            "signature": SIGNATURE,
            "classification": CLASSIFICATION,
        },
    ),
    Family(
        "clamav",
        "security",
        1.5,
        {
            "S": [
                "{file}: {malware} FOUND",
                "/srv/uploads/{uuid}.pdf: {malware} FOUND",
                "/home/{user}/Downloads/invoice-{id}.doc: {malware} FOUND",
                "{file}: moved to '/var/lib/clamav/quarantine/{hex32}'",
            ],
            "N": [
                "SelfCheck: Database status OK.",
                "Database correctly reloaded ({big} signatures)",
                "Reading databases from /var/lib/clamav",
                "daily.cld updated (version: {big}, sigs: {big}, f-level: 90, builder: raynman)",
                "ClamAV update process started at {date}",
                "bytecode.cvd database is up-to-date (version: {n}, sigs: {n}, f-level: 90, builder: anvilleg)",
                "Listening daemon: PID: {pid}",
                "{file}: OK",
                "----------- SCAN SUMMARY ----------- Infected files: 0 Scanned files: {big} Time: {float} sec",
            ],
            "E": [
                "Can't download daily.cvd from database.clamav.net",
                "ERROR: Can't open file or directory {file}: Permission denied",
                "Update failed. Your network may be down or none of the mirrors listed in /etc/clamav/freshclam.conf is working.",
                "ERROR: Could not connect to clamd on LocalSocket /var/run/clamav/clamd.ctl: No such file or directory",
            ],
            "C": [
                "ERROR: LOCAL: Socket file /var/run/clamav/clamd.ctl could not be bound: Address already in use",
                "Can't allocate memory ({big} bytes). Database loading failed, clamd exiting",
            ],
            "R": [
                "LibClamAV Warning: cli_scanxz: decompress file size exceeds limits - only scanning {n} bytes",
                "{file}: Heuristics.Limits.Exceeded.MaxFileSize FOUND",
                "Limits: Global size limit set to {big} bytes.",
                "Limits: MaxScanSize limit reached (max: {big}, scanned: {big})",
            ],
            "D": [
                "WARNING: Ignoring deprecated option DetectBrokenExecutables at /etc/clamav/clamd.conf:{n}",
                "WARNING: Ignoring deprecated option ScanOnAccess at /etc/clamav/clamd.conf:{n}; use clamonacc instead",
            ],
        },
        words={"malware": MALWARE},
    ),
    Family(
        "modsecurity",
        "security",
        1.5,
        {
            "S": [
                'ModSecurity: Access denied with code 403 (phase 2). Matched "Operator `Ge\' with parameter `5\' against variable `TX:ANOMALY_SCORE\' (Value: `{n}\' ) [file "/etc/modsecurity/crs/rules/REQUEST-949-BLOCKING-EVALUATION.conf"] [line "80"] [id "949110"] [msg "Inbound Anomaly Score Exceeded (Total Score: {n})"] [hostname "{host}"] [uri "{path}"] [unique_id "{hex32}"]',
                'ModSecurity: Warning. detected SQLi using libinjection with fingerprint \'s&sos\' [file "/etc/modsecurity/crs/rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf"] [id "{crsid}"] [msg "{crsmsg}"] [data "Matched Data: s&sos found within ARGS:id"] [severity "CRITICAL"] [hostname "{host}"] [uri "{path}"]',
                'ModSecurity: Warning. Matched phrase "/etc/passwd" at ARGS:file. [id "{crsid}"] [msg "{crsmsg}"] [severity "CRITICAL"] [hostname "{host}"] [uri "{path}"]',
                '[client {ip}:{port}] ModSecurity: Access denied with code 403 (phase 1). Matched "Operator `PmFromFile\' with parameter `scanners-user-agents.data\'" [id "913100"] [msg "Found User-Agent associated with security scanner"] [uri "{path}"]',
            ],
            "N": [
                "ModSecurity for Apache/{ver} (http://www.modsecurity.org/) configured.",
                'ModSecurity: APR compiled version="{ver}"; loaded version="{ver}"',
                'ModSecurity: PCRE2 compiled version="10.42 "; loaded version="10.42 2022-12-11"',
                "ModSecurity: Status engine is currently disabled, enable it by set SecStatusEngine to On.",
            ],
            "E": [
                "ModSecurity: Audit log: Failed to lock global mutex: Permission denied",
                'ModSecurity: Failed to write to DBM file "/var/cache/modsecurity/ip": Permission denied',
                'ModSecurity: Request body (Content-Length) is larger than the configured limit ({big}). [hostname "{host}"] [uri "{path}"]',
            ],
        },
        words={"crsid": [r[0] for r in CRS_RULE], "crsmsg": [r[1] for r in CRS_RULE]},
    ),
    Family(
        "auditd",
        "security",
        2.5,
        {
            "U": [
                "type=USER_LOGIN msg=audit({float}:{id}): pid={pid} uid=0 auid={uid} ses={n} msg='op=login id={uid} exe=\"/usr/sbin/sshd\" hostname={ip} addr={ip} terminal=ssh res=success'",
                'type=ADD_USER msg=audit({float}:{id}): pid={pid} uid=0 auid={uid} ses={n} msg=\'op=add-user acct="{user}" exe="/usr/sbin/useradd" hostname={host} addr=? terminal=pts/0 res=success\'',
                'type=USER_CHAUTHTOK msg=audit({float}:{id}): pid={pid} uid=0 auid={uid} ses={n} msg=\'op=PAM:chauthtok grantors=pam_unix acct="{user}" exe="/usr/bin/passwd" hostname={host} addr=? terminal=pts/1 res=success\'',
                "type=USER_LOGOUT msg=audit({float}:{id}): pid={pid} uid=0 auid={uid} ses={n} msg='op=login id={uid} exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=ssh res=success'",
            ],
            "S": [
                'type=USER_LOGIN msg=audit({float}:{id}): pid={pid} uid=0 auid=4294967295 ses=4294967295 msg=\'op=login acct="{user}" exe="/usr/sbin/sshd" hostname=? addr={ip} terminal=ssh res=failed\'',
                'type=USER_AUTH msg=audit({float}:{id}): pid={pid} uid=0 auid=4294967295 ses=4294967295 msg=\'op=PAM:authentication grantors=? acct="{user}" exe="/usr/sbin/sshd" hostname={ip} addr={ip} terminal=ssh res=failed\'',
                'type=AVC msg=audit({float}:{id}): avc:  denied  {{ read }} for  pid={pid} comm="httpd" name="shadow" dev="{part}" ino={big} scontext=system_u:system_r:httpd_t:s0 tcontext=system_u:object_r:shadow_t:s0 tclass=file permissive=0',
                'type=AVC msg=audit({float}:{id}): avc:  denied  {{ execute }} for  pid={pid} comm="sh" name="{hex8}" dev="tmpfs" scontext=system_u:system_r:httpd_t:s0 tclass=file permissive=0',
                'type=SYSCALL msg=audit({float}:{id}): arch=c000003e syscall=257 success=no exit=-13 items=1 ppid={pid} pid={pid} auid={uid} uid={uid} comm="cat" exe="/usr/bin/cat" key="shadow-access"',
            ],
            "N": [
                'type=SERVICE_START msg=audit({float}:{id}): pid=1 uid=0 auid=4294967295 ses=4294967295 msg=\'unit={svc} comm="systemd" exe="/usr/lib/systemd/systemd" hostname=? addr=? terminal=? res=success\'',
                'type=SERVICE_STOP msg=audit({float}:{id}): pid=1 uid=0 auid=4294967295 ses=4294967295 msg=\'unit={svc} comm="systemd" exe="/usr/lib/systemd/systemd" hostname=? addr=? terminal=? res=success\'',
                'type=USER_START msg=audit({float}:{id}): pid={pid} uid=0 auid={uid} ses={n} msg=\'op=PAM:session_open grantors=pam_limits,pam_unix acct="{user}" exe="{exe}" hostname=? addr=? terminal=cron res=success\'',
                'type=CRED_DISP msg=audit({float}:{id}): pid={pid} uid=0 auid={uid} ses={n} msg=\'op=PAM:setcred grantors=pam_env,pam_unix acct="root" exe="/usr/sbin/crond" hostname=? addr=? terminal=cron res=success\'',
                'type=CONFIG_CHANGE msg=audit({float}:{id}): auid=4294967295 ses=4294967295 op=add_rule key="identity" list=4 res=1',
                "type=DAEMON_START msg=audit({float}:{id}): op=start ver={ver} format=enriched kernel={kver} auid=4294967295 pid={pid} uid=0 ses=4294967295 res=success",
                "Audit daemon rotating log files",
                "Init complete, auditd {ver} listening for events (startup state enable)",
            ],
            "R": [
                "audit: backlog limit exceeded",
                "audit: audit_lost={n} audit_rate_limit=0 audit_backlog_limit=8192",
                "Audit daemon is low on disk space for logging",
                "Audit daemon has no space left on logging partition",
            ],
            "C": [
                'type=ANOM_ABEND msg=audit({float}:{id}): auid={uid} uid={uid} gid={uid} ses={n} pid={pid} comm="{svc}" exe="/usr/sbin/{svc}" sig=11 res=1',
                "audit: panic: audit_backlog_limit reached, halting system",
            ],
            "E": [
                "Error receiving audit netlink packet (No buffer space available)",
                "Unable to set audit pid, exiting",
                "Error sending add rule data request (Rule exists)",
            ],
        },
        words={"exe": EXE},
    ),
    Family(
        "crowdsec",
        "security",
        1.0,
        {
            "S": [
                "Ip {ip} performed '{scenario}' ({n} events over {float}s) at {iso}",
                "({hex32}/crowdsec) {scenario} by ip {ip} (FR/{big}) : 4h ban on Ip {ip}",
                "{ip} blocked by bouncer crowdsec-firewall-bouncer: ban until {iso}",
            ],
            "N": [
                "Crowdsec v{ver}-debian-pragmatic-amd64",
                "Loading {n} scenarios",
                "Loading grok library /etc/crowdsec/patterns",
                "Adding file /var/log/auth.log to datasources",
                "Starting processing data",
                "capi metrics: metrics sent successfully",
                "pulling blocklist from the central API",
                "crowdsecurity/sshd: up-to-date",
                "Processed {big} decisions from the central API, {n} added, {n} deleted",
            ],
            "E": [
                'error while sending metrics: Post "https://api.crowdsec.net/v3/metrics/": dial tcp: lookup api.crowdsec.net: no such host',
                "failed to parse line in /var/log/nginx/access.log: unexpected format",
                "bouncer crowdsec-firewall-bouncer: api key not valid",
            ],
            "R": [
                "acquisition buffer is full ({big} events), dropping lines",
            ],
        },
        words={"scenario": SCENARIO},
    ),
    Family(
        "wazuh",
        "security",
        1.5,
        {
            "S": [
                "Rule: 5716 (level 5) -> 'sshd: authentication failed.' Src IP: {ip} User: {user}",
                "Rule: 5712 (level 10) -> 'sshd: brute force trying to get access to the system. Non existent user.' Src IP: {ip}",
                "Rule: 550 (level 7) -> 'Integrity checksum changed.' File: /etc/{etcfile}",
                "Rule: 31103 (level 7) -> 'SQL injection attempt.' Src IP: {ip} URL: {path}",
                "Rule: 40111 (level 10) -> 'Multiple authentication failures.' Src IP: {ip}",
                "Rule: 510 (level 7) -> 'Host-based anomaly detection event (rootcheck).' Trojaned version of file '/bin/{cmd}' detected.",
            ],
            "U": [
                "Rule: 5715 (level 3) -> 'sshd: authentication success.' Src IP: {ip} User: {user}",
                "Rule: 5902 (level 8) -> 'New user added to the system.' User: {user}",
                "Rule: 5901 (level 8) -> 'New group added to the system.' Group: {user}-admins",
            ],
            "N": [
                "wazuh-remoted: INFO: Agent '{agentname}' ({id}) connected",
                "wazuh-modulesd:syscollector: INFO: Evaluation finished.",
                "wazuh-modulesd:vulnerability-detector: INFO: (5461): Starting Red Hat Enterprise Linux 9 database update.",
                "wazuh-syscheckd: INFO: (6009): File integrity monitoring scan ended.",
                "wazuh-logcollector: INFO: (1950): Analyzing file: '/var/log/secure'.",
                "Rule: 502 (level 3) -> 'Wazuh server started.'",
                "Rule: 503 (level 3) -> 'Wazuh agent started.' Agent: {agentname}",
            ],
            "E": [
                "wazuh-remoted: ERROR: (1210): Queue '/var/ossec/queue/sockets/queue' not accessible: 'Connection refused'; event retried",
                "wazuh-modulesd: ERROR: Could not download vulnerability feed from {host}: timeout, next attempt in 1 hour",
                "wazuh-db: ERROR: Can't open SQLite database 'queue/db/{id}.db': unable to open database file",
                "wazuh-remoted: WARNING: (1408): Invalid ID {id} for the source ip: '{ip}' (name 'unknown').",
                "wazuh-modulesd: ERROR: Couldn't connect to the Wazuh indexer at https://{host}:9200: Connection refused",
            ],
            "R": [
                "wazuh-analysisd: WARNING: The analysisd event queue is {pct}% full.",
                "wazuh-agentd: WARNING: Agent buffer at {pct} %.",
                "Rule: 531 (level 7) -> 'Partition usage reached {pct}% (disk space monitor).' Partition: {mnt}",
            ],
            "C": [
                "wazuh-db: CRITICAL: global.db is corrupted and could not be repaired; agent database lost",
                "wazuh-analysisd: CRITICAL: (1226): Error reading rules: the manager cannot start and no alert is generated",
                "wazuh-analysisd: CRITICAL: (1226): Error reading XML file 'etc/ossec.conf': (line {n}). Exiting.",
            ],
        },
        words={
            "agentname": AGENT_NAME,
            "etcfile": ["passwd", "shadow", "sudoers", "ssh/sshd_config", "crontab"],
            "cmd": ["ls", "ps", "netstat", "login"],
        },
    ),
]
