"""ML and data tooling: PyTorch / Lightning training runs, dbt, Kafka Connect and MLflow.

Epochs, checkpoints saved, models compiled and connector tasks started are routine. A model or test
that failed in dbt, a connector task that failed and is restarted, a checkpoint that could not be
uploaded are an Error. A training run killed by CUDA out-of-memory or NCCL failing across the job, a
corrupted checkpoint, a dbt run that cannot reach the warehouse at all, or a Connect worker that cannot
start is a Critical Error. GPU memory and utilisation figures are Resource Usage.
"""

from training.corpus.family import Family

MODEL = ["stg_orders", "fct_sales", "dim_customers", "int_payments_joined", "mart_revenue_daily"]
CONNECTOR = ["pg-orders-source", "s3-sink-events", "es-sink-products", "jdbc-crm-source", "debezium-mysql"]

MLDATA = [
    Family(
        "pytorch-lightning",
        "ml-data",
        2.5,
        {
            "N": [
                "GPU available: True (cuda), used: True",
                "TPU available: False, using: 0 TPU cores",
                "LOCAL_RANK: 0 - CUDA_VISIBLE_DEVICES: [0,1,2,3]",
                "Epoch {n}: 100%|##########| {big}/{big} [{n}:{n}<00:00, {float}it/s, v_num={n}, train_loss={float}, val_loss={float}]",
                "Epoch {n}, global step {big}: 'val_loss' reached {float} (best {float}), saving model to '/checkpoints/epoch={n}-step={big}.ckpt' as top 3",
                "Epoch {n}, global step {big}: 'val_loss' was not in top 3",
                "`Trainer.fit` stopped: `max_epochs={n}` reached.",
                "Restoring states from the checkpoint path at /checkpoints/last.ckpt",
                "Initializing distributed: GLOBAL_RANK: {n}, MEMBER: {n}/{n}",
                "Loaded {big} training samples and {big} validation samples from s3://ml-data/{ds}",
                "Metric val_loss improved by {float} >= min_delta = 0.0. New best score: {float}",
            ],
            "E": [
                "Failed to upload checkpoint /checkpoints/epoch={n}-step={big}.ckpt to s3://ml-models/{ds}: ReadTimeoutError, retrying",
                "RuntimeError: DataLoader worker (pid {pid}) exited unexpectedly with exit code 1; skipping batch {n} and restarting the worker",
                "wandb: ERROR Failed to log metrics: Network error (ConnectionError), entering retry loop.",
                "Validation metric val_loss is NaN for batch {n}; the batch was skipped",
                "Could not load pretrained weights for backbone resnet{n}: HTTP Error 404; training from scratch",
            ],
            "C": [
                "torch.cuda.OutOfMemoryError: CUDA out of memory. Tried to allocate {size} (GPU {n}; {size} total capacity; {size} already allocated); training run aborted",
                "RuntimeError: NCCL communicator was aborted on rank {n}. Original reason for failure was: Watchdog caught collective operation timeout; all ranks terminated",
                "RuntimeError: PytorchStreamReader failed reading zip archive: failed finding central directory; checkpoint /checkpoints/last.ckpt is corrupted and the run cannot resume",
                "CUDA error: an illegal memory access was encountered; the process crashed with a device-side assert, job failed on all {n} nodes",
                "Fatal Python error: Segmentation fault in thread {hex12} during backward pass; training job killed",
            ],
            "R": [
                "GPU {n}: memory used {size} of {size} ({pct}%), utilization {pct}%",
                "| GPU Memory | allocated {size} | reserved {size} | max allocated {size} |",
                "Dataloader is using {n} workers while {n} CPUs are available; consider increasing num_workers",
            ],
            "D": [
                "The `training_epoch_end` hook was removed in v2.0. Migrate to `on_train_epoch_end`.",
                "UserWarning: `torch.cuda.amp.GradScaler(args...)` is deprecated. Please use `torch.amp.GradScaler('cuda', args...)` instead.",
            ],
        },
        words={"ds": ["imagenet-subset", "reviews-v3", "clickstream-2024", "fraud-features"]},
    ),
    Family(
        "dbt",
        "ml-data",
        2.5,
        {
            "N": [
                "Running with dbt=1.7.{n}",
                "Registered adapter: snowflake=1.7.{n}",
                "Found {n} models, {n} tests, {n} sources, 0 exposures, 0 metrics, {n} macros",
                "Concurrency: {n} threads (target='prod')",
                "{n} of {n} START sql table model analytics.{model} ...................... [RUN]",
                "{n} of {n} OK created sql table model analytics.{model} ................. [SUCCESS 1 in {float}s]",
                "{n} of {n} OK created sql incremental model analytics.{model} ........... [INSERT {big} in {float}s]",
                "{n} of {n} PASS not_null_{model}_id .................................... [PASS in {float}s]",
                "Finished running {n} table models, {n} tests in 0 hours {n} minutes and {float} seconds ({float}s).",
                "Completed successfully",
                "Done. PASS={n} WARN=0 ERROR=0 SKIP=0 TOTAL={n}",
            ],
            "E": [
                "{n} of {n} ERROR creating sql table model analytics.{model} ............. [ERROR in {float}s]",
                "{n} of {n} FAIL {n} unique_{model}_order_id ............................. [FAIL {n} in {float}s]",
                "{n} of {n} SKIP relation analytics.{model} due to ephemeral model error .. [ERROR SKIP]",
                "Database Error in model {model} (models/marts/{model}.sql) 002003 (42S02): SQL compilation error: Object 'RAW.ORDERS' does not exist or not authorized.",
                "Completed with {n} errors and 0 warnings:",
                "Compilation Error in model {model} (models/staging/{model}.sql) 'ref' is undefined",
            ],
            "C": [
                "Encountered an error: Runtime Error Database Error 250001: Could not connect to Snowflake backend after 0 attempt(s). Aborting; no model was run",
                "Encountered an error: Runtime Error Could not find profile named 'warehouse'; dbt cannot start",
                "Encountered an error: incremental model analytics.{model} was dropped and rebuilt after a schema change and {big} rows of history were lost",
            ],
            "D": [
                "[WARNING]: Deprecated functionality The `tests` config has been renamed to `data_tests`. Please see the migration guide.",
                "[WARNING]: The `source-paths` config has been renamed to `model-paths`; the old name will be removed in a future version of dbt.",
            ],
        },
        words={"model": MODEL},
    ),
    Family(
        "kafka-connect",
        "ml-data",
        2.5,
        {
            "N": [
                "[Worker clientId=connect-1, groupId=connect-cluster] Starting connector {conn} (org.apache.kafka.connect.runtime.distributed.DistributedHerder)",
                "[Worker clientId=connect-1, groupId=connect-cluster] Starting task {conn}-{n} (org.apache.kafka.connect.runtime.distributed.DistributedHerder)",
                "WorkerSourceTask{{id={conn}-{n}}} Committing offsets for {big} acknowledged messages (org.apache.kafka.connect.runtime.WorkerSourceTask)",
                "WorkerSinkTask{{id={conn}-{n}}} Committing offsets asynchronously using sequence number {n}: {{{conn}-{n}=OffsetAndMetadata{{offset={big}, leaderEpoch=null, metadata=''}}}}",
                "Finished creating connector {conn} (org.apache.kafka.connect.runtime.Worker)",
                "[Worker clientId=connect-1, groupId=connect-cluster] Rebalance started (org.apache.kafka.connect.runtime.distributed.WorkerCoordinator)",
                "[Worker clientId=connect-1, groupId=connect-cluster] Finished starting connectors and tasks (org.apache.kafka.connect.runtime.distributed.DistributedHerder)",
                "Kafka Connect started (org.apache.kafka.connect.runtime.Connect)",
                "Snapshot step 7 - Snapshotting data; completed snapshot of {n} tables, {big} rows (io.debezium.relational.RelationalSnapshotChangeEventSource)",
            ],
            "E": [
                "WorkerSourceTask{{id={conn}-{n}}} Failed to flush, timed out while waiting for producer to flush outstanding {n} messages (org.apache.kafka.connect.runtime.WorkerSourceTask)",
                "Failed to deserialize data for topic {topic} to Avro: Unknown magic byte! (org.apache.kafka.connect.runtime.errors.LogReporter)",
                "[Worker clientId=connect-1, groupId=connect-cluster] Failed to reconfigure connector's tasks ({conn}), retrying after backoff.",
                "Error encountered in task {conn}-{n}. Executing stage 'VALUE_CONVERTER' with class 'io.confluent.connect.avro.AvroConverter'; record sent to the dead letter queue",
                "Failed to write records to Elasticsearch index {topic}: version conflict, retrying {n} of 5",
            ],
            "C": [
                "Stopping due to error (org.apache.kafka.connect.cli.ConnectDistributed) org.apache.kafka.common.KafkaException: Failed to construct kafka consumer; the Connect worker cannot start",
                "Could not read connector configurations from topic connect-configs: the topic is corrupted, all {n} connectors are stopped",
                "Debezium: the binlog position is no longer available on the server; {big} change events were lost and a new snapshot is required",
            ],
            "S": [
                "[Worker clientId=connect-1, groupId=connect-cluster] Authentication failed: Invalid username or password for SASL/PLAIN (org.apache.kafka.clients.NetworkClient)",
            ],
            "R": [
                "WorkerSinkTask{{id={conn}-{n}}} consumer lag {big} records on {topic}, {n} tasks running of max {n}",
            ],
            "D": [
                "The configuration 'key.converter.schemas.enable' is deprecated and will be removed in a future release.",
            ],
        },
        words={"conn": CONNECTOR, "topic": ["orders", "products", "events.clicks", "crm.contacts"]},
    ),
    Family(
        "mlflow",
        "ml-data",
        1.0,
        {
            "N": [
                "mlflow.tracking.fluent: Experiment with name '{ds}' does not exist. Creating a new experiment.",
                "mlflow.tracking._tracking_service.client: View run {hex8} at: http://{host}:5000/#/experiments/{n}/runs/{hex32}",
                "Registered model '{ds}-classifier' version {n} created.",
                "mlflow.models: Model logged to runs:/{hex32}/model",
            ],
            "E": [
                "mlflow.store.artifact: Failed to upload artifact model.pkl to s3://mlflow/{n}/{hex32}: AccessDenied",
                "mlflow.utils.rest_utils: API request to http://{host}:5000/api/2.0/mlflow/runs/log-batch failed with exception HTTPConnectionPool: Read timed out",
            ],
            "C": [
                "mlflow.server: Can't locate revision identified by '{hex12}'; the tracking database is corrupted and the server cannot start",
            ],
            "U": [
                "Model '{ds}-classifier' version {n} transitioned to stage Production by {person}",
            ],
        },
        words={"ds": ["churn", "fraud", "ranking", "forecast"]},
    ),
]

FAMILIES = MLDATA
