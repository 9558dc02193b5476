//! Property tests, a brief fuzz run with every `cargo nextest`: the form reader takes any bytes
//! without panicking and reads back what a client encodes; the XML writers turn any text in
//! any field into XML that parses back to the same text (a character XML 1.0 forbids comes
//! back as U+FFFD).

#![allow(clippy::unwrap_used)] // tests may unwrap

use cornac_wire::actions::describe_events::{DescribeEventsOutput, Event, EventCategories, Events};
use cornac_wire::actions::list_tags_for_resource::ListTagsForResourceOutput;
use cornac_wire::shapes::{TagList, TagOut};
use cornac_wire::{envelope, Action, AwsError, ErrorCode, Params};
use proptest::prelude::*;
use quick_xml::events::Event as Xml;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 200,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Text as the writers promise to render it.
fn rendered(text: &str) -> String {
    text.chars()
        .map(|c| if xml_char(c) { c } else { '\u{FFFD}' })
        .collect()
}

fn encode<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// XML 1.0's `Char` production, the oracle (not the crate's own check).
fn xml_char(c: char) -> bool {
    matches!(u32::from(c), 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..)
}

/// Text rich in what breaks XML: controls, markup, carriage returns, non-characters.
fn text() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        4 => any::<char>(),
        2 => proptest::char::range('\u{0}', '\u{1f}'),
        1 => proptest::sample::select(vec!['<', '>', '&', '"', '\'', ']', '\r', '\u{FFFE}', '\u{FFFF}', ' ']),
    ];
    proptest::collection::vec(c, 0..24).prop_map(String::from_iter)
}

/// The text of every element without children, in document order; panics on malformed XML:
/// a character outside XML 1.0's `Char` production, or a raw carriage return (which a
/// conforming parser would read back as a newline), or unbalanced elements.
fn leaves(document: &str) -> Vec<(String, String)> {
    assert!(
        document.chars().all(|c| c != '\r' && xml_char(c)),
        "{document:?}"
    );
    let mut reader = quick_xml::Reader::from_str(document);
    // Open elements: name, text so far, whether it has children.
    let mut open: Vec<(String, String, bool)> = Vec::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            Xml::Start(e) => {
                if let Some(parent) = open.last_mut() {
                    parent.2 = true;
                }
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                open.push((name, String::new(), false));
            }
            Xml::Text(t) => {
                if let Some(current) = open.last_mut() {
                    current.1.push_str(&t.unescape().unwrap());
                }
            }
            Xml::CData(t) => {
                if let Some(current) = open.last_mut() {
                    current.1.push_str(std::str::from_utf8(&t).unwrap());
                }
            }
            Xml::End(_) => {
                let (name, text, parent) = open.pop().unwrap();
                if !parent {
                    out.push((name, text));
                }
            }
            Xml::Empty(e) => {
                if let Some(parent) = open.last_mut() {
                    parent.2 = true;
                }
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                out.push((name, String::new()));
            }
            Xml::Eof => break,
            _ => {}
        }
    }
    assert!(open.is_empty(), "unclosed elements in {document}");
    out
}

/// Form-like bytes made of the names the readers look for and arbitrary values.
fn formish() -> impl Strategy<Value = Vec<u8>> {
    let name = prop_oneof![
        Just("Action".to_owned()),
        Just("MaxRecords".to_owned()),
        Just("StartTime".to_owned()),
        Just("B".to_owned()),
        "(Tags\\.Tag|Filters\\.Filter|V\\.member|TagKeys\\.member)\\.[0-9x-]{0,3}(\\.(Key|Value|Name|Values\\.Value\\.[0-9]))?",
        text(),
    ];
    let value = prop_oneof![text(), "[0-9T:Z+-]{0,25}", Just("true".to_owned())];
    proptest::collection::vec((name, value), 0..12)
        .prop_map(|pairs| encode(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).into_bytes())
}

fn read_everything(params: &Params) {
    let _ = params.required("Action");
    let _ = params.bool("B");
    let _ = params.int("MaxRecords", 20, 100);
    let _ = params.int("V.member.1", i64::MIN, i64::MAX);
    let _ = params.timestamp("StartTime");
    let _ = params.list("V");
    let _ = params.list("TagKeys");
    let _ = params.filters();
    let _ = params.tags();
}

fn has_forbidden<'a>(mut texts: impl Iterator<Item = &'a String>) -> bool {
    texts.any(|t| !t.chars().all(xml_char))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_bytes_are_read_or_refused_without_a_panic(
        bytes in proptest::collection::vec(any::<u8>(), 0..400)
    ) {
        if let Ok(params) = Params::parse(&bytes) {
            read_everything(&params);
        }
    }

    #[test]
    fn any_form_is_read_or_refused_without_a_panic(bytes in formish()) {
        match Params::parse(&bytes) {
            Ok(params) => read_everything(&params),
            Err(e) => prop_assert_eq!(e.code, ErrorCode::InvalidParameterValue),
        }
    }

    #[test]
    fn what_a_client_encodes_reads_back(
        pairs in proptest::collection::btree_map(text(), text(), 0..8)
    ) {
        let encoded = encode(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        let forbidden = has_forbidden(pairs.keys().chain(pairs.values()));
        match Params::parse(encoded.as_bytes()) {
            Ok(params) => {
                prop_assert!(!forbidden);
                for (k, v) in &pairs {
                    prop_assert_eq!(params.get(k), Some(v.as_str()));
                }
            }
            Err(e) => {
                prop_assert!(forbidden);
                prop_assert_eq!(e.code, ErrorCode::InvalidParameterValue);
                prop_assert!(e.message.chars().all(xml_char));
            }
        }
    }

    #[test]
    fn tags_read_back(
        tags in proptest::collection::btree_map(text(), text(), 0..6)
    ) {
        let names: Vec<(String, String)> = (1..=tags.len())
            .map(|i| (format!("Tags.Tag.{i}.Key"), format!("Tags.Tag.{i}.Value")))
            .collect();
        let encoded = encode(names.iter().zip(&tags).flat_map(|((kn, vn), (k, v))| {
            [(kn.as_str(), k.as_str()), (vn.as_str(), v.as_str())]
        }));
        let params = Params::parse(encoded.as_bytes());
        if has_forbidden(tags.keys().chain(tags.values())) {
            prop_assert!(params.is_err());
        } else {
            let read: Vec<(String, String)> = params
                .unwrap()
                .tags()
                .unwrap()
                .into_iter()
                .map(|t| (t.key, t.value))
                .collect();
            prop_assert_eq!(read, tags.into_iter().collect::<Vec<_>>());
        }
    }

    #[test]
    fn timestamps_in_range_read_back(seconds in -62_135_596_800i64..253_402_300_800i64) {
        let t = chrono::DateTime::from_timestamp(seconds, 0).unwrap();
        let encoded = format!("T={}", t.format("%Y-%m-%dT%H:%M:%SZ"));
        prop_assert_eq!(
            Params::parse(encoded.as_bytes()).unwrap().timestamp("T").unwrap(),
            Some(t)
        );
    }

    #[test]
    fn any_error_message_renders_and_reads_back(message in text()) {
        let xml = AwsError::new(ErrorCode::InvalidParameterValue, message.clone()).to_xml("rid");
        let leaves = leaves(&xml);
        prop_assert!(
            leaves.contains(&("Message".to_owned(), rendered(&message))),
            "{:?}",
            leaves
        );
        prop_assert!(leaves.contains(&("RequestId".to_owned(), "rid".to_owned())));
    }

    #[test]
    fn any_tags_render_and_read_back(
        tags in proptest::collection::vec((text(), text()), 0..5)
    ) {
        let result = ListTagsForResourceOutput {
            tag_list: TagList {
                tags: tags
                    .iter()
                    .map(|(key, value)| TagOut { key: key.clone(), value: value.clone() })
                    .collect(),
            },
        };
        let xml = envelope::success(Action::ListTagsForResource, Some(&result), "rid");
        let mut expected: Vec<(String, String)> = Vec::new();
        for (k, v) in &tags {
            expected.push(("Key".to_owned(), rendered(k)));
            expected.push(("Value".to_owned(), rendered(v)));
        }
        if tags.is_empty() {
            expected.push(("TagList".to_owned(), String::new()));
        }
        expected.push(("RequestId".to_owned(), "rid".to_owned()));
        prop_assert_eq!(leaves(&xml), expected);
    }

    #[test]
    fn any_event_renders_and_reads_back(
        fields in proptest::collection::vec(text(), 4),
        categories in proptest::collection::vec(text(), 1..4),
        arn in proptest::option::of(text()),
        marker in proptest::option::of(text()),
    ) {
        let event = Event {
            source_identifier: fields[0].clone(),
            source_type: fields[1].clone(),
            message: fields[2].clone(),
            categories: EventCategories { categories: categories.clone() },
            date: fields[3].clone(),
            source_arn: arn.clone(),
        };
        let result = DescribeEventsOutput {
            marker: marker.clone(),
            events: Events { events: vec![event] },
        };
        let xml = envelope::success(Action::DescribeEvents, Some(&result), "rid");
        let mut expected = Vec::new();
        if let Some(m) = &marker {
            expected.push(("Marker".to_owned(), rendered(m)));
        }
        for (name, text) in ["SourceIdentifier", "SourceType", "Message"].iter().zip(&fields) {
            expected.push(((*name).to_owned(), rendered(text)));
        }
        for c in &categories {
            expected.push(("EventCategory".to_owned(), rendered(c)));
        }
        expected.push(("Date".to_owned(), rendered(&fields[3])));
        if let Some(a) = &arn {
            expected.push(("SourceArn".to_owned(), rendered(a)));
        }
        expected.push(("RequestId".to_owned(), "rid".to_owned()));
        prop_assert_eq!(leaves(&xml), expected);
    }
}
