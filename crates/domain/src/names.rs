//! Master user names and database names, with RDS for PostgreSQL's rules.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html>

use crate::Invalid;
use std::fmt;

/// Names a user may not take: PostgreSQL's own and RDS's administrative roles.
const RESERVED_USERS: &[&str] = &[
    "postgres",
    "rdsadmin",
    "rdsrepladmin",
    "rds_superuser",
    "public",
    "none",
    "current_user",
    "current_role",
    "session_user",
];

/// Databases that already exist in every cluster.
const RESERVED_DATABASES: &[&str] = &["postgres", "template0", "template1", "rdsadmin"];

/// A PostgreSQL name: 1–63 characters, a letter first, then letters, digits or underscores.
fn check_name(parameter: &'static str, raw: &str, reserved: &[&str]) -> Result<(), Invalid> {
    let shape_ok = !raw.is_empty()
        && raw.len() <= 63
        && raw.starts_with(|c: char| c.is_ascii_alphabetic())
        && raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !shape_ok {
        return Err(Invalid::new(
            parameter,
            format!(
                "The parameter {parameter} must be 1 to 63 letters, digits or underscores, \
                 starting with a letter."
            ),
        ));
    }
    let lower = raw.to_ascii_lowercase();
    if reserved.contains(&lower.as_str()) || lower.starts_with("pg_") {
        return Err(Invalid::new(
            parameter,
            format!("{raw} is a reserved word and cannot be used as {parameter}."),
        ));
    }
    Ok(())
}

/// `MasterUsername`: the role that owns the instance's database; never a superuser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MasterUsername(String);

impl MasterUsername {
    pub const PARAMETER: &'static str = "MasterUsername";

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        check_name(Self::PARAMETER, raw, RESERVED_USERS)?;
        Ok(Self(raw.to_owned()))
    }

    /// A name as an existing database already has it, unchecked: the inventory that `cornac
    /// bootstrap` registers (its user may be `postgres`), never a name a caller asks for.
    pub fn existing(raw: &str) -> Self {
        Self(raw.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MasterUsername {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `DBName`: the database created for the master user at instance creation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbName(String);

impl DbName {
    pub const PARAMETER: &'static str = "DBName";

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        check_name(Self::PARAMETER, raw, RESERVED_DATABASES)?;
        Ok(Self(raw.to_owned()))
    }

    /// A name as an existing database already has it, unchecked: the inventory that `cornac
    /// bootstrap` registers (its user may be `postgres`), never a name a caller asks for.
    pub fn existing(raw: &str) -> Self {
        Self(raw.to_owned())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DbName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn master_username_rules() {
        for ok in ["cornac", "Admin_1", &"u".repeat(63)] {
            assert!(MasterUsername::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "1user",
            "_u",
            "a-b",
            "a b",
            "postgres",
            "RDSADMIN",
            "pg_x",
            &"u".repeat(64),
        ] {
            let err = MasterUsername::parse(bad).expect_err(bad);
            assert_eq!(err.parameter, "MasterUsername");
            assert!(err.message.contains("MasterUsername"), "{}", err.message);
        }
    }

    #[test]
    fn db_name_rules() {
        assert!(DbName::parse("app_db").is_ok());
        for bad in ["template1", "postgres", "9db", "a;drop", ""] {
            assert_eq!(DbName::parse(bad).expect_err(bad).parameter, "DBName");
        }
    }
}
