//! Typed actions: for each, the input read from the form (`XxxInput::from_params`, checking
//! every parameter with `domain` and naming the bad one) and the output rendered as the
//! action's XML answer. The handlers in `api` take one and return the other.

pub mod add_tags_to_resource;
pub mod copy_db_snapshot;
pub mod create_db_instance;
pub mod create_db_snapshot;
pub mod delete_db_instance;
pub mod delete_db_instance_automated_backup;
pub mod delete_db_snapshot;
pub mod describe_account_attributes;
pub mod describe_db_engine_versions;
pub mod describe_db_instance_automated_backups;
pub mod describe_db_instances;
pub mod describe_db_snapshots;
pub mod describe_events;
pub mod describe_orderable_db_instance_options;
pub mod get_caller_identity;
pub mod iam;
mod input;
pub mod list_tags_for_resource;
pub mod modify_db_instance;
pub mod reboot_db_instance;
pub mod remove_tags_from_resource;
pub mod resource;
pub mod restore_db_instance_from_db_snapshot;
pub mod restore_db_instance_to_point_in_time;
pub mod restore_options;
pub mod selector;
mod service;
pub mod start_db_instance;
pub mod stop_db_instance;
pub mod tags;

pub use input::Input;
pub use resource::Resource;
pub use service::{Service, TaggedResource};

use crate::{envelope, Action};
use serde::Serialize;

/// An action's answer: serialised as `<{Action}Result>` in the success envelope, or no result
/// element at all for actions that answer nothing (`HAS_RESULT = false`).
pub trait Output: Serialize + Sized {
    const ACTION: Action;
    const HAS_RESULT: bool = true;

    fn to_xml(&self, request_id: &str) -> String {
        envelope::success(Self::ACTION, Self::HAS_RESULT.then_some(self), request_id)
    }
}

/// An output holding one `DBInstance`, as Create, Delete, Start, Stop, Reboot and Modify answer.
macro_rules! instance_output {
    ($(#[$doc:meta])* $name:ident, $action:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, serde::Serialize)]
        pub struct $name {
            #[serde(rename = "DBInstance")]
            pub instance: crate::shapes::DbInstance,
        }

        impl crate::actions::Output for $name {
            const ACTION: crate::Action = crate::Action::$action;
        }
    };
}
pub(crate) use instance_output;

/// An output with no result element, as the tagging actions answer.
macro_rules! empty_output {
    ($name:ident, $action:ident) => {
        /// The answer has no result element.
        #[derive(Debug, Clone, serde::Serialize)]
        pub struct $name;

        impl crate::actions::Output for $name {
            const ACTION: crate::Action = crate::Action::$action;
            const HAS_RESULT: bool = false;
        }
    };
}
pub(crate) use empty_output;

#[cfg(test)]
pub(crate) mod test_form {
    use crate::{AwsError, ErrorCode, Params};

    /// The form `body` decodes to.
    pub fn form(body: &str) -> Params {
        Params::parse(body.as_bytes()).expect("a valid form")
    }

    /// `result` failed with `code` (and its HTTP status), its message naming `parameter`.
    pub fn refused<T: std::fmt::Debug>(
        result: Result<T, AwsError>,
        code: ErrorCode,
        status: u16,
        parameter: &str,
    ) {
        let err = result.expect_err("the input is refused");
        assert_eq!(err.code, code, "{}", err.message);
        assert_eq!(err.code.http_status().as_u16(), status);
        assert!(err.message.contains(parameter), "{}", err.message);
    }
}
