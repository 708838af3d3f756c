//! The three labs — what the page runs, not how it is shown — and what they share.
//!
//! Each lab is a directory of the same four parts, re-exported flat (`lab::surfaces::Experiment`,
//! `lab::fit::FitForm`, …): `config.rs` (the serde experiment), `run.rs` (config → result, a pure
//! function), `form.rs` (the page's text → config, with a message per bad field) and `catalog.rs`
//! (what the page offers: surfaces, solvers, models with help, defaults and ranges).
//!
//! Shared by the labs: [`form`] (field messages, number parsing), [`presets`] (the guided
//! experiments), [`explain`] (one iteration's update rule in numbers), [`basin`] (basins of
//! attraction) and [`link`] (permalinks).

pub mod basin;
pub mod describe;
pub mod explain;
pub mod fit;
pub mod form;
pub mod link;
pub mod presets;
pub mod regression;
pub mod sound;
pub mod surfaces;
pub mod teach;
