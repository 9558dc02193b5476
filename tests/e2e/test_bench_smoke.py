"""The benchmark program runs (tiny counts, Cornac only): it cannot rot unnoticed. Speed is
never asserted; docs/benchmarks.md holds the figures."""

import os
import subprocess
from pathlib import Path

import pytest

from conftest import CORNAC, ROOT

BENCH = os.environ.get("CORNAC_BENCH_BIN", str(ROOT / "target" / "debug" / "cornac-bench"))


def test_api_bench_smoke(tmp_path: Path):
    done = subprocess.run(
        [BENCH, "api", "--cornac", CORNAC, "--instances", "25", "--requests", "20", "--concurrency", "1,2"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if not k.startswith("CORNAC_")},
    )
    assert done.returncode == 0, done.stderr
    rows = [l for l in done.stdout.splitlines() if l.startswith("| DescribeDBInstances") or l.startswith("| CreateDBInstance")]
    assert len(rows) == 6, done.stdout
    assert "Resident memory" in done.stdout


def test_local_create_bench_smoke():
    done = subprocess.run([BENCH, "local-create", "--count", "2"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "| 2 |" in done.stdout, done.stdout


@pytest.mark.skipif(os.environ.get("E2E_LIBVIRT") != "1", reason="E2E_LIBVIRT=1 not set")
def test_libvirt_create_bench_smoke():
    done = subprocess.run([BENCH, "libvirt-create", "--count", "1"], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "| 1 |" in done.stdout, done.stdout


def test_provision_bench_smoke():
    done = subprocess.run(
        [BENCH, "provision", "--cornac", CORNAC, "--sequential", "2", "--parallel", "2"],
        capture_output=True, text=True, timeout=300,
        env={k: v for k, v in os.environ.items() if not k.startswith("CORNAC_")},
    )
    assert done.returncode == 0, done.stderr
    assert "| one after another | 2 |" in done.stdout and "| all at once | 2 |" in done.stdout, done.stdout
    assert "Footprint of" in done.stdout, done.stdout


def test_scale_bench_smoke():
    done = subprocess.run(
        [BENCH, "scale", "--cornac", CORNAC, "--sizes", "5,50", "--requests", "10"],
        capture_output=True, text=True, timeout=300,
        env={k: v for k, v in os.environ.items() if not k.startswith("CORNAC_")},
    )
    assert done.returncode == 0, done.stderr
    rows = [l for l in done.stdout.splitlines() if l.startswith("| 5 |") or l.startswith("| 50 |")]
    assert len(rows) == 2, done.stdout
