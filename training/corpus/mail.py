"""Mail: Postfix, Dovecot, Exim and rspamd.

Messages queued, delivered and removed, connections and IMAP logins of a mailbox owner are routine
(a user's successful mail login is a session, as for sshd). A deferred or bounced message and a lookup
that failed are an Error: the mail system goes on. A queue file or mailbox index corrupted, the queue
manager dying or mail being lost is a Critical Error. SASL authentication failures, relay denials and
spam or virus rejections are Security Alerts.
"""

from training.corpus.family import Family

MAILBOX = ["alice@example.com", "bob@example.org", "billing@shop.example", "noreply@example.net", "ops@corp.example"]
QID = ["4F2A91C0B3", "7C1E02D4A9", "B93F1A72E1", "1D8E4C6F20", "A0C39E55F7"]

MAIL = [
    Family(
        "postfix",
        "mail",
        3.0,
        {
            "N": [
                "postfix/smtpd[{pid}]: connect from {host}[{ip}]",
                "postfix/smtpd[{pid}]: disconnect from {host}[{ip}] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5",
                "postfix/smtpd[{pid}]: {qid}: client={host}[{ip}]",
                "postfix/cleanup[{pid}]: {qid}: message-id=<{hex12}@{host}>",
                "postfix/qmgr[{pid}]: {qid}: from=<{mbox}>, size={bytes}, nrcpt=1 (queue active)",
                "postfix/smtp[{pid}]: {qid}: to=<{mbox}>, relay={host}[{ip}]:25, delay={float}, delays=0.1/0/0.2/0.3, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as {qid})",
                "postfix/lmtp[{pid}]: {qid}: to=<{mbox}>, relay=mail.example.com[private/dovecot-lmtp], delay={float}, dsn=2.0.0, status=sent (250 2.0.0 <{mbox}> Saved)",
                "postfix/qmgr[{pid}]: {qid}: removed",
                "postfix/master[{pid}]: daemon started -- version {ver}, configuration /etc/postfix",
                "postfix/master[{pid}]: reload -- version {ver}, configuration /etc/postfix",
                "postfix/anvil[{pid}]: statistics: max connection rate {n}/60s for (smtp:{ip}) at {date}",
                "postfix/pickup[{pid}]: {qid}: uid={uid} from=<{mbox}>",
            ],
            "E": [
                "postfix/smtp[{pid}]: {qid}: to=<{mbox}>, relay=none, delay={big}, delays={big}/0.01/30/0, dsn=4.4.1, status=deferred (connect to {host}[{ip}]:25: Connection timed out)",
                "postfix/smtp[{pid}]: {qid}: to=<{mbox}>, relay={host}[{ip}]:25, delay={float}, dsn=5.1.1, status=bounced (host {host}[{ip}] said: 550 5.1.1 <{mbox}>: Recipient address rejected: User unknown in virtual mailbox table (in reply to RCPT TO command))",
                "postfix/smtp[{pid}]: {qid}: to=<{mbox}>, relay=none, delay={float}, dsn=4.4.3, status=deferred (Host or domain name not found. Name service error for name={host} type=MX: Host not found, try again)",
                "postfix/bounce[{pid}]: {qid}: sender non-delivery notification: {qid}",
                "postfix/smtp[{pid}]: {qid}: lost connection with {host}[{ip}] while sending end of data -- message may be sent more than once",
                "postfix/trivial-rewrite[{pid}]: warning: do not list domain example.com in BOTH mydestination and virtual_mailbox_domains",
                "postfix/smtpd[{pid}]: warning: problem talking to server private/policyd: Connection refused",
                "postfix/local[{pid}]: {qid}: to=<{mbox}>, relay=local, delay={float}, dsn=5.2.2, status=bounced (cannot update mailbox /var/mail/{user} for user {user}. error writing message: File too large)",
            ],
            "C": [
                "postfix/qmgr[{pid}]: fatal: scan_dir_push: open directory defer: Permission denied",
                "postfix/master[{pid}]: fatal: bind 0.0.0.0 port 25: Address already in use",
                "postfix/cleanup[{pid}]: fatal: {qid}: queue file write error: corrupted queue file; message lost",
                "postfix/postqueue[{pid}]: fatal: Cannot flush mail queue - mail system is down",
                "postfix/master[{pid}]: warning: process /usr/lib/postfix/sbin/qmgr pid {pid} killed by signal 11; queue manager crashed",
                "postfix/smtpd[{pid}]: fatal: open database /etc/postfix/virtual.db: corrupted database; no mail can be accepted",
            ],
            "S": [
                "postfix/smtpd[{pid}]: warning: {host}[{ip}]: SASL LOGIN authentication failed: authentication failure",
                "postfix/smtpd[{pid}]: NOQUEUE: reject: RCPT from {host}[{ip}]: 554 5.7.1 <{mbox}>: Relay access denied; from=<{mbox}> to=<{mbox}> proto=ESMTP helo=<{host}>",
                "postfix/smtpd[{pid}]: NOQUEUE: reject: RCPT from unknown[{ip}]: 554 5.7.1 Service unavailable; Client host [{ip}] blocked using zen.spamhaus.org",
                "postfix/postscreen[{pid}]: PREGREET {n} after {float} from [{ip}]:{port}: EHLO User\\r\\n",
                "postfix/anvil[{pid}]: warning: Connection rate limit exceeded: {n} from {host}[{ip}] for service smtp",
            ],
            "R": [
                "postfix/qmgr[{pid}]: warning: mail queue size {big} messages exceeds qmgr_message_active_limit {big}",
                "postfix/smtpd[{pid}]: warning: not enough free space in mail queue: {bytes} bytes < 1.5*message size limit",
            ],
            "D": [
                'postfix/postconf[{pid}]: warning: /etc/postfix/main.cf: support for parameter "smtpd_tls_dh512_param_file" will be removed; instead, do not specify (leave at default)',
            ],
        },
        words={"qid": QID, "mbox": MAILBOX},
    ),
    Family(
        "dovecot",
        "mail",
        2.5,
        {
            "N": [
                "dovecot: lmtp({pid}): Connect from local",
                "dovecot: lmtp({mbox})<{pid}><{hex12}>: msgid=<{hex12}@{host}>: saved mail to INBOX",
                "dovecot: master: Dovecot v2.3.{n} starting up for imap, lmtp, sieve (core dumps disabled)",
                "dovecot: auth: Debug: client in: AUTH\t1\tPLAIN\tservice=imap",
                "dovecot: imap({mbox}): sieve: msgid=<{hex12}@{host}>: fileinto action: stored mail into mailbox 'Archive'",
            ],
            "U": [
                "dovecot: imap-login: Login: user=<{mbox}>, method=PLAIN, rip={ip}, lip={ip}, mpid={pid}, TLS, session=<{hex12}>",
                "dovecot: imap({mbox})<{pid}><{hex12}>: Logged out in={bytes} out={bytes} deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0",
                "dovecot: pop3({mbox})<{pid}><{hex12}>: Disconnected: Logged out top=0/0, retr=1/{bytes}, del=1/1, size={bytes}",
            ],
            "S": [
                "dovecot: imap-login: Disconnected (auth failed, 3 attempts in 12 secs): user=<{mbox}>, method=PLAIN, rip={ip}, lip={ip}, TLS, session=<{hex12}>",
                "dovecot: auth: passwd-file(admin,{ip}): unknown user",
                "dovecot: auth-worker({pid}): pam({mbox},{ip}): pam_authenticate() failed: Authentication failure (password mismatch?)",
                "dovecot: imap-login: Aborted login (tried to use disallowed plaintext auth): user=<>, rip={ip}, lip={ip}, session=<{hex12}>",
            ],
            "E": [
                "dovecot: imap({mbox}): Error: Mailbox INBOX: UID={n}: read(/var/vmail/{user}/cur/{big}.M{n}P{pid}) failed: Connection timed out",
                "dovecot: lmtp({mbox}): Error: quota exceeded, mail rejected for {mbox}",
                "dovecot: imap({mbox}): Error: Sync failed for mbox file /var/mail/{user}: Mailbox is locked, timed out waiting for lock",
                "dovecot: auth-worker({pid}): Error: mysql(localhost): Connect failed to database (mail): Can't connect to MySQL server - waiting for 1 seconds before retry",
                "dovecot: imap({mbox}): Error: Corrupted index cache file /var/vmail/{user}/dovecot.index.cache: rebuilt from the mailbox",
            ],
            "C": [
                "dovecot: master: Fatal: Dovecot is already running with PID {pid} (read from /run/dovecot/master.pid)",
                "dovecot: imap({mbox}): Panic: file mail-index.c: line {n}: assertion failed: (map->rec_map->records_count > 0); mailbox index corrupted beyond repair, messages lost",
                "dovecot: master: Fatal: service(auth) access(/usr/lib/dovecot/auth) failed: No such file or directory; no user can log in",
                "dovecot: lmtp({mbox}): Fatal: write(/var/vmail/{user}/new) failed: Read-only file system; incoming mail is being lost",
            ],
            "R": [
                "dovecot: quota-warning: user {mbox} is at {pct}% of mailbox quota ({size} of {size})",
                "dovecot: master: Warning: service(imap-login): process_limit ({n}) reached, client connections are being dropped",
            ],
            "D": [
                "dovecot: config: Warning: please rename ssl_dh_parameters_length: the setting is obsolete and will be removed in v2.4",
            ],
        },
        words={"mbox": MAILBOX},
    ),
    Family(
        "exim",
        "mail",
        2.0,
        {
            "N": [
                "{emid} <= {mbox} H={host} [{ip}] P=esmtps X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no S={bytes} id={hex12}@{host}",
                '{emid} => {mbox} R=dnslookup T=remote_smtp H={host} [{ip}] X=TLS1.2:ECDHE-RSA-AES256-GCM-SHA384:256 CV=yes C="250 2.0.0 OK {big}"',
                "{emid} Completed",
                "exim 4.{n} daemon started: pid={pid}, -q30m, listening for SMTP on port 25 (IPv4)",
                "Start queue run: pid={pid}",
                "End queue run: pid={pid}",
                "{emid} => {user} <{mbox}> R=local_user T=mail_spool",
            ],
            "E": [
                "{emid} == {mbox} R=dnslookup T=remote_smtp defer (-44) H={host} [{ip}]: SMTP error from remote mail server after RCPT TO:<{mbox}>: 451 4.7.1 Greylisted, please try again",
                "{emid} ** {mbox} R=dnslookup T=remote_smtp H={host} [{ip}]: SMTP error from remote mail server after RCPT TO:<{mbox}>: 550 5.1.1 The email account that you tried to reach does not exist",
                '{emid} Message is frozen: error in router: failed to expand "${{lookup mysql}}": lookup of aliases failed',
                "{emid} == {mbox} R=dnslookup defer (-1): host lookup did not complete",
                "{emid} Spool file is locked (another process is handling this message)",
            ],
            "C": [
                "{emid} Format error in spool file {emid}-H: size={bytes}; message lost",
                "exim: failed to open spool directory /var/spool/exim4/input: Permission denied; daemon cannot start",
                "panic: malloc failed: exim daemon crashed, no mail is being accepted",
            ],
            "S": [
                "dovecot_plain authenticator failed for ({host}) [{ip}]:{port}: 535 Incorrect authentication data (set_id={mbox})",
                "H=({host}) [{ip}] F=<{mbox}> rejected RCPT <{mbox}>: relay not permitted",
                "{emid} H={host} [{ip}] F=<{mbox}> rejected after DATA: This message contains a virus (Eicar-Signature) and has been rejected",
            ],
            "R": [
                "Less than {n} MB free in spool partition, rejecting SMTP sessions",
            ],
        },
        words={"emid": ["1rJx4Z-000Ab1-2C", "1rKb9a-0004Qz-Tt", "1rLc2B-000Ghk-1s", "1rMn7D-0009aX-7P"], "mbox": MAILBOX},
    ),
    Family(
        "rspamd",
        "mail",
        1.0,
        {
            "N": [
                "rspamd_task_write_log: id: <{hex12}@{host}>, qid: <{qid}>, ip: {ip}, from: <{mbox}>, (default: F (no action): [-{float}/15.00] [BAYES_HAM(-3.00){{{pct}.00%;}},DKIM_SIGNED(0.00){{example.com;}}]), len: {bytes}, time: {float}ms",
                "rspamd_controller_learn_fin_task: <{ip}>; learned message as ham: {hex12}",
                "main: rspamd 3.{n} is loading configuration, build id: release",
            ],
            "S": [
                "rspamd_task_write_log: id: <{hex12}@{host}>, qid: <{qid}>, ip: {ip}, from: <{mbox}>, (default: T (reject): [{float}/15.00] [PHISHING(5.00),MID_RHS_NOT_FQDN(0.50),BAYES_SPAM(5.10)]), len: {bytes}",
                "rspamd_task_write_log: id: <{hex12}@{host}>, ip: {ip}, (default: T (reject): [{float}/15.00] [CLAM_VIRUS(20.00){{Win.Trojan.Agent-{n};}}]), len: {bytes}",
            ],
            "E": [
                "rspamd_redis_stat_timeout: connection to redis server {ip}:6379 timed out",
                "lua_http_finish_handler: rspamd_http_finish_handler: request to http://{host}:3310 failed: Connection refused",
            ],
        },
        words={"qid": QID, "mbox": MAILBOX},
    ),
]

FAMILIES = MAIL
