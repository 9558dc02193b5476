//! The inventory's own instance, when `cornac bootstrap` made it through the configured
//! provider: `run`, `worker` and `migratedb` start it again after a host reboot.

use crate::config::Config;
use anyhow::bail;
use cornac_domain::{ObservedState, ResourceId};

/// Start the inventory cluster when it is local and down; nothing to do for an external one.
pub fn ensure_running(config: &Config) -> anyhow::Result<()> {
    if config.inventory.resource_id.is_empty() {
        return Ok(());
    }
    let id = ResourceId::parse(&config.inventory.resource_id)?;
    let provider = crate::provider::provider(config)?;
    match provider.inspect(&id)? {
        ObservedState::Running(_) => Ok(()),
        ObservedState::Stopped | ObservedState::Down => {
            let endpoint = crate::progress::step("starting the inventory cluster", || {
                Ok(provider.start(&id)?)
            })?;
            let url = cornac_inventory::UrlParts::parse(config.inventory_url()?)?;
            if url.port != endpoint.port {
                bail!(
                    "the inventory cluster's port {} was taken while it was down, so it now \
                     listens on {}: set that port in inventory.url",
                    url.port,
                    endpoint.port
                );
            }
            Ok(())
        }
        ObservedState::Missing => bail!(
            "the inventory cluster {id} is missing from {}: run `cornac bootstrap` to make it again",
            config.service.state_dir.display()
        ),
    }
}
