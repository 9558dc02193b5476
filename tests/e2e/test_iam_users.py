"""IAM users and their access keys through boto3's IAM client and the aws CLI, on the same
endpoint: botocore reads every answer (users, tags, paginated lists, the new key's secret
once, last use), the new key works at once and stops working once inactive or deleted, and
the errors are botocore's modeled ones with AWS's statuses."""

import json
import uuid

import boto3
import pytest
from botocore.exceptions import ClientError

from conftest import aws_cli


def iam(service, key=None, secret=None):
    return boto3.client("iam", endpoint_url=service.endpoint, region_name="local",
                        aws_access_key_id=key or service.access_key,
                        aws_secret_access_key=secret or service.secret_key)


def error(call, **kwargs):
    with pytest.raises(ClientError) as e:
        call(**kwargs)
    return e.value.response["ResponseMetadata"]["HTTPStatusCode"], e.value.response["Error"]["Code"]


def test_users_through_boto3(service):
    client = iam(service)
    tag = uuid.uuid4().hex[:8]
    path = f"/e2e-{tag}/"
    names = [f"u{tag}-{i}" for i in range(5)]
    made = client.create_user(UserName=names[0], Path=path, Tags=[{"Key": "team", "Value": "db"}])["User"]
    assert made["UserName"] == names[0] and made["Path"] == path
    assert made["UserId"].startswith("AIDA") and made["Arn"].endswith(f":user{path}{names[0]}")
    assert made["Tags"] == [{"Key": "team", "Value": "db"}]
    for name in names[1:]:
        client.create_user(UserName=name, Path=path)
    assert error(client.create_user, UserName=names[0].upper()) == (409, "EntityAlreadyExists")
    got = client.get_user(UserName=names[0])["User"]
    assert (got["UserId"], got["CreateDate"]) == (made["UserId"], made["CreateDate"])
    me = client.get_user()["User"]
    assert me["Arn"].endswith(":root") and "UserName" not in me

    # The paginator follows the markers, two users a page.
    pages = list(client.get_paginator("list_users").paginate(PathPrefix=path, PaginationConfig={"PageSize": 2}))
    assert len(pages) == 3
    assert [u["UserName"] for p in pages for u in p["Users"]] == names

    client.tag_user(UserName=names[0], Tags=[{"Key": "TEAM", "Value": "ops"}, {"Key": "cost", "Value": ""}])
    assert client.list_user_tags(UserName=names[0])["Tags"] == [
        {"Key": "TEAM", "Value": "ops"}, {"Key": "cost", "Value": ""}]
    client.untag_user(UserName=names[0], TagKeys=["team"])
    assert client.list_user_tags(UserName=names[0])["Tags"] == [{"Key": "cost", "Value": ""}]

    for name in names:
        client.delete_user(UserName=name)
    assert error(client.get_user, UserName=names[0]) == (404, "NoSuchEntity")
    assert client.list_users(PathPrefix=path)["Users"] == []


# A user may read itself and manage its own keys (AWS's self-service pattern).
SELF_SERVICE = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Action": ["iam:GetUser", "iam:*AccessKey*"],
    "Resource": "arn:aws:iam::*:user/${aws:username}"}]})


def test_keys_through_boto3(service):
    client = iam(service)
    name = f"k{uuid.uuid4().hex[:8]}"
    client.create_user(UserName=name)
    client.put_user_policy(UserName=name, PolicyName="self", PolicyDocument=SELF_SERVICE)
    key = client.create_access_key(UserName=name)["AccessKey"]
    assert (key["UserName"], key["Status"], len(key["SecretAccessKey"])) == (name, "Active", 40)
    theirs = iam(service, key["AccessKeyId"], key["SecretAccessKey"])
    assert theirs.get_user()["User"]["UserName"] == name
    second = theirs.create_access_key()["AccessKey"]
    assert second["UserName"] == name
    assert error(client.create_access_key, UserName=name) == (409, "LimitExceeded")
    listed = client.list_access_keys(UserName=name)["AccessKeyMetadata"]
    assert sorted(k["AccessKeyId"] for k in listed) == sorted([key["AccessKeyId"], second["AccessKeyId"]])
    assert all("SecretAccessKey" not in k for k in listed)

    used = client.get_access_key_last_used(AccessKeyId=key["AccessKeyId"])
    assert used["UserName"] == name and "ServiceName" in used["AccessKeyLastUsed"]

    client.update_access_key(UserName=name, AccessKeyId=key["AccessKeyId"], Status="Inactive")
    assert error(theirs.get_user) == (403, "InvalidClientTokenId")
    client.update_access_key(UserName=name, AccessKeyId=key["AccessKeyId"], Status="Active")
    assert theirs.get_user()["User"]["UserName"] == name

    assert error(client.delete_user, UserName=name) == (409, "DeleteConflict")
    for k in (key, second):
        client.delete_access_key(UserName=name, AccessKeyId=k["AccessKeyId"])
    assert error(theirs.get_user) == (403, "InvalidClientTokenId")
    assert error(client.delete_access_key, UserName=name, AccessKeyId=key["AccessKeyId"]) == (404, "NoSuchEntity")
    assert error(client.delete_user, UserName=name) == (409, "DeleteConflict")
    client.delete_user_policy(UserName=name, PolicyName="self")
    client.delete_user(UserName=name)


def test_the_aws_cli_makes_a_user_and_its_key(service):
    aws = aws_cli(service)
    name = f"cli{uuid.uuid4().hex[:8]}"
    user = json.loads(aws("iam", "create-user", "--user-name", name).stdout)["User"]
    assert user["UserName"] == name
    aws("iam", "put-user-policy", "--user-name", name, "--policy-name", "self", "--policy-document", SELF_SERVICE)
    key = json.loads(aws("iam", "create-access-key", "--user-name", name).stdout)["AccessKey"]
    as_user = {"AWS_ACCESS_KEY_ID": key["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": key["SecretAccessKey"]}
    me = json.loads(aws("iam", "get-user", extra_env=as_user).stdout)["User"]
    assert me["Arn"] == user["Arn"]
    listed = json.loads(aws("iam", "list-access-keys", "--user-name", name).stdout)["AccessKeyMetadata"]
    assert [k["AccessKeyId"] for k in listed] == [key["AccessKeyId"]]
    aws("iam", "delete-access-key", "--user-name", name, "--access-key-id", key["AccessKeyId"])
    aws("iam", "delete-user-policy", "--user-name", name, "--policy-name", "self")
    aws("iam", "delete-user", "--user-name", name)
    gone = aws("iam", "get-user", "--user-name", name, check=False)
    assert gone.returncode != 0 and "NoSuchEntity" in gone.stderr
