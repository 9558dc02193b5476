//! libvirt provider creation: time from `Provider::create` (clone, boot, SSH setup) to the first
//! `psql` that connects as the master user, one VM at a time, each deleted before the next.

use crate::local_create::create_and_connect;
use crate::stats::{ms, percentile};
use cornac_domain::Provider;
use cornac_providers::{LibvirtProvider, LibvirtSettings};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// How many VMs to create, one after another.
    #[arg(long, default_value_t = 3)]
    pub count: usize,
    /// Where `appliance/build` left the template.
    #[arg(long, default_value = "/var/lib/cornac/images")]
    pub images_dir: PathBuf,
    /// `qemu` (software emulation) or `kvm`.
    #[arg(long, default_value = "qemu")]
    pub domain_type: String,
}

pub fn run(args: &Args) -> anyhow::Result<()> {
    let state = tempfile::Builder::new().prefix("cornac-bench-").tempdir()?;
    let settings = LibvirtSettings {
        domain_type: args.domain_type.clone(),
        images_dir: args.images_dir.clone(),
        name_prefix: format!("cornac-bench-{}-", std::process::id()),
        port_min: 36000,
        port_max: 36999,
        ..LibvirtSettings::default()
    };
    let provider = LibvirtProvider::new(settings, state.path())?;
    let version = provider.engine_versions()?.remove(0);
    let mut samples = Vec::with_capacity(args.count);
    for _ in 0..args.count {
        let (took, id) = create_and_connect(&provider, &version)?;
        provider.delete(&id)?;
        samples.push(took);
    }
    println!(
        "### libvirt provider ({}): create → first `psql` connection\n",
        args.domain_type
    );
    println!(
        "Command: `cargo run --release -p cornac-bench -- libvirt-create --count {} --domain-type {}`\n",
        args.count, args.domain_type
    );
    println!("| VMs | p50 ms | max ms |");
    println!("|---|---|---|");
    println!(
        "| {} | {} | {} |",
        samples.len(),
        ms(percentile(&samples, 50.0)),
        ms(percentile(&samples, 100.0)),
    );
    Ok(())
}
