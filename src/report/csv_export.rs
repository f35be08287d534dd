//! `non-conformes.csv`: what French Excel opens cleanly — UTF-8 with a BOM, `;`
//! separator, CRLF line ends — and where no cell can run as a formula.

use crate::controls::explain;
use crate::model::{Offer, Status, Verdict};

/// A cell that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, or a TAB/CR
/// that some import paths strip before one) gets a leading `'`, shown as text.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

const HEADER: [&str; 13] = [
    "Ligne",
    "N° action",
    "Intitulé de la formation",
    "Organisme responsable",
    "SIRET organisme responsable",
    "Statut",
    "Code",
    "Bloquant",
    "Motif",
    "Champ",
    "Valeur trouvée",
    "Détail",
    "À faire",
];

/// One line per offer and reason (blocking and warnings), in row order.
pub fn non_conformes_csv(offers: &[Offer], verdicts: &[Verdict]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record(HEADER).expect("writing to memory");
        for (o, v) in offers.iter().zip(verdicts) {
            let status = match v.status {
                Status::Published => "publiée",
                Status::NonReglementaire => "non réglementaire",
                Status::Closed => "fermée",
            };
            let row = v.row.to_string();
            // One line per offer and reason: the problems of one reason (both SIRETs
            // wrong, say) share it, their fields and values joined. `problems` is
            // sorted by reason.
            for group in v.problems.chunk_by(|a, b| a.reason == b.reason) {
                let reason = group[0].reason;
                let join = |f: fn(&crate::model::Problem) -> Option<&str>| {
                    group.iter().filter_map(f).collect::<Vec<_>>().join(" | ")
                };
                let cells = [
                    row.as_str(),
                    &v.id,
                    &o.title,
                    &o.responsible.name,
                    o.responsible.siret.as_deref().unwrap_or(""),
                    status,
                    reason.code(),
                    if reason.is_blocking() { "oui" } else { "non" },
                    explain::label(reason),
                    &join(|p| p.column.as_deref()),
                    &join(|p| p.value.as_deref()),
                    &join(|p| p.detail.as_deref()),
                    explain::advice(reason),
                ];
                w.write_record(cells.iter().map(|c| neutralise(c).into_owned()))
                    .expect("writing to memory");
            }
        }
        w.flush().expect("writing to memory");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_other_text_kept() {
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("+33 4 91"), "'+33 4 91");
        assert_eq!(neutralise("-1"), "'-1");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\t=1"), "'\t=1");
        assert_eq!(neutralise("\r=1"), "'\r=1");
        assert_eq!(neutralise("CAP Coiffure"), "CAP Coiffure");
        assert_eq!(neutralise(""), "");
    }
}
