//! Open data downloads of the published offers: `donnees/offres.json` (an array of
//! objects, each with at least `id` and `url`) and `donnees/offres.csv` (`;`, UTF-8 with
//! BOM for spreadsheet software, formulas neutralised).

use super::views::OfferView;
use serde::Serialize;

/// One offer in the open data files (French field names, as reusers expect).
#[derive(Debug, Serialize)]
pub struct OpenOffer<'a> {
    pub id: &'a str,
    pub url: &'a str,
    pub intitule: &'a str,
    pub diplome: Option<&'a str>,
    pub niveau: Option<u8>,
    pub niveau_libelle: Option<&'a str>,
    pub code_rncp: Option<&'a str>,
    pub code_cfd: Option<&'a str>,
    pub codes_rome: &'a [String],
    pub domaine: Option<&'a str>,
    pub description: String,
    pub organisme_responsable: &'a str,
    pub siret_responsable: Option<&'a str>,
    pub uai_responsable: Option<&'a str>,
    pub page_cfa: String,
    pub organisme_formateur: Option<&'a str>,
    pub uai_lieu: Option<&'a str>,
    pub adresse: Option<&'a str>,
    pub code_postal: Option<&'a str>,
    pub commune: Option<&'a str>,
    pub departement: Option<&'a str>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub telephone: Option<&'a str>,
    pub courriel: Option<&'a str>,
    pub site_web: Option<&'a str>,
    pub referent_handicap_telephone: Option<&'a str>,
    pub referent_handicap_courriel: Option<&'a str>,
    pub duree_mois: Option<u32>,
    pub rythme: Option<&'a str>,
    pub capacite: Option<u32>,
    pub parcoursup: Option<bool>,
    pub affelnet: Option<bool>,
    pub date_debut: Option<&'a str>,
    pub date_fin: Option<&'a str>,
    pub nouveau: bool,
}

/// The open-data record of an offer.
pub fn record<'a>(o: &'a OfferView, base_url: &str) -> OpenOffer<'a> {
    OpenOffer {
        id: &o.id,
        url: &o.url,
        intitule: &o.title,
        diplome: o.diploma.as_deref(),
        niveau: o.level,
        niveau_libelle: o.level_label,
        code_rncp: o.rncp.as_deref(),
        code_cfd: o.cfd.as_deref(),
        codes_rome: &o.rome,
        domaine: o.domain.as_deref(),
        description: o.description.join("\n\n"),
        organisme_responsable: &o.cfa.name,
        siret_responsable: o.cfa.siret.as_deref(),
        uai_responsable: o.cfa.uai.as_deref(),
        page_cfa: format!("{base_url}{}", o.cfa.path),
        organisme_formateur: o.trainer.as_deref().or(Some(&o.cfa.name)),
        uai_lieu: o.place.uai.as_deref(),
        adresse: o.place.address.street.as_deref(),
        code_postal: o.place.address.postcode.as_deref(),
        commune: o.place.address.town.as_deref(),
        departement: o.place.address.department.as_deref(),
        latitude: o.place.lat,
        longitude: o.place.lon,
        telephone: o.contact.phone.as_ref().map(|p| p.display.as_str()),
        courriel: o.contact.email.as_ref().map(|e| e.text.as_str()),
        site_web: o.contact.website.as_deref(),
        referent_handicap_telephone: o.referent.phone.as_ref().map(|p| p.display.as_str()),
        referent_handicap_courriel: o.referent.email.as_ref().map(|e| e.text.as_str()),
        duree_mois: o.cycle_months,
        rythme: o.rhythm.as_deref(),
        capacite: o.capacity,
        parcoursup: o.parcoursup,
        affelnet: o.affelnet,
        date_debut: o.start_iso.as_deref(),
        date_fin: o.end_iso.as_deref(),
        nouveau: o.new,
    }
}

/// `offres.json`: an array in catalogue order, one offer per line (compact, yet a
/// diff or a `grep` shows one offer at a time).
pub fn json(offers: &[&OfferView], base_url: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(offers.len() * 1200 + 4);
    out.extend_from_slice(b"[\n");
    for (i, o) in offers.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        let line = serde_json::to_string(&record(o, base_url)).expect("plain data serialises");
        // `<`, `>`, `&` as `\u` escapes: the same data, and no markup for a browser
        // that would sniff the file as HTML.
        out.extend_from_slice(crate::safe::json_for_html(&line).as_bytes());
    }
    out.extend_from_slice(b"\n]\n");
    out
}

/// [`crate::safe::neutralise`], owned (the record's cells are `String`s).
fn neutralise(cell: &str) -> String {
    crate::safe::neutralise(cell).into_owned()
}

/// `offres.csv`: same records, `;`-separated, BOM, CRLF.
pub fn csv(offers: &[&OfferView], base_url: &str) -> Vec<u8> {
    let mut w = crate::safe::excel_csv();
    let yes_no = |b: Option<bool>| match b {
        Some(true) => "oui".to_string(),
        Some(false) => "non".to_string(),
        None => String::new(),
    };
    let opt = |s: Option<&str>| s.map(neutralise).unwrap_or_default();
    let num = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    let coord = |n: Option<f64>| n.map(|n| format!("{n:.6}")).unwrap_or_default();
    w.write_record([
        "id",
        "url",
        "intitule",
        "diplome",
        "niveau",
        "niveau_libelle",
        "code_rncp",
        "code_cfd",
        "codes_rome",
        "domaine",
        "organisme_responsable",
        "siret_responsable",
        "uai_responsable",
        "page_cfa",
        "organisme_formateur",
        "uai_lieu",
        "adresse",
        "code_postal",
        "commune",
        "departement",
        "latitude",
        "longitude",
        "telephone",
        "courriel",
        "site_web",
        "referent_handicap_telephone",
        "referent_handicap_courriel",
        "duree_mois",
        "rythme",
        "capacite",
        "parcoursup",
        "affelnet",
        "date_debut",
        "date_fin",
        "nouveau",
        "description",
    ])
    .expect("in-memory write");
    for o in offers {
        let r = record(o, base_url);
        w.write_record([
            neutralise(r.id),
            r.url.to_string(),
            neutralise(r.intitule),
            opt(r.diplome),
            r.niveau.map(|n| n.to_string()).unwrap_or_default(),
            opt(r.niveau_libelle),
            opt(r.code_rncp),
            opt(r.code_cfd),
            neutralise(&r.codes_rome.join(",")),
            opt(r.domaine),
            neutralise(r.organisme_responsable),
            opt(r.siret_responsable),
            opt(r.uai_responsable),
            r.page_cfa.clone(),
            opt(r.organisme_formateur),
            opt(r.uai_lieu),
            opt(r.adresse),
            opt(r.code_postal),
            opt(r.commune),
            opt(r.departement),
            coord(r.latitude),
            coord(r.longitude),
            opt(r.telephone),
            opt(r.courriel),
            opt(r.site_web),
            opt(r.referent_handicap_telephone),
            opt(r.referent_handicap_courriel),
            num(r.duree_mois),
            opt(r.rythme),
            num(r.capacite),
            yes_no(r.parcoursup),
            yes_no(r.affelnet),
            opt(r.date_debut),
            opt(r.date_fin),
            if r.nouveau { "oui" } else { "non" }.to_string(),
            neutralise(&r.description),
        ])
        .expect("in-memory write");
    }
    crate::safe::excel_csv_bytes(w)
}
