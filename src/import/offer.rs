//! One data row → one [`Offer`]: values normalised, markings read, and every value that
//! cannot be understood kept as a finding.

use super::headers::Col;
use super::markings::Mark;
use super::values::{self, Value};
use super::{Layout, Row};
use crate::model::{
    Coordinates, Diploma, Finding, Markings, Normalised, NormalisedKind, Offer, Phone,
};

/// The cells of one row by canonical column, and the findings gathered while reading.
struct Fields<'a> {
    cells: [Option<&'a Value>; Col::ALL.len()],
    findings: Vec<Finding>,
    normalised: Vec<Normalised>,
}

impl<'a> Fields<'a> {
    fn get(&self, col: Col) -> Option<&'a Value> {
        self.cells[col as usize]
    }

    /// Trimmed text, `None` when empty.
    fn text(&self, col: Col) -> Option<String> {
        self.get(col).map(Value::text).filter(|t| !t.is_empty())
    }

    fn finding(&mut self, col: Col, raw: String, problem: String) {
        self.findings.push(Finding {
            column: col.name().to_string(),
            raw,
            problem,
        });
    }

    /// A typed value; what cannot be understood becomes a finding and `None`.
    fn parse<T>(&mut self, col: Col, f: impl Fn(&Value) -> Result<T, String>) -> Option<T> {
        let v = self.get(col)?;
        match f(v) {
            Ok(t) => Some(t),
            Err(problem) => {
                self.finding(col, v.text(), problem);
                None
            }
        }
    }

    fn email(&mut self, col: Col) -> Option<String> {
        let mail = self.parse(col, values::email)?;
        let raw = self.get(col).map(Value::text_ref).unwrap_or_default();
        // Letter case is not a change anyone would notice.
        let same = match raw.is_ascii() {
            true => {
                raw.len() == mail.len()
                    && raw.bytes().map(|b| b.to_ascii_lowercase()).eq(mail.bytes())
            }
            false => raw.to_lowercase() == mail,
        };
        if !same {
            let raw = raw.into_owned();
            self.normalised(col, NormalisedKind::Email, raw, &mail);
        }
        Some(mail)
    }

    fn postcode(&mut self, col: Col) -> Option<String> {
        let v = self.get(col)?;
        match values::postcode(v) {
            Ok(p) => {
                self.normalised(col, NormalisedKind::Postcode, v.text(), &p);
                Some(p)
            }
            // Kept as typed: the town may still locate the place; the finding says why.
            Err(problem) => {
                let raw = v.text();
                self.finding(col, raw.clone(), problem);
                Some(raw)
            }
        }
    }

    fn website(&mut self, col: Col) -> Option<String> {
        let raw = self.text(col)?;
        match values::website_without_scheme(&raw) {
            Some(url) => {
                self.normalised(col, NormalisedKind::Website, raw, &url);
                Some(url)
            }
            None => Some(raw),
        }
    }

    fn id_like(&mut self, col: Col, width: Option<usize>) -> Option<String> {
        let v = self.get(col)?;
        let (id, padded) = values::identifier(v, width);
        // Leading zeros put back: said in the report, so that the CFA fixes its sheet.
        if padded {
            self.normalised(col, NormalisedKind::Identifier, v.text(), &id);
        }
        (!id.is_empty()).then_some(id)
    }

    /// Notes a value published in another form than typed.
    fn normalised(&mut self, col: Col, kind: NormalisedKind, raw: String, value: &str) {
        if raw != value {
            self.normalised.push(Normalised {
                column: col.name().to_string(),
                kind,
                raw,
                value: value.to_string(),
            });
        }
    }

    fn phone(&mut self, col: Col) -> Option<Phone> {
        let v = self.get(col)?;
        match values::phone(v) {
            Ok(p) => {
                self.normalised(col, NormalisedKind::Phone, v.text(), &p.display);
                Some(p)
            }
            // Kept for display: a person may still dial it; the controls judge it.
            Err((p, problem)) => {
                self.finding(col, v.text(), problem);
                Some(p)
            }
        }
    }
}

/// Builds the offer of one data row.
pub(super) fn offer(row: &Row, layout: &Layout) -> Offer {
    let mut fields = Fields {
        cells: [None; Col::ALL.len()],
        findings: Vec::new(),
        normalised: Vec::new(),
    };
    for c in &row.cells {
        if let Some(col) = layout.col(c.col)
            && !c.value.is_blank()
        {
            fields.cells[col as usize] = Some(&c.value);
        }
    }
    let f = &mut fields;

    let id = match f.text(Col::Id) {
        Some(id) => id,
        None => {
            let id = format!("ligne-{}", row.number);
            f.finding(
                Col::Id,
                String::new(),
                format!("N° action absent : la ligne est gardée sous l'identifiant « {id} »"),
            );
            id
        }
    };
    let diploma_type = f.text(Col::DiplomaType).unwrap_or_default();
    let (rome, bad_rome) = f.get(Col::Rome).map(values::rome).unwrap_or_default();
    if !bad_rome.is_empty() {
        let raw = f.get(Col::Rome).map(Value::text).unwrap_or_default();
        f.finding(
            Col::Rome,
            raw,
            format!(
                "code(s) ROME non reconnu(s) : {} (une lettre et 4 chiffres attendus)",
                bad_rome.join(", ")
            ),
        );
    }
    let coordinates = coordinates(f);

    let mut offer = Offer {
        id,
        row: row.number,
        title: f.text(Col::Title).unwrap_or_default(),
        diploma: Diploma::parse(&diploma_type),
        diploma_type,
        level: f.parse(Col::Level, values::level),
        rncp: f.get(Col::Rncp).map(values::rncp).filter(|s| !s.is_empty()),
        cfd: f.id_like(Col::Cfd, Some(8)),
        rome,
        domain: f.text(Col::Domain),
        description: f.text(Col::Description),
        cycle_months: f.parse(Col::Cycle, values::cycle_months),
        rhythm: f.text(Col::Rhythm),
        capacity: f.parse(Col::Capacity, values::count),
        first_year_apprenticeship: f.parse(Col::FirstYear, values::yes_no),
        parcoursup: f.parse(Col::Parcoursup, values::yes_no),
        affelnet: f.parse(Col::Affelnet, values::yes_no),
        start: f.parse(Col::Start, values::date),
        end: f.parse(Col::End, values::date),
        ..Offer::default()
    };

    let r = &mut offer.responsible;
    r.name = f.text(Col::RespName).unwrap_or_default();
    r.siret = f.id_like(Col::RespSiret, Some(14));
    r.uai = f.id_like(Col::RespUai, None);
    r.nda = f.get(Col::Nda).map(values::nda).filter(|s| !s.is_empty());
    r.address.street = f.text(Col::RespStreet);
    r.address.postcode = f.postcode(Col::RespPostcode);
    r.address.town = f.text(Col::RespTown);
    r.qualiopi = f.parse(Col::Qualiopi, values::yes_no);
    r.habilitation = f.parse(Col::Habilitation, values::yes_no);

    offer.trainer.name = f.text(Col::TrainerName).unwrap_or_default();
    offer.trainer.siret = f.id_like(Col::TrainerSiret, Some(14));

    let p = &mut offer.place;
    p.uai = f.id_like(Col::PlaceUai, None);
    p.address.street = f.text(Col::PlaceStreet);
    p.address.postcode = f.postcode(Col::PlacePostcode);
    p.address.town = f.text(Col::PlaceTown);
    p.address.insee = f.id_like(Col::Insee, Some(5));
    p.coordinates = coordinates;

    let c = &mut offer.contact;
    c.name = f.text(Col::ContactName);
    c.phone = f.phone(Col::Phone);
    c.email = f.email(Col::Email);
    c.website = f.website(Col::Website);

    let h = &mut offer.referent;
    h.name = f.text(Col::ReferentName);
    h.phone = f.phone(Col::ReferentPhone);
    h.email = f.email(Col::ReferentEmail);

    offer.marks = markings(row, layout);
    offer.findings = fields.findings;
    offer.normalised = fields.normalised;
    offer
}

/// Latitude and longitude count only together and in range.
fn coordinates(f: &mut Fields<'_>) -> Option<Coordinates> {
    let lat = f.parse(Col::Latitude, |v| values::degrees(v, 90.0));
    let lon = f.parse(Col::Longitude, |v| values::degrees(v, 180.0));
    match (lat, lon, f.get(Col::Latitude), f.get(Col::Longitude)) {
        (Some(lat), Some(lon), _, _) => Some(Coordinates { lat, lon }),
        (Some(_), None, _, None) => {
            let raw = f.get(Col::Latitude).map(Value::text).unwrap_or_default();
            f.finding(
                Col::Latitude,
                raw,
                "latitude sans longitude : position ignorée".into(),
            );
            None
        }
        (None, Some(_), None, _) => {
            let raw = f.get(Col::Longitude).map(Value::text).unwrap_or_default();
            f.finding(
                Col::Longitude,
                raw,
                "longitude sans latitude : position ignorée".into(),
            );
            None
        }
        _ => None,
    }
}

/// A row is closed (yellow) or new (blue) when most of its filled-in cells carry the
/// colour (a stray coloured cell does not make a row); a red cell is a changed value.
fn markings(row: &Row, layout: &Layout) -> Markings {
    let mut marks = Markings::default();
    let (mut cells, mut yellow, mut blue) = (0usize, 0usize, 0usize);
    for c in &row.cells {
        if c.value.is_blank() || (c.col as usize) >= layout.headers.len() {
            continue;
        }
        cells += 1;
        yellow += usize::from(c.fill == Some(Mark::Yellow));
        blue += usize::from(c.font == Some(Mark::Blue));
        if c.font == Some(Mark::Red)
            && let Some(col) = layout.col(c.col)
        {
            let name = col.name().to_string();
            if !marks.changed_columns.contains(&name) {
                marks.changed_columns.push(name);
            }
        }
    }
    marks.closed = cells > 0 && yellow * 2 > cells;
    marks.new = cells > 0 && blue * 2 > cells;
    marks
}
