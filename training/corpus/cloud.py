"""Cloud and SaaS audit trails: AWS CloudTrail, Amazon GuardDuty findings, the Okta system log, GitHub's
organisation audit log and Atlassian Jira's audit log. Most of their records are what a person did (User
Action); failed or suspicious sign-ins and findings are Security Alert; the platforms' own jobs are System
Notification."""

from training.corpus.family import Family

REGION = ["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2"]
BUCKET = ["prod-backups", "analytics-raw", "static-assets", "billing-exports"]
ROLE = ["AdminRole", "ReadOnly", "DeployRole", "BreakGlass"]
REPO = ["platform/api", "platform/web", "infra/terraform", "data/pipelines"]
JIRA_PROJECT = ["OPS", "WEB", "PAY", "HR"]

_CT = '{{"eventVersion":"1.08","userIdentity":{{"type":"IAMUser","userName":"{user}"}},"eventTime":"{iso}","eventSource":"{src}","eventName":"{name}","awsRegion":"{region}","sourceIPAddress":"{ip}"'

FAMILIES = [
    Family(
        "cloudtrail",
        "cloud",
        2.0,
        {
            "U": [
                _CT.format(user="{user}", iso="{iso}", src="signin.amazonaws.com", name="ConsoleLogin", region="{region}", ip="{ip}")
                + ',"responseElements":{{"ConsoleLogin":"Success"}},"additionalEventData":{{"MFAUsed":"Yes"}}}}',
                _CT.format(user="{user}", iso="{iso}", src="iam.amazonaws.com", name="CreateUser", region="{region}", ip="{ip}")
                + ',"requestParameters":{{"userName":"{person}"}}}}',
                _CT.format(user="{user}", iso="{iso}", src="iam.amazonaws.com", name="AttachUserPolicy", region="{region}", ip="{ip}")
                + ',"requestParameters":{{"userName":"{person}","policyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}}}}',
                _CT.format(user="{user}", iso="{iso}", src="s3.amazonaws.com", name="DeleteBucket", region="{region}", ip="{ip}")
                + ',"requestParameters":{{"bucketName":"{bucket}"}}}}',
                _CT.format(user="{user}", iso="{iso}", src="ec2.amazonaws.com", name="StopInstances", region="{region}", ip="{ip}")
                + ',"requestParameters":{{"instancesSet":{{"items":[{{"instanceId":"i-{hex12}"}}]}}}}}}',
            ],
            "S": [
                _CT.format(user="{user}", iso="{iso}", src="signin.amazonaws.com", name="ConsoleLogin", region="{region}", ip="{ip}")
                + ',"errorMessage":"Failed authentication","responseElements":{{"ConsoleLogin":"Failure"}}}}',
                _CT.format(user="{user}", iso="{iso}", src="s3.amazonaws.com", name="GetObject", region="{region}", ip="{ip}")
                + ',"errorCode":"AccessDenied","errorMessage":"Access Denied"}}',
                _CT.format(user="{user}", iso="{iso}", src="cloudtrail.amazonaws.com", name="StopLogging", region="{region}", ip="{ip}")
                + ',"requestParameters":{{"name":"org-trail"}}}}',
            ],
            "N": [
                '{{"eventVersion":"1.08","userIdentity":{{"type":"AWSService","invokedBy":"autoscaling.amazonaws.com"}},"eventTime":"{iso}","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","awsRegion":"{region}"}}',
                '{{"eventVersion":"1.08","userIdentity":{{"type":"AssumedRole","arn":"arn:aws:sts::{big}:assumed-role/{role}/lambda"}},"eventTime":"{iso}","eventSource":"sts.amazonaws.com","eventName":"AssumeRole","awsRegion":"{region}","readOnly":true}}',
                '{{"eventVersion":"1.08","userIdentity":{{"type":"AWSService","invokedBy":"backup.amazonaws.com"}},"eventTime":"{iso}","eventSource":"rds.amazonaws.com","eventName":"CreateDBSnapshot","awsRegion":"{region}"}}',
            ],
            "E": [
                _CT.format(user="{user}", iso="{iso}", src="ec2.amazonaws.com", name="RunInstances", region="{region}", ip="{ip}")
                + ',"errorCode":"Client.InvalidParameterValue","errorMessage":"Invalid value for subnet"}}',
            ],
            "R": [
                _CT.format(user="{user}", iso="{iso}", src="ec2.amazonaws.com", name="RunInstances", region="{region}", ip="{ip}")
                + ',"errorCode":"Client.InstanceLimitExceeded","errorMessage":"You have requested more vCPU capacity than your current vCPU limit of {n} allows"}}',
            ],
        },
        words={"region": REGION, "bucket": BUCKET, "role": ROLE},
    ),
    Family(
        "guardduty",
        "cloud",
        1.0,
        {
            "S": [
                "Recon:EC2/Portscan: EC2 instance i-{hex12} is performing outbound port scans against remote host {ip}.",
                "UnauthorizedAccess:EC2/SSHBruteForce: {ip} is performing SSH brute force attacks against i-{hex12}.",
                "CryptoCurrency:EC2/BitcoinTool.B!DNS: EC2 instance i-{hex12} is querying a domain name that is associated with Bitcoin-related activity.",
                "UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B: Unusual console login was seen for principal {user}.",
                "Backdoor:EC2/C&CActivity.B!DNS: EC2 instance i-{hex12} is querying a domain name associated with a known command and control server.",
                "Policy:S3/BucketBlockPublicAccessDisabled: Amazon S3 Block Public Access was disabled for S3 bucket {bucket}.",
            ],
            "N": [
                "GuardDuty detector {hex32} enabled in {region}",
                "Findings export to s3://{bucket}/guardduty completed ({n} findings)",
                "Threat intel set {hex8} activated for detector {hex32}",
            ],
        },
        words={"region": REGION, "bucket": BUCKET},
    ),
    Family(
        "okta",
        "cloud",
        1.5,
        {
            "U": [
                'user.session.start SUCCESS actor={email} client.ipAddress={ip} displayMessage="User login to Okta"',
                'user.session.end SUCCESS actor={email} displayMessage="User logout from Okta"',
                'user.lifecycle.create SUCCESS actor={email} target={email} displayMessage="Create Okta user"',
                'user.account.update_profile SUCCESS actor={email} displayMessage="Update user profile for Okta"',
                'group.user_membership.add SUCCESS actor={email} target={email} displayMessage="Add user to group membership"',
                'user.mfa.factor.activate SUCCESS actor={email} displayMessage="Activate factor or authenticator"',
                'application.user_membership.add SUCCESS actor={email} target={email} displayMessage="Add user to application membership"',
            ],
            "S": [
                'user.session.start FAILURE actor={email} client.ipAddress={ip} reason=INVALID_CREDENTIALS displayMessage="User login to Okta"',
                'user.account.lock SUCCESS actor={email} displayMessage="Max sign in attempts exceeded"',
                'security.threat.detected SUCCESS client.ipAddress={ip} displayMessage="Request from suspicious actor"',
                'user.authentication.auth_via_mfa FAILURE actor={email} reason=INVALID_OTP displayMessage="Authentication of user via MFA"',
                'policy.evaluate_sign_on DENY actor={email} client.ipAddress={ip} displayMessage="Evaluation of sign-on policy"',
            ],
            "N": [
                'system.import.user_sync SUCCESS displayMessage="Import users from directory" imported={n}',
                'system.agent.ad.connect SUCCESS displayMessage="AD agent connected" host={host}',
                'app.oauth2.as.token.grant.access_token SUCCESS client={app} displayMessage="OAuth2 access token is granted"',
            ],
            "E": [
                'app.provisioning.push FAILURE target={email} app={app} reason="Target API returned 503; the push will be retried"',
                'system.import.user_sync FAILURE displayMessage="Import users from directory" reason="Connection timed out; the previous import is kept"',
                'system.import.user_sync FAILURE displayMessage="Import users from directory" reason="LDAP server unreachable"',
                'app.provisioning.push FAILURE target={email} app={app} reason="Could not create user in application: API rate limited"',
            ],
            "C": [
                'system.agent.ad.connect FAILURE displayMessage="All AD agents are down" reason="Delegated authentication unavailable: no user can sign in to any application"',
            ],
        },
        words={
            "email": ["alice@corp.example", "bob@corp.example", "carol@corp.example", "dave@corp.example"],
            "app": ["salesforce", "slack", "github", "aws"],
        },
    ),
    Family(
        "github-audit",
        "cloud",
        1.5,
        {
            "U": [
                "action=repo.create actor={user} repo={repo} visibility=private",
                "action=protected_branch.update actor={user} repo={repo} branch=main",
                "action=org.add_member actor={user} user={person} permission=member",
                "action=team.add_repository actor={user} team=platform repo={repo}",
                "action=pull_request.merge actor={user} repo={repo} pull_request_id={id}",
                "action=repo.access actor={user} repo={repo} visibility=public",
                "action=user.login actor={user} country_code=DE",
            ],
            "S": [
                'action=org.remove_member actor={user} user={person} reason="two-factor authentication not enabled"',
                "action=secret_scanning_alert.create repo={repo} secret_type=aws_access_key_id",
                "action=user.failed_login actor={user} country_code=RU",
                "action=personal_access_token.request_denied actor={user} org=acme",
            ],
            "N": [
                "action=workflows.completed_workflow_run repo={repo} workflow=ci conclusion=success",
                "action=dependabot_alerts.enable repo={repo}",
                "action=repository_vulnerability_alert.resolve repo={repo}",
                "action=hook.config_changed repo={repo} hook_id={id}",
            ],
            "E": [
                "action=workflows.completed_workflow_run repo={repo} workflow=deploy conclusion=failure",
                "action=hook.delivery_failed repo={repo} hook_id={id} status_code=502",
            ],
        },
        words={"repo": REPO},
    ),
    Family(
        "jira-audit",
        "cloud",
        1.0,
        {
            "U": [
                "User '{user}' created issue {jproj}-{id} in project {jproj}",
                "User '{user}' transitioned {jproj}-{id} from 'In Progress' to 'Done'",
                "User '{user}' assigned {jproj}-{id} to '{person}'",
                "User '{user}' added '{person}' to group 'jira-software-users'",
                "User '{user}' changed the permission scheme of project {jproj}",
                "User '{user}' logged in",
            ],
            "S": [
                "Failed login attempt for user '{user}' from {ip}",
                "User '{user}' was locked out after {n} failed login attempts",
            ],
            "N": [
                "Reindex of all issues completed in {dur}",
                "Scheduled job 'Mail Queue Service' completed",
                "Backup to /var/atlassian/application-data/jira/export/{date}.zip completed",
            ],
            "W": [
                "Automation rule 'Escalate overdue tickets' failed for {jproj}-{id}: could not transition issue: 'Escalated' is not a valid status",
                "Automation rule 'Assign to on-call' failed for {jproj}-{id}: no user in rotation could be assigned",
                "Post function 'Create invoice sub-task' failed on {jproj}-{id}: the invoice template is missing",
            ],
            "E": [
                "Mail handler failed to process message from {email}: mailbox is not reachable",
            ],
        },
        words={"jproj": JIRA_PROJECT, "email": ["alice@corp.example", "support@corp.example"]},
    ),
]
