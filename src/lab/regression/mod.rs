//! The regression lab: linear (or polynomial) regression by batch GD / mini-batch SGD against the
//! exact least-squares answer.

mod catalog;
mod config;
mod form;
mod run;
mod worked;

pub use catalog::*;
pub use config::*;
pub use form::*;
pub use run::*;
pub use worked::*;

#[cfg(test)]
mod tests;
