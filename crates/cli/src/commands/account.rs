//! `cornac account create NAME | list`: the operator's accounts. A new account gets a random
//! 12-digit id and a root access key, whose secret is printed once (and stored encrypted).

use cornac_inventory::accounts;
use cornac_inventory::credentials::{self, AccessKey};
use std::path::Path;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(about = "Create or list accounts")]
pub struct Args {
    #[command(subcommand)]
    pub command: AccountCommand,
}

#[derive(Debug, clap::Subcommand)]
pub enum AccountCommand {
    /// Make an account and its root access key (the secret is shown once).
    Create {
        /// A unique name: 1 to 64 letters, digits or +=,.@_-.
        name: String,
    },
    /// Every account: id, name, created.
    List,
}

pub fn run(config_path: &Path, args: Args) -> anyhow::Result<ExitCode> {
    let config = super::load(config_path)?;
    let mut conn = super::inventory(&config)?;
    super::require_current_schema(&mut conn)?;
    match args.command {
        AccountCommand::Create { name } => {
            let encryption = config.encryption_key()?;
            let Some(account) = accounts::create(&mut conn, &name)? else {
                eprintln!("an account named {name} exists already");
                return Ok(ExitCode::FAILURE);
            };
            let key = AccessKey::generate();
            credentials::save(
                &mut conn,
                &encryption,
                &key,
                &account.id,
                None,
                "account root key",
            )?;
            tracing::info!(account = %account.id, access_key_id = %key.id, "account created");
            println!("account {} {}", account.id, account.name);
            print!(
                "{}",
                super::generate_credentials::credentials_lines(&account.name, &key)
            );
        }
        AccountCommand::List => {
            for account in accounts::list(&mut conn)? {
                println!(
                    "{}\t{}\t{}{}",
                    account.id,
                    account.name,
                    account
                        .created_at
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    if account.system { "\tsystem" } else { "" }
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
