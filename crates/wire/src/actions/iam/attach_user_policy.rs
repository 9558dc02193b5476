//! `AttachUserPolicy`'s output (none); its input is an
//! [`AttachPolicyInput`](super::attached::AttachPolicyInput).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachUserPolicy.html>

use crate::actions::empty_output;

empty_output!(AttachUserPolicyOutput, AttachUserPolicy);
