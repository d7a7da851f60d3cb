//! Whether a policy document lets one principal make one request: the Deny
//! and Allow statements that apply, each decided as yes, no or unknown.
//!
//! What kmswatch cannot decide (a condition key it does not know for the
//! request, an operator it does not evaluate, a policy variable) is unknown:
//! an unknown Deny leaves the decision unknown, an unknown Allow does not count.

use super::parse::{
    Condition, Effect, Patterns, PolicyDocument, PrincipalMatch, Principals, Statement,
};

/// The request a policy is asked about.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The service principal making it, e.g. `cloudwatch.amazonaws.com`.
    pub service: &'a str,
    /// The account the service acts for (whose alarm publishes).
    pub account_id: &'a str,
    /// The action, e.g. `SNS:Publish` (compared case-insensitively).
    pub action: &'a str,
    /// The resource ARN.
    pub resource: &'a str,
    /// Condition keys the request carries, with their values (keys compared
    /// case-insensitively); a key not listed is unknown, not absent.
    pub context: Vec<(&'a str, &'a str)>,
}

/// Three-valued: a statement applies, does not, or kmswatch cannot tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applies {
    /// It applies.
    Yes,
    /// It does not.
    No,
    /// It may.
    Unknown,
}

impl Applies {
    fn and(self, other: Applies) -> Applies {
        match (self, other) {
            (Applies::No, _) | (_, Applies::No) => Applies::No,
            (Applies::Yes, Applies::Yes) => Applies::Yes,
            _ => Applies::Unknown,
        }
    }

    fn from_bool(b: bool) -> Applies {
        if b {
            Applies::Yes
        } else {
            Applies::No
        }
    }
}

/// What a policy decides about a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// An Allow applies and no Deny may.
    Allowed,
    /// A Deny applies (its label).
    Denied(String),
    /// A Deny may apply: its conditions cannot be evaluated (label and why).
    DenyUnknown(String),
    /// No Allow applies; the labels of Allows that might with conditions
    /// kmswatch cannot evaluate, which do not count.
    NotAllowed(Vec<String>),
}

/// Decides `request` against `policy`.
///
/// ```
/// use kmswatch_decisions::access_policy::{evaluate, Decision, PolicyDocument, Request};
/// let policy = PolicyDocument::parse(r#"{"Statement":[{"Effect":"Allow",
///   "Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":"sns:*","Resource":"*"}]}"#).unwrap();
/// let request = Request {
///     service: "cloudwatch.amazonaws.com",
///     account_id: "111122223333",
///     action: "SNS:Publish",
///     resource: "arn:aws:sns:us-east-1:111122223333:alerts",
///     context: vec![("aws:SourceAccount", "111122223333")],
/// };
/// assert_eq!(evaluate(&policy, &request), Decision::Allowed);
/// ```
pub fn evaluate(policy: &PolicyDocument, request: &Request<'_>) -> Decision {
    let mut allowed = false;
    let mut unknown_allows = Vec::new();
    let mut unknown_deny = None;
    for (i, statement) in policy.statements.iter().enumerate() {
        let applies = applies(statement, request);
        match (statement.effect, applies) {
            (Effect::Deny, Applies::Yes) => return Decision::Denied(statement.label(i)),
            (Effect::Deny, Applies::Unknown) => {
                unknown_deny.get_or_insert_with(|| statement.label(i));
            }
            (Effect::Allow, Applies::Yes) => allowed = true,
            (Effect::Allow, Applies::Unknown) => unknown_allows.push(statement.label(i)),
            (_, Applies::No) => {}
        }
    }
    match unknown_deny {
        Some(label) => Decision::DenyUnknown(label),
        None if allowed => Decision::Allowed,
        None => Decision::NotAllowed(unknown_allows),
    }
}

/// Whether one statement applies to the request.
pub fn applies(statement: &Statement, request: &Request<'_>) -> Applies {
    let action = Applies::from_bool(matches_patterns(&statement.actions, request.action, true));
    let resource = match &statement.resources {
        None => Applies::Yes,
        Some(p) => Applies::from_bool(matches_patterns(p, request.resource, false)),
    };
    let conditions = statement
        .conditions
        .iter()
        .fold(Applies::Yes, |acc, c| acc.and(condition(c, request)));
    let principal = match principal(&statement.principal, request) {
        PrincipalFit::Fits => Applies::Yes,
        PrincipalFit::No => Applies::No,
        // The account as principal covers its service's calls only where the
        // statement ties them to the account, as the SNS default policy does
        // with AWS:SourceOwner.
        PrincipalFit::ThroughAccount if ties_to_account(statement, request) => Applies::Yes,
        PrincipalFit::ThroughAccount => Applies::Unknown,
    };
    action.and(resource).and(principal).and(conditions)
}

enum PrincipalFit {
    Fits,
    No,
    ThroughAccount,
}

fn principal(principal: &PrincipalMatch, request: &Request<'_>) -> PrincipalFit {
    match principal {
        PrincipalMatch::Only(p) => names(p, request),
        PrincipalMatch::AllBut(p) => match names(p, request) {
            PrincipalFit::Fits => PrincipalFit::No,
            PrincipalFit::No => PrincipalFit::Fits,
            PrincipalFit::ThroughAccount => PrincipalFit::ThroughAccount,
        },
        PrincipalMatch::Missing => PrincipalFit::No,
    }
}

fn names(principals: &Principals, request: &Request<'_>) -> PrincipalFit {
    let Principals::Named(named) = principals else {
        return PrincipalFit::Fits;
    };
    let mut fit = PrincipalFit::No;
    for (kind, value) in named {
        match kind.as_str() {
            "Service" if value.eq_ignore_ascii_case(request.service) => return PrincipalFit::Fits,
            "AWS" if is_account(value, request.account_id) => fit = PrincipalFit::ThroughAccount,
            _ => {}
        }
    }
    fit
}

/// `111122223333` or `arn:<partition>:iam::111122223333:root`.
fn is_account(value: &str, account_id: &str) -> bool {
    value == account_id
        || value
            .strip_prefix("arn:")
            .and_then(|rest| rest.split_once(":iam::"))
            .is_some_and(|(_, tail)| tail == format!("{account_id}:root"))
}

/// Whether the statement has a condition on the source owner or account that
/// holds for the request's account.
fn ties_to_account(statement: &Statement, request: &Request<'_>) -> bool {
    statement.conditions.iter().any(|c| {
        let key = c.key.to_ascii_lowercase();
        (key == "aws:sourceowner" || key == "aws:sourceaccount")
            && c.values.iter().any(|v| v == request.account_id)
            && condition(c, request) == Applies::Yes
    })
}

fn matches_patterns(patterns: &Patterns, value: &str, ignore_case: bool) -> bool {
    let any = |list: &[String]| list.iter().any(|p| wildcard(p, value, ignore_case));
    match patterns {
        Patterns::Listed(list) => any(list),
        Patterns::AllBut(list) => !any(list),
    }
}

/// IAM wildcard match: `*` any run of characters, `?` any one character.
pub fn wildcard(pattern: &str, value: &str, ignore_case: bool) -> bool {
    let fold = |s: &str| -> Vec<char> {
        if ignore_case {
            s.chars().flat_map(char::to_lowercase).collect()
        } else {
            s.chars().collect()
        }
    };
    let (p, v) = (fold(pattern), fold(value));
    // Iterative glob with one backtrack point: linear in practice.
    let (mut pi, mut vi) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while vi < v.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, vi));
                pi += 1;
            }
            Some(&c) if c == '?' || c == v[vi] => {
                pi += 1;
                vi += 1;
            }
            _ => match star {
                Some((sp, sv)) => {
                    pi = sp + 1;
                    vi = sv + 1;
                    star = Some((sp, sv + 1));
                }
                None => return false,
            },
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// One condition test, for the request.
fn condition(c: &Condition, request: &Request<'_>) -> Applies {
    let operator = c
        .operator
        .strip_prefix("ForAnyValue:")
        .or_else(|| c.operator.strip_prefix("ForAllValues:"))
        .unwrap_or(&c.operator);
    let operator = operator.strip_suffix("IfExists").unwrap_or(operator);
    let Some(value) = request
        .context
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(&c.key))
        .map(|(_, v)| *v)
    else {
        return Applies::Unknown;
    };
    if c.values.iter().any(|v| v.contains("${")) {
        return Applies::Unknown;
    }
    let any = |like: bool, ignore_case: bool| {
        c.values.iter().any(|expected| {
            if like {
                wildcard(expected, value, ignore_case)
            } else if ignore_case {
                expected.eq_ignore_ascii_case(value)
            } else {
                expected == value
            }
        })
    };
    match operator {
        "StringEquals" => Applies::from_bool(any(false, false)),
        "StringNotEquals" => Applies::from_bool(!any(false, false)),
        "StringEqualsIgnoreCase" => Applies::from_bool(any(false, true)),
        "StringNotEqualsIgnoreCase" => Applies::from_bool(!any(false, true)),
        // ArnEquals and ArnLike both read wildcards.
        "StringLike" | "ArnLike" | "ArnEquals" => Applies::from_bool(any(true, false)),
        "StringNotLike" | "ArnNotLike" | "ArnNotEquals" => Applies::from_bool(!any(true, false)),
        _ => Applies::Unknown,
    }
}
