//! ARNs: the parts kmswatch reads of them.

/// The parts of an ARN kmswatch needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn<'a> {
    /// `aws`, `aws-cn`, `aws-us-gov`...
    pub partition: &'a str,
    /// Service, e.g. `logs`.
    pub service: &'a str,
    /// Region (empty for global resources).
    pub region: &'a str,
    /// Account id.
    pub account_id: &'a str,
    /// Everything after the account id.
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Splits an ARN; `None` when it is not one.
    ///
    /// ```
    /// let arn = kmswatch_decisions::model::Arn::parse(
    ///     "arn:aws:logs:us-east-1:111122223333:log-group:CloudTrail/Default:*").unwrap();
    /// assert_eq!(arn.region, "us-east-1");
    /// assert_eq!(arn.resource, "log-group:CloudTrail/Default:*");
    /// ```
    pub fn parse(text: &'a str) -> Option<Self> {
        let mut parts = text.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        let arn = Arn {
            partition: parts.next()?,
            service: parts.next()?,
            region: parts.next()?,
            account_id: parts.next()?,
            resource: parts.next()?,
        };
        (!arn.partition.is_empty() && !arn.service.is_empty()).then_some(arn)
    }

    /// For a log group ARN (with or without the trailing `:*`): the log group name.
    pub fn log_group_name(&self) -> Option<&'a str> {
        let name = self.resource.strip_prefix("log-group:")?;
        let name = name.strip_suffix(":*").unwrap_or(name);
        (!name.is_empty()).then_some(name)
    }
}

/// A log group ARN without the `:*` suffix CloudTrail stores.
pub fn normalize_log_group_arn(arn: &str) -> &str {
    arn.strip_suffix(":*").unwrap_or(arn)
}

/// The partition of a region, from its name (`cn-north-1` → `aws-cn`).
pub fn partition_of_region(region: &str) -> &'static str {
    const PREFIXES: [(&str, &str); 5] = [
        ("cn-", "aws-cn"),
        ("us-gov-", "aws-us-gov"),
        ("us-isob-", "aws-iso-b"),
        ("us-iso-", "aws-iso"),
        ("eu-isoe-", "aws-iso-e"),
    ];
    PREFIXES
        .iter()
        .find(|(prefix, _)| region.starts_with(prefix))
        .map_or("aws", |(_, partition)| partition)
}
