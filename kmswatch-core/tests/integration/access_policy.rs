//! The access-policy evaluator: Allow and Deny, wildcards, the `Not` forms,
//! conditions, and what it cannot decide.

use kmswatch_core::access_policy::{
    evaluate, wildcard, Decision, PolicyDocument, PolicyError, Request,
};

const ACCOUNT: &str = "111122223333";
const TOPIC: &str = "arn:aws:sns:us-east-1:111122223333:alerts";
const ALARM: &str = "arn:aws:cloudwatch:us-east-1:111122223333:alarm:kms";

fn publish() -> Request<'static> {
    Request {
        service: "cloudwatch.amazonaws.com",
        account_id: ACCOUNT,
        action: "SNS:Publish",
        resource: TOPIC,
        context: vec![
            ("aws:SourceAccount", ACCOUNT),
            ("aws:SourceOwner", ACCOUNT),
            ("aws:SourceArn", ALARM),
        ],
    }
}

fn decide(statements: &str) -> Decision {
    let policy = PolicyDocument::parse(&format!(r#"{{"Statement":[{statements}]}}"#)).unwrap();
    evaluate(&policy, &publish())
}

#[test]
fn wildcards_match_any_run_and_one_character() {
    assert!(wildcard("sns:*", "sns:Publish", false));
    assert!(wildcard("SNS:Pub?ish", "sns:publish", true));
    assert!(!wildcard("SNS:Pub?ish", "sns:publish", false));
    assert!(wildcard("arn:aws:sns:*:111122223333:*", TOPIC, false));
    assert!(!wildcard("arn:aws:sns:*:999999999999:*", TOPIC, false));
    assert!(wildcard("*", "", false));
    assert!(!wildcard("a*b", "ac", false));
    assert!(wildcard("a*b*c", "axxbyyc", false));
}

#[test]
fn actions_are_case_insensitive_with_wildcards_and_not_action() {
    for action in [
        r#""sns:publish""#,
        r#""SNS:*""#,
        r#""*""#,
        r#"["sns:Subscribe","sNs:Pub*"]"#,
    ] {
        let s = format!(r#"{{"Effect":"Allow","Principal":"*","Action":{action},"Resource":"*"}}"#);
        assert_eq!(decide(&s), Decision::Allowed, "{action}");
    }
    let not_publish =
        r#"{"Effect":"Allow","Principal":"*","NotAction":"sns:Publish","Resource":"*"}"#;
    assert_eq!(decide(not_publish), Decision::NotAllowed(vec![]));
    let deny_all_but_subscribe = r#"{"Effect":"Allow","Principal":"*","Action":"sns:*"},{"Sid":"D","Effect":"Deny","Principal":"*","NotAction":"sns:Subscribe"}"#;
    assert_eq!(
        decide(deny_all_but_subscribe),
        Decision::Denied("statement \"D\"".into())
    );
}

#[test]
fn resources_and_not_resource() {
    let other = r#"{"Effect":"Allow","Principal":"*","Action":"sns:Publish","Resource":"arn:aws:sns:us-east-1:111122223333:other"}"#;
    assert_eq!(decide(other), Decision::NotAllowed(vec![]));
    let not_other = r#"{"Effect":"Allow","Principal":"*","Action":"sns:Publish","NotResource":"arn:aws:sns:*:*:other"}"#;
    assert_eq!(decide(not_other), Decision::Allowed);
}

#[test]
fn principals_service_everyone_not_principal_and_the_account() {
    let service = r#"{"Effect":"Allow","Principal":{"Service":["events.amazonaws.com","cloudwatch.amazonaws.com"]},"Action":"sns:Publish"}"#;
    assert_eq!(decide(service), Decision::Allowed);
    let other_service = r#"{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"sns:Publish"}"#;
    assert_eq!(decide(other_service), Decision::NotAllowed(vec![]));
    let aws_star = r#"{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sns:Publish"}"#;
    assert_eq!(decide(aws_star), Decision::Allowed);
    // The account as principal covers CloudWatch only under a source-owner condition.
    let root = format!(
        r#"{{"Sid":"Root","Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}},"Action":"sns:Publish"}}"#
    );
    assert_eq!(
        decide(&root),
        Decision::NotAllowed(vec!["statement \"Root\"".into()])
    );
    let owned = format!(
        r#"{{"Effect":"Allow","Principal":{{"AWS":"{ACCOUNT}"}},"Action":"sns:Publish","Condition":{{"StringEquals":{{"AWS:SourceOwner":"{ACCOUNT}"}}}}}}"#
    );
    assert_eq!(decide(&owned), Decision::Allowed);
    // NotPrincipal: everyone but the named role, CloudWatch included.
    let deny_but_app = r#"{"Effect":"Allow","Principal":"*","Action":"*"},{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:role/app"},"Action":"sns:Publish"}"#;
    assert_eq!(decide(deny_but_app), Decision::Denied("statement 2".into()));
    let deny_but_cloudwatch = r#"{"Effect":"Allow","Principal":"*","Action":"*"},{"Effect":"Deny","NotPrincipal":{"Service":"cloudwatch.amazonaws.com"},"Action":"sns:Publish"}"#;
    assert_eq!(decide(deny_but_cloudwatch), Decision::Allowed);
    // A Deny naming the account may or may not reach CloudWatch's call.
    let deny_root = format!(
        r#"{{"Effect":"Allow","Principal":"*","Action":"*"}},{{"Effect":"Deny","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:root"}},"Action":"sns:Publish"}}"#
    );
    assert_eq!(
        decide(&deny_root),
        Decision::DenyUnknown("statement 2".into())
    );
}

#[test]
fn conditions_on_source_keys_with_if_exists_and_set_operators() {
    let allow = |condition: &str| {
        decide(&format!(
            r#"{{"Effect":"Allow","Principal":"*","Action":"sns:Publish","Condition":{condition}}}"#
        ))
    };
    for holds in [
        r#"{"StringEquals":{"aws:SourceAccount":["999999999999","111122223333"]}}"#,
        r#"{"ArnLike":{"aws:SourceArn":"arn:aws:cloudwatch:*:111122223333:alarm:*"}}"#,
        r#"{"ArnEquals":{"AWS:SOURCEARN":"arn:aws:cloudwatch:us-east-1:111122223333:alarm:kms"}}"#,
        r#"{"StringLikeIfExists":{"aws:SourceOwner":"1111*"}}"#,
        r#"{"ForAnyValue:StringEquals":{"aws:SourceAccount":"111122223333"}}"#,
        r#"{"StringNotEquals":{"aws:SourceAccount":"999999999999"}}"#,
        r#"{"StringEqualsIgnoreCase":{"aws:SourceArn":"ARN:AWS:CLOUDWATCH:US-EAST-1:111122223333:ALARM:KMS"}}"#,
    ] {
        assert_eq!(allow(holds), Decision::Allowed, "{holds}");
    }
    let fails =
        r#"{"StringEquals":{"aws:SourceAccount":"999999999999"},"ArnLike":{"aws:SourceArn":"*"}}"#;
    assert_eq!(allow(fails), Decision::NotAllowed(vec![]));
    for unknown in [
        r#"{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}"#,
        r#"{"NumericLessThan":{"aws:SourceAccount":"2"}}"#,
        r#"{"StringEquals":{"aws:SourceAccount":"${aws:PrincipalAccount}"}}"#,
    ] {
        assert_eq!(
            allow(unknown),
            Decision::NotAllowed(vec!["statement 1".into()]),
            "{unknown}"
        );
    }
}

#[test]
fn a_deny_with_an_unknown_condition_leaves_the_decision_unknown() {
    let policy = r#"{"Effect":"Allow","Principal":"*","Action":"*"},{"Sid":"Org","Effect":"Deny","Principal":"*","Action":"sns:Publish","Condition":{"StringNotEquals":{"aws:PrincipalOrgID":"o-1"}}}"#;
    assert_eq!(
        decide(policy),
        Decision::DenyUnknown("statement \"Org\"".into())
    );
    // A Deny that applies outright wins over an unknown one.
    let both = format!(r#"{policy},{{"Effect":"Deny","Principal":"*","Action":"*"}}"#);
    assert_eq!(decide(&both), Decision::Denied("statement 3".into()));
}

#[test]
fn malformed_documents_are_errors_naming_what_is_wrong() {
    assert!(matches!(
        PolicyDocument::parse("{\"Statement\":"),
        Err(PolicyError::Json(_))
    ));
    let cases = [
        ("[]", "not a JSON object"),
        ("{}", "no Statement"),
        (
            r#"{"Statement":[{"Effect":"Allow","Principal":"*"}]}"#,
            "neither Action nor NotAction",
        ),
        (
            r#"{"Statement":[{"Effect":"allow","Principal":"*","Action":"*"}]}"#,
            "Effect",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Principal":"someone","Action":"*"}]}"#,
            "Principal",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","NotPrincipal":"*","Action":"*"}]}"#,
            "both",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":[1]}]}"#,
            "not a string",
        ),
        (
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Condition":[]}]}"#,
            "Condition",
        ),
    ];
    for (text, expected) in cases {
        let err = PolicyDocument::parse(text).unwrap_err();
        assert!(matches!(err, PolicyError::Shape(_)), "{text}");
        assert!(err.to_string().contains(expected), "{text}: {err}");
    }
}

#[test]
fn a_statement_without_principal_grants_nothing_in_a_resource_policy() {
    assert_eq!(
        decide(r#"{"Effect":"Allow","Action":"*"}"#),
        Decision::NotAllowed(vec![])
    );
}
