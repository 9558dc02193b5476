"""Issue 12's bad input and HTTP edge through real clients: the aws CLI's refused control
characters and repeated tag keys, a GET signed by botocore, a PUT, and a half-sent body."""

import json
import socket
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import pytest


def signed(service, method, url, data=None):
    request = botocore.awsrequest.AWSRequest(method=method, url=url, data=data)
    creds = botocore.credentials.Credentials(service.access_key, service.secret_key)
    botocore.auth.SigV4Auth(creds, "rds", "local").add_auth(request)
    prepared = request.prepare()
    body = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
    return urllib.request.Request(prepared.url, data=body, headers=dict(prepared.headers), method=method)


def test_control_characters_are_invalid_and_repeated_tag_keys_refused(aws):
    arn = "arn:aws:rds:local:000000000000:db:ctl"
    for tags in ([{"Key": "color", "Value": "\x1b[31mred"}], [{"Key": "k\x00", "Value": "v"}]):
        done = aws("rds", "add-tags-to-resource", "--resource-name", arn, "--tags", json.dumps(tags), check=False)
        assert done.returncode != 0 and "InvalidParameterValue" in done.stderr, done.stderr
    twice = aws(
        "rds", "create-db-instance", "--db-instance-identifier", "ctl", "--db-instance-class", "db.t3.micro",
        "--engine", "postgres", "--allocated-storage", "5", "--master-username", "owner",
        "--master-user-password", "passw0rd-123", "--tags", "Key=env,Value=a", "Key=env,Value=b", check=False,
    )
    # Real RDS: "InvalidParameterCombination: Duplicate tag key found in request: <key>".
    assert twice.returncode != 0 and "InvalidParameterCombination" in twice.stderr, twice.stderr
    assert "Duplicate tag key" in twice.stderr
    gone = aws("rds", "describe-db-instances", "--db-instance-identifier", "ctl", check=False)
    assert "DBInstanceNotFound" in gone.stderr, "the refused create left nothing"



def test_out_of_range_event_window_is_invalid_not_a_500(service):
    # The aws CLI cannot send this date; botocore signs it as any client could.
    form = "Action=DescribeEvents&Version=2014-10-31&StartTime=-5000-01-01T00:00:00"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(signed(service, "POST", service.endpoint + "/", form), timeout=30)
    assert refused.value.code == 400
    body = refused.value.read().decode()
    assert "<Code>InvalidParameterValue</Code>" in body and "StartTime" in body, body

def test_signed_get_is_served_and_put_is_405(service):
    url = service.endpoint + "/?Action=DescribeDBInstances&Version=2014-10-31&MaxRecords=20"
    with urllib.request.urlopen(signed(service, "GET", url), timeout=30) as answer:
        body = answer.read().decode()
    root = ET.fromstring(body)
    assert root.tag == "{http://rds.amazonaws.com/doc/2014-10-31/}DescribeDBInstancesResponse", body
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(signed(service, "PUT", service.endpoint + "/", "Action=DescribeDBInstances"), timeout=30)
    assert refused.value.code == 405
    error = ET.fromstring(refused.value.read().decode())
    ns = "{http://rds.amazonaws.com/doc/2014-10-31/}"
    assert error.find(f"{ns}Error/{ns}Code").text == "MethodNotAllowed"
    assert refused.value.headers["Allow"] == "GET, POST"


def test_a_half_sent_body_is_cut_off(service):
    with socket.create_connection(("127.0.0.1", service.port), timeout=60) as conn:
        conn.sendall(
            b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"Content-Length: 100\r\n\r\nAction=Des"
        )
        answer = b""
        while True:  # a minute with nothing raises socket.timeout: the server held it
            chunk = conn.recv(4096)
            if not chunk:
                break
            answer += chunk
    assert answer == b"" or answer.startswith(b"HTTP/1.1 408"), answer
