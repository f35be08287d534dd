//! Plain-French wording of each reason code: a short label and what the CFA must do.
//! The report and `docs/controles.md` say the same thing.

use crate::model::Reason;

/// A short label of the reason, as a heading.
pub fn label(reason: Reason) -> &'static str {
    match reason {
        Reason::DuplicateId => "N° action en double",
        Reason::DuplicateOfferCopy => "Offre saisie deux fois (copie non publiée)",
        Reason::FieldMissing => "Colonne obligatoire vide",
        Reason::SiretInvalid => "SIRET invalide",
        Reason::SiretInactive => "SIRET fermé",
        Reason::NdaMissing => "NDA manquant",
        Reason::NdaUndeclared => "Organisme non déclaré (NDA absent de la liste publique)",
        Reason::NdaInvalid => "NDA mal formé",
        Reason::UaiMissing => "UAI manquant",
        Reason::UaiInvalid => "UAI invalide",
        Reason::QualiopiMissing => "Qualiopi apprentissage manquant",
        Reason::HabilitationMissing => "Habilitation du certificateur manquante",
        Reason::HandicapReferentMissing => "Référent handicap non désigné",
        Reason::HandicapContactMissing => "Référent handicap injoignable",
        Reason::ContactMissing => "Contact de la formation manquant",
        Reason::RncpMissing => "Code RNCP manquant",
        Reason::RncpMalformed => "Code RNCP mal formé",
        Reason::RncpExpired => "Certification non active à la rentrée",
        Reason::RncpNotApprenticeship => "Certification non ouverte à l'apprentissage",
        Reason::DurationInconsistent => "Durée incohérente avec le diplôme",
        Reason::FirstYearNotApprenticeship => "Pas d'apprentissage dès la 1re année",
        Reason::DatesMissing => "Dates de session manquantes",
        Reason::DatesInverted => "Dates inversées",
        Reason::DatesOutOfCampaign => "Rentrée hors campagne",
        Reason::UaiDistance => "Lieu de formation à plus de 20 km sans UAI propre",
        Reason::UaiDistanceUnverifiable => "Distance au lieu de formation non vérifiable",
        Reason::DatesDurationMismatch => "Dates et durée du cycle discordantes",
        Reason::LevelInconsistent => "Niveau incohérent avec le diplôme",
        Reason::UrlInvalid => "Site web invalide",
        Reason::RncpUnknown => "Fiche RNCP inconnue",
        Reason::CfdMalformed => "Code diplôme (CFD) mal formé",
        Reason::DuplicateOffer => "Offre saisie deux fois",
        Reason::NameSuspicious => "Nom à vérifier (caractères parasites)",
        Reason::ValueUnreadable => "Valeur illisible",
    }
}

/// The check itself (not its failure), for the lists of controls a missing reference
/// table leaves unverified.
pub fn control(reason: Reason) -> &'static str {
    match reason {
        Reason::NdaUndeclared => {
            "déclaration d'activité : NDA présent dans la liste publique (liste DGEFP non fournie)"
        }
        Reason::QualiopiMissing => {
            "Qualiopi apprentissage : colonne « Qualiopi mention apprentissage » (liste DGEFP non fournie)"
        }
        Reason::HabilitationMissing => {
            "habilitation : colonne « Habilitation certificateur » (export France compétences non fourni)"
        }
        Reason::SiretInactive => {
            "établissement actif au répertoire SIRENE (extrait SIRENE non fourni)"
        }
        Reason::RncpExpired => {
            "certification active à la date de début (export France compétences non fourni)"
        }
        Reason::RncpNotApprenticeship => {
            "certification ouverte à l'apprentissage (export France compétences non fourni)"
        }
        Reason::RncpUnknown => {
            "fiche présente au répertoire (export France compétences non fourni)"
        }
        other => label(other),
    }
}

/// What the CFA must do, in one or two sentences.
pub fn advice(reason: Reason) -> &'static str {
    match reason {
        Reason::DuplicateId => {
            "Chaque ligne doit avoir son propre N° action : ne dupliquez pas une ligne, \
             ajoutez une nouvelle action sans N° ou corrigez le numéro."
        }
        Reason::SiretInvalid => {
            "Indiquez le SIRET à 14 chiffres de l'établissement (avis de situation SIRENE \
             sur avis-situation-sirene.insee.fr)."
        }
        Reason::SiretInactive => {
            "L'établissement est fermé au répertoire SIRENE : indiquez le SIRET de \
             l'établissement actif."
        }
        Reason::DuplicateOfferCopy => {
            "Cette ligne décrit la même offre qu'une autre ligne (même organisme, même \
             diplôme, même lieu, même date de début) sous un autre N° action : seule la \
             première est publiée. Supprimez la copie, ou corrigez ce qui distingue les \
             deux sessions."
        }
        Reason::FieldMissing => {
            "Cette colonne est obligatoire : remplissez-la pour que l'offre puisse être \
             publiée."
        }
        Reason::NdaMissing => {
            "Indiquez le numéro de déclaration d'activité (11 caractères, ex. 93131234513, \
             ou 9306P001706 pour un organisme public), tel qu'il figure sur le récépissé \
             de la DREETS."
        }
        Reason::NdaUndeclared => {
            "Ce numéro de déclaration d'activité n'apparaît pas dans la liste publique des \
             organismes de formation : vérifiez-le sur le récépissé, ou régularisez la \
             déclaration auprès de la DREETS (une déclaration caduque doit être renouvelée)."
        }
        Reason::NdaInvalid => {
            "Le numéro de déclaration d'activité compte 11 caractères : 11 chiffres, ou, \
             pour un organisme public, un P en 5e position (ex. 9306P001706) ; recopiez-le \
             depuis le récépissé de la DREETS."
        }
        Reason::UaiMissing => {
            "Indiquez l'UAI de l'organisme responsable (8 caractères, ex. 0133406G), \
             attribué par le rectorat."
        }
        Reason::UaiInvalid => {
            "Vérifiez l'UAI : 7 chiffres suivis d'une lettre clé (ex. 0133406G) ; \
             la lettre ne correspond pas aux chiffres."
        }
        Reason::QualiopiMissing => {
            "L'organisme responsable doit détenir la certification Qualiopi au titre des \
             actions de formation par apprentissage ; transmettez le certificat ou \
             corrigez la colonne."
        }
        Reason::HabilitationMissing => {
            "L'organisme doit être habilité par le certificateur à préparer cette \
             certification : transmettez l'habilitation ou faites-la enregistrer auprès \
             de France compétences."
        }
        Reason::HandicapReferentMissing => "Indiquez le nom du référent handicap.",
        Reason::HandicapContactMissing => {
            "Indiquez un téléphone ou un courriel valide pour joindre le référent handicap."
        }
        Reason::ContactMissing => {
            "Indiquez un téléphone (10 chiffres) ou un courriel valide pour joindre la formation."
        }
        Reason::RncpMissing => {
            "Indiquez le code de la fiche RNCP (ex. RNCP36629) ou RS de la certification \
             préparée : il figure sur francecompetences.fr."
        }
        Reason::RncpMalformed => {
            "Indiquez le code de la fiche : RNCP suivi de 3 à 5 chiffres (ex. RNCP36629), \
             ou RS suivi du numéro."
        }
        Reason::RncpExpired => {
            "La certification doit être active au répertoire à la date de début de la \
             session : choisissez la fiche qui la remplace."
        }
        Reason::RncpNotApprenticeship => {
            "Cette certification n'est pas accessible par l'apprentissage : vérifiez le \
             code RNCP ou retirez l'offre."
        }
        Reason::DurationInconsistent => {
            "Corrigez la durée du cycle en mois : elle doit correspondre à la durée \
             habituelle du diplôme."
        }
        Reason::FirstYearNotApprenticeship => {
            "Pour être publiée, la formation doit être ouverte en apprentissage dès la \
             1re année ; corrigez la colonne si c'est le cas."
        }
        Reason::DatesMissing => {
            "Indiquez les dates de début et de fin de la session (des dates prévisionnelles \
             sont acceptées, ex. 01/09/2027 au 30/06/2028)."
        }
        Reason::DatesInverted => "La date de fin doit suivre la date de début : corrigez-les.",
        Reason::DatesOutOfCampaign => {
            "La date de début doit tomber dans la campagne (du 1er août au 31 juillet suivant)."
        }
        Reason::UaiDistance => {
            "Le lieu de formation est à plus de 20 km de l'organisme responsable : \
             indiquez l'UAI propre du lieu de formation (à demander au rectorat)."
        }
        Reason::UaiDistanceUnverifiable => {
            "Vérifiez la commune et le code postal (ou ajoutez latitude et longitude) pour \
             que la distance puisse être contrôlée."
        }
        Reason::DatesDurationMismatch => {
            "Les dates de la session ne correspondent pas à la durée du cycle : vérifiez \
             l'une ou l'autre."
        }
        Reason::LevelInconsistent => "Vérifiez le niveau indiqué pour ce diplôme.",
        Reason::UrlInvalid => {
            "Indiquez l'adresse complète du site, commençant par https:// (ex. \
             https://www.mon-cfa.fr)."
        }
        Reason::RncpUnknown => {
            "Ce code n'existe pas dans l'export France compétences : vérifiez le numéro."
        }
        Reason::CfdMalformed => {
            "Le code diplôme (CFD) compte 8 caractères (ex. 50033616), suivis parfois d'une \
             lettre de spécialité : recopiez-le depuis la fiche du diplôme."
        }
        Reason::DuplicateOffer => {
            "Une autre ligne décrit la même offre sous un autre N° action (voir le détail) : \
             celle-ci est publiée, l'autre non. Supprimez la copie."
        }
        Reason::NameSuspicious => {
            "Le nom contient des caractères inattendus (*, /, #…) : écrivez le nom de \
             l'organisme tel qu'il doit apparaître au public."
        }
        Reason::ValueUnreadable => "La valeur n'a pas pu être lue : corrigez-la au format attendu.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reason_has_wording() {
        for r in Reason::ALL {
            assert!(!label(r).is_empty() && advice(r).len() > 20, "{r:?}");
        }
    }
}
