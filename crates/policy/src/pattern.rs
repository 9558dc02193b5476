//! IAM's wildcard patterns (`*` any run of characters, `?` one character), compiled once when
//! a policy is parsed, with policy variables (`${aws:username}`, `${*}`, `${?}`, `${$}`,
//! `${key, 'default'}`) filled in from the request at match time.
//!
//! Written here rather than taken from a wildcard crate because a variable's value is only
//! known per request: a crate's compiled pattern would have to be built again at every request
//! for every pattern holding one. See
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html>.

use crate::request::Context;

/// How a pattern's text is read.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Syntax {
    /// `*` and `?` are wildcards (otherwise plain characters).
    pub wildcards: bool,
    /// ASCII case does not matter (actions, `StringEqualsIgnoreCase`).
    pub fold: bool,
    /// `${…}` is a policy variable (Version 2012-10-17 only).
    pub variables: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Atom {
    Char(char),
    One,
    Any,
    Var(Box<Variable>),
}

/// A context key (lower case) and the default to use when the request has none.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Variable {
    key: String,
    default: Option<String>,
}

/// A compiled pattern: the literal text it begins with (compared at once, bytes to bytes), then
/// the rest.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    /// The leading plain characters (in lower case when `fold`).
    prefix: String,
    atoms: Vec<Atom>,
    fold: bool,
    variables: bool,
}

impl Pattern {
    pub(crate) fn new(text: &str, syntax: Syntax) -> Self {
        let mut atoms = Vec::with_capacity(text.len());
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if syntax.variables && rest.starts_with("${") {
                if let Some(end) = rest.find('}') {
                    atoms.push(variable(&rest[2..end]));
                    rest = &rest[end + 1..];
                    continue;
                }
            }
            atoms.push(match c {
                '*' if syntax.wildcards => Atom::Any,
                '?' if syntax.wildcards => Atom::One,
                c => Atom::Char(fold(c, syntax.fold)),
            });
            rest = &rest[c.len_utf8()..];
        }
        let variables = atoms.iter().any(|a| matches!(a, Atom::Var(_)));
        let literal = atoms
            .iter()
            .take_while(|a| matches!(a, Atom::Char(_)))
            .count();
        let prefix = atoms
            .drain(..literal)
            .filter_map(|a| match a {
                Atom::Char(c) => Some(c),
                _ => None,
            })
            .collect();
        Pattern {
            prefix,
            atoms,
            fold: syntax.fold,
            variables,
        }
    }

    /// Whether `subject` matches, the variables taken from `context`. A variable the request
    /// has no value for (and no default) matches nothing, as IAM's does.
    pub(crate) fn matches(&self, subject: &str, context: &Context) -> bool {
        let head = subject.as_bytes().get(..self.prefix.len());
        let same = head.is_some_and(|head| {
            // Folding changes ASCII bytes only, so bytes compare as the characters would.
            if self.fold {
                head.eq_ignore_ascii_case(self.prefix.as_bytes())
            } else {
                head == self.prefix.as_bytes()
            }
        });
        let Some(subject) = subject.get(self.prefix.len()..).filter(|_| same) else {
            return false;
        };
        if !self.variables {
            return glob(&self.atoms, subject, self.fold);
        }
        let mut atoms = Vec::with_capacity(self.atoms.len());
        for atom in &self.atoms {
            match atom {
                Atom::Var(var) => {
                    let value = match context.first(&var.key) {
                        Some(v) => v,
                        None => match &var.default {
                            Some(d) => d.as_str(),
                            None => return false,
                        },
                    };
                    atoms.extend(value.chars().map(|c| Atom::Char(fold(c, self.fold))));
                }
                other => atoms.push(other.clone()),
            }
        }
        glob(&atoms, subject, self.fold)
    }
}

fn fold(c: char, fold: bool) -> char {
    if fold {
        c.to_ascii_lowercase()
    } else {
        c
    }
}

/// The inside of `${…}`: a special character, or a key with an optional `, 'default'`.
fn variable(inside: &str) -> Atom {
    match inside {
        "*" => Atom::Char('*'),
        "?" => Atom::Char('?'),
        "$" => Atom::Char('$'),
        _ => {
            let (key, default) = match inside.split_once(',') {
                Some((key, default)) => {
                    let d = default.trim();
                    let d = d
                        .strip_prefix('\'')
                        .and_then(|d| d.strip_suffix('\''))
                        .unwrap_or(d);
                    (key, Some(d.to_owned()))
                }
                None => (inside, None),
            };
            Atom::Var(Box::new(Variable {
                key: key.trim().to_ascii_lowercase(),
                default,
            }))
        }
    }
}

/// Wildcard matching with one backtrack point (the last `*`), linear for IAM's patterns.
fn glob(atoms: &[Atom], subject: &str, fold_case: bool) -> bool {
    let mut p = 0;
    let mut s = 0;
    // The last `*` seen, and where in the subject its run currently ends.
    let mut star: Option<(usize, usize)> = None;
    loop {
        if let Some(c) = subject[s..].chars().next() {
            match atoms.get(p) {
                // A trailing `*` takes whatever is left.
                Some(Atom::Any) if p + 1 == atoms.len() => return true,
                Some(Atom::Any) => {
                    star = Some((p, s));
                    p += 1;
                    continue;
                }
                Some(Atom::One) => {
                    p += 1;
                    s += c.len_utf8();
                    continue;
                }
                Some(Atom::Char(a)) if *a == fold(c, fold_case) => {
                    p += 1;
                    s += c.len_utf8();
                    continue;
                }
                _ => {}
            }
            match star {
                Some((star_p, star_s)) => {
                    let skipped = subject[star_s..].chars().next().map_or(1, char::len_utf8);
                    star = Some((star_p, star_s + skipped));
                    p = star_p + 1;
                    s = star_s + skipped;
                }
                None => return false,
            }
        } else {
            return atoms[p..].iter().all(|a| *a == Atom::Any);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIKE: Syntax = Syntax {
        wildcards: true,
        fold: false,
        variables: true,
    };

    fn m(pattern: &str, subject: &str) -> bool {
        Pattern::new(pattern, LIKE).matches(subject, &Context::new())
    }

    #[test]
    fn wildcards() {
        assert!(m("*", ""));
        assert!(m("*", "anything:at/all"));
        assert!(m("rds:Describe*", "rds:DescribeDBInstances"));
        assert!(m("rds:Describe*", "rds:Describe"));
        assert!(!m("rds:Describe*", "rds:DeleteDBInstance"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(m("a*b*c", "aXbYbZc"));
        assert!(!m("a*b*c", "aXbYbZ"));
        assert!(m("*é", "café"));
        assert!(m("caf?", "café"));
        assert!(!m("abc", "abcd"));
        assert!(!m("abc", "ABC"), "case-sensitive unless folded");
    }

    #[test]
    fn leading_text() {
        assert!(!m("abc*", "ab"), "shorter than the leading text");
        assert!(
            !m("ab", "a\u{e9}"),
            "a multi-byte character against a plain one"
        );
        assert!(m("caf\u{e9}*", "caf\u{e9}s"));
        assert!(m("", ""));
        assert!(!m("", "a"));
        let folded = Pattern::new(
            "CAF\u{c9}*",
            Syntax {
                wildcards: true,
                fold: true,
                variables: false,
            },
        );
        assert!(folded.matches("caf\u{c9}s", &Context::new()));
        assert!(
            !folded.matches("caf\u{e9}s", &Context::new()),
            "only ASCII case folds"
        );
    }

    #[test]
    fn folded() {
        let p = Pattern::new(
            "RDS:describe*",
            Syntax {
                wildcards: true,
                fold: true,
                variables: false,
            },
        );
        assert!(p.matches("rds:DescribeDBInstances", &Context::new()));
    }

    #[test]
    fn variables() {
        let ctx = Context::new().with("aws:username", "alice");
        let p = Pattern::new("arn:aws:rds:*:*:db:${aws:username}-*", LIKE);
        assert!(p.matches("arn:aws:rds:local:1:db:alice-db", &ctx));
        assert!(!p.matches("arn:aws:rds:local:1:db:bob-db", &ctx));
        assert!(!p.matches("arn:aws:rds:local:1:db:alice-db", &Context::new()));
        let d = Pattern::new("db-${aws:username, 'nobody'}", LIKE);
        assert!(d.matches("db-nobody", &Context::new()));
        assert!(d.matches("db-alice", &ctx));
        assert!(m("a${*}b", "a*b"));
        assert!(!m("a${*}b", "axb"));
        assert!(m("${$}{x}", "${x}"));
        let plain = Pattern::new(
            "${aws:username}",
            Syntax {
                variables: false,
                ..LIKE
            },
        );
        assert!(plain.matches("${aws:username}", &ctx));
    }
}
