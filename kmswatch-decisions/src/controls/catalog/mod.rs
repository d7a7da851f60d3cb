//! One file per control: its ids, its CIS pattern and its corpus. A control
//! is added by its file, its corpus and one line below.

use super::Control;

/// Declares each control's module and lists its [`Control`] in [`ALL`].
macro_rules! catalog {
    ($($module:ident),* $(,)?) => {
        $(pub mod $module;)*

        /// Every control, in CIS order.
        pub static ALL: &[&Control] = &[$(&$module::CONTROL),*];
    };
}

catalog! {
    unauthorized_api_calls,
    console_signin_without_mfa,
    root_usage,
    iam_policy_changes,
    cloudtrail_changes,
    console_authentication_failures,
    kms_key_disable_or_deletion,
    s3_bucket_policy_changes,
    config_changes,
    security_group_changes,
    nacl_changes,
    network_gateway_changes,
    route_table_changes,
    vpc_changes,
    organizations_changes,
}
