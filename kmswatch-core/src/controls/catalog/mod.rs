//! One file per control: its ids, its CIS pattern and its corpus.

pub mod cloudtrail_changes;
pub mod config_changes;
pub mod console_authentication_failures;
pub mod console_signin_without_mfa;
pub mod iam_policy_changes;
pub mod kms_key_disable_or_deletion;
pub mod nacl_changes;
pub mod network_gateway_changes;
pub mod organizations_changes;
pub mod root_usage;
pub mod route_table_changes;
pub mod s3_bucket_policy_changes;
pub mod security_group_changes;
pub mod unauthorized_api_calls;
pub mod vpc_changes;

use super::Control;

/// Every control, in CIS order.
pub static ALL: [&Control; 15] = [
    &unauthorized_api_calls::CONTROL,
    &console_signin_without_mfa::CONTROL,
    &root_usage::CONTROL,
    &iam_policy_changes::CONTROL,
    &cloudtrail_changes::CONTROL,
    &console_authentication_failures::CONTROL,
    &kms_key_disable_or_deletion::CONTROL,
    &s3_bucket_policy_changes::CONTROL,
    &config_changes::CONTROL,
    &security_group_changes::CONTROL,
    &nacl_changes::CONTROL,
    &network_gateway_changes::CONTROL,
    &route_table_changes::CONTROL,
    &vpc_changes::CONTROL,
    &organizations_changes::CONTROL,
];
