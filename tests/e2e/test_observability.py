"""Operators' view: /readyz, /metrics in the Prometheus text format, and the access log."""

import json
import re
import time
import urllib.request


def get(service, path):
    try:
        with urllib.request.urlopen(service.endpoint + path, timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_ready_metrics_and_access_log(service, aws):
    status, body = get(service, "/readyz")
    ready = json.loads(body)
    assert status == 200 and ready == {"ready": True, "inventory": "ok", "migrations": "current", "workers": 1}, body

    # One job, so that job metrics exist whatever ran before.
    aws("rds", "create-db-instance", "--db-instance-identifier", "obs0", "--db-instance-class", "db.t3.micro",
        "--engine", "postgres", "--allocated-storage", "1", "--master-username", "obs",
        "--master-user-password", "0bservabl3")
    for _ in range(240):
        shown = json.loads(aws("rds", "describe-db-instances", "--db-instance-identifier", "obs0").stdout)
        if shown["DBInstances"][0]["DBInstanceStatus"] == "available":
            break
        time.sleep(0.25)
    aws("rds", "describe-db-instances")
    aws("rds", "describe-db-instances", "--db-instance-identifier", "nobody", check=False)
    status, text = get(service, "/metrics")
    assert status == 200
    assert re.search(r'cornac_api_requests_total\{api="rds",action="DescribeDBInstances",code="-"\} [1-9]', text), text
    assert re.search(r'cornac_api_requests_total\{api="rds",action="DescribeDBInstances",code="DBInstanceNotFound"\} [1-9]', text)
    assert 'cornac_api_request_duration_seconds' in text
    assert re.search(r'cornac_instances\{status="available",provider="local"\} [1-9]', text)
    assert re.search(r'cornac_workers_live [1-9]', text)
    assert "cornac_jobs_queued" in text and "cornac_jobs_oldest_queued_seconds" in text
    assert re.search(r'cornac_jobs_started_total\{kind="create"\} [1-9]', text), text
    assert re.search(r'cornac_job_pickup_seconds_count\{kind="create"\} [1-9]', text), text
    aws("rds", "delete-db-instance", "--db-instance-identifier", "obs0", "--skip-final-snapshot")

    log = (service.workdir / "cornac.log").read_text()
    lines = [l for l in log.splitlines() if "rds request" in l and "nobody" in l]
    assert lines, "one access-log line a request"
    line = lines[-1]
    for field in [f"access_key_id=\"{service.access_key}\"", "action=\"DescribeDBInstances\"", "status=404",
                  "code=\"DBInstanceNotFound\"", "request_id="]:
        assert field in line, (field, line)
    assert service.secret_key not in log, "no secret in the log"
