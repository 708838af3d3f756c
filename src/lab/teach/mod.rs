//! Teaching: what the page says about a run beyond its numbers.
//!
//! [`coach`] gives every run a verdict in plain words (converged where, ran out of budget at what
//! rate, diverged why and what to change); [`lens`] is the local quadratic model at an iterate
//! (eigen-directions, κ, 2/λmax, the Newton step).

pub mod challenge;
pub mod coach;
pub mod course;

/// The text of NIST StRD nonlinear problem `name` (`$NIST_STRD_DIR`, default
/// `../shared/nist-strd`), for the tests that run the course's NIST lessons and challenges.
#[cfg(test)]
pub(crate) fn nist_text(name: &str) -> Option<String> {
    let dir = std::env::var("NIST_STRD_DIR")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/nist-strd").into());
    std::fs::read_to_string(format!("{dir}/nonlinear/{name}.dat")).ok()
}
pub mod lens;
pub mod run;

#[cfg(test)]
mod i18n_tests {
    use crate::lab::link::LabConfig;
    use crate::lab::teach::{challenge, coach, course, run::OwnedRun};

    use crate::i18n::check::untranslated;

    /// Every sentence the coach, the lessons' outcomes and the challenges' verdicts write for the
    /// course's own setups (and the challenges' solutions) has a Chinese template.
    #[test]
    fn every_teaching_sentence_of_the_course_reads_in_chinese() {
        let misra = super::nist_text("Misra1a");
        let mut missing = Vec::new();
        let mut check = |lines: Vec<String>| {
            for l in lines {
                if let Some(m) = untranslated(&l) {
                    missing.push(m);
                }
            }
        };
        for l in course::lessons() {
            let cfg = LabConfig::from_lab(l.lab, l.config.clone()).unwrap();
            let run = OwnedRun::run(&cfg, misra.as_deref()).unwrap();
            let o = course::outcome(l.id, &run.view()).unwrap();
            check(o.lines);
            for v in coach::any(&run.view()) {
                check(vec![v.headline]);
                check(v.advice);
            }
        }
        for c in challenge::challenges() {
            let cfg = LabConfig::from_lab(c.lab, c.config.clone()).unwrap();
            let run = OwnedRun::run(&cfg, misra.as_deref()).unwrap();
            let v = challenge::check(c.id, &run.view()).unwrap();
            check(vec![v.headline]);
            check(v.lines);
            for v in coach::any(&run.view()) {
                check(vec![v.headline]);
                check(v.advice);
            }
        }
        assert!(
            missing.is_empty(),
            "{} sentences without a Chinese template:\n{}",
            missing.len(),
            missing.join("\n")
        );
    }
}
