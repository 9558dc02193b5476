//! The provider the config names, made for a command (and for the inventory's own cluster).

use crate::config::Config;
use anyhow::Context;
use cornac_domain::{Provider, ProviderKind};
use cornac_providers::LocalProvider;
use std::sync::Arc;

/// The configured provider.
pub fn provider(config: &Config) -> anyhow::Result<Arc<dyn Provider>> {
    Ok(match config.provider.kind {
        ProviderKind::Local => Arc::new(local_provider(config)?),
        ProviderKind::Pgcluster => Arc::new(cornac_providers::PgClusterProvider::new(
            &config.pgcluster,
            &config.service.state_dir,
        )?),
        ProviderKind::Libvirt => Arc::new(cornac_providers::LibvirtProvider::new(
            config.libvirt.clone(),
            &config.service.state_dir,
        )?),
        ProviderKind::External => {
            anyhow::bail!("provider.kind: \"external\" names no provider")
        }
    })
}

pub fn local_provider(config: &Config) -> anyhow::Result<LocalProvider> {
    LocalProvider::new(config.local.clone(), &config.service.state_dir)
        .with_context(|| format!("local provider in {}", config.service.state_dir.display()))
}
