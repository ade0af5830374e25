//! `include/kongtun.h` is what cbindgen makes of `src/lib.rs` now: a changed function, a new
//! one or a changed comment fails this test until the header is regenerated
//! (`UPDATE_SNAPSHOTS=1 cargo test -p kongtun-ffi --test header`) and reviewed.

use std::path::Path;

#[test]
fn the_committed_header_is_fresh() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config =
        cbindgen::Config::from_file(dir.join("cbindgen.toml")).unwrap_or_else(|e| panic!("cbindgen.toml: {e}"));
    let bindings = cbindgen::Builder::new()
        .with_src(dir.join("src/lib.rs"))
        .with_config(config)
        .generate()
        .unwrap_or_else(|e| panic!("cbindgen: {e}"));
    let mut header = Vec::new();
    bindings.write(&mut header);
    let header = String::from_utf8(header).unwrap_or_else(|e| panic!("{e}"));
    for name in ["kongtun_engine_load", "kongtun_evaluate_batch", "kongtun_free", "KONGTUN_REJECTED", "KongtunEngine"] {
        assert!(header.contains(name), "{name} is missing from the generated header");
    }
    kongtun_testkit::snapshot::assert_matches(&dir.join("../../include/kongtun.h"), &header);
}
