//! `cornac inspect [ID]`: what the provider really runs, next to what the inventory says.

use crate::config::Config;
use cornac_domain::{ProviderKind, ResourceId};
use cornac_inventory::instances;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(about = "Show what the provider really runs next to what the inventory says")]
pub struct Args {
    /// One DB instance identifier (default: every instance).
    pub id: Option<String>,
}

pub fn run(config: &Config, args: Args) -> anyhow::Result<ExitCode> {
    let mut conn = super::inventory(config)?;
    let provider = super::provider(config)?;
    let rows = match &args.id {
        Some(id) => match instances::find(&mut conn, &id.to_ascii_lowercase())? {
            Some(row) => vec![row],
            None => anyhow::bail!("no DB instance {id} in the inventory"),
        },
        None => {
            let mut rows = instances::all_of(&mut conn, provider.kind())?;
            rows.extend(instances::all_of(&mut conn, ProviderKind::External)?);
            rows
        }
    };
    println!(
        "{:<30} {:<12} {:<22} PROVIDER",
        "IDENTIFIER", "INVENTORY", "ENDPOINT"
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
            "{:<30} {:<12} {:<22} {observed}",
            row.identifier, row.status, endpoint
        );
    }
    Ok(ExitCode::SUCCESS)
}
