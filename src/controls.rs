//! Controls: offers → one verdict per offer. Owner: controls work (issue 3).

use crate::model::{Offer, Problem, Reason, Verdict};
use std::collections::HashMap;

/// Runs every control and returns one verdict per offer, in the same order.
pub fn run(offers: &[Offer]) -> Vec<Verdict> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for o in offers {
        *seen.entry(o.id.as_str()).or_default() += 1;
    }
    offers
        .iter()
        .map(|o| {
            let mut problems = Vec::new();
            if !o.marks.closed && seen[o.id.as_str()] > 1 {
                problems.push(Problem::new(Reason::DuplicateId, "N° action", Some(&o.id)));
            }
            Verdict::from_problems(o, problems)
        })
        .collect()
}
