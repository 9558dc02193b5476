"""A worker killed with SIGKILL at each step of create and of delete: a new worker finishes the
work, with exactly one cluster (or none), no orphan process and no orphan directory. Likewise at
each step of a snapshot, a final snapshot and its restore, and a snapshot's deletion: no half
snapshot is ever shown `available`, and the restore has the snapshot's rows."""

import json
import re
import urllib.error
import os
import subprocess
import time

import pytest

from conftest import CORNAC, deployment
from test_lifecycle import psql, settle


@pytest.fixture(scope="module")
def api_only():
    # The API alone; workers are started (and killed) by the test. Short leases, so a dead
    # worker's job is taken over quickly.
    yield from deployment(run_args=("--no-worker",), extra_env={"CORNAC_WORKER_LEASE_SECS": "3"})


@pytest.fixture
def cli(api_only):
    def run(*args, check=True):
        cmd = ["aws", "--endpoint-url", api_only.endpoint, *args]
        done = subprocess.run(cmd, env=api_only.env(), capture_output=True, text=True, timeout=120)
        if check:
            assert done.returncode == 0, done.stderr
        return done
    return run


def test_not_ready_without_a_worker(api_only):
    import urllib.request
    try:
        urllib.request.urlopen(api_only.endpoint + "/readyz", timeout=30)
        raise AssertionError("ready with no worker")
    except urllib.error.HTTPError as error:
        assert error.code == 503
        body = json.loads(error.read().decode())
        assert body["workers"] == 0 and body["ready"] is False and body["inventory"] == "ok"


def worker(service, crash_at=None):
    env = dict(service.cornac_env)
    if crash_at:
        env["CORNAC_CRASH_AT"] = crash_at
    return subprocess.Popen([CORNAC, "worker"], cwd=service.workdir, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def postmasters(directory):
    """Processes whose command line names `directory` (a cluster's postmaster and children)."""
    out = subprocess.run(["pgrep", "-f", "--", f"-D {directory}"], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def instance_dirs(service):
    return sorted(p.name for p in (service.workdir / "state" / "instances").iterdir())


@pytest.mark.parametrize("step", ["claimed", "provisioned"])
def test_a_create_survives_a_killed_worker(api_only, cli, step):
    name = f"crash-create-{step}"
    before = instance_dirs(api_only)
    created = json.loads(cli("rds", "create-db-instance", "--db-instance-identifier", name,
                             "--db-instance-class", "db.t3.micro", "--engine", "postgres",
                             "--master-username", "owner", "--master-user-password", "passw0rd-123",
                             "--db-name", "app").stdout)["DBInstance"]
    doomed = worker(api_only, crash_at=f"create:{step}")
    assert doomed.wait(timeout=120) == -9, "the worker was killed at the step"
    status = json.loads(cli("rds", "describe-db-instances", "--db-instance-identifier", name).stdout)
    assert status["DBInstances"][0]["DBInstanceStatus"] == "creating"

    heir = worker(api_only)
    try:
        settle(cli, name, "available")
    finally:
        heir.terminate()
        heir.wait(timeout=60)
    instance = json.loads(cli("rds", "describe-db-instances", "--db-instance-identifier", name).stdout)["DBInstances"][0]
    slug = created["DbiResourceId"].lower()
    assert instance_dirs(api_only) == sorted(before + [slug]), "exactly one new cluster"
    data = api_only.workdir / "state" / "instances" / slug
    assert sorted(os.listdir(data)) == sorted(["data", "postgresql.log", ".s.PGSQL.%d" % instance["Endpoint"]["Port"],
                                               ".s.PGSQL.%d.lock" % instance["Endpoint"]["Port"]]), "no half-made copy left"
    assert len(postmasters(data / "data")) == 1, "one postmaster"
    assert psql(instance["Endpoint"]["Port"], "owner", "passw0rd-123", "SELECT 1", db="app").returncode == 0


@pytest.mark.parametrize("step", ["claimed", "provisioned"])
def test_a_delete_survives_a_killed_worker(api_only, cli, step):
    name = f"crash-delete-{step}"
    created = json.loads(cli("rds", "create-db-instance", "--db-instance-identifier", name,
                             "--db-instance-class", "db.t3.micro", "--engine", "postgres",
                             "--master-username", "owner", "--master-user-password", "passw0rd-123").stdout)["DBInstance"]
    maker = worker(api_only)
    try:
        settle(cli, name, "available")
    finally:
        maker.terminate()
        maker.wait(timeout=60)
    cli("rds", "delete-db-instance", "--db-instance-identifier", name, "--skip-final-snapshot")
    doomed = worker(api_only, crash_at=f"delete:{step}")
    assert doomed.wait(timeout=120) == -9
    heir = worker(api_only)
    try:
        for _ in range(240):
            if cli("rds", "describe-db-instances", "--db-instance-identifier", name, check=False).returncode != 0:
                break
            time.sleep(0.25)
        else:
            raise AssertionError(f"{name} was never deleted")
    finally:
        heir.terminate()
        heir.wait(timeout=60)
    data = api_only.workdir / "state" / "instances" / created["DbiResourceId"].lower()
    assert not data.exists(), "no directory left"
    assert postmasters(data / "data") == [], "no process left"


def snapshot_status(cli, name):
    done = cli("rds", "describe-db-snapshots", "--db-snapshot-identifier", name, check=False)
    if done.returncode != 0:
        assert "DBSnapshotNotFound" in done.stderr, done.stderr
        return None
    return json.loads(done.stdout)["DBSnapshots"][0]["Status"]


def settle_snapshot(cli, name, status):
    for _ in range(480):
        if snapshot_status(cli, name) == status:
            return
        time.sleep(0.25)
    raise AssertionError(f"{name} never became {status}")


def available_instance(service, cli, name):
    # No automated backups: the repository then holds exactly the sets the test's snapshots make.
    cli("rds", "create-db-instance", "--db-instance-identifier", name, "--db-instance-class", "db.t3.micro",
        "--engine", "postgres", "--master-username", "owner", "--master-user-password", "passw0rd-123",
        "--db-name", "app", "--backup-retention-period", "0")
    maker = worker(service)
    try:
        settle(cli, name, "available")
    finally:
        maker.terminate()
        maker.wait(timeout=60)
    port = json.loads(cli("rds", "describe-db-instances", "--db-instance-identifier", name).stdout)[
        "DBInstances"][0]["Endpoint"]["Port"]
    made = psql(port, "owner", "passw0rd-123", "CREATE TABLE t (n int); INSERT INTO t VALUES (1)", db="app")
    assert made.returncode == 0, made.stderr
    return port


def resource_id(cli, name):
    return json.loads(cli("rds", "describe-db-instances", "--db-instance-identifier", name).stdout)[
        "DBInstances"][0]["DbiResourceId"]


def backup_sets(service, resource):
    """The backup sets (full, and incrementals on it) in the instance's pgBackRest repository on
    the host: what is left on disk, finished or not."""
    slug = resource.lower()
    stanza = service.workdir / "state" / "backups" / "local" / slug / "repo" / "backup" / slug
    if not stanza.is_dir():
        return []
    label = re.compile(r"^\d{8}-\d{6}F(_\d{8}-\d{6}[DI])?$")
    return sorted(p.name for p in stanza.iterdir() if label.match(p.name))


def killed_then_finished(service, crash_at, until):
    """A worker killed at `crash_at`, then one that finishes the work (`until()` is true)."""
    doomed = worker(service, crash_at=crash_at)
    assert doomed.wait(timeout=300) == -9, "the worker was killed at the step"
    heir = worker(service)
    try:
        until()
    finally:
        heir.terminate()
        heir.wait(timeout=60)


@pytest.mark.parametrize("step", ["claimed", "provisioned"])
def test_a_snapshot_survives_a_killed_worker(api_only, cli, step):
    name = f"crash-snap-{step}"
    available_instance(api_only, cli, name)
    cli("rds", "create-db-snapshot", "--db-instance-identifier", name, "--db-snapshot-identifier", f"{name}-s")
    doomed = worker(api_only, crash_at=f"snapshot:{step}")
    assert doomed.wait(timeout=300) == -9
    assert snapshot_status(cli, f"{name}-s") == "creating", "no half snapshot shown available"
    heir = worker(api_only)
    try:
        settle_snapshot(cli, f"{name}-s", "available")
        settle(cli, name, "available")
    finally:
        heir.terminate()
        heir.wait(timeout=60)
    sets = backup_sets(api_only, resource_id(cli, name))
    assert len(sets) == 1, f"one backup on disk, no half one left beside it: {sets}"


@pytest.mark.parametrize("step", ["claimed", "backed_up", "provisioned"])
def test_a_final_snapshot_and_its_restore_survive_killed_workers(api_only, cli, step):
    name = f"crash-final-{step.replace('_', '-')}"
    available_instance(api_only, cli, name)
    resource = resource_id(cli, name)
    cli("rds", "delete-db-instance", "--db-instance-identifier", name, "--final-db-snapshot-identifier", f"{name}-s")
    killed_then_finished(api_only, f"delete:{step}", lambda: settle_snapshot(cli, f"{name}-s", "available"))
    sets = backup_sets(api_only, resource)
    assert len(sets) == 1, f"the final snapshot on disk, alone: {sets}"
    cli("rds", "restore-db-instance-from-db-snapshot", "--db-instance-identifier", f"{name}-r",
        "--db-snapshot-identifier", f"{name}-s")
    killed_then_finished(api_only, "create:claimed" if step == "claimed" else "create:provisioned",
                         lambda: settle(cli, f"{name}-r", "available"))
    port = json.loads(cli("rds", "describe-db-instances", "--db-instance-identifier", f"{name}-r").stdout)[
        "DBInstances"][0]["Endpoint"]["Port"]
    rows = psql(port, "owner", "passw0rd-123", "SELECT n FROM t", db="app")
    assert rows.returncode == 0 and rows.stdout.split() == ["1"], rows.stderr


@pytest.mark.parametrize("step", ["claimed", "provisioned"])
def test_a_snapshot_deletion_survives_a_killed_worker(api_only, cli, step):
    name = f"crash-delsnap-{step}"
    available_instance(api_only, cli, name)
    cli("rds", "create-db-snapshot", "--db-instance-identifier", name, "--db-snapshot-identifier", f"{name}-s")
    maker = worker(api_only)
    try:
        settle_snapshot(cli, f"{name}-s", "available")
    finally:
        maker.terminate()
        maker.wait(timeout=60)
    resource = resource_id(cli, name)
    assert len(backup_sets(api_only, resource)) == 1
    cli("rds", "delete-db-snapshot", "--db-snapshot-identifier", f"{name}-s")
    killed_then_finished(api_only, f"delete_snapshot:{step}",
                         lambda: settle_snapshot(cli, f"{name}-s", None))
    assert backup_sets(api_only, resource) == [], "the backup went with its last snapshot"
