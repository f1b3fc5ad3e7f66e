"""Web frameworks and process engines that print their own request and lifecycle lines: Django, Flask's
development server (werkzeug), uvicorn, gunicorn, Elixir's Phoenix and the Camunda process engine (Spring Boot's lines are in
the runtimes group's `java` family, and the python family keeps Celery and the interpreter). Their access
records are HTTP Status in formats other than Apache's and nginx's; Camunda's failed process instances are
what a Workflow Error looks like outside the business applications."""

from training.corpus.family import Family

DJANGO_VIEW = ["orders", "accounts", "invoices", "reports", "cart"]
PROCESS = ["invoice-approval", "order-fulfilment", "lead-conversion", "employee-onboarding", "ticket-escalation"]
TASK = ["Send invoice", "Reserve stock", "Assign sales rep", "Create accounts", "Notify manager"]

FAMILIES = [
    Family(
        "django",
        "frameworks",
        2.0,
        {
            "H": [
                '"{method} {path} HTTP/1.1" {status} {bytes}',
                '[{clf}] "{method} /{dview}/{id}/ HTTP/1.1" {status} {bytes}',
                "Not Found: /{dview}/{id}/",
                "Bad Request: /api/{dview}/",
            ],
            "N": [
                "Watching for file changes with StatReloader",
                "Performing system checks...",
                "System check identified no issues (0 silenced).",
                "Starting development server at http://127.0.0.1:8000/",
                "Applying {dview}.00{n}_initial... OK",
                "Operations to perform: Apply all migrations: admin, auth, contenttypes, sessions, {dview}",
            ],
            "E": [
                "Internal Server Error: /{dview}/{id}/",
                "django.db.utils.OperationalError: could not connect to server: Connection refused",
                'django.db.utils.IntegrityError: duplicate key value violates unique constraint "{dview}_email_key"',
            ],
            "S": [
                "Forbidden (CSRF cookie not set.): /{dview}/login/",
                "Suspicious operation: Attempted access to '/../../etc/passwd' denied.",
                "django.security.DisallowedHost: Invalid HTTP_HOST header: '{ip}'. You may need to add '{ip}' to ALLOWED_HOSTS.",
                "WARNING: Forbidden (CSRF token missing.): {path}",
                "Forbidden (Referer checking failed - no Referer.): /{dview}/transfer/",
            ],
            "D": [
                "RemovedInDjango50Warning: The USE_L10N setting is deprecated. Starting with Django 5.0, localized formatting of data will always be enabled.",
                "RemovedInDjango51Warning: The django.contrib.postgres.fields.CICharField model field is deprecated.",
            ],
        },
        words={"dview": DJANGO_VIEW},
    ),
    Family(
        "werkzeug",
        "frameworks",
        1.0,
        {
            "H": [
                '{ip} - - [{clf}] "{method} {path} HTTP/1.1" {status} -',
                '{ip} - - [{clf}] "{method} {path}?{query} HTTP/1.1" {status} -',
            ],
            "N": [
                " * Serving Flask app 'app'",
                " * Debug mode: off",
                " * Running on http://127.0.0.1:5000",
                " * Restarting with stat",
                " * Debugger is active!",
                "WARNING: This is a development server. Do not use it in a production deployment. Use a production WSGI server instead.",
            ],
            "E": [
                "Exception on {path} [{method}]",
                "Error on request: OSError: [Errno 32] Broken pipe",
            ],
        },
    ),
    Family(
        "uvicorn",
        "frameworks",
        2.0,
        {
            "H": [
                'INFO:     {ip}:{port} - "{method} {path} HTTP/1.1" {status_text}',
                '{ip}:{port} - "{method} {path} HTTP/1.1" {status}',
            ],
            "N": [
                "INFO:     Started server process [{pid}]",
                "INFO:     Waiting for application startup.",
                "INFO:     Application startup complete.",
                "INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)",
                "INFO:     Shutting down",
                "INFO:     Finished server process [{pid}]",
                "INFO:     Will watch for changes in these directories: ['/app']",
            ],
            "E": [
                "ERROR:    Exception in ASGI application: httpx.ConnectTimeout while calling {svc}",
                "WARNING:  Invalid HTTP request received.",
                "ERROR:    Exception in ASGI application",
                "ERROR:    Traceback (most recent call last): asyncpg.exceptions.ConnectionDoesNotExistError: connection was closed in the middle of operation",
                "WARNING:  Invalid HTTP request received.",
            ],
            "C": [
                "ERROR:    Application startup failed. Exiting.",
                "CRITICAL: database migration failed halfway: tables dropped, data lost; refusing to start",
                "ERROR:    [Errno 98] error while attempting to bind on address ('0.0.0.0', 8000): address already in use",
                "ERROR:    Application startup failed. Exiting.",
            ],
        },
        words={
            "status_text": [
                "200 OK",
                "201 Created",
                "204 No Content",
                "307 Temporary Redirect",
                "401 Unauthorized",
                "404 Not Found",
                "422 Unprocessable Entity",
                "500 Internal Server Error",
            ]
        },
    ),
    Family(
        "gunicorn",
        "frameworks",
        1.5,
        {
            "H": [
                '{ip} - - [{clf}] "{method} {path} HTTP/1.1" {status} {bytes} "-" "{agent}"',
            ],
            "N": [
                "[INFO] Starting gunicorn {ver}",
                "[INFO] Listening at: http://0.0.0.0:8000 ({pid})",
                "[INFO] Using worker: sync",
                "[INFO] Booting worker with pid: {pid}",
                "[INFO] Handling signal: term",
                "[INFO] Worker exiting (pid: {pid})",
                "[INFO] Shutting down: Master",
            ],
            "E": [
                "[ERROR] Error handling request {path}",
                "[ERROR] Socket error processing request.",
            ],
            "C": [
                "[CRITICAL] WORKER TIMEOUT (pid:{pid})",
                "[ERROR] Worker (pid:{pid}) was sent SIGKILL! Perhaps out of memory?",
                "[ERROR] Reason: Worker failed to boot.",
            ],
        },
    ),
    Family(
        "camunda",
        "frameworks",
        1.0,
        {
            "W": [
                "ENGINE-16004 Exception while closing command context: Task '{task}' failed in process '{process}' (instance {uuid}): no candidate user could be found",
                "Incident created for process instance {uuid} of '{process}': activity '{task}' failed after 3 retries",
                "ENGINE-14006 Exception while executing job {uuid}: process '{process}' could not complete: the invoice amount is missing",
                "External task '{task}' of process '{process}' reported a BPMN error: ESCALATION_FAILED",
            ],
            "N": [
                "ENGINE-00001 Process Engine default created.",
                "ENGINE-14014 Starting up the JobExecutor[org.camunda.bpm.engine.spring.components.jobexecutor.SpringJobExecutor].",
                "ENGINE-14018 JobExecutor[org.camunda.bpm.engine.spring.components.jobexecutor.SpringJobExecutor] starting to acquire jobs",
                "Process instance {uuid} of '{process}' started by {user}",
                "Process instance {uuid} of '{process}' completed in {dur}",
                "Deployment of process '{process}' version {n} completed",
            ],
            "E": [
                "ENGINE-03083 Exception while executing Batch Database Operations: could not execute statement",
                "Connection to the process engine database failed: Connection refused",
            ],
        },
        words={"process": PROCESS, "task": TASK},
    ),
    Family(
        "phoenix",
        "frameworks",
        1.5,
        {
            "H": [
                "{method} {path}",
                "Sent {status} in {ms}ms",
                "Sent {status} in {n}µs",
                "Sent {status} in {float}ms",
            ],
            "N": [
                "Running {webmod}.Endpoint with Bandit {ver} at 0.0.0.0:4000 (http)",
                "Access {webmod}.Endpoint at http://localhost:4000",
                "Migrations already up",
                "CONNECTED TO Phoenix.LiveView.Socket in {n}µs",
                "Postgrex.Protocol (#PID<0.{n}.0>) connected to database {db}",
            ],
            "E": [
                "** (Ecto.NoResultsError) expected at least one result but got none in query:",
                "GenServer {appmod}.Worker terminating ** (RuntimeError) could not fetch exchange rates",
                "** (DBConnection.ConnectionError) connection not available and request was dropped from queue after {ms}ms.",
                "Postgrex.Protocol (#PID<0.{n}.0>) failed to connect: ** (DBConnection.ConnectionError) tcp connect ({host}:5432): connection refused - :econnrefused",
            ],
            "C": [
                "Application {app} exited: {appmod}.Application.start(:normal, []) returned an error: shutdown: failed to start child: {appmod}.Repo",
            ],
        },
        words={
            "webmod": ["ShopWeb", "BillingWeb", "PortalWeb"],
            "appmod": ["Shop", "Billing", "Portal"],
            "app": ["shop", "billing", "portal"],
            "db": ["shop_prod", "billing", "portal_dev"],
        },
    ),
]
