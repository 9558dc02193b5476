//! `cornac access-key list [--account ID] | create --account ID | revoke KEYID`: an operator's
//! view of the API's keys (never their secrets, but a new key's, once). A revoked key is
//! refused by every API process from its next request on (the API reads the key's row each
//! request).

use cornac_inventory::credentials::{self, AccessKey};
use cornac_inventory::{accounts, PgConnection};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(about = "List, create or revoke access keys")]
pub struct Args {
    #[command(subcommand)]
    pub command: KeyCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum KeyCommand {
    /// Every key (of one account with --account): id, account, status, created, description.
    List {
        #[arg(long)]
        account: Option<String>,
    },
    /// A new root key of the account (the secret is shown once).
    Create {
        #[arg(long)]
        account: String,
    },
    /// Revoke a key: it answers InvalidClientTokenId from now on.
    Revoke { access_key_id: String },
}

/// The account a new key acts for: `requested`, which must be an account and not the system
/// one, or the first account.
pub fn account(conn: &mut PgConnection, requested: Option<&str>) -> anyhow::Result<String> {
    let Some(id) = requested else {
        return Ok(accounts::first(conn)?.id);
    };
    match accounts::get(conn, id)? {
        Some(account) if !account.system => Ok(account.id),
        Some(_) => anyhow::bail!("--account {id}: the system account has no keys"),
        None => anyhow::bail!("--account {id}: no such account (see `cornac account list`)"),
    }
}

pub fn run(config_path: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let config = super::load(config_path)?;
    let mut conn = super::inventory(&config)?;
    super::require_current_schema(&mut conn)?;
    match args.command {
        KeyCommand::List { account } => {
            for key in credentials::list(&mut conn, account.as_deref())? {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    key.access_key_id,
                    key.account_id,
                    if key.active { "Active" } else { "Revoked" },
                    key.created_at
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    key.description
                );
            }
        }
        KeyCommand::Create { account: requested } => {
            let account = account(&mut conn, Some(&requested))?;
            let key = AccessKey::generate();
            let encryption = config.encryption_key()?;
            credentials::save(
                &mut conn,
                &encryption,
                &key,
                &account,
                "made by cornac access-key create",
            )?;
            tracing::info!(account, access_key_id = %key.id, "access key created");
            print!(
                "{}",
                super::generate_credentials::credentials_lines(&account, &key)
            );
        }
        KeyCommand::Revoke { access_key_id } => {
            if !credentials::revoke(&mut conn, &access_key_id)? {
                eprintln!("no active access key {access_key_id}");
                return Ok(ExitCode::FAILURE);
            }
            tracing::info!(access_key_id, "access key revoked");
            println!("revoked {access_key_id}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
