"""Snapshots through the real aws CLI and boto3 on the local provider: write rows, snapshot,
write more, restore (exactly the first rows); delete with a final snapshot and restore from it;
copy, delete the source, restore from the copy; the aws CLI's snapshot waiters; and each
snapshot error with its code."""

import json

import pytest
from botocore.exceptions import ClientError

from test_lifecycle import psql, settle

USER, PASSWORD = "owner", "passw0rd-123"


def create(rds, name):
    rds.create_db_instance(
        DBInstanceIdentifier=name, DBInstanceClass="db.t3.micro", Engine="postgres", AllocatedStorage=5,
        MasterUsername=USER, MasterUserPassword=PASSWORD, DBName="shop",
    )
    return wait_instance(rds, name)


def wait_instance(rds, name):
    rds.get_waiter("db_instance_available").wait(
        DBInstanceIdentifier=name, WaiterConfig={"Delay": 1, "MaxAttempts": 240})
    return rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]["Endpoint"]["Port"]


def wait_snapshot(rds, name):
    rds.get_waiter("db_snapshot_available").wait(
        DBSnapshotIdentifier=name, WaiterConfig={"Delay": 1, "MaxAttempts": 240})


def sql(port, text):
    done = psql(port, USER, PASSWORD, text)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def restore(rds, name, snapshot):
    made = rds.restore_db_instance_from_db_snapshot(DBInstanceIdentifier=name, DBSnapshotIdentifier=snapshot)
    assert made["DBInstance"]["DBInstanceStatus"] == "creating"
    return wait_instance(rds, name)


def test_a_restore_has_exactly_the_rows_of_its_snapshot(rds, aws):
    port = create(rds, "snap-src")
    sql(port, "CREATE TABLE t (n int); INSERT INTO t VALUES (1), (2)")
    made = json.loads(aws("rds", "create-db-snapshot", "--db-instance-identifier", "snap-src",
                          "--db-snapshot-identifier", "snap-one", "--tags", "Key=k,Value=v").stdout)["DBSnapshot"]
    assert made["Status"] == "creating" and made["SnapshotType"] == "manual"
    assert rds.describe_db_instances(DBInstanceIdentifier="snap-src")["DBInstances"][0]["DBInstanceStatus"] in (
        "backing-up", "available")
    wait_snapshot(rds, "snap-one")
    # The aws CLI's waiters: the snapshot is there (available, completed).
    aws("rds", "wait", "db-snapshot-available", "--db-snapshot-identifier", "snap-one")
    aws("rds", "wait", "db-snapshot-completed", "--db-snapshot-identifier", "snap-one")
    shown = rds.describe_db_snapshots(DBSnapshotIdentifier="snap-one")["DBSnapshots"][0]
    assert (shown["Status"], shown["PercentProgress"], shown["DBInstanceIdentifier"]) == ("available", 100, "snap-src")
    assert shown["TagList"] == [{"Key": "k", "Value": "v"}]
    assert "SnapshotCreateTime" in shown and shown["MasterUsername"] == USER
    sql(port, "INSERT INTO t VALUES (3)")

    port2 = restore(rds, "snap-dst", "snap-one")
    assert sql(port2, "SELECT n FROM t ORDER BY n") == ["1", "2"], "exactly the snapshot's rows"
    assert sql(port, "SELECT n FROM t ORDER BY n") == ["1", "2", "3"]

    for name in ("snap-src", "snap-dst"):
        rds.delete_db_instance(DBInstanceIdentifier=name, SkipFinalSnapshot=True)
    rds.delete_db_snapshot(DBSnapshotIdentifier="snap-one")
    aws("rds", "wait", "db-snapshot-deleted", "--db-snapshot-identifier", "snap-one")
    with pytest.raises(ClientError) as gone:
        rds.describe_db_snapshots(DBSnapshotIdentifier="snap-one")
    assert gone.value.response["Error"]["Code"] == "DBSnapshotNotFound"


def test_a_final_snapshot_outlives_its_instance(rds, aws):
    port = create(rds, "fin-src")
    sql(port, "CREATE TABLE t (n int); INSERT INTO t VALUES (7)")
    refused = aws("rds", "delete-db-instance", "--db-instance-identifier", "fin-src", check=False)
    assert refused.returncode != 0 and "InvalidParameterCombination" in refused.stderr
    aws("rds", "delete-db-instance", "--db-instance-identifier", "fin-src",
        "--final-db-snapshot-identifier", "fin-last")
    rds.get_waiter("db_instance_deleted").wait(
        DBInstanceIdentifier="fin-src", WaiterConfig={"Delay": 1, "MaxAttempts": 240})
    wait_snapshot(rds, "fin-last")
    port2 = restore(rds, "fin-dst", "fin-last")
    assert sql(port2, "SELECT n FROM t") == ["7"]
    rds.delete_db_instance(DBInstanceIdentifier="fin-dst", SkipFinalSnapshot=True)
    rds.delete_db_snapshot(DBSnapshotIdentifier="fin-last")


def test_a_copy_restores_after_its_source_is_deleted(rds, aws):
    port = create(rds, "cp-src")
    sql(port, "CREATE TABLE t (n int); INSERT INTO t VALUES (5)")
    rds.create_db_snapshot(DBInstanceIdentifier="cp-src", DBSnapshotIdentifier="cp-one")
    wait_snapshot(rds, "cp-one")
    copied = json.loads(aws("rds", "copy-db-snapshot", "--source-db-snapshot-identifier", "cp-one",
                            "--target-db-snapshot-identifier", "cp-two").stdout)["DBSnapshot"]
    assert copied["SourceDBSnapshotIdentifier"] == "cp-one"
    rds.delete_db_instance(DBInstanceIdentifier="cp-src", SkipFinalSnapshot=True)
    rds.delete_db_snapshot(DBSnapshotIdentifier="cp-one")
    rds.get_waiter("db_snapshot_deleted").wait(
        DBSnapshotIdentifier="cp-one", WaiterConfig={"Delay": 1, "MaxAttempts": 240})
    port2 = restore(rds, "cp-dst", "cp-two")
    assert sql(port2, "SELECT n FROM t") == ["5"], "the copy's backup stayed"
    rds.delete_db_instance(DBInstanceIdentifier="cp-dst", SkipFinalSnapshot=True)
    rds.delete_db_snapshot(DBSnapshotIdentifier="cp-two")


def test_snapshot_errors_have_their_codes(rds, aws):
    def code(call, **kwargs):
        with pytest.raises(ClientError) as e:
            call(**kwargs)
        return e.value.response["Error"]["Code"], e.value.response["ResponseMetadata"]["HTTPStatusCode"]

    assert code(rds.create_db_snapshot, DBInstanceIdentifier="nobody", DBSnapshotIdentifier="e1") == (
        "DBInstanceNotFound", 404)
    assert code(rds.describe_db_snapshots, DBSnapshotIdentifier="nothing") == ("DBSnapshotNotFound", 404)
    assert code(rds.delete_db_snapshot, DBSnapshotIdentifier="nothing") == ("DBSnapshotNotFound", 404)
    assert code(rds.copy_db_snapshot, SourceDBSnapshotIdentifier="nothing", TargetDBSnapshotIdentifier="e2") == (
        "DBSnapshotNotFound", 404)
    assert code(rds.restore_db_instance_from_db_snapshot, DBInstanceIdentifier="e3",
                DBSnapshotIdentifier="nothing") == ("DBSnapshotNotFound", 404)
    assert code(rds.create_db_snapshot, DBInstanceIdentifier="x", DBSnapshotIdentifier="1-bad") == (
        "InvalidParameterValue", 400)
    port = create(rds, "err-src")
    rds.create_db_snapshot(DBInstanceIdentifier="err-src", DBSnapshotIdentifier="err-one")
    # (A snapshot still `creating` refuses delete, copy and restore: the api tests show it with
    # no worker running, where the state cannot race.)
    wait_snapshot(rds, "err-one")
    assert code(rds.create_db_snapshot, DBInstanceIdentifier="err-src", DBSnapshotIdentifier="err-one") == (
        "DBSnapshotAlreadyExists", 400)
    assert code(rds.copy_db_snapshot, SourceDBSnapshotIdentifier="err-one",
                TargetDBSnapshotIdentifier="err-one") == ("DBSnapshotAlreadyExists", 400)
    assert code(rds.restore_db_instance_from_db_snapshot, DBInstanceIdentifier="err-src",
                DBSnapshotIdentifier="err-one") == ("DBInstanceAlreadyExists", 400)
    assert code(rds.restore_db_instance_from_db_snapshot, DBInstanceIdentifier="err-x",
                DBSnapshotIdentifier="err-one", DBParameterGroupName="custom") == ("DBParameterGroupNotFound", 404)
    rds.stop_db_instance(DBInstanceIdentifier="err-src")
    assert code(rds.create_db_snapshot, DBInstanceIdentifier="err-src", DBSnapshotIdentifier="err-two")[0] == (
        "InvalidDBInstanceState")
    settle(aws, "err-src", "stopped")
    rds.delete_db_snapshot(DBSnapshotIdentifier="err-one")
    rds.get_waiter("db_snapshot_deleted").wait(
        DBSnapshotIdentifier="err-one", WaiterConfig={"Delay": 1, "MaxAttempts": 240})
    assert code(rds.delete_db_snapshot, DBSnapshotIdentifier="err-one") == ("DBSnapshotNotFound", 404)
    rds.delete_db_instance(DBInstanceIdentifier="err-src", SkipFinalSnapshot=True)
    assert port
