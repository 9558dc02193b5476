//! DB instance identifiers (user-chosen, renameable) and resource ids (`db-…`, immutable).
//! Rules: <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html>

use crate::Invalid;
use rand::Rng;
use std::fmt;

/// `DBInstanceIdentifier`: 1–63 letters, digits or hyphens, first a letter, no `--`, no trailing
/// hyphen. Stored lower-case, as RDS does.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InstanceIdentifier(String);

impl InstanceIdentifier {
    pub const PARAMETER: &'static str = "DBInstanceIdentifier";

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::parse_as(Self::PARAMETER, raw)
    }

    /// Parse a value given under another parameter name (e.g. `NewDBInstanceIdentifier`).
    pub fn parse_as(parameter: &'static str, raw: &str) -> Result<Self, Invalid> {
        check_name(parameter, raw, 63)?;
        Ok(Self(raw.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// RDS's rule for user-chosen names (instances, snapshots): 1 to `max` letters, digits or
/// hyphens, first a letter, no trailing hyphen and no two in a row.
pub(crate) fn check_name(parameter: &'static str, raw: &str, max: usize) -> Result<(), Invalid> {
    let invalid = |why: &str| {
        Invalid::new(
            parameter,
            format!("The parameter {parameter} is not a valid identifier. {why}"),
        )
    };
    if raw.is_empty() || raw.len() > max {
        return Err(invalid(&format!(
            "Identifiers must be 1 to {max} characters long."
        )));
    }
    if !raw.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(invalid("Identifiers must begin with a letter."));
    }
    if !raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(invalid(
            "Identifiers must contain only ASCII letters, digits, and hyphens.",
        ));
    }
    if raw.ends_with('-') || raw.contains("--") {
        return Err(invalid(
            "Identifiers must not end with a hyphen or contain two consecutive hyphens.",
        ));
    }
    Ok(())
}

impl fmt::Display for InstanceIdentifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl InstanceIdentifier {
    /// `arn:aws:rds:<region>:<account>:db:<identifier>`, as RDS names instances.
    pub fn arn(&self, region: &str, account_id: &str) -> String {
        format!("arn:aws:rds:{region}:{account_id}:db:{}", self.0)
    }

    /// The identifier an instance ARN of this region and account names.
    pub fn from_arn(
        parameter: &'static str,
        arn: &str,
        region: &str,
        account_id: &str,
    ) -> Result<Self, Invalid> {
        let prefix = format!("arn:aws:rds:{region}:{account_id}:db:");
        let name = arn.strip_prefix(&prefix).ok_or_else(|| {
            Invalid::new(
                parameter,
                format!("{arn:?} is not the ARN of a DB instance in region {region} (expected {prefix}<identifier>)"),
            )
        })?;
        Self::parse_as(parameter, name)
    }
}

/// `DbiResourceId`: `db-` followed by 26 upper-case letters and digits; never changes, so
/// providers name what they create after it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ResourceId(String);

const RESOURCE_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

impl ResourceId {
    pub fn generate() -> Self {
        let mut rng = rand::thread_rng();
        let tail: String = (0..26)
            .map(|_| char::from(RESOURCE_ALPHABET[rng.gen_range(0..RESOURCE_ALPHABET.len())]))
            .collect();
        Self(format!("db-{tail}"))
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let valid = raw.len() == 29
            && raw.starts_with("db-")
            && raw[3..].bytes().all(|b| RESOURCE_ALPHABET.contains(&b));
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(Invalid::new(
                "DbiResourceId",
                format!("{raw:?} is not a DB instance resource id (db- and 26 letters or digits)."),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A lower-case form for file and VM names.
    pub fn slug(&self) -> String {
        self.0.to_ascii_lowercase()
    }

    /// The id a `slug()` came from.
    pub fn from_slug(slug: &str) -> Result<Self, Invalid> {
        Self::parse(&slug.to_ascii_uppercase().replacen("DB-", "db-", 1))
    }

    /// The ARN of this instance's automated backups (`DBInstanceAutomatedBackupsArn`), the same
    /// while it lives and once they are retained: `…:auto-backup:ab-` and the id's letters, as
    /// RDS writes them (upper case; either case is read).
    pub fn automated_backups_arn(&self, region: &str, account_id: &str) -> String {
        format!(
            "{}ab-{}",
            auto_backup_prefix(region, account_id),
            &self.0[3..]
        )
    }

    /// The resource id an automated backups ARN of this region and account names, read for
    /// `parameter`.
    pub fn from_automated_backups_arn(
        parameter: &'static str,
        arn: &str,
        region: &str,
        account_id: &str,
    ) -> Result<Self, Invalid> {
        let tail = arn
            .strip_prefix(&auto_backup_prefix(region, account_id))
            .and_then(|name| name.strip_prefix("ab-"))
            .filter(|tail| tail.bytes().all(|b| b.is_ascii_alphanumeric()));
        tail.and_then(|tail| Self::parse(&format!("db-{}", tail.to_ascii_uppercase())).ok())
            .ok_or_else(|| {
                Invalid::new(
                    parameter,
                    format!(
                        "{arn:?} is not the ARN of automated backups in region {region} \
                         (arn:aws:rds:{region}:{account_id}:auto-backup:ab-…)"
                    ),
                )
            })
    }
}

fn auto_backup_prefix(region: &str, account_id: &str) -> String {
    format!("arn:aws:rds:{region}:{account_id}:auto-backup:")
}

impl fmt::Display for ResourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifier_rules() {
        let ok = ["a", "Test0", "db-1", &"a".repeat(63)];
        for raw in ok {
            assert!(InstanceIdentifier::parse(raw).is_ok(), "{raw}");
        }
        let bad = [
            "",
            "1abc",
            "-a",
            "a-",
            "a--b",
            "a_b",
            "a.b",
            "é",
            &"a".repeat(64),
        ];
        for raw in bad {
            let err = InstanceIdentifier::parse(raw).expect_err(raw);
            assert_eq!(err.parameter, "DBInstanceIdentifier");
        }
        assert_eq!(InstanceIdentifier::parse("MyDb").unwrap().as_str(), "mydb");
        let id = InstanceIdentifier::parse("db1").unwrap();
        let arn = id.arn("local", "000000000000");
        assert_eq!(
            InstanceIdentifier::from_arn("ResourceName", &arn, "local", "000000000000").unwrap(),
            id
        );
        assert!(
            InstanceIdentifier::from_arn("ResourceName", &arn, "eu-west-1", "000000000000")
                .is_err()
        );
        assert!(InstanceIdentifier::from_arn(
            "ResourceName",
            "arn:aws:rds:local:000000000000:snapshot:x",
            "local",
            "000000000000"
        )
        .is_err());
    }

    #[test]
    fn resource_ids_round_trip() {
        let id = ResourceId::generate();
        assert_eq!(id.as_str().len(), 29);
        assert_eq!(ResourceId::parse(id.as_str()).unwrap(), id);
        assert_ne!(ResourceId::generate(), id);
        assert!(ResourceId::parse("db-abc").is_err());
        assert!(ResourceId::parse(&id.slug()).is_err());
        assert_eq!(ResourceId::from_slug(&id.slug()).unwrap(), id);
    }

    #[test]
    fn automated_backups_arns_name_their_resource_id() {
        let id = ResourceId::generate();
        let arn = id.automated_backups_arn("local", "000000000000");
        assert!(arn.starts_with("arn:aws:rds:local:000000000000:auto-backup:ab-"));
        let back = ResourceId::from_automated_backups_arn("P", &arn, "local", "000000000000");
        assert_eq!(back.unwrap(), id);
        let tail = &id.as_str()[3..];
        let lower = format!(
            "arn:aws:rds:local:000000000000:auto-backup:ab-{}",
            tail.to_ascii_lowercase()
        );
        let back = ResourceId::from_automated_backups_arn("P", &lower, "local", "000000000000");
        assert_eq!(back.unwrap(), id);
        for bad in [
            arn.replace(":local:", ":elsewhere:"),
            arn.replace(":000000000000:", ":111111111111:"),
            arn.replace("auto-backup", "db"),
            format!("arn:aws:rds:local:000000000000:auto-backup:db-{tail}"),
            format!("arn:aws:rds:local:000000000000:auto-backup:ab-{tail}-"),
            "arn:aws:rds:local:000000000000:auto-backup:ab-short".to_owned(),
            "ab-x".to_owned(),
        ] {
            let err = ResourceId::from_automated_backups_arn("P", &bad, "local", "000000000000")
                .expect_err(&bad);
            assert_eq!(err.parameter, "P");
        }
    }
}
