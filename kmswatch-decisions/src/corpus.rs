//! The bundled corpus of CloudTrail records for the KMS key lifecycle.
//!
//! A metric filter "monitors KMS key disabling and deletion" when its pattern
//! matches every [`EventCategory::Target`] record here. Look-alikes
//! (`DisableKeyRotation`, `CancelKeyDeletion`, other event sources...) show what a
//! pattern catches besides; a failed attempt is reported but not required.
//!
//! The records live in `corpus/kms_key_lifecycle.json` as CloudTrail delivers them
//! (one record each); CloudTrail writes each record to CloudWatch Logs as one
//! compact JSON line, which is what [`CorpusEvent::line`] holds.

use serde::Deserialize;
use std::borrow::Cow;
use std::sync::OnceLock;

/// The account whose records the corpus holds, as CloudTrail wrote them (in
/// `recipientAccountId`, `userIdentity`, key ARNs, `resources`).
pub const CORPUS_ACCOUNT: &str = "111122223333";

/// What a corpus record stands for in the coverage decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventCategory {
    /// A successful `DisableKey` or `ScheduleKeyDeletion`: a compliant pattern must match it.
    Target,
    /// A `DisableKey` / `ScheduleKeyDeletion` call that failed (for example `AccessDenied`).
    /// Matching it is fine but not required.
    FailedAttempt,
    /// An event that resembles a target but is not one; matching it is noise, not coverage.
    LookAlike,
    /// Everyday traffic a trail recording all management events stores by the
    /// thousand (KMS `Decrypt` by S3, `GenerateDataKey` by EBS, STS `AssumeRole`...).
    /// A metric whose filter matches one of these is above zero in every period.
    Routine,
}

/// One CloudTrail record of the corpus.
#[derive(Debug, Clone)]
pub struct CorpusEvent {
    /// Stable identifier, e.g. `disable-key-iam-user`.
    pub id: String,
    /// One sentence saying what the record is.
    pub description: String,
    /// Its role in the coverage decision.
    pub category: EventCategory,
    /// The record's `eventName`.
    pub event_name: String,
    /// The record's `eventSource`.
    pub event_source: String,
    /// The record as one compact JSON line, as CloudWatch Logs receives it.
    pub line: String,
}

impl CorpusEvent {
    /// The record as the trail of `account_id` would log it: that account's id
    /// wherever the corpus has [`CORPUS_ACCOUNT`], so that a pattern scoped to
    /// the account it monitors (`$.recipientAccountId = "…"`) is judged on that
    /// account's events. Anything but a 12-digit account id leaves the record
    /// as it is.
    ///
    /// ```
    /// let event = &kmswatch_decisions::corpus::targets().next().unwrap();
    /// assert!(event.line_in("444455556666").contains("\"recipientAccountId\":\"444455556666\""));
    /// assert_eq!(event.line_in("111122223333"), event.line.as_str());
    /// ```
    pub fn line_in(&self, account_id: &str) -> Cow<'_, str> {
        let is_account = account_id.len() == 12 && account_id.bytes().all(|b| b.is_ascii_digit());
        if !is_account || account_id == CORPUS_ACCOUNT {
            return Cow::Borrowed(&self.line);
        }
        Cow::Owned(self.line.replace(CORPUS_ACCOUNT, account_id))
    }

    /// The event as [`CorpusEvent::line_in`] `account_id` reads it.
    pub fn in_account(&self, account_id: &str) -> CorpusEvent {
        CorpusEvent {
            line: self.line_in(account_id).into_owned(),
            ..self.clone()
        }
    }
}

/// The whole corpus as it reads in `account_id` ([`CorpusEvent::line_in`]).
pub fn kms_key_lifecycle_in(account_id: &str) -> Vec<CorpusEvent> {
    kms_key_lifecycle()
        .iter()
        .map(|e| e.in_account(account_id))
        .collect()
}

/// The target events as they read in `account_id` ([`CorpusEvent::line_in`]).
pub fn targets_in(account_id: &str) -> Vec<CorpusEvent> {
    targets().map(|e| e.in_account(account_id)).collect()
}

#[derive(Deserialize)]
struct RawEvent {
    id: String,
    description: String,
    category: EventCategory,
    record: serde_json::Value,
}

/// The KMS key lifecycle corpus file, as bundled.
pub const KMS_KEY_LIFECYCLE_JSON: &str = include_str!("../corpus/kms_key_lifecycle.json");

/// Reads a corpus file: a JSON list of `{id, description, category, record}`,
/// each `record` one CloudTrail record.
pub fn parse_corpus(json: &str) -> Result<Vec<CorpusEvent>, serde_json::Error> {
    let raw: Vec<RawEvent> = serde_json::from_str(json)?;
    Ok(raw
        .into_iter()
        .map(|r| CorpusEvent {
            event_name: r.record["eventName"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            event_source: r.record["eventSource"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            line: r.record.to_string(),
            id: r.id,
            description: r.description,
            category: r.category,
        })
        .collect())
}

/// The bundled KMS key lifecycle corpus, parsed once.
pub fn kms_key_lifecycle() -> &'static [CorpusEvent] {
    static CORPUS: OnceLock<Vec<CorpusEvent>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        // The file is part of the crate and checked by the tests below; a parse
        // failure here is a build defect, not an input error.
        parse_corpus(KMS_KEY_LIFECYCLE_JSON)
            .expect("bundled corpus/kms_key_lifecycle.json is valid")
    })
}

/// The target events of the corpus: the ones a compliant pattern must match.
pub fn targets() -> impl Iterator<Item = &'static CorpusEvent> {
    kms_key_lifecycle()
        .iter()
        .filter(|e| e.category == EventCategory::Target)
}

/// The routine-traffic records: a filter that matches one makes its metric noisy.
pub fn routine() -> impl Iterator<Item = &'static CorpusEvent> {
    kms_key_lifecycle()
        .iter()
        .filter(|e| e.category == EventCategory::Routine)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_parses_and_ids_are_unique() {
        let corpus = kms_key_lifecycle();
        assert!(!corpus.is_empty());
        let mut ids: Vec<_> = corpus.iter().map(|e| e.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), corpus.len(), "duplicate corpus ids");
    }

    #[test]
    fn targets_are_successful_kms_disable_or_schedule_deletion() {
        for e in targets() {
            assert_eq!(e.event_source, "kms.amazonaws.com", "{}", e.id);
            assert!(
                e.event_name == "DisableKey" || e.event_name == "ScheduleKeyDeletion",
                "{}",
                e.id
            );
            assert!(
                !e.line.contains("\"errorCode\""),
                "{} has an errorCode",
                e.id
            );
            assert!(!e.line.contains('\n'));
        }
    }

    fn record(e: &CorpusEvent) -> serde_json::Value {
        serde_json::from_str(&e.line).expect("corpus line is JSON")
    }

    fn in_category(category: EventCategory) -> impl Iterator<Item = &'static CorpusEvent> {
        kms_key_lifecycle()
            .iter()
            .filter(move |e| e.category == category)
    }

    /// Who made the call, in the five kinds the corpus must cover for each target name.
    fn identity_kind(record: &serde_json::Value) -> &'static str {
        let identity = &record["userIdentity"];
        let mfa = identity["sessionContext"]["attributes"]["mfaAuthenticated"] == "true";
        match identity["type"].as_str() {
            Some("Root") => "root",
            Some("AWSService") => "aws_service",
            _ if mfa && record["userAgent"] == "AWS Internal" => "console_mfa",
            Some("AssumedRole") => "assumed_role",
            Some("IAMUser") => "iam_user",
            other => panic!("unexpected identity type {other:?}"),
        }
    }

    #[test]
    fn targets_cover_both_names_and_every_identity_kind() {
        assert!(targets().count() >= 10);
        let all = [
            "iam_user",
            "assumed_role",
            "root",
            "console_mfa",
            "aws_service",
        ];
        for name in ["DisableKey", "ScheduleKeyDeletion"] {
            let mut kinds: Vec<_> = targets()
                .filter(|e| e.event_name == name)
                .map(|e| identity_kind(&record(e)))
                .collect();
            kinds.sort_unstable();
            kinds.dedup();
            let mut expected = all.to_vec();
            expected.sort_unstable();
            assert_eq!(kinds, expected, "{name}");
        }
        let regions: Vec<_> = targets().map(|e| record(e)["awsRegion"].clone()).collect();
        assert!(regions.iter().any(|r| r == "eu-west-1"));
        assert!(targets().any(|e| e.line.contains("key/mrk-")));
    }

    #[test]
    fn schedule_key_deletion_targets_record_the_pending_window() {
        for e in targets().filter(|e| e.event_name == "ScheduleKeyDeletion") {
            let r = record(e);
            let window = &r["requestParameters"]["pendingWindowInDays"];
            assert!(window.is_u64(), "{}", e.id);
            let response = &r["responseElements"];
            assert_eq!(&response["pendingWindowInDays"], window, "{}", e.id);
            assert!(response["keyId"]
                .as_str()
                .is_some_and(|k| k.starts_with("arn:aws:kms:")));
            let state = response["keyState"].as_str().unwrap_or_default();
            assert!(
                state == "PendingDeletion" || state == "PendingReplicaDeletion",
                "{}",
                e.id
            );
            // A primary key waiting for its replicas has no deletion date yet.
            assert_eq!(
                response["deletionDate"].is_string(),
                state == "PendingDeletion"
            );
        }
    }

    #[test]
    fn every_look_alike_differs_from_every_target_in_name_or_source() {
        let target_keys: Vec<_> = targets()
            .map(|e| (e.event_name.as_str(), e.event_source.as_str()))
            .collect();
        assert!(in_category(EventCategory::LookAlike).count() >= 10);
        for e in in_category(EventCategory::LookAlike) {
            let key = (e.event_name.as_str(), e.event_source.as_str());
            assert!(!target_keys.contains(&key), "{} looks like a target", e.id);
        }
    }

    #[test]
    fn routine_records_are_read_calls_the_targets_are_not() {
        let names: Vec<&str> = routine().map(|e| e.event_name.as_str()).collect();
        for expected in [
            "Decrypt",
            "Encrypt",
            "GenerateDataKey",
            "GenerateDataKeyWithoutPlaintext",
            "ReEncrypt",
            "DescribeKey",
            "ListKeys",
            "ListAliases",
            "AssumeRole",
            "DescribeInstances",
            "ListBuckets",
        ] {
            assert!(names.contains(&expected), "no routine {expected}");
        }
        for e in routine() {
            assert_eq!(record(e)["readOnly"], true, "{}", e.id);
            assert!(!["DisableKey", "ScheduleKeyDeletion"].contains(&e.event_name.as_str()));
        }
    }

    #[test]
    fn failed_attempts_are_target_calls_with_an_error_code() {
        assert!(in_category(EventCategory::FailedAttempt).count() >= 2);
        for e in in_category(EventCategory::FailedAttempt) {
            let r = record(e);
            assert_eq!(e.event_source, "kms.amazonaws.com", "{}", e.id);
            assert!(
                e.event_name == "DisableKey" || e.event_name == "ScheduleKeyDeletion",
                "{}",
                e.id
            );
            assert!(
                r["errorCode"].as_str().is_some_and(|c| !c.is_empty()),
                "{}",
                e.id
            );
            assert!(r["errorMessage"].is_string(), "{}", e.id);
            assert!(r["responseElements"].is_null(), "{}", e.id);
        }
    }

    #[test]
    fn every_record_has_cloudtrail_management_event_shape() {
        for e in kms_key_lifecycle() {
            let r = record(e);
            let version = r["eventVersion"].as_str().unwrap_or_default();
            assert!(
                ["1.08", "1.09", "1.10", "1.11"].contains(&version),
                "{}: eventVersion {version}",
                e.id
            );
            let time = r["eventTime"].as_str().unwrap_or_default();
            assert!(time.len() == 20 && time.ends_with('Z') && time.as_bytes()[10] == b'T');
            assert!(
                r["eventID"].as_str().is_some_and(|id| id.len() == 36),
                "{}",
                e.id
            );
            assert!(r["readOnly"].is_boolean(), "{}", e.id);
            assert_eq!(r["managementEvent"], true, "{}", e.id);
            assert_eq!(r["eventCategory"], "Management", "{}", e.id);
            assert_eq!(r["recipientAccountId"], "111122223333", "{}", e.id);
            assert!(r["userIdentity"].is_object(), "{}", e.id);
            assert!(r["sourceIPAddress"].is_string() && r["userAgent"].is_string());
            assert!(r.get("requestParameters").is_some() && r.get("responseElements").is_some());
            // List and describe calls on no particular resource carry none.
            let resources = r["resources"].as_array().map(Vec::as_slice);
            let resources = match (e.category, resources) {
                (EventCategory::Routine, None) => &[][..],
                (_, r) => r.expect("resources"),
            };
            assert!(
                !resources.is_empty() || e.category == EventCategory::Routine,
                "{}",
                e.id
            );
            for resource in resources {
                assert!(resource["ARN"]
                    .as_str()
                    .is_some_and(|a| a.starts_with("arn:aws:")));
            }
            // Calls that came over the network carry TLS details; AWS-internal ones do not.
            let internal = r["sourceIPAddress"]
                .as_str()
                .is_some_and(|ip| !ip.starts_with("192.0.2."));
            assert_eq!(r["tlsDetails"].is_object(), !internal, "{}", e.id);
            if r["eventType"] == "AwsApiCall" {
                assert!(r["requestID"].is_string(), "{}", e.id);
            }
        }
    }
}
