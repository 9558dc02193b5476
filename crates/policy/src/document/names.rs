//! The shapes IAM requires of a statement's resource ARNs and action names, with the message
//! it refuses each fault with.

use crate::error::{Fault, Malformed, IAM_PATHS};

/// What is wrong with a resource's format, if anything (`*` and any ARN of partition `aws`
/// with a plain service are fine; IAM's own ARNs have no region and name a known type).
pub(super) fn resource_fault(resource: &str) -> Option<Malformed> {
    if resource == "*" {
        return None;
    }
    let Some((_arn, rest)) = resource.split_once(':') else {
        return Some(Malformed::ResourceNotArn(resource.to_owned()));
    };
    let (partition, rest) = rest.split_once(':').unwrap_or((rest, ""));
    if partition != "aws" {
        // IAM names the resource with the parts it has, `*` for those it lacks.
        let parts: Vec<&str> = rest.split(':').collect();
        let part = |i: usize| parts.get(i).copied().unwrap_or("*");
        let service = if parts.len() == 1 && parts[0].is_empty() {
            "*"
        } else {
            parts[0]
        };
        let path = if parts.len() > 3 {
            parts[3..].join(":")
        } else {
            "*".to_owned()
        };
        return Some(Malformed::Partition {
            partition: partition.to_owned(),
            resource: format!("arn:{partition}:{service}:{}:{}:{path}", part(1), part(2)),
        });
    }
    let Some((service, rest)) = rest.split_once(':') else {
        return Some(Malformed::ResourceVendor(resource.to_owned()));
    };
    if service.contains(['*', '?']) {
        return Some(Malformed::ResourceVendor(resource.to_owned()));
    }
    if service == "iam" {
        let Some(rest) = rest.strip_prefix(':') else {
            return Some(Malformed::IamRegion(resource.to_owned()));
        };
        let path = rest.split_once(':').map_or("", |(_account, path)| path);
        let known = path == "*" || IAM_PATHS.split(", ").any(|p| path.starts_with(p));
        if !known {
            return Some(Malformed::IamPath(resource.to_owned()));
        }
    }
    None
}

/// The legacy parser's own test of a resource's shape: an ARN written with `::` has all six
/// parts, and its service is not empty.
pub(super) fn legacy_resource(resource: &str) -> Result<(), Malformed> {
    if resource == "*" {
        return Ok(());
    }
    let six = resource.matches(':').count() >= 5 || !resource.contains("::");
    let service = resource.split(':').nth(2).is_some_and(|s| !s.is_empty());
    if six && service {
        Ok(())
    } else {
        Err(Malformed::Legacy(Fault::Resource(resource.to_owned())))
    }
}

/// What is wrong with an action's name (`*`, or `vendor:pattern`), if anything.
pub(super) fn action_fault(action: &str) -> Option<Malformed> {
    if action == "*" {
        return None;
    }
    let mut parts = action.split(':');
    let vendor = parts.next().unwrap_or_default();
    match parts.count() {
        0 => Some(Malformed::NoVendor(action.to_owned())),
        1 if vendor != "*"
            && !vendor
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.') =>
        {
            Some(Malformed::Vendor(vendor.to_owned()))
        }
        1 => None,
        _ => Some(Malformed::Colons(action.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resources() {
        assert_eq!(resource_fault("*"), None);
        assert_eq!(resource_fault("arn:aws:rds:local:123456789012:db:*"), None);
        assert_eq!(resource_fault("arn:aws:iam::123456789012:user/alice"), None);
        assert_eq!(
            resource_fault("mydb").map(|e| e.to_string()),
            Some("Resource mydb must be in ARN format or \"*\".".to_owned())
        );
        assert_eq!(
            resource_fault("arn:aws-cn:rds:x").map(|e| e.to_string()),
            Some(
                "Partition \"aws-cn\" is not valid for resource \"arn:aws-cn:rds:x:*:*\"."
                    .to_owned()
            )
        );
        assert!(matches!(
            resource_fault("arn:aws:*:local:1:db:x"),
            Some(Malformed::ResourceVendor(_))
        ));
        assert!(matches!(
            resource_fault("arn:aws"),
            Some(Malformed::ResourceVendor(_))
        ));
        assert!(matches!(
            resource_fault("arn:aws:iam:local:1:user/x"),
            Some(Malformed::IamRegion(_))
        ));
        assert!(matches!(
            resource_fault("arn:aws:iam::1:thing/x"),
            Some(Malformed::IamPath(_))
        ));
    }

    #[test]
    fn legacy_shapes() {
        assert!(legacy_resource("arn:aws:rds:local:1:db:x").is_ok());
        assert!(legacy_resource("arn:aws:s3:::bucket").is_ok());
        assert!(legacy_resource("arn:aws::local:1:db:x").is_err());
        assert!(legacy_resource("arn:aws:rds::db").is_err());
    }

    #[test]
    fn actions() {
        assert_eq!(action_fault("*"), None);
        assert_eq!(action_fault("rds:Describe*"), None);
        assert_eq!(action_fault("devops-guru:SearchInsights"), None);
        assert_eq!(
            action_fault("DescribeDBInstances"),
            Some(Malformed::NoVendor("DescribeDBInstances".to_owned()))
        );
        assert_eq!(
            action_fault("rds:a:b"),
            Some(Malformed::Colons("rds:a:b".to_owned()))
        );
        assert_eq!(
            action_fault("rd$:x"),
            Some(Malformed::Vendor("rd$".to_owned()))
        );
    }
}
