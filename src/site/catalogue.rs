//! `donnees/catalogue.json`: the published offers under the field names of the national
//! apprenticeship catalogue (« Catalogue de l'offre de formation en apprentissage des
//! ministères éducatifs », model `Formation` of github.com/mission-apprentissage/
//! catalogue-apprentissage, `server/src/common/model/schema/formation.d.ts`), so a
//! partner who reads that catalogue reads this one without a mapping.
//!
//! Same types as there: `duree`, `capacite`, `annee` are strings, `date_debut` /
//! `date_fin` / `periode` arrays of dates, `lieu_formation_geo_coordonnees` is
//! `"latitude,longitude"`. A field is left out when the offer has no value for it.
//!
//! Fields of the national model the BROF export has no source for, hence never written:
//! [`NO_SOURCE`].

use super::views::OfferView;
use serde::{Deserialize, Serialize};

/// Fields of the national catalogue's model that the BROF export cannot fill (national
/// identifiers, BCN/RNCP/ONISEP enrichments, statuses of the national platforms).
pub const NO_SOURCE: &[(&str, &str)] = &[
    (
        "cle_ministere_educatif",
        "clé attribuée par le catalogue national",
    ),
    (
        "id_formation",
        "identifiant de formation du réseau des Carif-Oref (l'export BROF ne donne que l'action)",
    ),
    (
        "id_certifinfo",
        "identifiant Certif Info, absent de l'export",
    ),
    (
        "intitule_long",
        "intitulé normalisé de la BCN (table non chargée)",
    ),
    ("intitule_court", "intitulé normalisé de la BCN"),
    (
        "rncp_intitule",
        "intitulé de la fiche RNCP (table France compétences facultative)",
    ),
    (
        "rncp_eligible_apprentissage",
        "contrôlé, mais la publication le suppose vrai",
    ),
    ("bcn_mefs_10", "codes MEF de la BCN"),
    ("onisep_url", "lien ONISEP, inconnu de l'export"),
    (
        "num_academie",
        "académie (table départements → académies non chargée)",
    ),
    ("nom_academie", "académie"),
    ("region", "code région du lieu"),
    (
        "lieu_formation_siret",
        "l'export donne l'UAI du lieu, pas son SIRET",
    ),
    (
        "etablissement_formateur_uai",
        "l'export donne l'UAI du lieu, pas celle du formateur",
    ),
    (
        "etablissement_formateur_nda",
        "NDA du seul organisme responsable dans l'export",
    ),
    (
        "niveau_entree_obligatoire",
        "niveau d'entrée non demandé dans l'export",
    ),
    ("entierement_a_distance", "non demandé dans l'export"),
    ("parcoursup_id", "identifiant attribué par Parcoursup"),
    ("parcoursup_statut", "statut tenu par le catalogue national"),
    ("affelnet_id", "identifiant attribué par Affelnet"),
    ("affelnet_statut", "statut tenu par le catalogue national"),
];

/// One offer under the national catalogue's field names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueFormation {
    /// The BROF `N° action` (the Carif-Oref action identifier the national catalogue
    /// receives as `id_action`).
    pub id_action: String,
    pub ids_action: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cfd: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub rncp_code: Option<String>,
    pub rome_codes: Vec<String>,
    /// Title as declared (`Nom de la formation déclaratif`).
    pub nom: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub diplome: Option<String>,
    /// `"3 (CAP, BEP)"`-like: the level number, then its plain-words label.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub niveau: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub objectif: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub uai_formation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub lieu_formation_adresse: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub code_postal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub code_commune_insee: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub localite: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub num_departement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub nom_departement: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub lieu_formation_geo_coordonnees: Option<String>,
    /// Cycle length in years, as a string (`"2"`; `"1.5"` for 18 months).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub duree: Option<String>,
    /// `"1"` when the apprenticeship starts in the first year of the cycle.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub annee: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub capacite: Option<String>,
    pub date_debut: Vec<String>,
    pub date_fin: Vec<String>,
    pub periode: Vec<String>,
    pub modalites_entrees_sorties: Vec<bool>,
    pub etablissement_gestionnaire_entreprise_raison_sociale: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub etablissement_gestionnaire_siret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub etablissement_gestionnaire_uai: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub etablissement_gestionnaire_nda: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub etablissement_gestionnaire_adresse: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub etablissement_gestionnaire_code_postal: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub etablissement_gestionnaire_localite: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub etablissement_gestionnaire_certifie_qualite: Option<bool>,
    pub etablissement_formateur_entreprise_raison_sociale: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub etablissement_formateur_siret: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub etablissement_formateur_courriel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub parcoursup_perimetre: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub affelnet_perimetre: Option<bool>,
    pub published: bool,
    pub catalogue_published: bool,
}

/// `24` months → `"2"`, `18` → `"1.5"` (the national catalogue counts in years).
fn years(months: u32) -> String {
    if months.is_multiple_of(12) {
        (months / 12).to_string()
    } else {
        let y = f64::from(months) / 12.0;
        let s = format!("{y:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// The national-catalogue record of a published offer.
pub fn record(o: &OfferView<'_>) -> CatalogueFormation {
    let d = o.details();
    let a = &o.place.address;
    let department_name = a
        .department
        .as_deref()
        .and_then(crate::communes::department_name)
        .map(str::to_string);
    let (trainer_name, trainer_siret) = match &d.trainer {
        Some(t) => (t.clone(), d.trainer_siret.clone()),
        None => (o.cfa.name.clone(), o.cfa.siret.clone()),
    };
    CatalogueFormation {
        id_action: o.id.clone(),
        ids_action: vec![o.id.clone()],
        cfd: o.cfd.clone(),
        rncp_code: o.rncp.clone(),
        rome_codes: d.rome.clone(),
        nom: o.title.clone(),
        diplome: o.diploma.clone(),
        niveau: o
            .level
            .zip(o.level_label)
            .map(|(n, l)| format!("{n} ({l})")),
        objectif: (!d.description.is_empty()).then(|| d.description.join("\n\n")),
        uai_formation: o.place.uai.clone(),
        lieu_formation_adresse: a.street.clone(),
        code_postal: a.postcode.clone(),
        code_commune_insee: a.insee.clone(),
        localite: a.town.clone(),
        num_departement: a.department.clone(),
        nom_departement: department_name,
        lieu_formation_geo_coordonnees: o
            .place
            .lat
            .zip(o.place.lon)
            .map(|(lat, lon)| format!("{lat},{lon}")),
        duree: d.cycle_months.map(years),
        annee: (d.first_year == Some(true)).then(|| "1".to_string()),
        capacite: o.capacity.map(|c| c.to_string()),
        date_debut: d.start_iso.iter().cloned().collect(),
        date_fin: d.end_iso.iter().cloned().collect(),
        periode: d.start_iso.iter().cloned().collect(),
        modalites_entrees_sorties: vec![false],
        etablissement_gestionnaire_entreprise_raison_sociale: o.cfa.name.clone(),
        etablissement_gestionnaire_siret: o.cfa.siret.clone(),
        etablissement_gestionnaire_uai: o.cfa.uai.clone(),
        etablissement_gestionnaire_nda: o.cfa.nda.clone(),
        etablissement_gestionnaire_adresse: o.cfa.address.street.clone(),
        etablissement_gestionnaire_code_postal: o.cfa.address.postcode.clone(),
        etablissement_gestionnaire_localite: o.cfa.address.town.clone(),
        etablissement_gestionnaire_certifie_qualite: o.cfa.qualiopi,
        etablissement_formateur_entreprise_raison_sociale: trainer_name,
        etablissement_formateur_siret: trainer_siret,
        etablissement_formateur_courriel: d.contact.email.as_ref().map(|e| e.text.clone()),
        parcoursup_perimetre: o.parcoursup,
        affelnet_perimetre: o.affelnet,
        published: true,
        catalogue_published: true,
    }
}

/// `catalogue.json` as records: an array, one offer per line, `<`, `>`, `&` escaped as
/// in `offres.json`.
pub fn layout() -> super::records::Layout<'static> {
    super::records::Layout {
        head: b"[\n".to_vec(),
        separator: b",\n",
        foot: b"\n]\n",
        record: Box::new(|o, out| out.extend_from_slice(&crate::safe::json_bytes(&record(o)))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_counted_in_years_as_the_national_catalogue_does() {
        assert_eq!(years(24), "2");
        assert_eq!(years(12), "1");
        assert_eq!(years(18), "1.5");
        assert_eq!(years(6), "0.5");
        assert_eq!(years(8), "0.67");
    }

    #[test]
    fn fields_without_a_source_are_never_written() {
        let names: Vec<&str> = NO_SOURCE.iter().map(|(n, _)| *n).collect();
        let record_fields = serde_json::to_value(CatalogueFormation {
            id_action: "A".into(),
            ids_action: vec![],
            cfd: None,
            rncp_code: None,
            rome_codes: vec![],
            nom: "x".into(),
            diplome: None,
            niveau: None,
            objectif: None,
            uai_formation: None,
            lieu_formation_adresse: None,
            code_postal: None,
            code_commune_insee: None,
            localite: None,
            num_departement: None,
            nom_departement: None,
            lieu_formation_geo_coordonnees: None,
            duree: None,
            annee: None,
            capacite: None,
            date_debut: vec![],
            date_fin: vec![],
            periode: vec![],
            modalites_entrees_sorties: vec![],
            etablissement_gestionnaire_entreprise_raison_sociale: "c".into(),
            etablissement_gestionnaire_siret: None,
            etablissement_gestionnaire_uai: None,
            etablissement_gestionnaire_nda: None,
            etablissement_gestionnaire_adresse: None,
            etablissement_gestionnaire_code_postal: None,
            etablissement_gestionnaire_localite: None,
            etablissement_gestionnaire_certifie_qualite: None,
            etablissement_formateur_entreprise_raison_sociale: "c".into(),
            etablissement_formateur_siret: None,
            etablissement_formateur_courriel: None,
            parcoursup_perimetre: None,
            affelnet_perimetre: None,
            published: true,
            catalogue_published: true,
        })
        .unwrap();
        for n in names {
            assert!(record_fields.get(n).is_none(), "{n}");
        }
    }
}
