//! The curve-fitting lab: Levenberg–Marquardt and Gauss–Newton on built-in, NIST or typed
//! models; besides the four parts of every lab, `export.rs` (traces as CSV) and `landscape.rs`
//! (the SSR landscape of 2-parameter fits).

mod catalog;
mod config;
mod export;
mod form;
mod landscape;
mod run;

pub use catalog::*;
pub use config::*;
pub use export::*;
pub use form::*;
pub use landscape::*;
pub use run::*;

#[cfg(test)]
mod tests;
