//! SQL quoting for the statements that cannot take bind parameters (CREATE ROLE, CREATE
//! DATABASE, ALTER ROLE … PASSWORD), and libpq connection-string quoting.

/// `"name"` with embedded quotes doubled: safe for any identifier.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `'text'` with embedded quotes doubled (standard_conforming_strings is on since 9.1).
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A libpq conninfo value: quoted, with `\` and `'` escaped.
pub fn conninfo_value(value: &str) -> String {
    format!("'{}'", value.replace('\\', "\\\\").replace('\'', "\\'"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(ident("a\"b"), "\"a\"\"b\"");
        assert_eq!(literal("it's"), "'it''s'");
        assert_eq!(conninfo_value("/a b/c'd\\"), "'/a b/c\\'d\\\\'");
    }
}
