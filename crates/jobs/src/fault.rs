//! Fault injection for crash tests: with `CORNAC_CRASH_AT=<job>:<step>` in its environment, a
//! worker process kills itself with SIGKILL (no cleanup, as a power cut or the OOM killer would)
//! when a job of that kind reaches that step. Steps: `claimed` (before any work), `backed_up`
//! (a job that takes a snapshot made its backup, not yet recorded) and `provisioned` (the
//! provider's work done, the inventory not yet told); an automated snapshot's job has its own,
//! `automated_claimed` and `automated_backed_up`, so a manual snapshot's crash test never
//! fires on it.

use crate::JobKind;

pub const VARIABLE: &str = "CORNAC_CRASH_AT";

pub fn point(kind: JobKind, step: &str) {
    let Ok(wanted) = std::env::var(VARIABLE) else {
        return;
    };
    if wanted == format!("{kind}:{step}") {
        tracing::error!(%wanted, "crashing on purpose ({VARIABLE})");
        let _ = std::process::Command::new("kill")
            .args(["-KILL", &std::process::id().to_string()])
            .status();
    }
}
