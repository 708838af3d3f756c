//! "Listen to the run" (issue 16, sonification): a run's f along its iterations as pitch — a
//! falling line for a run that goes downhill — and a short chime when it converged, a low tone
//! when it diverged. Rust writes the notes; the page only plays them (Web Audio, off by default,
//! started by a button, never by itself).
//!
//! Pitch: log(f − f_low + scale) mapped linearly onto two octaves, A3 (220 Hz) to A5 (880 Hz), where
//! f_low is the lowest f of the run and `scale` a small fraction of its range, so the last steps
//! of a converging run still move audibly instead of all landing on the bottom note. At most
//! [`MAX_NOTES`] notes, spread evenly over the iterations (the last one always included).

use crate::trace::{StopReason, Trace};
use serde::Serialize;

/// Most notes of one melody.
pub const MAX_NOTES: usize = 48;
/// Lowest and highest pitch (Hz).
pub const PITCH: (f64, f64) = (220.0, 880.0);

/// One tone: start and length in seconds, frequency in Hz, loudness in [0, 1].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Note {
    pub start: f64,
    pub duration: f64,
    pub freq: f64,
    pub gain: f64,
}

/// A run as sound: its notes in time order, the iteration each of the f-notes stands for, and
/// what the ending tone says.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Melody {
    pub notes: Vec<Note>,
    /// Iteration of each f-note (the page can move the playback cursor along).
    pub iterations: Vec<usize>,
    /// `"converged"`, `"diverged"` or `"stopped"`: what the last tone means.
    pub ending: &'static str,
    /// Whole length in seconds.
    pub seconds: f64,
}

/// The melody of `trace`, lasting about `seconds` (0.5 to 20).
pub fn melody(trace: &Trace, seconds: f64) -> Melody {
    let seconds = if seconds.is_finite() {
        seconds.clamp(0.5, 20.0)
    } else {
        3.0
    };
    // The iterations with a finite f, evenly spaced, the last one included.
    let finite: Vec<usize> = (0..trace.iterates.len())
        .filter(|&i| trace.iterates[i].f.is_finite())
        .collect();
    let picked: Vec<usize> = if finite.len() <= MAX_NOTES {
        finite
    } else {
        let last = finite.len() - 1;
        let mut v: Vec<usize> = (0..MAX_NOTES)
            .map(|j| finite[j * last / (MAX_NOTES - 1)])
            .collect();
        v.dedup();
        v
    };
    let fs: Vec<f64> = picked.iter().map(|&i| trace.iterates[i].f).collect();
    let (lo, hi) = fs
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &f| {
            (a.min(f), b.max(f))
        });
    let range = hi - lo;
    let scale = if range > 0.0 { range * 1e-6 } else { 1.0 };
    let level = |f: f64| (f - lo + scale).ln();
    let (l0, l1) = (level(lo), level(hi));
    let pitch = |f: f64| {
        let t = if l1 > l0 {
            (level(f) - l0) / (l1 - l0)
        } else {
            0.5
        };
        // Equal steps in t are equal musical intervals.
        PITCH.0 * (PITCH.1 / PITCH.0).powf(t.clamp(0.0, 1.0))
    };
    let ending_len = 0.45;
    let body = (seconds - ending_len).max(0.3);
    let step = body / fs.len().max(1) as f64;
    let mut notes: Vec<Note> = fs
        .iter()
        .enumerate()
        .map(|(j, &f)| Note {
            start: j as f64 * step,
            duration: step * 0.9,
            freq: pitch(f),
            gain: 0.25,
        })
        .collect();
    let end = fs.len() as f64 * step;
    let ending = match trace.stop {
        StopReason::Diverged => "diverged",
        _ if trace.stop.is_converged() => "converged",
        _ => "stopped",
    };
    match ending {
        // Two rising tones an octave-and-a-fifth apart: done.
        "converged" => {
            notes.push(Note {
                start: end,
                duration: 0.18,
                freq: 880.0,
                gain: 0.3,
            });
            notes.push(Note {
                start: end + 0.2,
                duration: 0.25,
                freq: 1320.0,
                gain: 0.3,
            });
        }
        // A low tone below the whole range: it blew up.
        "diverged" => notes.push(Note {
            start: end,
            duration: 0.45,
            freq: 110.0,
            gain: 0.35,
        }),
        // Out of iterations or stalled: one neutral tone.
        _ => notes.push(Note {
            start: end,
            duration: 0.3,
            freq: 330.0,
            gain: 0.2,
        }),
    }
    let seconds = notes.last().map_or(0.0, |n| n.start + n.duration);
    Melody {
        notes,
        iterations: picked,
        ending,
        seconds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trace::Iterate;

    fn trace(fs: &[f64], stop: StopReason) -> Trace {
        Trace {
            solver: "t".into(),
            iterates: fs
                .iter()
                .enumerate()
                .map(|(k, &f)| Iterate {
                    k,
                    x: vec![0.0],
                    f,
                    grad_norm: 0.0,
                    step: 0.0,
                    extra: vec![],
                    simplex: None,
                })
                .collect(),
            stop,
            f_evals: 0,
            g_evals: 0,
            h_evals: 0,
        }
    }

    #[test]
    fn a_converging_run_falls_and_chimes_a_diverging_one_ends_low() {
        // f = 10·0.5^k: pitch falls at every step, from the top to the bottom of the range.
        let fs: Vec<f64> = (0..20).map(|k| 10.0 * 0.5f64.powi(k)).collect();
        let m = melody(&trace(&fs, StopReason::GradientTolerance), 3.0);
        let f_notes = &m.notes[..fs.len()];
        assert!(
            f_notes.windows(2).all(|w| w[1].freq < w[0].freq),
            "{f_notes:?}"
        );
        assert!((f_notes[0].freq - 880.0).abs() < 1e-9 && (f_notes[19].freq - 220.0).abs() < 1e-9);
        assert_eq!(m.ending, "converged");
        assert_eq!(m.notes.len(), fs.len() + 2);
        assert!(m.notes[fs.len()..].iter().all(|n| n.freq > 880.0 - 1e-9));
        assert!((m.seconds - 3.0).abs() < 0.05, "{}", m.seconds);
        assert_eq!(m.iterations, (0..20).collect::<Vec<_>>());
        // Diverged: the ending tone is below the whole range; non-finite f are skipped.
        let m = melody(
            &trace(&[1.0, 4.0, 1e9, f64::INFINITY], StopReason::Diverged),
            2.0,
        );
        assert_eq!(m.ending, "diverged");
        assert_eq!(m.iterations, vec![0, 1, 2]);
        assert!(m.notes[0].freq < m.notes[1].freq && m.notes[1].freq < m.notes[2].freq);
        assert_eq!(m.notes.last().unwrap().freq, 110.0);
        // A long run is thinned to MAX_NOTES notes, the last iteration kept; a flat one sits mid-range.
        let long: Vec<f64> = (0..10_000).map(|k| 1.0 / (1.0 + k as f64)).collect();
        let m = melody(&trace(&long, StopReason::MaxIterations), 3.0);
        assert_eq!(m.iterations.len(), MAX_NOTES);
        assert_eq!(*m.iterations.last().unwrap(), 9_999);
        assert_eq!(m.ending, "stopped");
        let m = melody(&trace(&[2.0, 2.0], StopReason::MaxIterations), 3.0);
        assert!((m.notes[0].freq - 440.0).abs() < 1e-9);
    }
}
