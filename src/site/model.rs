//! The site model: the published offers and their views, the CFAs, the browse facets
//! (what [`Site::load`] computes once, before any page is planned or rendered).

use super::assets::fingerprint;
use super::calendar::{CalendarFile, CalendarView};
use super::content::ContentPage;
use super::glossary::Glossary;
use super::ledger::{Entry, Kind, Ledger, State};
use super::map::{BaseMap, TileLayer};
use super::render::*;
use super::theme::Theme;
use super::views::{
    self, Listed, OfferView, ReferentView, department_name, level_slug, level_words,
};
use super::{SiteError, SiteInput, jsonld, outlinks};
use crate::model::{Offer, Status};
use crate::urls;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashSet};

/// A browse dimension (`/departements/`, `/niveaux/`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Dim {
    Department,
    Level,
    Domain,
    Diploma,
}

impl Dim {
    const ALL: [Dim; 4] = [Dim::Level, Dim::Department, Dim::Domain, Dim::Diploma];

    pub(super) fn segment(self) -> &'static str {
        match self {
            Dim::Department => "departements",
            Dim::Level => "niveaux",
            Dim::Domain => "domaines",
            Dim::Diploma => "diplomes",
        }
    }

    pub(super) fn title(self) -> &'static str {
        match self {
            Dim::Department => "Formations par département",
            Dim::Level => "Formations par niveau",
            Dim::Domain => "Formations par domaine",
            Dim::Diploma => "Formations par diplôme",
        }
    }

    pub(super) fn value_title(self, label: &str) -> String {
        match self {
            Dim::Department => format!("Formations en apprentissage : {label}"),
            Dim::Level => format!("Formations en apprentissage : {label}"),
            Dim::Domain => format!("Formations en apprentissage – {label}"),
            Dim::Diploma => format!("Formations en apprentissage : {label}"),
        }
    }
}

/// One value of a dimension, with its offers in listing order.
#[derive(Debug)]
pub(super) struct Facet {
    pub(super) slug: String,
    pub(super) label: String,
    pub(super) offers: Vec<usize>,
}

/// A responsible CFA and its published offers.
#[derive(Debug)]
pub(super) struct Cfa {
    pub(super) key: String,
    pub(super) path: String,
    pub(super) offers: Vec<usize>,
}

/// Everything loaded and computed before rendering.
pub struct Site<'a> {
    pub(super) input: &'a SiteInput<'a>,
    pub(super) theme: &'a Theme,
    pub(super) content: &'a [ContentPage],
    pub(super) calendar: &'a CalendarFile,
    pub(super) calendars: Vec<CalendarView>,
    pub(super) ledger: &'a Ledger,
    pub(super) base_url: String,
    /// Views of the published offers, in sheet order.
    pub(super) offers: Vec<OfferView<'a>>,
    pub(super) summaries: Vec<Listed>,
    /// Indices of `offers` in listing order (title, town, id).
    pub(super) sorted: Vec<usize>,
    pub(super) cfas: Vec<Cfa>,
    pub(super) facets: Vec<(Dim, Vec<Facet>)>,
    pub(super) notes: Vec<String>,
    pub(super) glossary: Glossary,
    /// The base map of the offers' region (none when no place has a department).
    pub(super) map: Option<BaseMap>,
    /// URL of the site's logo among the static files.
    pub(super) logo_url: Option<String>,
    /// Application windows of the campaign (JSON-LD of the offers).
    pub(super) applications: jsonld::Applications,
    /// Links out (offer pages) and national disability resources (disability page).
    pub(super) platforms: outlinks::Platforms,
    pub(super) resources: outlinks::Resources,
    /// The key of the base map and the platforms, of which (with its view) an offer
    /// page's map and links are made.
    pub(super) offer_parts_key: crate::output::Key,
    /// Made the first time a withdrawn page asks for similar offers.
    pub(super) neighbours: std::sync::OnceLock<Neighbours>,
    /// The key of what each view is made of besides what every view shares
    /// ([`super::view_keys::made_of`]), same order as `offers`; empty when the offers'
    /// keys were not given.
    pub(super) made_of: Vec<crate::output::Key>,
}

/// A CFA's training place: department, town, postcode and street (folded).
pub(super) type PlaceKey = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// A training place of a CFA while its page is put together.
pub(super) struct PlaceAcc<'v> {
    /// The offer whose place is shown (one with coordinates when there is one).
    pub(super) view: &'v OfferView<'v>,
    pub(super) offers: Vec<&'v Listed>,
    pub(super) contacts: BTreeMap<&'v views::ContactView, usize>,
    pub(super) referents: BTreeMap<&'v ReferentView, usize>,
}

/// The value most offers share (the first in order on a tie): "who to call" at a place.
pub(super) fn most_frequent<T: Ord>(counts: &BTreeMap<T, usize>) -> Option<&T> {
    counts
        .iter()
        .fold(None, |best: Option<(&T, usize)>, (v, n)| match best {
            Some((_, m)) if m >= *n => best,
            _ => Some((v, *n)),
        })
        .map(|(v, _)| v)
}

/// The values of one dimension with their offers (listing order kept).
pub(super) fn facets_of(dim: Dim, offers: &[OfferView<'_>], sorted: &[usize]) -> Vec<Facet> {
    let mut map: BTreeMap<String, Facet> = BTreeMap::new();
    for &i in sorted {
        let o = &offers[i];
        let (slug, label) = match dim {
            Dim::Department => match &o.place.address.department {
                Some(d) => (urls::slug(d), department_name(d)),
                None => continue,
            },
            Dim::Level => match o.level.and_then(|l| level_slug(l).map(|s| (s, l))) {
                Some((s, l)) => (s.to_string(), level_words(l).to_string()),
                None => continue,
            },
            Dim::Domain => match (&o.domain_slug, &o.domain) {
                (Some(s), Some(l)) => (s.clone(), l.clone()),
                _ => continue,
            },
            Dim::Diploma => (
                o.diploma_slug.clone(),
                o.diploma
                    .clone()
                    .unwrap_or_else(|| "Autre certification".into()),
            ),
        };
        let f = map.entry(slug.clone()).or_insert_with(|| Facet {
            slug,
            label: label.clone(),
            offers: Vec::new(),
        });
        // The same value spelt differently: keep the smallest label, whatever the order.
        if label < f.label {
            f.label = label;
        }
        f.offers.push(i);
    }
    let mut list: Vec<Facet> = map.into_values().collect();
    if dim == Dim::Level {
        let rank = |s: &str| {
            ["infrabac", "bac", "bac-2", "bac-3", "bac-5", "doctorat"]
                .iter()
                .position(|x| *x == s)
        };
        list.sort_by_key(|f| rank(&f.slug));
    } else if dim != Dim::Department {
        list.sort_by_cached_key(|f| (crate::model::fold(&f.label), f.slug.clone()));
    }
    list
}

impl<'a> Site<'a> {
    /// Loads the theme and data files and builds the site model.
    pub fn load(input: &'a SiteInput<'a>) -> Result<Site<'a>, SiteError> {
        let config = input.config;
        if input.offers.len() != input.verdicts.len() {
            return Err(SiteError::Render(format!(
                "{} offers but {} verdicts",
                input.offers.len(),
                input.verdicts.len()
            )));
        }
        let identity_err = |message: String| SiteError::Theme {
            path: config.root.join("vitrine.toml"),
            message,
        };
        let theme = &input.sources.theme;
        let logo_url = input.sources.logo_url.clone();
        let content = &input.sources.content[..];
        let calendar = &input.sources.calendar;
        let calendars = calendar.views();
        let ledger = &input.sources.ledger;
        let base_url = config.site.base_url.trim_end_matches('/').to_string();

        // Published offers, one page per URL (a slug collision keeps the first row).
        let mut notes = Vec::new();
        let mut seen_paths = HashSet::new();
        let mut published: Vec<&Offer> = Vec::new();
        let mut published_paths: Vec<String> = Vec::new();
        // Where each published offer is among the offers read (for its key).
        let mut published_at: Vec<usize> = Vec::new();
        // Paths (slugs of titles and towns) made side by side, then taken in order.
        let paths: Vec<Option<String>> = input
            .offers
            .par_iter()
            .zip(input.verdicts)
            .map(|(o, v)| (v.status == Status::Published).then(|| urls::offer_path(o)))
            .collect();
        for (at, (o, path)) in input.offers.iter().zip(paths).enumerate() {
            let Some(path) = path else {
                continue;
            };
            if seen_paths.insert(path.clone()) {
                published.push(o);
                published_paths.push(path);
                published_at.push(at);
            } else {
                notes.push(format!(
                    "offer {} (row {}) has the URL of an earlier offer: not published",
                    o.id, o.row
                ));
            }
        }

        // One CFA page per CFA key; its path comes from the key's first offer, so
        // spelling variants of the name on other rows do not split the CFA.
        let mut cfa_index: BTreeMap<String, usize> = BTreeMap::new();
        let mut cfas: Vec<Cfa> = Vec::new();
        let mut offer_cfa: Vec<usize> = Vec::with_capacity(published.len());
        let cfa_keys: Vec<String> = published.par_iter().map(|o| urls::cfa_key(o)).collect();
        for (i, (o, key)) in published.iter().zip(cfa_keys).enumerate() {
            let n = *cfa_index.entry(key.clone()).or_insert_with(|| {
                cfas.push(Cfa {
                    key,
                    path: urls::cfa_path(o),
                    offers: Vec::new(),
                });
                cfas.len() - 1
            });
            cfas[n].offers.push(i);
            offer_cfa.push(n);
        }

        let made_of: Vec<crate::output::Key> = match input.offer_keys.len() == input.offers.len() {
            true => published_at
                .par_iter()
                .zip(&published_paths)
                .zip(&offer_cfa)
                .map(|((at, path), c)| {
                    super::view_keys::made_of(input.offer_keys[*at], path, &cfas[*c].path)
                })
                .collect(),
            false => Vec::new(),
        };
        let privacy = config.privacy.publish_referent_name;
        let glossary = input.sources.glossary.clone();
        let offers: Vec<OfferView<'_>> = published
            .par_iter()
            .zip(published_paths)
            .zip(offer_cfa.par_iter())
            .map(|((o, path), c)| {
                // The JSON-LD is made with each page (see `render_job`), never all at
                // once. The details are made when first read: in a rebuild, only those
                // of the offers whose pages, records or CFA pages are made again.
                let details = views::DetailsFrom {
                    offer: o,
                    glossary: Some(&input.sources.glossary),
                    jsonld: JSONLD_MARKER,
                };
                let mut v = views::offer_view_at(path, &cfas[*c].path, &base_url, privacy, details);
                // Places without a point are drawn at their town's centre. The communes
                // table is checked by the search stage before the site is made; a site
                // rendered without it (tests) simply draws fewer points.
                if v.place.lat.is_none() {
                    v.place.town_centre = input
                        .communes
                        .coordinates(&o.place.address)
                        .map(|c| [c.lat, c.lon]);
                }
                v
            })
            .collect();
        let tiles = match &config.site.map_tiles {
            None => None,
            Some(url) => Some(
                TileLayer::new(url, config.site.map_attribution.as_deref().unwrap_or(""))
                    .map_err(|m| identity_err(format!("[site] map_tiles: {m}")))?,
            ),
        };
        let map = BaseMap::build(
            &input.sources.outlines,
            offers
                .iter()
                .filter_map(|o| o.place.address.department.as_deref()),
            tiles,
        )
        .map(|mut m| {
            let name = super::assets::fingerprinted_name(BaseMap::FILE_NAME, &fingerprint(&m.svg));
            m.url = format!("/assets/{name}");
            m
        });
        let offer_parts_key = crate::output::key_of(&[
            &map.as_ref().map_or(0, BaseMap::key).to_le_bytes(),
            &crate::output::key_of_serialized(&input.sources.platforms).to_le_bytes(),
        ]);
        let summaries: Vec<Listed> = offers
            .par_iter()
            .map(|o| crate::output::Keyed::new(o.summary()))
            .collect();
        let mut sorted: Vec<usize> = (0..offers.len()).collect();
        let keys: Vec<(String, String, String)> = offers
            .par_iter()
            .map(|o| {
                (
                    crate::model::fold(&o.title),
                    o.place.address.town.clone().unwrap_or_default(),
                    o.id.clone(),
                )
            })
            .collect();
        sorted.par_sort_by(|a, b| keys[*a].cmp(&keys[*b]));
        cfas.par_iter_mut()
            .for_each(|c| c.offers.sort_by(|a, b| keys[*a].cmp(&keys[*b])));
        cfas.sort_by(|a, b| a.path.cmp(&b.path));

        let facets = Dim::ALL
            .par_iter()
            .map(|d| (*d, facets_of(*d, &offers, &sorted)))
            .collect();

        Ok(Site {
            input,
            theme,
            content,
            calendars,
            ledger,
            base_url,
            offers,
            summaries,
            sorted,
            cfas,
            facets,
            notes,
            glossary,
            map,
            logo_url,
            applications: jsonld::Applications::from_calendar(calendar),
            offer_parts_key,
            neighbours: std::sync::OnceLock::new(),
            made_of,
            platforms: input.sources.platforms.clone(),
            resources: input.sources.resources.clone(),
            calendar,
        })
    }

    /// The ledger's entries of the live pages; `fingerprints`: each offer's (same order).
    pub(super) fn ledger_entries(&self, fingerprints: &[String]) -> Vec<Entry> {
        let mut live: Vec<Entry> = self
            .offers
            .par_iter()
            .zip(fingerprints)
            .map(|(o, fingerprint)| Entry {
                kind: Kind::Offer,
                id: o.id.clone(),
                path: o.path.clone(),
                state: State::Published,
                title: o.title.clone(),
                cfa_path: o.cfa.path.clone(),
                diploma: o.diploma_slug.clone(),
                department: o.place.address.department.clone().unwrap_or_default(),
                domain: o.domain_slug.clone().unwrap_or_default(),
                fingerprint: fingerprint.clone(),
            })
            .collect();
        for c in &self.cfas {
            let first = &self.offers[c.offers[0]];
            let ids: Vec<&str> = c
                .offers
                .iter()
                .map(|i| self.offers[*i].id.as_str())
                .collect();
            live.push(Entry {
                kind: Kind::Cfa,
                id: c.key.clone(),
                path: c.path.clone(),
                state: State::Published,
                title: first.cfa.name.clone(),
                cfa_path: String::new(),
                diploma: String::new(),
                department: first.cfa.address.department.clone().unwrap_or_default(),
                domain: String::new(),
                fingerprint: fingerprint(
                    format!("{}|{}", first.cfa.name, ids.join(",")).as_bytes(),
                ),
            });
        }
        live
    }

    /// Published offers close to a withdrawn one: same diploma in the same department,
    /// then same domain, then the same department (any department when the withdrawn
    /// page had none), at most six, in listing order.
    pub(super) fn similar(&self, e: &Entry) -> Vec<&Listed> {
        if e.kind != Kind::Offer {
            return Vec::new();
        }
        // Every withdrawn page asks: a scan of the catalogue for each one cost a
        // 1%-changed rebuild of 100,000 offers 0.7 s of CPU (same-run A/B).
        let near = self.neighbours.get_or_init(|| {
            Neighbours::of(self.sorted.iter().map(|&i| {
                let o = &self.offers[i];
                let department = o.place.address.department.as_deref();
                (
                    i,
                    o.diploma_slug.as_str(),
                    o.domain_slug.as_deref(),
                    department,
                )
            }))
        });
        let out = near.similar(e, |i| self.offers[i].id == e.id);
        out.into_iter().map(|i| &self.summaries[i]).collect()
    }
}

/// What a similar offer shares with a withdrawn one.
#[derive(Clone, Copy)]
enum Tier {
    Diploma = 0,
    Domain = 1,
    Department = 2,
}

/// The published offers by diploma, domain and department, each list in listing order:
/// made once, the first time a withdrawn page asks for similar offers.
pub(super) struct Neighbours(FxHashMap<(u8, String, String), Vec<usize>>);

impl Neighbours {
    /// From each offer's index, diploma, domain and department, in listing order.
    fn of<'o>(
        offers: impl Iterator<Item = (usize, &'o str, Option<&'o str>, Option<&'o str>)>,
    ) -> Neighbours {
        let mut map: FxHashMap<(u8, String, String), Vec<usize>> = FxHashMap::default();
        let mut add = |tier: Tier, value: &str, department: &str, i: usize| {
            let key = (tier as u8, value.to_string(), department.to_string());
            map.entry(key).or_default().push(i);
        };
        for (i, diploma, domain, department) in offers {
            // The empty department stands for "any": what a withdrawn page without one
            // is matched against.
            let department = department.filter(|d| !d.is_empty());
            let mut both = |tier: Tier, value: &str| {
                add(tier, value, "", i);
                if let Some(d) = department {
                    add(tier, value, d, i);
                }
            };
            both(Tier::Diploma, diploma);
            if let Some(domain) = domain {
                both(Tier::Domain, domain);
            }
            if let Some(d) = department {
                add(Tier::Department, "", d, i);
            }
        }
        Neighbours(map)
    }

    /// The offers of `tier` with `value` in `department` ("": in any).
    fn get(&self, tier: Tier, value: &str, department: &str) -> &[usize] {
        self.0
            .get(&(tier as u8, value.to_string(), department.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// Up to six offers like the withdrawn offer `e`: same diploma in the same
    /// department, then same domain, then the same department (any department when `e`
    /// had none); never an offer of `e`'s own identifier (`same_id`).
    fn similar(&self, e: &Entry, same_id: impl Fn(usize) -> bool) -> Vec<usize> {
        let department = e.department.as_str();
        let tiers = [
            (!e.diploma.is_empty()).then(|| self.get(Tier::Diploma, &e.diploma, department)),
            (!e.domain.is_empty()).then(|| self.get(Tier::Domain, &e.domain, department)),
            (!department.is_empty()).then(|| self.get(Tier::Department, "", department)),
        ];
        let wanted = 6;
        let mut out: Vec<usize> = Vec::new();
        for &i in tiers.into_iter().flatten().flatten() {
            if out.len() >= wanted {
                break;
            }
            if !out.contains(&i) && !same_id(i) {
                out.push(i);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// An offer as the similar-offer lookup sees it: diploma, domain, department, id.
    type Row = (String, Option<String>, Option<String>, String);

    fn entry(diploma: &str, domain: &str, department: &str, id: &str) -> Entry {
        Entry {
            kind: Kind::Offer,
            id: id.into(),
            path: "/formations/x/".into(),
            state: State::Withdrawn,
            title: "x".into(),
            cfa_path: String::new(),
            diploma: diploma.into(),
            department: department.into(),
            domain: domain.into(),
            fingerprint: String::new(),
        }
    }

    fn neighbours(rows: &[Row]) -> Neighbours {
        Neighbours::of(
            rows.iter()
                .enumerate()
                .map(|(i, (dip, dom, dep, _))| (i, dip.as_str(), dom.as_deref(), dep.as_deref())),
        )
    }

    /// The rule as it reads, one pass over the catalogue per tier.
    fn scanned(rows: &[Row], e: &Entry) -> Vec<usize> {
        let same_dept =
            |r: &Row| r.2.as_deref() == Some(e.department.as_str()) || e.department.is_empty();
        let tiers: [&dyn Fn(&Row) -> bool; 3] = [
            &|r| !e.diploma.is_empty() && r.0 == e.diploma && same_dept(r),
            &|r| !e.domain.is_empty() && r.1.as_deref() == Some(e.domain.as_str()) && same_dept(r),
            &|r| !e.department.is_empty() && same_dept(r),
        ];
        let mut out = Vec::new();
        for tier in tiers {
            for (i, r) in rows.iter().enumerate().filter(|(_, r)| tier(r)) {
                if out.len() < 6 && !out.contains(&i) && r.3 != e.id {
                    out.push(i);
                }
            }
        }
        out
    }

    #[test]
    fn similar_offers_share_the_diploma_then_the_domain_then_the_department() {
        let row = |dip: &str, dom: Option<&str>, dep: Option<&str>, id: &str| -> Row {
            (
                dip.into(),
                dom.map(Into::into),
                dep.map(Into::into),
                id.into(),
            )
        };
        let rows = vec![
            row("cap", Some("coiffure"), Some("13"), "A"),
            row("bts", Some("coiffure"), Some("13"), "B"),
            row("cap", Some("coiffure"), Some("83"), "C"),
            row("bts", Some("commerce"), Some("13"), "D"),
            row("cap", Some("coiffure"), Some("13"), "E"),
            row("cap", None, None, "F"),
        ];
        let near = neighbours(&rows);
        let ids = |e: &Entry| -> Vec<&str> {
            near.similar(e, |i| rows[i].3 == e.id)
                .into_iter()
                .map(|i| rows[i].3.as_str())
                .collect()
        };
        // Same diploma in 13 (not itself), then same domain in 13, then the rest of 13.
        assert_eq!(ids(&entry("cap", "coiffure", "13", "E")), ["A", "B", "D"]);
        // No department: same diploma anywhere, then same domain anywhere.
        assert_eq!(
            ids(&entry("cap", "coiffure", "", "Z")),
            ["A", "C", "E", "F", "B"]
        );
        assert_eq!(ids(&entry("", "", "", "Z")), Vec::<&str>::new());
    }

    proptest! {
        #[test]
        fn the_index_finds_what_a_scan_of_the_catalogue_finds(
            rows in prop::collection::vec(
                (
                    "[ab]{0,1}",
                    prop::option::of("[xy]{0,1}"),
                    prop::option::of("(13|83|)"),
                    "[1-4]",
                ),
                0..40,
            ),
            diploma in "[ab]{0,1}",
            domain in "[xy]{0,1}",
            department in "(13|83|)",
            id in "[1-5]",
        ) {
            let e = entry(&diploma, &domain, &department, &id);
            let near = neighbours(&rows);
            prop_assert_eq!(near.similar(&e, |i| rows[i].3 == e.id), scanned(&rows, &e));
        }
    }
}
