"""Storage systems: Ceph (monitors, OSDs, the manager), ZFS (zed and zpool events), the NFS client and
server, smartd's disk health reports and GlusterFS.

Scrubs finished, placement groups active+clean, pools imported and exports mounted are routine. An OSD
that is slow or a single scrub error, a mount that times out and is retried, or one checksum error ZFS
repaired are an Error: the data is still served. A pool that is FAULTED or SUSPENDED, objects unfound or
lost, a disk SMART says will fail, "all replicas" down or I/O halted is a Critical Error.
"""

from training.corpus.family import Family

STORAGE = [
    Family(
        "ceph",
        "storage",
        3.0,
        {
            "N": [
                "log_channel(cluster) log [INF] : pgmap v{big}: {big} pgs: {big} active+clean; {size} data, {size} used, {size} / {size} avail",
                "log_channel(cluster) log [INF] : {n}.{hex8} scrub starts",
                "log_channel(cluster) log [INF] : {n}.{hex8} scrub ok",
                "log_channel(cluster) log [INF] : {n}.{hex8} deep-scrub ok",
                "log_channel(cluster) log [INF] : osd.{n} boot",
                "log_channel(cluster) log [INF] : Cluster is now healthy",
                'log_channel(audit) log [INF] : from=\'mgr.{n} {ip}:0/{n}\' entity=\'mgr.{cnode}\' cmd=[{{"prefix": "osd pool set", "pool": "{cpool}", "var": "pg_num_actual", "val": "{n}"}}]: dispatch',
                'mon.{cnode}@0(leader) e{n} handle_command mon_command({{"prefix": "status", "format": "json"}} v 0) v1',
                "log_channel(cluster) log [INF] : Health check cleared: OSD_DOWN (was: 1 osds down)",
                "mgr[balancer] Optimize plan auto_{date} prepared, {n} upmap changes",
                "osd.{n} pg_epoch: {big} pg[{n}.{hex8}( v {big}'{big} )] state<Start>: transitioning to Primary",
            ],
            "E": [
                "log_channel(cluster) log [WRN] : Health check failed: 1 osds down (OSD_DOWN)",
                "log_channel(cluster) log [ERR] : {n}.{hex8} shard {n} soid {n}:{hex8}:::rbd_data.{hex12}.{hex12}:head : candidate had a read error",
                "log_channel(cluster) log [ERR] : {n}.{hex8} deep-scrub 1 errors",
                "log_channel(cluster) log [WRN] : Health check failed: {n} slow ops, oldest one blocked for {n} sec, osd.{n} has slow ops (SLOW_OPS)",
                "osd.{n} heartbeat_check: no reply from {ip}:6804 osd.{n} since back {date}",
                "mgr[dashboard] Failed to load module: ImportError: cannot import name 'bcrypt'",
                "log_channel(cluster) log [WRN] : Health check failed: Reduced data availability: 1 pg peering (PG_AVAILABILITY)",
            ],
            "C": [
                "log_channel(cluster) log [ERR] : Health check failed: {n}/{big} objects unfound ({lowpct}%) (OBJECT_UNFOUND)",
                "log_channel(cluster) log [ERR] : Health check failed: Possible data damage: {n} pgs inconsistent (PG_DAMAGED)",
                "log_channel(cluster) log [ERR] : Health check failed: Reduced data availability: {n} pgs inactive, {n} pgs down, all replicas of pool {cpool} unavailable (PG_AVAILABILITY)",
                "osd.{n} *** Caught signal (Aborted) ** in thread {hex12} thread_name:bstore_kv_sync: FAILED ceph_assert(r == 0) bluestore corruption",
                "log_channel(cluster) log [ERR] : mon.{cnode} lost quorum: {n} of {n} monitors down, cluster I/O halted",
                "log_channel(cluster) log [ERR] : {n} objects lost permanently in pg {n}.{hex8}: marked lost by operator, data loss",
            ],
            "R": [
                "log_channel(cluster) log [WRN] : Health check failed: 1 nearfull osd(s) (OSD_NEARFULL)",
                "log_channel(cluster) log [WRN] : Health check failed: {n} pool(s) nearfull (POOL_NEARFULL)",
                "log_channel(cluster) log [ERR] : Health check failed: 1 full osd(s) (OSD_FULL)",
                "log_channel(cluster) log [WRN] : Health check update: pool '{cpool}' is at {pct}% of its quota",
            ],
            "S": [
                "log_channel(audit) log [INF] : from='client.? {ip}:0/{big}' entity='client.{cuser}' cmd=[{{\"prefix\": \"auth get\"}}]: access denied",
                "cephx server client.{cuser}: unexpected key: req.key={hex12} expected_key={hex12}",
            ],
            "U": [
                'log_channel(audit) log [INF] : from=\'mgr.{n}\' entity=\'client.admin\' cmd=[{{"prefix": "osd pool create", "pool": "{cpool}"}}]: finished',
            ],
            "D": [
                "mon.{cnode}@0(leader) e{n} 'ceph osd crush tunables legacy' is deprecated and will be removed in the next release",
            ],
        },
        words={
            "cnode": ["ceph-mon-a", "ceph-mon-b", "ceph-01", "stor-03"],
            "cpool": ["rbd", "cephfs_data", "volumes", ".rgw.root", "images"],
            "cuser": ["admin", "cinder", "glance", "rgw.gw1"],
        },
    ),
    Family(
        "zfs",
        "storage",
        2.0,
        {
            "N": [
                "zed: eid={n} class=scrub_start pool='{zpool}'",
                "zed: eid={n} class=scrub_finish pool='{zpool}'",
                "zed: eid={n} class=history_event pool='{zpool}'",
                "zed: eid={n} class=config_sync pool='{zpool}'",
                "zed: eid={n} class=resilver_finish pool='{zpool}'",
                "zpool import: pool '{zpool}' imported, {n} vdevs online",
                "zfs snapshot {zpool}/{zds}@auto-{date} created",
                "zfs-auto-snapshot: destroyed {n} expired snapshots of {zpool}/{zds}",
                "scan: scrub repaired 0B in {dur} with 0 errors on {date}",
            ],
            "E": [
                "zed: eid={n} class=checksum pool='{zpool}' vdev={dev} algorithm=fletcher4 size={n} offset={big} priority=2 err=52 flags={hex8} bookmark={n}:{n}:0:{n}",
                "zed: eid={n} class=io pool='{zpool}' vdev={dev} size={n} offset={big} priority=0 err=5 flags={hex8}",
                "zed: eid={n} class=probe_failure pool='{zpool}' vdev={dev}",
                "scan: scrub repaired {size} in {dur} with {n} errors on {date}",
                "cannot send {zpool}/{zds}@auto-{date}: incremental source is not earlier than destination snapshot",
                "zfs receive failed: destination {zpool}/{zds} has been modified since most recent snapshot",
            ],
            "C": [
                "zed: eid={n} class=statechange pool='{zpool}' vdev={dev} vdev_state=FAULTED",
                "WARNING: Pool '{zpool}' has encountered an uncorrectable I/O failure and has been suspended.",
                "zed: eid={n} class=data pool='{zpool}' priority=2 err=52: permanent errors have been detected in the following files: {file}",
                "zpool '{zpool}' state: UNAVAIL: one or more devices could not be opened; there are insufficient replicas for the pool to continue functioning",
                "zpool import: cannot import '{zpool}': I/O error, destroy and re-create the pool from a backup source",
            ],
            "R": [
                "zfs: pool '{zpool}' capacity {pct}% ({size} used of {size})",
                "ARC size {size}, target {size}, max {size}, hit ratio {lowpct}%",
                "quota for dataset {zpool}/{zds} reached: {size} of {size}",
            ],
        },
        words={"zpool": ["tank", "rpool", "backup", "data"], "zds": ["home", "vm-disks", "postgres", "media", "archive"]},
    ),
    Family(
        "nfs",
        "storage",
        2.0,
        {
            "N": [
                "rpc.mountd[{pid}]: authenticated mount request from {ip}:{port} for /export/{nexp} (/export/{nexp})",
                "rpc.mountd[{pid}]: authenticated unmount request from {ip}:{port} for /export/{nexp} (/export/{nexp})",
                "nfsd: last server has exited, flushing export cache",
                "NFSD: starting 90-second grace period (net f0000000)",
                "NFSD: Using nfsdcld client tracking operations.",
                "exportfs: exporting {ip}/24:/export/{nexp}",
                "systemd[1]: Mounted /mnt/{nexp}.",
                "kernel: nfs: server {host} OK",
            ],
            "E": [
                "kernel: nfs: server {host} not responding, timed out; retrying the mount",
                "kernel: nfs: server {host} not responding, timed out",
                "mount.nfs: Connection timed out",
                "mount.nfs: access denied by server while mounting {host}:/export/{nexp}",
                "kernel: NFS: nfs4_reclaim_open_state: Lock reclaim failed!",
                "rpc.statd[{pid}]: Failed to insert: creating /var/lib/nfs/statd/sm/{host}: Permission denied",
                "kernel: NFS: state manager: lease expired failed on NFSv4 server {host} with error 10052",
            ],
            "C": [
                "kernel: nfsd: non-standard errno: -117; exported filesystem /export/{nexp} is corrupted, all clients get I/O errors",
                "kernel: NFS: server {host} error: fileid changed; stale file handles on every mount, data written since {date} lost",
                "rpc.nfsd: unable to bind any socket: nfs server cannot start, all exports unavailable",
            ],
            "S": [
                "rpc.mountd[{pid}]: refused mount request from {ip} for /export/{nexp} (/export/{nexp}): unmatched host",
                "rpc.mountd[{pid}]: refused mount request from {ip} for /export/{nexp}: illegal port {port}",
            ],
            "R": [
                "nfsd: too many open connections ({n} of {n}), consider increasing the number of threads",
                "kernel: NFS: server {host} quota exceeded for uid {uid} on /export/{nexp}: {size} of {size}",
            ],
        },
        words={"nexp": ["home", "projects", "backup", "media", "shared"]},
    ),
    Family(
        "smartd",
        "storage",
        1.5,
        {
            "N": [
                'smartd[{pid}]: Device: /dev/{dev}, is SMART capable. Adding to "monitor" list.',
                "smartd[{pid}]: Monitoring {n} ATA/SATA, 0 SCSI/SAS and {n} NVMe devices",
                "smartd[{pid}]: Device: /dev/{dev} [SAT], starting scheduled Short Self-Test.",
                "smartd[{pid}]: Device: /dev/{dev} [SAT], previous self-test completed without error",
                "smartd[{pid}]: Device: /dev/{dev} [SAT], state written to /var/lib/smartmontools/smartd.{host}.ata.state",
            ],
            "E": [
                "smartd[{pid}]: Device: /dev/{dev} [SAT], ATA error count increased from {n} to {n}",
                "smartd[{pid}]: Device: /dev/{dev} [SAT], previous self-test completed with error (read test element)",
                "smartd[{pid}]: Device: /dev/{dev}, not capable of SMART self-check",
                "smartd[{pid}]: Device: /dev/{dev} [SAT], {n} reallocated sectors, up from {n}; the disk is still in service",
            ],
            "C": [
                "smartd[{pid}]: Device: /dev/{dev} [SAT], Failed SMART usage Attribute: 5 Reallocated_Sector_Ct.",
                "smartd[{pid}]: Device: /dev/{dev}, Critical Warning (0x04): Reliability degraded, media in read-only mode",
                "smartd[{pid}]: Device: /dev/{dev}, removed ATA device: No such device",
                "smartd[{pid}]: Device: /dev/{dev} [SAT], SMART Prefailure Attribute: 5 Reallocated_Sector_Ct failed; the disk is about to fail, back up data now",
            ],
            "R": [
                "smartd[{pid}]: Device: /dev/{dev}, Percentage Used: {pct}% of rated endurance",
                "smartd[{pid}]: Device: /dev/{dev}, Available Spare: {lowpct}% (threshold 10%)",
            ],
        },
    ),
    Family(
        "glusterfs",
        "storage",
        1.5,
        {
            "N": [
                "[glusterd-utils.c:{n}:glusterd_friend_sm] 0-management: Received ACC from uuid: {uuid}, host: {host}, port: 0",
                "[glusterd-volume-ops.c:{n}:glusterd_op_start_volume] 0-management: Starting volume {gvol}",
                "[afr-self-heal-common.c:{n}:afr_log_selfheal] 0-{gvol}-replicate-0: Completed data selfheal on {uuid}. sources=[0] sinks=1",
                "[rpc-clnt.c:{n}:rpc_clnt_reconfig] 0-{gvol}-client-1: changing port to {port} (from 0)",
                "[client-handshake.c:{n}:client_setvolume_cbk] 0-{gvol}-client-0: Connected to {gvol}-client-0, attached to remote volume '/bricks/{gvol}'.",
            ],
            "E": [
                "[socket.c:{n}:socket_connect_finish] 0-{gvol}-client-2: connection to {ip}:24007 failed (Connection refused)",
                "[afr-self-heal-common.c:{n}:afr_log_selfheal] 0-{gvol}-replicate-0: Failed data selfheal on {uuid}. sources=[0] sinks=",
                "[client-rpc-fops.c:{n}:client3_3_lookup_cbk] 0-{gvol}-client-1: remote operation failed. Path: {file} (Transport endpoint is not connected)",
            ],
            "C": [
                "[afr-common.c:{n}:afr_notify] 0-{gvol}-replicate-0: All subvolumes are down. Going offline until atleast one of them comes back up.",
                "[afr-self-heald.c:{n}:afr_shd_index_sweep] 0-{gvol}-replicate-0: split-brain detected on {file}: data on all replicas differ, file unusable",
            ],
            "R": [
                "[posix.c:{n}:posix_fs_health_check] 0-{gvol}-posix: disk space on brick /bricks/{gvol} below min-free-disk limit: {lowpct}% free",
            ],
        },
        words={"gvol": ["gv0", "shared", "homes", "vmstore"]},
    ),
]

FAMILIES = STORAGE
