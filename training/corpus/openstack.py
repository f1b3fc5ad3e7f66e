"""OpenStack: nova (api and compute), neutron, keystone, glance and cinder, as oslo.log writes them after
the `date pid LEVEL` header: `module [req-... user project - - -] message`. Instance lifecycle events are
routine records; the wsgi access lines are HTTP Status; resource claims are Resource Usage."""

from training.corpus.family import Family

_CTX = "[{req} {hex32} {hex32} - default default]"
_CTX0 = "[{req} - - - - -]"

OPENSTACK = [
    Family(
        "nova-api",
        "openstack",
        4.0,
        {
            "H": [
                "nova.osapi_compute.wsgi.server "
                + _CTX
                + ' {ip} "{method} /v2.1/{hex32}/servers/detail HTTP/1.1" status: {status} len: {bytes} time: {sec}',
                "nova.osapi_compute.wsgi.server "
                + _CTX
                + ' {ip} "GET /v2.1/{hex32}/servers/{uuid} HTTP/1.1" status: {status} len: {bytes} time: {sec}',
                "nova.osapi_compute.wsgi.server "
                + _CTX
                + ' {ip} "POST /v2.1/{hex32}/servers/{uuid}/action HTTP/1.1" status: {status} len: {bytes} time: {sec}',
                "nova.metadata.wsgi.server "
                + _CTX0
                + ' {ip},{ip} "GET /openstack/2013-10-17/meta_data.json HTTP/1.1" status: 200 len: {bytes} time: {sec}',
                "nova.metadata.wsgi.server "
                + _CTX0
                + ' {ip},{ip} "GET /latest/meta-data/{metakey} HTTP/1.1" status: {status} len: {bytes} time: {sec}',
            ],
            "N": [
                "nova.api.openstack.compute.server_external_events "
                + _CTX
                + " Creating event network-vif-plugged:{uuid} for instance {uuid} on {host}",
                "nova.metadata.wsgi.server " + _CTX0 + " (pid) accepted ('{ip}', {port})",
                "nova.osapi_compute.wsgi.server [-] (pid) wsgi starting up on http://0.0.0.0:8774",
            ],
            "S": [
                "nova.api.openstack.wsgi "
                + _CTX
                + " HTTP exception thrown: Policy doesn't allow os_compute_api:servers:create:forced_host to be performed.",
                "keystonemiddleware.auth_token [-] Rejecting request: authentication token is invalid or expired",
            ],
        },
        words={"metakey": ["instance-id", "local-ipv4", "public-keys/", "hostname", "placement/availability-zone"]},
    ),
    Family(
        "nova-compute",
        "openstack",
        6.0,
        {
            "N": [
                "nova.compute.manager " + _CTX + " [instance: {uuid}] VM Started (Lifecycle Event)",
                "nova.compute.manager " + _CTX + " [instance: {uuid}] VM Paused (Lifecycle Event)",
                "nova.compute.manager " + _CTX + " [instance: {uuid}] VM Resumed (Lifecycle Event)",
                "nova.compute.manager " + _CTX + " [instance: {uuid}] VM Stopped (Lifecycle Event)",
                "nova.compute.manager "
                + _CTX
                + " [instance: {uuid}] During sync_power_state the instance has a pending task (spawning). Skip.",
                "nova.compute.manager " + _CTX + " [instance: {uuid}] Took {float} seconds to spawn the instance on the hypervisor.",
                "nova.compute.manager " + _CTX + " [instance: {uuid}] Took {float} seconds to build instance.",
                "nova.compute.manager " + _CTX + " [instance: {uuid}] Took {float} seconds to destroy the instance on the hypervisor.",
                "nova.compute.manager " + _CTX + " [instance: {uuid}] Took {float} seconds to deallocate network for instance.",
                "nova.compute.manager " + _CTX + " [instance: {uuid}] Terminating instance",
                "nova.compute.manager " + _CTX + " [instance: {uuid}] Starting instance...",
                "nova.virt.libvirt.driver " + _CTX + " [instance: {uuid}] Instance destroyed successfully.",
                "nova.virt.libvirt.driver " + _CTX + " [instance: {uuid}] Instance spawned successfully.",
                "nova.virt.libvirt.driver " + _CTX + " [instance: {uuid}] Creating image",
                "nova.virt.libvirt.driver " + _CTX + " [instance: {uuid}] Deleting instance files /var/lib/nova/instances/{uuid}_del",
                "nova.virt.libvirt.driver " + _CTX + " [instance: {uuid}] Deletion of /var/lib/nova/instances/{uuid}_del complete",
                "nova.virt.libvirt.imagecache " + _CTX0 + " image {uuid} at (/var/lib/nova/instances/_base/{hex32}): checking",
                "nova.virt.libvirt.imagecache " + _CTX0 + " Active base files: /var/lib/nova/instances/_base/{hex32}",
                "nova.virt.libvirt.imagecache " + _CTX0 + " Removable base files: /var/lib/nova/instances/_base/{hex32}",
                "nova.compute.resource_tracker " + _CTX0 + " Compute_service record updated for {host}:{host}",
                "nova.compute.claims " + _CTX + " [instance: {uuid}] Claim successful on node {host}",
                "nova.compute.manager " + _CTX0 + " Running periodic task ComputeManager._poll_rebooting_instances",
                "nova.compute.manager " + _CTX + " [instance: {uuid}] Rebooting instance",
                "nova.compute.manager " + _CTX + " [instance: {uuid}] Successfully reverted task state from None on failure for instance.",
            ],
            "R": [
                "nova.compute.resource_tracker "
                + _CTX0
                + " Final resource view: name={host} phys_ram={mb}MB used_ram={mb}MB phys_disk={gb}GB used_disk={gb}GB total_vcpus={n} used_vcpus={n} pci_stats=[]",
                "nova.compute.claims " + _CTX + " [instance: {uuid}] Total memory: {mb} MB, used: {float} MB",
                "nova.compute.claims " + _CTX + " [instance: {uuid}] memory limit: {float} MB, free: {float} MB",
                "nova.compute.claims " + _CTX + " [instance: {uuid}] Total disk: {gb} GB, used: {float} GB",
                "nova.compute.claims " + _CTX + " [instance: {uuid}] disk limit not specified, defaulting to unlimited",
                "nova.compute.claims " + _CTX + " [instance: {uuid}] Total vcpu: {n} VCPU, used: {float} VCPU",
                "nova.compute.claims " + _CTX + " [instance: {uuid}] vcpu limit not specified, defaulting to unlimited",
                "nova.compute.resource_tracker " + _CTX0 + " Total usable vcpus: {n}, total allocated vcpus: {n}",
                "nova.scheduler.filters.ram_filter "
                + _CTX
                + " ({host}, {host}) ram: {mb}MB disk: {mb}MB io_ops: 0 instances: {n} does not have {mb} MB usable ram, it only has {float} MB usable ram.",
            ],
            "E": [
                "nova.compute.manager [{req} - - - - -] [instance: {uuid}] Failed to allocate network(s), not rescheduling: VirtualInterfaceCreateException",
                "nova.compute.manager [{req} - - - - -] [instance: {uuid}] Live migration failed: operation timed out; the instance keeps running on the source host",
                "nova.compute.manager "
                + _CTX
                + " [instance: {uuid}] Instance failed to spawn: libvirtError: internal error: process exited while connecting to monitor",
                "nova.compute.manager "
                + _CTX
                + " [instance: {uuid}] Build of instance {uuid} aborted: Failed to allocate the network(s), not rescheduling.",
                "nova.compute.manager " + _CTX + " [instance: {uuid}] Failed to allocate network(s): VirtualInterfaceCreateException",
                "nova.virt.libvirt.driver "
                + _CTX
                + " [instance: {uuid}] Live Migration failure: operation failed: Failed to connect to remote libvirt URI qemu+tcp://{host}/system",
                "nova.compute.manager " + _CTX + " [instance: {uuid}] Setting instance vm_state to ERROR",
                "nova.scheduler.utils "
                + _CTX
                + " [instance: {uuid}] Error from last host: {host}: NoValidHost: No valid host was found. There are not enough hosts available.",
                "oslo.messaging._drivers.impl_rabbit [-] [{uuid}] AMQP server on {ip}:5672 is unreachable: timed out. Trying again in 1 seconds.",
            ],
            "C": [
                "nova.compute.manager [{req} - - - - -] [instance: {uuid}] Instance disk image is corrupted after a failed resize; instance data lost",
                "nova.virt.libvirt.driver [-] Connection to libvirt lost; nova-compute cannot start and every instance on this host is unmanaged",
                "nova.compute.manager "
                + _CTX0
                + " Error updating resources for node {host}: libvirtError: Failed to connect socket to '/var/run/libvirt/libvirt-sock': No such file or directory",
                "nova.virt.libvirt.driver "
                + _CTX
                + " [instance: {uuid}] Instance disk corrupted: qcow2 image /var/lib/nova/instances/{uuid}/disk has corrupt L2 table",
                "nova.servicegroup.drivers.db [-] Lost connection to nova-conductor for reporting service status.",
            ],
        },
    ),
    Family(
        "neutron",
        "openstack",
        3.0,
        {
            "H": [
                "neutron.wsgi " + _CTX + ' {ip} "GET /v2.0/ports?device_id={uuid} HTTP/1.1" status: {status}  len: {bytes} time: {sec}',
                "neutron.wsgi " + _CTX + ' {ip} "POST /v2.0/floatingips HTTP/1.1" status: {status}  len: {bytes} time: {sec}',
            ],
            "N": [
                "neutron.agent.securitygroups_rpc " + _CTX0 + " Security group member updated [u'{uuid}']",
                "neutron.agent.securitygroups_rpc " + _CTX0 + " Refresh firewall rules",
                "neutron.plugins.ml2.drivers.openvswitch.agent.ovs_neutron_agent "
                + _CTX0
                + " Port {uuid} updated. Details: {{u'admin_state_up': True, u'network_id': u'{uuid}'}}",
                "neutron.agent.dhcp.agent " + _CTX0 + " Trigger reload_allocations for port admin_state_up=True, device_owner=compute:nova",
                "neutron.agent.l3.agent " + _CTX0 + " Finished a router update for {uuid}, update_id {uuid}. Time elapsed: {float}",
                "neutron.plugins.ml2.drivers.openvswitch.agent.ovs_neutron_agent "
                + _CTX0
                + " Agent rpc_loop - iteration:{big} completed. Processed ports statistics: {{'regular': {{'added': 0, 'updated': 0, 'removed': 0}}}}. Elapsed:{float}",
                "neutron.notifiers.nova "
                + _CTX0
                + " Nova event response: {{u'status': u'completed', u'tag': u'{uuid}', u'name': u'network-vif-plugged', u'server_uuid': u'{uuid}', u'code': 200}}",
            ],
            "E": [
                "neutron.agent.dhcp.agent " + _CTX0 + " Unable to reload_allocations dhcp for {uuid}.: RemoteError",
                "neutron.plugins.ml2.managers " + _CTX + " Failed to bind port {uuid} on host {host} for vnic_type normal using segments",
                "neutron.agent.linux.utils " + _CTX0 + " Exit code: 1; Stdin: ; Stdout: ; Stderr: RTNETLINK answers: File exists",
                "neutron.plugins.ml2.drivers.openvswitch.agent.ovs_neutron_agent " + _CTX0 + " Error while processing VIF ports",
            ],
            "R": [
                "neutron.api.v2.resource " + _CTX + " create failed (client error): Quota exceeded for resources: ['floatingip'].",
                "neutron.ipam.drivers.neutrondb_ipam.driver " + _CTX + " No more IP addresses available on network {uuid}.",
            ],
            "C": [
                "neutron.plugins.ml2.drivers.openvswitch.agent.ovs_neutron_agent "
                + _CTX0
                + " OVS is dead. OVSNeutronAgent will keep running and checking OVS status periodically.",
            ],
        },
    ),
    Family(
        "keystone",
        "openstack",
        2.5,
        {
            "H": [
                "keystone.common.wsgi " + _CTX + " POST http://{host}:5000/v3/auth/tokens",
                "keystone.common.wsgi " + _CTX + " GET http://{host}:5000/v3/projects/{hex32}",
            ],
            "N": [
                "keystone.token.provider " + _CTX0 + " Token {hex12} revoked",
                "keystone.common.fernet_utils "
                + _CTX0
                + " Starting key rotation with {n} key files: ['/etc/keystone/fernet-keys/0', '/etc/keystone/fernet-keys/1']",
                "keystone.common.fernet_utils " + _CTX0 + " Created a new temporary key: /etc/keystone/fernet-keys/0.tmp",
                "keystone.server.flask.application " + _CTX0 + " Loaded {n} domain configuration files",
            ],
            "U": [
                "keystone.notifications " + _CTX + " created user {hex32} ({person}) in domain default",
                "keystone.identity.core " + _CTX + " User {person} changed password",
                "keystone.assignment.core " + _CTX + " Granted role member to user {hex32} on project {hex32}",
            ],
            "S": [
                "keystone.auth.core " + _CTX0 + " Authorization failed. The request you have made requires authentication. from {ip}",
                "keystone.common.wsgi " + _CTX0 + " Authorization failed. Invalid username or password (HTTP 401) from {ip}",
                "keystone.identity.backends.sql " + _CTX0 + " The account is locked for user: {hex32}.",
                "keystone.common.rbac_enforcer.enforcer "
                + _CTX
                + " RBAC: Authorization failed: You are not authorized to perform the requested action: identity:create_user for {ip}",
                "keystone.token.provider " + _CTX0 + " Failed to validate token: The request you have made requires authentication.",
            ],
            "D": [
                "keystone.conf "
                + _CTX0
                + ' Option "memcache_servers" from group "token" is deprecated for removal. Its value may be silently ignored in the future.',
                "keystone.common.sql " + _CTX0 + " The v2.0 API is deprecated as of Queens and will be removed in a future release.",
            ],
            "E": [
                "keystone.common.wsgi " + _CTX0 + " (pymysql.err.OperationalError) (2013, 'Lost connection to MySQL server during query')",
                "keystone.common.fernet_utils "
                + _CTX0
                + " Either [fernet_tokens] key_repository does not exist or Keystone does not have sufficient permission to access it: /etc/keystone/fernet-keys/",
            ],
        },
    ),
    Family(
        "cinder-glance",
        "openstack",
        2.5,
        {
            "N": [
                "cinder.volume.manager "
                + _CTX
                + " Volume {uuid}: being created as raw with specification: {{'status': 'creating', 'volume_size': {n}}}",
                "cinder.volume.manager " + _CTX + " Created volume successfully.",
                "cinder.volume.manager " + _CTX + " Deleted volume successfully.",
                "cinder.volume.manager " + _CTX + " Attach volume completed successfully.",
                "cinder.volume.manager " + _CTX + " Detach volume completed successfully.",
                "cinder.volume.manager " + _CTX + " Create snapshot completed successfully",
                "cinder.scheduler.host_manager " + _CTX0 + " Removing non-active host: {host}@lvm#LVM from scheduler cache.",
                "glance.api.v2.images " + _CTX + " Image {uuid} uploaded successfully",
                "glance.registry.api.v1.images " + _CTX + " Updated metadata for image {uuid}",
                "glance.image_cache.pruner " + _CTX0 + " Image cache has free space, skipping prune...",
                "glance.api.middleware.version_negotiation " + _CTX0 + " Determining version of request: GET /v2/images Accept: */*",
            ],
            "E": [
                "cinder.volume.manager " + _CTX + " Failed to copy image {uuid} to volume: {uuid}",
                "cinder.volume.drivers.lvm "
                + _CTX
                + " Error creating iSCSI target, retrying creation for target: iqn.2010-10.org.openstack:volume-{uuid}",
                "cinder.scheduler.flows.create_volume "
                + _CTX
                + " Failed to run task cinder.scheduler.flows.create_volume.ScheduleCreateVolumeTask;volume:create: No valid backend was found.",
                "glance.api.v2.image_data " + _CTX + " Failed to upload image data due to HTTP error",
            ],
            "R": [
                "cinder.volume.drivers.lvm "
                + _CTX0
                + " Insufficient free space for volume creation on host {host}@lvm#LVM (requested / avail): {n}/{float}",
                "cinder.quota " + _CTX + " Quota exceeded for {hex32}, tried to create {n}G volume ({n}G of {n}G already consumed)",
                "glance.api.v2.images "
                + _CTX
                + " Denying attempt to upload image because it exceeds the quota: The size of the data {bytes} will exceed the limit. {bytes} bytes remaining.",
            ],
            "C": [
                "cinder.volume.manager " + _CTX0 + " Unable to access the backend storage via the path /dev/{dev}: volume service is down",
                "glance.store.filesystem "
                + _CTX0
                + " Image {uuid} checksum mismatch: image data is corrupted on store file:///var/lib/glance/images/",
            ],
        },
    ),
]

FAMILIES = OPENSTACK
