"""`cornac inspect` shows a Postgres that died behind the inventory's back; `cornac recover`
brings it back, as after a host reboot."""

import json
import os
import signal
import subprocess
import time

import pytest

from conftest import CORNAC, aws_cli, deployment
from test_lifecycle import psql, settle


@pytest.fixture(scope="module")
def quiet():
    """A deployment whose reconciler waits an hour between passes: it would restart the killed
    Postgres on its own before `cornac inspect` looks."""
    yield from deployment(extra_env={"CORNAC_WORKER_RECONCILE_SECS": "3600"})


def cornac(service, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CORNAC_")}
    return subprocess.run([CORNAC, *args], cwd=service.workdir, env=env, capture_output=True, text=True, timeout=120)


def gone_or_zombie(pid):
    """A killed postmaster whose parent never reaps it stays in /proc as a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def test_inspect_then_recover_a_killed_instance(quiet):
    service, aws = quiet, aws_cli(quiet)
    aws("rds", "create-db-instance", "--db-instance-identifier", "phoenix", "--db-instance-class", "db.t3.micro",
        "--engine", "postgres", "--master-username", "bird", "--master-user-password", "Ash3s-ash3s", "--db-name", "nest")
    settle(aws, "phoenix", "available")
    instance = json.loads(aws("rds", "describe-db-instances", "--db-instance-identifier", "phoenix").stdout)["DBInstances"][0]
    data = service.workdir / "state" / "instances" / instance["DbiResourceId"].lower() / "data"
    pid = int((data / "postmaster.pid").read_text().split()[0])
    os.kill(pid, signal.SIGKILL)
    for _ in range(100):
        if gone_or_zombie(pid):
            break
        time.sleep(0.1)

    shown = cornac(service, "inspect", "phoenix")
    assert shown.returncode == 0, shown.stderr
    line = next(l for l in shown.stdout.splitlines() if l.startswith("phoenix"))
    assert "available" in line and "down" in line and " 000000000000 " in line, shown.stdout
    other = cornac(service, "inspect", "phoenix", "--account", "000000000001")
    assert other.returncode != 0 and "no DB instance phoenix in account 000000000001" in other.stderr, other.stderr

    recovered = cornac(service, "recover")
    assert recovered.returncode == 0, recovered.stdout + recovered.stderr
    assert any(l.startswith("phoenix") and "started" in l for l in recovered.stdout.splitlines()), recovered.stdout
    assert "starting phoenix: done in " in recovered.stderr, "progress of the wait, as plain lines"
    port = instance["Endpoint"]["Port"]
    assert psql(port, "bird", "Ash3s-ash3s", "SELECT 1", db="nest").returncode == 0
    shown = cornac(service, "inspect", "phoenix")
    assert "running on 127.0.0.1" in shown.stdout, shown.stdout

    aws("rds", "delete-db-instance", "--db-instance-identifier", "phoenix", "--skip-final-snapshot")
    settle_gone(aws, "phoenix")


def settle_gone(aws, name):
    for _ in range(240):
        if aws("rds", "describe-db-instances", "--db-instance-identifier", name, check=False).returncode != 0:
            return
        time.sleep(0.25)
    raise AssertionError(f"{name} was never deleted")


def test_the_inventory_is_a_system_instance(service, aws):
    """No aws call lists, stops, modifies or deletes the inventory (the system account's, so to
    every key it is a missing instance); `cornac inspect` shows it."""
    listed = json.loads(aws("rds", "describe-db-instances").stdout)["DBInstances"]
    assert "cornac" not in [i["DBInstanceIdentifier"] for i in listed]
    for args in [
        ["describe-db-instances", "--db-instance-identifier", "cornac"],
        ["stop-db-instance", "--db-instance-identifier", "cornac"],
        ["reboot-db-instance", "--db-instance-identifier", "cornac"],
        ["modify-db-instance", "--db-instance-identifier", "cornac", "--master-user-password", "Takeover-123"],
        ["modify-db-instance", "--db-instance-identifier", "cornac", "--no-deletion-protection"],
        ["delete-db-instance", "--db-instance-identifier", "cornac", "--skip-final-snapshot"],
        ["add-tags-to-resource", "--resource-name", "arn:aws:rds:local:000000000000:db:cornac", "--tags", "Key=a,Value=b"],
    ]:
        refused = aws("rds", *args, check=False)
        assert refused.returncode != 0, args
        assert "DBInstanceNotFound" in refused.stderr, refused.stderr
    shown = cornac(service, "inspect", "cornac", "--account", "000000000001")
    line = next(l for l in shown.stdout.splitlines() if l.startswith("cornac "))
    assert shown.returncode == 0 and "available" in line and " 000000000001 " in line, shown.stdout + shown.stderr
    # Still serving: the refusals changed nothing.
    aws("rds", "describe-db-instances")
