//! `DescribeDBInstances`: by identifier, by filter, and page by page.

use crate::common::*;

#[actix_web::test]
async fn describe_filters_and_pages() {
    let s = setup(100);
    let app = app!(s);
    for i in 0..25 {
        assert_eq!(
            call!(app, s, &create_params(&format!("db{i:02}"), &[])).0,
            200
        );
    }
    let (_, first) = call!(
        app,
        s,
        &[("Action", "DescribeDBInstances"), V, ("MaxRecords", "20")]
    );
    assert_eq!(first.matches("<DBInstance>").count(), 20);
    assert!(first.contains("<Marker>db19</Marker>"), "{first}");
    let (_, second) = call!(
        app,
        s,
        &[
            ("Action", "DescribeDBInstances"),
            V,
            ("MaxRecords", "20"),
            ("Marker", "db19")
        ]
    );
    assert_eq!(second.matches("<DBInstance>").count(), 5);
    assert!(!second.contains("<Marker>"));
    let (_, filtered) = call!(
        app,
        s,
        &[
            ("Action", "DescribeDBInstances"),
            V,
            ("Filters.Filter.1.Name", "db-instance-id"),
            ("Filters.Filter.1.Values.Value.1", "db03"),
            (
                "Filters.Filter.1.Values.Value.2",
                "arn:aws:rds:local:000000000000:db:db04"
            )
        ]
    );
    assert_eq!(filtered.matches("<DBInstance>").count(), 2, "{filtered}");
    // A parameter and the filter of its field both apply: db03 is among the filter's values,
    // db05 is not (asked for by name and not listed: not found).
    for (name, expected) in [("db03", 200), ("db05", 404)] {
        let (status, body) = call!(
            app,
            s,
            &[
                ("Action", "DescribeDBInstances"),
                V,
                ("DBInstanceIdentifier", name),
                ("Filters.Filter.1.Name", "db-instance-id"),
                ("Filters.Filter.1.Values.Value.1", "db03"),
                ("Filters.Filter.1.Values.Value.2", "db04")
            ]
        );
        assert_eq!(status, expected, "{name}: {body}");
        if expected == 200 {
            assert_eq!(body.matches("<DBInstance>").count(), 1, "{body}");
        }
    }
    let (_, engine) = call!(
        app,
        s,
        &[
            ("Action", "DescribeDBInstances"),
            V,
            ("Filters.Filter.1.Name", "engine"),
            ("Filters.Filter.1.Values.Value.1", "mysql")
        ]
    );
    assert!(engine.contains("<DBInstances/>"));
    for (params, status, expected) in [
        (
            vec![
                ("Action", "DescribeDBInstances"),
                V,
                ("DBInstanceIdentifier", "nope"),
            ],
            404,
            "DBInstanceNotFound",
        ),
        (
            vec![("Action", "DescribeDBInstances"), V, ("MaxRecords", "19")],
            400,
            "InvalidParameterValue",
        ),
        (
            vec![("Action", "DescribeDBInstances"), V, ("MaxRecords", "101")],
            400,
            "InvalidParameterValue",
        ),
        (
            vec![
                ("Action", "DescribeDBInstances"),
                V,
                ("Filters.Filter.1.Name", "color"),
                ("Filters.Filter.1.Values.Value.1", "x"),
            ],
            400,
            "InvalidParameterValue",
        ),
    ] {
        let (got, body) = call!(app, s, &params);
        assert_eq!((got, code(&body)), (status, expected), "{params:?}");
    }
}
