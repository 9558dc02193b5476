"""Point-in-time restore through the real aws CLI and boto3 on the local provider (pgBackRest):
an instance with BackupRetentionPeriod 1 archives its WAL; with a manual snapshot as the base
backup, rows written before a recorded time and after it; once LatestRestorableTime passes the
last write, a restore to the recorded time has only the earlier rows and one with
UseLatestRestorableTime has them all; each error with its code."""

import json
import time
from datetime import datetime, timedelta, timezone

from test_snapshots import USER, PASSWORD, sql, wait_instance, wait_snapshot


def create(rds, name, retention):
    rds.create_db_instance(
        DBInstanceIdentifier=name, DBInstanceClass="db.t3.micro", Engine="postgres", AllocatedStorage=5,
        MasterUsername=USER, MasterUserPassword=PASSWORD, DBName="shop", BackupRetentionPeriod=retention,
    )
    return wait_instance(rds, name)


def latest_restorable(rds, name):
    return rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0].get("LatestRestorableTime")


def wait_restorable_past(rds, name, moment):
    """Poll (bounded) until the instance's LatestRestorableTime is after `moment`."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        latest = latest_restorable(rds, name)
        if latest is not None and latest > moment:
            return latest
        time.sleep(1)
    raise AssertionError(f"{name}'s LatestRestorableTime never passed {moment}: {latest_restorable(rds, name)}")


def stamp(moment):
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def test_a_point_in_time_restore_has_the_rows_of_its_time(rds, aws):
    port = create(rds, "pitr-src", 1)
    assert latest_restorable(rds, "pitr-src") is None, "no backup yet, no restorable time"
    sql(port, "CREATE TABLE t (n int); INSERT INTO t VALUES (1), (2)")
    rds.create_db_snapshot(DBInstanceIdentifier="pitr-src", DBSnapshotIdentifier="pitr-base")
    wait_snapshot(rds, "pitr-base")
    wait_instance(rds, "pitr-src")
    sql(port, "INSERT INTO t VALUES (3)")
    time.sleep(1.5)
    recorded = datetime.now(timezone.utc)
    time.sleep(1.5)
    sql(port, "INSERT INTO t VALUES (4)")
    last_write = datetime.now(timezone.utc)
    latest = wait_restorable_past(rds, "pitr-src", last_write)
    # The window trails the clock by the archive's timeout and the refresh's interval at most.
    assert latest - last_write < timedelta(seconds=60)

    made = json.loads(aws("rds", "restore-db-instance-to-point-in-time",
                          "--source-db-instance-identifier", "pitr-src",
                          "--target-db-instance-identifier", "pitr-then",
                          "--restore-time", stamp(recorded)).stdout)["DBInstance"]
    assert (made["DBInstanceStatus"], made["MasterUsername"], made["BackupRetentionPeriod"]) == (
        "creating", USER, 1)
    resource = rds.describe_db_instances(DBInstanceIdentifier="pitr-src")["DBInstances"][0]["DbiResourceId"]
    made = rds.restore_db_instance_to_point_in_time(
        SourceDbiResourceId=resource, TargetDBInstanceIdentifier="pitr-now",
        UseLatestRestorableTime=True, BackupRetentionPeriod=0)["DBInstance"]
    assert (made["DBInstanceStatus"], made["BackupRetentionPeriod"]) == ("creating", 0)

    then = wait_instance(rds, "pitr-then")
    assert sql(then, "SELECT n FROM t ORDER BY n") == ["1", "2", "3"], "only the rows before the time"
    now = wait_instance(rds, "pitr-now")
    assert sql(now, "SELECT n FROM t ORDER BY n") == ["1", "2", "3", "4"], "every row"
    # The restores are instances of their own: writes to one reach no other.
    sql(then, "INSERT INTO t VALUES (5)")
    assert sql(port, "SELECT n FROM t ORDER BY n") == ["1", "2", "3", "4"]

    for name in ("pitr-src", "pitr-then", "pitr-now"):
        rds.delete_db_instance(DBInstanceIdentifier=name, SkipFinalSnapshot=True)
    rds.delete_db_snapshot(DBSnapshotIdentifier="pitr-base")
    for name in ("pitr-src", "pitr-then", "pitr-now"):
        rds.get_waiter("db_instance_deleted").wait(
            DBInstanceIdentifier=name, WaiterConfig={"Delay": 1, "MaxAttempts": 240})


def test_point_in_time_errors_have_their_codes(rds, aws):
    create(rds, "pitr-e1", 1)
    create(rds, "pitr-e0", 0)

    def refused(*args):
        done = aws("rds", "restore-db-instance-to-point-in-time", *args, check=False)
        assert done.returncode != 0, done.stdout
        return done.stderr

    target = ("--target-db-instance-identifier", "pitr-x")
    latest = ("--use-latest-restorable-time",)
    at = ("--restore-time", "2000-01-01T00:00:00Z")
    assert "(InvalidParameterCombination)" in refused("--source-db-instance-identifier", "pitr-e1", *target)
    assert "(InvalidParameterCombination)" in refused(
        "--source-db-instance-identifier", "pitr-e1", *target, *latest, *at)
    assert "(InvalidParameterCombination)" in refused(
        "--source-db-instance-identifier", "pitr-e1", "--source-dbi-resource-id", "db-X", *target, *latest)
    assert "(DBInstanceNotFound)" in refused("--source-db-instance-identifier", "pitr-ghost", *target, *latest)
    assert "(DBInstanceAlreadyExists)" in refused(
        "--source-db-instance-identifier", "pitr-e1", "--target-db-instance-identifier", "pitr-e0", *latest)
    assert "(PointInTimeRestoreNotEnabled)" in refused("--source-db-instance-identifier", "pitr-e0", *target, *latest)
    # Backups on but none taken yet, and a time long before any backup: outside the window.
    assert "(InvalidRestoreFault)" in refused("--source-db-instance-identifier", "pitr-e1", *target, *latest)
    rds.create_db_snapshot(DBInstanceIdentifier="pitr-e1", DBSnapshotIdentifier="pitr-e1-base")
    wait_snapshot(rds, "pitr-e1-base")
    wait_restorable_past(rds, "pitr-e1", datetime(2000, 1, 1, tzinfo=timezone.utc))
    assert "(InvalidRestoreFault)" in refused("--source-db-instance-identifier", "pitr-e1", *target, *at)
    # Nothing was made by any of them.
    listed = rds.describe_db_instances()["DBInstances"]
    assert "pitr-x" not in [i["DBInstanceIdentifier"] for i in listed]

    for name in ("pitr-e1", "pitr-e0"):
        wait_instance(rds, name)
        rds.delete_db_instance(DBInstanceIdentifier=name, SkipFinalSnapshot=True)
    rds.delete_db_snapshot(DBSnapshotIdentifier="pitr-e1-base")
    for name in ("pitr-e1", "pitr-e0"):
        rds.get_waiter("db_instance_deleted").wait(
            DBInstanceIdentifier=name, WaiterConfig={"Delay": 1, "MaxAttempts": 240})
