//! Text that XML 1.0 can carry: checking a request's strings, and making a rendered document
//! safe for every XML parser (no character XML 1.0 forbids, a carriage return kept as `&#xD;`).
//! <https://www.w3.org/TR/xml/#charsets>

/// `#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`; a Rust `char` is
/// never a surrogate, so only the C0 controls and U+FFFE/U+FFFF fall outside.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The first character of `text` XML 1.0 cannot carry (NUL included).
pub fn first_forbidden(text: &str) -> Option<char> {
    text.chars().find(|c| !is_xml_char(*c))
}

/// `document` with every forbidden character replaced by U+FFFD and every carriage return
/// written `&#xD;`, so a parser reads back the `\r` instead of normalising it to `\n`. The
/// serialiser escapes markup; the document's own structure holds neither, so this touches only
/// text.
pub fn xml_safe(document: String) -> String {
    if !needs_rewrite(&document) {
        return document;
    }
    let mut out = String::with_capacity(document.len() + 8);
    for c in document.chars() {
        match c {
            '\r' => out.push_str("&#xD;"),
            c if is_xml_char(c) => out.push(c),
            _ => out.push(char::REPLACEMENT_CHARACTER),
        }
    }
    out
}

/// Whether `document` holds a carriage return or a character XML 1.0 forbids: a scan of its
/// bytes (a whole page of instances is checked at every answer), where a control character is
/// one byte below 0x20 and U+FFFE/U+FFFF are `EF BF BE`/`EF BF BF`.
fn needs_rewrite(document: &str) -> bool {
    let bytes = document.as_bytes();
    bytes.iter().any(|&b| b < 0x20 && b != b'\t' && b != b'\n')
        || bytes
            .windows(3)
            .any(|w| w[0] == 0xEF && w[1] == 0xBF && w[2] >= 0xBE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forbidden_characters() {
        assert_eq!(first_forbidden("a\tb\nc\r é 漢 🦀"), None);
        assert_eq!(first_forbidden("a\u{0}b"), Some('\u{0}'));
        assert_eq!(first_forbidden("x\u{1b}[31m"), Some('\u{1b}'));
        assert_eq!(first_forbidden("\u{FFFE}"), Some('\u{FFFE}'));
        assert_eq!(first_forbidden("\u{FFFD}\u{E000}\u{10FFFF}"), None);
    }

    #[test]
    fn the_byte_scan_agrees_with_the_character_rule() {
        for text in ["", "<a>ok</a>", "é 漢 🦀 \u{FFFD}\u{EFBF}", "\t\n"] {
            assert!(!needs_rewrite(text), "{text:?}");
        }
        for text in ["\r", "a\u{0}", "\u{1f}", "x\u{FFFE}", "\u{FFFF}y"] {
            assert!(needs_rewrite(text), "{text:?}");
        }
    }

    #[test]
    fn safe_documents() {
        assert_eq!(xml_safe("<a>ok</a>".into()), "<a>ok</a>");
        assert_eq!(
            xml_safe("<a>x\u{1}y\r\n\u{FFFF}</a>".into()),
            "<a>x\u{FFFD}y&#xD;\n\u{FFFD}</a>"
        );
    }
}
