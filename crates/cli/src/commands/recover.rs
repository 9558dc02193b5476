//! `cornac recover`: after a host reboot, bring every instance back to its recorded state:
//! available ones run again, stopped ones are stopped (never the inventory), unfinished work is
//! queued again, and what no inventory row owns is removed.

use crate::config::Config;
use cornac_domain::{InstanceStatus, ObservedState, ResourceId};
use cornac_inventory::instances;
use cornac_jobs::lifecycle::{self, Extra, Operation};
use cornac_jobs::reconcile;
use std::process::ExitCode;

#[derive(Debug, clap::Args)]
#[command(about = "Bring every instance back to its recorded state (after a host reboot)")]
pub struct Args {}

pub fn run(config: &Config, _args: Args) -> anyhow::Result<ExitCode> {
    let mut conn = super::inventory(config)?;
    let provider = super::provider(config)?;
    let mut failures = 0;
    for row in instances::all_of(&mut conn, provider.kind())? {
        let id = ResourceId::parse(&row.resource_id)?;
        let observed = provider.inspect(&id)?;
        let outcome = match (row.status, &observed) {
            (InstanceStatus::Available, ObservedState::Stopped | ObservedState::Down) => {
                crate::progress::step(&format!("starting {}", row.identifier), || {
                    let endpoint = provider.start(&id)?;
                    let extra = Extra {
                        endpoint: Some(&endpoint),
                        ..Extra::default()
                    };
                    lifecycle::apply(&mut conn, row.id, Operation::RecoveredStart, extra)?;
                    Ok(())
                })
                .map(|()| "started")
            }
            // The inventory (a system instance) is never stopped: its row may say `stopped`
            // only because an older version's API stopped it.
            (InstanceStatus::Stopped, ObservedState::Running(_)) if !row.system => {
                crate::progress::step(&format!("stopping {}", row.identifier), || {
                    Ok(provider.stop(&id)?)
                })
                .map(|()| "stopped")
            }
            (
                InstanceStatus::Creating
                | InstanceStatus::Available
                | InstanceStatus::Modifying
                | InstanceStatus::Rebooting
                | InstanceStatus::Stopping
                | InstanceStatus::Stopped
                | InstanceStatus::Starting
                | InstanceStatus::Deleting
                | InstanceStatus::BackingUp
                | InstanceStatus::Failed,
                _,
            ) => Ok("as recorded"),
        };
        match outcome {
            Ok(what) => println!("{:<30} {:<12} {what}", row.identifier, row.status),
            Err(e) => {
                failures += 1;
                println!("{:<30} {:<12} FAILED: {e}", row.identifier, row.status);
            }
        }
    }
    let report = reconcile::reconcile(&mut conn, provider.as_ref())?;
    println!(
        "resumed {} unfinished jobs, removed {} orphans",
        report.resumed, report.orphans_removed
    );
    Ok(if failures == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
