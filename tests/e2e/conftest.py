"""A bootstrapped `cornac run` on the local provider, in a temporary directory, for the whole
session; and clients (aws CLI, boto3) pointed at it with the key bootstrap printed."""

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
CORNAC = os.environ.get("CORNAC_BIN", str(ROOT / "target" / "debug" / "cornac"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Service:
    def __init__(self, workdir: Path, run_args=(), extra_env=None, before_run=None):
        """`before_run(self)`, when given, runs after bootstrap and before `cornac run`, and
        returns more environment for `cornac run`."""
        self.workdir = workdir
        env = {k: v for k, v in os.environ.items() if not k.startswith("CORNAC_")}
        env.update(extra_env or {})
        self.cornac_env = env
        boot = subprocess.run([CORNAC, "bootstrap"], cwd=workdir, env=env, capture_output=True, text=True, check=True)
        lines = dict(
            line.split(" = ", 1) for line in boot.stdout.splitlines() if line.startswith("aws_")
        )
        self.access_key = lines["aws_access_key_id"]
        self.secret_key = lines["aws_secret_access_key"]
        if before_run:
            env.update(before_run(self))
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log = open(workdir / "cornac.log", "w")
        self.process = subprocess.Popen(
            [CORNAC, "run", "--listen", f"127.0.0.1:{self.port}", *run_args], cwd=workdir, env=env,
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                assert self.process.poll() is None, (workdir / "cornac.log").read_text()
                assert time.time() < deadline, "cornac run never listened"
                time.sleep(0.1)

    def env(self, **extra):
        """Environment for the aws CLI: credentials, region `local`, no user config."""
        env = dict(os.environ)
        env.update(
            AWS_ACCESS_KEY_ID=self.access_key,
            AWS_SECRET_ACCESS_KEY=self.secret_key,
            AWS_DEFAULT_REGION="local",
            AWS_CONFIG_FILE=str(self.workdir / "no-aws-config"),
            AWS_SHARED_CREDENTIALS_FILE=str(self.workdir / "no-aws-credentials"),
        )
        env.update(extra)
        return env

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=60)
        self.log.close()
        # Every cluster this deployment started lives under its directory.
        subprocess.run(["pkill", "-KILL", "-f", str(self.workdir)], check=False)
        time.sleep(0.5)
        # Run as root, each cluster had an OS user of its own (the owner of its directory).
        instances = self.workdir / "state" / "instances"
        for directory in instances.iterdir() if instances.is_dir() else []:
            try:
                owner = pwd.getpwuid(directory.stat().st_uid).pw_name
            except KeyError:  # the service removed the user already
                continue
            if owner.startswith("cornac-"):
                # userdel refuses a user whose processes (backends) still run.
                subprocess.run(["pkill", "-KILL", "-u", owner], check=False)
                for _ in range(20):
                    if subprocess.run(["userdel", owner], check=False).returncode != 8:
                        break
                    time.sleep(0.25)


def deployment(**kwargs):
    """A bootstrapped, running service in a fresh directory; removed with all its clusters."""
    workdir = Path(tempfile.mkdtemp(prefix="cornac-e2e-"))
    os.chmod(workdir, 0o755)
    svc = Service(workdir, **kwargs)
    try:
        yield svc
    finally:
        svc.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture(scope="session")
def service():
    # postgraas is off by default; the shared deployment serves it (on 127.0.0.1, no token).
    yield from deployment(extra_env={"CORNAC_POSTGRAAS_ENABLED": "true"})


@pytest.fixture(scope="session")
def rds(service):
    return boto3.client(
        "rds", endpoint_url=service.endpoint, region_name="local",
        aws_access_key_id=service.access_key, aws_secret_access_key=service.secret_key,
    )


def aws_cli(service):
    """Run the real aws CLI against `service`; returns the completed process."""

    def run(*args, check=True, extra_env=None, prefix=()):
        cmd = [*prefix, "aws", "--endpoint-url", service.endpoint, *args]
        done = subprocess.run(cmd, env=service.env(**(extra_env or {})), capture_output=True, text=True, timeout=300)
        if check:
            assert done.returncode == 0, f"{cmd}: {done.stderr}"
        return done

    return run


@pytest.fixture
def aws(service):
    return aws_cli(service)
