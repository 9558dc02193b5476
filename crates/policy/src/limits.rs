//! What IAM admits of a policy document's text: its characters (tab, line feed, carriage return
//! and U+0020 to U+00FF), and its size against the quotas, counted as IAM counts it: characters
//! other than white space. An inline policy's quota is for all the inline policies of its user,
//! group or role together. See
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html>.

/// Where a policy document is kept, which sets its quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quota {
    /// All of a user's inline policies together.
    UserInline,
    /// All of a group's inline policies together.
    GroupInline,
    /// All of a role's inline policies together.
    RoleInline,
    /// One managed policy.
    Managed,
}

impl Quota {
    /// The most characters (white space not counted) the quota admits.
    pub fn limit(self) -> usize {
        match self {
            Quota::UserInline => 2048,
            Quota::GroupInline => 5120,
            Quota::RoleInline => 10240,
            Quota::Managed => 6144,
        }
    }

    /// Whether documents of `size` characters in all (see [`size`]) fit the quota.
    pub fn admits(self, size: usize) -> bool {
        size <= self.limit()
    }
}

/// A document's size as IAM counts it: its characters, white space left out.
pub fn size(document: &str) -> usize {
    document.chars().filter(|c| !c.is_whitespace()).count()
}

/// Whether every character of a document is one IAM admits in one (the API refuses others
/// before reading the document).
pub fn admissible_characters(document: &str) -> bool {
    document
        .chars()
        .all(|c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{ff}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn white_space_is_not_counted() {
        assert_eq!(size("{ \"a\" :\n\t\"b c\" }"), 10);
        assert!(Quota::UserInline.admits(2048));
        assert!(!Quota::UserInline.admits(2049));
        assert!(Quota::GroupInline.admits(5120));
        assert!(!Quota::Managed.admits(6145));
    }

    #[test]
    fn characters() {
        assert!(admissible_characters("{\"Sid\": \"caf\u{e9}\"}\r\n\t"));
        assert!(!admissible_characters("\u{1}"));
        assert!(!admissible_characters("\u{100}"));
        assert!(!admissible_characters("\u{1F600}"));
    }
}
