"""Web servers and proxies: Apache httpd and nginx access and error logs, mod_jk / mod_proxy, HAProxy, and
Caddy's JSON access and error logs.

Access lines are HTTP Status whatever their status code (a 500 in an access log is a record of a
response, not the failure itself); error-log lines are labelled by what they report."""

from training.corpus.family import Family

_HTTP = "HTTP/1.1"

WEB = [
    Family(
        "apache-access",
        "web",
        6.0,
        {
            "H": [
                '{ip} - - [{clf}] "{method} {path} ' + _HTTP + '" {status} {bytes} "-" "{agent}"',
                '{ip} - {person} [{clf}] "{method} {path} ' + _HTTP + '" {status} {bytes}',
                '{ip} - - [{clf}] "{method} {path} HTTP/1.0" {status} {bytes}',
                '{vhost}:443 {ip} - - [{clf}] "{method} {path} HTTP/2.0" {status} {bytes} "https://{vhost}/" "{agent}"',
                '{ip} - - [{clf}] "{method} {path} ' + _HTTP + '" {status} - "-" "{agent}" {n}',
                '{ip} - - [{clf}] "GET /server-status?auto HTTP/1.1" 200 {bytes} "-" "{agent}"',
            ],
        },
        words={"vhost": ["www.example.com", "shop.example.org", "intranet.corp.local", "api.example.net"]},
    ),
    Family(
        "apache-error",
        "web",
        3.0,
        {
            "N": [
                "[mpm_event:notice] [pid {pid}:tid {big}] AH00489: Apache/2.4.{n} (Ubuntu) configured -- resuming normal operations",
                "[mpm_prefork:notice] [pid {pid}] AH00163: Apache/2.4.{n} (Unix) OpenSSL/3.0.2 configured -- resuming normal operations",
                "[core:notice] [pid {pid}] AH00094: Command line: '/usr/sbin/apache2'",
                "[mpm_event:notice] [pid {pid}:tid {big}] AH00493: SIGUSR1 received.  Doing graceful restart",
                "[mpm_event:notice] [pid {pid}:tid {big}] AH00491: caught SIGTERM, shutting down",
                "[ssl:info] [pid {pid}] AH01914: Configuring server {vhost}:443 for SSL protocol",
                "[notice] jk2_init() Found child {pid} in scoreboard slot {n}",
                "[notice] workerEnv.init() ok /etc/httpd/conf/workers2.properties",
                "[mpm_event:info] [pid {pid}] AH00474: server seems busy, (you may need to increase StartServers, or Min/MaxSpareThreads), spawning {n} children",
            ],
            "E": [
                "[proxy_http:error] [pid {pid}:tid {big}] (111)Connection refused: [client {ip}:{port}] AH01114: HTTP: failed to make connection to backend: {backend}",
                "[proxy:error] [pid {pid}] (110)Connection timed out: AH00957: HTTP: attempt to connect to {ip}:{port} ({backend}) failed",
                "[proxy:error] [pid {pid}] AH00940: HTTP: disabled connection for ({backend})",
                "[php:warn] [pid {pid}] [client {ip}:{port}] PHP Warning:  Undefined variable $user in /var/www/html/{phpfile}.php on line {n}",
                "[core:error] [pid {pid}] [client {ip}:{port}] AH00037: Symbolic link not allowed or link target not accessible: /var/www/html/{phpfile}",
                "[cgi:error] [pid {pid}] [client {ip}:{port}] AH01215: (2)No such file or directory: exec of '/usr/lib/cgi-bin/{phpfile}.cgi' failed",
                "[error] mod_jk child workerEnv in error state {n}",
                "[ssl:error] [pid {pid}] AH02032: Hostname {vhost} provided via SNI and hostname {vhost} provided via HTTP are different",
                "[core:error] [pid {pid}] (24)Too many open files: AH00141: Could not initialize random number generator",
            ],
            "S": [
                "[auth_basic:error] [pid {pid}] [client {ip}:{port}] AH01618: user {user} not found: /admin",
                '[auth_basic:error] [pid {pid}] [client {ip}:{port}] AH01617: user {user}: authentication failure for "/admin": Password Mismatch',
                "[access_compat:error] [pid {pid}] [client {ip}:{port}] AH01797: client denied by server configuration: /var/www/html/{phpfile}",
                '[security2:error] [pid {pid}] [client {ip}:{port}] ModSecurity: Access denied with code 403 (phase 2). Matched phrase "union select" at ARGS:id.',
                "[authz_core:error] [pid {pid}] [client {ip}:{port}] AH01630: client denied by server configuration: /var/www/.git/config",
            ],
            "C": [
                "[php:error] [pid {pid}] [client {ip}:{port}] PHP Fatal error:  Uncaught Error: Call to undefined function {phpfn}() in /var/www/html/{phpfile}.php:{n}",
                "[core:notice] [pid {pid}] AH00052: child pid {pid} exit signal Segmentation fault (11)",
                "[mpm_event:alert] [pid {pid}] no listening sockets available, shutting down",
                "[core:emerg] [pid {pid}] (28)No space left on device: AH00023: Couldn't create the proxy mutex",
            ],
            "R": [
                "[mpm_event:error] [pid {pid}:tid {big}] AH00484: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting",
                "[mpm_prefork:error] [pid {pid}] AH00161: server reached MaxRequestWorkers setting, consider raising the MaxRequestWorkers setting",
            ],
        },
        words={
            "vhost": ["www.example.com", "shop.example.org", "intranet.corp.local"],
            "backend": ["app1", "tomcat", "api-backend", "node-app"],
            "phpfn": ["mysql_connect", "each", "create_function", "wp_get_current_user"],
            "phpfile": ["index", "cart", "wp-cron", "admin/login", "upload"],
        },
    ),
    Family(
        "mod_jk",
        "web",
        1.5,
        {
            "N": [
                "[info] jk_open_socket::jk_connect.c ({n}): connect to {ip}:8009 succeeded",
                "[info] init_jk::mod_jk.c ({n}): mod_jk/1.2.{n} initialized",
                "[debug] map_uri_to_worker_ext::jk_uri_worker_map.c ({n}): found a match {path} -> worker{n}",
            ],
            "E": [
                "[error] ajp_connection_tcp_get_message::jk_ajp_common.c ({n}): (worker{n}) can't receive the response header message from tomcat, tomcat ({ip}:8009) has forced a connection close for socket {n}",
                "[error] ajp_service::jk_ajp_common.c ({n}): (worker{n}) connecting to tomcat failed (rc=-3, errors={n}, client_errors=0).",
                "[error] jk_handler::mod_jk.c ({n}): Could not find a worker for worker name=worker{n}",
                "[error] ajp_get_reply::jk_ajp_common.c ({n}): (worker{n}) Tomcat is down or refused connection. No response has been sent to the client (yet)",
                "[error] ajp_send_request::jk_ajp_common.c ({n}): (worker{n}) connecting to backend failed. Tomcat is probably not started or is listening on the wrong port (errno=111)",
            ],
        },
    ),
    Family(
        "nginx-access",
        "web",
        6.0,
        {
            "H": [
                '{ip} - - [{clf}] "{method} {path} ' + _HTTP + '" {status} {bytes} "-" "{agent}"',
                '{ip} - - [{clf}] "{method} {path} HTTP/2.0" {status} {bytes} "https://{vhost}{path}" "{agent}" "{ip}"',
                '{ip} - {person} [{clf}] "{method} {path} '
                + _HTTP
                + '" {status} {bytes} "-" "{agent}" rt={sec} uct="0.000" uht="{sec}" urt="{sec}"',
                '{{"time_local":"{clf}","remote_addr":"{ip}","request":"{method} {path} HTTP/1.1","status":"{status}","body_bytes_sent":"{bytes}","request_time":"{sec}","http_user_agent":"{agent}"}}',
                '{ip} - - [{clf}] "GET /healthz ' + _HTTP + '" 200 2 "-" "kube-probe/1.29"',
            ],
        },
        words={"vhost": ["www.example.com", "api.example.net", "grafana.example.org"]},
    ),
    Family(
        "nginx-error",
        "web",
        3.0,
        {
            "N": [
                "[notice] {pid}#{pid}: signal process started",
                '[notice] {pid}#{pid}: using the "epoll" event method',
                "[notice] {pid}#{pid}: nginx/1.{n}.{n}",
                "[notice] {pid}#{pid}: start worker processes",
                "[notice] {pid}#{pid}: start worker process {pid}",
                "[notice] {pid}#{pid}: gracefully shutting down",
                "[notice] {pid}#{pid}: exiting",
                "[notice] {pid}#{pid}: exit",
                "[notice] {pid}#{pid}: signal 17 (SIGCHLD) received from {pid}",
                "[notice] {pid}#{pid}: worker process {pid} exited with code 0",
                "[notice] {pid}#{pid}: reconfiguring",
                "[notice] {pid}#{pid}: signal 1 (SIGHUP) received from {pid}, reconfiguring",
                "[info] {pid}#{pid}: *{big} client {ip} closed keepalive connection",
            ],
            "E": [
                '[error] {pid}#{pid}: *{big} upstream timed out (110: Connection timed out) while reading response header from upstream, client: {ip}, server: _, request: "{method} {path} HTTP/1.1"',
                '[error] {pid}#{pid}: *{big} open() "/usr/share/nginx/html{path}" failed (2: No such file or directory), client: {ip}',
                '[error] {pid}#{pid}: *{big} connect() failed (111: Connection refused) while connecting to upstream, client: {ip}, server: {vhost}, request: "{method} {path} HTTP/1.1", upstream: "http://{ip}:{port}{path}", host: "{vhost}"',
                '[error] {pid}#{pid}: *{big} upstream timed out (110: Connection timed out) while reading response header from upstream, client: {ip}, server: {vhost}, request: "{method} {path} HTTP/1.1"',
                '[error] {pid}#{pid}: *{big} open() "/usr/share/nginx/html{path}" failed (2: No such file or directory), client: {ip}, server: {vhost}',
                "[error] {pid}#{pid}: *{big} upstream prematurely closed connection while reading response header from upstream, client: {ip}",
                "[error] {pid}#{pid}: *{big} no live upstreams while connecting to upstream, client: {ip}, server: {vhost}",
                '[error] {pid}#{pid}: *{big} FastCGI sent in stderr: "Primary script unknown" while reading response header from upstream',
                "[crit] {pid}#{pid}: *{big} SSL_do_handshake() failed (SSL: error:0A00006C:SSL routines::bad key share) while SSL handshaking, client: {ip}",
                '[emerg] {pid}#{pid}: unknown directive "{directive}" in /etc/nginx/conf.d/{vhost}.conf:{n}',
                "[emerg] {pid}#{pid}: bind() to 0.0.0.0:80 failed (98: Address already in use)",
                "[error] {pid}#{pid}: *{big} recv() failed (104: Connection reset by peer) while reading response header from upstream",
            ],
            "S": [
                '[error] {pid}#{pid}: *{big} user "{user}": password mismatch, client: {ip}, server: {vhost}, request: "GET /admin HTTP/1.1"',
                '[error] {pid}#{pid}: *{big} user "{user}" was not found in "/etc/nginx/.htpasswd", client: {ip}',
                '[error] {pid}#{pid}: *{big} access forbidden by rule, client: {ip}, server: {vhost}, request: "GET /.env HTTP/1.1"',
                '[error] {pid}#{pid}: *{big} limiting requests, excess: {float} by zone "login", client: {ip}, server: {vhost}',
                '[warn] {pid}#{pid}: *{big} delaying request, excess: {float}, by zone "api", client: {ip}',
            ],
            "C": [
                "[emerg] {pid}#{pid}: bind() to 0.0.0.0:443 failed (98: Address already in use); nginx cannot start",
                "[alert] {pid}#{pid}: worker process {pid} exited on signal 11 (core dumped); all upstream servers are down, every request fails",
                "[alert] {pid}#{pid}: worker process {pid} exited on signal 11 (core dumped)",
                '[crit] {pid}#{pid}: *{big} pwrite() "/var/cache/nginx/client_temp/{big}" failed (28: No space left on device)',
            ],
            "R": [
                "[alert] {pid}#{pid}: {n} worker_connections are not enough",
                "[warn] {pid}#{pid}: *{big} an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{n}/{big} while reading upstream",
                "[warn] {pid}#{pid}: {n} worker_connections exceed open file resource limit: 1024",
                "[alert] {pid}#{pid}: *{big} socket() failed (24: Too many open files) while connecting to upstream",
            ],
            "D": [
                '[warn] {pid}#{pid}: the "listen ... http2" directive is deprecated, use the "http2" directive instead in /etc/nginx/sites-enabled/default:{n}',
                '[warn] {pid}#{pid}: the "ssl" directive is deprecated, use the "listen ... ssl" directive instead in /etc/nginx/nginx.conf:{n}',
            ],
        },
        words={
            "vhost": ["www.example.com", "api.example.net", "shop.example.org", "_"],
            "directive": ["proxy_pas", "ssl_stapling_verifyy", "more_set_headers", "brotli"],
        },
    ),
    Family(
        "haproxy",
        "web",
        2.0,
        {
            "H": [
                '{ip}:{port} [{clf}] {frontend}~ {backend}/{server} {n}/0/{n}/{n}/{n} {status} {bytes} - - ---- {n}/{n}/{n}/{n}/0 0/0 "{method} {path} HTTP/1.1"',
                '{ip}:{port} [{clf}] {frontend} {backend}/{server} 0/0/{n}/{n}/{n} {status} {bytes} - - --NI {n}/{n}/0/0/0 0/0 "{method} {path} HTTP/1.1"',
            ],
            "N": [
                "Proxy {frontend} started.",
                "Proxy {backend} started.",
                "Server {backend}/{server} is UP, reason: Layer7 check passed, code: 200, check duration: {n}ms. {n} active and 0 backup servers online. 0 sessions requeued, 0 total in queue.",
                "Stopping proxy {frontend} in 0 ms.",
                "Loading success.",
            ],
            "E": [
                'Server {backend}/{server} is DOWN, reason: Layer4 connection problem, info: "Connection refused", check duration: {n}ms. {n} active and 0 backup servers left. 0 sessions active, 0 requeued, 0 remaining in queue.',
                'Server {backend}/{server} is DOWN, reason: Layer7 wrong status, code: 503, info: "Service Unavailable", check duration: {n}ms.',
                "{ip}:{port} [{clf}] {frontend}/1: SSL handshake failure",
            ],
            "C": [
                "backend {backend} has no server available!",
                "proxy {frontend} has no server available!",
            ],
            "R": [
                "Proxy {frontend} reached process FD limit (maxsock={big}). Please check 'ulimit-n' and restart.",
                "Proxy {frontend} reached the configured maximum connection limit. Please check the global 'maxconn' value.",
            ],
        },
        words={
            "frontend": ["http-in", "https_front", "fe_main", "api_fe"],
            "backend": ["web_servers", "be_api", "app_pool", "static"],
            "server": ["web1", "web2", "app-a", "app-b", "srv3"],
        },
    ),
    Family(
        "caddy",
        "web",
        1.5,
        {
            "H": [
                '{{"level":"info","ts":{big}.{n},"logger":"http.log.access","msg":"handled request","request":{{"remote_ip":"{ip}","remote_port":"{port}","proto":"HTTP/2.0","method":"{method}","host":"{vhost}","uri":"{path}"}},"bytes_read":0,"user_id":"","duration":{sec},"size":{bytes},"status":{status}}}',
                '{{"level":"info","ts":{big}.{n},"logger":"http.log.access.log0","msg":"handled request","request":{{"remote_ip":"{ip}","method":"{method}","host":"{vhost}","uri":"{path}"}},"duration":{sec},"size":{bytes},"status":{status},"resp_headers":{{"Content-Type":["application/json"]}}}}',
            ],
            "N": [
                '{{"level":"info","ts":{big}.{n},"msg":"serving initial configuration"}}',
                '{{"level":"info","ts":{big}.{n},"logger":"tls.obtain","msg":"certificate obtained successfully","identifier":"{vhost}"}}',
                '{{"level":"info","ts":{big}.{n},"logger":"http.auto_https","msg":"enabling automatic HTTP->HTTPS redirects","server_name":"srv0"}}',
                '{{"level":"info","ts":{big}.{n},"msg":"autosaved config (load with --resume flag)","file":"/config/caddy/autosave.json"}}',
                '{{"level":"info","ts":{big}.{n},"logger":"admin","msg":"admin endpoint started","address":"localhost:2019","enforce_origin":false}}',
            ],
            "E": [
                '{{"level":"error","ts":{big}.{n},"logger":"http.log.error","msg":"dial tcp {ip}:{port}: connect: connection refused","request":{{"remote_ip":"{ip}","method":"{method}","host":"{vhost}","uri":"{path}"}},"duration":{sec},"status":502}}',
                '{{"level":"error","ts":{big}.{n},"logger":"tls.obtain","msg":"could not get certificate from issuer","identifier":"{vhost}","issuer":"acme-v02.api.letsencrypt.org-directory","error":"HTTP 429 urn:ietf:params:acme:error:rateLimited - too many certificates already issued"}}',
            ],
        },
        words={"vhost": ["example.com", "api.example.com", "shop.example.org", "status.example.net"]},
    ),
]

FAMILIES = WEB
