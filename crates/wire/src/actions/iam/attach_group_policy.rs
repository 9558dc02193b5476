//! `AttachGroupPolicy`'s output (none); its input is an
//! [`AttachPolicyInput`](super::attached::AttachPolicyInput).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_AttachGroupPolicy.html>

use crate::actions::empty_output;

empty_output!(AttachGroupPolicyOutput, AttachGroupPolicy);
