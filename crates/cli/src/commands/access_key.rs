//! `cornac access-key list [--account ID [--user NAME]] | create --account ID [--user NAME] |
//! revoke KEYID`: an operator's view of the API's keys (never their secrets, but a new key's,
//! once), the account root's and its IAM users'. A revoked key is refused by every API process
//! from its next request on (the API reads the key's row each request).

use cornac_inventory::credentials::{self, AccessKey, EncryptionKey};
use cornac_inventory::iam::keys::{self, Created, Holder, MAX_KEYS};
use cornac_inventory::iam::users;
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
    /// Every key (of one account with --account, of one of its users with --user): id,
    /// account, status, user ("(root)" for the account root's), created, description.
    List {
        #[arg(long)]
        account: Option<String>,
        /// An IAM user of the --account.
        #[arg(long, requires = "account")]
        user: Option<String>,
    },
    /// A new key of the account's root, or of its IAM user --user (at most 2 a user); the
    /// secret is shown once.
    Create {
        #[arg(long)]
        account: String,
        #[arg(long)]
        user: Option<String>,
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

/// Whose key: `account`'s IAM user `user`, which must exist, or the account's root.
pub fn holder(
    conn: &mut PgConnection,
    account: &str,
    user: Option<&str>,
) -> anyhow::Result<Holder> {
    let Some(name) = user else {
        return Ok(Holder::Root {
            account: account.to_owned(),
        });
    };
    match users::find(conn, account, name)? {
        Some(user) => Ok(Holder::User(user)),
        None => anyhow::bail!("--user {name}: account {account} has no such user"),
    }
}

/// Store `key` for `holder`: a root key as many as the operator makes (bootstrap's and
/// `account create`'s among them), a user's within IAM's quota of 2.
pub fn save(
    conn: &mut PgConnection,
    encryption: &EncryptionKey,
    key: &AccessKey,
    holder: &Holder,
    description: &str,
) -> anyhow::Result<()> {
    let Holder::User(user) = holder else {
        credentials::save(conn, encryption, key, holder.account(), None, description)?;
        return Ok(());
    };
    match keys::create(conn, encryption, key, holder, description)? {
        Created::At(_) => Ok(()),
        Created::Full => anyhow::bail!(
            "--user {}: the user has {MAX_KEYS} access keys already, the most it may have",
            user.name
        ),
        Created::Gone => anyhow::bail!("--user {}: the user was just deleted", user.name),
    }
}

pub fn run(config_path: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let config = super::load(config_path)?;
    let mut conn = super::inventory(&config)?;
    super::require_current_schema(&mut conn)?;
    match args.command {
        KeyCommand::List { account, user } => {
            let user_id = match (&account, &user) {
                (Some(account), Some(_)) => holder(&mut conn, account, user.as_deref())?.user_id(),
                _ => None,
            };
            for key in credentials::list(&mut conn, account.as_deref(), user_id)? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    key.access_key_id,
                    key.account_id,
                    if key.active { "Active" } else { "Revoked" },
                    key.user.as_deref().unwrap_or("(root)"),
                    key.created_at
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    key.description
                );
            }
        }
        KeyCommand::Create {
            account: requested,
            user,
        } => {
            let account = account(&mut conn, Some(&requested))?;
            let holder = holder(&mut conn, &account, user.as_deref())?;
            let key = AccessKey::generate();
            let encryption = config.encryption_key()?;
            save(
                &mut conn,
                &encryption,
                &key,
                &holder,
                "made by cornac access-key create",
            )?;
            tracing::info!(account, user = holder.user_name(), access_key_id = %key.id, "access key created");
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
