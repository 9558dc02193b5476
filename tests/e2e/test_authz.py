"""Authorization through boto3 and the aws CLI: an account (made with `cornac account create`)
whose root makes, through the IAM API, a reader (AmazonRDSReadOnlyAccess), a user allowed
`rds:*` but denied the "locked" instance and snapshot, and a user with no policy. For every RDS
action (the list read from the service's action table), each identity is allowed or refused
exactly as those policies say: a refusal is AccessDenied (403) with AWS's message, and an
allowed call is aimed where it changes nothing (a missing or taken name), so it fails, if it
fails, for another reason. Then the aws CLI's own IAM flow, and inactive and deleted keys."""

import json
import re
import uuid

import pytest

from conftest import ROOT
from test_accounts import client, error, new_account
from test_snapshots import create, wait_snapshot

DENY_LOCKED = "denylocked"


def rds_actions():
    """Every RDS action the service serves, from its action table."""
    table = (ROOT / "crates" / "wire" / "src" / "action.rs").read_text()
    return set(re.findall(r'^\s+\w+ => "(\w+)", RDS_VERSION;$', table, re.M))


# Actions AmazonRDSReadOnlyAccess allows (rds:Describe*, rds:ListTagsForResource).
def read_only(action):
    return action.startswith("Describe") or action == "ListTagsForResource"


def calls(rds, account, db, snap, taken):
    """Each RDS action, called on instance `db` and snapshot `snap` (`taken` an existing
    instance's name, for the create): a dict action → (call, whether it acts on db or snap)."""
    arn = lambda kind, name: f"arn:aws:rds:local:{account}:{kind}:{name}"
    new = f"x{uuid.uuid4().hex[:8]}"
    return {
        "CreateDBInstance": (lambda: rds.create_db_instance(
            DBInstanceIdentifier=db if db.startswith("locked") else taken, DBInstanceClass="db.t3.micro",
            Engine="postgres", AllocatedStorage=5, MasterUsername="owner", MasterUserPassword="passw0rd-123"), True),
        "DescribeDBInstances": (lambda: rds.describe_db_instances(DBInstanceIdentifier=db), True),
        "DeleteDBInstance": (lambda: rds.delete_db_instance(DBInstanceIdentifier=db, SkipFinalSnapshot=True), True),
        "StartDBInstance": (lambda: rds.start_db_instance(DBInstanceIdentifier=db), True),
        "StopDBInstance": (lambda: rds.stop_db_instance(DBInstanceIdentifier=db), True),
        "RebootDBInstance": (lambda: rds.reboot_db_instance(DBInstanceIdentifier=db), True),
        "ModifyDBInstance": (lambda: rds.modify_db_instance(DBInstanceIdentifier=db, DeletionProtection=True), True),
        "AddTagsToResource": (lambda: rds.add_tags_to_resource(
            ResourceName=arn("db", db), Tags=[{"Key": "k", "Value": "v"}]), True),
        "RemoveTagsFromResource": (lambda: rds.remove_tags_from_resource(ResourceName=arn("snapshot", snap), TagKeys=["k"]), True),
        "ListTagsForResource": (lambda: rds.list_tags_for_resource(ResourceName=arn("db", db)), True),
        "DescribeDBEngineVersions": (lambda: rds.describe_db_engine_versions(Engine="postgres"), False),
        "DescribeOrderableDBInstanceOptions": (lambda: rds.describe_orderable_db_instance_options(Engine="postgres"), False),
        "DescribeAccountAttributes": (lambda: rds.describe_account_attributes(), False),
        "DescribeEvents": (lambda: rds.describe_events(Duration=60), False),
        "CreateDBSnapshot": (lambda: rds.create_db_snapshot(
            DBInstanceIdentifier=f"{db}-gone", DBSnapshotIdentifier=snap), True),
        "DescribeDBSnapshots": (lambda: rds.describe_db_snapshots(DBSnapshotIdentifier=snap), True),
        "DeleteDBSnapshot": (lambda: rds.delete_db_snapshot(DBSnapshotIdentifier=f"{snap}" if snap.startswith("locked") else f"{snap}-gone"), True),
        "CopyDBSnapshot": (lambda: rds.copy_db_snapshot(
            SourceDBSnapshotIdentifier=f"{snap}-gone", TargetDBSnapshotIdentifier=snap), True),
        "RestoreDBInstanceFromDBSnapshot": (lambda: rds.restore_db_instance_from_db_snapshot(
            DBInstanceIdentifier=new, DBSnapshotIdentifier=f"{snap}" if snap.startswith("locked") else f"{snap}-gone"), True),
        "RestoreDBInstanceToPointInTime": (lambda: rds.restore_db_instance_to_point_in_time(
            SourceDBInstanceIdentifier=f"{db}-gone", TargetDBInstanceIdentifier=db, UseLatestRestorableTime=True), True),
        "DescribeDBInstanceAutomatedBackups": (lambda: rds.describe_db_instance_automated_backups(), False),
        "DeleteDBInstanceAutomatedBackup": (lambda: rds.delete_db_instance_automated_backup(
            DbiResourceId="db-ABCDEFGHIJKLMNOPQRSTUVWXYZ"), False),
    }


@pytest.fixture(scope="module")
def tenant(service):
    account, key, secret = new_account(service, f"authz-{uuid.uuid4().hex[:8]}")
    root = client(service, "rds", key, secret)
    iam = client(service, "iam", key, secret)
    create(root, "locked")
    create(root, "open")
    root.create_db_snapshot(DBInstanceIdentifier="open", DBSnapshotIdentifier="locked-snap")
    wait_snapshot(root, "locked-snap")
    users = {}
    for name in ["reader", "denied", "nobody"]:
        iam.create_user(UserName=name)
        made = iam.create_access_key(UserName=name)["AccessKey"]
        users[name] = client(service, "rds", made["AccessKeyId"], made["SecretAccessKey"])
    iam.attach_user_policy(UserName="reader", PolicyArn="arn:aws:iam::aws:policy/AmazonRDSReadOnlyAccess")
    iam.put_user_policy(UserName="denied", PolicyName=DENY_LOCKED, PolicyDocument=json.dumps({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "rds:*", "Resource": "*"},
            {"Effect": "Deny", "Action": "rds:*", "Resource": [
                f"arn:aws:rds:local:{account}:db:locked", f"arn:aws:rds:local:{account}:snapshot:locked-*"]},
        ],
    }))
    users["root"] = root
    return dict(account=account, users=users, iam=iam, key=(key, secret))


def outcome(call):
    """`("ok", None)` or `(code, (status, message))` of one call."""
    try:
        call()
        return "ok", None
    except Exception as e:  # botocore's ClientError
        response = getattr(e, "response", None)
        assert response, f"not an AWS error: {e!r}"
        return response["Error"]["Code"], (response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Message"])


def test_every_rds_action_is_allowed_or_refused_as_the_policies_say(tenant):
    account, users = tenant["account"], tenant["users"]
    served = rds_actions()
    assert len(served) >= 22, served
    cases = 0
    for identity, rds in users.items():
        # Where an allowed call changes nothing: missing names (a taken one for the create).
        targets = [("missing-db", "missing-snap", False)]
        if identity == "denied":
            targets.append(("locked", "locked-snap", True))
        for db, snap, locked in targets:
            table = calls(rds, account, db, snap, taken="open")
            assert set(table) == served, served ^ set(table)
            for action, (call, on_resource) in table.items():
                if locked and not on_resource:
                    continue
                allowed = {
                    "root": True,
                    "nobody": False,
                    "reader": read_only(action),
                    "denied": not locked,
                }[identity]
                code, detail = outcome(call)
                cases += 1
                if allowed:
                    assert code != "AccessDenied", (identity, action, db, detail)
                else:
                    assert code == "AccessDenied", (identity, action, db, code, detail)
                    status, message = detail
                    assert status == 403, (identity, action)
                    prefix = (f"User: arn:aws:iam::{account}:user/{identity} is not authorized to perform: "
                              f"rds:{action} on resource: ")
                    assert message.startswith(prefix), (identity, action, message)
                    if locked:
                        assert "locked" in message and "explicit deny" in message, message
    assert cases > 90
    # Nothing the refused or aimless calls did changed the locked resources.
    root = users["root"]
    row = root.describe_db_instances(DBInstanceIdentifier="locked")["DBInstances"][0]
    assert (row["DBInstanceStatus"], row["DeletionProtection"]) == ("available", False)
    assert root.list_tags_for_resource(ResourceName=row["DBInstanceArn"])["TagList"] == []
    assert root.describe_db_snapshots(DBSnapshotIdentifier="locked-snap")["DBSnapshots"][0]["Status"] == "available"
    assert {i["DBInstanceIdentifier"] for i in root.describe_db_instances()["DBInstances"]} == {"locked", "open"}


def test_a_user_allowed_everything_still_sees_only_its_account(service, tenant):
    denied = tenant["users"]["denied"]
    # The default account's instances are not this account's: none listed, an ARN not found.
    assert {i["DBInstanceIdentifier"] for i in denied.describe_db_instances()["DBInstances"]} == {"locked", "open"}
    other = "arn:aws:rds:local:000000000000:db:locked"
    code, (status, _) = outcome(lambda: denied.describe_db_instances(DBInstanceIdentifier=other))
    assert (code, status) == ("DBInstanceNotFound", 404)
    sts = client(service, "sts", *tenant["key"])
    assert sts.get_caller_identity()["Arn"] == f"arn:aws:iam::{tenant['account']}:root"


def test_the_aws_cli_iam_flow_then_rds_with_the_new_key(service, aws, tenant):
    key, secret = tenant["key"]
    as_root = {"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret}
    cli = lambda *args, env=as_root, check=True: aws(*args, extra_env=env, check=check)
    made = json.loads(cli("iam", "create-user", "--user-name", "carol").stdout)["User"]
    assert made["Arn"] == f"arn:aws:iam::{tenant['account']}:user/carol" and made["UserId"].startswith("AIDA")
    new = json.loads(cli("iam", "create-access-key", "--user-name", "carol").stdout)["AccessKey"]
    assert new["Status"] == "Active" and len(new["SecretAccessKey"]) == 40
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["rds:Describe*", "sts:GetCallerIdentity"], "Resource": "*"}]}
    cli("iam", "put-user-policy", "--user-name", "carol", "--policy-name", "look",
        "--policy-document", json.dumps(policy))
    as_carol = {"AWS_ACCESS_KEY_ID": new["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": new["SecretAccessKey"]}
    listed = json.loads(cli("rds", "describe-db-instances", env=as_carol).stdout)["DBInstances"]
    assert {i["DBInstanceIdentifier"] for i in listed} == {"locked", "open"}
    who = json.loads(cli("sts", "get-caller-identity", env=as_carol).stdout)
    assert who["Arn"] == made["Arn"] and who["UserId"] == made["UserId"]
    refused = cli("rds", "delete-db-instance", "--db-instance-identifier", "open", "--skip-final-snapshot",
                  env=as_carol, check=False)
    assert refused.returncode != 0 and "AccessDenied" in refused.stderr
    assert f"user/carol is not authorized to perform: rds:DeleteDBInstance on resource: arn:aws:rds:local:{tenant['account']}:db:open" in refused.stderr
    # A bad document is refused naming the fault, and changes nothing.
    bad = cli("iam", "put-user-policy", "--user-name", "carol", "--policy-name", "bad",
              "--policy-document", '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]}', check=False)
    assert bad.returncode != 0 and "MalformedPolicyDocument" in bad.stderr
    names = json.loads(cli("iam", "list-user-policies", "--user-name", "carol").stdout)["PolicyNames"]
    assert names == ["look"]
    # Inactive, then active again, then deleted: refused at once each time it is not active.
    key_id = new["AccessKeyId"]
    cli("iam", "update-access-key", "--user-name", "carol", "--access-key-id", key_id, "--status", "Inactive")
    inactive = cli("rds", "describe-db-instances", env=as_carol, check=False)
    assert inactive.returncode != 0 and "InvalidClientTokenId" in inactive.stderr
    cli("iam", "update-access-key", "--user-name", "carol", "--access-key-id", key_id, "--status", "Active")
    cli("rds", "describe-db-instances", env=as_carol)
    last = json.loads(cli("iam", "get-access-key-last-used", "--access-key-id", key_id).stdout)
    assert last["UserName"] == "carol" and last["AccessKeyLastUsed"]["ServiceName"] in ("rds", "sts")
    cli("iam", "delete-access-key", "--user-name", "carol", "--access-key-id", key_id)
    deleted = cli("rds", "describe-db-instances", env=as_carol, check=False)
    assert deleted.returncode != 0 and "InvalidClientTokenId" in deleted.stderr
    # The user goes once its policy does.
    conflict = cli("iam", "delete-user", "--user-name", "carol", check=False)
    assert conflict.returncode != 0 and "DeleteConflict" in conflict.stderr
    cli("iam", "delete-user-policy", "--user-name", "carol", "--policy-name", "look")
    cli("iam", "delete-user", "--user-name", "carol")
    gone = cli("iam", "get-user", "--user-name", "carol", check=False)
    assert gone.returncode != 0 and "NoSuchEntity" in gone.stderr
