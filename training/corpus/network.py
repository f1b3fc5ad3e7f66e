"""Network devices: Cisco IOS, Juniper Junos, Palo Alto PAN-OS, FortiGate and MikroTik RouterOS.

Interface and protocol state changes, configuration commits and traffic-log records are routine; a
configuration change a person made is User Action; denied sessions, failed logins and threat matches
are Security Alert. A flapping link or a dropped BGP session is an Error (the device goes on); a failed
supervisor, a power or fan failure that shuts the chassis down, or a crashed routing daemon is Critical.
"""

from training.corpus.family import Family

NETWORK = [
    Family(
        "cisco-ios",
        "network",
        3.0,
        {
            "N": [
                "%LINK-3-UPDOWN: Interface {ciface}, changed state to up",
                "%LINEPROTO-5-UPDOWN: Line protocol on Interface {ciface}, changed state to up",
                "%OSPF-5-ADJCHG: Process {n}, Nbr {ip} on {ciface} from LOADING to FULL, Loading Done",
                "%BGP-5-ADJCHANGE: neighbor {ip} Up",
                "%SYS-5-RESTART: System restarted --",
                "%DHCPD-6-ADDRESS_ASSIGN: Interface Vlan{n} assigned DHCP address {ip}, mask 255.255.255.0, hostname {host}",
                "%SPANTREE-5-TOPOTRAP: Topology Change Trap for vlan {n}",
                "%NTP-5-PEERSYNC: NTP synced to peer {ip}",
                "%SYS-6-LOGGINGHOST_STARTSTOP: Logging to host {ip} port 514 started - CLI initiated",
                "%SSH-5-ENABLED: SSH 2.0 has been enabled",
            ],
            "U": [
                "%SEC_LOGIN-5-LOGIN_SUCCESS: Login Success [user: {person}] [Source: {ip}] [localport: 22] at {date}",
                "%SYS-5-CONFIG_I: Configured from console by {person} on vty0 ({ip})",
                "%PARSER-5-CFGLOG_LOGGEDCMD: User:{person} logged command:interface {ciface}",
                "%SYS-6-LOGOUT: User {person} has exited tty session 2({ip})",
            ],
            "S": [
                "%SEC_LOGIN-4-LOGIN_FAILED: Login failed [user: {user}] [Source: {ip}] [localport: 22] [Reason: Login Authentication Failed] at {date}",
                "%SEC_LOGIN-1-QUIET_MODE_ON: Still timeleft for watching failures is {n} secs, [user: {user}] [Source: {ip}] [localport: 22] [Reason: Login Authentication Failed] [ACL: sl_def_acl] at {date}",
                "%SEC-6-IPACCESSLOGP: list OUTSIDE-IN denied tcp {ip}({port}) -> {ip}(22), {n} packets",
                "%PORT_SECURITY-2-PSECURE_VIOLATION: Security violation occurred, caused by MAC address {mac} on port {ciface}.",
                "%SW_DAI-4-DHCP_SNOOPING_DENY: 1 Invalid ARPs (Req) on {ciface}, vlan {n}.([{mac}/{ip}/0000.0000.0000/{ip}])",
            ],
            "E": [
                "%LINK-3-UPDOWN: Interface {ciface}, changed state to down",
                "%BGP-5-ADJCHANGE: neighbor {ip} Down BGP Notification sent",
                "%BGP-3-NOTIFICATION: sent to neighbor {ip} 4/0 (hold time expired) 0 bytes",
                "%OSPF-5-ADJCHG: Process {n}, Nbr {ip} on {ciface} from FULL to DOWN, Neighbor Down: Dead timer expired",
                "%DUAL-5-NBRCHANGE: EIGRP-IPv4 {n}: Neighbor {ip} ({ciface}) is down: holding time expired",
                "%SW_MATM-4-MACFLAP_NOTIF: Host {mac} in vlan {n} is flapping between port {ciface} and port {ciface}",
                "%TFTP-3-FILE_NOT_FOUND: TFTP transfer of config-{host}.txt from {ip} failed: file not found",
                "%ERR-DISABLE-4-ERR_DISABLE: bpduguard error detected on {ciface}, putting {ciface} in err-disable state",
            ],
            "C": [
                "%PLATFORM_ENV-1-PWR: Power supply {n} failed, system shutting down",
                "%ENVIRONMENT-2-FAN_FAULT: All fans failed; the chassis will shut down in 60 seconds to prevent damage",
                "%SYS-2-MALLOCFAIL: Memory allocation of {big} bytes failed from {addr}, alignment 0 Pool: Processor Free: {big} Cause: Not enough free memory; system reload forced",
                "%REDUNDANCY-3-STANDBY_LOST: Standby processor fault (PEER_NOT_PRESENT); the active supervisor crashed and the chassis is not forwarding",
                "%PLATFORM-1-CRASHED: System crashed due to a fatal exception in process {cproc}, writing crashinfo to flash",
            ],
            "R": [
                "%SYS-4-CPURISINGTHRESHOLD: Threshold: Total CPU Utilization(Total/Intr): {pct}%/{n}%, Top 3 processes(Pid/Util): {n}/{n}%, {n}/{n}%",
                "%SYS-4-CPUFALLINGTHRESHOLD: Threshold: Total CPU Utilization(Total/Intr) {lowpct}%/{n}%.",
                "%PLATFORM_TCAM-4-USAGE: TCAM usage for IPv4 routes is {pct}% ({big} of {big} entries)",
                "%SYS-4-FREEMEMLOW: Free Memory has dropped below low watermark Pool: Processor Free: {big} Threshold: {big}",
            ],
            "D": [
                "%PARSER-4-DEPRECATED: The command 'ip http server' is deprecated and will be removed in a future release; use 'ip http secure-server'",
            ],
        },
        words={
            "ciface": [
                "GigabitEthernet0/1",
                "GigabitEthernet1/0/24",
                "TenGigabitEthernet1/1/1",
                "Vlan10",
                "Port-channel1",
                "FastEthernet0/3",
            ],
            "cproc": ["IP Input", "BGP Router", "OSPF-1 Hello", "ARP Input", "Exec"],
        },
    ),
    Family(
        "juniper-junos",
        "network",
        2.5,
        {
            "N": [
                "mgd[{pid}]: UI_COMMIT_COMPLETED: commit complete",
                "rpd[{pid}]: RPD_OSPF_NBRUP: OSPF neighbor {ip} (realm ospf-v2 {jiface} area 0.0.0.0) state changed from Loading to Full due to LoadDone",
                "rpd[{pid}]: BGP_PEER_STATE_CHANGED: BGP peer {ip} (External AS {big}) changed state from OpenConfirm to Established (event RecvKeepAlive)",
                "mib2d[{pid}]: SNMP_TRAP_LINK_UP: ifIndex {n}, ifAdminStatus up(1), ifOperStatus up(1), ifName {jiface}",
                "chassisd[{pid}]: CHASSISD_IFDEV_DETACH_FPC: ifdev_detach_fpc({n})",
                "init: routing (PID {pid}) started",
                "ntpd[{pid}]: NTP Server {ip} is reachable, time synchronized",
            ],
            "U": [
                "sshd[{pid}]: Accepted publickey for {person} from {ip} port {port} ssh2",
                "mgd[{pid}]: UI_COMMIT: User '{person}' requested 'commit' operation (comment: none)",
                "mgd[{pid}]: UI_LOGIN_EVENT: User '{person}' login, class 'j-super-user' [{pid}], ssh-connection '{ip} {port} {ip} 22', client-mode 'cli'",
                "mgd[{pid}]: UI_CFG_AUDIT_SET: User '{person}' set: [interfaces {jiface} unit 0 family inet address] <none> -> \"{ip}/30\"",
                "mgd[{pid}]: UI_LOGOUT_EVENT: User '{person}' logout",
            ],
            "S": [
                "sshd[{pid}]: SSHD_LOGIN_FAILED: Login failed for user '{user}' from host '{ip}'",
                "login[{pid}]: LOGIN_PAM_AUTHENTICATION_ERROR: PAM authentication error for user {user}",
                "RT_FLOW: RT_FLOW_SESSION_DENY: session denied {ip}/{port}->{ip}/23 0x0 junos-telnet {n}(0) deny-all untrust trust UNKNOWN UNKNOWN N/A(N/A) {jiface}",
                "RT_IDP: IDP_ATTACK_LOG_EVENT: IDP: at {big}, SIG Attack log <{ip}/{port}->{ip}/80> for TCP protocol and service HTTP application NONE by rule 1 of rulebase IPS in policy Recommended. attack: id={n}, repeat=0, action=DROP, threat-severity=HIGH, name=HTTP:SQL:INJ:GENERIC",
            ],
            "E": [
                "rpd[{pid}]: BGP_IO_ERROR_CLOSE_SESSION: BGP peer {ip} (External AS {big}): Error event Operation timed out(60) for I/O session - closing it",
                "rpd[{pid}]: RPD_OSPF_NBRDOWN: OSPF neighbor {ip} (realm ospf-v2 {jiface} area 0.0.0.0) state changed from Full to Down due to InActiveTimer",
                "mib2d[{pid}]: SNMP_TRAP_LINK_DOWN: ifIndex {n}, ifAdminStatus up(1), ifOperStatus down(2), ifName {jiface}",
                "mgd[{pid}]: UI_COMMIT_NOT_CONFIRMED: Commit {n} was not confirmed; rollback complete",
                "mgd[{pid}]: error: configuration check-out failed: [edit protocols bgp group {host}] 'neighbor {ip}' missing mandatory statement 'peer-as'",
                "dcd[{pid}]: DCD_CONFIG_WRITE_FAILED: Failed to apply configuration for {jiface}: invalid MTU",
            ],
            "C": [
                "chassisd[{pid}]: CHASSISD_FRU_OFFLINE_NOTICE: Taking FPC {n} offline: Error; all interfaces on the FPC are down",
                "chassisd[{pid}]: CHASSISD_PSU_FAILURE: Power supply {n} failure; insufficient power, FPCs being powered off",
                "chassisd[{pid}]: CHASSISD_TEMP_HOT_NOTICE: Temperature of FPC {n} is critical: shutting down the system in 240 seconds",
                "kernel: panic: page fault in kernel mode, Routing Engine rebooting",
                "rpd[{pid}]: RPD_SCHED_SLIP: core dumped: routing protocol daemon crashed, all BGP sessions lost",
                "/kernel: RE {n} mastership lost: both Routing Engines unresponsive, forwarding halted",
            ],
            "R": [
                "chassisd[{pid}]: CHASSISD_RE_MEMORY_USAGE: Routing Engine memory utilization is {pct}%",
                "rpd[{pid}]: RPD_RT_HWM_NOTICE: New routing table high-water mark {big} routes reached in inet.0",
                "flowd: FLOW_HIGH_WATERMARK_TRIGGERED: Sessions in use exceed high watermark: {big} of {big}",
            ],
            "D": [
                "mgd[{pid}]: UI_DEPRECATED_STATEMENT: 'system services web-management http' is deprecated and will be removed in a future release",
            ],
        },
        words={"jiface": ["ge-0/0/0", "ge-0/0/1.0", "xe-1/0/3", "ae0", "irb.10", "et-0/0/48"]},
    ),
    Family(
        "palo-alto",
        "network",
        2.5,
        {
            "N": [
                "1,{date},{big},TRAFFIC,end,2305,{date},{ip},{ip},0.0.0.0,0.0.0.0,allow-web,,,ssl,vsys1,trust,untrust,ethernet1/2,ethernet1/1,default,{date},{big},1,{port},443,0,0,0x400019,tcp,allow,{bytes},{bytes},{bytes},{n},{date},{n},any",
                '1,{date},{big},SYSTEM,general,0,{date},,general,,0,0,general,informational,"Commit job succeeded for user {person}",{big},0x0',
                '1,{date},{big},SYSTEM,routing,0,{date},,routed-bgp-peer-up,,0,0,general,informational,"BGP peer {ip} entered established state",{big},0x0',
                '1,{date},{big},SYSTEM,general,0,{date},,general,,0,0,general,informational,"Content update job succeeded: Installed threat package version {n}-{n}",{big},0x0',
                '1,{date},{big},SYSTEM,ha,0,{date},,state-change,,0,0,general,informational,"HA Group 1: Moved from state Initial to state Passive",{big},0x0',
            ],
            "U": [
                '1,{date},{big},SYSTEM,general,0,{date},,auth-success,,0,0,general,informational,"User {person} logged in via Web from {ip} using https",{big},0x0',
                "1,{date},{big},CONFIG,0,{date},{ip},,set,{person},Web,Succeeded, deviceconfig system ntp-servers,{big},0x0",
                "1,{date},{big},CONFIG,0,{date},{ip},,edit,{person},Web,Succeeded, vsys vsys1 rulebase security rules allow-web,{big},0x0",
            ],
            "S": [
                "1,{date},{big},TRAFFIC,drop,2305,{date},{ip},{ip},0.0.0.0,0.0.0.0,interzone-default,,,not-applicable,vsys1,untrust,trust,ethernet1/1,,default,{date},0,1,{port},3389,0,0,0x0,tcp,deny,{bytes},{bytes},0,1,{date},0,any",
                '1,{date},{big},THREAT,vulnerability,2305,{date},{ip},{ip},0.0.0.0,0.0.0.0,allow-web,,,web-browsing,vsys1,untrust,dmz,ethernet1/1,ethernet1/3,default,{date},{big},1,{port},80,0,0,0x0,tcp,reset-both,"{path}",Apache Log4j Remote Code Execution Vulnerability({big}),any,critical,client-to-server',
                "1,{date},{big},SYSTEM,general,0,{date},,auth-fail,,0,0,general,medium,\"failed authentication for user '{user}'. Reason: Invalid username/password. From: {ip}.\",{big},0x0",
                '1,{date},{big},THREAT,spyware,2305,{date},{ip},{ip},0.0.0.0,0.0.0.0,outbound,,,dns,vsys1,trust,untrust,ethernet1/2,ethernet1/1,default,{date},{big},1,{port},53,0,0,0x0,udp,sinkhole,"{host}",Suspicious DNS Query (generic:{host})({big}),any,high,client-to-server',
            ],
            "E": [
                '1,{date},{big},SYSTEM,general,0,{date},,general,,0,0,general,medium,"Commit job failed for user {person}: validation error in rule allow-web",{big},0x0',
                '1,{date},{big},SYSTEM,routing,0,{date},,routed-bgp-peer-left-established,,0,0,general,high,"BGP peer {ip} left established state: hold timer expired",{big},0x0',
                '1,{date},{big},SYSTEM,general,0,{date},,general,,0,0,general,medium,"Content update job failed: unable to download threat package from update server",{big},0x0',
                '1,{date},{big},SYSTEM,general,0,{date},,lic-expire,,0,0,general,high,"Failed to fetch licenses from the license server: connection timed out",{big},0x0',
            ],
            "C": [
                '1,{date},{big},SYSTEM,ha,0,{date},,state-change,,0,0,general,critical,"HA Group 1: both peers in non-functional state; all traffic is being dropped",{big},0x0',
                '1,{date},{big},SYSTEM,general,0,{date},,general,,0,0,general,critical,"The dataplane is down: process all_pktproc crashed, firewall not passing traffic",{big},0x0',
                '1,{date},{big},SYSTEM,hw,0,{date},,hw-psu-failed,,0,0,general,critical,"Power Supply {n} failed; the system will shut down",{big},0x0',
                '1,{date},{big},SYSTEM,general,0,{date},,general,,0,0,general,critical,"Disk corruption detected on log partition: logs lost, filesystem remounted read-only",{big},0x0',
            ],
            "R": [
                '1,{date},{big},SYSTEM,general,0,{date},,general,,0,0,general,high,"Dataplane CPU utilization is {pct}%",{big},0x0',
                '1,{date},{big},SYSTEM,general,0,{date},,general,,0,0,general,medium,"Session table utilization is {pct}% ({big} of {big} sessions)",{big},0x0',
                '1,{date},{big},SYSTEM,general,0,{date},,general,,0,0,general,medium,"Log disk quota for traffic logs reached {pct}%; purging oldest logs",{big},0x0',
            ],
        },
    ),
    Family(
        "fortigate",
        "network",
        2.5,
        {
            "N": [
                'date={fdate} time={ftime} devname="{fgt}" devid="FG100F{big}" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip={ip} srcport={port} srcintf="port1" dstip={ip} dstport=443 dstintf="wan1" proto=6 action="accept" policyid={n} service="HTTPS" sentbyte={bytes} rcvdbyte={bytes} duration={n}',
                'date={fdate} time={ftime} devname="{fgt}" logid="0100032009" type="event" subtype="system" level="information" vd="root" logdesc="FortiGate update succeeded" msg="Fortigate scheduled update"',
                'date={fdate} time={ftime} devname="{fgt}" logid="0101037138" type="event" subtype="vpn" level="notice" vd="root" logdesc="IPsec phase 2 status changed" action="phase2-up" remip={ip} tunnel="to-branch-{n}"',
                'date={fdate} time={ftime} devname="{fgt}" logid="0100020015" type="event" subtype="system" level="information" vd="root" logdesc="HA state changed" msg="HA state changed from standby to work"',
                'date={fdate} time={ftime} devname="{fgt}" logid="0100032102" type="event" subtype="system" level="notice" vd="root" logdesc="Configuration backed up" msg="System config backed up to FortiManager"',
            ],
            "U": [
                'date={fdate} time={ftime} devname="{fgt}" logid="0100032001" type="event" subtype="system" level="information" vd="root" logdesc="Admin login successful" user="{person}" ui="https({ip})" action="login" status="success" msg="Administrator {person} logged in successfully from https({ip})"',
                'date={fdate} time={ftime} devname="{fgt}" logid="0100044547" type="event" subtype="system" level="information" vd="root" logdesc="Object attribute configured" user="{person}" ui="GUI({ip})" action="Edit" cfgpath="firewall.policy" cfgobj="{n}" msg="Edit firewall.policy {n}"',
                'date={fdate} time={ftime} devname="{fgt}" logid="0100032003" type="event" subtype="system" level="information" vd="root" logdesc="Admin logout successful" user="{person}" action="logout" status="success"',
            ],
            "S": [
                'date={fdate} time={ftime} devname="{fgt}" logid="0100032002" type="event" subtype="system" level="alert" vd="root" logdesc="Admin login failed" user="{user}" ui="ssh({ip})" action="login" status="failed" reason="passwd_invalid" msg="Administrator {user} login failed from ssh({ip}) because of invalid password"',
                'date={fdate} time={ftime} devname="{fgt}" logid="0419016384" type="utm" subtype="ips" eventtype="signature" level="alert" vd="root" severity="critical" srcip={ip} dstip={ip} action="dropped" attack="Apache.Struts.2.Jakarta.Multipart.Parser.Code.Execution"',
                'date={fdate} time={ftime} devname="{fgt}" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" srcip={ip} srcport={port} srcintf="wan1" dstip={ip} dstport=3389 action="deny" policyid=0 service="RDP" msg="Denied by forward policy check (policy 0)"',
                'date={fdate} time={ftime} devname="{fgt}" logid="0211008192" type="utm" subtype="virus" eventtype="infected" level="warning" vd="root" srcip={ip} dstip={ip} action="blocked" service="HTTP" virus="W32/Agent.{hex8}!tr" url="http://{host}{path}"',
            ],
            "E": [
                'date={fdate} time={ftime} devname="{fgt}" logid="0101037127" type="event" subtype="vpn" level="error" vd="root" logdesc="IPsec phase 1 error" action="negotiate" remip={ip} status="negotiate_error" reason="peer SA proposal not match local policy" tunnel="to-branch-{n}"',
                'date={fdate} time={ftime} devname="{fgt}" logid="0100032010" type="event" subtype="system" level="error" vd="root" logdesc="FortiGate update failed" msg="Fortigate update failed: unable to connect to FortiGuard servers"',
                'date={fdate} time={ftime} devname="{fgt}" logid="0100020099" type="event" subtype="system" level="error" vd="root" logdesc="Link monitor status" msg="Link Monitor changed state from alive to dead, protocol: ping, server: {ip}"',
                'date={fdate} time={ftime} devname="{fgt}" logid="0100032104" type="event" subtype="system" level="error" vd="root" logdesc="Configuration backup failed" msg="Failed to back up config to FortiManager: connection refused"',
            ],
            "C": [
                'date={fdate} time={ftime} devname="{fgt}" logid="0100022011" type="event" subtype="system" level="critical" vd="root" logdesc="Power supply failure" msg="Power supply {n} failure; system running without redundancy and will shut down"',
                'date={fdate} time={ftime} devname="{fgt}" logid="0100020101" type="event" subtype="system" level="critical" vd="root" logdesc="Kernel panic" msg="Kernel panic detected; unit rebooted, all sessions lost"',
                'date={fdate} time={ftime} devname="{fgt}" logid="0100020020" type="event" subtype="ha" level="critical" vd="root" logdesc="HA cluster down" msg="Both HA members lost heartbeat; cluster out of service"',
                'date={fdate} time={ftime} devname="{fgt}" logid="0100022020" type="event" subtype="system" level="critical" vd="root" logdesc="Disk failure" msg="Log disk failed: filesystem corrupted, logs lost"',
            ],
            "R": [
                'date={fdate} time={ftime} devname="{fgt}" logid="0100020110" type="event" subtype="system" level="critical" vd="root" logdesc="Conserve mode" msg="Kernel enters memory conserve mode: memory usage {pct}% of total"',
                'date={fdate} time={ftime} devname="{fgt}" logid="0100022014" type="event" subtype="system" level="warning" vd="root" logdesc="CPU usage high" msg="Performance statistics: CPU usage {pct}%, memory {lowpct}%, sessions {big}"',
            ],
            "D": [
                'date={fdate} time={ftime} devname="{fgt}" logid="0100032030" type="event" subtype="system" level="warning" vd="root" msg="SSL VPN web mode is deprecated and will be removed in FortiOS 7.6; use tunnel mode or ZTNA"',
            ],
        },
        words={
            "fgt": ["FGT-HQ-01", "FGT-DC-02", "FW-EDGE-1", "fgt-branch-7"],
            "fdate": ["2024-05-02", "2024-11-19", "2025-01-07", "2025-03-23"],
            "ftime": ["08:14:02", "13:45:59", "22:01:10", "03:27:44"],
        },
    ),
    Family(
        "mikrotik",
        "network",
        1.5,
        {
            "N": [
                "interface,info ether{n} link up (speed 1G, full duplex)",
                "dhcp,info defconf assigned {ip} to {mac}",
                "dhcp,info defconf deassigned {ip} from {mac}",
                "system,info router rebooted",
                "script,info backup script finished, file flash/backup-{n}.backup saved",
            ],
            "U": [
                "system,info,account user {person} logged in from {ip} via winbox",
                "system,info device changed by {person}",
                "system,info,account user {person} logged out from {ip} via ssh",
            ],
            "S": [
                "system,error,critical login failure for user {user} from {ip} via ssh",
                "firewall,info input: in:ether1 out:(unknown 0), src-mac {mac}, proto TCP (SYN), {ip}:{port}->{ip}:8291, len 60 drop-bruteforce",
                "system,error,critical login failure for user admin from {ip} via winbox",
            ],
            "E": [
                "interface,info ether{n} link down",
                "pppoe,ppp,error <pppoe-out1>: authentication failed, disconnecting",
                "dhcp,warning defconf offering lease {ip} for {mac} without success",
                "script,error executing script backup from scheduler failed, please check it manually",
            ],
            "C": [
                "system,critical,error kernel failure in previous boot, router rebooted",
                "system,critical,error flash storage corrupted: configuration lost, reset to defaults",
            ],
            "R": [
                "system,warning,resource cpu load {pct}%, free memory {size}",
            ],
        },
    ),
]

FAMILIES = NETWORK
