"""MQTT brokers: Eclipse Mosquitto and EMQX.

Clients connecting and disconnecting, subscriptions and bridges coming up are routine. A bridge or a
client connection that failed, a message dropped for one client are an Error. A broker that cannot start,
a corrupted persistence file losing retained messages, or a cluster that lost all its nodes is a Critical
Error. Bad credentials, ACL denials and banned clients are Security Alerts.
"""

from training.corpus.family import Family

CLIENT_IDS = ["sensor-0042", "gw-factory-07", "thermostat-118", "mqttx_3f9a", "edge-12", "plc-line-3"]
TOPIC = ["factory/line1/temp", "home/livingroom/thermostat", "fleet/truck/gps", "devices/+/status", "$SYS/broker/load/#"]

IOT = [
    Family(
        "mosquitto",
        "iot",
        2.5,
        {
            "N": [
                "New connection from {ip}:{port} on port 1883.",
                "New client connected from {ip}:{port} as {mqc} (p2, c1, k60, u'{mquser}').",
                "Client {mqc} disconnected.",
                "mosquitto version 2.0.{n} starting",
                "Config loaded from /etc/mosquitto/mosquitto.conf.",
                "Opening ipv4 listen socket on port 1883.",
                "Opening websockets listen socket on port 9001.",
                "Saving in-memory database to /var/lib/mosquitto/mosquitto.db.",
                "Connecting bridge cloud-bridge ({host}:8883)",
                "Received SUBSCRIBE from {mqc}",
                "Sending PUBLISH to {mqc} (d0, q1, r1, m{n}, '{mqtopic}', ... ({n} bytes))",
                "mosquitto version 2.0.{n} terminating",
            ],
            "E": [
                "Client {mqc} has exceeded timeout, disconnecting.",
                "Socket error on client {mqc}, disconnecting.",
                "Error: Unable to connect bridge cloud-bridge to {host}:8883: Connection refused",
                "Outgoing messages are being dropped for client {mqc}.",
                "OpenSSL Error[0]: error:0A000086:SSL routines::certificate verify failed",
                "Error saving in-memory database, unable to open /var/lib/mosquitto/mosquitto.db.new for writing.",
            ],
            "C": [
                "Error: Unable to open log file /var/log/mosquitto/mosquitto.log for writing; mosquitto cannot start.",
                "Error: Address already in use; broker exiting, no device can publish",
                "Error: Corrupt persistence file /var/lib/mosquitto/mosquitto.db; all retained messages and sessions lost.",
                "Error: Out of memory. Broker terminated and every client was disconnected.",
            ],
            "S": [
                "Client {mqc} disconnected, not authorised.",
                "Denied PUBLISH from {mqc} (d0, q0, r0, m0, '{mqtopic}', ... ({n} bytes))",
                "Client <unknown> disconnected due to malformed packet.",
                "Bad username or password for user {mquser} from {ip}",
            ],
            "R": [
                "Client {mqc} queued message limit reached ({big} messages, {size})",
                "$SYS/broker/heap/current: {big} bytes of max {big}",
            ],
            "D": [
                "Warning: The 'bind_address' option is now deprecated and will be removed in a future version. The behaviour will default to true.",
            ],
        },
        words={"mqc": CLIENT_IDS, "mqtopic": TOPIC, "mquser": ["device", "gateway", "telemetry", "admin"]},
    ),
    Family(
        "emqx",
        "iot",
        2.0,
        {
            "N": [
                "[info] clientid: {mqc}, peername: {ip}:{port}, msg: client_connected, proto_ver: 5, keepalive: 60",
                "[info] clientid: {mqc}, msg: client_disconnected, reason: normal",
                "[info] msg: emqx_started, version: 5.{n}.{n}",
                "[info] msg: cluster_node_joined, node: emqx@{host}",
                "[info] msg: rule_engine_action_success, rule_id: {hex8}, action: republish",
                "[info] msg: listener_started, listener: tcp:default, bind: 0.0.0.0:1883",
                "[info] msg: session_takenover, clientid: {mqc}",
            ],
            "E": [
                "[error] msg: bridge_connect_failed, bridge: mqtt:cloud, reason: econnrefused",
                "[warning] clientid: {mqc}, msg: dropped_msg_due_to_mqueue_is_full, topic: {mqtopic}",
                "[error] msg: rule_engine_action_failed, rule_id: {hex8}, action: http, reason: timeout",
                "[warning] msg: cluster_node_down, node: emqx@{host}, reason: nodedown",
                '[error] msg: authn_http_request_failed, reason: {{closed,"The connection was lost."}}',
            ],
            "C": [
                "[critical] msg: mnesia_table_corrupted, table: emqx_retainer_message, all retained messages lost",
                "[critical] msg: cluster_lost_all_core_nodes, the broker stopped accepting connections",
                "[critical] msg: failed_to_start_application, app: emqx, reason: {{eaddrinuse, 1883}}",
            ],
            "S": [
                "[warning] clientid: {mqc}, peername: {ip}:{port}, msg: authentication_failure, reason: bad_username_or_password",
                "[warning] clientid: {mqc}, msg: authorization_permission_denied, topic: {mqtopic}, action: publish",
                "[warning] msg: client_banned, clientid: {mqc}, peername: {ip}:{port}, by: flapping detection",
            ],
            "R": [
                "[warning] msg: alarm_is_activated, name: high_system_memory_usage, message: System memory usage is higher than {pct}%",
                "[warning] msg: alarm_is_activated, name: high_cpu_usage, message: {pct}.00%",
                "[warning] msg: connection_limit_reached, listener: tcp:default, max_connections: {big}",
            ],
            "D": [
                "[warning] msg: deprecated_config, path: zones.default.mqtt.max_topic_levels, this option is deprecated and will be removed in 6.0",
            ],
        },
        words={"mqc": CLIENT_IDS, "mqtopic": TOPIC},
    ),
]

FAMILIES = IOT
