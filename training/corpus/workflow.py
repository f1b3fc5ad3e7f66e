"""Workflow engines: Apache Airflow (scheduler and task logs), Celery workers and Temporal.

DAG runs queued and succeeded, tasks received and finished, workers ready are routine. A task or
activity that failed (and will be retried, or is marked failed while the scheduler goes on) is an Error.
A scheduler or worker that dies, a metadata database that is unreachable or corrupted so no DAG can run,
or tasks being lost is a Critical Error. These are technical jobs, not business processes, so a failed
task is an Error, not a Workflow Error.
"""

from training.corpus.family import Family

DAG = ["daily_sales_etl", "hourly_events_load", "ml_feature_refresh", "invoice_export", "crm_sync"]
TASK = ["extract_orders", "load_to_warehouse", "transform", "send_report", "validate_schema", "dbt_run"]
CTASK = [
    "tasks.send_email",
    "billing.tasks.charge_card",
    "reports.tasks.render_pdf",
    "sync.tasks.pull_contacts",
    "media.tasks.resize_image",
]

WORKFLOW = [
    Family(
        "airflow",
        "workflow",
        3.0,
        {
            "N": [
                "[{date}] {{scheduler_job_runner.py:{n}}} INFO - Setting the following tasks to queued state: <TaskInstance: {dag}.{task} scheduled__{iso} [scheduled]>",
                "[{date}] {{dagrun.py:{n}}} INFO - Marking run <DagRun {dag} @ {iso}: scheduled__{iso}, state:running, queued_at: {iso}. externally triggered: False> successful",
                "[{date}] {{taskinstance.py:{n}}} INFO - Marking task as SUCCESS. dag_id={dag}, task_id={task}, execution_date={date}, start_date={date}, end_date={date}",
                "[{date}] {{local_task_job_runner.py:{n}}} INFO - Task exited with return code 0",
                "[{date}] {{taskinstance.py:{n}}} INFO - Starting attempt 1 of 3",
                "[{date}] {{standard_task_runner.py:{n}}} INFO - Started process {pid} to run task",
                "[{date}] {{scheduler_job_runner.py:{n}}} INFO - Exiting gracefully upon receiving signal 15",
                "[{date}] {{manager.py:{n}}} INFO - Processing files using up to 2 processes at a time",
                "[{date}] {{subprocess.py:{n}}} INFO - Command exited with return code 0",
                "[{date}] {{dag.py:{n}}} INFO - Sync {n} DAGs",
            ],
            "E": [
                "[{date}] {{taskinstance.py:{n}}} ERROR - Task failed with exception",
                "[{date}] {{taskinstance.py:{n}}} INFO - Marking task as UP_FOR_RETRY. dag_id={dag}, task_id={task}, execution_date={date}, start_date={date}, end_date={date}",
                "[{date}] {{taskinstance.py:{n}}} INFO - Marking task as FAILED. dag_id={dag}, task_id={task}, execution_date={date}, start_date={date}, end_date={date}",
                "[{date}] {{dagrun.py:{n}}} ERROR - Marking run <DagRun {dag} @ {iso}: scheduled__{iso}, state:running> failed",
                "[{date}] {{taskinstance.py:{n}}} ERROR - Received SIGTERM. Terminating subprocesses.",
                "[{date}] {{standard_task_runner.py:{n}}} ERROR - Failed to execute job {big} for task {task} (Connection to {host}:5432 timed out; {pid})",
                "[{date}] {{dagbag.py:{n}}} ERROR - Failed to import: /opt/airflow/dags/{dag}.py",
                "[{date}] {{timeout.py:{n}}} ERROR - Process timed out, PID: {pid}",
                "[{date}] {{sensor.py:{n}}} ERROR - Sensor has timed out; run duration of {n} seconds is more than the specified timeout of 3600.",
            ],
            "C": [
                "[{date}] {{scheduler_job_runner.py:{n}}} ERROR - Exception when executing SchedulerJob._run_scheduler_loop; scheduler shutting down, no DAG runs will be scheduled",
                "[{date}] {{cli_action_loggers.py:{n}}} ERROR - Failed to connect to metadata database: (psycopg2.OperationalError) FATAL: the database system is in recovery mode; airflow cannot start",
                '[{date}] {{scheduler_job_runner.py:{n}}} ERROR - Scheduler heartbeat got an exception: the metadata database is corrupted (relation "task_instance" does not exist)',
                "[{date}] {{executor_loader.py:{n}}} CRITICAL - Celery executor lost connection to the broker; {n} queued task instances were lost",
            ],
            "R": [
                "[{date}] {{scheduler_job_runner.py:{n}}} INFO - Not executing <TaskInstance: {dag}.{task} [scheduled]> since the number of tasks running or queued from DAG {dag} is >= to the DAG's max_active_tasks limit of {n}",
                "[{date}] {{scheduler_job_runner.py:{n}}} INFO - Not scheduling since there are {n} open slots in pool default_pool",
            ],
            "U": [
                "[{date}] {{www/views.py:{n}}} INFO - DAG {dag} triggered manually by {person}",
                "[{date}] {{www/views.py:{n}}} INFO - User {person} cleared {n} task instances of DAG {dag}",
                "[{date}] {{www/views.py:{n}}} INFO - User {person} paused DAG {dag}",
            ],
            "S": [
                "[{date}] {{www/security.py:{n}}} WARNING - Access denied for user {user} on DAG {dag}: can_edit permission missing",
                "[{date}] {{auth/backend.py:{n}}} WARNING - Failed login for user {user} from {ip}",
            ],
            "D": [
                "[{date}] {{warnings.py:{n}}} WARNING - RemovedInAirflow3Warning: The `schedule_interval` parameter is deprecated. Please use `schedule` instead.",
                "[{date}] {{warnings.py:{n}}} WARNING - DeprecationWarning: SubDagOperator is deprecated and will be removed in Airflow 3. Use TaskGroup instead.",
            ],
        },
        words={"dag": DAG, "task": TASK},
    ),
    Family(
        "celery",
        "workflow",
        3.0,
        {
            "N": [
                "[{date}: INFO/MainProcess] Task {ctask}[{uuid}] received",
                "[{date}: INFO/ForkPoolWorker-{n}] Task {ctask}[{uuid}] succeeded in {float}s: None",
                "[{date}: INFO/MainProcess] Connected to amqp://guest:**@{host}:5672//",
                "[{date}: INFO/MainProcess] mingle: searching for neighbors",
                "[{date}: INFO/MainProcess] mingle: all alone",
                "[{date}: INFO/MainProcess] celery@{host} ready.",
                "[{date}: INFO/MainProcess] Events of group {{task}} enabled by remote.",
                "[{date}: INFO/Beat] Scheduler: Sending due task {ctask} ({ctask})",
                "[{date}: INFO/MainProcess] sync with celery@{host}",
            ],
            "E": [
                "[{date}: ERROR/ForkPoolWorker-{n}] Task {ctask}[{uuid}] raised unexpected: ConnectionError('Connection refused')",
                "[{date}: INFO/ForkPoolWorker-{n}] Task {ctask}[{uuid}] retry: Retry in 60s: SMTPServerDisconnected('Connection unexpectedly closed')",
                "[{date}: ERROR/ForkPoolWorker-{n}] Task {ctask}[{uuid}] raised unexpected: TimeoutError('Read timed out')",
                "[{date}: ERROR/MainProcess] Task handler raised error: TimeLimitExceeded(300,)",
                "[{date}: WARNING/MainProcess] consumer: Connection to broker lost. Trying to re-establish the connection...",
                "[{date}: ERROR/MainProcess] Received unregistered task of type '{ctask}'. The message has been ignored and discarded.",
                "[{date}: ERROR/ForkPoolWorker-{n}] Task {ctask}[{uuid}] raised unexpected: KeyError('customer_id')",
            ],
            "C": [
                "[{date}: ERROR/MainProcess] Process 'ForkPoolWorker-{n}' pid:{pid} exited with 'signal 9 (SIGKILL)'; task {ctask}[{uuid}] lost",
                "[{date}: CRITICAL/MainProcess] Unrecoverable error: OperationalError('[Errno 111] Connection refused'); worker shutting down",
                "[{date}: ERROR/MainProcess] Task {ctask}[{uuid}] WorkerLostError('Worker exited prematurely: signal 11 (SIGSEGV).'); the task result was lost",
                "[{date}: CRITICAL/MainProcess] Unrecoverable error: ContentDisallowed('Refusing to deserialize untrusted content'); all workers stopped",
            ],
            "R": [
                "[{date}: WARNING/MainProcess] Worker memory {size} exceeds worker_max_memory_per_child ({size}); replacing ForkPoolWorker-{n}",
                "[{date}: INFO/MainProcess] Queue {cqueue} has {big} messages waiting, {n} consumers",
            ],
            "D": [
                "[{date}: WARNING/MainProcess] CPendingDeprecationWarning: The broker_connection_retry configuration setting will no longer determine whether broker connection retries are made during startup in Celery 6.0 and above.",
            ],
        },
        words={"ctask": CTASK, "cqueue": ["celery", "default", "emails", "billing", "high_priority"]},
    ),
    Family(
        "temporal",
        "workflow",
        1.5,
        {
            "N": [
                '{{"level":"info","ts":"{iso}","msg":"Started Worker","Namespace":"default","TaskQueue":"{tq}","WorkerID":"{pid}@{host}@"}}',
                '{{"level":"info","ts":"{iso}","msg":"Workflow completed","Namespace":"default","WorkflowID":"{wf}-{uuid}","RunID":"{uuid}"}}',
                '{{"level":"info","ts":"{iso}","msg":"Activity completed","ActivityType":"{act}","WorkflowID":"{wf}-{uuid}","Attempt":1}}',
                '{{"level":"info","ts":"{iso}","msg":"history shard acquired","service":"history","shard-id":{n}}}',
                '{{"level":"info","ts":"{iso}","msg":"frontend starting","service":"frontend","port":7233}}',
            ],
            "E": [
                '{{"level":"error","ts":"{iso}","msg":"Activity error.","ActivityType":"{act}","WorkflowID":"{wf}-{uuid}","Attempt":{n},"Error":"context deadline exceeded"}}',
                '{{"level":"warn","ts":"{iso}","msg":"Failed to poll for task.","Namespace":"default","TaskQueue":"{tq}","Error":"context deadline exceeded"}}',
                '{{"level":"error","ts":"{iso}","msg":"Workflow failed","WorkflowID":"{wf}-{uuid}","Error":"activity error (type: {act}, retryable: false): connection reset by peer"}}',
                '{{"level":"warn","ts":"{iso}","msg":"Workflow task timed out","WorkflowID":"{wf}-{uuid}","service":"history"}}',
            ],
            "C": [
                '{{"level":"fatal","ts":"{iso}","msg":"Unable to start server","error":"sql schema version compatibility check failed: unable to read DB schema version"}}',
                '{{"level":"error","ts":"{iso}","msg":"history shard lost: persistence unavailable, all {n} shards closed; no workflow can progress","service":"history"}}',
            ],
            "R": [
                '{{"level":"warn","ts":"{iso}","msg":"namespace RPS limit exceeded","Namespace":"default","limit":{n}}}',
            ],
        },
        words={
            "tq": ["orders", "billing", "notifications"],
            "wf": ["OrderWorkflow", "RefundWorkflow", "OnboardingWorkflow"],
            "act": ["ChargeCard", "SendEmail", "ReserveStock"],
        },
    ),
]

FAMILIES = WORKFLOW
