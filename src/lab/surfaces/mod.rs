//! The surfaces lab: solvers raced on a 2-D surface (built-in or a typed formula).

mod catalog;
mod config;
mod form;
mod run;

pub use catalog::*;
pub use config::*;
pub use form::*;

#[cfg(test)]
mod tests;
