"""No secret leaks: on the shared deployment, the secret access keys and master passwords a
session uses never appear in the service's log, in any API answer but the one that shows a new
key (an IAM user's made with CreateAccessKey too), in DescribeEvents, in `cornac access-key list`, or anywhere in the inventory's data (keys
are stored encrypted, passwords only as SCRAM verifiers): the whole inventory is dumped with
pg_dump and searched."""

import subprocess
import tomllib
import uuid

import boto3

from test_accounts import cornac, new_account


def recording_client(service, name, key, secret, answers):
    """A boto3 client whose every raw answer body is appended to `answers`."""
    client = boto3.client(name, endpoint_url=service.endpoint, region_name="local",
                          aws_access_key_id=key, aws_secret_access_key=secret)
    client.meta.events.register("after-call", lambda http_response, **_: answers.append(http_response.text))
    return client


def inventory_dump(service):
    config = tomllib.loads((service.workdir / "cornac.toml").read_text())
    done = subprocess.run(["pg_dump", "--data-only", config["inventory"]["url"]],
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def test_no_secret_in_logs_answers_events_or_the_inventory(service):
    tag = uuid.uuid4().hex[:8]
    _, key, secret = new_account(service, f"secrets-{tag}")
    answers = []
    rds = recording_client(service, "rds", key, secret, answers)
    first, second = f"Pw1-{tag}-first", f"Pw2-{tag}-second"
    rds.create_db_instance(DBInstanceIdentifier="leak", DBInstanceClass="db.t3.micro", Engine="postgres",
                           AllocatedStorage=1, MasterUsername="leaker", MasterUserPassword=first)
    wait = rds.get_waiter("db_instance_available")
    wait.wait(DBInstanceIdentifier="leak", WaiterConfig={"Delay": 1, "MaxAttempts": 240})
    rds.modify_db_instance(DBInstanceIdentifier="leak", MasterUserPassword=second, ApplyImmediately=True)
    wait.wait(DBInstanceIdentifier="leak", WaiterConfig={"Delay": 1, "MaxAttempts": 240})
    events = rds.describe_events(SourceType="db-instance", SourceIdentifier="leak", Duration=60)["Events"]
    assert events, "the instance's events are listed"
    rds.describe_db_instances(DBInstanceIdentifier="leak")
    # An IAM user's key: its secret is in the one answer that made it, and nowhere else.
    iam_answers = []
    iam = recording_client(service, "iam", key, secret, iam_answers)
    iam.create_user(UserName="leaky")
    made = iam.create_access_key(UserName="leaky")["AccessKey"]
    user_secret = made["SecretAccessKey"]
    assert user_secret in iam_answers.pop()
    user_rds = recording_client(service, "rds", made["AccessKeyId"], user_secret, answers)
    try:
        user_rds.describe_db_instances()
    except Exception as e:  # no policy: refused, and the refusal names no secret
        answers.append(str(e))
    iam.list_access_keys(UserName="leaky")
    iam.get_access_key_last_used(AccessKeyId=made["AccessKeyId"])
    answers.extend(iam_answers)
    dump = inventory_dump(service)
    rds.delete_db_instance(DBInstanceIdentifier="leak", SkipFinalSnapshot=True)
    listed = cornac(service, "access-key", "list").stdout
    assert key in listed

    secrets = [secret, first, second, service.secret_key, user_secret]
    places = {
        "the log": (service.workdir / "cornac.log").read_text(),
        "an API answer": "\n".join(answers),
        "an event": "\n".join(e["Message"] for e in events),
        "cornac access-key list": listed,
        "the inventory": dump,
    }
    for where, text in places.items():
        for value in secrets:
            assert value not in text, f"a secret in {where}"
    # The dump is the inventory: it holds the key and the instance's verifier, not their text.
    assert key in dump and made["AccessKeyId"] in dump and "SCRAM-SHA-256$" in dump
