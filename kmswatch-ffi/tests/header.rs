//! `include/kmswatch.h` is what cbindgen generates from the sources: a change
//! to the ABI must come with its header. `KMSWATCH_UPDATE_HEADER=1 cargo test
//! -p kmswatch-ffi --test header` rewrites it.

use std::path::Path;

#[test]
fn checked_in_header_is_the_generated_one() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(crate_dir.join("cbindgen.toml"))
        .expect("cbindgen.toml is valid");
    let bindings = cbindgen::Builder::new()
        .with_crate(crate_dir)
        .with_config(config)
        .generate()
        .expect("cbindgen parses the crate");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).expect("the header is UTF-8");

    let path = crate_dir.join("include/kmswatch.h");
    if std::env::var_os("KMSWATCH_UPDATE_HEADER").is_some() {
        std::fs::write(&path, &generated).expect("include/kmswatch.h is writable");
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "include/kmswatch.h differs from what cbindgen generates; run \
         KMSWATCH_UPDATE_HEADER=1 cargo test -p kmswatch-ffi --test header and commit it.\n\
         --- generated ---\n{generated}"
    );
}
