//! Filter-pattern throughput on generated CloudTrail lines:
//! (a) the CIS pattern with the literal prefilter, (b) without it, (c) parsing
//! each line with `serde_json::from_str::<Value>` alone — on a realistic mix
//! (KMS `Decrypt`/`GenerateDataKey` are common, key disabling is rare) and on
//! data with no KMS events at all.
//!
//! `cargo bench -p kmswatch-benches --bench pattern`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kmswatch_decisions::pattern::FilterPattern;
use std::hint::black_box;

const CIS: &str = "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }";

/// xorshift64*: deterministic and dependency-free.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn hex(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b"0123456789abcdef"[self.below(16) as usize]))
            .collect()
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// One CloudTrail record line shaped like the real thing (~1.1 KB).
fn record(rng: &mut Rng, source: &str, name: &str) -> String {
    let account = rng.pick(&["111122223333", "444455556666"]);
    let region = rng.pick(&["us-east-1", "us-west-2", "eu-west-1"]);
    let user = if rng.below(100) == 0 {
        "Zo\\u00eb"
    } else {
        rng.pick(&["alice", "bob", "deploy-bot", "ci-runner"])
    };
    let key = format!(
        "arn:aws:kms:{region}:{account}:key/{}-{}-4{}-a{}-{}",
        rng.hex(8),
        rng.hex(4),
        rng.hex(3),
        rng.hex(3),
        rng.hex(12)
    );
    let params = if source == "kms.amazonaws.com" {
        format!(
            r#"{{"keyId":"{key}","encryptionAlgorithm":"SYMMETRIC_DEFAULT","encryptionContext":{{"aws:s3:arn":"arn:aws:s3:::bucket-{}/obj"}}}}"#,
            rng.hex(6)
        )
    } else {
        format!(
            r#"{{"roleArn":"arn:aws:iam::{account}:role/service-role-{}","roleSessionName":"session-{}","durationSeconds":3600}}"#,
            rng.hex(4),
            rng.hex(10)
        )
    };
    format!(
        concat!(
            r#"{{"eventVersion":"1.09","userIdentity":{{"type":"AssumedRole","principalId":"AROA{}:{user}","arn":"arn:aws:sts::{account}:assumed-role/app-role/{user}","#,
            r#""accountId":"{account}","accessKeyId":"ASIA{}","sessionContext":{{"sessionIssuer":{{"type":"Role","principalId":"AROA{}","arn":"arn:aws:iam::{account}:role/app-role","accountId":"{account}","userName":"app-role"}},"#,
            r#""attributes":{{"creationDate":"2026-03-04T10:00:00Z","mfaAuthenticated":"false"}}}}}},"eventTime":"2026-03-04T10:{:02}:{:02}Z","eventSource":"{source}","eventName":"{name}","awsRegion":"{region}","#,
            r#""sourceIPAddress":"192.0.2.{}","userAgent":"aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64","requestParameters":{params},"responseElements":null,"requestID":"{}","eventID":"{}","#,
            r#""readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"{account}","eventCategory":"Management","tlsDetails":{{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"{region}.amazonaws.com"}}}}"#
        ),
        rng.hex(16).to_uppercase(),
        rng.hex(16).to_uppercase(),
        rng.hex(16).to_uppercase(),
        rng.below(60),
        rng.below(60),
        rng.below(256),
        rng.hex(32),
        rng.hex(32),
        user = user,
        account = account,
        source = source,
        name = name,
        region = region,
        params = params,
    )
}

/// `n` lines; `kms` says whether KMS events (Decrypt..., and rarely DisableKey) occur.
fn lines(n: usize, kms: bool) -> Vec<String> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mix: &[(&str, &str)] = &[
        ("sts.amazonaws.com", "AssumeRole"),
        ("ec2.amazonaws.com", "DescribeInstances"),
        ("s3.amazonaws.com", "GetBucketAcl"),
        ("ssm.amazonaws.com", "GetParameter"),
        ("kms.amazonaws.com", "Decrypt"),
        ("kms.amazonaws.com", "GenerateDataKey"),
    ];
    (0..n)
        .map(|i| {
            let (source, name) = if kms && i % 5000 == 4999 {
                ("kms.amazonaws.com", "DisableKey")
            } else {
                let choices = if kms { mix.len() } else { mix.len() - 2 };
                mix[rng.below(choices as u64) as usize]
            };
            record(&mut rng, source, name)
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let pattern = FilterPattern::parse(CIS).unwrap_or_else(|e| panic!("{e}"));
    for (label, data) in [
        ("mixed", lines(10_000, true)),
        ("no_kms", lines(10_000, false)),
    ] {
        let bytes: u64 = data.iter().map(|l| l.len() as u64 + 1).sum();
        let expected = data
            .iter()
            .filter(|l| pattern.matches_without_prefilter(l))
            .count();
        assert_eq!(data.iter().filter(|l| pattern.matches(l)).count(), expected);
        let mut group = c.benchmark_group(format!("cis_{label}"));
        group.throughput(Throughput::Bytes(bytes));
        group.sample_size(20);
        group.measurement_time(std::time::Duration::from_secs(4));
        group.bench_function("a_with_prefilter", |b| {
            b.iter(|| {
                data.iter()
                    .filter(|l| pattern.matches(black_box(l)))
                    .count()
            })
        });
        group.bench_function("b_without_prefilter", |b| {
            b.iter(|| {
                data.iter()
                    .filter(|l| pattern.matches_without_prefilter(black_box(l)))
                    .count()
            })
        });
        group.bench_function("c_serde_json_value_parse", |b| {
            b.iter(|| {
                data.iter()
                    .filter(|l| serde_json::from_str::<serde_json::Value>(black_box(l)).is_ok())
                    .count()
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
