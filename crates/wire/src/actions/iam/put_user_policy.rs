//! `PutUserPolicy`'s output (none); its input is the inline policy actions'
//! [`PutPolicyInput`](super::inline::PutPolicyInput).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutUserPolicy.html>

use crate::actions::empty_output;

empty_output!(PutUserPolicyOutput, PutUserPolicy);
