//! Resource tags with RDS's rules: at most 50 a resource, keys 1–128 characters not starting
//! with `aws:` or `rds:`, values up to 256 characters.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Tagging.html>

use crate::Invalid;

pub const MAX_TAGS: usize = 50;

pub fn check_key(key: &str) -> Result<(), Invalid> {
    let len = key.chars().count();
    if !(1..=128).contains(&len) {
        return Err(Invalid::new(
            "Tags",
            format!("tag key {key:?} must be 1 to 128 characters"),
        ));
    }
    let lower = key.to_ascii_lowercase();
    if lower.starts_with("aws:") || lower.starts_with("rds:") {
        return Err(Invalid::new(
            "Tags",
            format!("tag key {key:?} must not start with aws: or rds:"),
        ));
    }
    Ok(())
}

pub fn check_value(key: &str, value: &str) -> Result<(), Invalid> {
    if value.chars().count() > 256 {
        return Err(Invalid::new(
            "Tags",
            format!("the value of tag {key:?} is over 256 characters"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_rules() {
        assert!(check_key("env").is_ok());
        assert!(check_key("").is_err());
        assert!(check_key("aws:x").is_err());
        assert!(check_key(&"k".repeat(129)).is_err());
        assert!(check_value("k", &"v".repeat(256)).is_ok());
        assert!(check_value("k", &"v".repeat(257)).is_err());
    }
}
