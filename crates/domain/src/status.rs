//! The DB instance status machine, with the AWS status strings.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/accessing-monitoring.html#Overview.DBInstance.Status>

use std::fmt;

/// What `DescribeDBInstances` reports as `DBInstanceStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstanceStatus {
    Creating,
    Available,
    Modifying,
    Rebooting,
    Stopping,
    Stopped,
    Starting,
    Deleting,
    Failed,
}

use InstanceStatus::*;

/// Every status, for storage constraints and tests.
pub const ALL: [InstanceStatus; 9] = [
    Creating, Available, Modifying, Rebooting, Stopping, Stopped, Starting, Deleting, Failed,
];

/// A status change the machine does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an instance that is {from} cannot become {to}")]
pub struct InvalidTransition {
    pub from: InstanceStatus,
    pub to: InstanceStatus,
}

impl InstanceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Creating => "creating",
            Available => "available",
            Modifying => "modifying",
            Rebooting => "rebooting",
            Stopping => "stopping",
            Stopped => "stopped",
            Starting => "starting",
            Deleting => "deleting",
            Failed => "failed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        ALL.into_iter().find(|s| s.as_str() == raw)
    }

    /// A status the worker is expected to move on from by itself.
    pub fn is_transitional(self) -> bool {
        matches!(
            self,
            Creating | Modifying | Rebooting | Stopping | Starting | Deleting
        )
    }

    /// The one gate every status change passes through.
    pub fn transition(self, to: InstanceStatus) -> Result<InstanceStatus, InvalidTransition> {
        let allowed = match (self, to) {
            // Work finished, or failed for good.
            (Creating | Modifying | Rebooting | Starting, Available) => true,
            (Stopping, Stopped) => true,
            (s, Failed) => s.is_transitional() || s == Available,
            // Requests a user may make.
            (Available, Modifying | Rebooting | Stopping | Deleting) => true,
            (Stopped, Starting | Deleting | Modifying) => true,
            (Modifying, Stopped) => true,
            (Failed, Deleting | Starting) => true,
            // The reconciler found the real state differs (stopped by hand, down, or gone).
            (Available, Stopped | Starting) => true,
            _ => false,
        };
        if allowed {
            Ok(to)
        } else {
            Err(InvalidTransition { from: self, to })
        }
    }
}

impl fmt::Display for InstanceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_round_trip() {
        for s in ALL {
            assert_eq!(InstanceStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(InstanceStatus::parse("running"), None);
    }

    #[test]
    fn lifecycle_paths() {
        let path = [
            Creating, Available, Stopping, Stopped, Starting, Available, Rebooting, Available,
            Deleting,
        ];
        for pair in path.windows(2) {
            assert_eq!(
                pair[0].transition(pair[1]),
                Ok(pair[1]),
                "{} -> {}",
                pair[0],
                pair[1]
            );
        }
    }

    #[test]
    fn refused_transitions() {
        for (from, to) in [
            (Stopped, Stopping),
            (Creating, Deleting),
            (Deleting, Available),
            (Stopped, Rebooting),
            (Stopped, Failed),
        ] {
            assert_eq!(from.transition(to), Err(InvalidTransition { from, to }));
        }
    }
}
