"""Message brokers: Apache Kafka (broker and clients) and RabbitMQ. Partition leadership, group
rebalances, log segment rolls and connections accepted are routine; an administrator's user and
permission changes are User Action, and an authorizer's denial a Security Alert."""

from training.corpus.family import Family

BROKERS = [
    Family(
        "kafka",
        "brokers",
        4.0,
        {
            "N": [
                "[GroupCoordinator {n}]: Preparing to rebalance group {group} in state PreparingRebalance with old generation {n} (__consumer_offsets-{n}) (reason: Adding new member {client}-{uuid} with group instance id None)",
                "[GroupCoordinator {n}]: Stabilized group {group} generation {n} (__consumer_offsets-{n}) with {n} members",
                "[GroupCoordinator {n}]: Assignment received from leader {client}-{uuid} for group {group} for generation {n}. The group has {n} members, 0 of which are static.",
                "[Log partition={topic}-{n}, dir=/var/lib/kafka/data] Rolled new log segment at offset {big} in {n} ms.",
                "[Log partition={topic}-{n}, dir=/var/lib/kafka/data] Deleting segment LogSegment(baseOffset={big}, size={bytes}, lastModifiedTime={big}, largestRecordTimestamp=Some({big}))",
                "[ReplicaFetcherManager on broker {n}] Removed fetcher for partitions Set({topic}-{n})",
                "[Partition {topic}-{n} broker={n}] ISR updated to {n},{n} and version updated to {n}",
                '[Controller id={n}] New leader and ISR for partition {topic}-{n} is {{"leader":{n},"leader_epoch":{n},"isr":[{n},{n}]}}',
                "[KafkaServer id={n}] started",
                "[KafkaServer id={n}] shutting down",
                "[KafkaServer id={n}] shut down completed",
                "Created log for partition {topic}-{n} in /var/lib/kafka/data/{topic}-{n} with properties {{}}",
                "[Consumer clientId={client}-{n}, groupId={group}] Setting offset for partition {topic}-{n} to the committed offset FetchPosition{{offset={big}, offsetEpoch=Optional.empty}}",
                "[Consumer clientId={client}-{n}, groupId={group}] Adding newly assigned partitions: {topic}-{n}, {topic}-{n}",
                "[Producer clientId={client}-{n}] Instantiated an idempotent producer.",
                "Kafka version: {ver}",
                "[SocketServer listenerType=ZK_BROKER, nodeId={n}] Enabling request processing.",
                "[Admin Manager on Broker {n}]: Topic creation: {topic} with {n} partitions and replication factor 3",
            ],
            "E": [
                "[ReplicaFetcher replicaId={n}, leaderId={n}, fetcherId=0] Error in response for fetch request (type=FetchRequest, replicaId={n}, maxWait=500, minBytes=1, maxBytes={big}) java.io.IOException: Connection to {n} was disconnected before the response was read",
                "[Producer clientId={client}-{n}] Got error produce response with correlation id {big} on topic-partition {topic}-{n}, retrying ({n} attempts left). Error: NOT_LEADER_OR_FOLLOWER",
                "[Consumer clientId={client}-{n}, groupId={group}] Offset commit failed on partition {topic}-{n} at offset {big}: The coordinator is not aware of this member.",
                "[Consumer clientId={client}-{n}, groupId={group}] Member {client}-{uuid} sending LeaveGroup request to coordinator due to consumer poll timeout has expired.",
                "[Producer clientId={client}-{n}] Connection to node -1 ({host}/{ip}:9092) could not be established. Broker may not be available.",
                "[Controller id={n}] Error completing reassignment of partition {topic}-{n}",
            ],
            "C": [
                "[ReplicaManager broker={n}] Stopping serving replicas in dir /var/lib/kafka/data",
                "Shutdown broker because all log dirs in /var/lib/kafka/data have failed",
                "[Log partition={topic}-{n}, dir=/var/lib/kafka/data] Found invalid messages in log segment /var/lib/kafka/data/{topic}-{n}/{big}.log at byte offset {big}: CorruptRecordException",
                "[KafkaServer id={n}] Fatal error during KafkaServer startup. Prepare to shutdown",
                "[Partition {topic}-{n} broker={n}] Unclean leader election: data loss possible for {topic}-{n}, new leader {n} was not in the ISR",
            ],
            "R": [
                "[Log partition={topic}-{n}, dir=/var/lib/kafka/data] Retention size in bytes {big} breached by {bytes} bytes; deleting old segments",
                "[ThrottledChannelReaper-Produce]: Client {client}-{n} throttled for {ms} ms: produce byte-rate quota of {bytes} bytes/s exceeded",
                "[Consumer clientId={client}-{n}, groupId={group}] Lag for partition {topic}-{n} is {big} records",
                "[SocketServer listenerType=ZK_BROKER, nodeId={n}] Max connections ({n}) reached for listener PLAINTEXT, throttling",
            ],
            "S": [
                "Principal = User:{user} is Denied Operation = Write from host = {ip} on resource = Topic:LITERAL:{topic} for request = Produce with resourceRefCount = 1",
                "Principal = User:ANONYMOUS is Denied Operation = Describe from host = {ip} on resource = Topic:LITERAL:{topic} for request = Metadata with resourceRefCount = 1",
                "[SocketServer listenerType=ZK_BROKER, nodeId={n}] Failed authentication with /{ip} (channelId={ip}:9093-{ip}:{port}-{n}) (Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512)",
                "Principal = User:{user} is Allowed Operation = Read from host = {ip} on resource = Topic:LITERAL:{topic} for request = Fetch with resourceRefCount = 1",
            ],
            "D": [
                "The configuration 'zookeeper.connect' is deprecated: ZooKeeper mode is deprecated and will be removed in Kafka 4.0; migrate to KRaft.",
                "Configuration 'log.message.format.version' is deprecated and will be removed in Apache Kafka 4.0.",
            ],
        },
        words={
            "topic": ["orders", "payments.events", "clickstream", "audit-log", "user-signups", "__consumer_offsets", "metrics.raw"],
            "group": ["order-processor", "analytics-consumer", "billing-svc", "connect-cluster", "etl-loader"],
            "client": ["consumer-order-processor", "producer", "connect-worker", "streams-app"],
        },
    ),
    Family(
        "rabbitmq",
        "brokers",
        3.0,
        {
            "N": [
                "accepting AMQP connection <0.{n}.0> ({ip}:{port} -> {ip}:5672)",
                "connection <0.{n}.0> ({ip}:{port} -> {ip}:5672): user '{mquser}' authenticated and granted access to vhost '{vhost}'",
                "closing AMQP connection <0.{n}.0> ({ip}:{port} -> {ip}:5672, vhost: '{vhost}', user: '{mquser}')",
                "Server startup complete; {n} plugins started.",
                "Starting RabbitMQ {ver} on Erlang {ver}",
                "node 'rabbit@{host}' up",
                "Mirrored queue '{queue}' in vhost '{vhost}': Adding mirror on node 'rabbit@{host}'",
                "queue '{queue}' in vhost '{vhost}': leader elected",
                "Management plugin: HTTP (non-TLS) listener started on port 15672",
                "Ready to start client connection listeners",
                "Stopping RabbitMQ applications and their dependencies in the following order",
                "Peer discovery backend rabbit_peer_discovery_k8s registered node rabbit@{host}",
            ],
            "E": [
                "Error on AMQP connection <0.{n}.0> ({ip}:{port} -> {ip}:5672): publish to exchange 'orders' timed out, message returned to the publisher",
                "Shovel 'orders-to-dr' failed to connect to the destination: econnrefused, retrying in 5 seconds",
                "closing AMQP connection <0.{n}.0> ({ip}:{port} -> {ip}:5672): client unexpectedly closed TCP connection",
                "Channel error on connection <0.{n}.0> ({ip}:{port} -> {ip}:5672, vhost: '{vhost}', user: '{mquser}'), channel 1: operation queue.declare caused a channel exception precondition_failed: inequivalent arg 'durable' for queue '{queue}'",
                "Error on AMQP connection <0.{n}.0> ({ip}:{port} -> {ip}:5672, state: running): operation basic.publish caused a channel exception not_found: no exchange '{queue}.dlx' in vhost '{vhost}'",
                "missed heartbeats from client, timeout: 60s",
            ],
            "S": [
                "Error on AMQP connection <0.{n}.0> ({ip}:{port} -> {ip}:5672, state: starting): PLAIN login refused: user '{mquser}' - invalid credentials",
                "HTTP access denied: user '{mquser}' - invalid credentials",
                "Error on AMQP connection <0.{n}.0>: access to vhost '{vhost}' refused for user '{mquser}'",
            ],
            "C": [
                "Queue 'orders' in vhost '/' has no replica left: all replicas down, the queue is unavailable",
                "Mnesia: database files in /var/lib/rabbitmq/mnesia are corrupted; the node cannot start",
                "Partial partition detected: * We saw DOWN from rabbit@{host} * We can still see rabbit@{host} which can see rabbit@{host}. We will therefore intentionally disconnect from rabbit@{host}",
                "Mnesia(rabbit@{host}): ** ERROR ** mnesia_event got {{inconsistent_database, running_partitioned_network, rabbit@{host}}}",
                "Queue '{queue}' in vhost '{vhost}' crashed: message store is corrupted; {n} messages lost",
            ],
            "R": [
                "memory resource limit alarm set on node rabbit@{host}. ********************************************************** *** Publishers will be blocked until this alarm clears ***",
                "memory resource limit alarm cleared on node rabbit@{host}",
                "Free disk space is insufficient. Free bytes: {big}. Limit: 50000000",
                "disk resource limit alarm set on node rabbit@{host}.",
                "file descriptor limit alarm set: {n} of {n} file handles in use",
                "Memory high watermark set to {big} MiB ({big} bytes) of {big} MiB ({big} bytes) total",
            ],
            "U": [
                "Setting permissions for user '{person}' in virtual host '{vhost}' to '.*', '.*', '.*'",
                "Successfully set permissions for user '{person}' in virtual host '{vhost}' to '.*', '.*', '.*'",
                "Created user '{person}'",
                "Deleted user '{person}'",
                "Successfully changed password for user '{person}'",
                "Successfully set user tags for user '{person}' to [administrator]",
            ],
            "D": [
                "Deprecated features: `classic_queue_mirroring`: Classic mirrored queues are deprecated. By default, they can still be used for now. Their use will not be permitted by default in the next minor RabbitMQ version.",
                "Deprecated features: `transient_nonexcl_queues`: Feature `transient_nonexcl_queues` is deprecated.",
            ],
        },
        words={
            "mquser": ["guest", "app", "celery", "monitoring", "admin"],
            "vhost": ["/", "prod", "celery", "events"],
            "queue": ["orders", "emails", "celery", "notifications.retry", "invoice.generate"],
        },
    ),
]

FAMILIES = BROKERS
