"""Operators' view: /readyz, /metrics in the Prometheus text format, and the access log."""

import json
import re
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

    aws("rds", "describe-db-instances", "--db-instance-identifier", "cornac")
    aws("rds", "describe-db-instances", "--db-instance-identifier", "nobody", check=False)
    status, text = get(service, "/metrics")
    assert status == 200
    assert re.search(r'cornac_api_requests_total\{api="rds",action="DescribeDBInstances",code="-"\} [1-9]', text), text
    assert re.search(r'cornac_api_requests_total\{api="rds",action="DescribeDBInstances",code="DBInstanceNotFound"\} [1-9]', text)
    assert 'cornac_api_request_duration_seconds' in text
    assert re.search(r'cornac_instances\{status="available",provider="local"\} [1-9]', text)
    assert re.search(r'cornac_workers_live [1-9]', text)
    assert "cornac_jobs_queued" in text and "cornac_jobs_oldest_queued_seconds" in text

    log = (service.workdir / "cornac.log").read_text()
    lines = [l for l in log.splitlines() if "rds request" in l and "nobody" in l]
    assert lines, "one access-log line a request"
    line = lines[-1]
    for field in [f"access_key_id=\"{service.access_key}\"", "action=\"DescribeDBInstances\"", "status=404",
                  "code=\"DBInstanceNotFound\"", "request_id="]:
        assert field in line, (field, line)
    assert service.secret_key not in log, "no secret in the log"
