"""Kubernetes (kubelet, control plane, events) and Docker/containerd daemons, klog or logfmt bodies with
the `I0124 12:00:00.000000 pid file.go:line]` header removed, and the Falco runtime-security daemon.
Container and pod lifecycle is routine. The API server's audit.k8s.io events are labelled by who acted:
a person's change is User Action, a controller's bookkeeping System Notification, an anonymous request
refused Security Alert."""

from training.corpus.family import Family

_POD = "{ns}/{app}-{hex8}-{pod5}"

CONTAINERS = [
    Family(
        "kubelet",
        "containers",
        5.0,
        {
            "N": [
                '"SyncLoop ADD" source="api" pods=["' + _POD + '"]',
                '"SyncLoop DELETE" source="api" pods=["' + _POD + '"]',
                '"SyncLoop (PLEG): event for pod" pod="' + _POD + '" event={{ID:{uuid} Type:ContainerStarted Data:{hex64}}}',
                '"SyncLoop (probe)" probe="readiness" status="ready" pod="' + _POD + '"',
                '"Killing container with a grace period" pod="'
                + _POD
                + '" podUID={uuid} containerName="{app}" containerID="containerd://{hex64}" gracePeriod=30',
                '"Successfully pulled image" image="{image}" size={bytes} duration="{dur}"',
                '"Pulling image" image="{image}"',
                '"RemoveContainer" containerID="{hex64}"',
                '"operationExecutor.MountVolume started for volume" volumeName="kubernetes.io/projected/{uuid}-kube-api-access-{pod5}" pod="'
                + _POD
                + '"',
                '"MountVolume.SetUp succeeded for volume" volumeName="kubernetes.io/configmap/{uuid}-config" pod="' + _POD + '"',
                '"Started container" containerName="{app}" pod="' + _POD + '"',
                '"Created container" containerName="{app}" pod="' + _POD + '"',
                '"Node became ready" node="{host}"',
                '"Successfully registered node" node="{host}"',
                '"Image garbage collection succeeded"',
            ],
            "E": [
                '"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"{svc}\\" with ImagePullBackOff" pod="default/{svc}-{hex8}"',
                '"Probe failed" probeType="Readiness" pod="default/{svc}-{hex8}" containerName="{svc}" probeResult="failure" output="HTTP probe failed with statuscode: 503"',
                '"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"{app}\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container={app} pod='
                + _POD
                + '\\"" pod="'
                + _POD
                + '"',
                '"Failed to pull image" image="{image}" err="rpc error: code = NotFound desc = failed to pull and unpack image"',
                '"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"{app}\\" with ErrImagePull" pod="' + _POD + '"',
                '"Probe failed" probeType="Liveness" pod="'
                + _POD
                + '" containerName="{app}" probeResult="failure" output="Get \\"http://{ip}:8080/healthz\\": dial tcp {ip}:8080: connect: connection refused"',
                '"Probe failed" probeType="Readiness" pod="'
                + _POD
                + '" containerName="{app}" probeResult="failure" output="HTTP probe failed with statuscode: 503"',
                '"Unable to attach or mount volumes for pod; skipping pod" err="unmounted volumes=[data], unattached volumes=[data]: timed out waiting for the condition" pod="'
                + _POD
                + '"',
                '"Failed to get status for pod" podUID={uuid} pod="' + _POD + '" err="context deadline exceeded"',
            ],
            "R": [
                '"Eviction manager: attempting to reclaim" resourceName="memory"',
                '"Eviction manager: attempting to reclaim" resourceName="ephemeral-storage"',
                '"Eviction manager: pods ranked for eviction" pods=["' + _POD + '"]',
                '"Disk usage on image filesystem is over the high threshold, trying to free bytes down to the low threshold" usage={pct} highThreshold=85 amountToFree={bytes} lowThreshold=80',
                '"Container exceeded its local ephemeral storage limit" pod="' + _POD + '" limit="{size}"',
                '"Node has insufficient memory" node="{host}" available="{size}" capacity="{size}"',
            ],
            "C": [
                '"Container runtime not ready" err="container runtime is down"; node NotReady, all pods on the node are being evicted',
                '"Failed to start ContainerManager" err="cannot set up cgroups: read-only file system"; kubelet exiting',
                '"Container runtime network not ready" networkReady="NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized"',
                '"Failed to run kubelet" err="failed to run Kubelet: validate service connection: CRI v1 runtime API is not implemented for endpoint \\"unix:///run/containerd/containerd.sock\\""',
                '"Node is NotReady" node="{host}" condition="Ready" status="Unknown" reason="NodeStatusUnknown" message="Kubelet stopped posting node status."',
            ],
        },
        words={
            "ns": ["default", "kube-system", "monitoring", "payments", "ingress-nginx", "prod", "staging"],
            "app": ["api", "web", "worker", "coredns", "prometheus", "nginx-ingress-controller", "redis", "checkout", "frontend"],
            "pod5": ["x7k2p", "bq9zt", "m4hfd", "ptc8w", "z2lrn", "dd7qs"],
            "image": [
                "docker.io/library/nginx:1.25",
                "registry.k8s.io/pause:3.9",
                "ghcr.io/example/api:v2",
                "quay.io/prometheus/prometheus:latest",
                "redis:7-alpine",
            ],
        },
    ),
    Family(
        "kube-control-plane",
        "containers",
        3.0,
        {
            "H": [
                '"HTTP" verb="GET" URI="/api/v1/namespaces/{ns}/pods?limit=500" latency="{dur}" userAgent="kubectl/v1.29.0" audit-ID="{uuid}" srcIP="{ip}:{port}" resp={status}',
                '"HTTP" verb="LIST" URI="/apis/apps/v1/deployments" latency="{dur}" userAgent="kube-controller-manager/v1.29.0" srcIP="{ip}:{port}" resp={status}',
            ],
            "N": [
                '{{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"{uuid}","stage":"ResponseComplete","requestURI":"/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler","verb":"update","user":{{"username":"system:kube-scheduler","groups":["system:authenticated"]}},"sourceIPs":["{ip}"],"userAgent":"kube-scheduler/v1.29.0","objectRef":{{"resource":"leases","namespace":"kube-system","name":"kube-scheduler"}},"responseStatus":{{"metadata":{{}},"code":200}}}}',
                '{{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"{uuid}","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/{ns}/endpoints/{app}","verb":"get","user":{{"username":"system:serviceaccount:kube-system:endpoint-controller","groups":["system:serviceaccounts"]}},"sourceIPs":["{ip}"],"userAgent":"kube-controller-manager/v1.29.0","objectRef":{{"resource":"endpoints","namespace":"{ns}","name":"{app}"}},"responseStatus":{{"metadata":{{}},"code":200}}}}',
                '"Successfully assigned pod to node" pod="' + _POD + '" node="{host}"',
                "Scaled up replica set {app}-{hex8} to {n}",
                "Scaled down replica set {app}-{hex8} to {n}",
                "Created pod: {app}-{hex8}-{pod5}",
                "Deleted pod: {app}-{hex8}-{pod5}",
                '"Event occurred" object="' + _POD + '" kind="Pod" apiVersion="v1" type="Normal" reason="Scheduled"',
                "successfully acquired lease kube-system/kube-controller-manager",
                "Job completed: {ns}/{app}-backup-{big}",
                "Created job {app}-backup-{big}",
                "Saw completed job: {app}-backup-{big}, status: Complete",
            ],
            "E": [
                '"Unable to schedule pod; no fit; waiting" pod="'
                + _POD
                + '" err="0/{n} nodes are available: {n} Insufficient cpu. preemption: 0/{n} nodes are available"',
                "Job has reached the specified backoff limit: {ns}/{app}-backup-{big}",
                'Error creating: pods "{app}-{hex8}-" is forbidden: exceeded quota: compute-resources, requested: limits.memory={size}',
                'Failed to update lock: Operation cannot be fulfilled on leases.coordination.k8s.io "kube-scheduler": the object has been modified',
                '"Error syncing deployment" deployment="{ns}/{app}" err="Operation cannot be fulfilled on deployments.apps"',
            ],
            "S": [
                '{{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"{uuid}","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/{ns}/secrets","verb":"list","user":{{"username":"system:anonymous","groups":["system:unauthenticated"]}},"sourceIPs":["{ip}"],"userAgent":"curl/8.5.0","objectRef":{{"resource":"secrets","namespace":"{ns}","name":""}},"responseStatus":{{"metadata":{{}},"status":"Failure","reason":"Forbidden","code":403}}}}',
                "Unable to authenticate the request due to an error: [invalid bearer token, square/go-jose: error in cryptographic primitive]",
                'RBAC: access denied: user "system:serviceaccount:{ns}:default" cannot list resource "secrets" in API group "" at the cluster scope',
                '"Unable to authenticate the request" err="x509: certificate signed by unknown authority" srcIP="{ip}:{port}"',
            ],
            "C": [
                "leaderelection lost",
                "etcdserver: mvcc: database space exceeded",
                '"etcd cluster is unavailable or misconfigured" error="context deadline exceeded"',
            ],
            "D": [
                "policy/v1beta1 PodSecurityPolicy is deprecated in v1.21+, unavailable in v1.25+",
                "batch/v1beta1 CronJob is deprecated in v1.21+, unavailable in v1.25+; use batch/v1 CronJob",
                "autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated in v1.23+, unavailable in v1.26+; use autoscaling/v2 HorizontalPodAutoscaler",
            ],
            "U": [
                '{{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"{uuid}","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/{ns}/pods/{app}-{hex8}-{pod5}","verb":"delete","user":{{"username":"{person}@example.com","groups":["system:authenticated"]}},"sourceIPs":["{ip}"],"userAgent":"kubectl/v1.29.0","objectRef":{{"resource":"pods","namespace":"{ns}","name":"{app}-{hex8}-{pod5}"}},"responseStatus":{{"metadata":{{}},"code":200}}}}',
                '{{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"{uuid}","stage":"ResponseComplete","requestURI":"/apis/apps/v1/namespaces/{ns}/deployments/{app}","verb":"update","user":{{"username":"{person}@example.com","groups":["system:authenticated"]}},"sourceIPs":["{ip}"],"userAgent":"kubectl/v1.29.0","objectRef":{{"resource":"deployments","namespace":"{ns}","name":"{app}"}},"responseStatus":{{"metadata":{{}},"code":200}}}}',
                '{{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"{uuid}","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/{ns}/secrets","verb":"create","user":{{"username":"{person}@example.com","groups":["system:authenticated"]}},"sourceIPs":["{ip}"],"userAgent":"kubectl/v1.29.0","objectRef":{{"resource":"secrets","namespace":"{ns}","name":"{app}-credentials"}},"responseStatus":{{"metadata":{{}},"code":201}}}}',
                '"Audit" user="{person}@example.com" verb="create" resource="deployments" namespace="{ns}" name="{app}" response=201',
                '"Audit" user="{person}@example.com" verb="patch" resource="configmaps" namespace="{ns}" name="{app}-config" response=200',
            ],
        },
        words={
            "ns": ["default", "kube-system", "monitoring", "payments", "prod"],
            "app": ["api", "web", "worker", "checkout", "frontend", "reports"],
            "pod5": ["x7k2p", "bq9zt", "m4hfd", "ptc8w"],
        },
    ),
    Family(
        "dockerd",
        "containers",
        3.0,
        {
            "N": [
                'level=info msg="Loading containers: start."',
                'level=info msg="Loading containers: done."',
                'level=info msg="Docker daemon" commit={hex8} containerd-snapshotter=false storage-driver=overlay2 version={ver}',
                'level=info msg="Daemon has completed initialization"',
                'level=info msg="API listen on /run/docker.sock"',
                'level=info msg="ignoring event" container={hex64} module=libcontainerd namespace=moby topic=/tasks/delete type="*events.TaskDelete"',
                'level=info msg="Container {hex64} failed to exit within 10 seconds of signal 15 - using the force"',
                'level=info msg="Pulling image {image}"',
                'level=info msg="Layer sha256:{hex64} cleaned up"',
                "level=info msg=\"Processing signal 'terminated'\"",
                'level=info msg="stopping event stream following graceful shutdown" error="<nil>" module=libcontainerd namespace=moby',
                'level=info msg="starting signal loop" namespace=moby path=/run/containerd/io.containerd.runtime.v2.task/moby/{hex64} pid={pid} runtime=io.containerd.runc.v2',
                'level=info msg="shim disconnected" id={hex64} namespace=moby',
                'level=info msg="cleaning up dead shim" namespace=moby',
            ],
            "E": [
                'level=error msg="Handler for POST /v1.43/containers/{hex64}/start returned error: driver failed programming external connectivity on endpoint {app}: Bind for 0.0.0.0:{port} failed: port is already allocated"',
                'level=error msg="Not continuing with pull after error: manifest unknown: manifest unknown"',
                'level=error msg="Error response from daemon: No such container: {hex12}"',
                'level=warning msg="error locating sandbox id {hex64}: sandbox {hex64} not found"',
                'level=error msg="stream copy error: reading from a closed fifo"',
                'level=error msg="failed to start daemon: error initializing graphdriver: driver not supported"',
            ],
            "R": [
                'level=error msg="Error writing to layer: write /var/lib/docker/overlay2/{hex64}/diff/{file}: no space left on device"',
                'level=warning msg="Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap."',
            ],
            "C": [
                'level=info msg="OOM killed container" container={hex64} memory_limit={bytes}',
            ],
            "D": [
                'level=warning msg="[DEPRECATION NOTICE]: API is accessible on http://0.0.0.0:2375 without encryption."',
                'level=warning msg="The \\"devicemapper\\" storage-driver is deprecated, and will be removed in a future release."',
                'level=warning msg="[DEPRECATION NOTICE] Docker Image Format v1 and Docker Image manifest version 2, schema 1 support is disabled by default and will be removed in an upcoming release."',
            ],
            "S": [
                'level=warning msg="Unauthorized access attempt to Docker API from {ip}:{port}: client certificate required"',
            ],
        },
        words={"image": ["nginx:latest", "postgres:16", "ghcr.io/example/api:v2", "redis:7"], "app": ["web", "api", "db", "proxy"]},
    ),
    Family(
        "containerd",
        "containers",
        2.0,
        {
            "N": [
                'level=info msg="CreateContainer within sandbox \\"{hex64}\\" for container &ContainerMetadata{{Name:{app},Attempt:0,}}"',
                'level=info msg="StartContainer for \\"{hex64}\\" returns successfully"',
                'level=info msg="RunPodSandbox for &PodSandboxMetadata{{Name:{app}-{pod5},Uid:{uuid},Namespace:{ns},Attempt:0,}} returns sandbox id \\"{hex64}\\""',
                'level=info msg="StopPodSandbox for \\"{hex64}\\" returns successfully"',
                'level=info msg="TearDown network for sandbox \\"{hex64}\\" successfully"',
                'level=info msg="ImageCreate event &ImageCreate{{Name:{image},Labels:map[string]string{{}},}}"',
                'level=info msg="PullImage \\"{image}\\" returns image reference \\"sha256:{hex64}\\""',
                'level=info msg="loading plugin \\"io.containerd.snapshotter.v1.overlayfs\\"..." type=io.containerd.snapshotter.v1',
                'level=info msg="containerd successfully booted in {float}s"',
            ],
            "E": [
                'level=error msg="StopPodSandbox for \\"{hex64}\\" failed" error="failed to destroy network for sandbox: plugin type=\\"calico\\" failed (delete): error getting ClusterInformation: connection is unauthorized"',
                'level=error msg="PullImage \\"{image}\\" failed" error="failed to pull and unpack image: failed to resolve reference: unexpected status from HEAD request: 401 Unauthorized"',
                'level=error msg="ContainerStatus for \\"{hex64}\\" failed" error="rpc error: code = NotFound desc = an error occurred when try to find container"',
            ],
            "C": [
                'level=fatal msg="Failed to run CRI service" error="failed to recover state: failed to reserve sandbox name"',
                'level=fatal msg="containerd: failed to load TOML: /etc/containerd/config.toml: invalid plugin key URI \\"cri\\""',
            ],
        },
        words={
            "ns": ["default", "kube-system", "prod"],
            "app": ["api", "web", "coredns", "kube-proxy"],
            "pod5": ["x7k2p", "bq9zt"],
            "image": ["registry.k8s.io/pause:3.9", "docker.io/calico/node:v3.27.0", "ghcr.io/example/api:v2"],
        },
    ),
    Family(
        "falco",
        "containers",
        1.5,
        {
            "S": [
                "Notice A shell was spawned in a container with an attached terminal (user=root user_loginuid=-1 k8s.ns={ns} k8s.pod={app}-{hex8}-{pod5} container={hex12} shell=bash parent=runc cmdline=bash terminal=34816 container_id={hex12} image={image})",
                "Warning Sensitive file opened for reading by non-trusted program (user=root user_loginuid=-1 program=cat command=cat /etc/shadow pid={pid} file=/etc/shadow parent=bash gparent=runc container_id={hex12} image={image})",
                "Error File below /etc opened for writing (user=root user_loginuid=-1 command=touch /etc/{etcfile} pid={pid} parent=bash pcmdline=bash file=/etc/{etcfile} program=touch container_id={hex12} image={image})",
                "Critical Detect outbound connections to common miner pool ports (command=xmrig -o {ip}:3333 pid={pid} connection={ip}:{port}->{ip}:3333 user=root container_id={hex12} image={image})",
                "Notice Unexpected connection to K8s API Server from container (command=curl https://kubernetes.default/api pid={pid} k8s.ns={ns} k8s.pod={app}-{hex8}-{pod5} container={hex12} image={image} connection={ip}:{port}->{ip}:443)",
                "Critical Drop and execute new binary in container (proc_exepath=/tmp/{dropped} user=root command={dropped} pid={pid} parent=sh container_id={hex12} image={image})",
                "Notice Packet socket created in container (user=root command=tcpdump -i eth0 pid={pid} container_id={hex12} image={image})",
            ],
            "N": [
                "Falco version: {ver} (x86_64)",
                "Falco initialized with configuration file: /etc/falco/falco.yaml",
            ],
            "E": [
                "Error: could not initialize inspector: error opening device /host/dev/falco0. Make sure you have root credentials and that the falco module is loaded",
                "Runtime error: Could not load rules file /etc/falco/rules.d/custom_rules.yaml: 1 errors: LOAD_ERR_YAML_VALIDATE",
            ],
        },
        words={
            "ns": ["default", "payments", "prod", "ci"],
            "app": ["api", "web", "worker", "checkout"],
            "pod5": ["x7k2p", "bq9zt", "m4hfd", "ptc8w"],
            "image": ["docker.io/library/nginx:1.25", "docker.io/library/redis:7.2", "ghcr.io/acme/api:2.3.1", "python:3.11-slim"],
            "etcfile": ["passwd", "shadow", "crontab", "hosts", "sudoers"],
            "dropped": ["kinsing", "xmrig", "payload", "kdevtmpfsi"],
        },
    ),
]

FAMILIES = CONTAINERS
