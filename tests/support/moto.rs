//! The moto server the integration tests talk to.
//!
//! [`endpoint`] returns `KMSWATCH_MOTO_ENDPOINT` when it is set (`.ci/run` may start
//! one server for every test binary); otherwise the first call starts one
//! `tests/moto/server.py` for this test process, shared by all its tests. That script
//! is moto server behind a bridge that also speaks Smithy RPCv2-CBOR, the only
//! protocol the current `aws-sdk-cloudwatch` uses; SNS, CloudTrail, CloudWatch Logs
//! and STS reach moto unchanged. The server exits by itself when this process ends.
//!
//! Tests run in parallel against the one server, so they isolate their state by
//! account instead of resetting it: [`unique_account_id`] gives each test its own
//! account and [`sdk_config_in_account`] signs with that account id as access key
//! id, which the bridge maps to that moto account.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{mpsc, OnceLock};
use std::time::Duration;

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::config::{Credentials, SharedCredentialsProvider};

/// The environment variable naming an already running moto server to use.
pub const ENDPOINT_VAR: &str = "KMSWATCH_MOTO_ENDPOINT";

/// The account moto serves requests signed with the `testing` access key in.
pub const DEFAULT_ACCOUNT_ID: &str = "123456789012";

/// How long the server may take to print its `READY` line.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);

const INSTALL_HINT: &str = "the moto tests need python3 with the packages of \
    tests/moto/requirements.txt (pip install -r tests/moto/requirements.txt), \
    or KMSWATCH_MOTO_ENDPOINT pointing at a running tests/moto/server.py";

/// The endpoint URL of the moto server for this test run, starting one if needed.
///
/// # Panics
///
/// If no server is configured and `tests/moto/server.py` cannot be started (python3,
/// moto or cbor2 missing) or does not report ready within a minute.
pub fn endpoint() -> String {
    if let Ok(url) = std::env::var(ENDPOINT_VAR) {
        return url;
    }
    static STARTED: OnceLock<String> = OnceLock::new();
    STARTED.get_or_init(start_server).clone()
}

/// Starts `tests/moto/server.py` on a free loopback port and returns its URL.
fn start_server() -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/moto/server.py");
    let mut child = Command::new("python3")
        .arg(&script)
        .args(["--host", "127.0.0.1", "--port", "0", "--exit-with-parent"])
        .arg(std::process::id().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run python3 {}: {e}; {INSTALL_HINT}",
                script.display()
            )
        });
    let stdout = child.stdout.take().expect("stdout is piped");
    let (ready_tx, ready_rx) = mpsc::channel();
    // Read the READY line, then keep draining stdout so that the server never
    // blocks on (or dies of) a full or closed pipe.
    std::thread::spawn(move || {
        let mut lines = BufReader::new(stdout);
        let mut first = String::new();
        let _ = lines.read_line(&mut first);
        let _ = ready_tx.send(first);
        let _ = std::io::copy(&mut lines, &mut std::io::sink());
    });
    let line = ready_rx.recv_timeout(STARTUP_TIMEOUT).unwrap_or_default();
    match line.trim().strip_prefix("READY ") {
        Some(url) => url.to_owned(),
        None => {
            let _ = child.kill();
            let status = child.wait();
            panic!(
                "{} did not report READY (printed {line:?}, exit {status:?}); {INSTALL_HINT}",
                script.display()
            )
        }
    }
}

/// An account id no other test of this run uses, for isolating moto state.
pub fn unique_account_id() -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("9{:06}{:05}", std::process::id() % 1_000_000, n % 100_000)
}

/// SDK configuration for moto at `endpoint` in `region`, in moto's default account
/// ([`DEFAULT_ACCOUNT_ID`]), with the dummy credentials `testing` / `testing`.
pub async fn sdk_config(endpoint: &str, region: &str) -> SdkConfig {
    config_with_access_key(endpoint, region, "testing")
}

/// SDK configuration for moto at `endpoint` in `region`, in moto account
/// `account_id` (12 digits): the access key id is the account id, which the bridge
/// turns into moto's `x-moto-account-id`.
pub async fn sdk_config_in_account(endpoint: &str, region: &str, account_id: &str) -> SdkConfig {
    assert!(
        account_id.len() == 12 && account_id.bytes().all(|b| b.is_ascii_digit()),
        "moto account ids are 12 digits, not {account_id:?}"
    );
    config_with_access_key(endpoint, region, account_id)
}

fn config_with_access_key(endpoint: &str, region: &str, access_key_id: &str) -> SdkConfig {
    let credentials = Credentials::new(access_key_id, "testing", None, None, "moto");
    SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .endpoint_url(endpoint)
        .credentials_provider(SharedCredentialsProvider::new(credentials))
        .build()
}

/// Creates S3 bucket `bucket` in `account_id` / `region` on moto (a CloudTrail trail
/// needs an existing bucket; the tests have no S3 SDK, so this is one plain HTTP PUT).
///
/// # Panics
///
/// If moto cannot be reached or does not answer 200.
pub fn create_bucket(endpoint: &str, region: &str, account_id: &str, bucket: &str) {
    let authority = endpoint
        .strip_prefix("http://")
        .unwrap_or_else(|| panic!("moto endpoint {endpoint} is not plain http"))
        .trim_end_matches('/');
    let body = if region == "us-east-1" {
        String::new()
    } else {
        format!(
            "<CreateBucketConfiguration><LocationConstraint>{region}</LocationConstraint></CreateBucketConfiguration>"
        )
    };
    let request = format!(
        "PUT /{bucket} HTTP/1.1\r\nHost: {authority}\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential={account_id}/20260101/{region}/s3/aws4_request, SignedHeaders=host, Signature=0\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = TcpStream::connect(authority)
        .unwrap_or_else(|e| panic!("connect to moto at {authority}: {e}"));
    stream
        .write_all(request.as_bytes())
        .expect("send CreateBucket");
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .expect("read CreateBucket answer");
    let status_line = response.lines().next().unwrap_or_default();
    assert!(
        status_line.contains(" 200 "),
        "CreateBucket {bucket}: {response}"
    );
}
