"""Retained automated backups through the real aws CLI and boto3 on the local provider
(pgBackRest): an instance keeping 1 day of backups gets its automated snapshot; deleted with
--no-delete-automated-backups, its automated backups are listed as retained (with its restore
window); a point-in-time restore from them, by the deleted instance's resource id, has its rows;
a live instance's automated backups cannot be deleted; deleting the retained backup removes it
and its rds: snapshot, after which it is not found (a second delete is a 404)."""

import json
import time
from datetime import datetime, timezone

import pytest
from botocore.exceptions import ClientError

from test_automated_backups import automated
from test_pitr import create, stamp, wait_restorable_past
from test_snapshots import USER, sql, wait_instance


def refused(call, code, status):
    with pytest.raises(ClientError) as caught:
        call()
    error = caught.value.response
    assert (error["Error"]["Code"], error["ResponseMetadata"]["HTTPStatusCode"]) == (code, status), error


def test_retained_automated_backups_restore_and_go(rds, aws):
    port = create(rds, "ret-src", 1)
    sql(port, "CREATE TABLE t (n int); INSERT INTO t VALUES (1), (2)")
    # The worker's schedule runs on its reconcile tick: wait for the automated snapshot.
    deadline = time.monotonic() + 180
    while not [s for s in automated(rds, "ret-src") if s["Status"] == "available"]:
        assert time.monotonic() < deadline, "no automated snapshot became available"
        time.sleep(1)
    [snapshot] = automated(rds, "ret-src")
    sql(port, "INSERT INTO t VALUES (3)")
    time.sleep(1.5)
    recorded = datetime.now(timezone.utc)
    time.sleep(1.5)
    # A write after the recorded time, archived before the delete: recovery to that time
    # stops at the first commit past it.
    sql(port, "INSERT INTO t VALUES (4)")
    wait_restorable_past(rds, "ret-src", datetime.now(timezone.utc))
    shown = rds.describe_db_instances(DBInstanceIdentifier="ret-src")["DBInstances"][0]
    resource, arn = shown["DbiResourceId"], shown["DBInstanceArn"]

    # While the instance lives, its automated backups are active, and not for deleting.
    [live] = rds.describe_db_instance_automated_backups(DBInstanceIdentifier="ret-src")["DBInstanceAutomatedBackups"]
    assert (live["Status"], live["DbiResourceId"], live["BackupRetentionPeriod"]) == ("active", resource, 1), live
    refused(lambda: rds.delete_db_instance_automated_backup(DbiResourceId=resource),
            "InvalidDBInstanceAutomatedBackupState", 400)

    aws("rds", "delete-db-instance", "--db-instance-identifier", "ret-src", "--skip-final-snapshot",
        "--no-delete-automated-backups")
    rds.get_waiter("db_instance_deleted").wait(
        DBInstanceIdentifier="ret-src", WaiterConfig={"Delay": 1, "MaxAttempts": 240})

    listed = json.loads(aws("rds", "describe-db-instance-automated-backups",
                            "--db-instance-identifier", "ret-src").stdout)["DBInstanceAutomatedBackups"]
    [kept] = listed
    assert (kept["Status"], kept["DbiResourceId"], kept["DBInstanceArn"]) == ("retained", resource, arn), kept
    assert (kept["Engine"], kept["MasterUsername"], kept["BackupRetentionPeriod"]) == ("postgres", USER, 1), kept
    assert kept["DBInstanceAutomatedBackupsArn"].startswith("arn:aws:rds:local:"), kept
    assert ":auto-backup:ab-" in kept["DBInstanceAutomatedBackupsArn"], kept
    window = kept["RestoreWindow"]
    # The CLI prints the times as the service wrote them (ISO 8601, UTC, milliseconds).
    assert window["EarliestTime"] <= stamp(recorded) <= window["LatestTime"], window
    by_status = rds.describe_db_instance_automated_backups(
        Filters=[{"Name": "status", "Values": ["retained"]}])["DBInstanceAutomatedBackups"]
    assert [b["DbiResourceId"] for b in by_status] == [resource]
    # Its rds: snapshot is still there, of the gone instance.
    assert [s["DBSnapshotIdentifier"] for s in automated(rds, "ret-src")] == [snapshot["DBSnapshotIdentifier"]]

    # Outside the window is refused; inside it, the restore has the rows written before.
    refused(lambda: rds.restore_db_instance_to_point_in_time(
        SourceDbiResourceId=resource, TargetDBInstanceIdentifier="ret-x",
        RestoreTime=datetime(2000, 1, 1, tzinfo=timezone.utc)), "InvalidRestoreFault", 400)
    made = json.loads(aws("rds", "restore-db-instance-to-point-in-time",
                          "--source-dbi-resource-id", resource,
                          "--target-db-instance-identifier", "ret-back",
                          "--restore-time", stamp(recorded)).stdout)["DBInstance"]
    assert (made["DBInstanceStatus"], made["MasterUsername"]) == ("creating", USER), made
    back = wait_instance(rds, "ret-back")
    assert sql(back, "SELECT n FROM t ORDER BY n") == ["1", "2", "3"], "only the rows before the time"

    gone = json.loads(aws("rds", "delete-db-instance-automated-backup",
                          "--db-instance-automated-backups-arn", kept["DBInstanceAutomatedBackupsArn"]).stdout)
    assert gone["DBInstanceAutomatedBackup"]["Status"] == "deleting", gone
    refused(lambda: rds.describe_db_instance_automated_backups(DbiResourceId=resource),
            "DBInstanceAutomatedBackupNotFound", 404)
    refused(lambda: rds.delete_db_instance_automated_backup(DbiResourceId=resource),
            "DBInstanceAutomatedBackupNotFound", 404)
    done = aws("rds", "delete-db-instance-automated-backup", "--dbi-resource-id", resource, check=False)
    assert done.returncode != 0 and "(DBInstanceAutomatedBackupNotFound)" in done.stderr, done.stderr
    # Its snapshot goes through the worker's delete path.
    deadline = time.monotonic() + 180
    while automated(rds, "ret-src"):
        assert time.monotonic() < deadline, "the retained automated snapshot was never removed"
        time.sleep(1)
    # The restored instance is its own: it still has its rows.
    assert sql(back, "SELECT n FROM t ORDER BY n") == ["1", "2", "3"]

    rds.delete_db_instance(DBInstanceIdentifier="ret-back", SkipFinalSnapshot=True)
    rds.get_waiter("db_instance_deleted").wait(
        DBInstanceIdentifier="ret-back", WaiterConfig={"Delay": 1, "MaxAttempts": 240})
