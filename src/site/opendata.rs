//! Open data downloads of the published offers: `donnees/offres.json` (an array of
//! objects, each with at least `id` and `url`) and `donnees/offres.csv` (`;`, UTF-8 with
//! BOM for spreadsheet software, formulas neutralised).

use super::records::Layout;
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
pub fn record<'a>(o: &'a OfferView<'_>, base_url: &str) -> OpenOffer<'a> {
    let d = o.details();
    OpenOffer {
        id: &o.id,
        url: &o.url,
        intitule: &o.title,
        diplome: o.diploma.as_deref(),
        niveau: o.level,
        niveau_libelle: o.level_label,
        code_rncp: o.rncp.as_deref(),
        code_cfd: o.cfd.as_deref(),
        codes_rome: &d.rome,
        domaine: o.domain.as_deref(),
        description: d.description.join("\n\n"),
        organisme_responsable: &o.cfa.name,
        siret_responsable: o.cfa.siret.as_deref(),
        uai_responsable: o.cfa.uai.as_deref(),
        page_cfa: format!("{base_url}{}", o.cfa.path),
        organisme_formateur: d.trainer.as_deref().or(Some(&o.cfa.name)),
        uai_lieu: o.place.uai.as_deref(),
        adresse: o.place.address.street.as_deref(),
        code_postal: o.place.address.postcode.as_deref(),
        commune: o.place.address.town.as_deref(),
        departement: o.place.address.department.as_deref(),
        latitude: o.place.lat,
        longitude: o.place.lon,
        telephone: d.contact.phone.as_ref().map(|p| p.display.as_str()),
        courriel: d.contact.email.as_ref().map(|e| e.text.as_str()),
        site_web: d.contact.website.as_deref(),
        referent_handicap_telephone: o.referent.phone.as_ref().map(|p| p.display.as_str()),
        referent_handicap_courriel: o.referent.email.as_ref().map(|e| e.text.as_str()),
        duree_mois: d.cycle_months,
        rythme: d.rhythm.as_deref(),
        capacite: o.capacity,
        parcoursup: o.parcoursup,
        affelnet: o.affelnet,
        date_debut: d.start_iso.as_deref(),
        date_fin: d.end_iso.as_deref(),
        nouveau: o.new,
    }
}

/// `offres.json` as records: an array in catalogue order, one offer per line (compact,
/// yet a diff or a `grep` shows one offer at a time).
pub fn json_layout(base_url: &str) -> Layout<'_> {
    Layout {
        head: b"[\n".to_vec(),
        separator: b",\n",
        foot: b"\n]\n",
        record: Box::new(move |o, out| {
            let line = serde_json::to_string(&record(o, base_url)).expect("plain data serialises");
            // `<`, `>`, `&` as `\u` escapes: the same data, and no markup for a browser
            // that would sniff the file as HTML.
            out.extend_from_slice(crate::safe::json_for_html(&line).as_bytes());
        }),
    }
}

/// [`crate::safe::neutralise`], owned (the record's cells are `String`s).
fn neutralise(cell: &str) -> String {
    crate::safe::neutralise(cell).into_owned()
}

/// `offres.csv` as records: the same records, `;`-separated, CRLF; the BOM and the
/// header, then a row per offer.
pub fn csv_layout(base_url: &str) -> Layout<'_> {
    let mut head = crate::safe::BOM.to_vec();
    {
        // The header is the schema: one list of columns for both.
        let mut w = crate::safe::excel_csv_to(&mut head);
        w.write_record(FIELDS.iter().map(|f| f.name))
            .expect("writing to memory cannot fail");
        w.flush().expect("writing to memory cannot fail");
    }
    Layout {
        head,
        separator: b"",
        foot: b"",
        record: Box::new(move |o, out| {
            let mut w = crate::safe::excel_csv_to(out);
            w.write_record(csv_row(o, base_url))
                .expect("writing to memory cannot fail");
            w.flush().expect("writing to memory cannot fail");
        }),
    }
}

/// One offer's cells, in the order of [`FIELDS`].
fn csv_row(o: &OfferView<'_>, base_url: &str) -> Vec<String> {
    let yes_no = |b: Option<bool>| match b {
        Some(true) => "oui".to_string(),
        Some(false) => "non".to_string(),
        None => String::new(),
    };
    let opt = |s: Option<&str>| s.map(neutralise).unwrap_or_default();
    let num = |n: Option<u32>| n.map(|n| n.to_string()).unwrap_or_default();
    let coord = |n: Option<f64>| n.map(|n| format!("{n:.6}")).unwrap_or_default();
    let r = record(o, base_url);
    vec![
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
    ]
}

/// One column of the open data, described for reusers (Table Schema field).
pub struct Field {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// Table Schema type: `string`, `integer`, `number`, `boolean`, `date`.
    pub kind: &'static str,
    /// Table Schema format (`uri`, `email`) or `None` for the default.
    pub format: Option<&'static str>,
    /// A regular expression every non-empty value matches.
    pub pattern: Option<&'static str>,
    pub required: bool,
    pub example: &'static str,
}

const fn f(
    name: &'static str,
    title: &'static str,
    description: &'static str,
    kind: &'static str,
    example: &'static str,
) -> Field {
    Field {
        name,
        title,
        description,
        kind,
        format: None,
        pattern: None,
        required: false,
        example,
    }
}

const fn pattern(mut field: Field, p: &'static str) -> Field {
    field.pattern = Some(p);
    field
}

const fn format(mut field: Field, fmt: &'static str) -> Field {
    field.format = Some(fmt);
    field
}

const fn required(mut field: Field) -> Field {
    field.required = true;
    field
}

/// The columns of `offres.csv`, in order (the keys of each `offres.json` object).
pub const FIELDS: &[Field] = &[
    required(f(
        "id",
        "Numéro d'action",
        "Identifiant stable de l'action de formation dans la Base régionale de l'offre de formation (BROF) du Carif-Oref.",
        "string",
        "AF_2027_000123",
    )),
    required(format(
        f(
            "url",
            "Page de l'offre",
            "Adresse de la page publique de l'offre sur le catalogue.",
            "string",
            "https://apprentissage-paca.netlify.app/formations/00/cap-coiffure-af-2027-000123/",
        ),
        "uri",
    )),
    required(f(
        "intitule",
        "Intitulé",
        "Intitulé public de la formation.",
        "string",
        "CAP Métiers de la coiffure",
    )),
    f(
        "diplome",
        "Diplôme",
        "Famille du diplôme ou du titre préparé, en clair (CAP, Bac pro, BTS…).",
        "string",
        "CAP",
    ),
    pattern(
        f(
            "niveau",
            "Niveau",
            "Niveau de la certification dans le cadre national des certifications de 2019 (3 à 8).",
            "integer",
            "3",
        ),
        "^[3-8]$",
    ),
    f(
        "niveau_libelle",
        "Niveau (en clair)",
        "Le niveau dans les mots des familles : Infrabac, Bac, Bac+2, Bac+3, Bac+5, Doctorat.",
        "string",
        "Infrabac",
    ),
    pattern(
        f(
            "code_rncp",
            "Code RNCP ou RS",
            "Code de la fiche au Répertoire national des certifications professionnelles (RNCP…) ou au Répertoire spécifique (RS…), tenu par France compétences.",
            "string",
            "RNCP37472",
        ),
        "^(RNCP|RS)[0-9]{1,6}$",
    ),
    pattern(
        f(
            "code_cfd",
            "Code formation diplôme (CFD)",
            "Code du diplôme dans la Base centrale des nomenclatures (BCN) de l'Éducation nationale.",
            "string",
            "50033616",
        ),
        "^[A-Z0-9]{3}[0-9]{3}[A-Z0-9]{2}[A-Z]?$",
    ),
    pattern(
        f(
            "codes_rome",
            "Codes ROME",
            "Métiers visés, codes du Répertoire opérationnel des métiers et des emplois de France Travail, séparés par des virgules (une liste dans offres.json).",
            "string",
            "D1202",
        ),
        "^[A-N][0-9]{4}(,[A-N][0-9]{4})*$",
    ),
    f(
        "domaine",
        "Domaine",
        "Domaine de formation déclaré (Formacode ou NSF, ou texte libre).",
        "string",
        "Coiffure, esthétique",
    ),
    required(f(
        "organisme_responsable",
        "Organisme responsable",
        "Nom du CFA responsable, qui signe la convention de formation de l'apprenti.",
        "string",
        "CFA des Métiers de Marseille",
    )),
    pattern(
        f(
            "siret_responsable",
            "SIRET de l'organisme responsable",
            "Numéro SIRET (14 chiffres) de l'organisme responsable.",
            "string",
            "73282932000074",
        ),
        "^[0-9]{14}$",
    ),
    pattern(
        f(
            "uai_responsable",
            "UAI de l'organisme responsable",
            "Code UAI (unité administrative immatriculée, 7 caractères et une lettre clé) de l'organisme responsable.",
            "string",
            "0133406G",
        ),
        "^[0-9]{3}[0-9A-Z][0-9]{3}[A-Z]$",
    ),
    required(format(
        f(
            "page_cfa",
            "Page du CFA",
            "Adresse de la page du CFA sur le catalogue, avec toutes ses formations.",
            "string",
            "https://apprentissage-paca.netlify.app/cfa/cfa-des-metiers-de-marseille-73282932000074/",
        ),
        "uri",
    )),
    f(
        "organisme_formateur",
        "Organisme formateur",
        "Nom de l'organisme qui dispense la formation (le CFA responsable lui-même le plus souvent).",
        "string",
        "CFA des Métiers de Marseille",
    ),
    pattern(
        f(
            "uai_lieu",
            "UAI du lieu de formation",
            "Code UAI du lieu où se déroule la formation.",
            "string",
            "0133406G",
        ),
        "^[0-9]{3}[0-9A-Z][0-9]{3}[A-Z]$",
    ),
    f(
        "adresse",
        "Adresse du lieu",
        "Numéro et voie du lieu de formation.",
        "string",
        "12 rue de la République",
    ),
    pattern(
        f(
            "code_postal",
            "Code postal du lieu",
            "Code postal du lieu de formation.",
            "string",
            "13001",
        ),
        "^[0-9][0-9AB][0-9]{3}$",
    ),
    f(
        "commune",
        "Commune du lieu",
        "Commune du lieu de formation.",
        "string",
        "Marseille",
    ),
    pattern(
        f(
            "departement",
            "Département du lieu",
            "Code du département du lieu de formation, déduit du code postal.",
            "string",
            "13",
        ),
        "^([0-9]{2}|2A|2B|97[0-9])$",
    ),
    f(
        "latitude",
        "Latitude",
        "Latitude du lieu de formation, en degrés décimaux (WGS 84).",
        "number",
        "43.296482",
    ),
    f(
        "longitude",
        "Longitude",
        "Longitude du lieu de formation, en degrés décimaux (WGS 84).",
        "number",
        "5.36978",
    ),
    f(
        "telephone",
        "Téléphone",
        "Téléphone de contact de la formation, tel que déclaré.",
        "string",
        "04 91 12 34 56",
    ),
    f(
        "courriel",
        "Courriel",
        "Adresse électronique de contact de la formation.",
        "string",
        "contact@cfa.example.fr",
    ),
    format(
        f(
            "site_web",
            "Site web",
            "Site web de la formation ou du CFA (seulement une adresse http ou https).",
            "string",
            "https://cfa.example.fr",
        ),
        "uri",
    ),
    f(
        "referent_handicap_telephone",
        "Téléphone du référent handicap",
        "Téléphone du référent handicap du CFA.",
        "string",
        "04 91 12 34 57",
    ),
    f(
        "referent_handicap_courriel",
        "Courriel du référent handicap",
        "Adresse électronique du référent handicap du CFA.",
        "string",
        "handicap@cfa.example.fr",
    ),
    f(
        "duree_mois",
        "Durée du cycle (mois)",
        "Durée du cycle de formation, en mois.",
        "integer",
        "24",
    ),
    f(
        "rythme",
        "Rythme de l'alternance",
        "Répartition du temps entre le CFA et l'entreprise, telle que déclarée.",
        "string",
        "2 jours CFA / 3 jours entreprise",
    ),
    f(
        "capacite",
        "Capacité d'accueil",
        "Nombre de places.",
        "integer",
        "12",
    ),
    f(
        "parcoursup",
        "Sur Parcoursup",
        "La formation est proposée sur Parcoursup (oui / non ; vide si non renseigné).",
        "boolean",
        "non",
    ),
    f(
        "affelnet",
        "Sur Affelnet",
        "La formation est proposée sur Affelnet-lycée, après la 3e (oui / non ; vide si non renseigné).",
        "boolean",
        "oui",
    ),
    f(
        "date_debut",
        "Date de début",
        "Date de début de la session de la rentrée de la campagne (AAAA-MM-JJ).",
        "date",
        "2027-09-01",
    ),
    f(
        "date_fin",
        "Date de fin",
        "Date de fin de la session (AAAA-MM-JJ).",
        "date",
        "2029-08-31",
    ),
    required(f(
        "nouveau",
        "Nouvelle formation",
        "La formation est nouvelle cette année (oui / non).",
        "boolean",
        "non",
    )),
    f(
        "description",
        "Description",
        "Description publique de la formation (paragraphes séparés par une ligne vide).",
        "string",
        "Deux ans pour apprendre le métier de coiffeur.",
    ),
];

/// `schema.json`: the Table Schema of `offres.csv` (and of the objects of
/// `offres.json`), as data.gouv.fr reads it.
pub fn schema(site_title: &str, publisher: &str, base_url: &str, licence: &Licence) -> Vec<u8> {
    let fields: Vec<serde_json::Value> = FIELDS
        .iter()
        .map(|f| {
            let mut v = serde_json::json!({
                "name": f.name,
                "title": f.title,
                "description": f.description,
                "type": f.kind,
                "example": f.example,
            });
            if let Some(fmt) = f.format {
                v["format"] = fmt.into();
            }
            if f.kind == "boolean" {
                v["trueValues"] = serde_json::json!(["oui"]);
                v["falseValues"] = serde_json::json!(["non"]);
            }
            let mut constraints = serde_json::Map::new();
            if f.required {
                constraints.insert("required".into(), true.into());
            }
            if let Some(p) = f.pattern {
                constraints.insert("pattern".into(), p.into());
            }
            if !constraints.is_empty() {
                v["constraints"] = constraints.into();
            }
            v
        })
        .collect();
    let doc = serde_json::json!({
        "$schema": "https://frictionlessdata.io/schemas/table-schema.json",
        "name": "offres-apprentissage",
        "title": format!("Offre de formation en apprentissage – {site_title}"),
        "description": "Les formations en apprentissage publiées au catalogue : une ligne par action de formation (une session dans un lieu, pour la rentrée de la campagne). Fichiers : offres.csv (séparateur « ; », UTF-8 avec BOM) et offres.json (mêmes champs ; codes_rome y est une liste).",
        "countryCode": "FR",
        "homepage": format!("{base_url}/donnees/"),
        "path": format!("{base_url}/donnees/schema.json"),
        "licenses": [{"title": licence.name, "path": licence.url}],
        "contributors": [{"title": publisher, "role": "author"}],
        "missingValues": [""],
        "primaryKey": "id",
        "fields": fields,
    });
    crate::safe::json_bytes(&doc)
}

/// The licence the open data is published under.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Licence {
    pub name: String,
    pub url: String,
}
