"""Monitoring systems: Nagios, Zabbix, Prometheus and Alertmanager, Monit and Telegraf. They report other
machines' state, so their lines carry every label: a host DOWN is Critical Error, a disk or CPU threshold
crossed is Resource Usage, a failed check or delivery is Error, an operator's acknowledgement is User Action,
and the daemons' own bookkeeping is System Notification."""

from training.corpus.family import Family

NAGIOS_HOST = ["web01", "web02", "db-primary", "lb-edge", "mail02", "nfs01"]
PROM_JOB = ["node", "api", "postgres-exporter", "blackbox", "kube-state-metrics"]
RECEIVER = ["pagerduty", "slack-ops", "email-oncall", "opsgenie"]
MONIT_SVC = ["nginx", "postgresql", "sshd", "php-fpm", "redis", "api"]
TELEGRAF_INPUT = ["cpu", "disk", "diskio", "mem", "net", "system", "docker", "procstat"]

FAMILIES = [
    Family(
        "nagios",
        "monitoring",
        2.0,
        {
            "C": [
                "HOST ALERT: {nhost};DOWN;HARD;{n};CRITICAL - Host Unreachable ({ip})",
                "HOST ALERT: {nhost};DOWN;HARD;{n};PING CRITICAL - Packet loss = 100%",
                "SERVICE ALERT: {nhost};HTTP;CRITICAL;HARD;{n};connect to address {ip} and port 80: Connection refused",
                "HOST NOTIFICATION: nagiosadmin;{nhost};DOWN;notify-host-by-email;CRITICAL - Host Unreachable ({ip})",
            ],
            "R": [
                "SERVICE ALERT: {nhost};Disk Space;CRITICAL;HARD;{n};DISK CRITICAL - free space: {mnt} {n} MB ({n}% inode={pct}%):",
                "SERVICE ALERT: {nhost};Current Load;WARNING;SOFT;{n};WARNING - load average: {float}, {float}, {float}",
                "SERVICE ALERT: {nhost};Swap Usage;CRITICAL;HARD;{n};SWAP CRITICAL - {n}% free ({n} MB out of {mb} MB)",
                "SERVICE ALERT: {nhost};Memory;WARNING;HARD;{n};MEMORY WARNING - {pct}% used ({mb} MB of {mb} MB)",
                "SERVICE NOTIFICATION: nagiosadmin;{nhost};Disk Space;WARNING;notify-service-by-email;DISK WARNING - free space: {mnt} {n} MB ({n}% inode={pct}%):",
            ],
            "N": [
                "HOST ALERT: {nhost};UP;HARD;1;PING OK - Packet loss = 0%, RTA = {float} ms",
                "SERVICE ALERT: {nhost};HTTP;OK;HARD;{n};HTTP OK: HTTP/1.1 200 OK - {bytes} bytes in {sec} second response time",
                "SERVICE ALERT: {nhost};Disk Space;OK;HARD;{n};DISK OK - free space: {mnt} {big} MB ({lowpct}% inode={lowpct}%):",
                "Auto-save of retention data completed successfully.",
                "Caught SIGHUP, restarting...",
                "Nagios {ver} starting... (PID={pid})",
                "Successfully launched command file worker with pid {pid}",
                "LOG ROTATION: DAILY",
                "CURRENT HOST STATE: {nhost};UP;HARD;1;PING OK - Packet loss = 0%, RTA = {float} ms",
            ],
            "E": [
                "Warning: Check of service 'Disk Space' on host '{nhost}' timed out after {float} seconds",
                "Error: Could not open command file '/usr/local/nagios/var/rw/nagios.cmd' for update!",
                "SERVICE ALERT: {nhost};NRPE;UNKNOWN;SOFT;{n};CHECK_NRPE: Error - Could not connect to {ip}: Connection reset by peer",
                "Warning: Return code of 127 for check of service 'Memory' on host '{nhost}' was out of bounds. Make sure the plugin you're trying to run actually exists.",
            ],
            "U": [
                "EXTERNAL COMMAND: ACKNOWLEDGE_SVC_PROBLEM;{nhost};Disk Space;2;1;1;{user};Cleaning up old backups",
                "EXTERNAL COMMAND: SCHEDULE_HOST_DOWNTIME;{nhost};{big};{big};1;0;7200;{user};Kernel upgrade",
                "EXTERNAL COMMAND: DISABLE_SVC_NOTIFICATIONS;{nhost};HTTP",
            ],
        },
        words={"nhost": NAGIOS_HOST},
    ),
    Family(
        "zabbix",
        "monitoring",
        2.0,
        {
            "N": [
                "{pid}:{zstamp} Starting Zabbix Server. Zabbix {ver} (revision {hex8}).",
                "{pid}:{zstamp} server #{n} started [poller #{n}]",
                "{pid}:{zstamp} housekeeper [deleted {big} hist/trends, 0 items/triggers, {n} events, {n} problems, 0 sessions, 0 alarms, 0 audit, 0 autoreg_host, 0 records in {float} sec, idle for 1 hour(s)]",
                '{pid}:{zstamp} resuming Zabbix agent checks on host "{nhost}": connection restored',
                '{pid}:{zstamp} Zabbix agent item "system.uptime" on host "{nhost}" is supported again',
                "Resolved: High CPU utilization on {nhost}",
                "Problem started at {ztime} on {zdate} Problem name: {nhost} has been restarted (uptime < 10m) Host: {nhost} Severity: Warning",
                "{pid}:{zstamp} Starting Zabbix Agent [{nhost}]. Zabbix {ver} (revision {hex8}).",
            ],
            "E": [
                '{pid}:{zstamp} Zabbix agent item "system.cpu.load[all,avg1]" on host "{nhost}" failed: first network error, wait for 15 seconds',
                '{pid}:{zstamp} item "{nhost}:vfs.fs.size[{mnt},pfree]" became not supported: Cannot obtain filesystem information: [2] No such file or directory',
                '{pid}:{zstamp} cannot send list of active checks to "{ip}": host [{nhost}] not found',
                "{pid}:{zstamp} [Z3001] connection to database 'zabbix' failed: [2002] Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)",
                "{pid}:{zstamp} failed to accept an incoming connection: from {ip}: unencrypted connections are not allowed",
            ],
            "C": [
                "{pid}:{zstamp} Zabbix agent on [{nhost}] is unreachable for 5 minutes",
                "Problem started at {ztime} on {zdate} Problem name: Zabbix agent is not available (for 3m) Host: {nhost} Severity: Average",
            ],
            "R": [
                "Problem started at {ztime} on {zdate} Problem name: High CPU utilization (over 90% for 5m) Host: {nhost} Severity: Warning",
                "Problem started at {ztime} on {zdate} Problem name: {mnt}: Disk space is critically low (used > 90%) Host: {nhost} Severity: Average",
                "Problem started at {ztime} on {zdate} Problem name: High memory utilization (>90% for 5m) Host: {nhost} Severity: Average",
                "{pid}:{zstamp} Less than 25% remaining in the configuration cache",
                "{pid}:{zstamp} value cache is working in low memory mode",
            ],
            "U": [
                "Problem acknowledged by {user} at {ztime} on {zdate}: working on it",
                "User '{user}' logged in to the Zabbix frontend from {ip}",
            ],
            "S": [
                "User '{user}' failed to log in to the Zabbix frontend from {ip}: incorrect user name or password",
            ],
        },
        words={
            "nhost": NAGIOS_HOST,
            "zstamp": ["20240501:101112.123", "20240611:020304.998", "20250113:235959.001", "20241130:074512.440"],
            "ztime": ["10:11:12", "02:03:04", "23:59:59", "07:45:12"],
            "zdate": ["2024.05.01", "2024.06.11", "2025.01.13", "2024.11.30"],
        },
    ),
    Family(
        "prometheus",
        "monitoring",
        2.0,
        {
            "N": [
                'ts={iso} caller=main.go:{n} level=info msg="Server is ready to receive web requests."',
                'ts={iso} caller=main.go:{n} level=info msg="Completed loading of configuration file" filename=/etc/prometheus/prometheus.yml totalDuration={dur}',
                'ts={iso} caller=head.go:{n} level=info component=tsdb msg="Head GC completed" caller=truncateMemory duration={dur}',
                'ts={iso} caller=head.go:{n} level=info component=tsdb msg="WAL checkpoint complete" first={n} last={n} duration={dur}',
                'ts={iso} caller=compact.go:{n} level=info component=tsdb msg="write block" mint={big} maxt={big} ulid={hex32} duration={dur}',
                'ts={iso} caller=main.go:{n} level=warn msg="Received SIGTERM, exiting gracefully..."',
                'ts={iso} caller=dispatch.go:{n} level=info component=dispatcher msg="Notify success" receiver={receiver} integration={receiver}[0] attempts=1',
                "[RESOLVED] HighCPULoad ({nhost} warning)",
            ],
            "E": [
                'level=warn component="scrape manager" scrape_pool={svc} target=http://{ip}:9100/metrics msg="Scrape failed" err="context deadline exceeded"',
                'level=error component=notifier msg="Error sending alert" alertmanager=http://{ip}:9093/api/v2/alerts err="connection refused"',
                'ts={iso} caller=scrape.go:{n} level=warn component="scrape manager" scrape_pool={job} target=http://{ip}:9100/metrics msg="Append failed" err="out of bounds"',
                'ts={iso} caller=notifier.go:{n} level=error component=notifier alertmanager=http://{ip}:9093/api/v2/alerts count={n} msg="Error sending alert" err="Post \\"http://{ip}:9093/api/v2/alerts\\": dial tcp {ip}:9093: connect: connection refused"',
                'ts={iso} caller=dispatch.go:{n} level=error component=dispatcher msg="Notify for alerts failed" num_alerts={n} err="{receiver}/{receiver}[0]: notify retry canceled after 3 attempts: context deadline exceeded"',
                'ts={iso} caller=manager.go:{n} level=warn component="rule manager" file=/etc/prometheus/rules.yml group=node msg="Evaluating rule failed" err="query timed out in expression evaluation"',
            ],
            "C": [
                'level=error component=tsdb msg="Opening storage failed" err="corruption in segment /prometheus/wal/{big}: data lost"',
                'level=error msg="Error loading config; Prometheus cannot start" err="parsing YAML file /etc/prometheus/prometheus.yml"',
                'ts={iso} caller=main.go:{n} level=error err="opening storage failed: /prometheus/wal/{big}: corruption in segment, last valid record at offset {big}"',
                "[FIRING:1] InstanceDown ({ip}:9100 {job} critical) {ip}:9100 of job {job} has been down for more than 5 minutes.",
                "[FIRING:1] KubePodCrashLooping (default/{job}-{hex8} critical) Pod is crash looping.",
            ],
            "R": [
                "[FIRING:1] HighMemoryUsage ({nhost} critical) Memory usage is above 90% (current value: {pct}.{n}%)",
                "[FIRING:1] NodeFilesystemAlmostOutOfSpace ({mnt} ext4 warning) Filesystem has less than 5% space left.",
                "[FIRING:2] HighCPULoad ({nhost} warning) CPU load is above 80% for 10 minutes (current value: {pct}%)",
                'ts={iso} caller=head.go:{n} level=warn component=tsdb msg="Head series limit reached" limit={big}',
            ],
        },
        words={"job": PROM_JOB, "receiver": RECEIVER, "nhost": NAGIOS_HOST},
    ),
    Family(
        "monit",
        "monitoring",
        1.5,
        {
            "N": [
                "'{msvc}' process is running with pid {pid}",
                "'{msvc}' trying to restart",
                "'{msvc}' start: '/usr/sbin/service {msvc} start'",
                "'{msvc}' started",
                "'{msvc}' connection succeeded to [localhost]:{port}/health [TCP/IP]",
                "Monit daemon with PID {pid} awakened",
                "Starting Monit {ver} daemon with http interface at [localhost]:2812",
                "'{nhost}' Monit reloaded",
            ],
            "C": [
                "'{msvc}' process is not running",
                "'{msvc}' service restarted {n} times within {n} cycles(s) - unmonitor",
            ],
            "R": [
                "'{nhost}' cpu usage of {pct}.{n}% matches resource limit [cpu usage > 90.0%]",
                "'{nhost}' mem usage of {pct}.{n}% matches resource limit [mem usage > 90.0%]",
                "'rootfs' space usage {pct}.{n}% matches resource limit [space usage > 90.0%]",
                "'{nhost}' loadavg (5min) of {float} matches resource limit [loadavg (5min) > 4.0]",
                "'{msvc}' total mem amount of {size} matches resource limit [total mem amount > {size}]",
            ],
            "E": [
                "'{msvc}' failed protocol test [HTTP] at [localhost]:{port}/health [TCP/IP] -- HTTP: Error receiving data -- Connection reset by peer",
                "'{msvc}' failed to restart (exit status 1) -- '/usr/sbin/service {msvc} start': Job for {msvc}.service failed",
                "Cannot connect to [mmonit.internal]:8080 -- Connection refused",
            ],
            "S": [
                "'passwd' checksum was changed for /etc/passwd",
                "'sshd_config' permission test failed for /etc/ssh/sshd_config -- current permission is 0666",
            ],
        },
        words={"msvc": MONIT_SVC, "nhost": NAGIOS_HOST},
    ),
    Family(
        "telegraf",
        "monitoring",
        1.5,
        {
            "N": [
                "I! Starting Telegraf {ver}",
                "I! Loaded inputs: {tinput} {tinput} {tinput} {tinput}",
                "I! Loaded outputs: influxdb prometheus_client",
                'I! [agent] Config: Interval:10s, Quiet:false, Hostname:"{nhost}", Flush Interval:10s',
                "D! [outputs.influxdb] Wrote batch of {big} metrics in {dur}",
                "I! [agent] Hang on, flushing any cached metrics before shutdown",
            ],
            "E": [
                'E! [outputs.influxdb] When writing to [http://{ip}:8086]: failed doing req: Post "http://{ip}:8086/write?db=telegraf": dial tcp {ip}:8086: connect: connection refused',
                "E! [inputs.{tinput}] Error in plugin: error getting disk usage info: permission denied",
                "E! [agent] Error writing to outputs.influxdb: could not write any address",
                "E! [inputs.docker] Error in plugin: Got permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock",
            ],
            "R": [
                "W! [outputs.influxdb] Metric buffer overflow; {big} metrics have been dropped",
                "D! [outputs.influxdb] Buffer fullness: {big} / 10000 metrics",
            ],
            "D": [
                'W! DeprecationWarning: Option "fielddrop" of plugin "inputs.{tinput}" deprecated since version 1.29.0 and will be removed in 1.40.0: use \'fieldexclude\' instead',
                "W! DeprecationWarning: Plugin \"inputs.cassandra\" deprecated since version 1.7.0 and will be removed in 1.40.0: use 'inputs.jolokia2' with the 'cassandra.conf' example configuration instead",
            ],
        },
        words={"tinput": TELEGRAF_INPUT, "nhost": NAGIOS_HOST},
    ),
]
