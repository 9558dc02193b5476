//! `ListAttachedGroupPolicies`'s output, one page of the managed policies attached to the
//! group; its input is a
//! [`ListAttachedPoliciesInput`](super::attached::ListAttachedPoliciesInput).
//! <https://docs.aws.amazon.com/IAM/latest/APIReference/API_ListAttachedGroupPolicies.html>

use super::attached::attached_policies_output;

attached_policies_output!(
    /// `ListAttachedGroupPoliciesResult`.
    ListAttachedGroupPoliciesOutput,
    ListAttachedGroupPolicies
);
