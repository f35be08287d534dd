//! The typed offer: what every later stage reads. No spreadsheet type leaks in here:
//! the import turns cells into these values, the controls turn them into verdicts.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One action of training, as read from one data row of the export.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Offer {
    /// `N° action`: the stable BROF identifier (trimmed; never empty for a kept row).
    pub id: String,
    /// Row number as the user sees it in the spreadsheet (1-based, header rows included).
    pub row: u32,
    /// `Intitulé de la formation`.
    pub title: String,
    /// `Type de diplôme` as written (trimmed), e.g. `BAC PRO`.
    pub diploma_type: String,
    /// The diploma family recognised from `diploma_type`, when it is one we know.
    pub diploma: Option<Diploma>,
    /// Level of the 2019 nomenclature (3 to 8).
    pub level: Option<u8>,
    /// `Code RNCP`, normalised to `RNCP12345` / `RS1234` when it has that shape,
    /// else the trimmed, upper-cased raw text (the controls flag it).
    pub rncp: Option<String>,
    /// `Code diplôme (CFD)`, upper-cased without spaces.
    pub cfd: Option<String>,
    /// `Codes ROME`, upper-cased, in input order.
    pub rome: Vec<String>,
    /// `Domaine (Formacode / NSF)`.
    pub domain: Option<String>,
    /// `Description` (plain text, line breaks kept).
    pub description: Option<String>,
    /// The responsible CFA (signs the apprenticeship agreement).
    pub responsible: Responsible,
    /// The training organisation (may equal the responsible one).
    pub trainer: Trainer,
    /// Where the training takes place.
    pub place: Place,
    /// How to reach the training.
    pub contact: Contact,
    /// The disability referent.
    pub referent: Referent,
    /// `Durée du cycle (mois)` in months.
    pub cycle_months: Option<u32>,
    /// `Rythme de l'alternance`.
    pub rhythm: Option<String>,
    /// `Capacité d'accueil`.
    pub capacity: Option<u32>,
    /// `Entrée en 1re année en apprentissage`.
    pub first_year_apprenticeship: Option<bool>,
    /// `Parcoursup`.
    pub parcoursup: Option<bool>,
    /// `Affelnet`.
    pub affelnet: Option<bool>,
    /// `Date de début 2027`.
    pub start: Option<NaiveDate>,
    /// `Date de fin 2027`.
    pub end: Option<NaiveDate>,
    /// The CFA's colour markings on this row.
    pub marks: Markings,
    /// Values that could not be understood (the raw text is kept here, never dropped).
    pub findings: Vec<Finding>,
    /// Values rewritten to their usual form where the intent was unambiguous
    /// (`www.cfa.fr` → `https://www.cfa.fr`): reported as notes, never as problems.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub normalised: Vec<Normalised>,
}

/// A value the import rewrote to its usual form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Normalised {
    /// Canonical header name of the column.
    pub column: String,
    pub kind: NormalisedKind,
    /// As typed in the export.
    pub raw: String,
    /// As published.
    pub value: String,
}

/// The kinds of values normalised, for the counts of the summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NormalisedKind {
    /// A web site without its scheme, published with `https://`.
    Website,
    /// A phone number rewritten as `04 91 12 34 56`.
    Phone,
    /// An e-mail address taken out of its decoration (`mailto:`, `Nom <…>`, spaces).
    Email,
    /// A postcode with spaces or a lost leading zero.
    Postcode,
    /// An identifier (SIRET, diploma code, INSEE code) whose leading zeros a spreadsheet
    /// dropped (`1022103` → `01022103`).
    Identifier,
}

impl NormalisedKind {
    /// Every kind, in the report's order.
    pub const ALL: [NormalisedKind; 5] = [
        NormalisedKind::Identifier,
        NormalisedKind::Postcode,
        NormalisedKind::Phone,
        NormalisedKind::Email,
        NormalisedKind::Website,
    ];

    /// What was done to the value, as the report says it.
    pub fn label(self) -> &'static str {
        match self {
            NormalisedKind::Website => "Site web complété de https://",
            NormalisedKind::Phone => "Téléphone écrit 04 91 12 34 56",
            NormalisedKind::Email => "Courriel sorti de son habillage (mailto:, nom, espaces)",
            NormalisedKind::Postcode => "Code postal sans ses espaces ou avec son zéro initial",
            NormalisedKind::Identifier => {
                "SIRET, code diplôme ou code INSEE dont le tableur avait perdu les zéros initiaux"
            }
        }
    }

    /// Stable code, as in `summary.json`.
    pub fn code(self) -> &'static str {
        match self {
            NormalisedKind::Website => "website",
            NormalisedKind::Phone => "phone",
            NormalisedKind::Email => "email",
            NormalisedKind::Postcode => "postcode",
            NormalisedKind::Identifier => "identifier",
        }
    }
}

/// The responsible organisation (CFA) of an offer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Responsible {
    pub name: String,
    /// 14 digits once normalised (spaces removed, a lost leading zero restored).
    pub siret: Option<String>,
    /// 8 characters, upper-cased.
    pub uai: Option<String>,
    /// `N° de déclaration d'activité`, digits only.
    pub nda: Option<String>,
    pub address: Address,
    /// `Qualiopi mention apprentissage` as declared.
    pub qualiopi: Option<bool>,
    /// `Habilitation certificateur` as declared.
    pub habilitation: Option<bool>,
}

/// The training organisation of an offer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Trainer {
    pub name: String,
    pub siret: Option<String>,
}

/// A postal address.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Address {
    pub street: Option<String>,
    /// 5 digits once normalised.
    pub postcode: Option<String>,
    pub town: Option<String>,
    /// INSEE commune code (5 characters), when given.
    pub insee: Option<String>,
}

/// The training place.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// `UAI lieu de formation`, upper-cased.
    pub uai: Option<String>,
    pub address: Address,
    /// Decimal degrees, when both coordinates were given and in range.
    pub coordinates: Option<Coordinates>,
}

/// WGS84 decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coordinates {
    pub lat: f64,
    pub lon: f64,
}

/// A telephone number as typed (for display) and, when it parses, in international form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone {
    /// As families read it: `04 91 12 34 56` for a valid number, else as written.
    pub display: String,
    /// `+33XXXXXXXXX` when the number is a valid French number, else `None`.
    pub international: Option<String>,
}

/// Contact of the training.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Contact {
    pub name: Option<String>,
    pub phone: Option<Phone>,
    /// Trimmed, lower-cased.
    pub email: Option<String>,
    /// As written, trimmed (scheme checked by the controls and the site).
    pub website: Option<String>,
}

/// The disability referent (`Référent handicap`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Referent {
    pub name: Option<String>,
    pub phone: Option<Phone>,
    pub email: Option<String>,
}

/// What the CFA marked on the row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Markings {
    /// Row filled yellow: the training no longer exists.
    pub closed: bool,
    /// Row in blue font: a training added this year.
    pub new: bool,
    /// Cells in red font: canonical header names of the columns changed this year.
    pub changed_columns: Vec<String>,
}

/// A value of the row that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Canonical header name of the column.
    pub column: String,
    /// The raw cell text.
    pub raw: String,
    /// Why it was not understood, in plain French (shown to the CFA).
    pub problem: String,
}

/// Diploma families with their own duration and level rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Diploma {
    Cap,
    Capa,
    Bp,
    Bpa,
    BacPro,
    Bma,
    Mc,
    Cs,
    Bts,
    Btsa,
    Dut,
    But,
    LicencePro,
    Licence,
    TitrePro,
    Master,
    Ingenieur,
    Cqp,
    Deust,
    Autre,
}

impl Diploma {
    /// Every family, for tables and tests.
    pub const ALL: [Diploma; 20] = [
        Diploma::Cap,
        Diploma::Capa,
        Diploma::Bp,
        Diploma::Bpa,
        Diploma::BacPro,
        Diploma::Bma,
        Diploma::Mc,
        Diploma::Cs,
        Diploma::Bts,
        Diploma::Btsa,
        Diploma::Dut,
        Diploma::But,
        Diploma::LicencePro,
        Diploma::Licence,
        Diploma::TitrePro,
        Diploma::Master,
        Diploma::Ingenieur,
        Diploma::Cqp,
        Diploma::Deust,
        Diploma::Autre,
    ];

    /// Stable code used in data files and URLs (`bac_pro`, `licence_pro`...).
    pub fn code(self) -> &'static str {
        match self {
            Diploma::Cap => "cap",
            Diploma::Capa => "capa",
            Diploma::Bp => "bp",
            Diploma::Bpa => "bpa",
            Diploma::BacPro => "bac_pro",
            Diploma::Bma => "bma",
            Diploma::Mc => "mc",
            Diploma::Cs => "cs",
            Diploma::Bts => "bts",
            Diploma::Btsa => "btsa",
            Diploma::Dut => "dut",
            Diploma::But => "but",
            Diploma::LicencePro => "licence_pro",
            Diploma::Licence => "licence",
            Diploma::TitrePro => "titre_pro",
            Diploma::Master => "master",
            Diploma::Ingenieur => "ingenieur",
            Diploma::Cqp => "cqp",
            Diploma::Deust => "deust",
            Diploma::Autre => "autre",
        }
    }

    /// The name families read (`Bac pro`, `BTS`, `Titre professionnel`...).
    pub fn label(self) -> &'static str {
        match self {
            Diploma::Cap => "CAP",
            Diploma::Capa => "CAPA",
            Diploma::Bp => "BP",
            Diploma::Bpa => "BPA",
            Diploma::BacPro => "Bac pro",
            Diploma::Bma => "BMA",
            Diploma::Mc => "Mention complémentaire",
            Diploma::Cs => "Certificat de spécialisation",
            Diploma::Bts => "BTS",
            Diploma::Btsa => "BTSA",
            Diploma::Dut => "DUT",
            Diploma::But => "BUT",
            Diploma::LicencePro => "Licence pro",
            Diploma::Licence => "Licence",
            Diploma::TitrePro => "Titre professionnel",
            Diploma::Master => "Master",
            Diploma::Ingenieur => "Diplôme d'ingénieur",
            Diploma::Cqp => "CQP",
            Diploma::Deust => "DEUST",
            Diploma::Autre => "Autre certification",
        }
    }

    /// Recognise a `Type de diplôme` cell (`CAP`, `Bac Pro`, `BAC PROFESSIONNEL`,
    /// `Licence professionnelle`, `Titre pro`, `Diplôme d'ingénieur`...).
    /// Unknown text is `Autre`; an empty cell is `None`.
    pub fn parse(text: &str) -> Option<Diploma> {
        let key = fold(text);
        if key.is_empty() {
            return None;
        }
        let starts = |p: &str| {
            key.strip_prefix(p)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
        };
        Some(if starts("capa") {
            Diploma::Capa
        } else if starts("cap") {
            Diploma::Cap
        } else if starts("bpa") {
            Diploma::Bpa
        } else if starts("bp") || key.starts_with("brevet professionnel") {
            Diploma::Bp
        } else if key.starts_with("bac pro") || key.starts_with("baccalaureat pro") {
            Diploma::BacPro
        } else if starts("bma") || key.starts_with("brevet des metiers d art") {
            Diploma::Bma
        } else if starts("mc") || key.starts_with("mention complementaire") {
            Diploma::Mc
        } else if starts("cs") || key.starts_with("certificat de specialisation") {
            Diploma::Cs
        } else if starts("btsa") {
            Diploma::Btsa
        } else if starts("bts") || key.starts_with("brevet de technicien superieur") {
            Diploma::Bts
        } else if starts("dut") {
            Diploma::Dut
        } else if starts("but") || key.starts_with("bachelor universitaire") {
            Diploma::But
        } else if starts("lp") || key.starts_with("licence pro") {
            Diploma::LicencePro
        } else if starts("licence") {
            Diploma::Licence
        } else if starts("tp") || key.starts_with("titre pro") || starts("titre") {
            Diploma::TitrePro
        } else if starts("master") {
            Diploma::Master
        } else if key.contains("ingenieur") {
            Diploma::Ingenieur
        } else if starts("cqp") {
            Diploma::Cqp
        } else if starts("deust") {
            Diploma::Deust
        } else {
            Diploma::Autre
        })
    }
}

/// Lower case, accents folded, every run of non-alphanumerics turned into one space.
/// The one normalisation used to compare header texts and free-text keywords.
pub fn fold(text: &str) -> String {
    // One pass, one allocation: it folds every name, title and keyword of a build
    // (hundreds of thousands of calls; four strings each were 3% of a rebuild).
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    let mut put = |b: u8| {
        if b.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(b.to_ascii_lowercase() as char);
        } else {
            gap = true;
        }
    };
    for c in text.chars() {
        match c {
            c if (c as u32) < 0x7F => put(c as u8),
            // A line break or `N°` separates words (`n`, not `ndeg`).
            '°' | 'º' => put(b' '),
            c if c.is_whitespace() => put(b' '),
            // An accent or a ligature folds to its letters; an unknown sign separates.
            c => match deunicode::deunicode_char(c) {
                Some(ascii) => ascii.bytes().for_each(&mut put),
                None => put(b' '),
            },
        }
    }
    out
}

/// Plain words for a level of the 2019 nomenclature, as families say it.
pub fn level_label(level: u8) -> &'static str {
    match level {
        3 => "Infrabac (CAP)",
        4 => "Bac",
        5 => "Bac+2",
        6 => "Bac+3/4",
        7 => "Bac+5",
        8 => "Doctorat",
        _ => "Niveau inconnu",
    }
}

/// What becomes of an offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// In the "Catalogue général": every blocking control passed.
    Published,
    /// "Non réglementaire": at least one blocking reason; sent back to the CFA.
    NonReglementaire,
    /// Marked closed (yellow) by the CFA: never published.
    Closed,
}

/// Stable reason codes. Blocking ones make an offer `non_reglementaire`;
/// warnings are reported and the offer is still published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    // Import
    DuplicateId,
    DuplicateOfferCopy,
    FieldMissing,
    // Organisation
    SiretInvalid,
    SiretInactive,
    NdaMissing,
    NdaUndeclared,
    NdaInvalid,
    UaiMissing,
    UaiInvalid,
    QualiopiMissing,
    HabilitationMissing,
    HandicapReferentMissing,
    HandicapContactMissing,
    ContactMissing,
    // Certification
    RncpMissing,
    RncpMalformed,
    RncpExpired,
    RncpNotApprenticeship,
    // DRAIO
    DurationInconsistent,
    FirstYearNotApprenticeship,
    DatesMissing,
    DatesInverted,
    DatesOutOfCampaign,
    UaiDistance,
    // Warnings
    UaiDistanceUnverifiable,
    DatesDurationMismatch,
    LevelInconsistent,
    UrlInvalid,
    RncpUnknown,
    CfdMalformed,
    DuplicateOffer,
    NameSuspicious,
    ValueUnreadable,
}

impl Reason {
    /// Every code, in documentation order.
    pub const ALL: [Reason; 34] = [
        Reason::DuplicateId,
        Reason::DuplicateOfferCopy,
        Reason::FieldMissing,
        Reason::SiretInvalid,
        Reason::SiretInactive,
        Reason::NdaMissing,
        Reason::NdaUndeclared,
        Reason::NdaInvalid,
        Reason::UaiMissing,
        Reason::UaiInvalid,
        Reason::QualiopiMissing,
        Reason::HabilitationMissing,
        Reason::HandicapReferentMissing,
        Reason::HandicapContactMissing,
        Reason::ContactMissing,
        Reason::RncpMissing,
        Reason::RncpMalformed,
        Reason::RncpExpired,
        Reason::RncpNotApprenticeship,
        Reason::DurationInconsistent,
        Reason::FirstYearNotApprenticeship,
        Reason::DatesMissing,
        Reason::DatesInverted,
        Reason::DatesOutOfCampaign,
        Reason::UaiDistance,
        Reason::UaiDistanceUnverifiable,
        Reason::DatesDurationMismatch,
        Reason::LevelInconsistent,
        Reason::UrlInvalid,
        Reason::RncpUnknown,
        Reason::CfdMalformed,
        Reason::DuplicateOffer,
        Reason::NameSuspicious,
        Reason::ValueUnreadable,
    ];

    /// The stable code as written in reports (`siret_invalid`...).
    pub fn code(self) -> &'static str {
        match self {
            Reason::DuplicateId => "duplicate_id",
            Reason::DuplicateOfferCopy => "duplicate_offer_copy",
            Reason::FieldMissing => "field_missing",
            Reason::SiretInvalid => "siret_invalid",
            Reason::SiretInactive => "siret_inactive",
            Reason::NdaMissing => "nda_missing",
            Reason::NdaUndeclared => "nda_undeclared",
            Reason::NdaInvalid => "nda_invalid",
            Reason::UaiMissing => "uai_missing",
            Reason::UaiInvalid => "uai_invalid",
            Reason::QualiopiMissing => "qualiopi_missing",
            Reason::HabilitationMissing => "habilitation_missing",
            Reason::HandicapReferentMissing => "handicap_referent_missing",
            Reason::HandicapContactMissing => "handicap_contact_missing",
            Reason::ContactMissing => "contact_missing",
            Reason::RncpMissing => "rncp_missing",
            Reason::RncpMalformed => "rncp_malformed",
            Reason::RncpExpired => "rncp_expired",
            Reason::RncpNotApprenticeship => "rncp_not_apprenticeship",
            Reason::DurationInconsistent => "duration_inconsistent",
            Reason::FirstYearNotApprenticeship => "first_year_not_apprenticeship",
            Reason::DatesMissing => "dates_missing",
            Reason::DatesInverted => "dates_inverted",
            Reason::DatesOutOfCampaign => "dates_out_of_campaign",
            Reason::UaiDistance => "uai_distance",
            Reason::UaiDistanceUnverifiable => "uai_distance_unverifiable",
            Reason::DatesDurationMismatch => "dates_duration_mismatch",
            Reason::LevelInconsistent => "level_inconsistent",
            Reason::UrlInvalid => "url_invalid",
            Reason::RncpUnknown => "rncp_unknown",
            Reason::CfdMalformed => "cfd_malformed",
            Reason::DuplicateOffer => "duplicate_offer",
            Reason::NameSuspicious => "name_suspicious",
            Reason::ValueUnreadable => "value_unreadable",
        }
    }

    /// Whether this reason keeps the offer out of the catalogue.
    pub fn is_blocking(self) -> bool {
        !matches!(
            self,
            Reason::UaiDistanceUnverifiable
                | Reason::DatesDurationMismatch
                | Reason::LevelInconsistent
                | Reason::UrlInvalid
                | Reason::RncpUnknown
                | Reason::CfdMalformed
                | Reason::DuplicateOffer
                | Reason::NameSuspicious
                | Reason::ValueUnreadable
        )
    }
}

/// One problem found on an offer, with what the report needs to explain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub reason: Reason,
    /// Canonical header name of the field concerned, when there is one.
    pub column: Option<String>,
    /// The value found, as the CFA would recognise it.
    pub value: Option<String>,
    /// Extra detail in plain French (e.g. "42 km du CFA"), when useful.
    pub detail: Option<String>,
}

impl Problem {
    /// A problem on one field.
    pub fn new(reason: Reason, column: &str, value: Option<&str>) -> Self {
        Problem {
            reason,
            column: Some(column.to_string()),
            value: value.map(str::to_string),
            detail: None,
        }
    }
}

/// The outcome for one input row. `verdicts.json` is a list of these, in sheet order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// The `N° action`.
    pub id: String,
    /// Row number as the user sees it in the spreadsheet.
    pub row: u32,
    pub status: Status,
    /// Blocking reason codes, sorted, without repeats.
    pub reasons: Vec<Reason>,
    /// Non-blocking reason codes, sorted, without repeats.
    pub warnings: Vec<Reason>,
    /// Every problem behind `reasons` and `warnings`, with field and value.
    pub problems: Vec<Problem>,
    pub new: bool,
    pub changed_columns: Vec<String>,
    pub findings: Vec<Finding>,
}

impl Verdict {
    /// Builds the verdict of an offer from its problems: closed rows stay closed,
    /// any blocking reason makes the offer non réglementaire.
    pub fn from_problems(offer: &Offer, mut problems: Vec<Problem>) -> Self {
        problems.sort_by_key(|p| p.reason);
        let mut reasons: Vec<Reason> = Vec::new();
        let mut warnings: Vec<Reason> = Vec::new();
        for p in &problems {
            let list = if p.reason.is_blocking() {
                &mut reasons
            } else {
                &mut warnings
            };
            if list.last() != Some(&p.reason) {
                list.push(p.reason);
            }
        }
        let status = if offer.marks.closed {
            Status::Closed
        } else if reasons.is_empty() {
            Status::Published
        } else {
            Status::NonReglementaire
        };
        Verdict {
            id: offer.id.clone(),
            row: offer.row,
            status,
            reasons,
            warnings,
            problems,
            new: offer.marks.new,
            changed_columns: offer.marks.changed_columns.clone(),
            findings: offer.findings.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `fold` as first written, in four passes: the one-pass `fold` must agree with it.
    fn fold_in_passes(text: &str) -> String {
        let spaced: String = text
            .chars()
            .map(|c| match c {
                '°' | 'º' => ' ',
                c if c.is_whitespace() => ' ',
                c => c,
            })
            .collect();
        let ascii = deunicode::deunicode(&spaced).to_lowercase();
        let words: Vec<&str> = ascii
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        words.join(" ")
    }

    proptest::proptest! {
        #[test]
        fn fold_in_one_pass_agrees_with_the_four_passes(text in "\\PC{0,40}") {
            proptest::prop_assert_eq!(fold(&text), fold_in_passes(&text));
        }

        #[test]
        fn fold_agrees_on_french_and_odd_signs(
            text in "[a-zA-Z0-9 éèêëàâîïôöûüùçœæÉÈÀÇŒÆ°º'’\\-\n\t\u{a0}\u{7f}\u{301}北京ß€…]{0,40}"
        ) {
            proptest::prop_assert_eq!(fold(&text), fold_in_passes(&text));
        }
    }

    #[test]
    fn fold_ignores_case_accents_spaces_and_punctuation() {
        assert_eq!(fold("  Date de début\n2027 "), "date de debut 2027");
        assert_eq!(
            fold("N° de déclaration d'activité (NDA)"),
            "n de declaration d activite nda"
        );
        assert_eq!(
            fold("SIRET  organisme-responsable"),
            "siret organisme responsable"
        );
    }

    #[test]
    fn diploma_types_are_recognised_in_their_usual_spellings() {
        assert_eq!(Diploma::parse("CAP"), Some(Diploma::Cap));
        assert_eq!(Diploma::parse("CAPA"), Some(Diploma::Capa));
        assert_eq!(Diploma::parse("Bac Pro"), Some(Diploma::BacPro));
        assert_eq!(Diploma::parse("BAC PROFESSIONNEL"), Some(Diploma::BacPro));
        assert_eq!(Diploma::parse("BTS"), Some(Diploma::Bts));
        assert_eq!(Diploma::parse("BTSA"), Some(Diploma::Btsa));
        assert_eq!(
            Diploma::parse("Licence professionnelle"),
            Some(Diploma::LicencePro)
        );
        assert_eq!(Diploma::parse("Licence pro"), Some(Diploma::LicencePro));
        assert_eq!(Diploma::parse("Titre pro"), Some(Diploma::TitrePro));
        assert_eq!(
            Diploma::parse("Diplôme d'ingénieur"),
            Some(Diploma::Ingenieur)
        );
        assert_eq!(Diploma::parse("MC"), Some(Diploma::Mc));
        assert_eq!(Diploma::parse("BP"), Some(Diploma::Bp));
        assert_eq!(
            Diploma::parse("Habilitation électrique"),
            Some(Diploma::Autre)
        );
        assert_eq!(Diploma::parse("  "), None);
    }

    #[test]
    fn a_verdict_counts_blocking_reasons_only() {
        let offer = Offer {
            id: "AF1".into(),
            row: 5,
            ..Offer::default()
        };
        let warn = Problem::new(Reason::UrlInvalid, "Site web", Some("javascript:x"));
        let v = Verdict::from_problems(&offer, vec![warn.clone()]);
        assert_eq!(v.status, Status::Published);
        assert_eq!(v.warnings, vec![Reason::UrlInvalid]);
        let block = Problem::new(Reason::SiretInvalid, "SIRET organisme responsable", None);
        let v = Verdict::from_problems(&offer, vec![block.clone(), warn, block]);
        assert_eq!(v.status, Status::NonReglementaire);
        assert_eq!(v.reasons, vec![Reason::SiretInvalid]);
    }

    #[test]
    fn a_closed_row_stays_closed_whatever_its_problems() {
        let mut offer = Offer::default();
        offer.marks.closed = true;
        let p = Problem::new(Reason::DuplicateId, "N° action", None);
        assert_eq!(
            Verdict::from_problems(&offer, vec![p]).status,
            Status::Closed
        );
    }
}
