"""The postgraas REST API on `cornac run`: the whole table of answers, a database that `psql`
reaches, the same instance seen and deleted through `aws rds`, a token, and the pgcluster
provider."""

import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import boto3
import pytest

from conftest import CORNAC, deployment
from test_lifecycle import psql, settle

PATH = "/api/v2/postgraas_instances"


def call(service, method, path, body=None, form=False, token=None):
    """(status, parsed JSON or text) of one request."""
    headers = {}
    data = None
    if body is not None:
        if form:
            data = urllib.parse.urlencode(body).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(service.endpoint + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            status, text = answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def guesses(service):
    """cornac_postgraas_delete_password_failures_total by result, from /metrics."""
    text = urllib.request.urlopen(service.endpoint + "/metrics", timeout=30).read().decode()
    found = re.findall(r'^cornac_postgraas_delete_password_failures_total\{result="(\w+)"\} (\d+)$', text, re.M)
    return {result: int(n) for result, n in found}


def new(name, user="pgraas", password="p0stgraas-pw", db="pgdb"):
    return {"postgraas_instance_name": name, "db_name": db, "db_username": user, "db_pwd": password}


def test_create_use_list_get_delete(service, aws):
    assert call(service, "GET", "/health") == (200, "ok")
    status, created = call(service, "POST", PATH, new("pg-one"))
    assert status == 201, created
    assert created["db_pwd"] == "p0stgraas-pw" and created["db_username"] == "pgraas" and created["db_name"] == "pgdb"
    assert created["host"] == "127.0.0.1" and isinstance(created["port"], int)
    assert psql(created["port"], "pgraas", "p0stgraas-pw", "SELECT current_database()", db="pgdb").stdout.strip() == "pgdb"

    status, listed = call(service, "GET", PATH)
    assert status == 200
    mine = [i for i in listed if i["postgraas_instance_name"] == "pg-one"]
    assert len(mine) == 1 and mine[0]["status"] == "available"
    assert "p0stgraas-pw" not in json.dumps(listed), "list never shows a password"
    status, one = call(service, "GET", f"{PATH}/{created['postgraas_instance_id']}")
    assert status == 200 and one["db_name"] == "pgdb" and "db_pwd" not in one

    seen = json.loads(aws("rds", "describe-db-instances", "--db-instance-identifier", "pg-one").stdout)["DBInstances"][0]
    assert (seen["DBName"], seen["MasterUsername"], seen["Endpoint"]["Port"]) == ("pgdb", "pgraas", created["port"])

    path = f"{PATH}/{created['postgraas_instance_id']}"
    before = guesses(service)
    assert call(service, "DELETE", path, {"db_pwd": "wrong-one"})[0] == 401
    # A wrong guess slows the next: even the right password waits its turn, and both count.
    status, answer = call(service, "DELETE", path, {"db_pwd": "p0stgraas-pw"})
    assert status == 429 and "try again in" in answer["msg"], answer
    after = guesses(service)
    assert {k: after[k] - before.get(k, 0) for k in after} == {"wrong": 1, "throttled": 1}, after
    time.sleep(1.1)
    busy = subprocess.Popen(
        ["psql", "-h", "127.0.0.1", "-p", str(created["port"]), "-U", "pgraas", "-d", "pgdb", "-c", "SELECT pg_sleep(60)"],
        env=dict(os.environ, PGPASSWORD="p0stgraas-pw"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        sleeping = "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'"
        for _ in range(100):
            if psql(created["port"], "pgraas", "p0stgraas-pw", sleeping, db="pgdb").stdout.strip() == "1":
                break
            time.sleep(0.1)
        status, answer = call(service, "DELETE", path, {"db_pwd": "p0stgraas-pw"})
        assert status == 409 and "in use" in answer["msg"], answer
    finally:
        # A backend busy in pg_sleep does not notice its client leave: end it as its own user.
        psql(created["port"], "pgraas", "p0stgraas-pw",
             "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'", db="pgdb")
        busy.wait(timeout=30)
    time.sleep(0.5)
    status, answer = call(service, "DELETE", path, {"db_pwd": "p0stgraas-pw"})
    assert (status, answer["status"]) == (200, "success"), answer
    assert call(service, "GET", path)[0] == 404


def test_the_originals_rules(service):
    status, answer = call(service, "POST", PATH, {"postgraas_instance_name": "x", "db_pwd": "p"})
    assert status == 400 and "db_name" in answer["msg"] and "db_username" in answer["msg"]
    assert call(service, "POST", PATH, new("pg-empty", password=""))[0] == 400
    for reserved in ["postgres", "postgres@someserver"]:
        status, answer = call(service, "POST", PATH, new("pg-reserved", user=reserved))
        assert status == 422, answer
    status, answer = call(service, "POST", PATH, new("Bad_Name!"))
    assert status == 400 and "postgraas_instance_name" in answer["msg"]
    status, answer = call(service, "POST", PATH, new("pg-inject", user="x'; DROP ROLE cornac; --"))
    assert status == 400 and "db_username" in answer["msg"]
    # A name taken in postgraas's account is refused (the inventory's, cornac, is the system
    # account's, so it is not taken there).
    assert call(service, "POST", PATH, new("pg-dup"))[0] == 201
    status, answer = call(service, "POST", PATH, new("pg-dup"))
    assert status == 409 and answer["msg"] == "postgraas_instance_name already exists pg-dup"
    # The inventory (registered first, id 1) is a system instance: never listed, never shown.
    status, listed = call(service, "GET", PATH)
    assert status == 200 and "cornac" not in [i["postgraas_instance_name"] for i in listed]
    for method in ["GET", "DELETE"]:
        status, answer = call(service, method, f"{PATH}/1", {"db_pwd": "x"} if method == "DELETE" else None)
        assert status == 403 and "Cornac's inventory, a system instance" in answer["msg"], answer
    for method in ["GET", "DELETE"]:
        status, answer = call(service, method, f"{PATH}/99999", {"db_pwd": "x"} if method == "DELETE" else None)
        assert status == 404 and "does not exist" in answer["msg"]
    assert call(service, "GET", f"{PATH}/not-a-number")[0] == 404


def test_passwords_libpq_can_send(service):
    """A non-ASCII password logs in with psql (libpq sends its SASLprep form, and so is the
    verifier); control characters are refused before anything is stored."""
    password = "Pässwörd-Ⅸ"
    status, created = call(service, "POST", PATH, new("pg-unicode", user="uni", password=password, db="unidb"))
    assert status == 201, created
    done = psql(created["port"], "uni", password, "SELECT current_user", db="unidb")
    assert done.stdout.strip() == "uni", done.stderr
    for bad in ["nul\0byte", "esc\x1b[2J", "tab\there"]:
        status, answer = call(service, "POST", PATH, new("pg-control", password=bad))
        assert status == 400 and "db_pwd" in answer["msg"], answer
    assert "pg-control" not in [i["postgraas_instance_name"] for i in call(service, "GET", PATH)[1]]
    status, answer = call(service, "DELETE", f"{PATH}/{created['postgraas_instance_id']}", {"db_pwd": password})
    assert status == 200, answer


def test_deletion_protection_refuses_a_delete(service, aws):
    status, created = call(service, "POST", PATH, new("pg-kept"))
    assert status == 201, created
    aws("rds", "modify-db-instance", "--db-instance-identifier", "pg-kept", "--deletion-protection")
    path = f"{PATH}/{created['postgraas_instance_id']}"
    status, answer = call(service, "DELETE", path, {"db_pwd": "p0stgraas-pw"})
    assert status == 409 and "deletion protection" in answer["msg"], answer
    assert call(service, "GET", path)[1]["status"] == "available"
    aws("rds", "modify-db-instance", "--db-instance-identifier", "pg-kept", "--no-deletion-protection")
    status, answer = call(service, "DELETE", path, {"db_pwd": "p0stgraas-pw"})
    assert status == 200, answer


def test_made_by_postgraas_deleted_by_rds(service, aws):
    status, created = call(service, "POST", PATH, new("pg-form", user="former", password="f0rm-pass"), form=True)
    assert status == 201, created
    aws("rds", "delete-db-instance", "--db-instance-identifier", "pg-form", "--skip-final-snapshot")
    for _ in range(240):
        if call(service, "GET", f"{PATH}/{created['postgraas_instance_id']}")[0] == 404:
            break
        time.sleep(0.25)
    else:
        raise AssertionError("never deleted")


@pytest.fixture(scope="module")
def shared_server(service, aws):
    """An RDS instance of the main service, whose owner administers a second deployment on the
    pgcluster provider. On PostgreSQL 15 a master user has no CREATEROLE (it would lead to the
    superuser), so the operator (root, through the instance's socket) gives it to this admin."""
    aws("rds", "create-db-instance", "--db-instance-identifier", "shared", "--db-instance-class", "db.t3.micro",
        "--engine", "postgres", "--master-username", "admin", "--master-user-password", "adm1n-pass",
        "--db-name", "admin")
    settle(aws, "shared", "available")
    instance = json.loads(aws("rds", "describe-db-instances", "--db-instance-identifier", "shared").stdout)["DBInstances"][0]
    port = instance["Endpoint"]["Port"]
    socket_dir = service.workdir / "state" / "instances" / instance["DbiResourceId"].lower()
    subprocess.run(["psql", "-X", "-h", str(socket_dir), "-p", str(port), "-U", "postgres", "-d", "postgres",
                    "-c", "ALTER ROLE admin CREATEROLE"], check=True, capture_output=True)
    yield f"postgres://admin:adm1n-pass@127.0.0.1:{port}/admin", port
    aws("rds", "delete-db-instance", "--db-instance-identifier", "shared", "--skip-final-snapshot")


def postgraas_account(service):
    """A second account, made before `cornac run`, for postgraas to act for
    (`[postgraas] account`, here from the environment)."""
    done = subprocess.run([CORNAC, "account", "create", "tenants"], cwd=service.workdir, env=service.cornac_env,
                          capture_output=True, text=True, timeout=120, check=True)
    service.postgraas_account = re.search(r"^account (\d{12}) tenants$", done.stdout, re.M).group(1)
    service.postgraas_key = (re.search(r"^aws_access_key_id = (\S+)$", done.stdout, re.M).group(1),
                             re.search(r"^aws_secret_access_key = (\S+)$", done.stdout, re.M).group(1))
    return {"CORNAC_POSTGRAAS_ACCOUNT": service.postgraas_account}


@pytest.fixture(scope="module")
def pgcluster_service(shared_server):
    url, _ = shared_server
    yield from deployment(extra_env={
        "CORNAC_PROVIDER_KIND": "pgcluster", "CORNAC_PGCLUSTER_URL": url,
        "CORNAC_POSTGRAAS_ENABLED": "true", "CORNAC_POSTGRAAS_TOKEN": "t0ken",
    }, before_run=postgraas_account)


def identifiers(service, key, secret):
    rds = boto3.client("rds", endpoint_url=service.endpoint, region_name="local",
                       aws_access_key_id=key, aws_secret_access_key=secret)
    return [i["DBInstanceIdentifier"] for i in rds.describe_db_instances()["DBInstances"]]


@pytest.fixture(scope="module")
def aws(service):
    def run(*args, check=True):
        done = subprocess.run(["aws", "--endpoint-url", service.endpoint, *args], env=service.env(),
                              capture_output=True, text=True, timeout=300)
        if check:
            assert done.returncode == 0, done.stderr
        return done
    return run


def test_pgcluster_with_a_token(pgcluster_service, shared_server):
    _, port = shared_server
    assert call(pgcluster_service, "GET", PATH)[0] == 401
    assert call(pgcluster_service, "GET", PATH, token="wrong")[0] == 401
    status, created = call(pgcluster_service, "POST", PATH, new("tenant-a", user="ann@shared", password="ann-pass-1", db="ann_db"), token="t0ken")
    assert status == 201, created
    assert (created["port"], created["db_username"]) == (port, "ann@shared")
    assert psql(port, "ann", "ann-pass-1", "SELECT 1", db="ann_db").returncode == 0
    status, other = call(pgcluster_service, "POST", PATH, new("tenant-b", user="bob", password="bob-pass-1", db="bob_db"), token="t0ken")
    assert status == 201, other
    assert psql(port, "bob", "bob-pass-1", "SELECT 1", db="ann_db").returncode != 0, "tenants are isolated"
    # postgraas acts for its configured account: its instances are that account's, not the
    # first (bootstrap's) account's.
    assert sorted(identifiers(pgcluster_service, *pgcluster_service.postgraas_key)) == ["tenant-a", "tenant-b"]
    assert identifiers(pgcluster_service, pgcluster_service.access_key, pgcluster_service.secret_key) == []
    for made, password in [(created, "ann-pass-1"), (other, "bob-pass-1")]:
        status, answer = call(pgcluster_service, "DELETE", f"{PATH}/{made['postgraas_instance_id']}", {"db_pwd": password}, token="t0ken")
        assert status == 200, answer
    assert psql(port, "ann", "ann-pass-1", "SELECT 1", db="ann_db").returncode != 0
