//! `vitrine check` on exports with one planted problem per reason code: each offer ends
//! with the status and the reason codes its row calls for. A second export runs against
//! small reference tables written here in the real France compétences (zip of four CSVs),
//! DGEFP and SIRENE formats.

mod common;
use common::workbook::zip_parts;
use common::{Row, Site, said, write_xlsx};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// id → (status, blocking codes, warning codes), from `report/verdicts.json`.
fn verdicts(site: &Site) -> BTreeMap<String, (String, Vec<String>, Vec<String>)> {
    let text = std::fs::read_to_string(site.path("report/verdicts.json")).unwrap();
    let list: Vec<Value> = serde_json::from_str(&text).unwrap();
    let codes = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap().to_string())
            .collect()
    };
    let mut out = BTreeMap::new();
    for v in list {
        let key = format!("{}@{}", v["id"].as_str().unwrap(), v["row"]);
        out.insert(
            key,
            (
                v["status"].as_str().unwrap().to_string(),
                codes(&v["reasons"]),
                codes(&v["warnings"]),
            ),
        );
    }
    out
}

/// A row with one planted problem: (row, status, blocking codes, warning codes).
struct Case {
    row: Row,
    status: &'static str,
    reasons: &'static [&'static str],
    warnings: &'static [&'static str],
}

fn case(
    row: Row,
    status: &'static str,
    reasons: &'static [&'static str],
    warnings: &'static [&'static str],
) -> Case {
    Case {
        row,
        status,
        reasons,
        warnings,
    }
}

const NR: &str = "non_reglementaire";
const OK: &str = "published";

fn assert_cases(site: &Site, cases: &[Case]) {
    let got = verdicts(site);
    assert_eq!(got.len(), cases.len(), "one verdict per row: {got:#?}");
    for (i, c) in cases.iter().enumerate() {
        let key = format!("{}@{}", c.row.get("N° action"), i + 4);
        let (status, reasons, warnings) = got
            .get(&key)
            .unwrap_or_else(|| panic!("no verdict for {key}: {:?}", got.keys()));
        assert_eq!(
            (status.as_str(), reasons.as_slice(), warnings.as_slice()),
            (
                c.status,
                c.reasons_owned().as_slice(),
                c.warnings_owned().as_slice()
            ),
            "{key}"
        );
    }
}

impl Case {
    fn reasons_owned(&self) -> Vec<String> {
        self.reasons.iter().map(|s| s.to_string()).collect()
    }
    fn warnings_owned(&self) -> Vec<String> {
        self.warnings.iter().map(|s| s.to_string()).collect()
    }
}

fn v(id: &str) -> Row {
    Row::valid(id)
}

#[test]
fn one_planted_problem_per_reason_code() {
    let mut closed = v("AF_CLOSED")
        .set("Date de début 2027", "")
        .set("Date de fin 2027", "")
        .set("SIRET organisme responsable", "123");
    closed.yellow = true;
    let cases = vec![
        case(v("AF_OK"), OK, &[], &[]),
        case(v("AF_DUP"), NR, &["duplicate_id"], &[]),
        case(v("AF_DUP"), NR, &["duplicate_id"], &[]),
        case(
            v("AF_SIRET").set("SIRET organisme responsable", "73282932000075"),
            NR,
            &["siret_invalid"],
            &[],
        ),
        case(
            v("AF_SIRET_FORMATEUR").set("SIRET organisme formateur", "00000000000000"),
            NR,
            &["siret_invalid"],
            &[],
        ),
        case(
            v("AF_NDA_VIDE").set("N° de déclaration d'activité (NDA)", ""),
            NR,
            &["nda_missing"],
            &[],
        ),
        case(
            v("AF_NDA").set("N° de déclaration d'activité (NDA)", "9313000001"),
            NR,
            &["nda_invalid"],
            &[],
        ),
        case(
            v("AF_UAI_VIDE").set("UAI organisme responsable", ""),
            NR,
            &["uai_missing"],
            &[],
        ),
        case(
            v("AF_UAI")
                .set("UAI organisme responsable", "0133406H")
                .set("UAI lieu de formation", "0133406H"),
            NR,
            &["uai_invalid"],
            &[],
        ),
        case(
            v("AF_QUALIOPI").set("Qualiopi mention apprentissage", "Non"),
            NR,
            &["qualiopi_missing"],
            &[],
        ),
        case(
            v("AF_HABIL").set("Habilitation certificateur", "Non"),
            NR,
            &["habilitation_missing"],
            &[],
        ),
        case(
            v("AF_REFERENT").set("Référent handicap (nom)", ""),
            NR,
            &["handicap_referent_missing"],
            &[],
        ),
        case(
            v("AF_REF_CONTACT")
                .set("Référent handicap (téléphone)", "")
                .set("Référent handicap (courriel)", ""),
            NR,
            &["handicap_contact_missing"],
            &[],
        ),
        case(
            v("AF_CONTACT").set("Téléphone", "").set("Courriel", ""),
            NR,
            &["contact_missing"],
            &[],
        ),
        case(
            v("AF_RNCP_VIDE").set("Code RNCP", ""),
            NR,
            &["rncp_missing"],
            &[],
        ),
        case(
            v("AF_INTITULE").set("Intitulé de la formation", ""),
            NR,
            &["field_missing"],
            &[],
        ),
        case(
            v("AF_NDA_PUBLIC").set("N° de déclaration d'activité (NDA)", "9306P001706"),
            OK,
            &[],
            &[],
        ),
        case(
            v("AF_WWW").set("Site web", "www.cfa-metiers.example.fr"),
            OK,
            &[],
            &[],
        ),
        case(
            // BTS Podo-orthésiste: three years by regulation (BCN N_MEF, CFD 32033105).
            v("AF_BTS_3ANS")
                .set("Intitulé de la formation", "BTS Podo-orthésiste")
                .set("Type de diplôme", "BTS")
                .set("Niveau", "5")
                .set("Code diplôme (CFD)", "32033105")
                .set("Durée du cycle (mois)", "36")
                .set("Date de fin 2027", "30/06/2030"),
            OK,
            &[],
            &[],
        ),
        case(
            // A 12-month cycle of a three-year BUT "from the first year".
            v("AF_BUT_12")
                .set("Intitulé de la formation", "BUT Génie civil")
                .set("Type de diplôme", "BUT")
                .set("Niveau", "6")
                .set("Code diplôme (CFD)", "")
                .set("Durée du cycle (mois)", "12")
                .set("Date de fin 2027", "31/08/2028"),
            NR,
            &["first_year_not_apprenticeship"],
            &[],
        ),
        case(
            v("AF_COPIE_A").set("Adresse lieu de formation", "5 boulevard Longchamp"),
            OK,
            &[],
            &["duplicate_offer"],
        ),
        case(
            v("AF_COPIE_B").set("Adresse lieu de formation", "5, Boulevard Longchamp"),
            NR,
            &["duplicate_offer_copy"],
            &[],
        ),
        case(
            v("AF_NOM").set("Organisme formateur", "DUPONT*MARTIN/JEAN /"),
            OK,
            &[],
            &["name_suspicious"],
        ),
        case(
            v("AF_RNCP").set("Code RNCP", "RNCPabc"),
            NR,
            &["rncp_malformed"],
            &[],
        ),
        case(
            v("AF_DUREE")
                .set("Durée du cycle (mois)", "48")
                .set("Date de fin 2027", "31/08/2031"),
            NR,
            &["duration_inconsistent"],
            &[],
        ),
        case(
            v("AF_1RE").set("Entrée en 1re année en apprentissage", "Non"),
            NR,
            &["first_year_not_apprenticeship"],
            &[],
        ),
        case(
            v("AF_DATES_VIDES").set("Date de début 2027", ""),
            NR,
            &["dates_missing"],
            &[],
        ),
        case(
            v("AF_INVERSEES").set("Date de fin 2027", "31/08/2027"),
            NR,
            &["dates_inverted"],
            &[],
        ),
        case(
            v("AF_CAMPAGNE")
                .set("Date de début 2027", "01/09/2026")
                .set("Date de fin 2027", "31/08/2028"),
            NR,
            &["dates_out_of_campaign"],
            &[],
        ),
        case(
            v("AF_20KM")
                .set("Adresse lieu de formation", "1 avenue Jean Médecin")
                .set("Code postal", "06000")
                .set("Commune", "Nice")
                .set("Code commune INSEE", "06088"),
            NR,
            &["uai_distance"],
            &[],
        ),
        case(
            // A hamlet of no table, whose postcode serves five communes.
            v("AF_INCONNU")
                .set("Code postal", "04510")
                .set("Commune", "Hameau des Combes")
                .set("Code commune INSEE", ""),
            OK,
            &[],
            &["uai_distance_unverifiable"],
        ),
        case(
            v("AF_DATES_DUREE").set("Date de fin 2027", "30/06/2028"),
            OK,
            &[],
            &["dates_duration_mismatch"],
        ),
        case(
            v("AF_NIVEAU").set("Niveau", "5"),
            OK,
            &[],
            &["level_inconsistent"],
        ),
        case(
            v("AF_URL").set("Site web", "javascript:alert(1)"),
            OK,
            &[],
            &["url_invalid"],
        ),
        case(
            v("AF_CFD").set("Code diplôme (CFD)", "500-22427"),
            OK,
            &[],
            &["cfd_malformed"],
        ),
        case(
            v("AF_ILLISIBLE").set("Capacité d'accueil", "douze"),
            OK,
            &[],
            &["value_unreadable"],
        ),
        case(closed, "closed", &[], &[]),
    ];
    let site = Site::new();
    let input = site.path("plante.xlsx");
    let rows: Vec<Row> = cases.iter().map(|c| c.row.clone()).collect();
    write_xlsx(&input, &rows);
    let out = site.run(&["check", "--input", input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    assert_cases(&site, &cases);

    // Every reason code that needs no reference table was planted.
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(site.path("report/summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["rows_read"], cases.len());
    assert_eq!(summary["closed"], 1);
    assert_eq!(
        summary["declared_only"],
        serde_json::json!(["qualiopi_missing", "habilitation_missing"])
    );
    assert_eq!(
        summary["not_checked"],
        serde_json::json!([
            "siret_inactive",
            "nda_undeclared",
            "rncp_expired",
            "rncp_not_apprenticeship",
            "rncp_unknown"
        ])
    );
    let seen = |code: &str| {
        summary["reasons"].get(code).is_some() || summary["warnings"].get(code).is_some()
    };
    for reason in vitrine::model::Reason::ALL {
        let code = reason.code();
        let needs_table = summary["not_checked"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == code);
        assert!(needs_table || seen(code), "no planted case for {code}");
    }
    // The problem carries the column, the value and a detail.
    let text = std::fs::read_to_string(site.path("report/verdicts.json")).unwrap();
    let list: Vec<Value> = serde_json::from_str(&text).unwrap();
    let far = list.iter().find(|v| v["id"] == "AF_20KM").unwrap();
    let p = &far["problems"][0];
    assert_eq!(p["column"], "UAI lieu de formation");
    assert_eq!(p["value"], "0133406G");
    let detail = p["detail"].as_str().unwrap();
    assert!(
        detail.contains("km de l'organisme responsable (Marseille)"),
        "{detail}"
    );
}

// ------------------------------------------------------------ reference tables

fn q(cells: &[&str]) -> String {
    let quoted: Vec<String> = cells.iter().map(|c| format!("\"{c}\"")).collect();
    quoted.join(";") + "\r\n"
}

/// The France compétences export as downloaded: a zip of four quoted, `;`-separated,
/// CRLF CSVs, SIRET cells starting with a TAB.
fn write_france_competences(path: &Path) {
    let mut standard = q(&[
        "Id_Fiche",
        "Numero_Fiche",
        "Intitule",
        "Abrege_Libelle",
        "Nomenclature_Europe_Niveau",
        "Date_Fin_Enregistrement",
        "Date_Effet",
        "Type_Enregistrement",
        "Actif",
    ]);
    for (n, code, end, actif) in [
        ("1", "RNCP37472", "31/08/2028", "ACTIVE"),
        ("2", "RNCP35000", "31/08/2027", "ACTIVE"),
        ("3", "RNCP30000", "31/12/2020", "INACTIVE"),
        ("4", "RS5000", "31/12/2030", "ACTIVE"),
        ("5", "RNCP36000", "31/12/2030", "ACTIVE"),
    ] {
        standard += &q(&[
            n,
            code,
            "Métiers de la coiffure",
            "CAP",
            "NIV3",
            end,
            "01/09/2022",
            "Enregistrement de droit",
            actif,
        ]);
    }
    let mut voies = q(&["Numero_Fiche", "Si_Jury"]);
    for code in ["RNCP37472", "RNCP35000", "RNCP30000", "RNCP36000"] {
        voies += &q(&[code, "En contrat d’apprentissage"]);
        voies += &q(&[code, "Par expérience"]);
    }
    voies += &q(&["RS5000", "Par expérience"]);
    let mut certifiers = q(&["Numero_Fiche", "Siret_Certificateur", "Nom_Certificateur"]);
    for code in ["RNCP37472", "RNCP35000", "RNCP30000", "RS5000", "RNCP36000"] {
        certifiers += &q(&[
            code,
            "\t11004401300040",
            "MINISTERE DE L'EDUCATION NATIONALE",
        ]);
    }
    let mut partners = q(&[
        "Numero_Fiche",
        "Nom_Partenaire",
        "Siret_Partenaire",
        "Habilitation_Partenaire",
    ]);
    for code in ["RNCP37472", "RNCP35000", "RNCP30000", "RS5000"] {
        partners += &q(&[
            code,
            "CFA des Métiers",
            "\t73282932000074",
            "HABILITATION_FORMER",
        ]);
    }
    // On RNCP36000 the CFA only organises the exams.
    partners += &q(&[
        "RNCP36000",
        "CFA des Métiers",
        "\t73282932000074",
        "HABILITATION_ORGANISER",
    ]);

    zip_parts(
        path,
        &[
            ("export_fiches_CSV_Standard_2027_01_15.csv", standard),
            ("export_fiches_CSV_VoixdAccès_2027_01_15.csv", voies),
            (
                "export_fiches_CSV_Certificateurs_2027_01_15.csv",
                certifiers,
            ),
            ("export_fiches_CSV_Partenaires_2027_01_15.csv", partners),
        ],
    );
}

/// The DGEFP public list of training organisations (`;`, unquoted).
const DGEFP: &str = "numeroDeclarationActivite;numerosDeclarationActivitePrecedent;denomination;siren;siretEtablissementDeclarant;adressePhysiqueOrganismeFormation.codePostal;certifications.actionsDeFormation;certifications.bilansDeCompetences;certifications.VAE;certifications.actionsDeFormationParApprentissage\r\n\
93130000013;;CFA DES METIERS;732829320;73282932000074;13001;true;false;false;true\r\n\
93130000113;;ORGANISME SANS APPRENTISSAGE;982224388;98222438800016;13001;true;false;false;false\r\n";

/// A SIRENE establishments extract (INSEE's comma-separated stock format).
const SIRENE: &str = "siren,nic,siret,statutDiffusionEtablissement,etatAdministratifEtablissement\n\
732829320,00074,73282932000074,O,A\n\
982224388,00016,98222438800016,O,A\n\
193500303,00014,19350030300014,O,F\n";

#[test]
fn reference_tables_in_their_real_formats_drive_the_controls() {
    let site = Site::new();
    write_france_competences(&site.path("export-fiches-csv-2027-01-15.zip"));
    std::fs::write(site.path("dgefp.csv"), DGEFP).unwrap();
    std::fs::write(site.path("sirene.csv"), SIRENE).unwrap();
    let cases = vec![
        // Declared "Non" everywhere, but the tables say yes: published.
        case(
            v("AF_REF_OK")
                .set("Qualiopi mention apprentissage", "Non")
                .set("Habilitation certificateur", "Non"),
            OK,
            &[],
            &[],
        ),
        case(
            v("AF_REF_EXPIRE").set("Code RNCP", "RNCP35000"),
            NR,
            &["rncp_expired"],
            &[],
        ),
        case(
            v("AF_REF_INACTIVE").set("Code RNCP", "RNCP30000"),
            NR,
            &["rncp_expired"],
            &[],
        ),
        case(
            v("AF_REF_PAS_APPRENTI").set("Code RNCP", "RS5000"),
            NR,
            &["rncp_not_apprenticeship"],
            &[],
        ),
        case(
            v("AF_REF_INCONNUE").set("Code RNCP", "RNCP99999"),
            OK,
            &[],
            &["rncp_unknown"],
        ),
        case(
            v("AF_REF_HABIL").set("Code RNCP", "RNCP36000"),
            NR,
            &["habilitation_missing"],
            &[],
        ),
        case(
            v("AF_REF_NDA").set("N° de déclaration d'activité (NDA)", "93139999913"),
            NR,
            &["nda_undeclared"],
            &[],
        ),
        case(
            v("AF_REF_QUALIOPI")
                .set("SIRET organisme responsable", "98222438800016")
                .set("SIRET organisme formateur", "98222438800016"),
            NR,
            &["qualiopi_missing", "habilitation_missing"],
            &[],
        ),
        case(
            v("AF_REF_FERME").set("SIRET organisme formateur", "19350030300014"),
            NR,
            &["siret_inactive"],
            &[],
        ),
    ];
    let input = site.path("references.xlsx");
    let rows: Vec<Row> = cases.iter().map(|c| c.row.clone()).collect();
    write_xlsx(&input, &rows);
    let out = site.run(&[
        "check",
        "--input",
        input.to_str().unwrap(),
        "--rncp",
        "export-fiches-csv-2027-01-15.zip",
        "--organismes",
        "dgefp.csv",
        "--sirene",
        "sirene.csv",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    assert_cases(&site, &cases);
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(site.path("report/summary.json")).unwrap())
            .unwrap();
    assert_eq!(summary["declared_only"], serde_json::json!([]));
    assert_eq!(summary["not_checked"], serde_json::json!([]));
    assert_eq!(
        summary["references"]["rncp"],
        "export-fiches-csv-2027-01-15.zip"
    );

    // The same export, extracted in a folder, gives the same verdicts.
    let folder = site.path("fiches");
    std::fs::create_dir(&folder).unwrap();
    let mut archive = zip::ZipArchive::new(
        std::fs::File::open(site.path("export-fiches-csv-2027-01-15.zip")).unwrap(),
    )
    .unwrap();
    archive.extract(&folder).unwrap();
    let before = std::fs::read(site.path("report/verdicts.json")).unwrap();
    let out = site.run(&[
        "check",
        "--input",
        input.to_str().unwrap(),
        "--rncp",
        "fiches",
        "--organismes",
        "dgefp.csv",
        "--sirene",
        "sirene.csv",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", said(&out));
    assert_eq!(
        std::fs::read(site.path("report/verdicts.json")).unwrap(),
        before
    );
}

#[test]
fn a_malformed_reference_file_is_refused_naming_file_row_and_column() {
    let site = Site::new();
    let input = site.path("ok.xlsx");
    write_xlsx(&input, &[v("AF_1")]);
    std::fs::write(
        site.path("dgefp.csv"),
        DGEFP.replace(
            ";13001;true;false;false;false",
            ";13001;true;false;false;peut-être",
        ),
    )
    .unwrap();
    let out = site.run(&[
        "check",
        "--input",
        input.to_str().unwrap(),
        "--organismes",
        "dgefp.csv",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", said(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "dgefp.csv, row 3, column \"certifications.actionsDeFormationParApprentissage\""
        ),
        "{err}"
    );
    assert!(
        !site.path("report").exists(),
        "no report for an unusable run"
    );

    // A zip without its Partenaires CSV.
    zip_parts(
        &site.path("fiches.zip"),
        &[(
            "export_fiches_CSV_Standard_2027_01_15.csv",
            "Numero_Fiche\r\n",
        )],
    );
    let out = site.run(&[
        "check",
        "--input",
        input.to_str().unwrap(),
        "--rncp",
        "fiches.zip",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", said(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("fiches.zip") && err.contains("VoixdAccès"),
        "{err}"
    );

    // A sheet whose end date is not a date.
    std::fs::remove_file(site.path("fiches.zip")).unwrap();
    let path = site.path("export.zip");
    write_france_competences(&path);
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let folder = site.path("fiches");
    archive.extract(&folder).unwrap();
    let standard = folder.join("export_fiches_CSV_Standard_2027_01_15.csv");
    let text = std::fs::read_to_string(&standard)
        .unwrap()
        .replace("31/12/2020", "2020-13-45");
    std::fs::write(&standard, text).unwrap();
    let out = site.run(&[
        "check",
        "--input",
        input.to_str().unwrap(),
        "--rncp",
        "fiches",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", said(&out));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(
            "export_fiches_CSV_Standard_2027_01_15.csv, row 4, column \"Date_Fin_Enregistrement\""
        ),
        "{err}"
    );
}
