//! The decision for one request against the caller's identity-based policies, within one
//! account: an explicit `Deny` beats an `Allow`, which beats the implicit deny; the account's
//! root is allowed everything. See
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>.

use crate::document::Policy;
use crate::request::{Principal, Request};
use crate::statement::Effect;

/// What the policies decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// A statement with `"Effect": "Deny"` applies.
    ExplicitDeny,
    /// No statement allows the request.
    ImplicitDeny,
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        self == Decision::Allow
    }
}

/// Decides `request` against the caller's policies (inline, attached and its groups', in any
/// order: the decision does not depend on it).
pub fn evaluate<'p>(
    request: &Request<'_>,
    policies: impl IntoIterator<Item = &'p Policy>,
) -> Decision {
    if request.principal == Principal::Root {
        return Decision::Allow;
    }
    let mut allowed = false;
    for statement in policies.into_iter().flat_map(Policy::statements) {
        match statement.effect {
            // Once allowed, only a deny can change the answer.
            Effect::Allow if allowed => {}
            Effect::Allow => allowed = statement.applies(request),
            Effect::Deny if statement.applies(request) => return Decision::ExplicitDeny,
            Effect::Deny => {}
        }
    }
    if allowed {
        Decision::Allow
    } else {
        Decision::ImplicitDeny
    }
}
