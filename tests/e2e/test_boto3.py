"""boto3: paginated describe of 30 instances, waiters, modeled exceptions, STS, and the errors
the real clients raise for a wrong secret, a skewed clock, no signature and an unknown action."""

import json
import urllib.error
import urllib.request

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import pytest
from botocore.exceptions import ClientError


def create(rds, name, **extra):
    return rds.create_db_instance(
        DBInstanceIdentifier=name, DBInstanceClass="db.t3.micro", Engine="postgres", AllocatedStorage=5,
        MasterUsername="owner", MasterUserPassword="passw0rd-123", **extra,
    )["DBInstance"]


def test_paginated_describe_of_30_instances(rds, aws):
    names = [f"page{i:02d}" for i in range(30)]
    for name in names:
        create(rds, name)
    waiter = rds.get_waiter("db_instance_available")
    for name in names:
        waiter.wait(DBInstanceIdentifier=name, WaiterConfig={"Delay": 1, "MaxAttempts": 120})
    pages = list(rds.get_paginator("describe_db_instances").paginate(PaginationConfig={"PageSize": 20}))
    assert len(pages) >= 2 and len(pages[0]["DBInstances"]) == 20
    seen = [i["DBInstanceIdentifier"] for p in pages for i in p["DBInstances"]]
    assert len(seen) == len(set(seen)), "no instance on two pages"
    assert set(names) <= set(seen)
    # The aws CLI's own paginator follows the markers too.
    listed = json.loads(aws("rds", "describe-db-instances", "--page-size", "20").stdout)["DBInstances"]
    assert sorted(i["DBInstanceIdentifier"] for i in listed) == sorted(seen)
    by_filter = rds.describe_db_instances(Filters=[{"Name": "db-instance-id", "Values": names[:3]}])["DBInstances"]
    assert [i["DBInstanceIdentifier"] for i in by_filter] == names[:3]
    resource = by_filter[0]["DbiResourceId"]
    by_resource = rds.describe_db_instances(Filters=[{"Name": "dbi-resource-id", "Values": [resource]}])
    assert [i["DBInstanceIdentifier"] for i in by_resource["DBInstances"]] == [names[0]]
    with pytest.raises(ClientError) as bad:
        rds.describe_db_instances(MaxRecords=5)
    assert bad.value.response["Error"]["Code"] == "InvalidParameterValue"
    for name in names:
        rds.delete_db_instance(DBInstanceIdentifier=name, SkipFinalSnapshot=True)
    deleted = rds.get_waiter("db_instance_deleted")
    for name in names:
        deleted.wait(DBInstanceIdentifier=name, WaiterConfig={"Delay": 1, "MaxAttempts": 120})


def test_modeled_exceptions(rds):
    with pytest.raises(rds.exceptions.DBInstanceNotFoundFault):
        rds.describe_db_instances(DBInstanceIdentifier="nobody-here")
    # (The inventory's name, cornac, is free: the inventory is the system account's.)
    create(rds, "modeled-dup")
    with pytest.raises(rds.exceptions.DBInstanceAlreadyExistsFault):
        create(rds, "modeled-dup")
    with pytest.raises(rds.exceptions.DBInstanceNotFoundFault):
        rds.reboot_db_instance(DBInstanceIdentifier="nobody-here")
    for bad, field in [
        ({"DBInstanceIdentifier": "1bad"}, "DBInstanceIdentifier"),
        ({"Engine": "mysql"}, "Engine"),
        ({"DBInstanceClass": "db.x99.huge"}, "DBInstanceClass"),
        ({"MasterUsername": "postgres"}, "MasterUsername"),
        ({"MasterUserPassword": "short"}, "MasterUserPassword"),
        ({"EngineVersion": "9.6"}, "EngineVersion"),
    ]:
        params = dict(DBInstanceIdentifier="refused", DBInstanceClass="db.t3.micro", Engine="postgres",
                      AllocatedStorage=5, MasterUsername="owner", MasterUserPassword="passw0rd-123")
        params.update(bad)
        with pytest.raises(ClientError) as err:
            rds.create_db_instance(**params)
        assert err.value.response["Error"]["Code"] == "InvalidParameterValue", bad
        assert field in err.value.response["Error"]["Message"], err.value.response
        assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    with pytest.raises(ClientError) as err:
        create(rds, "multi", MultiAZ=True)
    assert err.value.response["Error"]["Code"] == "InvalidParameterCombination"
    with pytest.raises(rds.exceptions.DBInstanceNotFoundFault):
        rds.describe_db_instances(DBInstanceIdentifier="refused")


def test_catalog_and_caller(service, rds):
    versions = rds.describe_db_engine_versions(Engine="postgres")["DBEngineVersions"]
    assert versions and versions[0]["Engine"] == "postgres"
    options = rds.describe_orderable_db_instance_options(Engine="postgres", DBInstanceClass="db.t3.micro")
    assert options["OrderableDBInstanceOptions"][0]["DBInstanceClass"] == "db.t3.micro"
    quotas = {q["AccountQuotaName"]: q for q in rds.describe_account_attributes()["AccountQuotas"]}
    assert quotas["DBInstances"]["Used"] >= 1
    sts = boto3.client("sts", endpoint_url=service.endpoint, region_name="local",
                       aws_access_key_id=service.access_key, aws_secret_access_key=service.secret_key)
    me = sts.get_caller_identity()
    # The bootstrap key is its account's root key: the root's user id is the account's.
    assert (me["Account"], me["Arn"], me["UserId"]) == (
        "000000000000", "arn:aws:iam::000000000000:root", "000000000000")


def test_wrong_secret_skew_no_signature_and_unknown_action(service, aws):
    wrong = aws("rds", "describe-db-instances", check=False, extra_env={"AWS_SECRET_ACCESS_KEY": "x" * 40})
    assert wrong.returncode != 0 and "SignatureDoesNotMatch" in wrong.stderr
    unknown_key = aws("rds", "describe-db-instances", check=False, extra_env={"AWS_ACCESS_KEY_ID": "AKIANOSUCHKEY0000000"})
    assert "InvalidClientTokenId" in unknown_key.stderr
    skewed = aws("rds", "describe-db-instances", check=False, prefix=("faketime", "-f", "-20m"))
    assert skewed.returncode != 0 and "RequestExpired" in skewed.stderr, skewed.stderr
    unsigned = aws("rds", "describe-db-instances", "--no-sign-request", check=False)
    assert "MissingAuthenticationToken" in unsigned.stderr
    wrong_region = aws("rds", "describe-db-instances", check=False, extra_env={"AWS_DEFAULT_REGION": "eu-west-1"})
    assert "SignatureDoesNotMatch" in wrong_region.stderr

    # An action botocore has no model for, signed by botocore itself.
    request = botocore.awsrequest.AWSRequest(
        method="POST", url=service.endpoint + "/rds", data="Action=DropEverything&Version=2014-10-31",
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    creds = botocore.credentials.Credentials(service.access_key, service.secret_key)
    botocore.auth.SigV4Auth(creds, "rds", "local").add_auth(request)
    prepared = request.prepare()
    http = urllib.request.Request(prepared.url, data=prepared.body.encode() if isinstance(prepared.body, str) else prepared.body,
                                  headers=dict(prepared.headers), method="POST")
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(http, timeout=10)
    body = answer.value.read().decode()
    assert answer.value.code == 400
    assert "<Code>InvalidAction</Code>" in body and answer.value.headers["x-amzn-RequestId"]


def test_oversized_body_is_413_xml(service):
    request = urllib.request.Request(service.endpoint + "/", data=b"Action=DescribeDBInstances&X=" + b"a" * 200_000,
                                     method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"})
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(request, timeout=10)
    assert answer.value.code == 413
    assert "<Code>RequestEntityTooLarge</Code>" in answer.value.read().decode()
