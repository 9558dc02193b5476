//! A compiled statement and whether it applies to a request: its action matches `Action` (or
//! no pattern of `NotAction`), its resource matches `Resource` (or none of `NotResource`), and
//! every condition holds. See
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html>.

use crate::condition::Condition;
use crate::pattern::Pattern;
use crate::request::Request;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effect {
    Allow,
    Deny,
}

/// `Action`/`Resource` (`negated: false`) or `NotAction`/`NotResource` (`negated: true`).
#[derive(Debug, Clone)]
pub(crate) struct Patterns {
    pub negated: bool,
    pub patterns: Vec<Pattern>,
}

impl Patterns {
    fn admit(&self, subject: &str, request: &Request<'_>) -> bool {
        self.patterns
            .iter()
            .any(|p| p.matches(subject, request.context))
            != self.negated
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Statement {
    pub effect: Effect,
    /// Actions: case-insensitive, no variables.
    pub actions: Patterns,
    /// Resource ARNs: case-sensitive, with the policy's variables.
    pub resources: Patterns,
    pub conditions: Vec<Condition>,
}

impl Statement {
    /// Whether the statement's effect applies to this request.
    pub(crate) fn applies(&self, request: &Request<'_>) -> bool {
        self.actions.admit(request.action, request)
            && self.resources.admit(request.resource, request)
            && self.conditions.iter().all(|c| c.holds(request.context))
    }
}
