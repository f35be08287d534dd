//! One test per rule: a valid offer passes everything, each test changes one field.

use super::references::{Organismes, References, RncpTable, Sirene};
use super::*;
use crate::communes::distance_km;
use crate::model::{Coordinates, Diploma, Finding, Phone, Status};
use chrono::NaiveDate;

const COMMUNES: &str = "code_insee,nom,departement,codes_postaux,population,latitude,longitude\n\
06088,Nice,06,06000 06100 06200 06300,357737,43.70313,7.26608\n\
13055,Marseille,13,13001 13002 13003,886040,43.29695,5.38107\n\
04001,Aiglun,04,04510,1399,,\n\
05999,Équateur,05,05999,1,0.0,6.0\n";

fn communes() -> Communes {
    Communes::parse(COMMUNES).unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn phone(text: &str) -> Option<Phone> {
    Some(Phone {
        display: text.into(),
        international: identifiers::phone_international(text),
    })
}

/// An offer that passes every control (with or without the reference tables below).
fn valid_offer() -> Offer {
    let mut o = Offer {
        id: "AF_2027_000123".into(),
        row: 5,
        title: "CAP Métiers de la coiffure".into(),
        diploma_type: "CAP".into(),
        diploma: Some(Diploma::Cap),
        level: Some(3),
        rncp: Some("RNCP36629".into()),
        cycle_months: Some(24),
        first_year_apprenticeship: Some(true),
        start: Some(d(2027, 9, 1)),
        end: Some(d(2029, 6, 30)),
        ..Offer::default()
    };
    let r = &mut o.responsible;
    r.name = "CFA de l'Artisanat".into();
    r.siret = Some("73282932000074".into());
    r.uai = Some("0061234J".into());
    r.nda = Some("93060123406".into());
    r.address.postcode = Some("06000".into());
    r.address.town = Some("Nice".into());
    r.qualiopi = Some(true);
    r.habilitation = Some(true);
    o.trainer.name = "CFA de l'Artisanat".into();
    o.trainer.siret = Some("98222438800016".into());
    o.place.uai = Some("0061234J".into());
    o.place.address.street = Some("12 rue de la République".into());
    o.place.address.postcode = Some("06100".into());
    o.place.address.town = Some("Nice".into());
    o.contact.phone = phone("04 93 12 34 56");
    o.contact.email = Some("contact@cfa-nice.fr".into());
    o.contact.website = Some("https://www.cfa-nice.fr".into());
    o.referent.name = Some("Camille Martin".into());
    o.referent.email = Some("handicap@cfa-nice.fr".into());
    o
}

fn run_with(offer: &Offer, references: &References) -> Verdict {
    let communes = communes();
    let durations = Durations::shipped();
    let official = Official::builtin();
    let ctx = Context {
        campaign_year: 2027,
        communes: &communes,
        durations: &durations,
        official: &official,
        references,
    };
    run(std::slice::from_ref(offer), &ctx).remove(0)
}

fn check(offer: &Offer) -> Verdict {
    run_with(offer, &References::default())
}

/// The reason codes of a verdict, blocking then warnings.
fn codes(v: &Verdict) -> Vec<&'static str> {
    v.reasons
        .iter()
        .chain(&v.warnings)
        .map(|r| r.code())
        .collect()
}

fn only(offer: &Offer, code: &str) -> Verdict {
    let v = check(offer);
    assert_eq!(codes(&v), vec![code], "{:#?}", v.problems);
    v
}

#[test]
fn the_valid_offer_passes_every_control() {
    let v = check(&valid_offer());
    assert_eq!(v.status, Status::Published, "{:#?}", v.problems);
    assert!(v.problems.is_empty(), "{:#?}", v.problems);
    let v = run_with(&valid_offer(), &tables());
    assert!(v.problems.is_empty(), "{:#?}", v.problems);
}

#[test]
fn siret_invalid_for_the_responsible_or_the_trainer() {
    let mut o = valid_offer();
    o.responsible.siret = Some("73282932000075".into());
    let v = only(&o, "siret_invalid");
    assert_eq!(v.status, Status::NonReglementaire);
    assert_eq!(v.problems[0].column.as_deref(), Some(col::SIRET));
    assert_eq!(v.problems[0].value.as_deref(), Some("73282932000075"));

    let mut o = valid_offer();
    o.trainer.siret = Some("00000000000000".into());
    let v = only(&o, "siret_invalid");
    assert_eq!(v.problems[0].column.as_deref(), Some(col::TRAINER_SIRET));

    let mut o = valid_offer();
    o.trainer.siret = None;
    only(&o, "siret_invalid");

    // La Poste's exception and a lost leading zero are accepted.
    let mut o = valid_offer();
    o.trainer.siret = Some("35600000009075".into());
    o.responsible.siret = Some("6123456700016".into()); // 06123456700016 in Excel
    assert_eq!(codes(&check(&o)), Vec::<&str>::new());
}

#[test]
fn nda_missing_or_invalid() {
    let mut o = valid_offer();
    o.responsible.nda = None;
    only(&o, "nda_missing");
    o.responsible.nda = Some("9306012340".into());
    only(&o, "nda_invalid");
    o.responsible.nda = Some("9306X001706".into());
    only(&o, "nda_invalid");
}

#[test]
fn a_public_body_nda_with_a_p_fifth_is_well_formed() {
    // Real NDAs of public bodies (shared/reference-data.md).
    for nda in ["9306P001706", "9383P000183"] {
        let mut o = valid_offer();
        o.responsible.nda = Some(nda.into());
        assert!(check(&o).problems.is_empty(), "{nda}");
    }
}

#[test]
fn every_required_column_left_empty_is_named() {
    type Empty = fn(&mut Offer);
    let cases: [(&str, Empty); 11] = [
        (col::TITLE, |o| o.title.clear()),
        (col::DIPLOMA_TYPE, |o| o.diploma_type.clear()),
        (col::LEVEL, |o| o.level = None),
        (col::RESP_NAME, |o| o.responsible.name.clear()),
        (col::RESP_POSTCODE, |o| {
            o.responsible.address.postcode = None
        }),
        (col::RESP_TOWN, |o| o.responsible.address.town = None),
        (col::TRAINER_NAME, |o| o.trainer.name = " ".into()),
        (col::PLACE_STREET, |o| o.place.address.street = None),
        (col::PLACE_POSTCODE, |o| o.place.address.postcode = None),
        (col::PLACE_TOWN, |o| o.place.address.town = None),
        (col::CYCLE, |o| o.cycle_months = None),
    ];
    for (column, empty) in cases {
        let mut o = valid_offer();
        empty(&mut o);
        let v = check(&o);
        assert_eq!(v.status, Status::NonReglementaire, "{column}");
        let p = v
            .problems
            .iter()
            .find(|p| p.reason == Reason::FieldMissing)
            .unwrap_or_else(|| panic!("{column}: {:?}", codes(&v)));
        assert_eq!(p.column.as_deref(), Some(column));
        assert!(p.detail.as_deref().unwrap().contains(column));
    }
    // An unreadable level is as missing as an empty one, and says so.
    let mut o = valid_offer();
    o.level = None;
    o.findings = vec![Finding {
        column: col::LEVEL.into(),
        raw: "Bac+2".into(),
        problem: "niveau non reconnu".into(),
    }];
    let v = check(&o);
    assert_eq!(codes(&v), vec!["field_missing", "value_unreadable"]);
    assert_eq!(v.problems[0].value.as_deref(), Some("Bac+2"));
}

#[test]
fn uai_missing_or_invalid_on_both_uai_columns() {
    let mut o = valid_offer();
    o.responsible.uai = None;
    o.place.uai = Some("0951099D".into());
    only(&o, "uai_missing");

    let mut o = valid_offer();
    o.responsible.uai = Some("0061234K".into());
    o.place.uai = Some("0951099D".into());
    let v = only(&o, "uai_invalid");
    assert_eq!(v.problems[0].column.as_deref(), Some(col::UAI));

    let mut o = valid_offer();
    o.place.uai = Some("0951099C".into());
    let v = only(&o, "uai_invalid");
    assert_eq!(v.problems[0].column.as_deref(), Some(col::PLACE_UAI));
}

#[test]
fn declared_qualiopi_and_habilitation_without_tables() {
    let mut o = valid_offer();
    o.responsible.qualiopi = Some(false);
    only(&o, "qualiopi_missing");
    o.responsible.qualiopi = None;
    only(&o, "qualiopi_missing");

    let mut o = valid_offer();
    o.responsible.habilitation = Some(false);
    let v = only(&o, "habilitation_missing");
    assert_eq!(v.problems[0].value.as_deref(), Some("Non"));
}

#[test]
fn the_disability_referent_needs_a_name_and_a_way_to_reach_them() {
    let mut o = valid_offer();
    o.referent.name = Some("  ".into());
    only(&o, "handicap_referent_missing");

    let mut o = valid_offer();
    o.referent.email = Some("handicap@".into());
    o.referent.phone = phone("061234567");
    only(&o, "handicap_contact_missing");
    // A valid phone alone is enough.
    o.referent.email = None;
    o.referent.phone = phone("06 12 34 56 78");
    assert!(check(&o).problems.is_empty());
}

#[test]
fn the_training_needs_a_phone_or_an_email() {
    let mut o = valid_offer();
    o.contact.phone = phone("0012345678");
    o.contact.email = None;
    let v = only(&o, "contact_missing");
    assert_eq!(v.problems[0].value.as_deref(), Some("0012345678"));
    o.contact.email = Some("contact@cfa-nice.fr".into());
    assert!(check(&o).problems.is_empty());
}

#[test]
fn rncp_malformed_or_missing() {
    let mut o = valid_offer();
    o.rncp = Some("RNCPABC".into());
    only(&o, "rncp_malformed");
    o.rncp = Some("RNCP123456".into());
    only(&o, "rncp_malformed");
    o.rncp = None;
    only(&o, "rncp_missing");
    o.rncp = Some("RS5000".into());
    assert!(check(&o).problems.is_empty());
}

#[test]
fn cycle_length_within_the_diploma_range() {
    let mut o = valid_offer();
    o.cycle_months = Some(37);
    o.end = Some(d(2030, 9, 30));
    let v = only(&o, "duration_inconsistent");
    assert!(
        v.problems[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("de 12 à 36 mois")
    );
    o.cycle_months = Some(36);
    o.end = Some(d(2030, 8, 31));
    assert!(check(&o).problems.is_empty());

    let mut o = valid_offer();
    o.diploma = Some(Diploma::Bts);
    o.diploma_type = "BTS".into();
    o.level = Some(5);
    o.cycle_months = Some(25);
    o.end = Some(d(2029, 9, 30));
    only(&o, "duration_inconsistent");

    // An unknown diploma family gets no duration verdict.
    o.diploma = Some(Diploma::Autre);
    o.cycle_months = Some(60);
    let v = check(&o);
    assert!(
        !codes(&v).contains(&"duration_inconsistent"),
        "{:?}",
        codes(&v)
    );
}

#[test]
fn the_official_duration_by_cfd_comes_before_the_family_range() {
    // BTS Podo-orthésiste (CFD 32033105): 3 years by regulation (BCN N_MEF).
    let mut o = valid_offer();
    o.diploma = Some(Diploma::Bts);
    o.diploma_type = "BTS".into();
    o.level = Some(5);
    o.cfd = Some("32033105".into());
    o.cycle_months = Some(36);
    o.end = Some(d(2030, 6, 30));
    assert!(check(&o).problems.is_empty(), "{:?}", codes(&check(&o)));
    // The same 36 months for a two-year BTS (MCO, 32031213) is too long.
    o.cfd = Some("32031213".into());
    let v = only(&o, "duration_inconsistent");
    let detail = v.problems[0].detail.as_deref().unwrap();
    assert!(
        detail.contains("32031213") && detail.contains("de 12 à 24 mois"),
        "{detail}"
    );
    // A BTS whose CFD is not in the table: the family range.
    o.cfd = Some("32099999".into());
    let v = only(&o, "duration_inconsistent");
    assert!(
        v.problems[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("de 12 à 24 mois")
    );
}

#[test]
fn a_short_cycle_entered_in_the_first_year_is_named() {
    // A BUT (3 years) in 12 months "from the first year" starts in its last year.
    let mut o = valid_offer();
    o.diploma = Some(Diploma::But);
    o.diploma_type = "BUT".into();
    o.level = Some(6);
    o.cycle_months = Some(12);
    o.end = Some(d(2028, 8, 31));
    let v = only(&o, "first_year_not_apprenticeship");
    let detail = v.problems[0].detail.as_deref().unwrap();
    assert!(
        detail.contains("12 mois") && detail.contains("36 mois"),
        "{detail}"
    );
    // Declared as entered later, the same cycle is fine.
    o.first_year_apprenticeship = Some(false);
    only(&o, "first_year_not_apprenticeship");
    // 30 months of a 36-month diploma: within six months, accepted.
    o.first_year_apprenticeship = Some(true);
    o.cycle_months = Some(30);
    o.end = Some(d(2030, 2, 28));
    assert!(check(&o).problems.is_empty(), "{:?}", codes(&check(&o)));
    // The three-year BTS in 24 months from the first year is short too.
    let mut o = valid_offer();
    o.diploma = Some(Diploma::Bts);
    o.diploma_type = "BTS".into();
    o.level = Some(5);
    o.cfd = Some("32033104".into());
    o.cycle_months = Some(24);
    o.end = Some(d(2029, 6, 30));
    only(&o, "first_year_not_apprenticeship");
}

#[test]
fn apprenticeship_from_the_first_year() {
    let mut o = valid_offer();
    o.first_year_apprenticeship = Some(false);
    only(&o, "first_year_not_apprenticeship");
    o.first_year_apprenticeship = None;
    only(&o, "first_year_not_apprenticeship");
}

#[test]
fn dates_missing_or_inverted() {
    let mut o = valid_offer();
    o.end = None;
    let v = only(&o, "dates_missing");
    assert_eq!(v.problems[0].column.as_deref(), Some(col::END));
    let mut o = valid_offer();
    o.start = None;
    o.end = None;
    only(&o, "dates_missing");
    let mut o = valid_offer();
    o.start = Some(d(2027, 9, 1));
    o.end = Some(d(2027, 8, 31));
    only(&o, "dates_inverted");
}

#[test]
fn the_start_falls_in_the_2027_campaign_window() {
    let at = |start: NaiveDate| {
        let mut o = valid_offer();
        o.start = Some(start);
        o.end = Some(start + chrono::Months::new(24) - chrono::Days::new(1));
        codes(&check(&o))
    };
    assert_eq!(at(d(2027, 8, 1)), Vec::<&str>::new());
    assert_eq!(at(d(2028, 7, 31)), Vec::<&str>::new());
    assert_eq!(at(d(2027, 7, 31)), vec!["dates_out_of_campaign"]);
    assert_eq!(at(d(2028, 8, 1)), vec!["dates_out_of_campaign"]);
}

#[test]
fn a_place_beyond_20_km_needs_its_own_uai() {
    let mut o = valid_offer();
    o.place.address.town = Some("Marseille".into());
    o.place.address.postcode = Some("13001".into());
    let v = only(&o, "uai_distance");
    let detail = v.problems[0].detail.clone().unwrap();
    assert!(detail.starts_with("lieu de formation à 15"), "{detail}");
    assert!(
        detail.ends_with("km de l'organisme responsable (Nice)"),
        "{detail}"
    );
    // Same place, no UAI at all: same verdict.
    o.place.uai = None;
    only(&o, "uai_distance");
    // Its own UAI: fine.
    o.place.uai = Some(format!(
        "0131234{}",
        b"ABCDEFGHJKLMNPRSTUVWXYZ"[(131_234 % 23) as usize] as char
    ));
    assert!(check(&o).problems.is_empty(), "{:#?}", check(&o).problems);
    // Coordinates of the place win over its town.
    let mut o = valid_offer();
    o.place.address.town = Some("Marseille".into());
    o.place.coordinates = Some(Coordinates {
        lat: 43.71,
        lon: 7.27,
    });
    assert!(check(&o).problems.is_empty());
}

/// Coordinates due north of `from` whose computed distance is exactly `km`.
fn exactly_km_north(from: Coordinates, km: f64) -> Coordinates {
    let mut lat = from.lat + km / 6371.0088_f64 * 180.0 / std::f64::consts::PI;
    for _ in 0..1000 {
        let here = Coordinates { lat, lon: from.lon };
        let dist = distance_km(from, here);
        if dist == km {
            return here;
        }
        lat = if dist < km {
            lat.next_up()
        } else {
            lat.next_down()
        };
    }
    panic!("no coordinate at exactly {km} km");
}

#[test]
fn exactly_20_km_is_not_more_than_20_km() {
    // "Équateur" in the test table is at (0, 6).
    let cfa = Coordinates { lat: 0.0, lon: 6.0 };
    let at_20 = exactly_km_north(cfa, 20.0);
    assert_eq!(distance_km(cfa, at_20), 20.0);
    let mut o = valid_offer();
    o.responsible.address.town = Some("Équateur".into());
    o.responsible.address.postcode = Some("05999".into());
    o.place.coordinates = Some(at_20);
    assert!(check(&o).problems.is_empty(), "{:#?}", check(&o).problems);
    let beyond = Coordinates {
        lat: at_20.lat.next_up().next_up(),
        lon: at_20.lon,
    };
    assert!(distance_km(cfa, beyond) > 20.0);
    o.place.coordinates = Some(beyond);
    let v = only(&o, "uai_distance");
    assert!(
        v.problems[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("20,00 km")
    );
}

#[test]
fn an_unknown_location_is_a_warning_not_a_guess() {
    let mut o = valid_offer();
    o.place.address.town = Some("Aiglun".into()); // known town, no coordinates
    o.place.address.postcode = Some("04510".into());
    let v = only(&o, "uai_distance_unverifiable");
    assert_eq!(v.status, Status::Published);
    let mut o = valid_offer();
    o.responsible.address.town = Some("Paris".into());
    o.responsible.address.postcode = Some("75001".into());
    let v = only(&o, "uai_distance_unverifiable");
    assert!(
        v.problems[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("organisme responsable")
    );
}

#[test]
fn dates_and_cycle_length_disagree_by_more_than_two_months() {
    let mut o = valid_offer();
    o.end = Some(d(2028, 6, 30)); // 10 months for a 24-month cycle
    let v = only(&o, "dates_duration_mismatch");
    assert_eq!(v.status, Status::Published);
    // 22 months for 24: exactly two months, accepted (the provisional dates' shape).
    o.end = Some(d(2029, 6, 30));
    assert!(check(&o).problems.is_empty());
    o.start = Some(d(2027, 9, 13));
    assert!(check(&o).problems.is_empty());
    o.end = Some(d(2029, 5, 31)); // 21 months
    only(&o, "dates_duration_mismatch");
}

#[test]
fn level_must_fit_the_diploma() {
    let mut o = valid_offer();
    o.level = Some(5);
    let v = only(&o, "level_inconsistent");
    assert_eq!(v.status, Status::Published);
}

#[test]
fn a_malformed_cfd_is_a_warning_and_an_empty_one_is_fine() {
    let mut o = valid_offer();
    for bad in ["5002242", "500-22427", "ABCDEFGH"] {
        o.cfd = Some(bad.into());
        let v = only(&o, "cfd_malformed");
        assert_eq!(v.status, Status::Published);
    }
    for good in ["50033616", "36T31203", "26033206T"] {
        o.cfd = Some(good.into());
        let v = check(&o);
        assert!(
            !codes(&v).contains(&"cfd_malformed"),
            "{good}: {:?}",
            codes(&v)
        );
    }
    o.cfd = None;
    assert!(check(&o).problems.is_empty());
}

#[test]
fn website_must_be_http_or_https() {
    let mut o = valid_offer();
    o.contact.website = Some("javascript:alert(1)".into());
    only(&o, "url_invalid");
    o.contact.website = Some("https://cfa nice.fr".into());
    only(&o, "url_invalid");
    o.contact.website = None;
    assert!(check(&o).problems.is_empty());
}

#[test]
fn each_import_finding_is_a_value_unreadable_warning() {
    let mut o = valid_offer();
    o.findings = vec![Finding {
        column: "Capacité d'accueil".into(),
        raw: "douze".into(),
        problem: "nombre illisible".into(),
    }];
    let v = only(&o, "value_unreadable");
    assert_eq!(v.problems[0].value.as_deref(), Some("douze"));
    // An unreadable date also leaves the date missing.
    let mut o = valid_offer();
    o.start = None;
    o.findings = vec![Finding {
        column: col::START.into(),
        raw: "31/02/2027".into(),
        problem: "date illisible".into(),
    }];
    assert_eq!(codes(&check(&o)), vec!["dates_missing", "value_unreadable"]);
}

#[test]
fn closed_rows_get_no_controls() {
    let mut o = valid_offer();
    o.marks.closed = true;
    o.start = None;
    o.end = None;
    o.responsible.siret = None;
    let v = check(&o);
    assert_eq!(v.status, Status::Closed);
    assert!(v.problems.is_empty());
}

#[test]
fn duplicate_ids_name_the_other_rows() {
    let a = valid_offer();
    let mut b = valid_offer();
    b.row = 9;
    let communes = communes();
    let durations = Durations::shipped();
    let official = Official::builtin();
    let references = References::default();
    let ctx = Context {
        campaign_year: 2027,
        communes: &communes,
        durations: &durations,
        official: &official,
        references: &references,
    };
    let v = run(&[a, b], &ctx);
    assert_eq!(codes(&v[0]), vec!["duplicate_id"]);
    assert_eq!(
        v[0].problems[0].detail.as_deref(),
        Some("même N° action ligne 9")
    );
    assert_eq!(v[1].status, Status::NonReglementaire);
}

// ------------------------------------------------------------ with reference tables

const STANDARD: &str = "\"Id_Fiche\";\"Numero_Fiche\";\"Intitule\";\"Abrege_Libelle\";\"Nomenclature_Europe_Niveau\";\"Date_Fin_Enregistrement\";\"Date_Effet\";\"Type_Enregistrement\";\"Actif\"\r\n\
\"1\";\"RNCP36629\";\"Métiers de la coiffure\";\"CAP\";\"NIV3\";\"31/08/2028\";\"01/09/2022\";\"Enregistrement de droit\";\"ACTIVE\"\r\n\
\"2\";\"RNCP509\";\"Ancien\";\"CAP\";\"NIV3\";\"31/12/2020\";\"01/01/2016\";\"Enregistrement de droit\";\"INACTIVE\"\r\n\
\"3\";\"RNCP35000\";\"Fin le 31/08/2027\";\"CAP\";\"NIV3\";\"31/08/2027\";\"01/01/2022\";\"Enregistrement de droit\";\"ACTIVE\"\r\n\
\"4\";\"RS5000\";\"Hors apprentissage\";\"\";\"\";\"31/12/2030\";\"01/01/2022\";\"Enregistrement sur demande\";\"ACTIVE\"\r\n";
const VOIES: &str = "\"Numero_Fiche\";\"Si_Jury\"\r\n\
\"RNCP36629\";\"En contrat d’apprentissage\"\r\n\
\"RNCP509\";\"En contrat d’apprentissage\"\r\n\
\"RNCP35000\";\"En contrat d’apprentissage\"\r\n\
\"RS5000\";\"Par expérience\"\r\n";
const CERTIFIERS: &str = "\"Numero_Fiche\";\"Siret_Certificateur\";\"Nom_Certificateur\"\r\n\
\"RNCP36629\";\"\t11004401300040\";\"MINISTERE DE L'EDUCATION NATIONALE\"\r\n\
\"RNCP35000\";\"\t73282932000074\";\"CFA\"\r\n\
\"RS5000\";\"\t73282932000074\";\"CFA\"\r\n";
const PARTNERS: &str = "\"Numero_Fiche\";\"Nom_Partenaire\";\"Siret_Partenaire\";\"Habilitation_Partenaire\"\r\n\
\"RNCP36629\";\"CFA de l'Artisanat\";\"\t73282932000074\";\"HABILITATION_FORMER\"\r\n\
\"RNCP36629\";\"Jury\";\"\t98222438800016\";\"HABILITATION_ORGANISER\"\r\n\
\"RNCP509\";\"CFA de l'Artisanat\";\"\t73282932000074\";\"HABILITATION_ORGA_FORM\"\r\n";
const DGEFP: &str = "numeroDeclarationActivite;denomination;siren;siretEtablissementDeclarant;certifications.actionsDeFormation;certifications.actionsDeFormationParApprentissage\r\n\
93060123406;CFA DE L'ARTISANAT;732829320;73282932000074;true;true\r\n\
93130000113;AUTRE;982224388;98222438800016;true;false\r\n\
93840000184;SIEGE SEUL;130029754;13002975400020;true;true\r\n";
const SIRENE: &str = "siren,nic,siret,etatAdministratifEtablissement\n\
732829320,00074,73282932000074,A\n\
982224388,00016,98222438800016,F\n";

fn tables() -> References {
    References {
        rncp: Some(RncpTable::from_texts(STANDARD, VOIES, CERTIFIERS, PARTNERS).unwrap()),
        organismes: Some(
            Organismes::parse(std::path::Path::new("dgefp.csv"), DGEFP.into()).unwrap(),
        ),
        sirene: None,
    }
}

fn with_tables(o: &Offer) -> Vec<&'static str> {
    codes(&run_with(o, &tables()))
}

#[test]
fn siret_inactive_needs_the_sirene_table() {
    let refs = References {
        sirene: Some(Sirene::parse(std::path::Path::new("s.csv"), SIRENE.into()).unwrap()),
        ..References::default()
    };
    let v = run_with(&valid_offer(), &refs);
    assert_eq!(codes(&v), vec!["siret_inactive"]);
    assert_eq!(v.problems[0].column.as_deref(), Some(col::TRAINER_SIRET));
    // Without the table the same offer passes.
    assert!(check(&valid_offer()).problems.is_empty());
}

#[test]
fn nda_must_be_in_the_dgefp_list_when_given() {
    let mut o = valid_offer();
    o.responsible.nda = Some("93060999906".into());
    assert_eq!(with_tables(&o), vec!["nda_undeclared"]);
    // A public body's NDA in the list is declared.
    let dgefp = format!("{DGEFP}9306P001706;LYCEE;130029754;13002975400020;true;true\r\n");
    let refs = References {
        organismes: Some(Organismes::parse(std::path::Path::new("d.csv"), dgefp.into()).unwrap()),
        ..References::default()
    };
    o.responsible.nda = Some("9306P001706".into());
    let v = run_with(&o, &refs);
    assert!(!codes(&v).contains(&"nda_undeclared"), "{:?}", codes(&v));
}

#[test]
fn qualiopi_from_the_dgefp_list_by_siret_then_siren() {
    // Declared "Non" but certified in the list: the list wins.
    let mut o = valid_offer();
    o.responsible.qualiopi = Some(false);
    assert_eq!(with_tables(&o), Vec::<&str>::new());
    // Another establishment of a listed SIREN (its head office is certified).
    o.responsible.siret = Some("13002975400038".into());
    assert!(identifiers::siret_valid("13002975400038"));
    let v = run_with(&o, &tables());
    assert!(!codes(&v).contains(&"qualiopi_missing"), "{:?}", codes(&v));
    // Listed without the apprenticeship mention.
    o.responsible.siret = Some("98222438800016".into());
    assert!(with_tables(&o).contains(&"qualiopi_missing"));
    // Not listed at all.
    o.responsible.siret = Some("77572845400205".into());
    assert!(with_tables(&o).contains(&"qualiopi_missing"));
}

#[test]
fn habilitation_from_the_certifiers_and_training_partners() {
    // Partner HABILITATION_FORMER of RNCP36629 (declared "Non": the table wins).
    let mut o = valid_offer();
    o.responsible.habilitation = Some(false);
    assert_eq!(with_tables(&o), Vec::<&str>::new());
    // Organiser only: not authorised to train.
    o.responsible.siret = Some("98222438800016".into());
    o.responsible.habilitation = Some(true);
    let v = run_with(&o, &tables());
    assert!(
        v.reasons.contains(&Reason::HabilitationMissing),
        "{:?}",
        codes(&v)
    );
}

#[test]
fn registration_must_run_until_the_start_date() {
    let mut o = valid_offer();
    o.rncp = Some("RNCP35000".into()); // registration ends 31/08/2027
    o.start = Some(d(2027, 8, 31)); // the day of the start: still registered
    o.end = Some(d(2029, 6, 30));
    assert_eq!(with_tables(&o), Vec::<&str>::new());
    o.start = Some(d(2027, 9, 1)); // ended the day before the start
    let v = run_with(&o, &tables());
    assert_eq!(codes(&v), vec!["rncp_expired"]);
    assert!(
        v.problems[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("31/08/2027")
    );
    o.rncp = Some("RNCP509".into()); // INACTIVE
    o.start = Some(d(2027, 9, 1));
    assert_eq!(with_tables(&o), vec!["rncp_expired"]);
}

#[test]
fn rncp_not_apprenticeship_and_unknown() {
    let mut o = valid_offer();
    o.rncp = Some("RS5000".into());
    assert_eq!(with_tables(&o), vec!["rncp_not_apprenticeship"]);
    o.rncp = Some("RNCP99999".into());
    let v = run_with(&o, &tables());
    assert_eq!(codes(&v), vec!["rncp_unknown"]);
    assert_eq!(
        v.status,
        Status::Published,
        "falls back to the declared habilitation"
    );
}

#[test]
fn coverage_lists_what_the_missing_tables_leave_unverified() {
    let communes = communes();
    let durations = Durations::shipped();
    let official = Official::builtin();
    let none = References::default();
    let ctx = Context {
        campaign_year: 2027,
        communes: &communes,
        durations: &durations,
        official: &official,
        references: &none,
    };
    let c = ctx.coverage();
    assert_eq!(
        c.declared_only,
        vec![Reason::QualiopiMissing, Reason::HabilitationMissing]
    );
    assert!(c.not_checked.contains(&Reason::SiretInactive));
    assert!(c.not_checked.contains(&Reason::NdaUndeclared));
    let all = tables();
    let ctx = Context {
        references: &all,
        ..ctx
    };
    assert!(ctx.coverage().declared_only.is_empty());
    assert_eq!(ctx.coverage().not_checked, vec![Reason::SiretInactive]);
}

#[test]
fn the_same_offer_under_two_ids_is_published_once() {
    let a = valid_offer();
    let mut b = valid_offer();
    b.id = "AF_2027_000999".into();
    b.row = 12;
    // Spelling of the town and street does not make another place.
    b.place.address.town = Some("NICE".into());
    b.place.address.street = Some("12, rue de la république".into());
    let mut other = valid_offer();
    other.id = "AF_2027_000777".into();
    other.row = 13;
    other.start = Some(d(2028, 1, 10));
    other.end = Some(d(2029, 12, 20));
    let communes = communes();
    let durations = Durations::shipped();
    let official = Official::builtin();
    let references = References::default();
    let ctx = Context {
        campaign_year: 2027,
        communes: &communes,
        durations: &durations,
        official: &official,
        references: &references,
    };
    let v = run(&[a, b, other], &ctx);
    assert_eq!(v[0].status, Status::Published);
    assert_eq!(codes(&v[0]), vec!["duplicate_offer"]);
    assert!(
        v[0].problems[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("AF_2027_000999 (ligne 12)")
    );
    assert_eq!(v[1].status, Status::NonReglementaire);
    assert_eq!(codes(&v[1]), vec!["duplicate_offer_copy"]);
    assert!(
        v[1].problems[0]
            .detail
            .as_deref()
            .unwrap()
            .contains("AF_2027_000123 (ligne 5)")
    );
    // Another start date is another session.
    assert!(v[2].problems.is_empty(), "{:?}", codes(&v[2]));

    // When the first copy is blocked for another reason, the second is the one shown.
    let mut a = valid_offer();
    a.responsible.uai = None;
    let mut b = valid_offer();
    b.id = "AF_2027_000999".into();
    b.row = 12;
    let v = run(&[a, b], &ctx);
    assert_eq!(codes(&v[0]), vec!["duplicate_offer_copy", "uai_missing"]);
    assert_eq!(v[1].status, Status::Published);
    assert_eq!(codes(&v[1]), vec!["duplicate_offer"]);
}
