//! Responding to a key at risk through the service traits: read the key,
//! decide (`kmswatch-decisions`' [`RespondOutcome::decided`]), and with
//! `apply` act and read it again.

use super::{key_region, RespondError, RespondOutcome, Response};
use crate::api::Services;

/// Reads the key, decides, and with `apply` acts and reads it again.
pub async fn respond(
    services: &Services,
    action: Response,
    key_arn: &str,
    apply: bool,
) -> Result<RespondOutcome, RespondError> {
    let region = key_region(key_arn)?;
    let before = services.keys.describe_key(&region, key_arn).await?;
    let (outcome, act_on) =
        RespondOutcome::decided(action, key_arn, &region, before.as_ref(), apply);
    let Some(key_id) = act_on else {
        return Ok(outcome);
    };
    match action {
        Response::CancelDeletion => services.keys.cancel_key_deletion(&region, &key_id).await?,
        Response::Enable => services.keys.enable_key(&region, &key_id).await?,
    }
    let after = services.keys.describe_key(&region, key_arn).await?;
    Ok(outcome.acted(after.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::MockKeysApi;
    use crate::memory::MemoryBackend;
    use crate::model::Key;
    use std::sync::Arc;

    const ARN: &str = "arn:aws:kms:eu-west-1:111122223333:key/k1";

    /// Services whose KMS is `keys` (a mock), the rest an empty account.
    fn with_keys(keys: MockKeysApi) -> Services {
        let account = Arc::new(MemoryBackend::new("111122223333", "eu-west-1"));
        Services::from_parts(
            account.clone(),
            account.clone(),
            account.clone(),
            account.clone(),
            account.clone(),
            Arc::new(keys),
            account,
        )
    }

    fn in_state(state: &'static str) -> MockKeysApi {
        let mut keys = MockKeysApi::new();
        keys.expect_describe_key()
            .withf(|region, key| region == "eu-west-1" && key == ARN)
            .returning(move |_, _| {
                Ok(Some(Key {
                    key_id: "k1".into(),
                    arn: ARN.into(),
                    key_manager: Some("CUSTOMER".into()),
                    key_state: Some(state.into()),
                    ..Key::default()
                }))
            });
        keys
    }

    #[tokio::test]
    async fn a_refusal_and_a_dry_run_write_nothing() {
        for (action, state, apply) in [
            (Response::CancelDeletion, "Enabled", true),
            (Response::Enable, "PendingDeletion", true),
            (Response::CancelDeletion, "PendingDeletion", false),
            (Response::Enable, "Disabled", false),
        ] {
            let mut keys = in_state(state);
            keys.expect_cancel_key_deletion().never();
            keys.expect_enable_key().never();
            let outcome = respond(&with_keys(keys), action, ARN, apply).await.unwrap();
            assert!(!outcome.applied, "{action} on {state}");
            assert_eq!(outcome.refused, apply, "{action} on {state}");
        }
    }

    #[tokio::test]
    async fn the_write_names_the_key_by_id_in_its_region() {
        let mut keys = in_state("Disabled");
        keys.expect_enable_key()
            .withf(|region, key| region == "eu-west-1" && key == "k1")
            .times(1)
            .returning(|_, _| Ok(()));
        let outcome = respond(&with_keys(keys), Response::Enable, ARN, true)
            .await
            .unwrap();
        assert!(outcome.applied);
    }
}
