//! `DetachGroupPolicy`'s output (none); its input is a
//! [`DetachPolicyInput`](super::attached::DetachPolicyInput).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_DetachGroupPolicy.html>

use crate::actions::empty_output;

empty_output!(DetachGroupPolicyOutput, DetachGroupPolicy);
