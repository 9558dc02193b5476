"""The libvirt provider with a real VM: the aws CLI creates an instance, psql from the host
writes and reads a row, stop and start keep it (on another port when its own was taken
meanwhile), and delete leaves no domain and no disk. A snapshot outlives its VM: restored into
a new one, it has exactly the rows it was taken with. With BackupRetentionPeriod 1, a restore to
a point in time has exactly the rows written before it.

Runs when E2E_LIBVIRT=1 (.ci/run sets it after .ci/install-libvirt and appliance/build):
libvirtd and virtlogd running, and a template in LIBVIRT_IMAGES (default /var/lib/cornac/images),
served by the storage pool LIBVIRT_POOL (default `cornac`).
"""

import json
import os
import socket
import subprocess
import time
import uuid
from datetime import datetime
from pathlib import Path

import pytest

from conftest import aws_cli, deployment
from test_lifecycle import psql

pytestmark = pytest.mark.skipif(os.environ.get("E2E_LIBVIRT") != "1", reason="E2E_LIBVIRT=1 not set")

IMAGES = Path(os.environ.get("LIBVIRT_IMAGES", "/var/lib/cornac/images"))
PREFIX = f"cornac-e2e-{uuid.uuid4().hex[:8]}-"
URI = "qemu:///system"


def virsh(*args):
    return subprocess.run(["virsh", "-c", URI, *args], capture_output=True, text=True)


def our_domains():
    names = virsh("list", "--all", "--name").stdout.split()
    return [n for n in names if n.startswith(PREFIX)]


def our_files():
    """Disks and console logs of this run's domains."""
    return sorted(p.name for p in IMAGES.iterdir() if p.name.startswith(PREFIX))


def clean_up():
    """Whatever a failed run left: domains and their disks."""
    for name in our_domains():
        virsh("destroy", name)
        virsh("undefine", name)
    for name in our_files():
        (IMAGES / name).unlink()


@pytest.fixture(scope="module")
def vm_service():
    env = {
        "CORNAC_PROVIDER_KIND": "libvirt",
        "CORNAC_LIBVIRT_URIS": URI,
        "CORNAC_LIBVIRT_DOMAIN_TYPE": "qemu",
        "CORNAC_LIBVIRT_IMAGES_DIR": str(IMAGES),
        "CORNAC_LIBVIRT_POOL": os.environ.get("LIBVIRT_POOL", "cornac"),
        "CORNAC_LIBVIRT_NAME_PREFIX": PREFIX,
        "CORNAC_LIBVIRT_PORT_MIN": "26000",
        "CORNAC_LIBVIRT_PORT_MAX": "26999",
    }
    try:
        yield from deployment(extra_env=env)
    finally:
        clean_up()


def describe(aws, name):
    return json.loads(aws("rds", "describe-db-instances", "--db-instance-identifier", name).stdout)["DBInstances"][0]


def settle(aws, name, status, timeout=600):
    deadline = time.time() + timeout
    seen = None
    while time.time() < deadline:
        seen = describe(aws, name)["DBInstanceStatus"]
        if seen == status:
            return
        assert seen != "failed", f"{name} failed"
        time.sleep(1)
    raise AssertionError(f"{name} never became {status} (last {seen})")


def test_a_vm_instance_lives_and_dies(vm_service):
    aws = aws_cli(vm_service)
    started = time.time()
    aws(
        "rds", "create-db-instance", "--db-instance-identifier", "vm1", "--db-instance-class", "db.t3.micro",
        "--engine", "postgres", "--allocated-storage", "20", "--master-username", "alice",
        "--master-user-password", "C0nfidentiel", "--db-name", "shop",
        # No automated backup beside the test's own: a backup of a VM under emulation is minutes.
        "--backup-retention-period", "0",
    )
    settle(aws, "vm1", "available")
    instance = describe(aws, "vm1")
    port = instance["Endpoint"]["Port"]
    assert instance["Endpoint"]["Address"] == "127.0.0.1"
    made = psql(port, "alice", "C0nfidentiel", "CREATE TABLE t (x int); INSERT INTO t VALUES (42); SELECT x FROM t")
    assert made.returncode == 0 and made.stdout.strip().endswith("42"), made.stderr
    print(f"\nlibvirt create -> psql: {time.time() - started:.1f} s")
    assert psql(port, "alice", "C0nfidentiel", "SELECT rolsuper FROM pg_roles WHERE rolname = current_user").stdout.strip() == "f"
    # The master user never becomes the guest's postgres (or root) through the server's programs or files.
    for escape in ["GRANT pg_execute_server_program TO alice", "COPY t FROM PROGRAM 'id'",
                   "SELECT pg_read_file('/etc/passwd')", "ALTER ROLE alice SUPERUSER"]:
        refused = psql(port, "alice", "C0nfidentiel", escape)
        assert refused.returncode != 0 and ("permission denied" in refused.stderr or "must " in refused.stderr), refused.stderr
    # Without CREATEROLE on 15 and older, the master makes roles through the role functions.
    if int(psql(port, "alice", "C0nfidentiel", "SHOW server_version_num").stdout.strip()) < 160000:
        made_role = psql(port, "alice", "C0nfidentiel", "SELECT _cornac.create_role('x_role')")
        assert made_role.returncode == 0, made_role.stderr
    assert psql(port, "alice", "wrong-password", "SELECT 1").returncode != 0
    # `cornac bootstrap` made the inventory through the configured provider: a VM too.
    domain = PREFIX + instance["DbiResourceId"].lower()
    assert len(our_domains()) == 2 and domain in our_domains()
    assert virsh("domstate", domain).stdout.strip() == "running"

    aws("rds", "stop-db-instance", "--db-instance-identifier", "vm1")
    settle(aws, "vm1", "stopped")
    assert virsh("domstate", domain).stdout.strip() == "shut off"
    assert psql(port, "alice", "C0nfidentiel", "SELECT 1").returncode != 0

    # Someone takes the instance's port while it is stopped: it starts on another one.
    with socket.socket() as squatter:
        # The forward's last connections may still be in TIME_WAIT on that port, which only
        # SO_REUSEADDR lets a listener take (as PostgreSQL's own listener does).
        squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        squatter.bind(("127.0.0.1", port))
        squatter.listen()
        aws("rds", "start-db-instance", "--db-instance-identifier", "vm1")
        settle(aws, "vm1", "available")
        moved = describe(aws, "vm1")["Endpoint"]["Port"]
        assert moved != port
        kept = psql(moved, "alice", "C0nfidentiel", "SELECT x FROM t")
        assert kept.returncode == 0 and kept.stdout.strip() == "42", kept.stderr

    aws("rds", "delete-db-instance", "--db-instance-identifier", "vm1", "--skip-final-snapshot")
    deadline = time.time() + 300
    while time.time() < deadline:
        gone = aws("rds", "describe-db-instances", "--db-instance-identifier", "vm1", check=False)
        if "DBInstanceNotFound" in gone.stderr:
            break
        time.sleep(1)
    else:
        raise AssertionError("vm1 was never deleted")
    assert domain not in our_domains() and len(our_domains()) == 1
    assert [f for f in our_files() if f.startswith(domain)] == [], "no disk and no console log is left"


def wait_gone(aws, name):
    deadline = time.time() + 300
    while time.time() < deadline:
        gone = aws("rds", "describe-db-instances", "--db-instance-identifier", name, check=False)
        if "DBInstanceNotFound" in gone.stderr:
            return
        time.sleep(1)
    raise AssertionError(f"{name} was never deleted")


def test_a_vm_snapshot_outlives_its_vm(vm_service):
    aws = aws_cli(vm_service)
    aws(
        "rds", "create-db-instance", "--db-instance-identifier", "vm2", "--db-instance-class", "db.t3.micro",
        "--engine", "postgres", "--allocated-storage", "20", "--master-username", "alice",
        "--master-user-password", "C0nfidentiel", "--db-name", "shop",
        # No automated backup beside the test's own: a backup of a VM under emulation is minutes.
        "--backup-retention-period", "0",
    )
    settle(aws, "vm2", "available")
    port = describe(aws, "vm2")["Endpoint"]["Port"]
    made = psql(port, "alice", "C0nfidentiel", "CREATE TABLE t (x int); INSERT INTO t VALUES (1), (2)")
    assert made.returncode == 0, made.stderr
    started = time.time()
    aws("rds", "create-db-snapshot", "--db-instance-identifier", "vm2", "--db-snapshot-identifier", "vm2-snap")
    aws("rds", "wait", "db-snapshot-available", "--db-snapshot-identifier", "vm2-snap")
    print(f"\nlibvirt snapshot -> available: {time.time() - started:.1f} s")
    settle(aws, "vm2", "available")
    more = psql(port, "alice", "C0nfidentiel", "INSERT INTO t VALUES (3)")
    assert more.returncode == 0, more.stderr
    aws("rds", "delete-db-instance", "--db-instance-identifier", "vm2", "--skip-final-snapshot")
    wait_gone(aws, "vm2")

    started = time.time()
    aws(
        "rds", "restore-db-instance-from-db-snapshot", "--db-instance-identifier", "vm3",
        "--db-snapshot-identifier", "vm2-snap", "--db-instance-class", "db.t3.micro",
    )
    settle(aws, "vm3", "available")
    print(f"libvirt restore -> available: {time.time() - started:.1f} s")
    restored = describe(aws, "vm3")
    rows = psql(restored["Endpoint"]["Port"], "alice", "C0nfidentiel", "SELECT string_agg(x::text, ',' ORDER BY x) FROM t")
    assert rows.returncode == 0 and rows.stdout.strip() == "1,2", rows.stderr
    assert restored["MasterUsername"] == "alice"

    aws("rds", "delete-db-instance", "--db-instance-identifier", "vm3", "--skip-final-snapshot")
    wait_gone(aws, "vm3")
    aws("rds", "delete-db-snapshot", "--db-snapshot-identifier", "vm2-snap")
    aws("rds", "wait", "db-snapshot-deleted", "--db-snapshot-identifier", "vm2-snap")
    assert len(our_domains()) == 1, "only the inventory's VM is left"


def guest_clock(port):
    """The VM's clock, which the commit times in its WAL (so a restore's target) follow."""
    now = psql(port, "alice", "C0nfidentiel", "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', "
               "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')")
    assert now.returncode == 0, now.stderr
    return now.stdout.strip()


def test_a_vm_restores_to_a_point_in_time(vm_service):
    """BackupRetentionPeriod 1 archives the VM's WAL all the time (the host pulls it from the
    guest's spool on each window refresh): with the automated backup taken after the create as
    the base, once LatestRestorableTime passes the last write, a restore to a recorded time has
    only the rows written before it."""
    aws = aws_cli(vm_service)
    aws(
        "rds", "create-db-instance", "--db-instance-identifier", "vm4", "--db-instance-class", "db.t3.micro",
        "--engine", "postgres", "--allocated-storage", "20", "--master-username", "alice",
        "--master-user-password", "C0nfidentiel", "--db-name", "shop", "--backup-retention-period", "1",
    )
    settle(aws, "vm4", "available")
    # The automated backup right after the create: the window's start.
    deadline = time.time() + 900
    while not (describe(aws, "vm4").get("LatestRestorableTime") and describe(aws, "vm4")["DBInstanceStatus"] == "available"):
        assert time.time() < deadline, f"no restorable window: {describe(aws, 'vm4')}"
        time.sleep(2)
    port = describe(aws, "vm4")["Endpoint"]["Port"]
    made = psql(port, "alice", "C0nfidentiel", "CREATE TABLE t (x int); INSERT INTO t VALUES (1), (2)")
    assert made.returncode == 0, made.stderr
    time.sleep(1.5)
    recorded = guest_clock(port)
    time.sleep(1.5)
    assert psql(port, "alice", "C0nfidentiel", "INSERT INTO t VALUES (3)").returncode == 0
    last_write = guest_clock(port)
    deadline = time.time() + 600
    written = datetime.fromisoformat(last_write.replace("Z", "+00:00"))
    while datetime.fromisoformat(describe(aws, "vm4").get("LatestRestorableTime")) <= written:
        assert time.time() < deadline, f"LatestRestorableTime never passed {last_write}: {describe(aws, 'vm4')}"
        time.sleep(2)

    started = time.time()
    aws(
        "rds", "restore-db-instance-to-point-in-time", "--source-db-instance-identifier", "vm4",
        "--target-db-instance-identifier", "vm5", "--restore-time", recorded, "--backup-retention-period", "0",
    )
    settle(aws, "vm5", "available", timeout=1200)
    print(f"\nlibvirt point-in-time restore -> available: {time.time() - started:.1f} s")
    then = describe(aws, "vm5")["Endpoint"]["Port"]
    rows = psql(then, "alice", "C0nfidentiel", "SELECT string_agg(x::text, ',' ORDER BY x) FROM t")
    assert rows.returncode == 0 and rows.stdout.strip() == "1,2", rows.stderr

    for name in ("vm4", "vm5"):
        aws("rds", "delete-db-instance", "--db-instance-identifier", name, "--skip-final-snapshot")
    for name in ("vm4", "vm5"):
        wait_gone(aws, name)
    assert len(our_domains()) == 1, "only the inventory's VM is left"
