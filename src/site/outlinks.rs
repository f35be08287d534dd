//! Links out to where a family acts: on each offer, the admission platform (Parcoursup,
//! Affelnet), La bonne alternance to find an employer near the training place, and the
//! certification's sheet; on the disability page, the national resources. Addresses and
//! wording come from `data/liens-plateformes.toml` and `data/liens-handicap.toml`,
//! compiled in ([`Platforms::builtin`], [`Resources::builtin`]) and overridable by the
//! site. Only `https` addresses are accepted: the templates print them as links.

use super::views::{OfferView, encode_query};
use serde::{Deserialize, Serialize};

/// A data file of links could not be used.
#[derive(Debug, thiserror::Error)]
pub enum OutlinksError {
    #[error("{file}: {source}")]
    Toml {
        file: &'static str,
        source: Box<toml::de::Error>,
    },
    #[error("{file}: [{entry}] url {url:?} is not an https address")]
    NotHttps {
        file: &'static str,
        entry: String,
        url: String,
    },
}

/// One platform of `liens-plateformes.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    pub label: String,
    pub description: String,
    #[serde(default)]
    pub url: Option<String>,
    /// Query string template (`romes={romes}&address={commune}`).
    #[serde(default)]
    pub query: Option<String>,
}

/// `liens-plateformes.toml` (serialised for the key of the offer pages' links).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Platforms {
    pub parcoursup: Platform,
    pub affelnet: Platform,
    pub employeur: Platform,
    pub rncp: Platform,
}

/// A link as the templates print it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub label: String,
    pub description: String,
    pub url: String,
}

const PLATFORMS_FILE: &str = "data/liens-plateformes.toml";
const RESOURCES_FILE: &str = "data/liens-handicap.toml";

fn https(file: &'static str, entry: &str, url: &str) -> Result<(), OutlinksError> {
    let ok = super::views::web_url(url).is_some_and(|u| u.starts_with("https://"));
    if ok {
        Ok(())
    } else {
        Err(OutlinksError::NotHttps {
            file,
            entry: entry.to_string(),
            url: url.to_string(),
        })
    }
}

impl Platforms {
    /// Reads `liens-plateformes.toml`.
    pub fn parse(text: &str) -> Result<Platforms, OutlinksError> {
        let p: Platforms = toml::from_str(text).map_err(|e| OutlinksError::Toml {
            file: PLATFORMS_FILE,
            source: Box::new(e),
        })?;
        for (name, platform) in [
            ("parcoursup", &p.parcoursup),
            ("affelnet", &p.affelnet),
            ("employeur", &p.employeur),
        ] {
            https(PLATFORMS_FILE, name, platform.url.as_deref().unwrap_or(""))?;
        }
        Ok(p)
    }

    /// The file shipped in `data/`.
    pub fn builtin() -> Platforms {
        Platforms::parse(crate::builtin::text("liens-plateformes.toml"))
            .expect("the shipped liens-plateformes.toml is valid")
    }

    /// The links of one offer, in the order a family needs them: apply, find an
    /// employer, read the certification's sheet.
    pub fn for_offer(&self, o: &OfferView<'_>) -> Vec<Link> {
        let mut out = Vec::new();
        let link = |p: &Platform, url: String| Link {
            label: p.label.clone(),
            description: p.description.clone(),
            url,
        };
        if o.parcoursup == Some(true) {
            out.push(link(&self.parcoursup, self.parcoursup.address(o)));
        }
        if o.affelnet == Some(true) {
            out.push(link(&self.affelnet, self.affelnet.address(o)));
        }
        out.push(link(&self.employeur, self.employeur.address(o)));
        if let Some(u) = &o.details().rncp_url {
            out.push(link(&self.rncp, u.clone()));
        }
        out
    }
}

impl Platform {
    /// The platform's address with the offer's terms in its query, if it takes any.
    fn address(&self, o: &OfferView<'_>) -> String {
        let base = self.url.clone().unwrap_or_default();
        let Some(template) = &self.query else {
            return base;
        };
        let a = &o.place.address;
        let value = |name: &str| -> String {
            match name {
                "intitule" => o.title.clone(),
                "diplome" => o.diploma.clone().unwrap_or_default(),
                "romes" => o.details().rome.join(","),
                "commune" => a.town.clone().unwrap_or_default(),
                "code_postal" => a.postcode.clone().unwrap_or_default(),
                "insee" => a.insee.clone().unwrap_or_default(),
                "lat" => o.place.lat.map(|v| format!("{v:.5}")).unwrap_or_default(),
                "lon" => o.place.lon.map(|v| format!("{v:.5}")).unwrap_or_default(),
                _ => String::new(),
            }
        };
        let mut params: Vec<String> = Vec::new();
        for param in template.split('&').filter(|p| !p.is_empty()) {
            let (key, tpl) = param.split_once('=').unwrap_or((param, ""));
            let mut filled = String::new();
            let mut any = !tpl.contains('{');
            let mut rest = tpl;
            while let Some(open) = rest.find('{') {
                filled.push_str(&encode_query(&rest[..open]));
                let Some(close) = rest[open..].find('}') else {
                    filled.push_str(&encode_query(&rest[open..]));
                    rest = "";
                    break;
                };
                let v = value(&rest[open + 1..open + close]);
                any |= !v.is_empty();
                filled.push_str(&encode_query(&v));
                rest = &rest[open + close + 1..];
            }
            filled.push_str(&encode_query(rest));
            if any {
                params.push(format!("{}={filled}", encode_query(key)));
            }
        }
        if params.is_empty() {
            base
        } else {
            format!("{base}?{}", params.join("&"))
        }
    }
}

/// One national resource of `liens-handicap.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    pub nom: String,
    pub description: String,
    pub url: String,
}

/// `liens-handicap.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resources {
    pub ressources: Vec<Resource>,
}

impl Resources {
    /// Reads `liens-handicap.toml`.
    pub fn parse(text: &str) -> Result<Resources, OutlinksError> {
        let r: Resources = toml::from_str(text).map_err(|e| OutlinksError::Toml {
            file: RESOURCES_FILE,
            source: Box::new(e),
        })?;
        for res in &r.ressources {
            https(RESOURCES_FILE, &res.nom, &res.url)?;
        }
        Ok(r)
    }

    /// The file shipped in `data/`.
    pub fn builtin() -> Resources {
        Resources::parse(crate::builtin::text("liens-handicap.toml"))
            .expect("the shipped liens-handicap.toml is valid")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_files_parse() {
        let p = Platforms::builtin();
        assert!(p.employeur.query.is_some());
        let r = Resources::builtin();
        let names: Vec<&str> = r.ressources.iter().map(|x| x.nom.as_str()).collect();
        for wanted in ["Agefiph", "Cap emploi"] {
            assert!(names.iter().any(|n| n.contains(wanted)), "{names:?}");
        }
        assert!(names.iter().any(|n| n.contains("MDPH")), "{names:?}");
    }

    #[test]
    fn only_https_addresses_are_accepted() {
        let bad =
            "[[ressources]]\nnom = \"x\"\ndescription = \"y\"\nurl = \"javascript:alert(1)\"\n";
        assert!(matches!(
            Resources::parse(bad),
            Err(OutlinksError::NotHttps { .. })
        ));
        let unknown = "[[ressources]]\nnom = \"x\"\ndescription = \"y\"\nurl = \"https://a.fr/\"\ncouleur = 1\n";
        assert!(matches!(
            Resources::parse(unknown),
            Err(OutlinksError::Toml { .. })
        ));
    }
}
