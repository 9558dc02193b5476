//! Which entries of a dump a restore loads (`pg_restore --use-list`): what the source
//! database's owner (the tenant) owns, extensions and large objects' data, but never an event trigger, an
//! extension's comment, or anything of the server's or its operator's (what the server's
//! `template1` gave the database, objects an admin made in it): the new database has its own
//! copy of the template, and the new master could not make those anyway.

use crate::command;
use cornac_domain::ProviderError;
use std::io::Write;
use std::path::Path;
use std::process::Command;

/// The kinds of entry never loaded (the database's own: its comment is Cornac's marker).
const LEFT_OUT: [&str; 6] = [
    "EVENT TRIGGER ",
    "COMMENT - EXTENSION ",
    "DATABASE ", // and DATABASE PROPERTIES
    "COMMENT - DATABASE ",
    "SECURITY LABEL - DATABASE ",
    "ACL - DATABASE ",
];

/// The kinds of entry that name no owner and are loaded: extensions (`CREATE EXTENSION IF NOT
/// EXISTS`: one the template gave is there already) and the data of the large objects.
const OWNERLESS: [&str; 2] = ["EXTENSION ", "BLOBS "];

/// `pg_restore --list` of `dump`; with the database's own entries (`DATABASE`, its comment and
/// settings) when `database`.
fn listing(pg_restore: &Path, dump: &Path, database: bool) -> Result<String, ProviderError> {
    let mut cmd = Command::new(pg_restore);
    command::without_pg_env(&mut cmd).arg("--list").arg(dump);
    if database {
        cmd.arg("--create");
    }
    let out = command::run(&mut cmd)?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// One entry of a listing, `<id>; <catalog> <oid> <kind> <schema> <name> <owner>`, as its kind
/// and the rest (which starts with its schema), and its owner (empty for an extension).
fn entry(line: &str) -> Option<(&str, &str)> {
    if line.starts_with(';') {
        return None;
    }
    let (_, rest) = line.split_once("; ")?;
    let mut fields = rest.splitn(3, ' ');
    let described = fields.nth(2)?;
    let owner = line.rsplit_once(' ').map_or("", |(_, owner)| owner);
    Some((described, owner))
}

/// The owner of the dumped database, from its `DATABASE` entry.
fn database_owner(listing: &str) -> Option<&str> {
    listing
        .lines()
        .filter_map(entry)
        .find(|(described, _)| described.starts_with("DATABASE - "))
        .map(|(_, owner)| owner)
}

/// The lines of `listing` (made without `--create`) that a restore loads, given the source
/// database's `owner`.
fn chosen<'l>(listing: &'l str, owner: &str) -> Vec<&'l str> {
    listing
        .lines()
        .filter(|line| match entry(line) {
            None => false,
            Some((described, _)) if LEFT_OUT.iter().any(|kind| described.starts_with(kind)) => {
                false
            }
            Some((described, _)) if OWNERLESS.iter().any(|kind| described.starts_with(kind)) => {
                true
            }
            Some((_, by)) => by == owner,
        })
        .collect()
}

/// A list file of the entries of `dump` a restore loads.
pub fn list_file(pg_restore: &Path, dump: &Path) -> Result<tempfile::NamedTempFile, ProviderError> {
    let with_database = listing(pg_restore, dump, true)?;
    let owner = database_owner(&with_database).ok_or_else(|| {
        ProviderError::Permanent(format!(
            "the dump {} names no database owner",
            dump.display()
        ))
    })?;
    let plain = listing(pg_restore, dump, false)?;
    let failed = |e: std::io::Error| ProviderError::Transient(format!("cannot write a list: {e}"));
    let mut file = tempfile::NamedTempFile::new().map_err(failed)?;
    for line in chosen(&plain, owner) {
        writeln!(file, "{line}").map_err(failed)?;
    }
    file.flush().map_err(failed)?;
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LISTING: &str = "\
;
; Archive created at 2026-12-01 19:59:31 UTC
;     dbname: shop
;
3403; 1262 16419 DATABASE - shop alice
3404; 0 0 COMMENT - DATABASE shop alice
8; 2615 16423 SCHEMA - app alice
9; 2615 16430 SCHEMA - _cornac postgres
2; 3079 16384 EXTENSION - pg_stat_statements 
3406; 0 0 COMMENT - EXTENSION pg_stat_statements 
221; 1255 16415 FUNCTION public et() postgres
219; 1259 16420 TABLE public items alice
3408; 0 0 COMMENT public TABLE items alice
222; 1259 16421 TABLE public made_by_admin admin
3397; 0 16420 TABLE DATA public items alice
3398; 0 16421 TABLE DATA public made_by_admin admin
3399; 2613 16473 BLOB - 16473 alice
3400; 0 0 BLOBS - BLOBS 
3251; 3466 16416 EVENT TRIGGER - et postgres
";

    #[test]
    fn only_the_owners_entries_and_extensions_are_loaded() {
        assert_eq!(database_owner(LISTING), Some("alice"));
        assert_eq!(database_owner("8; 2615 16423 SCHEMA - app alice\n"), None);
        assert_eq!(
            chosen(LISTING, "alice"),
            [
                "8; 2615 16423 SCHEMA - app alice",
                "2; 3079 16384 EXTENSION - pg_stat_statements ",
                "219; 1259 16420 TABLE public items alice",
                "3408; 0 0 COMMENT public TABLE items alice",
                "3397; 0 16420 TABLE DATA public items alice",
                "3399; 2613 16473 BLOB - 16473 alice",
                "3400; 0 0 BLOBS - BLOBS ",
            ]
        );
    }
}
