//! `cornac-bench`: measures Cornac on this machine and prints Markdown for docs/benchmarks.md.
//! Figures, never pass/fail: speed is not asserted anywhere.

mod api;
mod authz;
mod http;
mod libvirt_create;
mod local_backup;
mod local_create;
mod pitr;
mod provision;
mod scale;
mod snapshots;
mod stats;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Measure Cornac and print Markdown for docs/benchmarks.md")]
struct Cli {
    #[command(subcommand)]
    bench: Bench,
}

#[derive(Subcommand)]
enum Bench {
    /// Local provider: from the create call to a working `psql` connection.
    LocalCreate(local_create::Args),
    /// Local provider: pgBackRest backup and restore of a large database, and the restorable
    /// window's lag under writes.
    LocalBackup(local_backup::Args),
    /// libvirt provider: from the create call to a working `psql` connection, one VM at a time.
    LibvirtCreate(libvirt_create::Args),
    /// API throughput and latency, beside moto's server.
    Api(api::Args),
    /// Authorization's cost: Describe by the root and by a user with 100 statements.
    Authz(authz::Args),
    /// Provisioning through the API: create → available → `psql`, and job pickup latency.
    Provision(provision::Args),
    /// Describe latency as the inventory grows.
    Scale(scale::Args),
    /// Point-in-time restore through the API: time to available, and the
    /// LatestRestorableTime lag under writes.
    Pitr(pitr::Args),
    /// Snapshots and restores of a large database through the API: full and incremental,
    /// each one's time to available.
    Snapshots(snapshots::Args),
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().bench {
        Bench::LocalCreate(args) => local_create::run(&args),
        Bench::LocalBackup(args) => local_backup::run(&args),
        Bench::LibvirtCreate(args) => libvirt_create::run(&args),
        Bench::Api(args) => api::run(&args),
        Bench::Authz(args) => authz::run(&args),
        Bench::Provision(args) => provision::run(&args),
        Bench::Scale(args) => scale::run(&args),
        Bench::Pitr(args) => pitr::run(&args),
        Bench::Snapshots(args) => snapshots::run(&args),
    }
}
