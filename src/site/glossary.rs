//! The glossary (`data/glossaire.toml`): what each acronym a family meets stands for,
//! so a page can explain it where it is first used.

use serde::Deserialize;
use std::collections::BTreeMap;

const BUILTIN: &str = "glossaire.toml";

/// Acronym → meaning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Glossary {
    terms: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    termes: Vec<Term>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Term {
    sigle: String,
    sens: String,
}

/// The glossary file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum GlossaryError {
    #[error("glossary: {0}")]
    Toml(#[from] toml::de::Error),
    #[error("glossary: term {index} (`{sigle}`): {message}")]
    Term {
        index: usize,
        sigle: String,
        message: &'static str,
    },
}

impl Glossary {
    /// The key of every term and its meaning.
    pub fn key(&self) -> crate::output::Key {
        let parts: Vec<&[u8]> = self
            .terms
            .iter()
            .flat_map(|(sigle, sens)| [sigle.as_bytes(), sens.as_bytes()])
            .collect();
        crate::output::key_of(&parts)
    }

    /// Reads `[[termes]] sigle = … sens = …`; a term is defined once, never empty.
    pub fn parse(text: &str) -> Result<Glossary, GlossaryError> {
        let file: File = toml::from_str(text)?;
        let mut terms = BTreeMap::new();
        for (index, t) in file.termes.into_iter().enumerate() {
            let sigle = t.sigle.trim().to_string();
            let bad = |message| GlossaryError::Term {
                index: index + 1,
                sigle: sigle.clone(),
                message,
            };
            if sigle.is_empty() || t.sens.trim().is_empty() {
                return Err(bad("empty acronym or meaning"));
            }
            if terms
                .insert(sigle.clone(), t.sens.trim().to_string())
                .is_some()
            {
                return Err(bad("defined twice"));
            }
        }
        Ok(Glossary { terms })
    }

    /// The glossary compiled into the tool.
    pub fn builtin() -> Glossary {
        Glossary::parse(crate::builtin::text(BUILTIN))
            .expect("the shipped glossary parses (tested)")
    }

    /// What an acronym stands for.
    pub fn meaning(&self, sigle: &str) -> Option<&str> {
        self.terms.get(sigle).map(String::as_str)
    }

    /// Every term, for the templates (`glossary["CFA"]`).
    pub fn terms(&self) -> &BTreeMap<String, String> {
        &self.terms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_glossary_explains_every_diploma_acronym_and_identifier() {
        let g = Glossary::builtin();
        assert_eq!(
            g.meaning("CAP"),
            Some("certificat d'aptitude professionnelle")
        );
        for d in crate::model::Diploma::ALL {
            let label = d.label();
            let is_acronym = label
                .split(' ')
                .next()
                .is_some_and(|w| w.len() > 1 && w.chars().all(|c| c.is_ascii_uppercase()));
            if is_acronym || label.ends_with(" pro") {
                assert!(g.meaning(label).is_some(), "{label} is not explained");
            }
        }
        for s in ["CFA", "RNCP", "SIRET", "UAI", "NDA"] {
            assert!(g.meaning(s).is_some(), "{s}");
        }
    }

    #[test]
    fn a_term_defined_twice_or_empty_is_refused_with_its_place() {
        let twice = "[[termes]]\nsigle = \"CAP\"\nsens = \"a\"\n[[termes]]\nsigle = \"CAP\"\nsens = \"b\"\n";
        let e = Glossary::parse(twice).unwrap_err().to_string();
        assert!(e.contains("term 2 (`CAP`): defined twice"), "{e}");
        let empty = "[[termes]]\nsigle = \"X\"\nsens = \" \"\n";
        assert!(Glossary::parse(empty).is_err());
        assert!(Glossary::parse("[[termes]]\nsigle = 1\n").is_err());
    }
}
