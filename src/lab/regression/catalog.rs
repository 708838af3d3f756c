//! What the regression lab accepts on the page: the limits that keep a run responsive.

/// Largest generated n the page (and a link) accepts: the library allows 10⁷, the page stays
/// responsive.
pub const PAGE_MAX_N: usize = 200_000;
/// Largest epochs × n (sample visits) one page run may do, summed over the solvers.
pub const PAGE_MAX_VISITS: f64 = 2e7;
/// Largest epochs on the page.
pub const PAGE_MAX_EPOCHS: usize = 10_000;
