//! `non-conformes.csv`: what French Excel opens cleanly — UTF-8 with a BOM, `;`
//! separator, CRLF line ends — and where no cell can run as a formula.

use crate::controls::explain;
use crate::model::{Offer, Status, Verdict};
use crate::safe::{excel_csv, excel_csv_bytes, neutralise};

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
    let mut w = excel_csv();
    {
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
    }
    excel_csv_bytes(w)
}
