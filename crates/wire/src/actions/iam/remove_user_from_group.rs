//! `RemoveUserFromGroup`'s input (AddUserToGroup's) and output (none).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_RemoveUserFromGroup.html>

use crate::actions::empty_output;

pub use super::add_user_to_group::MembershipInput as RemoveUserFromGroupInput;

empty_output!(RemoveUserFromGroupOutput, RemoveUserFromGroup);
