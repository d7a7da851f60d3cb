//! The C ABI links the decisions alone: no async runtime, no AWS SDK, no
//! HTTP stack. Embedders bring their facts as documents; a dependency that
//! pulls a runtime or the SDK into `libkmswatch` would make every C and Go
//! program that links it carry (and build) what it never calls.

use std::process::Command;

/// Crate names, or name prefixes (ending in `-`), that must not be in the tree.
const FORBIDDEN: &[&str] = &[
    "tokio",
    "mio",
    "futures",
    "async-",
    "hyper",
    "h2",
    "http",
    "rustls",
    "aws-",
    "kmswatch-core",
];

/// The packages `cargo tree` lists for `package` (normal and build
/// dependencies: what ends up in, or builds, the library).
fn tree(package: &str) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["tree", "--offline", "--locked", "-e", "normal,build"])
        .args(["--prefix", "none", "--format", "{p}", "-p", package])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo tree -p {package} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("cargo tree prints UTF-8")
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

fn forbidden(name: &str) -> bool {
    FORBIDDEN.iter().any(|f| match f.strip_suffix('-') {
        Some(prefix) => name.starts_with(&format!("{prefix}-")),
        None => name == *f,
    })
}

#[test]
fn the_c_abi_and_the_decisions_depend_on_no_runtime_sdk_or_http() {
    for package in ["kmswatch-ffi", "kmswatch-decisions"] {
        let names = tree(package);
        assert!(
            names.iter().any(|n| n == package),
            "{package} is listed: {names:?}"
        );
        let bad: Vec<&String> = names.iter().filter(|n| forbidden(n)).collect();
        assert!(bad.is_empty(), "{package} depends on {bad:?}");
    }
    assert!(tree("kmswatch-ffi")
        .iter()
        .any(|n| n == "kmswatch-decisions"));
}

#[test]
fn the_check_tells_a_forbidden_crate() {
    // What the test above relies on, against the names it must catch.
    for name in [
        "tokio",
        "aws-sdk-kms",
        "aws-config",
        "hyper",
        "futures",
        "kmswatch-core",
    ] {
        assert!(forbidden(name), "{name}");
    }
    for name in ["serde", "regex", "kmswatch-decisions", "async_trait_not"] {
        assert!(!forbidden(name), "{name}");
    }
}
