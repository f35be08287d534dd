//! The one-screen terminal summary of a run.

use crate::build::Checked;
use std::fmt::Write;

/// Renders the summary; with `verbose`, the time of each phase too.
pub fn render(done: &Checked, verbose: bool) -> String {
    let s = &done.summary;
    let src = &done.import.source;
    let mut out = String::new();
    let _ = writeln!(out, "vitrine: {}", src.file.display());
    if let Some(sheet) = &src.sheet {
        let _ = writeln!(out, "  sheet {sheet:?}, header on row {}", src.header_row);
    }
    for w in &done.import.warnings {
        let _ = writeln!(out, "  warning: {w}");
    }
    let _ = writeln!(out, "  rows read            {:>7}", s.rows_read);
    let _ = writeln!(out, "  published            {:>7}", s.published);
    let _ = writeln!(out, "  non réglementaires   {:>7}", s.non_reglementaire);
    for (code, n) in by_count(&s.reasons) {
        let _ = writeln!(out, "    {code:<32}{n:>5}");
    }
    let _ = writeln!(out, "  closed (yellow)      {:>7}", s.closed);
    if s.markings_read {
        let _ = writeln!(out, "  new (blue)           {:>7}", s.new);
        let _ = writeln!(out, "  changed (red)        {:>7}", s.changed);
    } else {
        let _ = writeln!(
            out,
            "  markings             none (colours not read from this format: see the warning)"
        );
    }
    if !s.warnings.is_empty() {
        let _ = writeln!(out, "  warnings (published anyway)");
        for (code, n) in by_count(&s.warnings) {
            let _ = writeln!(out, "    {code:<32}{n:>5}");
        }
    }
    if !s.normalised.is_empty() {
        let _ = writeln!(out, "  values normalised (published in their usual form)");
        for (kind, n) in by_count(&s.normalised) {
            let _ = writeln!(out, "    {kind:<32}{n:>5}");
        }
    }
    if !s.declared_only.is_empty() {
        let _ = writeln!(
            out,
            "  checked on declared values only (no reference table): {}",
            s.declared_only.join(", ")
        );
    }
    if !s.not_checked.is_empty() {
        let _ = writeln!(
            out,
            "  not checked (needs a reference table): {}",
            s.not_checked.join(", ")
        );
    }
    // Phases marked ∥ run side by side: the run's time is its wall time, not their sum.
    let total = match done.elapsed.is_zero() {
        true => done.timings.iter().map(|t| t.1).sum(),
        false => done.elapsed,
    };
    if verbose {
        for (name, d) in &done.timings {
            let _ = writeln!(out, "  {name:<20} {:>8.1} ms", d.as_secs_f64() * 1e3);
        }
    }
    let _ = writeln!(out, "  time                 {:>7.2} s", total.as_secs_f64());
    out
}

fn by_count(map: &std::collections::BTreeMap<String, usize>) -> Vec<(&str, usize)> {
    let mut v: Vec<_> = map.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v
}
