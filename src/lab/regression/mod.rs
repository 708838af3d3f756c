//! The regression lab: linear (or polynomial) regression by batch GD / mini-batch SGD against the
//! exact least-squares answer.

mod catalog;
mod config;
mod form;
mod lesson;
mod run;

pub use catalog::*;
pub use config::*;
pub use form::*;
pub use lesson::*;
pub use run::*;

#[cfg(test)]
mod tests;
