//! The time a snapshot is captured at, injectable so that tests can pin it.

/// A source of the current time.
pub trait Clock: Send + Sync {
    /// Now, in UTC, as RFC 3339 to the second: `2026-03-01T12:00:00Z`.
    fn now_rfc3339(&self) -> String;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_rfc3339(&self) -> String {
        humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
    }
}

/// A clock stopped at one time (for tests and reproducible snapshots).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedClock(pub String);

impl Clock for FixedClock {
    fn now_rfc3339(&self) -> String {
        self.0.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_time_is_rfc3339_utc_to_the_second() {
        let now = SystemClock.now_rfc3339();
        assert!(humantime::parse_rfc3339(&now).is_ok(), "{now}");
        assert_eq!(now.len(), "2026-03-01T12:00:00Z".len(), "{now}");
        assert!(now.ends_with('Z'), "{now}");
    }
}
