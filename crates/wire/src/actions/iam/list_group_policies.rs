//! `ListGroupPolicies`'s output, the names of one page of the group's inline policies; its
//! input is a [`HolderListInput`](super::holder::HolderListInput).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListGroupPolicies.html>

use super::inline::policy_names_output;

policy_names_output!(
    /// `ListGroupPoliciesResult`.
    ListGroupPoliciesOutput,
    ListGroupPolicies
);
