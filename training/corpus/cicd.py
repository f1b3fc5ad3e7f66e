"""CI/CD: GitLab Runner, the GitHub Actions runner, Argo CD, Tekton and Flux.

Jobs picked up, steps run, syncs and reconciliations completed are routine. A job or step that failed,
a sync that failed or an image that could not be pulled is an Error: the pipeline system goes on. The
runner or controller crashing, its state store corrupted, or every runner offline is a Critical Error.
A person's manual trigger, approval or rollback is User Action; a token rejected is a Security Alert.
"""

from training.corpus.family import Family

PROJ = ["platform/api", "web/frontend", "data/etl", "infra/terraform", "mobile/app"]
APP = ["checkout", "payments-api", "frontend", "ledger", "search", "notifications"]

CICD = [
    Family(
        "gitlab-runner",
        "cicd",
        2.5,
        {
            "N": [
                "Checking for jobs... received                       job={big} repo_url=https://gitlab.example.com/{proj}.git runner={hex8}",
                "Job succeeded                                       duration_s={float} job={big} project={n} runner={hex8}",
                "Appending trace to coordinator...ok                 code=202 job={big} job-log=0-{big} job-status=running runner={hex8} sent-log=0-{big} status=202 Accepted",
                "Updating job...                                     bytesize={big} checksum=crc32:{hex8} job={big} runner={hex8}",
                "Submitting job to coordinator...ok                  bytesize={big} code=200 job={big} job-status=success runner={hex8}",
                "Configuration loaded                                builds=0 max_builds={n}",
                "Starting multi-runner from /etc/gitlab-runner/config.toml...  builds=0 max_builds={n}",
                "Runner registered successfully. Feel free to start it",
                "Using Docker executor with image {gimage} ...",
                "Pulling docker image {gimage} ...",
                "Created cache",
                "Uploading artifacts for successful job",
                "Cleaning up project directory and file based variables",
            ],
            "E": [
                "Job failed: exit code 1                             duration_s={float} job={big} project={n} runner={hex8}",
                "Job failed (system failure): prepare environment: Error response from daemon: pull access denied for {gimage}, repository does not exist",
                "ERROR: Job failed: execution took longer than 1h0m0s seconds",
                'WARNING: Failed to pull image with policy "always": Error response from daemon: manifest for {gimage} not found',
                'ERROR: Uploading artifacts as "archive" to coordinator... too large archive  id={big} responseStatus=413 Request Entity Too Large',
                "ERROR: Checking for jobs... forbidden               runner={hex8} status=403 Forbidden",
                "WARNING: Appending trace to coordinator... failed   code=502 job={big} runner={hex8} status=502 Bad Gateway",
                "ERROR: Failed to remove network for build        error=Error response from daemon: network has active endpoints",
            ],
            "C": [
                "FATAL: failed to load config: open /etc/gitlab-runner/config.toml: permission denied; runner cannot start",
                "panic: runtime error: invalid memory address or nil pointer dereference; gitlab-runner crashed, all running jobs lost",
                "FATAL: the runner token is invalid and all {n} runners of the instance are offline; no job can run",
            ],
            "S": [
                "ERROR: Verifying runner... is not valid            runner={hex8} status=403 Forbidden: token revoked",
                "WARNING: job {big} tried to access a protected variable from an unprotected branch; access denied",
            ],
            "R": [
                "WARNING: Concurrent job limit reached (concurrent={n}); {n} jobs waiting",
                "Docker executor: disk usage of /var/lib/docker at {pct}%, pruning build caches",
            ],
            "D": [
                'WARNING: The "docker+machine" executor is deprecated and will be removed in GitLab 17.0; use the GitLab Runner Autoscaler',
                "WARNING: Registration tokens are deprecated and will be removed in GitLab 18.0; use runner authentication tokens",
            ],
        },
        words={
            "proj": PROJ,
            "gimage": ["ruby:3.2", "node:20-alpine", "python:3.12-slim", "registry.example.com/ci/build:latest", "golang:1.22"],
        },
    ),
    Family(
        "github-actions-runner",
        "cicd",
        2.0,
        {
            "N": [
                "Listening for Jobs",
                "Running job: {ghjob}",
                "Job {ghjob} completed with result: Succeeded",
                "Current runner version: '2.{n}.{n}'",
                "Runner successfully added",
                "Connected to GitHub",
                "##[group]Run actions/checkout@v4",
                "Post job cleanup.",
                "Cleaning up orphan processes",
                "Download action repository 'actions/setup-node@v4' (SHA:{hex32})",
                "Uploading artifact '{ghart}' ({size}) succeeded",
            ],
            "E": [
                "Job {ghjob} completed with result: Failed",
                "##[error]Process completed with exit code 1.",
                "##[error]The operation was canceled.",
                "##[error]Unable to resolve action `actions/cache@v9`, unable to find version `v9`",
                "##[error]The job running on runner {host} has exceeded the maximum execution time of 360 minutes.",
                "##[error]Failed to download artifact '{ghart}': Unable to find any artifacts for the associated workflow",
                "Runner connect error: The HTTP request timed out after 00:01:40.. Retrying until reconnected.",
            ],
            "C": [
                "Unhandled exception in Runner.Listener: fatal error, the runner service stopped and will not restart; in-progress jobs lost",
                "Runner.Listener crashed: System.IO.IOException: No space left on device; the runner cannot start again",
                "Failed to create a session. The runner registration has been deleted from the server, please re-configure. Runner listener exit with terminated error",
            ],
            "S": [
                "##[error]Resource not accessible by integration: token permissions do not allow write to contents",
                "Http response code: Unauthorized from 'POST https://api.github.com/actions/runner-registration'",
            ],
            "U": [
                "Workflow '{ghjob}' run {big} was manually triggered by {person}",
                "Deployment to environment 'production' approved by {person}",
            ],
            "D": [
                "##[warning]The `set-output` command is deprecated and will be disabled soon. Please upgrade to using Environment Files.",
                "##[warning]Node.js 16 actions are deprecated. Please update the following actions to use Node.js 20: actions/checkout@v3",
            ],
        },
        words={
            "ghjob": ["build", "test (ubuntu-latest, 3.12)", "lint", "deploy", "e2e"],
            "ghart": ["dist", "coverage-report", "test-results"],
        },
    ),
    Family(
        "argocd",
        "cicd",
        2.5,
        {
            "N": [
                'time="{iso}" level=info msg="Reconciliation completed" application=argocd/{app} dedup_ms=0 dest-name= dest-namespace={app} dest-server="https://kubernetes.default.svc" fields.level=1 time_ms={ms}',
                'time="{iso}" level=info msg="Sync operation to {hex12} succeeded" application={app} dest-namespace={app}',
                'time="{iso}" level=info msg="Updated sync status: OutOfSync -> Synced" application={app}',
                'time="{iso}" level=info msg="Updated health status: Progressing -> Healthy" application={app}',
                'time="{iso}" level=info msg="Refreshing app status (controller refresh requested), level (1)" application=argocd/{app}',
                'time="{iso}" level=info msg="Start syncing application" application={app}',
                'time="{iso}" level=info msg="Initiated automated sync to \'{hex12}\'" application={app}',
                'time="{iso}" level=info msg="git fetch origin --tags --force --prune" dir=/tmp/_argocd-repo/{uuid} execID={hex8}',
                'time="{iso}" level=info msg="manifest cache hit: &ApplicationSource{{RepoURL:https://git.example.com/deploy.git,Path:apps/{app}}}"',
            ],
            "U": [
                'time="{iso}" level=info msg="admin {person} initiated sync to HEAD" application={app} dest-namespace={app}',
                'time="{iso}" level=info msg="{person} rolled back application to revision {n}" application={app}',
                'time="{iso}" level=info msg="user {person} logged in via SSO"',
            ],
            "E": [
                'time="{iso}" level=info msg="Sync operation to {hex12} failed: one or more objects failed to apply, reason: Deployment.apps \\"{app}\\" is invalid" application={app}',
                'time="{iso}" level=error msg="Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = helm template . failed exit status 1" application={app}',
                'time="{iso}" level=info msg="Updated health status: Healthy -> Degraded" application={app}',
                'time="{iso}" level=error msg="ComparisonError: failed to load initial state of resource Ingress.networking.k8s.io: the server could not find the requested resource" application={app}',
                'time="{iso}" level=warning msg="Failed to fetch repository https://git.example.com/deploy.git: authentication required" application={app}',
            ],
            "C": [
                'time="{iso}" level=fatal msg="cannot connect to redis argocd-redis:6379: application controller cannot start"',
                'time="{iso}" level=fatal msg="the argocd-cm ConfigMap is corrupted: unable to unmarshal; all applications stopped reconciling"',
                'time="{iso}" level=error msg="Sync deleted all {n} resources of application {app} after the manifest rendered empty; the service is down" application={app}',
            ],
            "S": [
                'time="{iso}" level=warning msg="user {user} is not permitted to sync application {app}: permission denied" grpc.code=PermissionDenied',
                'time="{iso}" level=warning msg="invalid session: token signature is invalid" grpc.method=List',
            ],
            "D": [
                'time="{iso}" level=warning msg="The repositories field of argocd-cm is deprecated and will be removed; use Secret-based repositories"',
            ],
        },
        words={"app": APP},
    ),
    Family(
        "tekton",
        "cicd",
        1.5,
        {
            "N": [
                '{{"level":"info","ts":"{iso}","logger":"tekton-pipelines-controller","caller":"pipelinerun/pipelinerun.go:{n}","msg":"PipelineRun {app}-run-{hex8} status is being set to &{{Succeeded True Completed}}","knative.dev/controller":"PipelineRun"}}',
                '{{"level":"info","ts":"{iso}","logger":"tekton-pipelines-controller","msg":"Creating a new TaskRun object {app}-run-{hex8}-build","knative.dev/controller":"PipelineRun"}}',
                '{{"level":"info","ts":"{iso}","logger":"tekton-pipelines-controller","msg":"Successfully reconciled taskrun {app}-run-{hex8}-test/ci with status: &apis.Condition{{Type:\\"Succeeded\\", Status:\\"True\\"}}"}}',
                '{{"level":"info","ts":"{iso}","logger":"tekton-pipelines-webhook","msg":"Webhook ServeHTTP request=&http.Request{{Method:\\"POST\\"}}"}}',
            ],
            "E": [
                '{{"level":"error","ts":"{iso}","logger":"tekton-pipelines-controller","msg":"Reconcile error","knative.dev/key":"ci/{app}-run-{hex8}","error":"TaskRun {app}-run-{hex8}-test has failed: \\"step-unit\\" exited with code 1"}}',
                '{{"level":"error","ts":"{iso}","logger":"tekton-pipelines-controller","msg":"Failed to create TaskRun {app}-run-{hex8}-push: pods \\"{app}-push-pod\\" is forbidden: exceeded quota"}}',
                '{{"level":"warn","ts":"{iso}","logger":"tekton-pipelines-controller","msg":"TaskRun {app}-run-{hex8}-build timed out after 1h0m0s"}}',
            ],
            "C": [
                '{{"level":"fatal","ts":"{iso}","logger":"tekton-pipelines-controller","msg":"Failed to start informers: the server could not find the requested resource (get pipelineruns.tekton.dev); controller exiting"}}',
            ],
            "D": [
                '{{"level":"warn","ts":"{iso}","logger":"tekton-pipelines-webhook","msg":"tekton.dev/v1beta1 PipelineRun is deprecated and will be removed; use tekton.dev/v1"}}',
            ],
        },
        words={"app": APP},
    ),
    Family(
        "flux",
        "cicd",
        1.5,
        {
            "N": [
                '{{"level":"info","ts":"{iso}","msg":"stored artifact for commit \'Merge pull request #{n}\'","controller":"gitrepository","name":"flux-system"}}',
                '{{"level":"info","ts":"{iso}","msg":"server-side apply completed","controller":"kustomization","name":"{app}","revision":"main@sha1:{hex12}"}}',
                '{{"level":"info","ts":"{iso}","msg":"Reconciliation finished in {dur}, next run in 10m0s","controller":"kustomization","name":"{app}"}}',
                '{{"level":"info","ts":"{iso}","msg":"release {app} upgraded to chart version {ver}","controller":"helmrelease","name":"{app}"}}',
            ],
            "E": [
                '{{"level":"error","ts":"{iso}","msg":"Reconciliation failed after {dur}, next try in 5m0s","controller":"kustomization","name":"{app}","error":"Deployment/{app} dry-run failed: spec.template.spec.containers[0].image: Required value"}}',
                '{{"level":"error","ts":"{iso}","msg":"failed to checkout and determine revision: unable to clone \'https://git.example.com/fleet.git\': context deadline exceeded","controller":"gitrepository"}}',
                '{{"level":"error","ts":"{iso}","msg":"Helm upgrade failed: timed out waiting for the condition; rollback to previous release succeeded","controller":"helmrelease","name":"{app}"}}',
            ],
            "C": [
                '{{"level":"error","ts":"{iso}","msg":"Helm rollback failed: release {app} has no deployed releases; the service has no running pods","controller":"helmrelease","name":"{app}"}}',
            ],
        },
        words={"app": APP},
    ),
]

FAMILIES = CICD
