//! The exported functions called as C calls them. The C and Go tests
//! (`tests/run.sh`) cross the real boundary; these pin the documents.

use super::*;
use serde_json::Value;
use std::ptr;

fn example(name: &str) -> String {
    let path = format!("{}/../examples/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Calls `kmswatch_evaluate` and takes ownership of the document.
fn evaluate(facts: &[u8]) -> (c_int, Value) {
    let mut out: *mut c_char = ptr::null_mut();
    let mut len = 0usize;
    let code = unsafe { kmswatch_evaluate(facts.as_ptr().cast(), facts.len(), &mut out, &mut len) };
    (code, take(out, len))
}

fn plan(facts: &[u8], options: &str) -> (c_int, Value) {
    let mut out: *mut c_char = ptr::null_mut();
    let mut len = 0usize;
    let code = unsafe {
        kmswatch_plan(
            facts.as_ptr().cast(),
            facts.len(),
            options.as_ptr().cast(),
            options.len(),
            &mut out,
            &mut len,
        )
    };
    (code, take(out, len))
}

fn take(out: *mut c_char, len: usize) -> Value {
    assert!(!out.is_null());
    let text = unsafe { CStr::from_ptr(out) }.to_str().unwrap().to_owned();
    assert_eq!(text.len(), len, "the length excludes the NUL");
    unsafe { kmswatch_free_string(out) };
    serde_json::from_str(&text).unwrap()
}

fn error_code(document: &Value) -> &str {
    assert_eq!(document["schema"], "kmswatch.error/v1");
    document["error"]["code"].as_str().unwrap()
}

#[test]
fn version_is_the_package_version() {
    let version = unsafe { CStr::from_ptr(kmswatch_version()) };
    assert_eq!(version.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
}

#[test]
fn evaluate_returns_the_exit_code_of_check_with_the_report() {
    for (name, code, status) in [
        ("compliant.json", KMSWATCH_PASS, "PASS"),
        ("broken-threshold-zero.json", KMSWATCH_FAIL, "FAIL"),
        ("error-access-denied.json", KMSWATCH_ERROR, "ERROR"),
        ("manual-organization-trail.json", KMSWATCH_ERROR, "MANUAL"),
    ] {
        let (returned, report) = evaluate(example(name).as_bytes());
        assert_eq!(returned, code, "{name}");
        assert_eq!(report["schema"], "kmswatch.report/v1");
        assert_eq!(report["status"], status, "{name}");
    }
}

#[test]
fn bad_facts_give_an_error_document_and_code_2() {
    let compliant = example("compliant.json");
    let truncated = &compliant.as_bytes()[..compliant.len() / 2];
    let (code, document) = evaluate(truncated);
    assert_eq!(code, KMSWATCH_INVALID_INPUT);
    assert_eq!(error_code(&document), "SNAPSHOT_INVALID");
    assert_eq!(document["status"], "ERROR");

    let (code, document) = evaluate(b"{\"schema\": \"kmswatch.facts/v9\xff\"}");
    assert_eq!(code, KMSWATCH_INVALID_INPUT);
    assert_eq!(error_code(&document), "INVALID_UTF8");

    let other_schema = compliant.replace("kmswatch.facts/v1", "kmswatch.facts/v9");
    let (_, document) = evaluate(other_schema.as_bytes());
    assert!(document["error"]["message"]
        .as_str()
        .unwrap()
        .contains("unsupported snapshot schema"));

    let mut out: *mut c_char = ptr::null_mut();
    let code = unsafe { kmswatch_evaluate(ptr::null(), 10, &mut out, ptr::null_mut()) };
    assert_eq!(code, KMSWATCH_INVALID_INPUT);
    let document = take(out, unsafe { CStr::from_ptr(out) }.to_bytes().len());
    assert_eq!(error_code(&document), "INVALID_ARGUMENT");
    assert_eq!(document["error"]["message"], "facts_json is NULL");
}

#[test]
fn a_null_out_pointer_is_refused_without_writing() {
    let facts = example("compliant.json");
    let code = unsafe {
        kmswatch_evaluate(
            facts.as_ptr().cast(),
            facts.len(),
            ptr::null_mut(),
            ptr::null_mut(),
        )
    };
    assert_eq!(code, KMSWATCH_INVALID_INPUT);
}

#[test]
fn plan_is_the_dry_run_of_remediate() {
    let facts = example("broken-pattern-misses-schedule.json");
    let (code, document) = plan(facts.as_bytes(), "{}");
    assert_eq!(code, KMSWATCH_PASS, "{document}");
    assert_eq!(document["schema"], "kmswatch.plan/v1");
    assert_eq!(document["predicted_status"], "PASS");
    assert_eq!(document["applied"], false);
    assert_eq!(document["actions"][0]["action"], "put_metric_filter");

    let (code, document) = plan(example("compliant.json").as_bytes(), "{}");
    assert_eq!(code, KMSWATCH_PASS);
    assert_eq!(document["actions"], Value::Array(Vec::new()));
}

#[test]
fn plan_options_are_the_python_keywords() {
    let facts = example("broken-alarm-no-actions.json");
    let (code, document) = plan(facts.as_bytes(), "{}");
    assert_eq!(code, KMSWATCH_INVALID_INPUT);
    assert_eq!(error_code(&document), "NO_SUBSCRIBER");

    let options = r#"{"subscribe": "sqs:arn:aws:sqs:us-east-1:111122223333:alerts",
                      "topic_name": "scanner-alerts", "tags": {"owner": "scanner"}}"#;
    let (code, document) = plan(facts.as_bytes(), options);
    assert_eq!(code, KMSWATCH_PASS, "{document}");
    let create = &document["actions"][0];
    assert_eq!(create["action"], "create_topic");
    assert_eq!(create["name"], "scanner-alerts");

    let (code, document) = plan(facts.as_bytes(), r#"{"emial": "a@example.com"}"#);
    assert_eq!(code, KMSWATCH_INVALID_INPUT);
    assert_eq!(error_code(&document), "OPTIONS_INVALID");

    let (code, document) = plan(facts.as_bytes(), r#"{"email": "not an address"}"#);
    assert_eq!(code, KMSWATCH_INVALID_INPUT);
    assert_eq!(error_code(&document), "OPTIONS_INVALID");
}

#[test]
fn a_refused_plan_carries_the_gaps() {
    let facts = example("broken-trail-not-logging.json");
    let (code, document) = plan(facts.as_bytes(), r#"{"email": "secops@example.com"}"#);
    assert_eq!(code, KMSWATCH_FAIL);
    assert_eq!(error_code(&document), "PREREQUISITE_MISSING");
    assert_eq!(document["status"], "FAIL");
    assert_eq!(document["error"]["gaps"][0]["code"], "TRAIL_NOT_LOGGING");

    let facts = example("error-access-denied.json");
    let (code, document) = plan(facts.as_bytes(), r#"{"email": "secops@example.com"}"#);
    assert_eq!(code, KMSWATCH_ERROR);
    assert_eq!(error_code(&document), "FACTS_INCOMPLETE");
}

fn compile(text: &str) -> Result<*mut KmswatchPattern, Value> {
    let mut error: *mut c_char = ptr::null_mut();
    let p = unsafe { kmswatch_pattern_new(text.as_ptr().cast(), text.len(), &mut error) };
    if p.is_null() {
        let len = unsafe { CStr::from_ptr(error) }.to_bytes().len();
        Err(take(error, len))
    } else {
        assert!(error.is_null());
        Ok(p)
    }
}

fn matches(p: *const KmswatchPattern, event: &[u8]) -> c_int {
    unsafe { kmswatch_pattern_matches(p, event.as_ptr().cast(), event.len()) }
}

#[test]
fn patterns_compile_match_and_free() {
    let p = compile("{ $.eventName = DisableKey }").unwrap();
    assert_eq!(matches(p, br#"{"eventName":"DisableKey"}"#), 1);
    assert_eq!(matches(p, br#"{"eventName":"DisableKeyRotation"}"#), 0);
    assert_eq!(matches(p, b"{\"eventName\":\"Disable\xffKey\"}"), -1);
    assert_eq!(unsafe { kmswatch_pattern_matches(p, ptr::null(), 0) }, -1);
    assert_eq!(
        unsafe { kmswatch_pattern_matches(ptr::null(), b"x".as_ptr().cast(), 1) },
        -1
    );
    let canonical = unsafe { kmswatch_pattern_canonical(p) };
    let text = unsafe { CStr::from_ptr(canonical) }
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(text, r#"{ $.eventName = "DisableKey" }"#);
    unsafe {
        kmswatch_free_string(canonical);
        kmswatch_pattern_free(p);
        kmswatch_pattern_free(ptr::null_mut());
        kmswatch_free_string(ptr::null_mut());
    }
}

#[test]
fn an_invalid_pattern_reports_the_offset() {
    let document = compile("{ ($.eventName = DisableKey }").unwrap_err();
    assert_eq!(error_code(&document), "PATTERN_INVALID");
    assert_eq!(document["error"]["offset"], 28);
    assert_eq!(
        document["error"]["message"],
        "expected ')', found '}' at 28"
    );

    let p = unsafe { kmswatch_pattern_new(ptr::null(), 0, ptr::null_mut()) };
    assert!(p.is_null(), "NULL pattern, no error document requested");
}

#[test]
fn threads_share_one_pattern_and_evaluate_at_once() {
    let p =
        compile("{ ($.eventSource = kms.amazonaws.com) && ($.eventName = ScheduleKeyDeletion) }")
            .unwrap() as usize;
    let facts = example("broken-threshold-zero.json");
    std::thread::scope(|s| {
        for _ in 0..8 {
            s.spawn(|| {
                for _ in 0..20 {
                    let event =
                        br#"{"eventSource":"kms.amazonaws.com","eventName":"ScheduleKeyDeletion"}"#;
                    assert_eq!(matches(p as *const KmswatchPattern, event), 1);
                    assert_eq!(evaluate(facts.as_bytes()).0, KMSWATCH_FAIL);
                }
            });
        }
    });
    unsafe { kmswatch_pattern_free(p as *mut KmswatchPattern) };
}

fn pattern_test_file(pattern: &str, path: &str) -> (c_int, Value) {
    let mut out: *mut c_char = ptr::null_mut();
    let mut len = 0usize;
    let code = unsafe {
        kmswatch_pattern_test_file(
            pattern.as_ptr().cast(),
            pattern.len(),
            path.as_ptr().cast(),
            path.len(),
            &mut out,
            &mut len,
        )
    };
    (code, take(out, len))
}

#[test]
fn a_log_file_gives_its_matches_and_the_summary() {
    let dir = format!("{}/../examples/cloudtrail", env!("CARGO_MANIFEST_DIR"));
    let lines = format!("{dir}/events.jsonl");
    let (code, document) = pattern_test_file("{ $.eventName = DisableKey }", &lines);
    assert_eq!(code, KMSWATCH_PASS);
    assert_eq!(document["schema"], "kmswatch.pattern-test/v1");
    let matches = document["matches"].as_array().unwrap();
    assert_eq!(document["matched"], matches.len());
    assert!(!matches.is_empty());
    for m in matches {
        assert_eq!(m["file"], lines.as_str());
        assert_eq!(m["event"]["eventName"], "DisableKey");
        assert!(m["line"].as_u64().unwrap() >= 1);
    }
    assert_eq!(
        (
            document["files"].as_u64(),
            document["errors"].as_array().map(Vec::len)
        ),
        (Some(1), Some(0))
    );
    let (code, document) = pattern_test_file("{ $.eventName = NoSuchCall }", &lines);
    assert_eq!(
        (code, document["matches"].as_array().map(Vec::len)),
        (KMSWATCH_FAIL, Some(0))
    );
}

#[test]
fn a_log_file_that_cannot_be_read_or_a_bad_pattern_is_an_error() {
    let (code, document) = pattern_test_file("DisableKey", "/nonexistent/kmswatch.json");
    assert_eq!(
        (code, error_code(&document)),
        (KMSWATCH_INVALID_INPUT, "INPUT_UNREADABLE")
    );
    let dir = format!("{}/../examples/cloudtrail", env!("CARGO_MANIFEST_DIR"));
    let (code, document) = pattern_test_file("DisableKey", &dir);
    assert_eq!(
        (code, error_code(&document)),
        (KMSWATCH_INVALID_INPUT, "INPUT_UNREADABLE")
    );
    let (code, document) = pattern_test_file("{ $.eventName = ", &dir);
    assert_eq!(
        (code, error_code(&document)),
        (KMSWATCH_INVALID_INPUT, "PATTERN_INVALID")
    );
    assert!(document["error"]["offset"].as_u64().is_some(), "{document}");
    let mut out: *mut c_char = ptr::null_mut();
    let code = unsafe {
        kmswatch_pattern_test_file(ptr::null(), 0, ptr::null(), 0, &mut out, ptr::null_mut())
    };
    assert_eq!(
        (code, error_code(&take_unsized(out))),
        (KMSWATCH_INVALID_INPUT, "INVALID_ARGUMENT")
    );
}

fn take_unsized(out: *mut c_char) -> Value {
    let len = unsafe { CStr::from_ptr(out) }.to_bytes().len();
    take(out, len)
}

fn evaluate_controls(facts: &[u8], ids: &str) -> (c_int, Value) {
    let mut out: *mut c_char = ptr::null_mut();
    let mut len = 0usize;
    let code = unsafe {
        kmswatch_evaluate_controls(
            facts.as_ptr().cast(),
            facts.len(),
            ids.as_ptr().cast(),
            ids.len(),
            &mut out,
            &mut len,
        )
    };
    (code, take(out, len))
}

#[test]
fn controls_are_judged_each_and_the_worst_is_returned() {
    let facts = example("compliant.json");
    let (code, report) = evaluate_controls(facts.as_bytes(), "4.3,CloudWatch.7");
    assert_eq!(code, KMSWATCH_FAIL);
    let statuses: Vec<(&str, &str)> = report["controls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["control"].as_str().unwrap(),
                c["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(statuses, [("4.3", "FAIL"), ("4.7", "PASS")]);
    // Only the KMS control: kmswatch_evaluate's report.
    let (code, alone) = evaluate_controls(facts.as_bytes(), "4.7");
    assert_eq!((code, alone), evaluate(facts.as_bytes()));
    let (code, error) = evaluate_controls(facts.as_bytes(), "4.99");
    assert_eq!(code, KMSWATCH_INVALID_INPUT);
    assert_eq!(error_code(&error), "OPTIONS_INVALID");
}

#[test]
fn a_pattern_is_explained_on_a_controls_corpus() {
    let explain = |p: *const KmswatchPattern, id: &str| {
        let mut out: *mut c_char = ptr::null_mut();
        let mut len = 0usize;
        let code = unsafe {
            kmswatch_pattern_explain(p, id.as_ptr().cast(), id.len(), &mut out, &mut len)
        };
        (code, take(out, len))
    };
    let typo =
        compile(r#"{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failedauthentication") }"#)
            .unwrap();
    let (code, explanation) = explain(typo, "4.6");
    assert_eq!(code, KMSWATCH_FAIL);
    assert_eq!(explanation["control"], "4.6");
    assert_eq!(explanation["coverage"]["complete"], false);
    let (code, error) = explain(typo, "4.99");
    assert_eq!(code, KMSWATCH_INVALID_INPUT);
    assert_eq!(error_code(&error), "OPTIONS_INVALID");
    unsafe { kmswatch_pattern_free(typo) };
    let cis = compile(kmswatch_core_cis()).unwrap();
    let (code, explanation) = explain(cis, "");
    assert_eq!(code, KMSWATCH_PASS);
    assert!(explanation.get("control").is_none());
    unsafe { kmswatch_pattern_free(cis) };
}

/// The KMS control's CIS text.
fn kmswatch_core_cis() -> &'static str {
    "{($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) }"
}
