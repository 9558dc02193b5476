//! The DB instance status machine, with the AWS status strings (stored as they are shown).
//! <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/accessing-monitoring.html#Overview.DBInstance.Status>

crate::stored_enum! {
    /// What `DescribeDBInstances` reports as `DBInstanceStatus`.
    pub enum InstanceStatus {
        Creating => "creating",
        Available => "available",
        Modifying => "modifying",
        Rebooting => "rebooting",
        Stopping => "stopping",
        Stopped => "stopped",
        Starting => "starting",
        Deleting => "deleting",
        Failed => "failed",
        /// A snapshot is being taken (`CreateDBSnapshot`).
        BackingUp => "backing-up",
    }
}

use InstanceStatus::*;

/// A status change the machine does not allow.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an instance that is {from} cannot become {to}")]
pub struct InvalidTransition {
    pub from: InstanceStatus,
    pub to: InstanceStatus,
}

impl InstanceStatus {
    /// The statuses the worker is expected to move on from by itself.
    pub const TRANSITIONAL: &'static [InstanceStatus] = &[
        Creating, Modifying, Rebooting, Stopping, Starting, Deleting, BackingUp,
    ];

    /// A status the worker is expected to move on from by itself.
    pub fn is_transitional(self) -> bool {
        Self::TRANSITIONAL.contains(&self)
    }

    /// The statuses this one may become: work finished or failed for good, requests a user
    /// may make, and what the reconciler sets when the real state differs (stopped by hand,
    /// down, or gone).
    pub fn successors(self) -> &'static [InstanceStatus] {
        match self {
            Creating | Rebooting | Starting | BackingUp => &[Available, Failed],
            Modifying => &[Available, Stopped, Failed],
            Stopping => &[Stopped, Failed],
            Deleting => &[Failed],
            Available => &[
                Modifying, Rebooting, Stopping, Deleting, Failed, Stopped, Starting, BackingUp,
            ],
            Stopped => &[Starting, Deleting, Modifying],
            Failed => &[Deleting, Starting],
        }
    }

    /// The one gate every status change passes through.
    pub fn transition(self, to: InstanceStatus) -> Result<InstanceStatus, InvalidTransition> {
        if self.successors().contains(&to) {
            Ok(to)
        } else {
            Err(InvalidTransition { from: self, to })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_round_trip() {
        for &s in InstanceStatus::ALL {
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
