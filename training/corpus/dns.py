"""DNS and DHCP: BIND (named), CoreDNS, dnsmasq and the ISC DHCP server.

Queries answered, zones loaded and transferred, leases offered and acknowledged are routine. A lookup
that failed upstream, a zone transfer that failed or a lease the server could not give is an Error: the
resolver goes on. A server that cannot load its zones or exits, a corrupted zone or lease database, or a
whole resolver down is a Critical Error. Refused transfers and queries, denied updates and spoofing
attempts are Security Alerts.
"""

from training.corpus.family import Family

ZONE = ["example.com", "corp.local", "internal.example.net", "10.in-addr.arpa", "shop.example"]

DNS = [
    Family(
        "bind",
        "dns-dhcp",
        3.0,
        {
            "N": [
                "named[{pid}]: client @{addr} {ip}#{port} ({host}): query: {host} IN A +E(0)K ({ip})",
                "named[{pid}]: zone {zone}/IN: loaded serial {big}",
                "named[{pid}]: zone {zone}/IN: transferred serial {big}",
                "named[{pid}]: zone {zone}/IN: sending notifies (serial {big})",
                "named[{pid}]: transfer of '{zone}/IN' from {ip}#53: Transfer completed: {n} messages, {big} records, {bytes} bytes, {sec} secs",
                "named[{pid}]: all zones loaded",
                "named[{pid}]: running",
                "named[{pid}]: starting BIND 9.{n}.{n} (Extended Support Version) <id:{hex8}>",
                "named[{pid}]: reloading configuration succeeded",
                "named[{pid}]: managed-keys-zone: Key {n} for zone . is now trusted (acceptance timer complete)",
                "named[{pid}]: client @{addr} {ip}#{port}: updating zone '{zone}/IN': adding an RR at '{host}.{zone}' A {ip}",
            ],
            "E": [
                "named[{pid}]: zone {zone}/IN: refresh: retry limit for master {ip}#53 exceeded (source 0.0.0.0#0)",
                "named[{pid}]: transfer of '{zone}/IN' from {ip}#53: failed to connect: timed out",
                "named[{pid}]: lame server resolving '{host}' (in '{zone}'?): {ip}#53",
                "named[{pid}]: validating {host}/A: no valid signature found",
                "named[{pid}]: network unreachable resolving '{host}/AAAA/IN': 2001:500:2::c#53",
                "named[{pid}]: zone {zone}/IN: journal rollforward failed: journal out of sync with zone",
                "named[{pid}]: dumping master file: /var/cache/bind/tmp-{hex8}: open: permission denied",
                "named[{pid}]: client @{addr} {ip}#{port} ({host}): query failed (SERVFAIL) for {host}/IN/A at query.c:{n}",
            ],
            "C": [
                "named[{pid}]: loading configuration: failure; exiting (due to fatal error)",
                "named[{pid}]: zone {zone}/IN: loading from master file db.{zone} failed: unexpected end of input; zone not loaded, all names under it unresolvable",
                "named[{pid}]: /etc/bind/named.conf:{n}: unknown option 'allow-recursoin'; named cannot start",
                "named[{pid}]: rbtdb.c:{n}: REQUIRE(header->count > 0) failed, back trace; exiting (due to assertion failure)",
                "named[{pid}]: zone {zone}/IN: journal file is corrupt: expected serial {big}, got {big}; zone data lost",
            ],
            "S": [
                "named[{pid}]: client @{addr} {ip}#{port} ({zone}): zone transfer '{zone}/AXFR/IN' denied",
                "named[{pid}]: client @{addr} {ip}#{port} ({host}): query (cache) '{host}/ANY/IN' denied",
                "named[{pid}]: client @{addr} {ip}#{port}: update '{zone}/IN' denied",
                "named[{pid}]: client @{addr} {ip}#{port}: request has invalid signature: TSIG transfer-key: tsig verify failure (BADKEY)",
                "named[{pid}]: client @{addr} {ip}#{port} ({host}): rate limit drop response to {ip}/24 for {zone} IN ANY",
            ],
            "R": [
                "named[{pid}]: clients-per-query increased to {n}",
                "named[{pid}]: no more recursive clients (1000/900/1000): quota reached",
                "named[{pid}]: cache memory usage {size} of max-cache-size {size}",
            ],
            "D": [
                "named[{pid}]: /etc/bind/named.conf.options:{n}: option 'dnssec-enable' is obsolete and should be removed",
                "named[{pid}]: /etc/bind/named.conf:{n}: 'max-zone-ttl' is deprecated and will be removed in a future release",
            ],
        },
        words={"zone": ZONE},
    ),
    Family(
        "coredns",
        "dns-dhcp",
        2.5,
        {
            "N": [
                '[INFO] {ip}:{port} - {n} "A IN {svc}.{kns}.svc.cluster.local. udp {n} false 512" NOERROR qr,aa,rd {n} {sec}s',
                '[INFO] {ip}:{port} - {n} "AAAA IN {host}. udp {n} false 512" NXDOMAIN qr,rd,ra {n} {sec}s',
                "[INFO] plugin/reload: Running configuration SHA512 = {hex64}",
                "[INFO] Reloading complete",
                "CoreDNS-1.11.{n}",
                "linux/amd64, go1.21.{n}, {hex8}",
                ".:53",
                "[INFO] plugin/kubernetes: watching namespaces all",
            ],
            "E": [
                "[ERROR] plugin/errors: 2 {host}. A: read udp {ip}:{port}->{ip}:53: i/o timeout",
                "[ERROR] plugin/errors: 2 {svc}.{kns}.svc.cluster.local. AAAA: dial udp {ip}:53: connect: network is unreachable",
                '[WARNING] plugin/kubernetes: Kubernetes API connection failure: Get "https://10.96.0.1:443/version": dial tcp 10.96.0.1:443: i/o timeout',
                "[ERROR] plugin/forward: no healthy upstream for zone .",
                '[INFO] plugin/reload: Reloading failed: plugin/forward: not an IP address or file: "dns://{host}"',
            ],
            "C": [
                '[FATAL] plugin/loop: Loop ({ip}:{port} -> {ip}:53) detected for zone ".", see https://coredns.io/plugins/loop#troubleshooting. Query: "HINFO {big}.{big}. HINFO"',
                "[FATAL] Failed to start server: listen tcp :53: bind: address already in use; cluster DNS unavailable",
                "panic: runtime error: index out of range [1] with length 1; coredns crashed, every lookup in the cluster is failing",
            ],
            "S": [
                '[INFO] {ip}:{port} - {n} "AXFR IN cluster.local. tcp {n} false 65535" REFUSED qr,aa {n} {sec}s',
            ],
            "R": [
                "[WARNING] plugin/cache: cache size {big} reached capacity {big}, evicting entries",
            ],
            "D": [
                "[WARNING] plugin/proxy is deprecated and will be removed; use plugin/forward",
            ],
        },
        words={"kns": ["default", "kube-system", "payments", "monitoring"]},
    ),
    Family(
        "dnsmasq",
        "dns-dhcp",
        2.0,
        {
            "N": [
                "dnsmasq[{pid}]: query[A] {host} from {ip}",
                "dnsmasq[{pid}]: forwarded {host} to {ip}",
                "dnsmasq[{pid}]: reply {host} is {ip}",
                "dnsmasq[{pid}]: cached {host} is {ip}",
                "dnsmasq-dhcp[{pid}]: DHCPDISCOVER({iface}) {mac}",
                "dnsmasq-dhcp[{pid}]: DHCPOFFER({iface}) {ip} {mac}",
                "dnsmasq-dhcp[{pid}]: DHCPREQUEST({iface}) {ip} {mac}",
                "dnsmasq-dhcp[{pid}]: DHCPACK({iface}) {ip} {mac} {host}",
                "dnsmasq[{pid}]: started, version 2.{n} cachesize 150",
                "dnsmasq[{pid}]: read /etc/hosts - {n} addresses",
                "dnsmasq[{pid}]: using nameserver {ip}#53",
            ],
            "E": [
                "dnsmasq-dhcp[{pid}]: DHCPNAK({iface}) {ip} {mac} wrong address",
                "dnsmasq-dhcp[{pid}]: no address range available for DHCP request via {iface}",
                "dnsmasq[{pid}]: failed to access /etc/dnsmasq.d/{host}.conf: No such file or directory",
                "dnsmasq[{pid}]: no servers found in /etc/resolv.conf, will retry",
                "dnsmasq-tftp[{pid}]: file /srv/tftp/pxelinux.0 not found",
            ],
            "C": [
                "dnsmasq[{pid}]: failed to create listening socket for port 53: Address already in use",
                "dnsmasq[{pid}]: FAILED to start up",
                "dnsmasq[{pid}]: cannot read lease file /var/lib/misc/dnsmasq.leases: lease database corrupted, all leases lost",
            ],
            "R": [
                "dnsmasq[{pid}]: Maximum number of concurrent DNS queries reached (max: 150)",
                "dnsmasq-dhcp[{pid}]: DHCP range {ip} -- {ip} is {pct}% allocated",
            ],
            "S": [
                "dnsmasq[{pid}]: possible DNS-rebind attack detected: {host}",
                "dnsmasq-dhcp[{pid}]: DHCPDISCOVER({iface}) {mac} ignored: MAC address not in allow list",
            ],
        },
    ),
    Family(
        "isc-dhcpd",
        "dns-dhcp",
        2.0,
        {
            "N": [
                "dhcpd[{pid}]: DHCPDISCOVER from {mac} via {iface}",
                "dhcpd[{pid}]: DHCPOFFER on {ip} to {mac} ({host}) via {iface}",
                "dhcpd[{pid}]: DHCPREQUEST for {ip} ({ip}) from {mac} ({host}) via {iface}",
                "dhcpd[{pid}]: DHCPACK on {ip} to {mac} ({host}) via {iface}",
                "dhcpd[{pid}]: DHCPRELEASE of {ip} from {mac} ({host}) via {iface} (found)",
                "dhcpd[{pid}]: DHCPINFORM from {ip} via {iface}",
                "dhcpd[{pid}]: Wrote {big} leases to leases file.",
                "dhcpd[{pid}]: Server starting service.",
                "dhcpd[{pid}]: Internet Systems Consortium DHCP Server 4.4.{n}",
                "dhcpd[{pid}]: failover peer dhcp-failover: I move from communications-interrupted to normal",
            ],
            "E": [
                "dhcpd[{pid}]: DHCPDISCOVER from {mac} via {iface}: network {ip}/24: no free leases",
                "dhcpd[{pid}]: DHCPREQUEST for {ip} from {mac} via {iface}: wrong network.",
                "dhcpd[{pid}]: DHCPNAK on {ip} to {mac} via {iface}",
                "dhcpd[{pid}]: Unable to add forward map from {host}.{zone} to {ip}: timed out",
                "dhcpd[{pid}]: failover peer dhcp-failover: I move from normal to communications-interrupted",
                "dhcpd[{pid}]: uid lease {ip} for client {mac} is duplicate on {ip}/24",
            ],
            "C": [
                "dhcpd[{pid}]: Configuration file errors encountered -- exiting",
                "dhcpd[{pid}]: Can't open lease database /var/lib/dhcp/dhcpd.leases: No such file or directory -- check for failed database rewrite attempt!",
                "dhcpd[{pid}]: corrupt lease file - possible data loss!",
                "dhcpd[{pid}]: Not configured to listen on any interfaces! no client on any network can get an address",
            ],
            "S": [
                "dhcpd[{pid}]: DHCPDISCOVER from {mac} via {iface}: unknown client",
                "dhcpd[{pid}]: DHCPREQUEST from {mac} via {iface}: rogue DHCP server detected at {ip}, ignoring",
            ],
            "R": [
                "dhcpd[{pid}]: pool {hex12} {ip}/24 total {n} free {n} backup 0 lts 0 max-own (+/-)0 (pool usage above {pct}%)",
            ],
        },
        words={"zone": ZONE},
    ),
]

FAMILIES = DNS
