"""VPNs and service proxies: OpenVPN, WireGuard, strongSwan (charon) and Envoy.

Tunnels established, peers handshaking, keys rotated and Envoy's access records are routine (Envoy's
access log is an HTTP Status record). A handshake that timed out, an upstream connect failure or a
rejected configuration update is an Error. A daemon that cannot start, a crashed proxy taking every
route down, or no healthy upstream left for a whole cluster is a Critical Error. Failed client
certificates, bad credentials and RBAC denials are Security Alerts; a person's successful VPN login is
User Action.
"""

from training.corpus.family import Family

CN = ["alice-laptop", "bob-phone", "carol", "build-agent-3", "branch-office-7"]
CLUSTER = ["payments_api", "auth_service", "orders_grpc", "catalog", "ledger_backend"]

VPN = [
    Family(
        "openvpn",
        "vpn-proxy",
        2.5,
        {
            "N": [
                "OpenVPN 2.6.{n} x86_64-pc-linux-gnu [SSL (OpenSSL)] [LZO] [LZ4] [EPOLL] [MH/PKTINFO] [AEAD] built on {date}",
                "Initialization Sequence Completed",
                "{cn}/{ip}:{port} SIGTERM[soft,remote-exit] received, client-instance exiting",
                "{ip}:{port} [{cn}] Peer Connection Initiated with [AF_INET]{ip}:{port}",
                "{ip}:{port} TLS: Initial packet from [AF_INET]{ip}:{port}, sid={hex8} {hex8}",
                "{cn}/{ip}:{port} MULTI_sva: pool returned IPv4={ip}, IPv6=(Not enabled)",
                "{cn}/{ip}:{port} SENT CONTROL [{cn}]: 'PUSH_REPLY,route {ip} 255.255.255.0,topology subnet,ping 10,ping-restart 120' (status=1)",
                "{cn}/{ip}:{port} Data Channel: cipher 'AES-256-GCM', peer-id: {n}",
                "{cn}/{ip}:{port} Outgoing Data Channel: Cipher 'AES-256-GCM' initialized with 256 bit key",
                "TUN/TAP device tun0 opened",
                "SIGUSR1[soft,ping-restart] received, process restarting",
                "Restart pause, 5 second(s)",
            ],
            "U": [
                "{cn}/{ip}:{port} TLS: Username/Password authentication succeeded for username '{person}'",
            ],
            "S": [
                "{ip}:{port} TLS Auth Error: Auth Username/Password verification failed for peer",
                "{ip}:{port} VERIFY ERROR: depth=0, error=certificate has expired: CN={cn}",
                "{ip}:{port} TLS Error: incoming packet authentication failed from [AF_INET]{ip}:{port}",
                "{ip}:{port} VERIFY ERROR: depth=0, error=certificate revoked: CN={cn}",
            ],
            "E": [
                "{ip}:{port} TLS Error: TLS key negotiation failed to occur within 60 seconds (check your network connectivity)",
                "{ip}:{port} TLS Error: TLS handshake failed",
                "{cn}/{ip}:{port} [{cn}] Inactivity timeout (--ping-restart), restarting",
                "{cn}/{ip}:{port} MULTI: bad source address from client [{ip}], packet dropped",
                "write UDPv4: Network is unreachable (code=101)",
                "RESOLVE: Cannot resolve host address: {host}:1194 (Name or service not known)",
            ],
            "C": [
                "Options error: --ca fails with 'ca.crt': No such file or directory; Exiting due to fatal error",
                "Cannot open TUN/TAP dev /dev/net/tun: No such file or directory (errno=2); Exiting due to fatal error",
                "TCP/UDP: Socket bind failed on local address [AF_INET][undef]:1194: Address already in use (errno=98); Exiting due to fatal error",
                "MULTI: multi_create_instance called with bad client pool; server crashed, all tunnels down",
            ],
            "R": [
                "MULTI: new incoming connection would exceed maximum number of clients ({n})",
                "IP pool exhausted: {n} of {n} addresses in use",
            ],
            "D": [
                "DEPRECATED OPTION: --cipher set to 'BF-CBC' but missing in --data-ciphers (AES-256-GCM:AES-128-GCM). Future OpenVPN version will ignore --cipher for cipher negotiations.",
                "WARNING: Compression for receiving enabled. Compression has been used in the past to break encryption. Compression is deprecated and support will be removed in a future version.",
            ],
        },
        words={"cn": CN},
    ),
    Family(
        "wireguard",
        "vpn-proxy",
        1.5,
        {
            "N": [
                "wireguard: wg0: Interface created",
                "wireguard: wg0: Peer {n} created",
                "wireguard: wg0: Receiving handshake initiation from peer {n} ({ip}:{port})",
                "wireguard: wg0: Sending handshake response to peer {n} ({ip}:{port})",
                "wireguard: wg0: Keypair {n} created for peer {n}",
                "wireguard: wg0: Keypair {n} destroyed for peer {n}",
                "wireguard: wg0: Receiving keepalive packet from peer {n} ({ip}:{port})",
                "wg-quick[{pid}]: [#] ip link add wg0 type wireguard",
                "wg-quick[{pid}]: [#] wg setconf wg0 /dev/fd/63",
                "wireguard: WireGuard 1.0.0 loaded. See www.wireguard.com for information.",
            ],
            "E": [
                "wireguard: wg0: Handshake for peer {n} ({ip}:{port}) did not complete after 5 seconds, retrying (try {n})",
                "wireguard: wg0: No valid endpoint has been configured or discovered for peer {n}",
                "wireguard: wg0: Packet has unallowed src IP ({ip}) from peer {n} ({ip}:{port})",
                "wg-quick[{pid}]: RTNETLINK answers: File exists",
            ],
            "C": [
                "wg-quick[{pid}]: Unable to access interface: Protocol not supported; wireguard module missing, tunnel cannot start",
                "systemd[1]: wg-quick@wg0.service: Failed with result 'exit-code'; site-to-site tunnel down, branch offices unreachable",
            ],
            "S": [
                "wireguard: wg0: Invalid handshake initiation from {ip}:{port}",
                "wireguard: wg0: Invalid MAC of handshake, dropping packet from {ip}:{port}",
            ],
        },
    ),
    Family(
        "strongswan",
        "vpn-proxy",
        1.5,
        {
            "N": [
                "charon: 09[IKE] IKE_SA {tunnel}[{n}] established between {ip}[{ip}]...{ip}[{ip}]",
                "charon: 09[IKE] CHILD_SA {tunnel}{{{n}}} established with SPIs {hex8}_i {hex8}_o and TS {ip}/24 === {ip}/24",
                "charon: 12[IKE] rekeying CHILD_SA {tunnel}{{{n}}}",
                "charon: 05[IKE] closing CHILD_SA {tunnel}{{{n}}} with SPIs {hex8}_i ({bytes} bytes) {hex8}_o ({bytes} bytes) and TS {ip}/24 === {ip}/24",
                "charon: 00[DMN] Starting IKE charon daemon (strongSwan 5.9.{n}, Linux {kver}, x86_64)",
                "charon: 00[CFG] loaded {n} RADIUS server configurations",
            ],
            "E": [
                "charon: 14[IKE] giving up after 5 retransmits",
                "charon: 11[IKE] received NO_PROPOSAL_CHOSEN notify error",
                "charon: 07[IKE] peer not responding, trying again ({n}/0)",
                "charon: 10[IKE] establishing CHILD_SA {tunnel}{{{n}}} failed: received TS_UNACCEPTABLE notify",
            ],
            "S": [
                "charon: 06[IKE] received AUTHENTICATION_FAILED notify error",
                "charon: 13[CFG] no matching peer config found for 'CN={cn}'",
                "charon: 08[IKE] EAP method EAP_MSCHAPV2 failed for peer {ip}",
            ],
            "C": [
                "charon: 00[LIB] plugin 'openssl' failed to load: unable to load private key /etc/ipsec.d/private/{host}.pem; charon cannot start",
            ],
        },
        words={"tunnel": ["site-to-site", "roadwarrior", "dc-link", "branch"], "cn": CN},
    ),
    Family(
        "envoy",
        "vpn-proxy",
        3.0,
        {
            "H": [
                '[{iso}] "{method} {path} HTTP/1.1" {status} - via_upstream - "-" 0 {bytes} {ms} {ms} "{ip}" "{agent}" "{uuid}" "{host}" "{ip}:8080"',
                '[{iso}] "{method} {path} HTTP/2" {status} - - 0 {bytes} {ms} - "-" "grpc-go/1.{n}.0" "{uuid}" "{cluster}" "-"',
                '{{"start_time":"{iso}","method":"{method}","path":"{path}","protocol":"HTTP/1.1","response_code":{status},"bytes_sent":{bytes},"duration":{ms},"upstream_host":"{ip}:8080"}}',
                '[{iso}] "{method} {path} HTTP/1.1" 503 UF upstream_reset_before_response_started{{connection_failure}} - "-" 0 91 {ms} - "{ip}" "{agent}" "{uuid}" "{host}" "{ip}:8080"',
            ],
            "N": [
                "[info][main] [source/server/server.cc:{n}] starting main dispatch loop",
                "[info][upstream] [source/common/upstream/cds_api_helper.cc:{n}] cds: added/updated {n} cluster(s), skipped 0 unmodified cluster(s)",
                "[info][upstream] [source/server/lds_api.cc:{n}] lds: add/update listener 'listener_0'",
                "[info][config] [source/server/listener_manager_impl.cc:{n}] all dependencies initialized. starting workers",
                "[info][main] [source/server/server.cc:{n}] all clusters initialized. initializing init manager",
                "[info][hc] [source/common/upstream/health_checker_impl.cc:{n}] health check succeeded for host {ip}:8080 in cluster {cluster}",
                "[info][main] [source/server/drain_manager_impl.cc:{n}] shutting down parent after drain",
            ],
            "E": [
                "[warning][config] [source/extensions/config_subscription/grpc/grpc_stream.h:{n}] StreamAggregatedResources gRPC config stream to xds_cluster closed: 14, upstream connect error or disconnect/reset before headers. reset reason: connection failure",
                "[warning][config] [source/common/config/grpc_subscription_impl.cc:{n}] gRPC config for type.googleapis.com/envoy.config.cluster.v3.Cluster rejected: Proto constraint validation failed",
                "[warning][hc] [source/common/upstream/health_checker_impl.cc:{n}] health check failed for host {ip}:8080 in cluster {cluster}: connection refused",
                "[error][upstream] [source/common/upstream/upstream_impl.cc:{n}] failed to resolve DNS for cluster {cluster}: timeout",
                "[warning][upstream] [source/common/upstream/outlier_detection_impl.cc:{n}] ejecting host {ip}:8080 from cluster {cluster}: consecutive 5xx",
            ],
            "C": [
                "[critical][main] [source/server/server.cc:{n}] error initializing configuration '/etc/envoy/envoy.yaml': Protobuf message has unknown fields",
                "[critical][backtrace] [./source/server/backtrace.h:{n}] Caught Segmentation fault, suspect faulting address 0x0",
                "[critical][main] [source/exe/main_common.cc:{n}] error: unable to bind listener_0 on 0.0.0.0:10000: Address already in use; envoy exiting",
                "[error][upstream] [source/common/upstream/cluster_manager_impl.cc:{n}] no healthy host for cluster {cluster}: all {n} endpoints ejected, every request to the service fails",
            ],
            "S": [
                "[debug][rbac] [source/extensions/filters/http/rbac/rbac_filter.cc:{n}] enforced denied, matched policy none for {method} {path} from {ip}",
                "[warning][jwt] [source/extensions/filters/http/jwt_authn/filter.cc:{n}] Jwt verification fails: Jwt is expired",
                "[info][ratelimit] rate limit exceeded for descriptor remote_address={ip}; request denied",
            ],
            "R": [
                "[warning][overload] [source/server/overload_manager_impl.cc:{n}] heap size {size} reached {pct}% of max_heap_size_bytes; shrinking heap",
                "[warning][upstream] circuit breaker for cluster {cluster} open: max_connections {n} reached",
            ],
            "D": [
                "[warning][misc] [source/common/protobuf/message_validator_impl.cc:{n}] Deprecated field: type envoy.config.route.v3.RouteAction Using deprecated option 'envoy.config.route.v3.RouteAction.max_grpc_timeout' from file route.proto. This configuration will be removed from Envoy soon.",
            ],
        },
        words={"cluster": CLUSTER},
    ),
]

FAMILIES = VPN
