//! The AWS Query protocol as RDS speaks it: form parameters, each action's typed input and
//! output, XML envelopes and the error-code table. No I/O.
//! <https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/CommonErrors.html>

pub mod action;
pub mod actions;
pub mod automated_backup_shape;
pub mod envelope;
pub mod error;
pub mod form;
pub mod shapes;
pub mod snapshot_shape;
pub mod text;

pub use action::Action;
pub use error::{AwsError, ErrorCode};
pub use form::{Filter, Params, Tag};

/// The XML namespace of every RDS answer.
pub const RDS_NAMESPACE: &str = "http://rds.amazonaws.com/doc/2014-10-31/";
