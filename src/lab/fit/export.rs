//! A fit's traces as CSV.

use super::run::FitResult;

/// The traces of a result as CSV, one row per record: `solver,k,<parameters>…,ssr,grad_norm,
/// lambda,step,accepted` — the seed routine's x_log (parameters), y_log (SSR), gradient log
/// (‖Jᵀr‖) and the damping λ (empty for Gauss–Newton). Numbers are written shortest-exact.
pub fn trace_csv(result: &FitResult) -> String {
    let quote = |s: &str| {
        if s.contains([',', '"', '\n']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    };
    // The iteration column is "record"; parameter columns are "p:<name>", so a parameter called
    // k, ssr or lambda cannot clash with a fixed column.
    let mut out = String::from("solver,record");
    for p in &result.param_names {
        out.push(',');
        out.push_str(&quote(&format!("p:{p}")));
    }
    out.push_str(",ssr,grad_norm,lambda,step,accepted\n");
    let opt = |v: Option<f64>| v.map(|x| format!("{x:?}")).unwrap_or_default();
    for r in &result.runs {
        let name = quote(&r.run.trace.solver);
        for it in &r.run.trace.iterates {
            out.push_str(&format!("{name},{}", it.k));
            for v in &it.x {
                out.push_str(&format!(",{v:?}"));
            }
            out.push_str(&format!(
                ",{:?},{:?},{},{:?},{}\n",
                2.0 * it.f,
                it.grad_norm,
                opt(it.extra("lambda")),
                it.step,
                opt(it.extra("accepted")),
            ));
        }
    }
    out
}
