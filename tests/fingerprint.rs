//! Pins the default experiment's trace bit for bit. tests/wasm.rs asserts the same fingerprint in
//! the browser, so the native and wasm builds provably compute identical trajectories.

use gradlab::lab::surfaces::Experiment;

/// Fingerprint of `Experiment::default().run()`, shared with tests/wasm.rs.
pub const DEFAULT_FINGERPRINT: u64 = 0xebf5_f1b9_b608_51c3;

#[test]
fn default_run_fingerprint_is_pinned() {
    let traces = Experiment::default().run().unwrap();
    println!("fingerprint {:#x}", traces[0].fingerprint());
    assert_eq!(traces[0].fingerprint(), DEFAULT_FINGERPRINT);
}
