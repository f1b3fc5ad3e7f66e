"""Web applications and the services people log in to: Ruby on Rails, ASP.NET Core, Go web servers, the
Heroku router, HTTP client libraries, Keycloak, Grafana, GitLab, Nextcloud and Jenkins. Their request records
are prose or key=value rather than the access-log line, and their audit events are what people did."""

from training.corpus.family import Family

# "200 OK" and friends, as frameworks print the status with its reason phrase.
STATUS_TEXT = [
    "200 OK",
    "201 Created",
    "204 No Content",
    "301 Moved Permanently",
    "302 Found",
    "304 Not Modified",
    "400 Bad Request",
    "401 Unauthorized",
    "403 Forbidden",
    "404 Not Found",
    "409 Conflict",
    "422 Unprocessable Entity",
    "500 Internal Server Error",
    "502 Bad Gateway",
    "503 Service Unavailable",
]
REALM = ["master", "acme", "internal", "customers"]
CLIENT = ["account-console", "admin-cli", "web-portal", "grafana", "gitlab", "mobile-app"]
PROJECT = ["platform/api", "infra/terraform", "web/frontend", "data/etl", "ops/runbooks"]
JOB = ["deploy-production", "nightly-build", "api-tests", "release", "docs-publish"]

FAMILIES = [
    Family(
        "rails",
        "apps",
        2.5,
        {
            "H": [
                'Started {method} "{path}" for {ip} at {date} +0000',
                "Completed {status_text} in {ms}ms (Views: {float}ms | ActiveRecord: {float}ms | Allocations: {big})",
                "Completed {status_text} in {ms}ms (ActiveRecord: {float}ms | Allocations: {big})",
                "method={method} path={path} format=json controller=Api::V1::{rcls}Controller action=show status={status} duration={float} view={float} db={float}",
            ],
            "N": [
                "Processing by {rcls}Controller#{raction} as HTML",
                "Processing by Api::V1::{rcls}Controller#{raction} as JSON",
                "Rendered {rview}/{raction}.html.erb within layouts/application (Duration: {float}ms | Allocations: {big})",
                "Rendered layout layouts/application.html.erb (Duration: {float}ms | Allocations: {big})",
                "Redirected to https://{host}/{rview}/{id}",
                "Performing {rcls}SyncJob (Job ID: {uuid}) from Sidekiq(default) enqueued at {date}",
                "Performed {rcls}SyncJob (Job ID: {uuid}) from Sidekiq(default) in {float}ms",
                "Puma starting in single mode...",
                "* Listening on http://0.0.0.0:3000",
                "Migrating to Create{rcls}s ({big})",
            ],
            "E": [
                "Error performing ExportJob (Job ID: {uuid}) from Sidekiq(default) in {float}ms: Aws::S3::Errors::RequestTimeout; will retry",
                "ActionMailer::DeliveryError (Failed to deliver receipt to {person}@example.com: 421 Service not available)",
                "ActiveRecord::RecordNotFound (Couldn't find {rcls} with 'id'={id}):",
                'ActionController::RoutingError (No route matches [{method}] "{path}"):',
                "ActiveRecord::StatementInvalid (PG::UndefinedColumn: ERROR:  column {rview}.archived does not exist):",
                "Error performing {rcls}SyncJob (Job ID: {uuid}) from Sidekiq(default) in {float}ms: Net::ReadTimeout (Net::ReadTimeout)",
                "NoMethodError (undefined method `name' for nil:NilClass):",
                "Redis::CannotConnectError (Error connecting to Redis on {host}:6379 (Errno::ECONNREFUSED)):",
            ],
            "S": [
                "Can't verify CSRF token authenticity.",
                "Rack::Attack: throttled {ip} on logins/ip ({n} requests in 60s)",
                "Filter chain halted as :authenticate_user! rendered or redirected",
            ],
            "C": [
                "ActiveRecord::DatabaseConnectionError: all database replicas unreachable; the application is down",
                "[{pid}] ! Puma cannot start: config/master.key missing, credentials unreadable",
                'ActiveRecord::ConnectionNotEstablished (connection to server at "{host}" ({ip}), port 5432 failed: FATAL:  the database system is shutting down):',
                "[{pid}] ! Unable to start worker: Errno::ENOMEM (Cannot allocate memory - fork(2))",
            ],
            "R": [
                "Puma thread pool: {n} of {n} threads busy, backlog {n}",
            ],
            "D": [
                "DEPRECATION WARNING: `ActiveRecord::Base.default_timezone` is deprecated and will be removed in Rails 7.1. Use `ActiveRecord.default_timezone` instead.",
                "DEPRECATION WARNING: Using legacy connection handling is deprecated. Please set `legacy_connection_handling` to `false` in your application.",
            ],
        },
        words={
            "status_text": STATUS_TEXT,
            "rcls": ["User", "Order", "Invoice", "Project", "Session", "Comment"],
            "raction": ["index", "show", "create", "update", "destroy"],
            "rview": ["users", "orders", "invoices", "projects", "dashboard"],
        },
    ),
    Family(
        "aspnet-core",
        "apps",
        2.0,
        {
            "H": [
                "Request starting HTTP/1.1 {method} http://{host}:5000{path} - -",
                "Request finished HTTP/1.1 {method} http://{host}:5000{path} - - - {status} - application/json;+charset=utf-8 {float}ms",
                "Request finished HTTP/2 {method} https://{host}{path} - {status} {bytes} text/html;+charset=utf-8 {float}ms",
                "HTTP {method} {path} responded {status} in {float} ms",
            ],
            "N": [
                "Now listening on: http://[::]:8080",
                "Application started. Press Ctrl+C to shut down.",
                "Hosting environment: Production",
                "Content root path: /app",
                "Executing endpoint '{ns}.Controllers.{dcls}Controller.Get ({ns})'",
                "Executed endpoint '{ns}.Controllers.{dcls}Controller.Get ({ns})'",
                'Route matched with {{action = "Get", controller = "{dcls}"}}. Executing controller action with signature System.Threading.Tasks.Task`1[Microsoft.AspNetCore.Mvc.IActionResult] Get(Int32) on controller {ns}.Controllers.{dcls}Controller ({ns}).',
                "Executed action {ns}.Controllers.{dcls}Controller.Get ({ns}) in {float}ms",
                "Entity Framework Core 8.0.{n} initialized '{dcls}Context' using provider 'Npgsql.EntityFrameworkCore.PostgreSQL'",
                "Application is shutting down...",
            ],
            "E": [
                "An unhandled exception has occurred while executing the request. System.InvalidOperationException: Sequence contains no elements",
                "Failed executing DbCommand ({ms}ms) [Parameters=[@p0='?'], CommandType='Text', CommandTimeout='30']",
                "An exception occurred while iterating over the results of a query for context type '{ns}.Data.{dcls}Context'. System.TimeoutException",
                'Connection id "{hex12}", Request id "{hex12}:00000002": An unhandled exception was thrown by the application.',
            ],
            "S": [
                "Bearer was not authenticated. Failure message: IDX10223: Lifetime validation failed. The token is expired.",
                "Authorization failed. These requirements were not met: DenyAnonymousAuthorizationRequirement: Requires an authenticated user.",
                "AuthenticationScheme: Cookies was forbidden.",
            ],
            "C": [
                "Hosting failed to start System.IO.IOException: Failed to bind to address http://[::]:8080: address already in use.",
                "Process terminated. Couldn't find a valid ICU package installed on the system.",
            ],
            "D": [
                "Warning CS0618: 'WebHost.CreateDefaultBuilder(string[])' is obsolete: 'Use WebApplication.CreateBuilder instead'",
            ],
        },
        words={"ns": ["Shop.Api", "Billing.Web", "Portal"], "dcls": ["Orders", "Customers", "Invoices", "Products"]},
    ),
    Family(
        "go-web",
        "apps",
        2.0,
        {
            "H": [
                '[GIN] {date} | {status} | {float}ms | {ip} | {method} "{path}"',
                '{{"level":"info","ts":{float},"caller":"http/middleware.go:{n}","msg":"request","method":"{method}","path":"{path}","status":{status},"latency":"{float}ms","bytes":{bytes}}}',
                'time="{date}" level=info msg="handled request" method={method} uri={path} status={status} duration={float}ms remote={ip}',
                '{ip} - - [{clf}] "{method} {path} HTTP/1.1" {status} {bytes}',
            ],
            "N": [
                "[GIN-debug] Listening and serving HTTP on :8080",
                "[GIN-debug] {method} {path} --> main.{gofn} (3 handlers)",
                '{{"level":"info","ts":{float},"caller":"cmd/main.go:{n}","msg":"server started","addr":":8080"}}',
                'time="{date}" level=info msg="connected to database" host={host} db={svc}',
                'time="{date}" level=info msg="shutting down server gracefully"',
                '{{"level":"info","ts":{float},"msg":"cache refreshed","entries":{big}}}',
            ],
            "E": [
                '{{"level":"error","ts":{float},"caller":"store/postgres.go:{n}","msg":"query failed","error":"pq: relation \\"{svc}\\" does not exist"}}',
                'time="{date}" level=error msg="failed to publish event" error="dial tcp {ip}:4222: connect: connection refused"',
                "http: TLS handshake error from {ip}:{port}: EOF",
                'time="{date}" level=error msg="upstream request failed" error="context deadline exceeded (Client.Timeout exceeded while awaiting headers)"',
            ],
            "C": [
                "panic: runtime error: invalid memory address or nil pointer dereference [signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc={addr}]",
                "fatal error: concurrent map writes",
                'time="{date}" level=fatal msg="cannot open database" error="dial tcp {ip}:5432: connect: connection refused"',
            ],
            "R": [
                '{{"level":"warn","ts":{float},"msg":"goroutines high","count":{big},"heap_alloc_mb":{big}}}',
                "http: Accept error: accept tcp [::]:8080: accept4: too many open files; retrying in 1s",
            ],
            "S": [
                'time="{date}" level=warning msg="rejected request: invalid API key" remote={ip} path={path}',
                '{{"level":"warn","ts":{float},"msg":"rate limit exceeded","ip":"{ip}","path":"{path}"}}',
            ],
        },
        words={"gofn": ["listOrders", "getUser", "createInvoice", "healthz"]},
    ),
    Family(
        "heroku-router",
        "apps",
        1.5,
        {
            "H": [
                'at=info method={method} path="{path}" host={host} request_id={uuid} fwd="{ip}" dyno=web.{n} connect={n}ms service={ms}ms status={status} bytes={bytes} protocol=https',
                'at=error code=H12 desc="Request timeout" method={method} path="{path}" host={host} request_id={uuid} fwd="{ip}" dyno=web.{n} connect=0ms service=30000ms status=503 bytes=0 protocol=https',
                'at=error code=H13 desc="Connection closed without response" method={method} path="{path}" host={host} request_id={uuid} fwd="{ip}" dyno=web.{n} connect=0ms service={ms}ms status=503 bytes=0 protocol=https',
            ],
            "N": [
                "State changed from starting to up",
                "Starting process with command `bundle exec puma -C config/puma.rb`",
                "Stopping all processes with SIGTERM",
                "Process exited with status 0 after graceful shutdown",
                "Cycling",
            ],
            "U": [
                "Scaled to web@{n}:Standard-1X worker@{n}:Standard-1X by user {person}@example.com",
                "Release v{n} created by user {person}@example.com",
                "Set LOG_LEVEL config vars by user {person}@example.com",
            ],
            "E": [
                "State changed from up to crashed",
                "Process exited with status 1 before binding to $PORT",
                "Error R10 (Boot timeout) -> Web process failed to bind to $PORT within 60 seconds of launch",
            ],
            "R": [
                "Error R14 (Memory quota exceeded)",
                "Process running mem={n}M({pct}.{n}%)",
                "source=web.{n} dyno=heroku.{big}.{uuid} sample#memory_total={float}MB sample#memory_rss={float}MB sample#memory_quota=512.00MB",
            ],
            "C": [
                "Error R15 (Memory quota vastly exceeded)",
                "Stopping process with SIGKILL",
            ],
        },
    ),
    Family(
        "http-clients",
        "apps",
        1.5,
        {
            "H": [
                '{scheme}://{host}:443 "{method} {path} HTTP/1.1" {status} {bytes}',
                '{scheme}://{host}:443 "{method} {path} HTTP/1.1" {status} None',
                'HTTP Request: {method} https://{host}{path} "HTTP/1.1 {status_text}"',
                "--> {method} https://{host}{path} http/1.1",
                "<-- {status} https://{host}{path} ({ms}ms, {n}-byte body)",
                "Response <{status}> received from {method} https://{host}{path}",
            ],
            "N": [
                "Starting new HTTPS connection (1): {host}:443",
                "Resetting dropped connection: {host}",
                "Refreshing OAuth token for client {svc}",
            ],
            "E": [
                "Retrying (Retry(total=2, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<urllib3.connection.HTTPSConnection object at {addr}>: Failed to establish a new connection: [Errno 111] Connection refused')': {path}",
                "<-- HTTP FAILED: java.net.SocketTimeoutException: timeout",
                "httpx.ConnectTimeout: timed out while connecting to https://{host}{path}",
                "Max retries exceeded with url: {path} (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired')))",
            ],
            "D": [
                "InsecureRequestWarning: Unverified HTTPS request is being made to host '{host}'. Adding certificate verification is strongly advised.",
            ],
        },
        words={"scheme": ["https", "http"], "status_text": STATUS_TEXT},
    ),
    Family(
        "keycloak",
        "apps",
        2.0,
        {
            "U": [
                "type=LOGIN, realmId={realm}, clientId={client}, userId={uuid}, ipAddress={ip}, auth_method=openid-connect, auth_type=code, redirect_uri=https://{host}/callback, code_id={uuid}, username={person}",
                "type=LOGOUT, realmId={realm}, clientId={client}, userId={uuid}, ipAddress={ip}, redirect_uri=https://{host}/",
                "type=UPDATE_PASSWORD, realmId={realm}, clientId=account-console, userId={uuid}, ipAddress={ip}, auth_method=openid-connect, username={person}",
                "type=REGISTER, realmId={realm}, clientId={client}, userId={uuid}, ipAddress={ip}, auth_method=openid-connect, register_method=form, email={person}@example.com, username={person}",
                "type=UPDATE_PROFILE, realmId={realm}, clientId=account-console, userId={uuid}, ipAddress={ip}, updated_email={person}@example.com",
                "operationType=CREATE, realmId={realm}, clientId=admin-cli, userId={uuid}, ipAddress={ip}, resourceType=USER, resourcePath=users/{uuid}",
            ],
            "S": [
                "type=LOGIN_ERROR, realmId={realm}, clientId={client}, userId=null, ipAddress={ip}, error=user_not_found, auth_method=openid-connect, username={user}",
                "type=LOGIN_ERROR, realmId={realm}, clientId={client}, userId={uuid}, ipAddress={ip}, error=invalid_user_credentials, auth_method=openid-connect, username={person}",
                "type=LOGIN_ERROR, realmId={realm}, clientId={client}, userId={uuid}, ipAddress={ip}, error=user_temporarily_disabled, username={person}",
                "type=CLIENT_LOGIN_ERROR, realmId={realm}, clientId={client}, userId=null, ipAddress={ip}, error=unauthorized_client",
            ],
            "N": [
                "type=CODE_TO_TOKEN, realmId={realm}, clientId={client}, userId={uuid}, ipAddress={ip}, token_id={uuid}, grant_type=authorization_code",
                "type=REFRESH_TOKEN, realmId={realm}, clientId={client}, userId={uuid}, ipAddress={ip}, token_id={uuid}, grant_type=refresh_token",
                "Keycloak 24.0.{n} on JVM (powered by Quarkus 3.8.{n}) started in {float}s. Listening on: http://0.0.0.0:8080",
                "Realm '{realm}' imported",
                "Cluster-wide cache 'sessions' started with {n} owners",
            ],
            "E": [
                "Failed to send email: SMTP connection failed (smtp.example.com:587)",
                "type=REFRESH_TOKEN_ERROR, realmId={realm}, clientId={client}, userId={uuid}, ipAddress={ip}, error=invalid_token, grant_type=refresh_token",
                "Failed to synchronize users from LDAP provider 'corp-ldap': Connection refused",
            ],
        },
        words={"realm": REALM, "client": CLIENT},
    ),
    Family(
        "grafana",
        "apps",
        1.5,
        {
            "U": [
                'logger=http.server t={iso} level=info msg="Successful Login" User={person}@example.com',
                'logger=context userId={n} orgId=1 uname={person} t={iso} level=info msg="Dashboard saved" dashboard={gdash}',
                'logger=user t={iso} level=info msg="User created" login={person} email={person}@example.com',
                'logger=api t={iso} level=info msg="API key created" name={gdash}-automation role=Viewer user={person}',
                'logger=context userId={n} orgId=1 uname={person} t={iso} level=info msg="Logged out"',
            ],
            "S": [
                'logger=authn.service t={iso} level=warn msg="Failed to authenticate request" client=auth.client.form error="[password-auth.failed] failed to authenticate identity: invalid username or password" remote_addr={ip}',
                'logger=login.attempt t={iso} level=warn msg="Too many login attempts, user locked" user={user} remote_addr={ip}',
            ],
            "H": [
                'logger=context userId={n} orgId=1 uname={person} t={iso} level=info msg="Request Completed" method={method} path={path} status={status} remote_addr={ip} time_ms={ms} duration={ms}ms size={bytes}',
            ],
            "N": [
                'logger=server t={iso} level=info msg="HTTP Server Listen" address=[::]:3000 protocol=http',
                'logger=sqlstore t={iso} level=info msg="Connecting to DB" dbtype=sqlite3',
                'logger=migrator t={iso} level=info msg="migrations completed" performed={n} skipped={big} duration={ms}ms',
                'logger=ngalert.scheduler t={iso} level=info msg="Starting scheduler" tickInterval=10s',
                'logger=plugins.update.checker t={iso} level=info msg="Update check succeeded" duration={ms}ms',
                'logger=cleanup t={iso} level=info msg="Completed cleanup jobs" duration={ms}ms',
            ],
            "E": [
                'logger=alerting.notifier.slack t={iso} level=error msg="Failed to send Slack message" error="request to Slack API failed with status code 500"',
                'logger=tsdb.prometheus t={iso} level=error msg="Instant query failed" error="Post \\"http://{host}:9090/api/v1/query\\": dial tcp {ip}:9090: connect: connection refused"',
                'logger=context t={iso} level=error msg="Failed to look up user based on cookie" error="user token not found"',
            ],
            "R": [
                'logger=ngalert.state.manager t={iso} level=info msg="Alert state changed" rule="Disk usage above 90%" instance={host} value={pct}',
            ],
            "D": [
                'logger=settings t={iso} level=warn msg="[Deprecated] the use of basic_auth is deprecated and will be removed in a future release"',
                'logger=featuremgmt t={iso} level=warn msg="Angular plugins are deprecated and will be removed in Grafana 11" plugin=grafana-piechart-panel',
            ],
        },
        words={"gdash": ["node-exporter-full", "k8s-cluster", "api-latency", "postgres-overview"]},
    ),
    Family(
        "gitlab",
        "apps",
        2.0,
        {
            "U": [
                "Successful Login: username={person} ip={ip} method=standard admin=false",
                "Successful Login: username=root ip={ip} method=two-factor admin=true",
                'User "{person}" ({person}@example.com) was created',
                'User "{person}" ({person}@example.com) was removed',
                "{person} pushed to branch main of {project}",
                "{person} opened merge request !{n} in {project}",
                "{person} added {person} as Developer to project {project}",
                'User "{person}" changed their password',
            ],
            "S": [
                "Failed Login: username={user} ip={ip}",
                "Blocked user {person} after {n} failed sign-in attempts",
                "Rack_Attack: throttle {ip} GET {path}",
                "Invalid personal access token presented from {ip}",
            ],
            "N": [
                "Pipeline #{big} for {project} started on branch main",
                "Pipeline #{big} for {project} finished with status success in {n} minutes",
                "Repository housekeeping for {project} completed",
                "Scheduled backup of {project} repository created",
                "Runner #{n} ({hex8}) registered with tags docker,linux",
            ],
            "H": [
                '{{"method":"{method}","path":"{path}","format":"json","controller":"Projects::MergeRequestsController","action":"show","status":{status},"time":"{iso}","remote_ip":"{ip}","duration_s":{float}}}',
            ],
            "E": [
                "Pipeline #{big} for {project} failed at stage test: job rspec exited with code 1",
                "Webhook delivery to https://{host}/hooks/gitlab failed: Net::OpenTimeout",
                "Gitlab::Git::CommandError: 14:failed to connect to all addresses",
                "Mirror update for {project} failed: remote: HTTP Basic: Access denied",
            ],
            "R": [
                "Repository storage default is {pct}% full ({size} of {size})",
                "Sidekiq queue default latency {n}s, {big} jobs enqueued",
            ],
        },
        words={"project": PROJECT},
    ),
    Family(
        "nextcloud",
        "apps",
        1.0,
        {
            "U": [
                '{{"reqId":"{hex8}","level":1,"time":"{iso}","remoteAddr":"{ip}","user":"{person}","app":"admin_audit","method":"POST","url":"/login","message":"Login successful: \\"{person}\\""}}',
                '{{"reqId":"{hex8}","level":1,"time":"{iso}","remoteAddr":"{ip}","user":"{person}","app":"admin_audit","method":"GET","url":"/logout","message":"Logout occurred: \\"{person}\\""}}',
                '{{"reqId":"{hex8}","level":1,"time":"{iso}","remoteAddr":"{ip}","user":"{person}","app":"admin_audit","method":"PUT","url":"/remote.php/dav/files/{person}/report.pdf","message":"File written to: \\"/{person}/files/report.pdf\\""}}',
                '{{"reqId":"{hex8}","level":1,"time":"{iso}","remoteAddr":"{ip}","user":"admin","app":"admin_audit","method":"POST","url":"/ocs/v2.php/cloud/users","message":"User created: \\"{person}\\""}}',
                '{{"reqId":"{hex8}","level":1,"time":"{iso}","remoteAddr":"{ip}","user":"{person}","app":"admin_audit","message":"Shared file \\"/Documents/plan.odt\\" with user \\"{person}\\" (permissions 19)"}}',
            ],
            "S": [
                '{{"reqId":"{hex8}","level":2,"time":"{iso}","remoteAddr":"{ip}","user":"--","app":"core","method":"POST","url":"/login","message":"Login failed: {user} (Remote IP: {ip})"}}',
                '{{"reqId":"{hex8}","level":2,"time":"{iso}","remoteAddr":"{ip}","user":"--","app":"core","message":"Bruteforce attempt from \\"{ip}\\" detected for action \\"login\\"."}}',
            ],
            "N": [
                '{{"reqId":"{hex8}","level":1,"time":"{iso}","app":"cron","message":"Finished background job OCA\\\\Files\\\\BackgroundJob\\\\ScanFiles in {n} seconds"}}',
                '{{"reqId":"{hex8}","level":1,"time":"{iso}","app":"updatenotification","message":"Update check finished: no update available"}}',
            ],
            "E": [
                '{{"reqId":"{hex8}","level":3,"time":"{iso}","app":"PHP","message":"fopen(/var/www/html/data/{person}/files/x.txt): Failed to open stream: Permission denied"}}',
                '{{"reqId":"{hex8}","level":3,"time":"{iso}","app":"mail","message":"Could not send mail: Connection could not be established with host smtp.example.com"}}',
            ],
            "R": [
                '{{"reqId":"{hex8}","level":2,"time":"{iso}","app":"files","message":"Quota of user {person} exceeded: {size} of {size} used"}}',
            ],
        },
    ),
    Family(
        "jenkins",
        "apps",
        1.5,
        {
            "U": [
                "Started by user {person}",
                "Login successful for user {person} from {ip}",
                "User {person} configured job {job}",
                "User {person} created job {job}",
                "User {person} approved input 'Deploy to production?' for build #{n} of {job}",
            ],
            "N": [
                "{job} #{n} completed: SUCCESS",
                "Started by timer",
                "Started by an SCM change",
                "Jenkins is fully up and running",
                "Agent {host} is connected",
                "Finished Download metadata. {ms} ms",
                "Obtained Jenkinsfile from git https://{host}/{project}.git",
            ],
            "E": [
                "{job} #{n} completed: FAILURE",
                "ERROR: script returned exit code 1",
                "ERROR: Error cloning remote repo 'origin' hudson.plugins.git.GitException: Command \"git fetch\" returned status code 128",
                "Agent {host} went offline: Connection was broken: java.io.EOFException",
            ],
            "S": [
                "Login attempt failed for user {user} from {ip}",
                "Rejected script approval request: staticMethod java.lang.Runtime getRuntime",
                "{user} is missing the Overall/Administer permission",
            ],
            "R": [
                "Disk space is below threshold of 1.00 GiB. Only {size} out of {size} left on /var/jenkins_home.",
                "Build queue length {n}, {n} executors busy of {n}",
            ],
            "D": [
                "The Pipeline: Groovy plugin uses deprecated API; update to version 3.{n} or later",
                "JNLP3-connect protocol is deprecated and will be removed; use WebSocket or JNLP4-connect",
            ],
        },
        words={"job": JOB, "project": PROJECT},
    ),
]
