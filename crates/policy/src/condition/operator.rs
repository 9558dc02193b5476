//! The condition operators IAM knows, read from their names with the `ForAnyValue:` and
//! `ForAllValues:` prefixes and the `IfExists` suffix. See
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>.

/// How a request's value is compared with one of the operator's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Exact string equality (`fold`: ASCII case ignored).
    Equals {
        fold: bool,
    },
    /// `*`/`?` wildcards, case-sensitive.
    Like,
    Numeric(Cmp),
    Date(Cmp),
    Bool,
    /// Base-64 text, compared as written.
    Binary,
    /// Inside a CIDR block.
    Ip,
    /// An ARN, each of its six `:`-separated parts with wildcards.
    Arn,
    /// Whether the key is absent (`true`) or present (`false`).
    Null,
}

/// The request's value compared with the policy's: request `cmp` policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cmp {
    Eq,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    pub(crate) fn holds<T: PartialOrd>(self, request: T, policy: T) -> bool {
        match self {
            Cmp::Eq => request == policy,
            Cmp::Lt => request < policy,
            Cmp::Le => request <= policy,
            Cmp::Gt => request > policy,
            Cmp::Ge => request >= policy,
        }
    }
}

/// How a multivalued key's values are tested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Set {
    /// No prefix: the key's value (any of them, if it has several).
    Single,
    /// `ForAnyValue:`: at least one of the request's values; none (or no key) is false.
    AnyValue,
    /// `ForAllValues:`: every one of the request's values; none (or no key) is true.
    AllValues,
}

/// A parsed operator name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Operator {
    pub kind: Kind,
    /// A `Not` operator: true when no value of the policy matches.
    pub negated: bool,
    pub set: Set,
    /// `…IfExists`: true when the request has no such key.
    pub if_exists: bool,
}

const OPERATORS: &[(&str, Kind, bool)] = &[
    ("StringEquals", Kind::Equals { fold: false }, false),
    ("StringNotEquals", Kind::Equals { fold: false }, true),
    ("StringEqualsIgnoreCase", Kind::Equals { fold: true }, false),
    (
        "StringNotEqualsIgnoreCase",
        Kind::Equals { fold: true },
        true,
    ),
    ("StringLike", Kind::Like, false),
    ("StringNotLike", Kind::Like, true),
    ("NumericEquals", Kind::Numeric(Cmp::Eq), false),
    ("NumericNotEquals", Kind::Numeric(Cmp::Eq), true),
    ("NumericLessThan", Kind::Numeric(Cmp::Lt), false),
    ("NumericLessThanEquals", Kind::Numeric(Cmp::Le), false),
    ("NumericGreaterThan", Kind::Numeric(Cmp::Gt), false),
    ("NumericGreaterThanEquals", Kind::Numeric(Cmp::Ge), false),
    ("DateEquals", Kind::Date(Cmp::Eq), false),
    ("DateNotEquals", Kind::Date(Cmp::Eq), true),
    ("DateLessThan", Kind::Date(Cmp::Lt), false),
    ("DateLessThanEquals", Kind::Date(Cmp::Le), false),
    ("DateGreaterThan", Kind::Date(Cmp::Gt), false),
    ("DateGreaterThanEquals", Kind::Date(Cmp::Ge), false),
    ("Bool", Kind::Bool, false),
    ("BinaryEquals", Kind::Binary, false),
    ("IpAddress", Kind::Ip, false),
    ("NotIpAddress", Kind::Ip, true),
    ("ArnEquals", Kind::Arn, false),
    ("ArnLike", Kind::Arn, false),
    ("ArnNotEquals", Kind::Arn, true),
    ("ArnNotLike", Kind::Arn, true),
    ("Null", Kind::Null, false),
];

impl Operator {
    /// The operator a name spells, if IAM knows it (names are case-sensitive).
    pub(crate) fn parse(name: &str) -> Option<Operator> {
        let (set, rest) = if let Some(rest) = name.strip_prefix("ForAnyValue:") {
            (Set::AnyValue, rest)
        } else if let Some(rest) = name.strip_prefix("ForAllValues:") {
            (Set::AllValues, rest)
        } else {
            (Set::Single, name)
        };
        let (if_exists, base) = match rest.strip_suffix("IfExists") {
            Some(base) => (true, base),
            None => (false, rest),
        };
        OPERATORS
            .iter()
            .find(|(n, _, _)| *n == base)
            .map(|&(_, kind, negated)| Operator {
                kind,
                negated,
                set,
                if_exists,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let op = Operator::parse("ForAllValues:StringNotLikeIfExists").expect("known");
        assert_eq!(
            op,
            Operator {
                kind: Kind::Like,
                negated: true,
                set: Set::AllValues,
                if_exists: true
            }
        );
        assert_eq!(
            Operator::parse("DateLessThan").map(|o| o.kind),
            Some(Kind::Date(Cmp::Lt))
        );
        assert_eq!(Operator::parse("StringEqual"), None);
        assert_eq!(Operator::parse("stringequals"), None);
        assert_eq!(Operator::parse("ForSomeValues:StringEquals"), None);
    }
}
