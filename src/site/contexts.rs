//! What each kind of page is given besides the offer views: the base context (menu,
//! footer, assets), CFA pages, the disability page, home, search, open data, pagination.

use super::map::MapPoint;
use super::model::*;
use super::plan::*;
use super::views::{self, OfferSummary, OfferView, ReferentView, department_name, french_number};
use super::{catalogue, opendata};
use crate::urls;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use tera::Context;

/// Offers per browse page.
pub const PER_PAGE: usize = 50;

/// A pagination block for the templates.
#[derive(Debug, Serialize)]
pub(super) struct Pagination {
    pub(super) current: usize,
    pub(super) total: usize,
    pub(super) prev: Option<String>,
    pub(super) next: Option<String>,
    /// Page links around the current one (`number` 0 is an ellipsis).
    pub(super) pages: Vec<PageLink>,
}

#[derive(Debug, Serialize)]
pub(super) struct PageLink {
    pub(super) number: usize,
    pub(super) url: String,
    pub(super) current: bool,
}

pub(super) fn page_url(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

pub(super) fn pagination(base: &str, current: usize, total: usize) -> Pagination {
    let mut numbers: BTreeSet<usize> = [1, total].into_iter().collect();
    for n in current.saturating_sub(2)..=current + 2 {
        if n >= 1 && n <= total {
            numbers.insert(n);
        }
    }
    let mut pages = Vec::new();
    let mut last = 0;
    for n in numbers {
        if n > last + 1 {
            pages.push(PageLink {
                number: 0,
                url: String::new(),
                current: false,
            });
        }
        pages.push(PageLink {
            number: n,
            url: page_url(base, n),
            current: n == current,
        });
        last = n;
    }
    Pagination {
        current,
        total,
        prev: (current > 1).then(|| page_url(base, current - 1)),
        next: (current < total).then(|| page_url(base, current + 1)),
        pages,
    }
}

/// `1,2 Mo`, `35 ko`, `812 octets`: a size as a French page prints it.
pub(super) fn file_size(bytes: u64) -> String {
    let b = bytes as f64;
    if bytes >= 1_000_000 {
        format!("{:.1} Mo", b / 1_000_000.0).replace('.', ",")
    } else if bytes >= 1_000 {
        format!("{} ko", (b / 1_000.0).round())
    } else {
        format!("{bytes} octets")
    }
}

impl<'a> Site<'a> {
    pub(super) fn base_context(&self) -> Context {
        let config = self.input.config;
        let mut nav = vec![
            json!({"label": "Accueil", "url": "/"}),
            json!({"label": "Rechercher", "url": "/recherche/"}),
            json!({"label": "Les CFA", "url": "/cfa/"}),
            json!({"label": "Calendrier", "url": "/calendrier/"}),
            json!({"label": "Handicap", "url": "/handicap/"}),
        ];
        for c in self.content.iter().filter(|c| c.menu) {
            nav.push(json!({"label": c.title, "url": c.path}));
        }
        let footer: Vec<Value> = self
            .content
            .iter()
            .filter(|c| c.path != "/handicap/")
            .map(|c| json!({"label": c.title, "url": c.path}))
            .collect();
        let mut ctx = Context::new();
        ctx.insert("site", &config.site);
        ctx.insert("assets", &self.theme.assets.urls);
        ctx.insert("nav", &nav);
        ctx.insert("footer", &footer);
        ctx.insert("glossary", self.glossary.terms());
        ctx.insert("logo_url", &self.logo_url);
        ctx.insert(
            "map_attribution",
            &self
                .map
                .as_ref()
                .and_then(|m| m.tiles.as_ref())
                .map(|t| &t.attribution),
        );
        ctx
    }

    /// The inline map of an offer: its place on the region.
    pub(super) fn offer_map(&self, o: &OfferView) -> Option<String> {
        let map = self.map.as_ref()?;
        let (lat, lon, approximate) = o.place.map_point()?;
        let label = if approximate {
            format!("{} (centre de la commune)", o.place.label)
        } else {
            o.place.label.clone()
        };
        map.projection.contains(lat, lon).then(|| {
            map.overlay(
                &format!("Carte : lieu de la formation, {label}"),
                &[MapPoint {
                    lat,
                    lon,
                    label: format!("{label} (voir sur OpenStreetMap, site externe)"),
                    href: o.place.address.osm_url.clone(),
                    current: true,
                }],
                None,
            )
        })
    }

    pub(super) fn cfa_view(&self, c: &Cfa) -> Value {
        let first = &self.offers[c.offers[0]];
        let mut groups: BTreeMap<String, Vec<&OfferSummary>> = BTreeMap::new();
        let mut places: BTreeMap<PlaceKey, PlaceAcc<'_>> = BTreeMap::new();
        let mut qualiopi = None;
        for i in &c.offers {
            let o = &self.offers[*i];
            groups
                .entry(
                    o.diploma
                        .clone()
                        .unwrap_or_else(|| "Autres certifications".into()),
                )
                .or_default()
                .push(&self.summaries[*i]);
            let a = &o.place.address;
            // One place per address, however its UAI or spelling varies between rows.
            let key = (
                a.department.clone(),
                a.town.as_deref().map(crate::model::fold),
                a.postcode.clone(),
                a.street.as_deref().map(crate::model::fold),
            );
            let p = places.entry(key).or_insert_with(|| PlaceAcc {
                view: o,
                offers: Vec::new(),
                contacts: BTreeMap::new(),
                referents: BTreeMap::new(),
            });
            let better = |v: &OfferView| match v.place.map_point() {
                Some((_, _, false)) => 2,
                Some(_) => 1,
                None => 0,
            };
            if better(o) > better(p.view) {
                p.view = o;
            }
            p.offers.push(&self.summaries[*i]);
            if o.contact != views::ContactView::default() {
                *p.contacts.entry(&o.contact).or_default() += 1;
            }
            if !o.referent.is_empty() {
                *p.referents.entry(&o.referent).or_default() += 1;
            }
            qualiopi = match (qualiopi, o.cfa.qualiopi) {
                (None, q) => q,
                (Some(true), Some(true)) => Some(true),
                (Some(_), Some(false)) | (Some(false), _) => Some(false),
                (q, None) => q,
            };
        }
        // Places in the order a reader looks for them: department, then town.
        let places: Vec<(String, PlaceAcc<'_>)> = places
            .into_values()
            .enumerate()
            .map(|(n, p)| (format!("lieu-{}", n + 1), p))
            .collect();
        let points: Vec<MapPoint> = places
            .iter()
            .filter_map(|(id, p)| {
                let (lat, lon, approximate) = p.view.place.map_point()?;
                let n = p.offers.len();
                Some(MapPoint {
                    lat,
                    lon,
                    label: format!(
                        "{}{} : {n} formation{}",
                        p.view.place.label,
                        if approximate {
                            " (centre de la commune)"
                        } else {
                            ""
                        },
                        if n > 1 { "s" } else { "" }
                    ),
                    href: Some(format!("#{id}")),
                    current: false,
                })
            })
            .collect();
        let map = self
            .map
            .as_ref()
            .filter(|m| points.iter().any(|p| m.projection.contains(p.lat, p.lon)))
            .map(|m| {
                m.overlay(
                    &format!("Carte des lieux de formation de {}", first.cfa.name),
                    &points,
                    None,
                )
            });
        let place_values: Vec<Value> = places
            .iter()
            .map(|(id, p)| {
                json!({
                    "id": id,
                    "label": p.view.place.label,
                    "address": p.view.place.address,
                    "uai": p.view.place.uai,
                    "on_map": p.view.place.map_point().is_some() && map.is_some(),
                    "offers": p.offers,
                    "count": p.offers.len(),
                    "contact": most_frequent(&p.contacts),
                    "referent": most_frequent(&p.referents),
                })
            })
            .collect();
        json!({
            "name": first.cfa.name,
            "path": c.path,
            "key": c.key,
            "siret": first.cfa.siret,
            "uai": first.cfa.uai,
            "nda": first.cfa.nda,
            "qualiopi": qualiopi,
            "address": first.cfa.address,
            "count": c.offers.len(),
            "count_label": french_number(c.offers.len()),
            "groups": groups.into_iter().map(|(d, l)| json!({"diploma": d, "offers": l})).collect::<Vec<_>>(),
            "places": place_values,
            "map": map,
        })
    }

    /// What the open-data page lists: every download, its size, licence and date.
    pub(super) fn donnees_context(
        &self,
        files: &crate::output::Files,
        made: &std::collections::HashMap<&str, u64>,
        licence: &opendata::Licence,
    ) -> Vec<(&'static str, Value)> {
        // A download is in `files`, or was sent to the sink (`made`: its size).
        let size_of = |path: &str| {
            (files.get(path).map(|b| b.len() as u64)).or_else(|| made.get(path).copied())
        };
        let entry = |path: &str, title: &str, format: &str, what: &str, size: Option<u64>| {
            json!({
                "url": format!("/{path}"),
                "title": title,
                "format": format,
                "description": what,
                "size": size.map(file_size),
                "bytes": size,
            })
        };
        let downloads = vec![
            entry(
                "donnees/offres.csv",
                "Les offres (CSV)",
                "CSV",
                "Une ligne par formation publiée ; séparateur « ; », UTF-8, s'ouvre dans un tableur.",
                size_of("donnees/offres.csv"),
            ),
            entry(
                "donnees/offres.json",
                "Les offres (JSON)",
                "JSON",
                "Les mêmes offres, un objet par formation.",
                size_of("donnees/offres.json"),
            ),
            entry(
                "donnees/schema.json",
                "Description des champs (Table Schema)",
                "JSON",
                "Le nom, le type, le format et la description de chaque colonne de offres.csv et offres.json.",
                size_of("donnees/schema.json"),
            ),
            entry(
                "donnees/catalogue.json",
                "Les offres au format du catalogue national de l'apprentissage",
                "JSON",
                "Les champs du catalogue des formations en apprentissage des ministères éducatifs (cfd, rncp_code, uai_formation…).",
                size_of("donnees/catalogue.json"),
            ),
            entry(
                LHEO_FILE,
                "Les offres au format LHÉO 2.3",
                "XML",
                "Le langage d'échange des Carif-Oref ; chaque CFA a aussi son fichier LHÉO sur sa page.",
                size_of(LHEO_FILE),
            ),
            entry(
                "nouveautes.atom",
                "Les nouvelles formations (flux Atom)",
                "Atom",
                "Les formations nouvelles de la campagne, pour un lecteur de flux.",
                size_of("nouveautes.atom"),
            ),
        ];
        let date = atom_updated(self.calendar);
        let day = chrono::NaiveDate::parse_from_str(date.get(..10).unwrap_or(""), "%Y-%m-%d").ok();
        let no_source: Vec<Value> = catalogue::NO_SOURCE
            .iter()
            .map(|(name, why)| json!({"name": name, "why": why}))
            .collect();
        vec![
            ("downloads", json!(downloads)),
            ("licence", json!(licence)),
            ("updated", json!(day.map(views::french_date))),
            ("updated_iso", json!(day.map(|d| d.to_string()))),
            ("fields", json!(opendata::FIELDS.iter().map(|f| json!({"name": f.name, "title": f.title, "description": f.description})).collect::<Vec<_>>())),
            ("no_source", json!(no_source)),
            ("offers_count", json!(french_number(self.offers.len()))),
        ]
    }

    pub(super) fn handicap_context(&self) -> Value {
        // CFAs by the department of their own address (else of their first place).
        let mut by_dept: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        for c in &self.cfas {
            let first = &self.offers[c.offers[0]];
            let dept = first
                .cfa
                .address
                .department
                .clone()
                .or_else(|| first.place.address.department.clone())
                .unwrap_or_else(|| "zz".into());
            let referents: BTreeSet<&ReferentView> = c
                .offers
                .iter()
                .map(|i| &self.offers[*i].referent)
                .filter(|r| !r.is_empty())
                .collect();
            by_dept.entry(dept).or_default().push(json!({
                "name": first.cfa.name,
                "path": c.path,
                "town": first.cfa.address.town,
                "referents": referents,
            }));
        }
        let groups: Vec<Value> = by_dept
            .into_iter()
            .map(|(d, mut list)| {
                list.sort_by(|a, b| {
                    crate::model::fold(a["name"].as_str().unwrap_or(""))
                        .cmp(&crate::model::fold(b["name"].as_str().unwrap_or("")))
                });
                let label = if d == "zz" {
                    "Département non renseigné".to_string()
                } else {
                    department_name(&d)
                };
                json!({"department": label, "id": format!("dep-{}", urls::slug(&d)), "cfas": list})
            })
            .collect();
        json!({ "groups": groups, "count": self.cfas.len() })
    }

    pub(super) fn search_context(&self, s: &crate::search::SearchAssets) -> Value {
        // The region's map for the search page: an empty overlay (the script adds the
        // results as points, with `projection`: see `map::Projection`) and the base map.
        let map = self.map.as_ref().map(|m| {
            json!({
                "svg": m.overlay("Carte des formations trouvées", &[], None),
                "projection": m.projection,
                "base_url": m.url,
            })
        });
        json!({
            "manifest": s.manifest,
            "facets": s.facets,
            "map": map,
        })
    }

    pub(super) fn home_context(&self) -> Vec<(&'static str, Value)> {
        let facet_list = |dim: Dim| -> Vec<Value> {
            self.facets
                .iter()
                .find(|(d, _)| *d == dim)
                .map(|(_, fs)| {
                    fs.iter()
                        .map(|f| {
                            json!({"label": f.label, "url": format!("/{}/{}/", dim.segment(), f.slug),
                               "count": f.offers.len()})
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut domains = facet_list(Dim::Domain);
        domains.sort_by(|a, b| {
            b["count"]
                .as_u64()
                .cmp(&a["count"].as_u64())
                .then_with(|| a["label"].as_str().cmp(&b["label"].as_str()))
        });
        let more_domains = domains.len() > 12;
        domains.truncate(12);
        vec![
            ("levels", json!(facet_list(Dim::Level))),
            ("departments", json!(facet_list(Dim::Department))),
            ("domains", json!(domains)),
            ("more_domains", json!(more_domains)),
            ("highlights", json!(self.calendar.highlights())),
            (
                "counts",
                json!({
                    "offers": french_number(self.offers.len()),
                    "offers_n": self.offers.len(),
                    "cfas": french_number(self.cfas.len()),
                    "cfas_n": self.cfas.len(),
                    "new": french_number(self.offers.iter().filter(|o| o.new).count()),
                }),
            ),
        ]
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn pagination_shows_the_ends_and_the_neighbourhood() {
        let p = pagination("/niveaux/bac/", 5, 40);
        let numbers: Vec<usize> = p.pages.iter().map(|l| l.number).collect();
        assert_eq!(numbers, [1, 0, 3, 4, 5, 6, 7, 0, 40]);
        assert_eq!(p.prev.as_deref(), Some("/niveaux/bac/page/4/"));
        assert_eq!(p.next.as_deref(), Some("/niveaux/bac/page/6/"));
        let first = pagination("/niveaux/bac/", 1, 1);
        assert!(first.prev.is_none() && first.next.is_none());
        assert_eq!(first.pages[0].url, "/niveaux/bac/");
    }
}
