//! A statement's `Condition` block, compiled once: each (operator, key) pair is one
//! [`Condition`]; a statement holds when all of them do (operators and keys AND'ed), and one
//! holds when any of its values matches (values OR'ed; a `Not` operator negates that OR). See
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-logic-multiple-context-keys-or-values.html>.

mod date;
pub(crate) mod operator;

use chrono::{DateTime, Utc};
use ipnet::IpNet;
use std::net::IpAddr;

use crate::error::{Fault, Malformed};
use crate::pattern::{Pattern, Syntax};
use crate::request::Context;
use operator::{Cmp, Kind, Operator, Set};

/// One operator on one key, as written in a policy, before it is compiled.
#[derive(Debug, Clone)]
pub(crate) struct RawCondition {
    pub operator: Operator,
    pub key: String,
    pub values: Vec<String>,
}

/// One operator on one key, its values compiled.
#[derive(Debug, Clone)]
pub(crate) struct Condition {
    /// The context key, in lower case (keys are not case-sensitive).
    key: String,
    test: Test,
}

#[derive(Debug, Clone)]
enum Test {
    /// `Null`: whether the key is absent (`true`) or present (`false`), either of the values.
    Null(Vec<bool>),
    Compare {
        operator: Operator,
        values: Values,
    },
}

#[derive(Debug, Clone)]
enum Values {
    Strings(Vec<Pattern>),
    Numbers(Cmp, Vec<f64>),
    Dates(Cmp, Vec<DateTime<Utc>>),
    Bools(Vec<bool>),
    Ips(Vec<IpNet>),
    /// Each ARN's parts (up to six), each a pattern.
    Arns(Vec<Vec<Pattern>>),
}

impl Condition {
    /// Compiles a condition; `variables` says whether `${…}` is a policy variable (Version
    /// 2012-10-17). A date IAM cannot read fails its legacy parser; a number, boolean or
    /// address it cannot read is a value that matches nothing.
    pub(crate) fn compile(raw: &RawCondition, variables: bool) -> Result<Condition, Malformed> {
        let strings = |wildcards: bool, fold: bool| -> Vec<Pattern> {
            let syntax = Syntax {
                wildcards,
                fold,
                variables,
            };
            raw.values.iter().map(|v| Pattern::new(v, syntax)).collect()
        };
        let values = match raw.operator.kind {
            Kind::Equals { fold } => Values::Strings(strings(false, fold)),
            Kind::Like => Values::Strings(strings(true, false)),
            Kind::Binary => Values::Strings(strings(false, false)),
            Kind::Numeric(cmp) => {
                Values::Numbers(cmp, raw.values.iter().filter_map(|v| number(v)).collect())
            }
            Kind::Date(cmp) => Values::Dates(
                cmp,
                raw.values
                    .iter()
                    .map(|v| {
                        date::parse(v).ok_or_else(|| Malformed::Legacy(Fault::Date(v.clone())))
                    })
                    .collect::<Result<_, _>>()?,
            ),
            Kind::Bool => Values::Bools(raw.values.iter().filter_map(|v| boolean(v)).collect()),
            Kind::Null => {
                return Ok(Condition {
                    key: raw.key.to_ascii_lowercase(),
                    test: Test::Null(raw.values.iter().filter_map(|v| boolean(v)).collect()),
                })
            }
            Kind::Ip => Values::Ips(raw.values.iter().filter_map(|v| cidr(v)).collect()),
            Kind::Arn => {
                let syntax = Syntax {
                    wildcards: true,
                    fold: false,
                    variables,
                };
                Values::Arns(
                    raw.values
                        .iter()
                        .map(|v| arn_parts(v).map(|p| Pattern::new(p, syntax)).collect())
                        .collect(),
                )
            }
        };
        Ok(Condition {
            key: raw.key.to_ascii_lowercase(),
            test: Test::Compare {
                operator: raw.operator,
                values,
            },
        })
    }

    /// Whether the condition holds for a request with this context. A key the request lacks
    /// makes a positive operator false and a `Not` one true; `…IfExists` makes it true;
    /// `ForAllValues:` is true and `ForAnyValue:` false over no values.
    pub(crate) fn holds(&self, context: &Context) -> bool {
        let present = context.values(&self.key).filter(|v| !v.is_empty());
        let (op, policy) = match &self.test {
            Test::Null(expected) => {
                return expected.iter().any(|&absent| absent == present.is_none())
            }
            Test::Compare { operator, values } => (*operator, values),
        };
        match present {
            None => match op.set {
                Set::AllValues => true,
                Set::AnyValue => op.if_exists,
                Set::Single => op.if_exists || op.negated,
            },
            Some(values) => {
                let one = |v: &String| policy.matches(v, context) != op.negated;
                match op.set {
                    Set::AllValues => values.iter().all(one),
                    Set::AnyValue | Set::Single => values.iter().any(one),
                }
            }
        }
    }
}

impl Condition {
    /// The context key it tests, in lower case.
    pub(crate) fn key(&self) -> &str {
        &self.key
    }
}

impl Values {
    /// Whether one request value matches any of the policy's values.
    fn matches(&self, value: &str, context: &Context) -> bool {
        match self {
            Values::Strings(patterns) => patterns.iter().any(|p| p.matches(value, context)),
            Values::Numbers(cmp, policy) => {
                number(value).is_some_and(|v| policy.iter().any(|&p| cmp.holds(v, p)))
            }
            Values::Dates(cmp, policy) => {
                date::parse(value).is_some_and(|v| policy.iter().any(|&p| cmp.holds(v, p)))
            }
            Values::Bools(policy) => boolean(value).is_some_and(|v| policy.contains(&v)),
            Values::Ips(nets) => value
                .parse::<IpAddr>()
                .is_ok_and(|ip| nets.iter().any(|n| n.contains(&ip))),
            Values::Arns(arns) => {
                let parts: Vec<&str> = arn_parts(value).collect();
                arns.iter().any(|arn| {
                    arn.len() == parts.len()
                        && arn.iter().zip(&parts).all(|(p, v)| p.matches(v, context))
                })
            }
        }
    }
}

fn number(text: &str) -> Option<f64> {
    text.trim().parse().ok()
}

fn boolean(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

/// A CIDR block; a bare address is its /32 (or /128), as IAM reads one.
fn cidr(text: &str) -> Option<IpNet> {
    let text = text.trim();
    text.parse::<IpNet>()
        .ok()
        .or_else(|| text.parse::<IpAddr>().ok().map(IpNet::from))
}

/// An ARN's six parts (`arn`, partition, service, region, account, resource): the last keeps
/// any further `:`.
fn arn_parts(arn: &str) -> impl Iterator<Item = &str> {
    arn.splitn(6, ':')
}
