//! The catalog (engine versions, orderable options, account quotas) and events.

use crate::common::*;

#[actix_web::test]
async fn the_catalog_and_events() {
    let s = setup(40);
    let app = app!(s);
    let (_, body) = call!(
        app,
        s,
        &[
            ("Action", "DescribeDBEngineVersions"),
            V,
            ("Engine", "postgres")
        ]
    );
    assert!(
        body.contains("<EngineVersion>15.18</EngineVersion>")
            && body.contains("<DBParameterGroupFamily>postgres15</DBParameterGroupFamily>"),
        "{body}"
    );
    let (_, body) = call!(
        app,
        s,
        &[
            ("Action", "DescribeOrderableDBInstanceOptions"),
            V,
            ("Engine", "postgres"),
            ("DBInstanceClass", "db.m5.large")
        ]
    );
    assert_eq!(
        body.matches("<OrderableDBInstanceOption>").count(),
        1,
        "{body}"
    );
    call!(app, s, &create_params("ev1", &[]));
    let (_, body) = call!(app, s, &[("Action", "DescribeAccountAttributes"), V]);
    assert!(
        body.contains(
            "<AccountQuotaName>DBInstances</AccountQuotaName><Used>1</Used><Max>40</Max>"
        ),
        "{body}"
    );
    let (_, body) = call!(
        app,
        s,
        &[
            ("Action", "DescribeEvents"),
            V,
            ("SourceIdentifier", "ev1"),
            ("SourceType", "db-instance")
        ]
    );
    assert!(
        body.contains("<Message>DB instance is being created</Message>"),
        "{body}"
    );
    let (_, body) = call!(
        app,
        s,
        &[
            ("Action", "DescribeEvents"),
            V,
            ("StartTime", "2001-01-01T00:00:00Z"),
            ("EndTime", "2001-01-02T00:00:00Z")
        ]
    );
    assert!(body.contains("<Events/>"), "{body}");
    let (status, body) = call!(
        app,
        s,
        &[
            ("Action", "DescribeEvents"),
            V,
            ("StartTime", "last tuesday")
        ]
    );
    assert_eq!((status, code(&body)), (400, "InvalidParameterValue"));
    assert!(body.contains("StartTime"));
}
