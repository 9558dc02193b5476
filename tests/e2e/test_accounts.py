"""Accounts through boto3 on the local provider: two accounts made with `cornac account
create`; for every RDS action that takes an instance or snapshot identifier or ARN, account B
using account A's resource gets exactly the error a missing one gets; B lists none of A's; both
may use the same instance name; a revoked key is refused at once; and the operator commands'
output."""

import re
import subprocess
import uuid

import boto3
import pytest
from botocore.exceptions import ClientError

from test_snapshots import create, wait_snapshot

from conftest import CORNAC


def cornac(service, *args, check=True):
    done = subprocess.run([CORNAC, *args], cwd=service.workdir, env=service.cornac_env,
                          capture_output=True, text=True, timeout=120)
    if check:
        assert done.returncode == 0, done.stderr
    return done


def new_account(service, name):
    """`cornac account create NAME`: the id, and a client with its root key."""
    out = cornac(service, "account", "create", name).stdout
    account_id = re.search(r"^account (\d{12}) " + re.escape(name) + "$", out, re.M).group(1)
    key = re.search(r"^aws_access_key_id = (AKIA\w{16})$", out, re.M).group(1)
    secret = re.search(r"^aws_secret_access_key = (\S{40})$", out, re.M).group(1)
    assert out.startswith(f"[{name}]") or f"[{name}]" in out
    return account_id, key, secret


def client(service, service_name, key, secret):
    return boto3.client(service_name, endpoint_url=service.endpoint, region_name="local",
                        aws_access_key_id=key, aws_secret_access_key=secret)


def error(call):
    with pytest.raises(ClientError) as e:
        call()
    err = e.value.response["Error"]
    return e.value.response["ResponseMetadata"]["HTTPStatusCode"], err["Code"], err["Message"]


@pytest.fixture(scope="module")
def two(service):
    tag = uuid.uuid4().hex[:8]
    a_id, a_key, a_secret = new_account(service, f"alpha-{tag}")
    b_id, b_key, b_secret = new_account(service, f"beta-{tag}")
    a = client(service, "rds", a_key, a_secret)
    b = client(service, "rds", b_key, b_secret)
    create(a, "acct-db")
    a.create_db_snapshot(DBInstanceIdentifier="acct-db", DBSnapshotIdentifier="acct-snap")
    wait_snapshot(a, "acct-snap")
    return dict(a=a, b=b, a_id=a_id, b_id=b_id, b_key=(b_key, b_secret), tag=tag)


def instance_calls(rds, ident):
    return {
        "DescribeDBInstances": lambda: rds.describe_db_instances(DBInstanceIdentifier=ident),
        "StopDBInstance": lambda: rds.stop_db_instance(DBInstanceIdentifier=ident),
        "StartDBInstance": lambda: rds.start_db_instance(DBInstanceIdentifier=ident),
        "RebootDBInstance": lambda: rds.reboot_db_instance(DBInstanceIdentifier=ident),
        "ModifyDBInstance": lambda: rds.modify_db_instance(DBInstanceIdentifier=ident, DeletionProtection=True),
        "DeleteDBInstance": lambda: rds.delete_db_instance(DBInstanceIdentifier=ident, SkipFinalSnapshot=True),
        "CreateDBSnapshot": lambda: rds.create_db_snapshot(DBInstanceIdentifier=ident, DBSnapshotIdentifier="x-snap"),
        "RestoreDBInstanceToPointInTime": lambda: rds.restore_db_instance_to_point_in_time(
            SourceDBInstanceIdentifier=ident, TargetDBInstanceIdentifier="x-pitr", UseLatestRestorableTime=True),
    }


def snapshot_calls(rds, ident):
    return {
        "DescribeDBSnapshots": lambda: rds.describe_db_snapshots(DBSnapshotIdentifier=ident),
        "DeleteDBSnapshot": lambda: rds.delete_db_snapshot(DBSnapshotIdentifier=ident),
        "CopyDBSnapshot": lambda: rds.copy_db_snapshot(SourceDBSnapshotIdentifier=ident, TargetDBSnapshotIdentifier="x-copy"),
        "RestoreDBInstanceFromDBSnapshot": lambda: rds.restore_db_instance_from_db_snapshot(
            DBInstanceIdentifier="x-restored", DBSnapshotIdentifier=ident),
    }


def tag_calls(rds, arn):
    return {
        "ListTagsForResource": lambda: rds.list_tags_for_resource(ResourceName=arn),
        "AddTagsToResource": lambda: rds.add_tags_to_resource(ResourceName=arn, Tags=[{"Key": "k", "Value": "v"}]),
        "RemoveTagsFromResource": lambda: rds.remove_tags_from_resource(ResourceName=arn, TagKeys=["k"]),
    }


def test_another_accounts_resources_answer_as_missing_ones(two):
    a_id, b_id, b = two["a_id"], two["b_id"], two["b"]
    db_arn = lambda account, name: f"arn:aws:rds:local:{account}:db:{name}"
    snap_arn = lambda account, name: f"arn:aws:rds:local:{account}:snapshot:{name}"
    # (what B calls, with A's resource; the same call on a name B has not got)
    pairs = []
    for ident, missing in [("acct-db", "nosuch-db"), (db_arn(a_id, "acct-db"), db_arn(b_id, "nosuch-db"))]:
        theirs, absent = instance_calls(b, ident), instance_calls(b, missing)
        pairs += [(name, theirs[name], absent[name], "DBInstanceNotFound") for name in theirs]
    for ident, missing in [("acct-snap", "nosuch-snap"), (snap_arn(a_id, "acct-snap"), snap_arn(b_id, "nosuch-snap"))]:
        theirs, absent = snapshot_calls(b, ident), snapshot_calls(b, missing)
        pairs += [(name, theirs[name], absent[name], None) for name in theirs]
    for arn, missing, want in [
        (db_arn(a_id, "acct-db"), db_arn(b_id, "nosuch-db"), "DBInstanceNotFound"),
        (snap_arn(a_id, "acct-snap"), snap_arn(b_id, "nosuch-snap"), "DBSnapshotNotFound"),
    ]:
        theirs, absent = tag_calls(b, arn), tag_calls(b, missing)
        pairs += [(name, theirs[name], absent[name], want) for name in theirs]
    assert len(pairs) == 30
    for name, theirs, absent, want in pairs:
        got, expected = error(theirs), error(absent)
        # Same status and code; the message names the caller's words, so compare it with them.
        assert got[:2] == expected[:2], (name, got, expected)
        assert got[2].replace("acct-", "nosuch-") == expected[2], (name, got, expected)
        if want:
            assert got[1] == want, (name, got)
    # A's resources are untouched.
    a = two["a"]
    row = a.describe_db_instances(DBInstanceIdentifier="acct-db")["DBInstances"][0]
    assert row["DBInstanceStatus"] == "available" and not row["DeletionProtection"]
    assert row["DBInstanceArn"] == db_arn(a_id, "acct-db")
    assert a.describe_db_snapshots(DBSnapshotIdentifier="acct-snap")["DBSnapshots"][0]["Status"] == "available"


def test_lists_quotas_and_names_are_per_account(service, two):
    a, b, a_id, b_id = two["a"], two["b"], two["a_id"], two["b_id"]
    assert b.describe_db_instances()["DBInstances"] == []
    assert b.describe_db_snapshots()["DBSnapshots"] == []
    assert not [e for e in b.describe_events(Duration=1440)["Events"] if e["SourceIdentifier"].startswith("acct-")]
    quotas = {q["AccountQuotaName"]: q["Used"] for q in b.describe_account_attributes()["AccountQuotas"]}
    assert quotas["DBInstances"] == 0
    # The same name in B: its own instance, under B's account in the ARN.
    made = b.create_db_instance(
        DBInstanceIdentifier="acct-db", DBInstanceClass="db.t3.micro", Engine="postgres",
        AllocatedStorage=5, MasterUsername="owner", MasterUserPassword="passw0rd-123")["DBInstance"]
    assert made["DBInstanceArn"] == f"arn:aws:rds:local:{b_id}:db:acct-db"
    assert [i["DBInstanceArn"] for i in b.describe_db_instances()["DBInstances"]] == [made["DBInstanceArn"]]
    assert [i["DBInstanceArn"] for i in a.describe_db_instances()["DBInstances"]] == [f"arn:aws:rds:local:{a_id}:db:acct-db"]
    quotas = {q["AccountQuotaName"]: q["Used"] for q in b.describe_account_attributes()["AccountQuotas"]}
    assert quotas["DBInstances"] == 1
    b.get_waiter("db_instance_available").wait(DBInstanceIdentifier="acct-db", WaiterConfig={"Delay": 1, "MaxAttempts": 240})
    b.delete_db_instance(DBInstanceIdentifier="acct-db", SkipFinalSnapshot=True)
    # STS: each key's own account, as its root.
    key, secret = two["b_key"]
    who = client(service, "sts", key, secret).get_caller_identity()
    assert (who["Account"], who["Arn"]) == (b_id, f"arn:aws:iam::{b_id}:root")


def test_operator_commands_and_a_revoked_key(service, two):
    b_id = two["b_id"]
    listed = cornac(service, "account", "list").stdout
    assert re.search(rf"^{b_id}\tbeta-{two['tag']}\t", listed, re.M), listed
    assert re.search(r"^000000000001\tsystem\t.*\tsystem$", listed, re.M), listed
    # A second key of B, made and listed; never a secret in a list.
    made = cornac(service, "access-key", "create", "--account", b_id).stdout
    key = re.search(r"^aws_access_key_id = (AKIA\w{16})$", made, re.M).group(1)
    secret = re.search(r"^aws_secret_access_key = (\S{40})$", made, re.M).group(1)
    keys = cornac(service, "access-key", "list", "--account", b_id).stdout
    assert re.search(rf"^{key}\t{b_id}\tActive\t", keys, re.M), keys
    assert len(keys.splitlines()) == 2 and secret not in keys
    assert secret not in cornac(service, "access-key", "list").stdout
    second = client(service, "rds", key, secret)
    second.describe_db_instances()
    # Revoked: refused at once, by the running API (another process).
    assert cornac(service, "access-key", "revoke", key).stdout.strip() == f"revoked {key}"
    status, code, _ = error(second.describe_db_instances)
    assert (status, code) == (403, "InvalidClientTokenId")
    assert re.search(rf"^{key}\t{b_id}\tRevoked\t", cornac(service, "access-key", "list").stdout, re.M)
    again = cornac(service, "access-key", "revoke", key, check=False)
    assert again.returncode != 0 and "no active access key" in again.stderr
    # Keys for the system account or no account are refused.
    for account in ["000000000001", "999999999999"]:
        done = cornac(service, "access-key", "create", "--account", account, check=False)
        assert done.returncode != 0 and "aws_secret_access_key" not in done.stdout, done.stdout
    # generate-credentials --save makes a key of the account it names.
    saved = cornac(service, "generate-credentials", "--save", "--account", b_id).stdout
    new_key = re.search(r"^aws_access_key_id = (AKIA\w{16})$", saved, re.M).group(1)
    assert re.search(rf"^{new_key}\t{b_id}\tActive\t", cornac(service, "access-key", "list").stdout, re.M)
    # Duplicate names are refused.
    dup = cornac(service, "account", "create", f"beta-{two['tag']}", check=False)
    assert dup.returncode != 0 and "exists already" in dup.stderr
