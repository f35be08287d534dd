//! What each kind of page is given: one typed context per page kind (an offer, a CFA, a
//! listing page, home, search, …), borrowing from the site model rather than copying
//! it, and the base context every page shares (menu, footer, assets).
//!
//! Tera sees each as a map of its fields; the names are the templates' variables, so a
//! field renamed here is a variable renamed in every theme.

use super::calendar::{CalendarView, StepView};
use super::content::ContentPage;
use super::map::{BaseMap, MapPoint, Projection};
use super::model::*;
use super::nojs;
use super::outlinks::{self, Resource};
use super::plan::*;
use super::theme::tera_message;
use super::views::{
    self, AddressView, ContactView, Listed, OfferView, ReferentView, department_name, french_number,
};
use super::{SiteError, catalogue, opendata};
use crate::urls;
use serde::Serialize;
use std::borrow::Cow;
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

// ---------------------------------------------------------------------------------------
// Shared pieces

/// What every page is given: the site's settings, menu, footer, assets, glossary.
#[derive(Serialize)]
pub(super) struct Base<'a> {
    site: &'a crate::config::Site,
    /// Logical name → fingerprinted URL.
    assets: &'a BTreeMap<String, String>,
    nav: Vec<MenuLink<'a>>,
    footer: Vec<MenuLink<'a>>,
    glossary: &'a BTreeMap<String, String>,
    logo_url: Option<&'a str>,
    /// Credit of the map tiles, when the map has tiles.
    map_attribution: Option<&'a str>,
}

/// An entry of the menu or the footer.
#[derive(Serialize)]
pub(super) struct MenuLink<'a> {
    label: &'a str,
    url: &'a str,
}

/// An entry of a list of pages (browse values, CFAs) with its count of offers.
#[derive(Serialize)]
pub(super) struct ListEntry<'a> {
    pub(super) label: &'a str,
    pub(super) url: Cow<'a, str>,
    pub(super) count: usize,
    /// The CFAs' towns (`Some(None)`: a CFA without one); absent from the browse
    /// values' lists, whose entries never had it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) detail: Option<Option<&'a str>>,
}

/// A labelled link (`{label, url}`) made for one page.
#[derive(Serialize)]
pub(super) struct Link {
    pub(super) label: String,
    pub(super) url: String,
}

// ---------------------------------------------------------------------------------------
// One context per page kind

/// `offer.html`: one offer.
#[derive(Serialize)]
pub(super) struct OfferPage<'a> {
    /// Keyed by its view's key, made once per build for the ledger.
    pub(super) offer: crate::output::Keyed<&'a OfferView<'a>>,
    /// The inline map of its place, and the links to the platforms: made of the view
    /// and of the base map and the platforms' file, whose key stands for them in the
    /// page's key (the view's is there already). They are made only for pages written.
    pub(super) map: crate::output::Derived<'a, Option<String>>,
    pub(super) links_out: crate::output::Derived<'a, Vec<outlinks::Link>>,
}

/// `cfa.html`: a CFA, its offers by diploma and its training places.
#[derive(Serialize)]
pub(super) struct CfaPage<'a> {
    /// Keyed by its offers' views and the base map, and made only for a page written: a
    /// kept CFA page was a quarter of a rebuild's page work (its places, its map's points).
    cfa: crate::output::Derived<'a, CfaView<'a>>,
}

#[derive(Serialize)]
struct CfaView<'a> {
    name: &'a str,
    path: &'a str,
    key: &'a str,
    siret: Option<&'a str>,
    uai: Option<&'a str>,
    nda: Option<&'a str>,
    /// `Some(true)` only when every offer says so.
    qualiopi: Option<bool>,
    address: &'a AddressView,
    count: usize,
    count_label: String,
    groups: Vec<DiplomaGroup<'a>>,
    places: Vec<PlaceEntry<'a>>,
    map: Option<String>,
}

#[derive(Serialize)]
struct DiplomaGroup<'a> {
    diploma: &'a str,
    offers: Vec<&'a Listed>,
}

/// A training place of a CFA: its offers and who to call there.
#[derive(Serialize)]
struct PlaceEntry<'a> {
    /// Anchor (`lieu-3`) the map's points link to.
    id: String,
    label: &'a str,
    address: &'a AddressView,
    uai: Option<&'a str>,
    on_map: bool,
    offers: Vec<&'a Listed>,
    count: usize,
    contact: Option<&'a ContactView>,
    referent: Option<&'a ReferentView>,
}

/// `browse.html`: one page of the offers of a browse value.
#[derive(Serialize)]
pub(super) struct ListingPage<'a> {
    pub(super) heading: String,
    /// The dimension's index page.
    pub(super) dimension: DimensionLink,
    pub(super) label: &'a str,
    pub(super) offers: Vec<&'a Listed>,
    /// Offers of the value in all pages, printed (`1 234`) and as a number.
    pub(super) total: String,
    pub(super) count: usize,
    /// Rank of the first and last offer of this page.
    pub(super) first: usize,
    pub(super) last: usize,
    pub(super) pagination: Pagination,
}

#[derive(Serialize)]
pub(super) struct DimensionLink {
    pub(super) title: &'static str,
    pub(super) url: String,
}

/// `withdrawn.html`: a page no longer offered, and offers like it.
#[derive(Serialize)]
pub(super) struct WithdrawnPage<'a> {
    pub(super) withdrawn: Withdrawn<'a>,
    pub(super) similar: Vec<&'a Listed>,
}

#[derive(Serialize)]
pub(super) struct Withdrawn<'a> {
    /// `offre` or `cfa`.
    pub(super) kind: &'static str,
    pub(super) title: &'a str,
    /// The CFA's page, when it is still published.
    pub(super) cfa_path: Option<&'a str>,
    /// The department's listing, when there is one.
    pub(super) department: Option<Link>,
}

/// `redirect.html`: a moved page pointing to its new address.
#[derive(Serialize)]
pub(super) struct RedirectPage<'a> {
    pub(super) target: &'a str,
    pub(super) target_url: String,
    /// The title of a no-JS search's other spelling (a moved page has none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) heading: Option<&'static str>,
}

/// A page made from data known while the tree is planned: one kind per template.
#[derive(Serialize)]
#[serde(untagged)]
pub(super) enum PlainPage<'a> {
    Home(HomePage<'a>),
    Search(SearchPage<'a>),
    BaseOnly(BaseOnly),
    Handicap(HandicapPage<'a>),
    Text(TextPage<'a>),
    Calendars(CalendarsPage<'a>),
    Calendar(CalendarPage<'a>),
    Index(IndexPage<'a>),
    Embed(EmbedPage<'a>),
    EmbedList(EmbedListPage<'a>),
    NoJs(NoJsPage<'a>),
    OpenData(OpenDataPage<'a>),
}

/// `home.html`: the ways in, and the campaign's dates.
#[derive(Serialize)]
pub(super) struct HomePage<'a> {
    levels: Vec<ListEntry<'a>>,
    departments: Vec<ListEntry<'a>>,
    /// The twelve largest domains.
    domains: Vec<ListEntry<'a>>,
    more_domains: bool,
    highlights: Vec<StepView>,
    counts: Counts,
}

#[derive(Serialize)]
struct Counts {
    offers: String,
    offers_n: usize,
    cfas: String,
    cfas_n: usize,
    new: String,
}

/// `search.html`: the search page's data and its map.
#[derive(Serialize)]
pub(super) struct SearchPage<'a> {
    search: SearchView<'a>,
}

#[derive(Serialize)]
struct SearchView<'a> {
    /// URL of the index's manifest.
    manifest: &'a str,
    facets: &'a serde_json::Value,
    map: Option<SearchMap<'a>>,
}

/// The region's map for the search page: an empty overlay (the script adds the results
/// as points, with `projection`: see `map::Projection`) and the base map.
#[derive(Serialize)]
struct SearchMap<'a> {
    svg: String,
    projection: &'a Projection,
    base_url: &'a str,
}

/// `404.html`, and the search page until the search stage has made its data: the base
/// context only.
#[derive(Serialize)]
pub(super) struct BaseOnly {}

/// `handicap.html`: each CFA's disability referents, by department.
#[derive(Serialize)]
pub(super) struct HandicapPage<'a> {
    handicap: Handicap<'a>,
    /// The editable text of the page, when the site has one.
    page: Option<&'a ContentPage>,
    resources: &'a [Resource],
}

#[derive(Serialize)]
struct Handicap<'a> {
    groups: Vec<DepartmentCfas<'a>>,
    count: usize,
}

#[derive(Serialize)]
struct DepartmentCfas<'a> {
    department: String,
    id: String,
    cfas: Vec<CfaReferents<'a>>,
}

#[derive(Serialize)]
struct CfaReferents<'a> {
    name: &'a str,
    path: &'a str,
    town: Option<&'a str>,
    referents: BTreeSet<&'a ReferentView>,
}

/// `content.html`: a content page of the site.
#[derive(Serialize)]
pub(super) struct TextPage<'a> {
    pub(super) page: &'a ContentPage,
}

/// `calendars.html`: every calendar of the campaign.
#[derive(Serialize)]
pub(super) struct CalendarsPage<'a> {
    pub(super) calendars: &'a [CalendarView],
    pub(super) source: Option<&'a str>,
}

/// `calendar.html`: one calendar.
#[derive(Serialize)]
pub(super) struct CalendarPage<'a> {
    pub(super) calendar: &'a CalendarView,
    pub(super) source: Option<&'a str>,
}

/// `browse_index.html`: the values of a dimension, or the CFAs.
#[derive(Serialize)]
pub(super) struct IndexPage<'a> {
    pub(super) heading: &'static str,
    pub(super) entries: Vec<ListEntry<'a>>,
}

/// `integrer.html`: the snippet a CFA copies to show its list on its own site.
#[derive(Serialize)]
pub(super) struct EmbedPage<'a> {
    pub(super) cfa: EmbedCfa<'a>,
    pub(super) embed_path: String,
    pub(super) embed_title: String,
    pub(super) snippet: String,
}

/// `integrer_liste.html`: the list the snippet frames.
#[derive(Serialize)]
pub(super) struct EmbedListPage<'a> {
    pub(super) cfa: EmbedCfa<'a>,
    pub(super) embed_title: String,
    pub(super) offers: Vec<&'a Listed>,
}

#[derive(Clone, Copy, Serialize)]
pub(super) struct EmbedCfa<'a> {
    pub(super) name: &'a str,
    pub(super) path: &'a str,
    pub(super) count: usize,
}

/// `search_nojs.html`: the browse pages whose names hold a word (all of them without
/// one).
#[derive(Serialize)]
pub(super) struct NoJsPage<'a> {
    pub(super) query: Option<String>,
    pub(super) matches: Vec<&'a nojs::Link>,
}

/// `donnees.html`: every download, its size, licence and date.
#[derive(Serialize)]
pub(super) struct OpenDataPage<'a> {
    downloads: Vec<Download>,
    licence: &'a opendata::Licence,
    updated: Option<String>,
    updated_iso: Option<String>,
    fields: Vec<FieldEntry>,
    no_source: Vec<NoSource>,
    offers_count: String,
}

#[derive(Serialize)]
struct Download {
    url: String,
    title: &'static str,
    format: &'static str,
    description: &'static str,
    /// Printed (`1,2 Mo`) and in bytes.
    size: Option<String>,
    bytes: Option<u64>,
}

#[derive(Serialize)]
struct FieldEntry {
    name: &'static str,
    title: &'static str,
    description: &'static str,
}

/// A field of the national catalogue this export has no source for, and why.
#[derive(Serialize)]
struct NoSource {
    name: &'static str,
    why: &'static str,
}

/// A page's own context: its address and canonical URL, then its kind's data.
#[derive(Serialize)]
pub(super) struct Own<'p, P> {
    pub(super) page_url: &'p str,
    pub(super) canonical_url: String,
    #[serde(flatten)]
    pub(super) page: &'p P,
}

/// A context as Tera takes it (a map of the struct's fields).
pub(super) fn context_of(
    value: serde_json::Value,
    template: &str,
    page: &str,
) -> Result<Context, SiteError> {
    Context::from_value(value).map_err(|e| SiteError::Template {
        template: template.to_string(),
        page: page.to_string(),
        message: tera_message(&e),
    })
}

impl<'a> Site<'a> {
    pub(super) fn base_context(&self) -> Result<Context, SiteError> {
        let config = self.input.config;
        let mut nav: Vec<MenuLink<'_>> = [
            ("Accueil", "/"),
            ("Rechercher", "/recherche/"),
            ("Les CFA", "/cfa/"),
            ("Calendrier", "/calendrier/"),
            ("Handicap", "/handicap/"),
        ]
        .into_iter()
        .map(|(label, url)| MenuLink { label, url })
        .collect();
        let link = |c: &'a ContentPage| MenuLink {
            label: &c.title,
            url: &c.path,
        };
        nav.extend(self.content.iter().filter(|c| c.menu).map(link));
        let footer = self
            .content
            .iter()
            .filter(|c| c.path != "/handicap/")
            .map(link)
            .collect();
        let base = Base {
            site: &config.site,
            assets: &self.theme.assets.urls,
            nav,
            footer,
            glossary: self.glossary.terms(),
            logo_url: self.logo_url.as_deref(),
            map_attribution: self
                .map
                .as_ref()
                .and_then(|m| m.tiles.as_ref())
                .map(|t| t.attribution.as_str()),
        };
        Context::from_serialize(&base)
            .map_err(|e| SiteError::Render(format!("base context: {}", tera_message(&e))))
    }

    /// The inline map of an offer: its place on the region.
    pub(super) fn offer_map(&self, o: &OfferView<'_>) -> Option<String> {
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

    /// The offer page of `o`, whose view's key is `key` when the build has made it.
    pub(super) fn offer_page<'s>(
        &'s self,
        o: &'s OfferView<'_>,
        key: Option<crate::output::Key>,
    ) -> OfferPage<'s> {
        OfferPage {
            offer: match key {
                Some(key) => crate::output::Keyed::with_key(o, key),
                None => crate::output::Keyed::new(o),
            },
            map: crate::output::Derived::new(self.offer_parts_key, move || self.offer_map(o)),
            links_out: crate::output::Derived::new(self.offer_parts_key, move || {
                self.platforms.for_offer(o)
            }),
        }
    }

    /// `view_keys`: the key of each offer's view, by offer (see `Env::view_keys`).
    pub(super) fn cfa_page<'s>(&'s self, c: &'s Cfa, view_keys: &[[u8; 16]]) -> CfaPage<'s> {
        // Everything the CFA's view is made of: its path and key, its offers' views in
        // order (their list lines are made of them), and the base map.
        let mut parts: Vec<&[u8]> = Vec::with_capacity(c.offers.len() + 3);
        let map_key = self.map.as_ref().map_or(0, BaseMap::key).to_le_bytes();
        parts.extend([c.path.as_bytes(), c.key.as_bytes(), &map_key[..]]);
        parts.extend(c.offers.iter().map(|i| &view_keys[*i][..]));
        let key = crate::output::key_of(&parts);
        CfaPage {
            cfa: crate::output::Derived::new(key, move || self.cfa_view(c)),
        }
    }

    fn cfa_view<'s>(&'s self, c: &'s Cfa) -> CfaView<'s> {
        let first = &self.offers[c.offers[0]];
        let mut groups: BTreeMap<&str, Vec<&Listed>> = BTreeMap::new();
        let mut places: BTreeMap<PlaceKey, PlaceAcc<'_>> = BTreeMap::new();
        let mut qualiopi = None;
        for i in &c.offers {
            let o = &self.offers[*i];
            groups
                .entry(o.diploma.as_deref().unwrap_or("Autres certifications"))
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
            let better = |v: &OfferView<'_>| match v.place.map_point() {
                Some((_, _, false)) => 2,
                Some(_) => 1,
                None => 0,
            };
            if better(o) > better(p.view) {
                p.view = o;
            }
            p.offers.push(&self.summaries[*i]);
            let contact = &o.details().contact;
            if *contact != views::ContactView::default() {
                *p.contacts.entry(contact).or_default() += 1;
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
        let places = places
            .into_iter()
            .map(|(id, p)| PlaceEntry {
                id,
                label: &p.view.place.label,
                address: &p.view.place.address,
                uai: p.view.place.uai.as_deref(),
                on_map: p.view.place.map_point().is_some() && map.is_some(),
                count: p.offers.len(),
                contact: most_frequent(&p.contacts).copied(),
                referent: most_frequent(&p.referents).copied(),
                offers: p.offers,
            })
            .collect();
        CfaView {
            name: &first.cfa.name,
            path: &c.path,
            key: &c.key,
            siret: first.cfa.siret.as_deref(),
            uai: first.cfa.uai.as_deref(),
            nda: first.cfa.nda.as_deref(),
            qualiopi,
            address: &first.cfa.address,
            count: c.offers.len(),
            count_label: french_number(c.offers.len()),
            groups: groups
                .into_iter()
                .map(|(diploma, offers)| DiplomaGroup { diploma, offers })
                .collect(),
            places,
            map,
        }
    }

    /// What the open-data page lists: every download, its size, licence and date.
    pub(super) fn open_data_page<'s>(
        &'s self,
        files: &crate::output::Files,
        made: &std::collections::HashMap<&str, u64>,
        licence: &'s opendata::Licence,
    ) -> OpenDataPage<'s> {
        // A download is in `files`, or was sent to the sink (`made`: its size).
        let size_of = |path: &str| {
            (files.get(path).map(|b| b.len() as u64)).or_else(|| made.get(path).copied())
        };
        let entry = |path: &str,
                     title: &'static str,
                     format: &'static str,
                     description: &'static str,
                     size: Option<u64>| Download {
            url: format!("/{path}"),
            title,
            format,
            description,
            size: size.map(file_size),
            bytes: size,
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
        OpenDataPage {
            downloads,
            licence,
            updated: day.map(views::french_date),
            updated_iso: day.map(|d| d.to_string()),
            fields: opendata::FIELDS
                .iter()
                .map(|f| FieldEntry {
                    name: f.name,
                    title: f.title,
                    description: f.description,
                })
                .collect(),
            no_source: catalogue::NO_SOURCE
                .iter()
                .map(|&(name, why)| NoSource { name, why })
                .collect(),
            offers_count: french_number(self.offers.len()),
        }
    }

    pub(super) fn handicap_page<'s>(&'s self, page: Option<&'s ContentPage>) -> HandicapPage<'s> {
        // CFAs by the department of their own address (else of their first place).
        let mut by_dept: BTreeMap<&str, Vec<CfaReferents<'_>>> = BTreeMap::new();
        for c in &self.cfas {
            let first = &self.offers[c.offers[0]];
            let dept = first
                .cfa
                .address
                .department
                .as_deref()
                .or(first.place.address.department.as_deref())
                .unwrap_or("zz");
            let referents: BTreeSet<&ReferentView> = c
                .offers
                .iter()
                .map(|i| &self.offers[*i].referent)
                .filter(|r| !r.is_empty())
                .collect();
            by_dept.entry(dept).or_default().push(CfaReferents {
                name: &first.cfa.name,
                path: &c.path,
                town: first.cfa.address.town.as_deref(),
                referents,
            });
        }
        let groups = by_dept
            .into_iter()
            .map(|(d, mut cfas)| {
                cfas.sort_by_cached_key(|c| crate::model::fold(c.name));
                let department = if d == "zz" {
                    "Département non renseigné".to_string()
                } else {
                    department_name(d)
                };
                DepartmentCfas {
                    department,
                    id: format!("dep-{}", urls::slug(d)),
                    cfas,
                }
            })
            .collect();
        HandicapPage {
            handicap: Handicap {
                groups,
                count: self.cfas.len(),
            },
            page,
            resources: &self.resources.ressources,
        }
    }

    /// The search page, from what the search stage made.
    pub(super) fn search_page<'s>(&'s self, s: &'s crate::search::SearchAssets) -> SearchPage<'s> {
        let map = self.map.as_ref().map(|m| SearchMap {
            svg: m.overlay("Carte des formations trouvées", &[], None),
            projection: &m.projection,
            base_url: &m.url,
        });
        SearchPage {
            search: SearchView {
                manifest: &s.manifest,
                facets: &s.facets,
                map,
            },
        }
    }

    /// The values of a dimension as links, in the facets' order.
    pub(super) fn facet_entries(&self, dim: Dim) -> Vec<ListEntry<'_>> {
        self.facets
            .iter()
            .find(|(d, _)| *d == dim)
            .map(|(_, fs)| {
                fs.iter()
                    .map(|f| ListEntry {
                        label: &f.label,
                        url: Cow::Owned(format!("/{}/{}/", dim.segment(), f.slug)),
                        count: f.offers.len(),
                        detail: None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    pub(super) fn home_page(&self) -> HomePage<'_> {
        let mut domains = self.facet_entries(Dim::Domain);
        domains.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(b.label)));
        let more_domains = domains.len() > 12;
        domains.truncate(12);
        HomePage {
            levels: self.facet_entries(Dim::Level),
            departments: self.facet_entries(Dim::Department),
            domains,
            more_domains,
            highlights: self.calendar.highlights(),
            counts: Counts {
                offers: french_number(self.offers.len()),
                offers_n: self.offers.len(),
                cfas: french_number(self.cfas.len()),
                cfas_n: self.cfas.len(),
                new: french_number(self.offers.iter().filter(|o| o.new).count()),
            },
        }
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

    #[test]
    fn only_the_cfa_list_has_a_detail_even_an_empty_one() {
        let value = |detail| {
            serde_json::to_value(ListEntry {
                label: "Bac",
                url: Cow::Borrowed("/niveaux/bac/"),
                count: 2,
                detail,
            })
            .unwrap()
        };
        assert_eq!(
            value(None),
            serde_json::json!({"label": "Bac", "url": "/niveaux/bac/", "count": 2})
        );
        assert_eq!(value(Some(None))["detail"], serde_json::Value::Null);
        assert_eq!(value(Some(Some("Nice")))["detail"], "Nice");
    }

    #[test]
    fn a_page_context_is_its_address_beside_its_kind_fields() {
        let page = RedirectPage {
            target: "/b/",
            target_url: "https://x.fr/b/".into(),
            heading: None,
        };
        let own = serde_json::to_value(Own {
            page_url: "/a/",
            canonical_url: "https://x.fr/b/".into(),
            page: &page,
        })
        .unwrap();
        assert_eq!(
            own,
            serde_json::json!({"page_url": "/a/", "canonical_url": "https://x.fr/b/",
                "target": "/b/", "target_url": "https://x.fr/b/"})
        );
    }
}
