//! `DeleteUserPolicy`'s output (none); its input is a
//! [`PolicyNameInput`](super::inline::PolicyNameInput).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_DeleteUserPolicy.html>

use crate::actions::empty_output;

empty_output!(DeleteUserPolicyOutput, DeleteUserPolicy);
