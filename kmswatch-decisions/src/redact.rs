//! Keeping secrets out of what kmswatch prints and writes.
//!
//! Subscription endpoints often carry secrets (an HTTPS webhook's token in its
//! path or query, a person's address), so reports, plans and snapshots show
//! them redacted unless asked (`--show-endpoints`); and any URL in a message
//! loses its `user:password@` part.

use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// What stands in for the redacted part.
pub const ELLIPSIS: &str = "…";

static URL_USERINFO: LazyLock<Regex> = LazyLock::new(|| {
    // scheme://userinfo@ — the userinfo ends at the first @ before any / ? #.
    Regex::new(r"(?i)\b([a-z][a-z0-9+.\-]*://)[^/?#\s@]*@").expect("valid regex")
});

static URL_HOST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^([a-z][a-z0-9+.\-]*)://(?:[^/?#@]*@)?([^/?#]*)").expect("valid regex")
});

/// `text` with the `user:password@` part of every URL in it removed.
///
/// ```
/// use kmswatch_decisions::redact::strip_userinfo;
/// assert_eq!(
///     strip_userinfo("request to http://admin:hunter2@10.0.0.1:4566/ not sent"),
///     "request to http://10.0.0.1:4566/ not sent"
/// );
/// assert_eq!(strip_userinfo("no url here"), "no url here");
/// ```
pub fn strip_userinfo(text: &str) -> Cow<'_, str> {
    URL_USERINFO.replace_all(text, "$1")
}

/// A subscription endpoint as reports show it by default: an HTTP(S) URL keeps
/// its scheme and host (`https://hooks.example.com/…`), an e-mail address its
/// first character and domain (`s…@example.com`), a phone number its last two
/// digits; ARNs (SQS, Lambda, Firehose, applications) are not secret and stay.
///
/// ```
/// use kmswatch_decisions::redact::endpoint;
/// assert_eq!(endpoint("https", "https://user:pw@hooks.example.com/T0/B1?token=x"), "https://hooks.example.com/…");
/// assert_eq!(endpoint("email", "secops@example.com"), "s…@example.com");
/// assert_eq!(endpoint("sms", "+15555550123"), "…23");
/// assert_eq!(endpoint("sqs", "arn:aws:sqs:us-east-1:111122223333:q"), "arn:aws:sqs:us-east-1:111122223333:q");
/// ```
pub fn endpoint(protocol: &str, endpoint: &str) -> String {
    if endpoint.starts_with("arn:") {
        return endpoint.to_owned();
    }
    match protocol {
        "email" | "email-json" => match endpoint.rsplit_once('@') {
            Some((local, domain)) => {
                let first: String = local.chars().take(1).collect();
                format!("{first}{ELLIPSIS}@{domain}")
            }
            None => ELLIPSIS.to_owned(),
        },
        "http" | "https" => match URL_HOST.captures(endpoint) {
            Some(c) => format!("{}://{}/{ELLIPSIS}", &c[1], &c[2]),
            None => ELLIPSIS.to_owned(),
        },
        _ => {
            let tail: String = endpoint
                .chars()
                .rev()
                .take(2)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if endpoint.chars().count() > 4 {
                format!("{ELLIPSIS}{tail}")
            } else {
                ELLIPSIS.to_owned()
            }
        }
    }
}

/// `text` with every occurrence of each `(endpoint, redacted)` pair's endpoint
/// replaced by its redacted form (for sentences that quote an endpoint).
pub fn replace_all(text: &str, pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .filter(|(raw, _)| !raw.is_empty())
        .fold(text.to_owned(), |acc, (raw, redacted)| {
            acc.replace(raw.as_str(), redacted)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_goes_wherever_the_url_is() {
        assert_eq!(
            strip_userinfo("a https://u@h/x and HTTP://u:p@h2:1 b"),
            "a https://h/x and HTTP://h2:1 b"
        );
        // An @ in the path is not userinfo.
        assert_eq!(strip_userinfo("https://h/a@b"), "https://h/a@b");
        assert_eq!(strip_userinfo("mailto a@b.c"), "mailto a@b.c");
    }

    #[test]
    fn endpoints_keep_only_what_identifies_them() {
        assert_eq!(endpoint("http", "http://h:8080"), "http://h:8080/…");
        assert_eq!(endpoint("email", "not-an-address"), "…");
        assert_eq!(endpoint("sms", "123"), "…");
        assert_eq!(endpoint("https", "garbage"), "…");
        let pairs = vec![("secops@example.com".to_owned(), "s…@example.com".to_owned())];
        assert_eq!(
            replace_all("subscribe email:secops@example.com to t", &pairs),
            "subscribe email:s…@example.com to t"
        );
    }
}
