//! The response: cancel a key's scheduled deletion, or enable a disabled key.
//! A dry run unless asked to apply; the key's state is read before and after;
//! a key whose state does not allow the action is refused, never forced.

use crate::api_error::ApiError;
use crate::model::{Arn, Key};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The schema of `kmswatch respond --format json`.
pub const RESPOND_SCHEMA: &str = "kmswatch.respond/v1";

/// What to undo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Response {
    /// `CancelKeyDeletion`: the key stays, `Disabled`.
    CancelDeletion,
    /// `EnableKey`.
    Enable,
}

impl Response {
    /// Its name on the command line: `cancel-deletion`, `enable`.
    pub fn as_str(self) -> &'static str {
        match self {
            Response::CancelDeletion => "cancel-deletion",
            Response::Enable => "enable",
        }
    }
}

impl fmt::Display for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Response {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "cancel-deletion" | "cancel_deletion" => Ok(Response::CancelDeletion),
            "enable" => Ok(Response::Enable),
            other => Err(format!(
                "unknown response {other:?}: choose cancel-deletion or enable"
            )),
        }
    }
}

/// Why `respond` could not run.
#[derive(Debug, thiserror::Error)]
pub enum RespondError {
    /// The key is not named by a KMS key ARN.
    #[error("{0:?} is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY_ID)")]
    NotAKeyArn(String),
    /// `DescribeKey` or the write failed.
    #[error(transparent)]
    Api(#[from] ApiError),
}

/// What the key's state allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// The action applies.
    Act,
    /// Nothing to do: the key is already as the action would leave it.
    NothingToDo(String),
    /// The state does not allow it; why, and what to do instead.
    Refuse(String),
}

/// Whether `action` may be taken on `key` (`None`: no such key).
///
/// ```
/// use kmswatch_decisions::keys::{decide, Decision, Response};
/// use kmswatch_decisions::model::Key;
/// let key = Key { key_state: Some("PendingDeletion".into()), ..Key::default() };
/// assert_eq!(decide(Response::CancelDeletion, Some(&key)), Decision::Act);
/// assert!(matches!(decide(Response::Enable, Some(&key)), Decision::Refuse(why) if why.contains("cancel-deletion")));
/// ```
pub fn decide(action: Response, key: Option<&Key>) -> Decision {
    let Some(key) = key else {
        return Decision::Refuse("no such key in its region".to_owned());
    };
    if key.is_aws_managed() {
        return Decision::Refuse(
            "it is an AWS managed key: AWS alone enables or deletes it".to_owned(),
        );
    }
    let state = key.key_state.as_deref().unwrap_or("unknown");
    match (action, state) {
        (Response::CancelDeletion, "PendingDeletion" | "PendingReplicaDeletion") => Decision::Act,
        (Response::CancelDeletion, _) => Decision::Refuse(format!(
            "the key is {state}, not pending deletion: there is no deletion to cancel"
        )),
        (Response::Enable, "Disabled") => Decision::Act,
        (Response::Enable, "Enabled") => {
            Decision::NothingToDo("the key is already Enabled".to_owned())
        }
        (Response::Enable, "PendingDeletion" | "PendingReplicaDeletion") => {
            Decision::Refuse(format!(
                "the key is {state}: cancel its deletion first (`kmswatch respond \
                 cancel-deletion {}`), then enable it",
                key.arn
            ))
        }
        (Response::Enable, _) => Decision::Refuse(format!(
            "the key is {state}: KMS enables only a Disabled key"
        )),
    }
}

/// The parts of a key's state the response shows, before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct KeyStateView {
    /// Whether the key exists.
    pub exists: bool,
    /// `KeyState`.
    pub key_state: Option<String>,
    /// `DeletionDate`, while pending deletion.
    pub deletion_date: Option<String>,
}

impl KeyStateView {
    fn of(key: Option<&Key>) -> Self {
        KeyStateView {
            exists: key.is_some(),
            key_state: key.and_then(|k| k.key_state.clone()),
            deletion_date: key.and_then(|k| k.deletion_date.clone()),
        }
    }
}

/// The outcome: the `kmswatch.respond/v1` document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RespondOutcome {
    /// Always [`RESPOND_SCHEMA`].
    pub schema: String,
    /// The action.
    pub action: Response,
    /// The key.
    pub key_arn: String,
    /// Its region (from the ARN).
    pub region: String,
    /// Whether it was asked to act (`--apply`); otherwise a dry run.
    pub apply: bool,
    /// Whether the write was made.
    pub applied: bool,
    /// Whether the key's state does not allow the action.
    pub refused: bool,
    /// One sentence: what was done, would be done, or why not.
    pub message: String,
    /// The key before.
    pub before: KeyStateView,
    /// The key after (read again after the write; the same as `before`
    /// otherwise).
    pub after: KeyStateView,
    /// What to do next, when something remains.
    pub next_step: Option<String>,
    /// The kmswatch version.
    pub kmswatch_version: String,
    /// When (RFC 3339); set by the face.
    pub generated_at: Option<String>,
}

impl RespondOutcome {
    /// The document, pretty-printed.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// `kmswatch respond`'s exit code: 1 when refused, else 0.
    pub fn exit_code(&self) -> u8 {
        u8::from(self.refused)
    }
}

impl RespondOutcome {
    /// The outcome of deciding `action` on the key `key_arn` of `region` as
    /// `before` shows it, with the key id to write to when it acts (`None`:
    /// refused, nothing to do, or a dry run).
    pub fn decided(
        action: Response,
        key_arn: &str,
        region: &str,
        before: Option<&Key>,
        apply: bool,
    ) -> (Self, Option<String>) {
        let view = KeyStateView::of(before);
        let mut outcome = RespondOutcome {
            schema: RESPOND_SCHEMA.to_owned(),
            action,
            key_arn: key_arn.to_owned(),
            region: region.to_owned(),
            apply,
            applied: false,
            refused: false,
            message: String::new(),
            before: view.clone(),
            after: view,
            next_step: None,
            kmswatch_version: crate::VERSION.to_owned(),
            generated_at: None,
        };
        let act_on = match decide(action, before) {
            Decision::Refuse(why) => {
                outcome.refused = true;
                outcome.message = format!("refused to {action} {key_arn}: {why}");
                None
            }
            Decision::NothingToDo(why) => {
                outcome.message = format!("nothing to do: {why}");
                None
            }
            Decision::Act if !apply => {
                outcome.message = format!("dry run: would {}; pass --apply to act", verb(action));
                outcome.next_step = Some(format!("kmswatch respond {action} {key_arn} --apply"));
                None
            }
            // The key id, which every KMS implementation takes in the key's
            // region (some emulators take no ARN).
            Decision::Act => Some(
                before
                    .map(|k| k.key_id.as_str())
                    .filter(|id| !id.is_empty())
                    .unwrap_or(key_arn)
                    .to_owned(),
            ),
        };
        (outcome, act_on)
    }

    /// The outcome once the write is made, with the key as read again.
    pub fn acted(mut self, after: Option<&Key>) -> Self {
        let action = self.action;
        self.applied = true;
        self.after = KeyStateView::of(after);
        self.message = format!(
            "done: {}; the key is now {}",
            past(action),
            self.after
                .key_state
                .as_deref()
                .unwrap_or("in an unknown state")
        );
        if action == Response::CancelDeletion && self.after.key_state.as_deref() == Some("Disabled")
        {
            self.next_step = Some(format!(
                "the key is Disabled, as KMS leaves a key whose deletion is canceled: \
                 kmswatch respond enable {} --apply",
                self.key_arn
            ));
        }
        self
    }
}

fn verb(action: Response) -> &'static str {
    match action {
        Response::CancelDeletion => "cancel the key's scheduled deletion (CancelKeyDeletion)",
        Response::Enable => "enable the key (EnableKey)",
    }
}

fn past(action: Response) -> &'static str {
    match action {
        Response::CancelDeletion => "the key's deletion is canceled",
        Response::Enable => "the key is enabled",
    }
}

/// The region of a KMS key ARN.
/// The region of the key `key_arn` names.
///
/// # Errors
///
/// [`RespondError`] when it is not a key ARN.
pub fn key_region(key_arn: &str) -> Result<String, RespondError> {
    Arn::parse(key_arn)
        .filter(|a| a.service == "kms" && a.resource.starts_with("key/") && !a.region.is_empty())
        .map(|a| a.region.to_owned())
        .ok_or_else(|| RespondError::NotAKeyArn(key_arn.to_owned()))
}
