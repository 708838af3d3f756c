//! Teaching: what the page says about a run beyond its numbers.
//!
//! [`coach`] gives every run a verdict in plain words (converged where, ran out of budget at what
//! rate, diverged why and what to change); [`lens`] is the local quadratic model at an iterate
//! (eigen-directions, κ, 2/λmax, the Newton step).

pub mod challenge;
pub mod coach;
pub mod course;
pub mod lens;
pub mod run;
