"""A DB instance's whole life through the real aws CLI, with psql connecting to what it reports."""

import json
import os
import subprocess
import time


def psql(port, user, password, sql, db="shop"):
    env = dict(os.environ, PGPASSWORD=password, PGCONNECT_TIMEOUT="5")
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", user, "-d", db, "-X", "-A", "-t", "-c", sql],
        env=env, capture_output=True, text=True,
    )


def settle(aws, name, status):
    """Poll until `status` (quicker than a waiter's 30 s delay), so the waiter that follows
    sees it on its first call."""
    for _ in range(240):
        if describe(aws, name)["DBInstanceStatus"] == status:
            return
        time.sleep(0.25)
    raise AssertionError(f"{name} never became {status}")


def describe(aws, name):
    out = aws("rds", "describe-db-instances", "--db-instance-identifier", name)
    return json.loads(out.stdout)["DBInstances"][0]


def test_create_use_stop_start_reboot_modify_tag_delete(aws):
    created = json.loads(aws(
        "rds", "create-db-instance", "--db-instance-identifier", "Life0", "--db-instance-class", "db.t3.micro",
        "--engine", "postgres", "--allocated-storage", "5", "--master-username", "alice",
        "--master-user-password", "C0nfidentiel", "--db-name", "shop", "--tags", "Key=team,Value=db",
    ).stdout)["DBInstance"]
    assert created["DBInstanceStatus"] == "creating"
    assert created["DBInstanceIdentifier"] == "life0"
    assert created["DbiResourceId"].startswith("db-") and len(created["DbiResourceId"]) == 29
    assert "MasterUserPassword" not in json.dumps(created) and "C0nfidentiel" not in json.dumps(created)

    settle(aws, "life0", "available")
    aws("rds", "wait", "db-instance-available", "--db-instance-identifier", "life0")
    instance = describe(aws, "life0")
    port = instance["Endpoint"]["Port"]
    assert instance["Endpoint"]["Address"] == "127.0.0.1"
    made = psql(port, "alice", "C0nfidentiel", "CREATE TABLE t (x int); INSERT INTO t VALUES (42); SELECT x FROM t")
    assert made.returncode == 0 and made.stdout.strip().endswith("42"), made.stderr
    assert psql(port, "alice", "C0nfidentiel", "SELECT rolsuper FROM pg_roles WHERE rolname = current_user").stdout.strip() == "f"

    stopping = json.loads(aws("rds", "stop-db-instance", "--db-instance-identifier", "life0").stdout)
    assert stopping["DBInstance"]["DBInstanceStatus"] == "stopping"
    settle(aws, "life0", "stopped")
    assert psql(port, "alice", "C0nfidentiel", "SELECT 1").returncode != 0, "a stopped instance really stops"
    again = aws("rds", "stop-db-instance", "--db-instance-identifier", "life0", check=False)
    assert "InvalidDBInstanceState" in again.stderr

    aws("rds", "start-db-instance", "--db-instance-identifier", "life0")
    settle(aws, "life0", "available")
    aws("rds", "wait", "db-instance-available", "--db-instance-identifier", "life0")
    assert psql(port, "alice", "C0nfidentiel", "SELECT x FROM t").stdout.strip() == "42"

    rebooting = json.loads(aws("rds", "reboot-db-instance", "--db-instance-identifier", "life0").stdout)
    assert rebooting["DBInstance"]["DBInstanceStatus"] == "rebooting"
    settle(aws, "life0", "available")
    aws("rds", "wait", "db-instance-available", "--db-instance-identifier", "life0")

    aws("rds", "modify-db-instance", "--db-instance-identifier", "life0", "--master-user-password", "N3w-passw0rd",
        "--apply-immediately")
    settle(aws, "life0", "available")
    aws("rds", "wait", "db-instance-available", "--db-instance-identifier", "life0")
    assert psql(port, "alice", "C0nfidentiel", "SELECT 1").returncode != 0, "the old password no longer works"
    assert psql(port, "alice", "N3w-passw0rd", "SELECT x FROM t").stdout.strip() == "42"
    nothing = aws("rds", "modify-db-instance", "--db-instance-identifier", "life0", check=False)
    assert "InvalidParameterCombination" in nothing.stderr

    arn = instance["DBInstanceArn"]
    aws("rds", "add-tags-to-resource", "--resource-name", arn, "--tags", "Key=env,Value=test", "Key=team,Value=dba")
    tags = json.loads(aws("rds", "list-tags-for-resource", "--resource-name", arn).stdout)["TagList"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("env", "test"), ("team", "dba")]
    aws("rds", "remove-tags-from-resource", "--resource-name", arn, "--tag-keys", "env")
    tags = json.loads(aws("rds", "list-tags-for-resource", "--resource-name", arn).stdout)["TagList"]
    assert tags == [{"Key": "team", "Value": "dba"}]

    refused = aws("rds", "delete-db-instance", "--db-instance-identifier", "life0", check=False)
    assert "InvalidParameterCombination" in refused.stderr, "a final snapshot or SkipFinalSnapshot is required"
    deleting = json.loads(aws("rds", "delete-db-instance", "--db-instance-identifier", "life0",
                              "--skip-final-snapshot").stdout)
    assert deleting["DBInstance"]["DBInstanceStatus"] == "deleting"
    aws("rds", "wait", "db-instance-deleted", "--db-instance-identifier", "life0")
    gone = aws("rds", "describe-db-instances", "--db-instance-identifier", "life0", check=False)
    assert "DBInstanceNotFound" in gone.stderr
    assert psql(port, "alice", "N3w-passw0rd", "SELECT 1").returncode != 0

    events = json.loads(aws("rds", "describe-events", "--source-identifier", "life0", "--source-type",
                            "db-instance").stdout)["Events"]
    messages = [e["Message"] for e in events]
    assert "DB instance created" in messages and "DB instance deleted" in messages

