//! Every action's success and error paths through the actix app, signed with SigV4, on a real
//! inventory (a database cloned from the migrated template). The worker does not run here but
//! in the postgraas tests: these check what the API records and answers. One module an action
//! family.

#![allow(clippy::unwrap_used)] // tests may unwrap

#[macro_use]
#[path = "../common/mod.rs"]
mod common;

mod accounts;
mod auth;
mod authz;
mod catalog;
mod create;
mod describe;
mod iam_groups;
mod iam_keys;
mod iam_policies;
mod iam_users;
mod outage;
mod pitr;
mod postgraas;
mod retained;
mod snapshot_copies;
mod snapshots;
mod state_changes;
mod system_instance;
mod tags;
