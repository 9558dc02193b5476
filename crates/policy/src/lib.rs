//! IAM's policy language for identity-based policies, as pure code: documents parsed and
//! refused as IAM refuses them ([`Policy::parse`], [`Malformed`]), the text and size IAM
//! admits ([`admissible_characters`], [`size`], [`Quota`]), the AWS-managed policies Cornac
//! serves ([`ManagedPolicy`]), and the decision for a request within one account
//! ([`evaluate`]). Every wildcard is compiled when a policy is parsed; evaluating a request
//! allocates only for policy variables.

mod condition;
mod document;
mod error;
mod evaluate;
mod limits;
mod managed;
mod pattern;
mod request;
mod statement;

pub use document::{Policy, Version};
pub use error::{Fault, Malformed};
pub use evaluate::{evaluate, Decision};
pub use limits::{admissible_characters, size, Quota};
pub use managed::{ManagedPolicy, AWS_MANAGED};
pub use request::{Context, Principal, Request};
