//! Tags by ARN: add, list and remove.

use crate::common::*;

#[actix_web::test]
async fn tags_by_arn() {
    let s = setup(40);
    let app = app!(s);
    call!(app, s, &create_params("tg1", &[]));
    let arn = "arn:aws:rds:local:000000000000:db:tg1";
    let (status, body) = call!(
        app,
        s,
        &[
            ("Action", "AddTagsToResource"),
            V,
            ("ResourceName", arn),
            ("Tags.Tag.1.Key", "a"),
            ("Tags.Tag.1.Value", "1"),
            ("Tags.Tag.2.Key", "b")
        ]
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.starts_with("<AddTagsToResourceResponse") && !body.contains("Result"));
    call!(
        app,
        s,
        &[
            ("Action", "RemoveTagsFromResource"),
            V,
            ("ResourceName", arn),
            ("TagKeys.member.1", "b")
        ]
    );
    let (_, body) = call!(
        app,
        s,
        &[("Action", "ListTagsForResource"), V, ("ResourceName", arn)]
    );
    assert!(
        body.contains("<TagList><Tag><Key>a</Key><Value>1</Value></Tag></TagList>"),
        "{body}"
    );
    let (status, body) = call!(
        app,
        s,
        &[
            ("Action", "ListTagsForResource"),
            V,
            ("ResourceName", "arn:aws:rds:us-east-1:1:db:tg1")
        ]
    );
    assert_eq!((status, code(&body)), (400, "InvalidParameterValue"));
    let (status, _) = call!(
        app,
        s,
        &[
            ("Action", "ListTagsForResource"),
            V,
            ("ResourceName", "arn:aws:rds:local:000000000000:db:ghost")
        ]
    );
    assert_eq!(status, 404);
}
