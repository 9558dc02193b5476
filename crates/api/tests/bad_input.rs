//! Bad input is refused with `InvalidParameterValue` naming the parameter and changes nothing;
//! nothing a client sends (or an old row holds) can make an answer invalid XML or a 500.

#![allow(clippy::unwrap_used)] // tests may unwrap

#[macro_use]
mod common;

use common::*;
use diesel::prelude::*;

fn invalid_naming(status: u16, body: &str, parameter: &str) {
    assert_eq!(
        (status, code(body)),
        (400, "InvalidParameterValue"),
        "{body}"
    );
    assert!(body.contains(parameter), "names {parameter}: {body}");
    assert_well_formed(body);
}

fn duplicate_tag(status: u16, body: &str) {
    assert_eq!(
        (status, code(body)),
        (400, "InvalidParameterCombination"),
        "{body}"
    );
    assert!(
        body.contains("Duplicate tag key found in request: \"env\""),
        "{body}"
    );
    assert!(body.contains("Tags"), "{body}");
}

#[actix_web::test]
async fn forbidden_characters_anywhere_are_refused_and_change_nothing() {
    let s = setup(40);
    let app = app!(s);
    let (status, body) = call!(app, s, &create_params("tagged", &[]));
    assert_eq!(status, 200, "{body}");
    let arn = "arn:aws:rds:local:000000000000:db:tagged";
    let nul_cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
        (
            create_params(
                "ctl",
                &[
                    ("Tags.Tag.1.Key", "k"),
                    ("Tags.Tag.1.Value", "a\u{1b}[31mred"),
                ],
            ),
            "Tags.Tag.1.Value",
        ),
        (
            vec![
                ("Action", "AddTagsToResource"),
                V,
                ("ResourceName", arn),
                ("Tags.Tag.1.Key", "k\u{0}"),
            ],
            "Tags.Tag.1.Key",
        ),
        (
            vec![
                ("Action", "AddTagsToResource"),
                V,
                ("ResourceName", arn),
                ("Tags.Tag.1.Key", "k"),
                ("Tags.Tag.1.Value", "\u{1}"),
            ],
            "Tags.Tag.1.Value",
        ),
        (
            vec![
                ("Action", "RemoveTagsFromResource"),
                V,
                ("ResourceName", arn),
                ("TagKeys.member.1", "k\u{0}"),
            ],
            "TagKeys.member.1",
        ),
        (
            vec![("Action", "DescribeDBInstances"), V, ("Marker", "a\u{0}")],
            "Marker",
        ),
        (
            vec![
                ("Action", "DescribeDBInstances"),
                V,
                ("Filters.Filter.1.Name", "engine"),
                ("Filters.Filter.1.Values.Value.1", "post\u{0}gres"),
            ],
            "Filters.Filter.1.Values.Value.1",
        ),
        (
            vec![
                ("Action", "DescribeEvents"),
                V,
                ("SourceIdentifier", "tagged\u{0}"),
            ],
            "SourceIdentifier",
        ),
        (
            vec![
                ("Action", "DescribeEvents"),
                V,
                ("EventCategories.EventCategory.1", "creation\u{0}"),
            ],
            "EventCategories.EventCategory.1",
        ),
        (
            vec![("Action", "DescribeEvents"), V, ("Marker", "\u{0}")],
            "Marker",
        ),
        (vec![("Action", "Describe\u{1}DBInstances"), V], "Action"),
        (
            vec![
                ("Action", "DescribeDBInstances"),
                V,
                ("Filters.Filter.1.Name", "eng\u{1b}ine"),
                ("Filters.Filter.1.Values.Value.1", "x"),
            ],
            "Filters.Filter.1.Name",
        ),
        (
            create_params("ctl", &[("EngineVersion", "15\u{8}")]),
            "EngineVersion",
        ),
        (
            vec![("Action", "DescribeDBInstances"), ("Version", "2014\u{7}")],
            "Version",
        ),
    ];
    for (pairs, parameter) in &nul_cases {
        let (status, body) = call!(app, s, pairs);
        invalid_naming(status, &body, parameter);
    }
    let mut conn = s.state.inventory.get().unwrap();
    let count: i64 = cornac_inventory::schema::db_instances::table
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(count, 1, "nothing was created");
    let tags = cornac_inventory::tags::list(&mut conn, cornac_inventory::tags::Owner::instance(1))
        .unwrap();
    assert!(tags.is_empty(), "nothing was tagged: {tags:?}");
    // Allowed text is escaped, and tab, newline and carriage return come back as sent.
    let (status, body) = call!(
        app,
        s,
        &[
            ("Action", "AddTagsToResource"),
            V,
            ("ResourceName", arn),
            ("Tags.Tag.1.Key", "<k&>"),
            ("Tags.Tag.1.Value", "a\tb\nc\rd\"'"),
        ]
    );
    assert_eq!(status, 200, "{body}");
    let (_, body) = call!(
        app,
        s,
        &[("Action", "ListTagsForResource"), V, ("ResourceName", arn)]
    );
    assert_well_formed(&body);
    assert!(body.contains("<Key>&lt;k&amp;&gt;</Key>"), "{body}");
    let mut reader = quick_xml::Reader::from_str(&body);
    let mut texts = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Text(t) => texts.push(t.unescape().unwrap().into_owned()),
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert!(texts.contains(&"a\tb\nc\rd\"'".to_owned()), "{texts:?}");
}

#[actix_web::test]
async fn echoed_input_is_escaped_in_errors() {
    let s = setup(40);
    let app = app!(s);
    let cases: [(Vec<(&str, &str)>, &str); 4] = [
        (
            vec![("Action", "<Drop>&Everything"), V],
            "&lt;Drop&gt;&amp;Everything",
        ),
        (
            vec![("Action", "DescribeDBInstances"), ("Version", "<v>")],
            "&lt;v&gt;",
        ),
        (
            vec![
                ("Action", "DescribeDBInstances"),
                V,
                ("Filters.Filter.1.Name", "<f>&"),
                ("Filters.Filter.1.Values.Value.1", "x"),
            ],
            "&lt;f&gt;&amp;",
        ),
        (
            create_params("esc", &[("EngineVersion", "<15>&")]),
            "&lt;15&gt;&amp;",
        ),
    ];
    for (pairs, escaped) in &cases {
        let (status, body) = call!(app, s, pairs);
        assert_eq!(status, 400, "{body}");
        assert_well_formed(&body);
        assert!(body.contains(escaped), "{escaped} in {body}");
    }
}

#[actix_web::test]
async fn rows_stored_before_the_checks_still_answer_valid_xml() {
    let s = setup(40);
    let app = app!(s);
    let (status, _) = call!(app, s, &create_params("old", &[]));
    assert_eq!(status, 200);
    let mut conn = s.state.inventory.get().unwrap();
    diesel::sql_query(
        "INSERT INTO db_instance_tags (db_instance_id, key, value) \
         SELECT id, 'color', E'\\x1b[31mred\\x01' FROM db_instances",
    )
    .execute(&mut conn)
    .unwrap();
    let (status, body) = call!(app, s, &[("Action", "DescribeDBInstances"), V]);
    assert_eq!(status, 200, "{body}");
    assert_well_formed(&body);
    assert!(
        body.contains("<Key>color</Key><Value>\u{FFFD}[31mred\u{FFFD}</Value>"),
        "{body}"
    );
}

/// Real RDS answers `InvalidParameterCombination: Duplicate tag key found in request: <key>`.
#[actix_web::test]
async fn a_tag_key_given_twice_is_refused_not_a_500() {
    let s = setup(40);
    let app = app!(s);
    let twice = [
        ("Tags.Tag.1.Key", "env"),
        ("Tags.Tag.1.Value", "a"),
        ("Tags.Tag.2.Key", "env"),
        ("Tags.Tag.2.Value", "b"),
    ];
    let (status, body) = call!(app, s, &create_params("dup", &twice));
    duplicate_tag(status, &body);
    let (status, _) = call!(app, s, &create_params("dup", &[]));
    assert_eq!(status, 200, "the refused create left nothing behind");
    let mut pairs = vec![
        ("Action", "AddTagsToResource"),
        V,
        ("ResourceName", "arn:aws:rds:local:000000000000:db:dup"),
    ];
    pairs.extend_from_slice(&twice);
    let (status, body) = call!(app, s, &pairs);
    duplicate_tag(status, &body);
}

#[actix_web::test]
async fn event_windows_stay_in_range() {
    let s = setup(40);
    let app = app!(s);
    let events = |extra: &[(&'static str, &'static str)]| {
        let mut p = vec![("Action", "DescribeEvents"), V];
        p.extend_from_slice(extra);
        p
    };
    for (extra, parameter) in [
        (vec![("StartTime", "-5000-01-01T00:00:00Z")], "StartTime"),
        (vec![("StartTime", "-5000-01-01T00:00:00")], "StartTime"),
        (
            vec![("EndTime", "-262143-01-01T00:00:00"), ("Duration", "20160")],
            "EndTime",
        ),
        (vec![("EndTime", "+262142-12-31T23:59:59")], "EndTime"),
    ] {
        let (status, body) = call!(app, s, &events(&extra));
        invalid_naming(status, &body, parameter);
    }
    let (status, body) = call!(
        app,
        s,
        &events(&[("EndTime", "0001-01-01T00:00:00Z"), ("Duration", "20160")])
    );
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("<Events/>"), "{body}");
}
