//! Streams between the host and a guest over one SSH session: a host program's output into a
//! shell script in the guest, or a script's output into a host program (tar archives of a
//! restored data directory, and of the WAL a backup archived in the guest).

use super::guest::{close, transient, Guest};
use cornac_domain::ProviderError;
use openssh::Stdio;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::process::Command;

/// Which way the bytes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Way {
    /// From the host program's standard output into the guest script's standard input.
    ToGuest,
    /// From the guest script's standard output into the host program's standard input.
    FromGuest,
}

async fn pour(
    from: Option<impl AsyncRead + Unpin>,
    to: Option<impl AsyncWrite + Unpin>,
) -> Result<u64, ProviderError> {
    let (Some(mut from), Some(mut to)) = (from, to) else {
        return Err(ProviderError::Transient("a stream has no pipe".into()));
    };
    let copied = tokio::io::copy(&mut from, &mut to)
        .await
        .map_err(|e| transient("streaming over SSH", e))?;
    to.shutdown()
        .await
        .map_err(|e| transient("closing the stream over SSH", e))?;
    Ok(copied)
}

fn check(what: &str, status: std::process::ExitStatus, stderr: &[u8]) -> Result<(), ProviderError> {
    if status.success() {
        Ok(())
    } else {
        Err(ProviderError::Transient(format!(
            "{what} failed ({status}): {}",
            String::from_utf8_lossy(stderr).trim()
        )))
    }
}

impl Guest {
    /// Run `host` on the host and `script` (as root, in `sh`) in the guest, the one's output
    /// into the other's input as `way` says; both must succeed. The bytes streamed.
    pub fn stream(
        &self,
        timeout: Duration,
        mut host: Command,
        script: &str,
        way: Way,
    ) -> Result<u64, ProviderError> {
        let (host_in, host_out, guest_in, guest_out) = match way {
            Way::ToGuest => (
                std::process::Stdio::null(),
                std::process::Stdio::piped(),
                Stdio::piped(),
                Stdio::null(),
            ),
            Way::FromGuest => (
                std::process::Stdio::piped(),
                std::process::Stdio::null(),
                Stdio::null(),
                Stdio::piped(),
            ),
        };
        self.block_on(timeout, async {
            let session = self.session(timeout).await?;
            let mut guest = session
                .command("sh")
                .args(["-c", script])
                .stdin(guest_in)
                .stdout(guest_out)
                .stderr(Stdio::piped())
                .spawn()
                .await
                .map_err(|e| transient("cannot run sh over SSH", e))?;
            let mut local = host
                .stdin(host_in)
                .stdout(host_out)
                .stderr(std::process::Stdio::piped())
                .kill_on_drop(true)
                .spawn()
                .map_err(|e| transient("cannot start the host side of a stream", e))?;
            let copied = match way {
                Way::ToGuest => pour(local.stdout.take(), guest.stdin().take()).await,
                Way::FromGuest => pour(guest.stdout().take(), local.stdin.take()).await,
            };
            let guest_done = guest
                .wait_with_output()
                .await
                .map_err(|e| transient("the guest side of a stream", e))?;
            let local_done = local
                .wait_with_output()
                .await
                .map_err(|e| transient("the host side of a stream", e))?;
            check(
                "the guest side of a stream",
                guest_done.status,
                &guest_done.stderr,
            )?;
            check(
                "the host side of a stream",
                local_done.status,
                &local_done.stderr,
            )?;
            let copied = copied?;
            close(session).await?;
            Ok(copied)
        })
    }
}
