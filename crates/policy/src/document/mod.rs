//! A parsed, compiled identity-based policy: [`Policy::parse`] refuses a document as IAM does
//! (in IAM's order: grammar, legacy parser, statement ids, actions and resources present,
//! resource formats, action names), then compiles every pattern once, so evaluating a request
//! parses nothing. See
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html>.

mod names;
mod syntax;

use std::collections::HashSet;

use crate::condition::Condition;
use crate::error::{Fault, Malformed};
use crate::pattern::{Pattern, Syntax};
use crate::statement::{Effect, Patterns, Statement};
use syntax::{Element, RawStatement};

/// The policy language's version (`Version`; 2008-10-17 when a document names none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// 2008-10-17: `${…}` is plain text.
    V2008,
    /// 2012-10-17: `${…}` is a policy variable.
    V2012,
}

/// A policy, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Policy {
    version: Version,
    statements: Vec<Statement>,
}

impl Policy {
    /// Parses a policy document, or says why IAM would refuse it (`MalformedPolicyDocument`).
    pub fn parse(text: &str) -> Result<Policy, Malformed> {
        let (version, raw) = syntax::read(text)?;
        let variables = version == Version::V2012;

        // IAM's legacy parser: an effect's exact spelling, condition dates, ARN shapes (in a
        // 2008-10-17 document, any resource IAM cannot read).
        let mut resource_fault = None;
        let mut conditions = Vec::with_capacity(raw.len());
        for s in &raw {
            if s.effect != "Allow" && s.effect != "Deny" {
                return Err(Malformed::Legacy(Fault::EffectCase(s.effect.clone())));
            }
            conditions.push(
                s.conditions
                    .iter()
                    .map(|c| Condition::compile(c, variables))
                    .collect::<Result<Vec<_>, _>>()?,
            );
            for r in s.resource.iter().flat_map(|e| &e.values) {
                match names::resource_fault(r) {
                    Some(_) if version == Version::V2008 => {
                        return Err(Malformed::Legacy(Fault::Resource(r.clone())))
                    }
                    Some(fault) => {
                        resource_fault.get_or_insert(fault);
                    }
                    None => names::legacy_resource(r)?,
                }
            }
        }

        let mut sids = HashSet::new();
        for sid in raw.iter().filter_map(|s| s.sid.as_deref()) {
            if !sid.is_empty() && !sids.insert(sid) {
                return Err(Malformed::DuplicateSid(sid.to_owned()));
            }
        }
        if let Some(sid) = raw
            .iter()
            .filter_map(|s| s.sid.as_deref())
            .find(|sid| !sid.chars().all(|c| c.is_ascii_alphanumeric()))
        {
            return Err(Malformed::SidNotAlphanumeric(sid.to_owned()));
        }
        if raw.iter().any(|s| empty(&s.action)) {
            return Err(Malformed::NoActions);
        }
        if raw.iter().any(|s| empty(&s.resource)) {
            return Err(Malformed::NoResources);
        }
        if let Some(fault) = resource_fault {
            return Err(fault);
        }
        for s in &raw {
            let actions = s.action.iter().flat_map(|e| &e.values);
            if let Some(fault) = actions.map(String::as_str).find_map(names::action_fault) {
                return Err(fault);
            }
            if let Some(c) = s.conditions.iter().find(|c| !c.key.contains(':')) {
                return Err(Malformed::NoVendor(c.key.clone()));
            }
        }

        let statements = raw
            .into_iter()
            .zip(conditions)
            .map(|(s, conditions)| compile(s, conditions, variables))
            .collect();
        Ok(Policy {
            version,
            statements,
        })
    }

    pub fn version(&self) -> Version {
        self.version
    }

    /// The context keys its conditions test, in lower case (a caller can skip gathering a
    /// costly key, such as an instance's tags for `rds:db-tag/…`, no policy tests).
    pub fn condition_keys(&self) -> impl Iterator<Item = &str> {
        self.statements
            .iter()
            .flat_map(|s| &s.conditions)
            .map(Condition::key)
    }

    pub(crate) fn statements(&self) -> &[Statement] {
        &self.statements
    }
}

/// No such element, or an empty list.
fn empty(element: &Option<Element>) -> bool {
    element.as_ref().is_none_or(|e| e.values.is_empty())
}

fn compile(s: RawStatement, conditions: Vec<Condition>, variables: bool) -> Statement {
    let patterns = |e: Option<Element>, syntax: Syntax| {
        let e = e.unwrap_or(Element {
            negated: false,
            values: Vec::new(),
        });
        Patterns {
            negated: e.negated,
            patterns: e.values.iter().map(|v| Pattern::new(v, syntax)).collect(),
        }
    };
    Statement {
        effect: if s.effect == "Deny" {
            Effect::Deny
        } else {
            Effect::Allow
        },
        actions: patterns(
            s.action,
            Syntax {
                wildcards: true,
                fold: true,
                variables: false,
            },
        ),
        resources: patterns(
            s.resource,
            Syntax {
                wildcards: true,
                fold: false,
                variables,
            },
        ),
        conditions,
    }
}
