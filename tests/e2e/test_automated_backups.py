"""Automated backups through boto3 and the aws CLI on the local provider: an instance created
with BackupRetentionPeriod 1 gets an automated snapshot `rds:<instance>-…` that becomes
available (the instance stays available meanwhile); DeleteDBSnapshot refuses it; a restore from
it has the instance's rows; deleting the instance (DeleteAutomatedBackups defaults to true)
drops them (test_retained_backups keeps them); PreferredBackupWindow is shown as given, and a bad one refused."""

import json
import time

import pytest
from botocore.exceptions import ClientError

from test_snapshots import PASSWORD, USER, restore, sql, wait_instance


def automated(rds, instance):
    return rds.describe_db_snapshots(DBInstanceIdentifier=instance, SnapshotType="automated")["DBSnapshots"]


def test_an_instance_keeping_backups_gets_an_automated_snapshot(rds, aws):
    rds.create_db_instance(
        DBInstanceIdentifier="auto-src", DBInstanceClass="db.t3.micro", Engine="postgres", AllocatedStorage=5,
        MasterUsername=USER, MasterUserPassword=PASSWORD, DBName="shop", BackupRetentionPeriod=1,
        PreferredBackupWindow="22:00-22:30",
    )
    port = wait_instance(rds, "auto-src")
    sql(port, "CREATE TABLE t (n int); INSERT INTO t VALUES (1), (2)")
    shown = rds.describe_db_instances(DBInstanceIdentifier="auto-src")["DBInstances"][0]
    assert (shown["PreferredBackupWindow"], shown["BackupRetentionPeriod"]) == ("22:00-22:30", 1)
    # The worker's schedule runs on its reconcile tick (30 s): wait for the snapshot.
    deadline = time.monotonic() + 180
    while not automated(rds, "auto-src"):
        assert time.monotonic() < deadline, "no automated snapshot appeared"
        time.sleep(1)
    [snapshot] = automated(rds, "auto-src")
    name = snapshot["DBSnapshotIdentifier"]
    assert name.startswith("rds:auto-src-") and snapshot["SnapshotType"] == "automated", snapshot
    assert rds.describe_db_instances(DBInstanceIdentifier="auto-src")["DBInstances"][0]["DBInstanceStatus"] == "available"
    aws("rds", "wait", "db-snapshot-available", "--db-snapshot-identifier", name)
    [snapshot] = automated(rds, "auto-src")
    assert (snapshot["Status"], snapshot["PercentProgress"]) == ("available", 100)

    with pytest.raises(ClientError) as refused:
        rds.delete_db_snapshot(DBSnapshotIdentifier=name)
    error = refused.value.response
    assert (error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"]) == ("InvalidDBSnapshotState", 400)

    # Rows written after the automated snapshot are not in a restore from it.
    sql(port, "INSERT INTO t VALUES (3)")
    restored = restore(rds, "auto-copy", name)
    assert sql(restored, "SELECT n FROM t ORDER BY n") == ["1", "2"]
    assert len(automated(rds, "auto-src")) == 1, "one per window, no second"

    for instance in ("auto-copy", "auto-src"):
        rds.delete_db_instance(DBInstanceIdentifier=instance, SkipFinalSnapshot=True)
    for instance in ("auto-copy", "auto-src"):
        rds.get_waiter("db_instance_deleted").wait(
            DBInstanceIdentifier=instance, WaiterConfig={"Delay": 1, "MaxAttempts": 240})
    # Deleted with its automated backups (DeleteAutomatedBackups defaults to true): they go.
    deadline = time.monotonic() + 180
    while automated(rds, "auto-src"):
        assert time.monotonic() < deadline, "the automated snapshot outlived its instance"
        time.sleep(1)


def test_a_bad_backup_window_is_refused(aws):
    done = aws("rds", "create-db-instance", "--db-instance-identifier", "auto-bad",
               "--db-instance-class", "db.t3.micro", "--engine", "postgres",
               "--master-username", USER, "--master-user-password", PASSWORD,
               "--preferred-backup-window", "04:00-04:20", check=False)
    assert done.returncode != 0 and "InvalidParameterValue" in done.stderr, done.stderr
    assert "PreferredBackupWindow" in done.stderr, done.stderr
    listed = json.loads(aws("rds", "describe-db-instances").stdout)["DBInstances"]
    assert all(i["DBInstanceIdentifier"] != "auto-bad" for i in listed), "nothing was made"
