//! DB instance classes: the RDS names this service accepts, with the vCPUs and memory each
//! means (providers that size VMs use them).
//! <https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.Summary.html>

use crate::Invalid;

/// A known class: name, vCPUs, memory in MiB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstanceClass {
    pub name: &'static str,
    pub vcpus: u32,
    pub memory_mib: u32,
}

const fn class(name: &'static str, vcpus: u32, memory_gib: u32) -> InstanceClass {
    InstanceClass {
        name,
        vcpus,
        memory_mib: memory_gib * 1024,
    }
}

pub const CLASSES: &[InstanceClass] = &[
    class("db.t2.micro", 1, 1),
    class("db.t2.small", 1, 2),
    class("db.t2.medium", 2, 4),
    class("db.t3.micro", 2, 1),
    class("db.t3.small", 2, 2),
    class("db.t3.medium", 2, 4),
    class("db.t3.large", 2, 8),
    class("db.t3.xlarge", 4, 16),
    class("db.t3.2xlarge", 8, 32),
    class("db.t4g.micro", 2, 1),
    class("db.t4g.small", 2, 2),
    class("db.t4g.medium", 2, 4),
    class("db.t4g.large", 2, 8),
    class("db.m5.large", 2, 8),
    class("db.m5.xlarge", 4, 16),
    class("db.m5.2xlarge", 8, 32),
    class("db.m6g.large", 2, 8),
    class("db.m6g.xlarge", 4, 16),
    class("db.r5.large", 2, 16),
    class("db.r5.xlarge", 4, 32),
    class("db.r6g.large", 2, 16),
];

impl InstanceClass {
    pub const PARAMETER: &'static str = "DBInstanceClass";

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        CLASSES
            .iter()
            .copied()
            .find(|c| c.name == raw)
            .ok_or_else(|| {
                Invalid::new(
                    Self::PARAMETER,
                    format!(
                        "DB instance class {raw:?} is not offered here. Classes: {}",
                        CLASSES
                            .iter()
                            .map(|c| c.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_classes_parse() {
        let c = InstanceClass::parse("db.t3.micro").unwrap();
        assert_eq!((c.vcpus, c.memory_mib), (2, 1024));
        for bad in ["", "t3.micro", "db.t3.nano", "DB.T3.MICRO", "db.x99.huge"] {
            assert_eq!(
                InstanceClass::parse(bad).unwrap_err().parameter,
                "DBInstanceClass"
            );
        }
    }
}
