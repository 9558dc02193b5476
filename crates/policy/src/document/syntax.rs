//! The grammar of a policy document: its JSON read into raw statements, refusing what is not
//! the grammar (each refusal AWS's "Syntax errors in policy." with the [`Fault`] it was, but a
//! `Principal`, which has a message of its own). See
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html>.

use serde_json::{Map, Value};

use super::Version;
use crate::condition::operator::Operator;
use crate::condition::RawCondition;
use crate::error::{Fault, Malformed};

/// `Action`/`Resource` (`negated: false`) or `NotAction`/`NotResource`, as written.
#[derive(Debug, Clone)]
pub(super) struct Element {
    pub negated: bool,
    pub values: Vec<String>,
}

/// A statement as written, its grammar checked.
#[derive(Debug, Clone)]
pub(super) struct RawStatement {
    pub sid: Option<String>,
    pub effect: String,
    pub action: Option<Element>,
    pub resource: Option<Element>,
    pub conditions: Vec<RawCondition>,
}

fn syntax(fault: Fault) -> Malformed {
    Malformed::Syntax(fault)
}

/// The document's version (2008-10-17 when it names none) and statements.
pub(super) fn read(text: &str) -> Result<(Version, Vec<RawStatement>), Malformed> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| syntax(Fault::NotJson(e.to_string())))?;
    let Value::Object(top) = value else {
        return Err(syntax(Fault::NotObject));
    };
    if let Some(unknown) = top
        .keys()
        .find(|k| !matches!(k.as_str(), "Version" | "Id" | "Statement"))
    {
        return Err(syntax(Fault::UnknownElement(unknown.clone())));
    }
    let version = match top.get("Version") {
        None => Version::V2008,
        Some(Value::String(v)) if v == "2012-10-17" => Version::V2012,
        Some(Value::String(v)) if v == "2008-10-17" => Version::V2008,
        Some(other) => return Err(syntax(Fault::Version(other.to_string()))),
    };
    if top.get("Id").is_some_and(|id| !id.is_string()) {
        return Err(syntax(Fault::NotString("Id")));
    }
    let statements = match top.get("Statement") {
        None => return Err(syntax(Fault::NoStatement)),
        Some(Value::Object(one)) => vec![statement(one)?],
        Some(Value::Array(list)) if !list.is_empty() => list
            .iter()
            .map(|s| match s {
                Value::Object(s) => statement(s),
                _ => Err(syntax(Fault::StatementNotObject)),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(syntax(Fault::Statement)),
    };
    Ok((version, statements))
}

fn statement(s: &Map<String, Value>) -> Result<RawStatement, Malformed> {
    for key in s.keys() {
        match key.as_str() {
            "Sid" | "Effect" | "Action" | "NotAction" | "Resource" | "NotResource"
            | "Condition" => {}
            "Principal" | "NotPrincipal" => return Err(Malformed::Principal),
            _ => return Err(syntax(Fault::UnknownElement(key.clone()))),
        }
    }
    let effect = match s.get("Effect") {
        None => return Err(syntax(Fault::NoEffect)),
        Some(Value::String(e))
            if e.eq_ignore_ascii_case("allow") || e.eq_ignore_ascii_case("deny") =>
        {
            e.clone()
        }
        Some(Value::String(e)) => return Err(syntax(Fault::Effect(e.clone()))),
        Some(_) => return Err(syntax(Fault::NotString("Effect"))),
    };
    let sid = match s.get("Sid") {
        None => None,
        Some(Value::String(sid)) => Some(sid.clone()),
        Some(_) => return Err(syntax(Fault::NotString("Sid"))),
    };
    Ok(RawStatement {
        sid,
        effect,
        action: element(s, "Action", "NotAction")?,
        resource: element(s, "Resource", "NotResource")?,
        conditions: match s.get("Condition") {
            None => Vec::new(),
            Some(c) => conditions(c)?,
        },
    })
}

/// `Action`/`NotAction` (or the resource pair): at most one of them, a string or a list of strings.
fn element(
    s: &Map<String, Value>,
    name: &'static str,
    not_name: &'static str,
) -> Result<Option<Element>, Malformed> {
    let (negated, value) = match (s.get(name), s.get(not_name)) {
        (Some(_), Some(_)) => return Err(syntax(Fault::Both(name))),
        (Some(v), None) => (false, v),
        (None, Some(v)) => (true, v),
        (None, None) => return Ok(None),
    };
    let field = if negated { not_name } else { name };
    let values = match value {
        Value::String(one) => vec![one.clone()],
        Value::Array(list) => list
            .iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect::<Option<_>>()
            .ok_or(syntax(Fault::NotStrings(field)))?,
        _ => return Err(syntax(Fault::NotStrings(field))),
    };
    Ok(Some(Element { negated, values }))
}

/// `Condition`: an object of operators, each an object of keys, each a value or a list of them
/// (strings, or booleans and numbers written bare, read as their text).
fn conditions(block: &Value) -> Result<Vec<RawCondition>, Malformed> {
    let Value::Object(operators) = block else {
        return Err(syntax(Fault::Condition));
    };
    let mut out = Vec::new();
    for (name, keys) in operators {
        let Value::Object(keys) = keys else {
            return Err(syntax(Fault::Condition));
        };
        if keys.is_empty() {
            continue;
        }
        let operator =
            Operator::parse(name).ok_or_else(|| syntax(Fault::UnknownOperator(name.clone())))?;
        for (key, values) in keys {
            let values = match values {
                Value::Array(list) => list.iter().map(scalar).collect::<Option<_>>(),
                one => scalar(one).map(|v| vec![v]),
            }
            .ok_or(syntax(Fault::Condition))?;
            out.push(RawCondition {
                operator,
                key: key.clone(),
                values,
            });
        }
    }
    Ok(out)
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
