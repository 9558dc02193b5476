//! The form parameters of a Query request (`application/x-www-form-urlencoded` body, or the
//! query string), in their order, looked up by exact wire name.

/// Decoded `name=value` pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(encoded: &[u8]) -> Self {
        Self(form_urlencoded::parse(encoded).into_owned().collect())
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_form_bodies() {
        let p = Params::parse(b"Action=DescribeDBInstances&Version=2014-10-31&X=a%20b+c");
        assert_eq!(p.get("Action"), Some("DescribeDBInstances"));
        assert_eq!(p.get("X"), Some("a b c"));
        assert_eq!(p.get("action"), None);
    }
}
