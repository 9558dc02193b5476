"""The benchmark program runs (tiny counts, Cornac only): it cannot rot unnoticed. Speed is
never asserted; docs/benchmarks.md holds the figures."""

import os
import subprocess

import pytest

from conftest import CORNAC, ROOT

BENCH = os.environ.get("CORNAC_BENCH_BIN", str(ROOT / "target" / "debug" / "cornac-bench"))


def bench(*args, cwd=None):
    """Run one bench; its Markdown output."""
    done = subprocess.run(
        [BENCH, *args], capture_output=True, text=True, timeout=600, cwd=cwd,
        env={k: v for k, v in os.environ.items() if not k.startswith("CORNAC_")},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_api_bench_smoke(tmp_path):
    out = bench("api", "--cornac", CORNAC, "--instances", "25", "--requests", "20", "--concurrency", "1,2", cwd=tmp_path)
    rows = [l for l in out.splitlines() if l.startswith("| DescribeDBInstances") or l.startswith("| CreateDBInstance")]
    assert len(rows) == 6, out
    assert "Resident memory" in out


def test_local_create_bench_smoke():
    out = bench("local-create", "--count", "2")
    assert "| 2 |" in out, out


def test_local_backup_bench_smoke():
    out = bench("local-backup", "--size-mib", "1", "--lag-seconds", "3")
    assert "| incremental backup (one of the 1 tables rewritten) |" in out, out
    assert "lag of `latest` behind the clock p50" in out, out


def test_provision_bench_smoke():
    out = bench("provision", "--cornac", CORNAC, "--sequential", "2", "--parallel", "2")
    assert "| one after another | 2 |" in out and "| all at once | 2 |" in out, out
    assert "Footprint of" in out, out


def test_snapshots_bench_smoke():
    out = bench("snapshots", "--cornac", CORNAC, "--size-mib", "1")
    assert "| CreateDBSnapshot after one table rewritten (incremental) |" in out, out
    assert "| RestoreDBInstanceFromDBSnapshot from the incremental (and `psql`) |" in out, out


def test_scale_bench_smoke():
    out = bench("scale", "--cornac", CORNAC, "--sizes", "5,50", "--requests", "10")
    rows = [l for l in out.splitlines() if l.startswith("| 5 |") or l.startswith("| 50 |")]
    assert len(rows) == 2, out


@pytest.mark.skipif(os.environ.get("E2E_LIBVIRT") != "1", reason="E2E_LIBVIRT=1 not set")
def test_libvirt_create_bench_smoke():
    out = bench("libvirt-create", "--count", "1")
    assert "| 1 |" in out, out
