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

/// The default fit (v3: trust-region LM and Gauss–Newton) with the hand-written and with the
/// automatic (dual-number) Jacobian, shared with tests/wasm.rs: the same bits natively and in the
/// browser.
pub const FIT_FINGERPRINTS: [[u64; 2]; 2] = [
    [0x6480_3450_40e7_a03d, 0x0b98_4b07_6220_81b6],
    [0x8604_72df_cc5f_f5f0, 0x2f85_d051_ce2d_128a],
];

/// The runs behind [`FIT_FINGERPRINTS`].
pub fn fit_fingerprints() -> [[u64; 2]; 2] {
    use gradlab::diff::GradientSource;
    use gradlab::lab::fit::{run, FitExperiment};
    let mut out = [[0; 2]; 2];
    for (i, source) in [GradientSource::Analytic, GradientSource::Automatic]
        .into_iter()
        .enumerate()
    {
        let mut e = FitExperiment::default();
        e.jacobian.source = source;
        let r = run(&e).unwrap();
        out[i] = [
            r.runs[0].run.trace.fingerprint(),
            r.runs[1].run.trace.fingerprint(),
        ];
    }
    out
}

#[test]
fn default_fit_fingerprints_are_pinned() {
    let got = fit_fingerprints();
    println!("fit fingerprints {got:#x?}");
    assert_eq!(got, FIT_FINGERPRINTS);
}
