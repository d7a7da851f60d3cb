//! Reading an access policy document (SNS topic policy, KMS key policy) into
//! typed statements. Only the shape is checked here; what a statement means
//! for a request is [`super::evaluate`]'s business.

use serde_json::Value;

/// Why a policy document cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// The text is not JSON.
    #[error("the policy is not JSON: {0}")]
    Json(String),
    /// The JSON is not a policy document.
    #[error("the policy is not a policy document: {0}")]
    Shape(String),
}

/// A policy document: its statements, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument {
    /// Every statement.
    pub statements: Vec<Statement>,
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// `Allow`.
    Allow,
    /// `Deny`.
    Deny,
}

/// A list of patterns, or its complement (`NotAction`, `NotResource`...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Patterns {
    /// The listed patterns (`Action`, `Resource`).
    Listed(Vec<String>),
    /// Everything but the listed patterns (`NotAction`, `NotResource`).
    AllBut(Vec<String>),
}

/// The principals a statement names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principals {
    /// `"*"` (or `{"AWS": "*"}`, which IAM reads the same): everyone.
    Everyone,
    /// `{"Service": [...], "AWS": [...], ...}`: kind and values, in document order.
    Named(Vec<(String, String)>),
}

/// Whom a statement applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrincipalMatch {
    /// `Principal`.
    Only(Principals),
    /// `NotPrincipal`.
    AllBut(Principals),
    /// Neither: in a resource policy AWS refuses such a statement; read as no one.
    Missing,
}

/// One test of a `Condition` block: `{"StringEquals": {"aws:SourceAccount": [...]}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    /// The operator as written, e.g. `ForAnyValue:StringLikeIfExists`.
    pub operator: String,
    /// The condition key as written (keys are case-insensitive).
    pub key: String,
    /// The values; a JSON number or boolean is kept as its text.
    pub values: Vec<String>,
}

/// One statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// `Sid`, when there is one.
    pub sid: Option<String>,
    /// `Effect`.
    pub effect: Effect,
    /// `Principal` / `NotPrincipal`.
    pub principal: PrincipalMatch,
    /// `Action` / `NotAction`.
    pub actions: Patterns,
    /// `Resource` / `NotResource`; `None` when absent.
    pub resources: Option<Patterns>,
    /// Every test of `Condition`; all must hold.
    pub conditions: Vec<Condition>,
}

impl Statement {
    /// `Sid`, or the statement's position, for messages.
    pub fn label(&self, index: usize) -> String {
        match &self.sid {
            Some(sid) => format!("statement {sid:?}"),
            None => format!("statement {}", index + 1),
        }
    }
}

impl PolicyDocument {
    /// Parses a policy document.
    ///
    /// ```
    /// use kmswatch_decisions::access_policy::PolicyDocument;
    /// let doc = PolicyDocument::parse(r#"{"Statement":{"Effect":"Deny","Principal":"*","Action":"sns:Publish"}}"#).unwrap();
    /// assert_eq!(doc.statements.len(), 1);
    /// assert!(PolicyDocument::parse("{").is_err());
    /// ```
    ///
    /// # Errors
    ///
    /// [`PolicyError`] when the text is not JSON or not a policy document.
    pub fn parse(text: &str) -> Result<Self, PolicyError> {
        let doc: Value =
            serde_json::from_str(text).map_err(|e| PolicyError::Json(e.to_string()))?;
        let Value::Object(doc) = doc else {
            return Err(shape("the document is not a JSON object"));
        };
        let list = match doc.get("Statement") {
            None => return Err(shape("it has no Statement")),
            Some(Value::Array(list)) => list.iter().collect(),
            Some(single @ Value::Object(_)) => vec![single],
            Some(_) => return Err(shape("Statement is neither an object nor a list")),
        };
        let statements = list
            .into_iter()
            .enumerate()
            .map(|(i, s)| statement(s).map_err(|e| shape(&format!("statement {}: {e}", i + 1))))
            .collect::<Result<_, _>>()?;
        Ok(PolicyDocument { statements })
    }
}

fn shape(message: &str) -> PolicyError {
    PolicyError::Shape(message.to_owned())
}

fn statement(value: &Value) -> Result<Statement, String> {
    let Value::Object(s) = value else {
        return Err("not a JSON object".to_owned());
    };
    let effect = match s.get("Effect").and_then(Value::as_str) {
        Some("Allow") => Effect::Allow,
        Some("Deny") => Effect::Deny,
        other => return Err(format!("Effect is {other:?}, not \"Allow\" or \"Deny\"")),
    };
    let principal = match (s.get("Principal"), s.get("NotPrincipal")) {
        (Some(_), Some(_)) => return Err("it has both Principal and NotPrincipal".to_owned()),
        (Some(p), None) => PrincipalMatch::Only(principals(p)?),
        (None, Some(p)) => PrincipalMatch::AllBut(principals(p)?),
        (None, None) => PrincipalMatch::Missing,
    };
    let actions = either(s, "Action", "NotAction")?
        .ok_or_else(|| "it has neither Action nor NotAction".to_owned())?;
    let resources = either(s, "Resource", "NotResource")?;
    let conditions = match s.get("Condition") {
        None => Vec::new(),
        Some(c) => conditions(c)?,
    };
    Ok(Statement {
        sid: s.get("Sid").and_then(Value::as_str).map(str::to_owned),
        effect,
        principal,
        actions,
        resources,
        conditions,
    })
}

fn either(
    s: &serde_json::Map<String, Value>,
    listed: &str,
    all_but: &str,
) -> Result<Option<Patterns>, String> {
    match (s.get(listed), s.get(all_but)) {
        (Some(_), Some(_)) => Err(format!("it has both {listed} and {all_but}")),
        (Some(v), None) => Ok(Some(Patterns::Listed(strings(v, listed)?))),
        (None, Some(v)) => Ok(Some(Patterns::AllBut(strings(v, all_but)?))),
        (None, None) => Ok(None),
    }
}

/// A string or a list of strings.
fn strings(value: &Value, what: &str) -> Result<Vec<String>, String> {
    match value {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(list) => list
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| format!("{what} holds {v}, not a string"))
            })
            .collect(),
        other => Err(format!(
            "{what} is {other}, not a string or a list of strings"
        )),
    }
}

fn principals(value: &Value) -> Result<Principals, String> {
    match value {
        Value::String(s) if s == "*" => Ok(Principals::Everyone),
        Value::String(s) => Err(format!("Principal {s:?} is neither \"*\" nor an object")),
        Value::Object(map) => {
            let mut named = Vec::new();
            for (kind, values) in map {
                for v in strings(values, &format!("Principal {kind}"))? {
                    if kind == "AWS" && v == "*" {
                        return Ok(Principals::Everyone);
                    }
                    named.push((kind.clone(), v));
                }
            }
            Ok(Principals::Named(named))
        }
        other => Err(format!("Principal is {other}, not \"*\" or an object")),
    }
}

fn conditions(value: &Value) -> Result<Vec<Condition>, String> {
    let Value::Object(operators) = value else {
        return Err("Condition is not an object".to_owned());
    };
    let mut out = Vec::new();
    for (operator, keys) in operators {
        let Value::Object(keys) = keys else {
            return Err(format!("Condition {operator} is not an object"));
        };
        for (key, values) in keys {
            let list = match values {
                Value::Array(list) => list.iter().collect(),
                single => vec![single],
            };
            let values = list
                .into_iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.clone()),
                    Value::Number(n) => Ok(n.to_string()),
                    Value::Bool(b) => Ok(b.to_string()),
                    other => Err(format!("Condition {operator} {key} holds {other}")),
                })
                .collect::<Result<_, _>>()?;
            out.push(Condition {
                operator: operator.clone(),
                key: key.clone(),
                values,
            });
        }
    }
    Ok(out)
}
