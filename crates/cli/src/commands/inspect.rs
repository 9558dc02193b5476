//! `cornac inspect [ID] [--account ID]`: what the provider really runs, next to what the
//! inventory says, for every account's instances (identifiers are unique per account only).

use crate::config::Config;
use cornac_domain::{ProviderKind, ResourceId};
use cornac_inventory::instances;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(about = "Show what the provider really runs next to what the inventory says")]
pub struct Args {
    /// One DB instance identifier (default: every instance), in every account that has one.
    pub id: Option<String>,
    /// Only this account's instances (12 digits; `cornac account list`).
    #[arg(long)]
    pub account: Option<String>,
}

pub fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let mut conn = super::inventory(config)?;
    let provider = super::provider(config)?;
    let mut rows = match &args.id {
        Some(id) => instances::named(&mut conn, &id.to_ascii_lowercase())?,
        None => {
            let mut rows = instances::all_of(&mut conn, provider.kind())?;
            rows.extend(instances::all_of(&mut conn, ProviderKind::External)?);
            rows
        }
    };
    if let Some(account) = &args.account {
        rows.retain(|row| &row.account_id == account);
    }
    if let (Some(id), true) = (&args.id, rows.is_empty()) {
        match &args.account {
            Some(account) => anyhow::bail!("no DB instance {id} in account {account}"),
            None => anyhow::bail!("no DB instance {id} in the inventory"),
        }
    }
    println!(
        "{:<30} {:<12} {:<12} {:<22} PROVIDER",
        "IDENTIFIER", "ACCOUNT", "INVENTORY", "ENDPOINT"
    );
    for row in rows {
        let endpoint = match (&row.endpoint_address, row.endpoint_port) {
            (Some(address), Some(port)) => format!("{address}:{port}"),
            _ => "-".into(),
        };
        let observed = if row.provider == provider.kind() {
            ResourceId::parse(&row.resource_id)
                .map_err(anyhow::Error::from)
                .and_then(|id| Ok(provider.inspect(&id)?.describe()))
                .unwrap_or_else(|e| format!("cannot tell: {e}"))
        } else {
            format!(
                "not run by the {} provider ({})",
                provider.kind(),
                row.provider
            )
        };
        println!(
            "{:<30} {:<12} {:<12} {:<22} {observed}",
            row.identifier, row.account_id, row.status, endpoint
        );
    }
    Ok(ExitCode::SUCCESS)
}
