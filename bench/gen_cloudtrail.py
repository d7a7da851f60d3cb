#!/usr/bin/env python3
"""Generate realistic CloudTrail records as CloudWatch Logs receives them: one
compact JSON object per line.

The mix follows what a busy account's management-event trail looks like: mostly
STS, EC2 describe calls, S3 bucket calls, KMS Decrypt/GenerateDataKey (frequent:
every SSE-KMS access logs one), IAM, Lambda, CloudWatch, SSM; DisableKey and
ScheduleKeyDeletion are rare. A small share of records carry \\u escapes
(non-ASCII user names) and escaped JSON policy documents, as real trails do.

Deterministic: the same --seed and --count give byte-identical output.

    python3 bench/gen_cloudtrail.py --count 1000000 --seed 7 > events.jsonl
    python3 bench/gen_cloudtrail.py --count 1000000 --no-kms > no_kms.jsonl
"""

import argparse
import json
import random
import sys

# (eventSource, eventName, weight, readOnly)
MIX = [
    ("sts.amazonaws.com", "AssumeRole", 180, True),
    ("sts.amazonaws.com", "GetCallerIdentity", 40, True),
    ("kms.amazonaws.com", "Decrypt", 150, True),
    ("kms.amazonaws.com", "GenerateDataKey", 90, True),
    ("kms.amazonaws.com", "DescribeKey", 15, True),
    ("kms.amazonaws.com", "Encrypt", 10, True),
    ("kms.amazonaws.com", "ListAliases", 5, True),
    ("kms.amazonaws.com", "DisableKeyRotation", 0.05, False),
    ("kms.amazonaws.com", "CancelKeyDeletion", 0.02, False),
    ("ec2.amazonaws.com", "DescribeInstances", 120, True),
    ("ec2.amazonaws.com", "DescribeSecurityGroups", 40, True),
    ("ec2.amazonaws.com", "RunInstances", 3, False),
    ("ec2.amazonaws.com", "CreateTags", 6, False),
    ("s3.amazonaws.com", "GetBucketAcl", 60, True),
    ("s3.amazonaws.com", "ListBuckets", 20, True),
    ("s3.amazonaws.com", "PutBucketPolicy", 0.5, False),
    ("iam.amazonaws.com", "GetRole", 25, True),
    ("iam.amazonaws.com", "ListRoles", 10, True),
    ("iam.amazonaws.com", "PutRolePolicy", 0.5, False),
    ("lambda.amazonaws.com", "Invoke", 30, False),
    ("lambda.amazonaws.com", "GetFunction", 10, True),
    ("monitoring.amazonaws.com", "GetMetricData", 40, True),
    ("monitoring.amazonaws.com", "PutMetricAlarm", 0.5, False),
    ("logs.amazonaws.com", "CreateLogStream", 25, False),
    ("logs.amazonaws.com", "DescribeLogGroups", 10, True),
    ("ssm.amazonaws.com", "GetParameter", 35, True),
    ("ssm.amazonaws.com", "UpdateInstanceInformation", 30, False),
    ("dynamodb.amazonaws.com", "DescribeTable", 15, True),
    ("secretsmanager.amazonaws.com", "GetSecretValue", 12, True),
    ("cloudtrail.amazonaws.com", "LookupEvents", 2, True),
    ("signin.amazonaws.com", "ConsoleLogin", 1, False),
]
# One in LIFECYCLE_RATE records is a DisableKey or ScheduleKeyDeletion.
LIFECYCLE_RATE = 20000
REGIONS = ["us-east-1", "us-east-1", "us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"]
USERS = ["alice", "bob", "carol", "deploy-bot", "ci-runner", "ops", "data-pipeline"]
# One in a hundred principals has a non-ASCII name (JSON-escaped as \uXXXX).
NON_ASCII_USERS = ["Zoë", "José"]
AGENTS = [
    "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64 command/{svc}.{op}",
    "Boto3/1.34.10 md/Botocore#1.34.10 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.12.1",
    "aws-sdk-java/2.21.0 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.9+8-LTS Java/17.0.9",
    "{svc}.amazonaws.com",
    "AWS Internal",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
]


def hexid(rng, n):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def uuid(rng):
    return f"{hexid(rng, 8)}-{hexid(rng, 4)}-4{hexid(rng, 3)}-a{hexid(rng, 3)}-{hexid(rng, 12)}"


def key_arn(rng, account, region):
    return f"arn:aws:kms:{region}:{account}:key/{uuid(rng)}"


def request_parameters(rng, source, name, account, region):
    if source == "kms.amazonaws.com":
        params = {"keyId": key_arn(rng, account, region)}
        if name in ("Decrypt", "GenerateDataKey", "Encrypt"):
            params["encryptionAlgorithm"] = "SYMMETRIC_DEFAULT"
            params["encryptionContext"] = {"aws:s3:arn": f"arn:aws:s3:::bucket-{hexid(rng, 6)}/obj/{hexid(rng, 10)}"}
        if name == "GenerateDataKey":
            params["keySpec"] = "AES_256"
        if name == "ScheduleKeyDeletion":
            params["pendingWindowInDays"] = rng.choice([7, 30])
        return params
    if source == "sts.amazonaws.com" and name == "AssumeRole":
        return {
            "roleArn": f"arn:aws:iam::{account}:role/service-role-{hexid(rng, 4)}",
            "roleSessionName": f"session-{hexid(rng, 10)}",
            "durationSeconds": 3600,
        }
    if source == "ec2.amazonaws.com":
        return {"instancesSet": {"items": [{"instanceId": f"i-{hexid(rng, 17)}"}]}, "filterSet": {}, "maxResults": 1000}
    if source == "s3.amazonaws.com":
        params = {"bucketName": f"bucket-{hexid(rng, 6)}", "Host": f"bucket-{hexid(rng, 6)}.s3.{region}.amazonaws.com"}
        if name == "PutBucketPolicy":
            policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                      "Resource": f"arn:aws:s3:::bucket-{hexid(rng, 6)}/*",
                      "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
            params["bucketPolicy"] = json.dumps(policy)  # an escaped JSON string, as CloudTrail logs it
        return params
    if source == "iam.amazonaws.com" and name == "PutRolePolicy":
        return {"roleName": "app", "policyName": "inline", "policyDocument": json.dumps({"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]})}
    if source == "ssm.amazonaws.com":
        return {"name": f"/app/{hexid(rng, 4)}/config", "withDecryption": True}
    if source == "lambda.amazonaws.com":
        return {"functionName": f"arn:aws:lambda:{region}:{account}:function:worker-{hexid(rng, 4)}"}
    return None


def record(rng, source, name, read_only, account):
    region = rng.choice(REGIONS)
    user = rng.choice(NON_ASCII_USERS) if rng.random() < 0.01 else rng.choice(USERS)
    identity_type = rng.choice(["AssumedRole", "AssumedRole", "IAMUser", "AWSService"])
    ident = {
        "type": identity_type,
        "principalId": f"AROA{hexid(rng, 16).upper()}:{user}",
        "arn": f"arn:aws:sts::{account}:assumed-role/app-role/{user}",
        "accountId": account,
        "accessKeyId": f"ASIA{hexid(rng, 16).upper()}",
    }
    if identity_type == "AssumedRole":
        ident["sessionContext"] = {
            "sessionIssuer": {"type": "Role", "principalId": f"AROA{hexid(rng, 16).upper()}",
                              "arn": f"arn:aws:iam::{account}:role/app-role", "accountId": account, "userName": "app-role"},
            "attributes": {"creationDate": f"2026-03-04T{rng.randrange(24):02}:{rng.randrange(60):02}:00Z", "mfaAuthenticated": "false"},
        }
    elif identity_type == "AWSService":
        ident = {"type": "AWSService", "invokedBy": rng.choice(["s3.amazonaws.com", "lambda.amazonaws.com", "ec2.amazonaws.com"])}
    svc = source.split(".")[0]
    rec = {
        "eventVersion": "1.09",
        "userIdentity": ident,
        "eventTime": f"2026-03-04T{rng.randrange(24):02}:{rng.randrange(60):02}:{rng.randrange(60):02}Z",
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}",
        "userAgent": rng.choice(AGENTS).format(svc=svc, op=name.lower()),
        "requestParameters": request_parameters(rng, source, name, account, region),
        "responseElements": None,
        "requestID": uuid(rng),
        "eventID": uuid(rng),
        "readOnly": read_only,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": account,
        "eventCategory": "Management",
        "tlsDetails": {"tlsVersion": "TLSv1.3", "cipherSuite": "TLS_AES_128_GCM_SHA256",
                       "clientProvidedHostHeader": f"{svc}.{region}.amazonaws.com"},
    }
    if source == "kms.amazonaws.com":
        rec["resources"] = [{"accountId": account, "type": "AWS::KMS::Key", "ARN": rec["requestParameters"]["keyId"]}]
    if rng.random() < 0.02:
        rec["errorCode"] = "AccessDenied"
        rec["errorMessage"] = f"User: {ident.get('arn', 'service')} is not authorized to perform: {svc}:{name}"
    return rec


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-kms-lifecycle", action="store_true", help="omit DisableKey/ScheduleKeyDeletion records")
    ap.add_argument("--no-kms", action="store_true", help="omit every kms.amazonaws.com record")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    mix = [m for m in MIX if not (args.no_kms and m[0] == "kms.amazonaws.com")]
    weights = [w for (_, _, w, _) in mix]
    accounts = ["111122223333", "444455556666", "777788889999"]
    out = sys.stdout
    buf = []
    for i in range(args.count):
        if not (args.no_kms_lifecycle or args.no_kms) and rng.randrange(LIFECYCLE_RATE) == 0:
            source, name, read_only = "kms.amazonaws.com", rng.choice(["DisableKey", "ScheduleKeyDeletion"]), False
        else:
            source, name, _, read_only = rng.choices(mix, weights)[0]
        # ensure_ascii=True (CloudTrail's own choice): non-ASCII becomes \uXXXX.
        buf.append(json.dumps(record(rng, source, name, read_only, rng.choice(accounts)), separators=(",", ":")))
        if len(buf) == 10000:
            out.write("\n".join(buf) + "\n")
            buf.clear()
    if buf:
        out.write("\n".join(buf) + "\n")


if __name__ == "__main__":
    main()
