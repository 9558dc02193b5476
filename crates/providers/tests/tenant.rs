//! `tenant::other_sessions` against a real instance made by the local provider: the right
//! password counts the other sessions, a wrong one is told apart from an unreachable server.

#![allow(clippy::unwrap_used)] // tests may unwrap

#[allow(unused_imports)] // not every file uses every helper
mod common;

use common::{connect, settings, spec, state_dir};
use cornac_domain::{Endpoint, Provider};
use cornac_providers::tenant::{self, Login, TenantError};
use cornac_providers::LocalProvider;

#[test]
fn sessions_are_counted_and_a_wrong_password_is_told_apart() {
    let state = state_dir();
    let local = LocalProvider::new(settings(31_000), state.path()).unwrap();
    let spec = spec("owner", "right-passw0rd", Some("app"));
    let endpoint = local.create(&spec).unwrap();
    let login = |password| Login {
        endpoint: &endpoint,
        user: "owner",
        password,
        database: "app",
    };
    assert_eq!(tenant::other_sessions(login("right-passw0rd")), Ok(0));
    let _other = connect(endpoint.port, "owner", "right-passw0rd", "app").unwrap();
    assert_eq!(tenant::other_sessions(login("right-passw0rd")), Ok(1));
    assert_eq!(
        tenant::other_sessions(login("wrong-passw0rd")),
        Err(TenantError::WrongPassword)
    );
    // Quotes and backslashes in a password are the password, not conninfo syntax.
    assert_eq!(
        tenant::other_sessions(login("x' host='elsewhere\\")),
        Err(TenantError::WrongPassword)
    );
    let nowhere = Endpoint {
        address: "127.0.0.1".into(),
        port: 1,
    };
    let unreachable = tenant::other_sessions(Login {
        endpoint: &nowhere,
        ..login("right-passw0rd")
    });
    assert!(
        matches!(unreachable, Err(TenantError::Unreachable(_))),
        "{unreachable:?}"
    );
    drop(_other);
    local.delete(&spec.resource_id).unwrap();
}
