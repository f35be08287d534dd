//! The site model (offers, CFAs, facets) and the rendering of every page.

use super::assets::fingerprint;
use super::calendar::{CalendarFile, CalendarView};
use super::content::ContentPage;
use super::glossary::Glossary;
use super::ledger::{Entry, Kind, Ledger, State};
use super::map::{BaseMap, MapPoint, Outlines, TileLayer};
use super::theme::{SEARCH_FALLBACK_NAME, Theme, tera_message};
use super::views::{
    self, OfferSummary, OfferView, ReferentView, department_name, french_number, level_slug,
    level_words,
};
use super::{
    PageSink, Rendered, SiteError, SiteInput, catalogue, feeds, jsonld, lheo, links, minify,
    opendata, outlinks,
};
use crate::model::{Offer, Status};
use crate::output::Key;
use crate::urls;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::Write;
use tera::Context;

/// The whole catalogue in LHÉO 2.3.
const LHEO_FILE: &str = "donnees/lheo.xml";

/// Stands for an offer's JSON-LD while its page is rendered and minified.
const JSONLD_MARKER: &str = "<!--vitrine:jsonld-->";

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Offers per browse page.
pub const PER_PAGE: usize = 50;

/// A browse dimension (`/departements/`, `/niveaux/`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dim {
    Department,
    Level,
    Domain,
    Diploma,
}

impl Dim {
    const ALL: [Dim; 4] = [Dim::Level, Dim::Department, Dim::Domain, Dim::Diploma];

    fn segment(self) -> &'static str {
        match self {
            Dim::Department => "departements",
            Dim::Level => "niveaux",
            Dim::Domain => "domaines",
            Dim::Diploma => "diplomes",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Dim::Department => "Formations par département",
            Dim::Level => "Formations par niveau",
            Dim::Domain => "Formations par domaine",
            Dim::Diploma => "Formations par diplôme",
        }
    }

    fn value_title(self, label: &str) -> String {
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
struct Facet {
    slug: String,
    label: String,
    offers: Vec<usize>,
}

/// A responsible CFA and its published offers.
#[derive(Debug)]
struct Cfa {
    key: String,
    path: String,
    offers: Vec<usize>,
}

/// A page to render.
enum Job<'a> {
    Offer(usize),
    Cfa(&'a Cfa),
    Browse {
        dim: Dim,
        facet: &'a Facet,
        page: usize,
    },
    Retired(&'a Entry),
    Redirect {
        from: &'a str,
        to: &'a str,
    },
    Plain {
        path: String,
        template: String,
        extra: Vec<(&'static str, Value)>,
    },
}

/// What every page render shares: the base context, the files of the tree and where
/// the pages go.
struct Env<'s> {
    base: Context,
    /// Every file the build writes, pages included.
    known: HashSet<String>,
    sink: &'s dyn PageSink,
    /// Whether a file of the previous tree is gone: a page kept from it (made from the
    /// same inputs) may then link to it, so its links are checked again.
    recheck_kept: bool,
}

impl Env<'_> {
    /// Whether an internal link names a file of the tree.
    fn exists(&self, link: &str) -> bool {
        let t = links::target(link);
        self.known.contains(&t) || self.known.contains(&format!("{t}/index.html"))
    }
}

/// A rendered page and the links of it that lead nowhere. A page kept from the
/// previous build (same inputs) has no bytes here: the sink already holds them.
struct Page {
    file: String,
    kept: bool,
    key: Key,
    html: Vec<u8>,
    broken: Vec<(String, String)>,
}

/// Everything loaded and computed before rendering.
pub struct Site<'a> {
    input: &'a SiteInput<'a>,
    theme: &'a Theme,
    content: &'a [ContentPage],
    calendar: &'a CalendarFile,
    calendars: Vec<CalendarView>,
    ledger: &'a Ledger,
    base_url: String,
    /// Views of the published offers, in sheet order.
    offers: Vec<OfferView>,
    summaries: Vec<OfferSummary>,
    /// Indices of `offers` in listing order (title, town, id).
    sorted: Vec<usize>,
    cfas: Vec<Cfa>,
    facets: Vec<(Dim, Vec<Facet>)>,
    notes: Vec<String>,
    glossary: Glossary,
    /// The base map of the offers' region (none when no place has a department).
    map: Option<BaseMap>,
    /// URL of the site's logo among the static files.
    logo_url: Option<String>,
    /// Application windows of the campaign (JSON-LD of the offers).
    applications: jsonld::Applications,
    /// Links out (offer pages) and national disability resources (disability page).
    platforms: outlinks::Platforms,
    resources: outlinks::Resources,
}

/// A CFA's training place: department, town, postcode and street (folded).
type PlaceKey = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// A training place of a CFA while its page is put together.
struct PlaceAcc<'v> {
    /// The offer whose place is shown (one with coordinates when there is one).
    view: &'v OfferView,
    offers: Vec<&'v OfferSummary>,
    contacts: BTreeMap<&'v views::ContactView, usize>,
    referents: BTreeMap<&'v ReferentView, usize>,
}

/// The value most offers share (the first in order on a tie): "who to call" at a place.
fn most_frequent<T: Ord>(counts: &BTreeMap<T, usize>) -> Option<&T> {
    counts
        .iter()
        .fold(None, |best: Option<(&T, usize)>, (v, n)| match best {
            Some((_, m)) if m >= *n => best,
            _ => Some((v, *n)),
        })
        .map(|(v, _)| v)
}

/// A pagination block for the templates.
#[derive(Debug, Serialize)]
struct Pagination {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    /// Page links around the current one (`number` 0 is an ellipsis).
    pages: Vec<PageLink>,
}

#[derive(Debug, Serialize)]
struct PageLink {
    number: usize,
    url: String,
    current: bool,
}

fn page_url(base: &str, n: usize) -> String {
    if n <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{n}/")
    }
}

fn pagination(base: &str, current: usize, total: usize) -> Pagination {
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

/// `/a/b/` → `a/b/index.html`; `/404.html` → `404.html`.
fn file_of(path: &str) -> String {
    let p = path.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
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
        for (o, v) in input.offers.iter().zip(input.verdicts) {
            if v.status != Status::Published {
                continue;
            }
            if seen_paths.insert(urls::offer_path(o)) {
                published.push(o);
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
        for (i, o) in published.iter().enumerate() {
            let key = urls::cfa_key(o);
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

        let privacy = config.privacy.publish_referent_name;
        let mut offers: Vec<OfferView> = published
            .par_iter()
            .zip(offer_cfa.par_iter())
            .map(|(o, c)| views::offer_view(o, &cfas[*c].path, &base_url, privacy))
            .collect();
        // The JSON-LD is made with each page (see `render_job`), never all at once.
        let glossary = Glossary::builtin();
        for v in &mut offers {
            v.jsonld = JSONLD_MARKER.to_string();
            v.diploma_meaning = v
                .diploma
                .as_deref()
                .and_then(|d| glossary.meaning(d))
                .map(str::to_string);
        }
        // Places without a point are drawn at their town's centre. The communes table is
        // checked by the search stage before the site is made; a site rendered without
        // it (tests) simply draws fewer points.
        for (v, o) in offers.iter_mut().zip(&published) {
            if v.place.lat.is_none() {
                v.place.town_centre = input
                    .communes
                    .coordinates(&o.place.address)
                    .map(|c| [c.lat, c.lon]);
            }
        }
        let tiles = match &config.site.map_tiles {
            None => None,
            Some(url) => Some(
                TileLayer::new(url, config.site.map_attribution.as_deref().unwrap_or(""))
                    .map_err(|m| identity_err(format!("[site] map_tiles: {m}")))?,
            ),
        };
        let map = BaseMap::build(
            &Outlines::builtin(),
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
        let summaries: Vec<OfferSummary> = offers.iter().map(OfferView::summary).collect();
        let mut sorted: Vec<usize> = (0..offers.len()).collect();
        let keys: Vec<(String, String, String)> = offers
            .iter()
            .map(|o| {
                (
                    crate::model::fold(&o.title),
                    o.place.address.town.clone().unwrap_or_default(),
                    o.id.clone(),
                )
            })
            .collect();
        sorted.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
        for c in &mut cfas {
            c.offers.sort_by(|a, b| keys[*a].cmp(&keys[*b]));
        }
        cfas.sort_by(|a, b| a.path.cmp(&b.path));

        let facets = Dim::ALL
            .iter()
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
            platforms: outlinks::Platforms::builtin(),
            resources: outlinks::Resources::builtin(),
            calendar,
        })
    }

    fn base_context(&self) -> Context {
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
    fn offer_map(&self, o: &OfferView) -> Option<String> {
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

    fn render_page(
        &self,
        env: &Env<'_>,
        path: &str,
        template: &str,
        fill: impl FnOnce(&mut Context),
    ) -> Result<Page, SiteError> {
        let mut ctx = env.base.clone();
        ctx.insert("page_url", path);
        ctx.insert("canonical_url", &format!("{}{path}", self.base_url));
        fill(&mut ctx);
        let file = file_of(path);
        // Everything the page is made from: its template and its data (what else it
        // depends on, binary, configuration and theme, is in the sink's global key).
        let data = serde_json::to_vec(&ctx.clone().into_json()).unwrap_or_default();
        let key = crate::output::key_of(&[template.as_bytes(), &data]);
        if env.sink.reuse(&file, key)? {
            let broken = match env.recheck_kept {
                false => Vec::new(),
                true => {
                    let html = env.sink.kept(&file).unwrap_or_default();
                    let html = String::from_utf8_lossy(&html);
                    links::internal_links(&html)
                        .into_iter()
                        .filter(|l| !env.exists(l))
                        .map(|l| (file.clone(), l.to_string()))
                        .collect()
                }
            };
            return Ok(Page {
                file,
                kept: true,
                key,
                html: Vec::new(),
                broken,
            });
        }
        let html = self
            .theme
            .tera
            .render(template, &ctx)
            .map_err(|e| SiteError::Template {
                template: template.to_string(),
                page: path.to_string(),
                message: tera_message(&e),
            })?;
        let html = self.social_tags(html, &ctx, path)?;
        // Links are checked here, on the page just rendered, against every file the
        // build writes (known before any page is rendered).
        let broken = links::internal_links(&html)
            .into_iter()
            .filter(|l| !env.exists(l))
            .map(|l| (file.clone(), l.to_string()))
            .collect();
        Ok(Page {
            html: minify::html(html.as_bytes()),
            file,
            kept: false,
            key,
            broken,
        })
    }

    /// Adds the Open Graph and Twitter card tags (`partials/og.html`) to a rendered
    /// page, from its own `<title>` and description, so a shared link shows both
    /// whatever template made the page.
    fn social_tags(&self, html: String, ctx: &Context, path: &str) -> Result<String, SiteError> {
        const PARTIAL: &str = "partials/og.html";
        let Some(head_end) = html.find("</head>") else {
            return Ok(html);
        };
        if !self.theme.has(PARTIAL) {
            return Ok(html);
        }
        let head = &html[..head_end];
        let title = between(head, "<title>", "</title>").map(unescape_html);
        let description =
            between(head, "<meta name=\"description\" content=\"", "\"").map(unescape_html);
        let mut c = Context::new();
        c.insert("site", &self.input.config.site);
        c.insert(
            "og",
            &json!({
                "title": title,
                "description": description,
                "url": ctx.get("canonical_url"),
            }),
        );
        let tags = self
            .theme
            .tera
            .render(PARTIAL, &c)
            .map_err(|e| SiteError::Template {
                template: PARTIAL.to_string(),
                page: path.to_string(),
                message: tera_message(&e),
            })?;
        let mut out = String::with_capacity(html.len() + tags.len());
        out.push_str(head);
        out.push_str(&tags);
        out.push_str(&html[head_end..]);
        Ok(out)
    }

    /// URL path of a page (`/a/b/`, or `/404.html`).
    fn job_path(&self, job: &Job<'_>) -> String {
        match job {
            Job::Offer(i) => self.offers[*i].path.clone(),
            Job::Cfa(c) => c.path.clone(),
            Job::Browse { dim, facet, page } => {
                page_url(&format!("/{}/{}/", dim.segment(), facet.slug), *page)
            }
            Job::Retired(e) => e.path.clone(),
            Job::Redirect { from, .. } => from.to_string(),
            Job::Plain { path, .. } => path.clone(),
        }
    }

    fn render_job(&self, env: &Env<'_>, job: &Job<'_>) -> Result<Page, SiteError> {
        match job {
            Job::Offer(i) => {
                let o = &self.offers[*i];
                // The JSON-LD goes in after minification, through a marker only the
                // `| safe` JSON-LD can produce (printed text would read `&lt;!--`):
                // minify-html leaves script data as it is, so this only spares it a
                // scan of the largest part of the page.
                let map = self.offer_map(o);
                let mut page = self.render_page(env, &o.path, "offer.html", |ctx| {
                    ctx.insert("offer", o);
                    ctx.insert("map", &map);
                    ctx.insert("links_out", &self.platforms.for_offer(o));
                })?;
                if page.kept {
                    return Ok(page);
                }
                if let Some(at) = find(&page.html, JSONLD_MARKER.as_bytes()) {
                    let json = jsonld::offer(o, &self.base_url, &self.applications);
                    // Exact capacity: 100,000 pages stay in memory until written.
                    let mut html =
                        Vec::with_capacity(page.html.len() - JSONLD_MARKER.len() + json.len());
                    html.extend_from_slice(&page.html[..at]);
                    html.extend_from_slice(json.as_bytes());
                    html.extend_from_slice(&page.html[at + JSONLD_MARKER.len()..]);
                    page.html = html;
                }
                Ok(page)
            }
            Job::Cfa(c) => {
                let view = self.cfa_view(c);
                self.render_page(env, &c.path, "cfa.html", |ctx| {
                    ctx.insert("cfa", &view);
                })
            }
            Job::Browse { dim, facet, page } => {
                let base_path = format!("/{}/{}/", dim.segment(), facet.slug);
                let total = facet.offers.len().div_ceil(PER_PAGE).max(1);
                let path = page_url(&base_path, *page);
                let list: Vec<&OfferSummary> = facet
                    .offers
                    .iter()
                    .skip((page - 1) * PER_PAGE)
                    .take(PER_PAGE)
                    .map(|i| &self.summaries[*i])
                    .collect();
                let first = (page - 1) * PER_PAGE + 1;
                self.render_page(env, &path, "browse.html", |ctx| {
                    ctx.insert("heading", &dim.value_title(&facet.label));
                    ctx.insert(
                        "dimension",
                        &json!({"title": dim.title(), "url": format!("/{}/", dim.segment())}),
                    );
                    ctx.insert("label", &facet.label);
                    ctx.insert("offers", &list);
                    ctx.insert("total", &french_number(facet.offers.len()));
                    ctx.insert("count", &facet.offers.len());
                    ctx.insert("first", &first);
                    ctx.insert("last", &(first + list.len() - 1));
                    ctx.insert("pagination", &pagination(&base_path, *page, total));
                })
            }
            Job::Retired(e) => {
                let similar = self.similar(e);
                let department_link = (!e.department.is_empty()).then(|| {
                    (
                        department_name(&e.department),
                        format!("/departements/{}/", urls::slug(&e.department)),
                    )
                });
                self.render_page(env, &e.path, "withdrawn.html", |ctx| {
                    ctx.insert(
                        "withdrawn",
                        &json!({
                            "kind": match e.kind { Kind::Offer => "offre", Kind::Cfa => "cfa" },
                            "title": e.title,
                            "cfa_path": (e.kind == Kind::Offer && env.exists(&e.cfa_path)).then_some(&e.cfa_path),
                            "department": department_link.filter(|d| env.exists(&d.1)).map(|(label, url)| json!({"label": label, "url": url})),
                        }),
                    );
                    ctx.insert("similar", &similar);
                })
            }
            Job::Redirect { from, to } => self.render_page(env, from, "redirect.html", |ctx| {
                ctx.insert("target", to);
                ctx.insert("target_url", &format!("{}{to}", self.base_url));
                // The canonical URL of a moved page is its new address.
                ctx.insert("canonical_url", &format!("{}{to}", self.base_url));
            }),
            Job::Plain {
                path,
                template,
                extra,
            } => self.render_page(env, path, template, |ctx| {
                for (k, v) in extra {
                    ctx.insert(*k, v);
                }
            }),
        }
    }

    /// Published offers close to a withdrawn one: same diploma in the same department,
    /// then same domain, then the same department.
    fn similar(&self, e: &Entry) -> Vec<&OfferSummary> {
        let mut out: Vec<usize> = Vec::new();
        let wanted = 6;
        let same_dept = |i: &usize| {
            self.offers[*i].place.address.department.as_deref() == Some(e.department.as_str())
                || e.department.is_empty()
        };
        let tiers: [&dyn Fn(&usize) -> bool; 3] = [
            &|i| !e.diploma.is_empty() && self.offers[*i].diploma_slug == e.diploma && same_dept(i),
            &|i| {
                !e.domain.is_empty()
                    && self.offers[*i].domain_slug.as_deref() == Some(e.domain.as_str())
                    && same_dept(i)
            },
            &|i| !e.department.is_empty() && same_dept(i),
        ];
        if e.kind == Kind::Offer {
            for tier in tiers {
                for i in self.sorted.iter().filter(|i| tier(i)) {
                    if out.len() >= wanted {
                        break;
                    }
                    if !out.contains(i) && self.offers[*i].id != e.id {
                        out.push(*i);
                    }
                }
            }
        }
        out.into_iter().map(|i| &self.summaries[i]).collect()
    }

    fn cfa_view(&self, c: &Cfa) -> Value {
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

    /// The two pages that let a CFA show its list on its own site: the page with the
    /// `<iframe>` snippet (`/cfa/<slug>/integrer/`) and the minimal page the snippet
    /// shows (`/integrer/<slug>/`, the only one `netlify.toml` lets other sites frame).
    fn embed_jobs(&self, c: &Cfa) -> Vec<Job<'a>> {
        let slug = c
            .path
            .trim_start_matches("/cfa/")
            .trim_end_matches('/')
            .to_string();
        let name = self.offers[c.offers[0]].cfa.name.clone();
        let embed_path = format!("/integrer/{slug}/");
        let title = format!("Formations en apprentissage – {name}");
        let snippet = format!(
            "<iframe src=\"{}{embed_path}\" title=\"{}\" width=\"640\" height=\"600\" loading=\"lazy\"></iframe>",
            self.base_url,
            super::theme::escape_html(&title),
        );
        let offers: Vec<&OfferSummary> = c.offers.iter().map(|i| &self.summaries[*i]).collect();
        let cfa = json!({"name": name, "path": c.path, "count": c.offers.len()});
        vec![
            Job::Plain {
                path: format!("{}integrer/", c.path),
                template: "integrer.html".to_string(),
                extra: vec![
                    ("cfa", cfa.clone()),
                    ("embed_path", json!(embed_path)),
                    ("embed_title", json!(title)),
                    ("snippet", json!(snippet)),
                ],
            },
            Job::Plain {
                path: embed_path,
                template: "integrer_liste.html".to_string(),
                extra: vec![
                    ("cfa", cfa),
                    ("embed_title", json!(title)),
                    ("offers", json!(offers)),
                ],
            },
        ]
    }

    /// What the open-data page lists: every download, its size, licence and date.
    fn donnees_context(
        &self,
        files: &crate::output::Files,
        lheo_size: u64,
        licence: &opendata::Licence,
    ) -> Vec<(&'static str, Value)> {
        let size_of = |path: &str| files.get(path).map(|b| b.len() as u64);
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
                Some(lheo_size),
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

    fn handicap_context(&self) -> Value {
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

    fn search_context(&self) -> Value {
        let s = self.input.search;
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

    fn home_context(&self) -> Vec<(&'static str, Value)> {
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

    fn ledger_entries(&self) -> Vec<Entry> {
        let mut live: Vec<Entry> = self
            .offers
            .par_iter()
            .map(|o| Entry {
                kind: Kind::Offer,
                id: o.id.clone(),
                path: o.path.clone(),
                state: State::Published,
                title: o.title.clone(),
                cfa_path: o.cfa.path.clone(),
                diploma: o.diploma_slug.clone(),
                department: o.place.address.department.clone().unwrap_or_default(),
                domain: o.domain_slug.clone().unwrap_or_default(),
                fingerprint: fingerprint(&serde_json::to_vec(o).expect("plain data")),
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

    /// Renders the whole tree.
    pub fn render(mut self, sink: &dyn PageSink) -> Result<Rendered, SiteError> {
        let config = self.input.config;
        let changes = self.ledger.update(self.ledger_entries());
        let mut notes = std::mem::take(&mut self.notes);
        notes.extend(changes.notes());

        // Every page, described first, rendered in parallel.
        let mut jobs: Vec<Job<'_>> = Vec::new();
        let mut sitemap: Vec<String> = Vec::new();
        let plain = |path: &str, template: &str, extra: Vec<(&'static str, Value)>| Job::Plain {
            path: path.to_string(),
            template: template.to_string(),
            extra,
        };
        jobs.push(plain("/", "home.html", self.home_context()));
        let search_template = if self.theme.has("search.html") {
            "search.html"
        } else {
            SEARCH_FALLBACK_NAME
        };
        jobs.push(plain(
            "/recherche/",
            search_template,
            vec![("search", self.search_context())],
        ));
        jobs.push(plain("/404.html", "404.html", vec![]));
        let handicap_page = self.content.iter().find(|c| c.path == "/handicap/");
        jobs.push(plain(
            "/handicap/",
            "handicap.html",
            vec![
                ("handicap", self.handicap_context()),
                ("page", json!(handicap_page)),
                ("resources", json!(self.resources.ressources)),
            ],
        ));
        for c in self.content.iter().filter(|c| c.path != "/handicap/") {
            jobs.push(plain(&c.path, "content.html", vec![("page", json!(c))]));
        }
        jobs.push(plain(
            "/calendrier/",
            "calendars.html",
            vec![
                ("calendars", json!(self.calendars)),
                ("source", json!(self.calendar.source)),
            ],
        ));
        for c in &self.calendars {
            jobs.push(plain(
                &c.path,
                "calendar.html",
                vec![
                    ("calendar", json!(c)),
                    ("source", json!(self.calendar.source)),
                ],
            ));
        }
        // Browse: an index per dimension, then each value, paginated.
        for (dim, facets) in &self.facets {
            let entries: Vec<Value> = facets
                .iter()
                .map(|f| {
                    json!({"label": f.label, "url": format!("/{}/{}/", dim.segment(), f.slug),
                           "count": f.offers.len()})
                })
                .collect();
            jobs.push(plain(
                &format!("/{}/", dim.segment()),
                "browse_index.html",
                vec![("heading", json!(dim.title())), ("entries", json!(entries))],
            ));
            for f in facets {
                let pages = f.offers.len().div_ceil(PER_PAGE).max(1);
                for page in 1..=pages {
                    jobs.push(Job::Browse {
                        dim: *dim,
                        facet: f,
                        page,
                    });
                }
            }
        }
        let cfa_entries: Vec<Value> = {
            let mut list: Vec<(&Cfa, &str)> = self
                .cfas
                .iter()
                .map(|c| (c, self.offers[c.offers[0]].cfa.name.as_str()))
                .collect();
            list.sort_by_cached_key(|(c, n)| (crate::model::fold(n), c.path.clone()));
            list.iter()
                .map(|(c, n)| {
                    let town = &self.offers[c.offers[0]].cfa.address.town;
                    json!({"label": n, "url": c.path, "count": c.offers.len(), "detail": town})
                })
                .collect()
        };
        jobs.push(plain(
            "/cfa/",
            "browse_index.html",
            vec![
                ("heading", json!("Les CFA et leurs formations")),
                ("entries", json!(cfa_entries)),
            ],
        ));
        for c in &self.cfas {
            jobs.push(Job::Cfa(c));
            jobs.extend(self.embed_jobs(c));
        }
        for i in 0..self.offers.len() {
            jobs.push(Job::Offer(i));
        }
        // Every live page is in the sitemap (404.html is not a page of its own URL).
        for job in &jobs {
            let path = self.job_path(job);
            // The embedding pages are tools for CFAs, not pages to find in a search.
            if path.ends_with('/') && !path.contains("/integrer/") {
                sitemap.push(path);
            }
        }
        // The search without JavaScript: a page per word of the browse pages' names
        // (not in the sitemap: they repeat the browse pages).
        let mut nojs_links: Vec<super::nojs::Link> = Vec::new();
        for (dim, facets) in &self.facets {
            let kind = match dim {
                Dim::Level => "Niveau",
                Dim::Department => "Département",
                Dim::Domain => "Domaine",
                Dim::Diploma => "Diplôme",
            };
            nojs_links.extend(facets.iter().map(|f| super::nojs::Link {
                label: f.label.clone(),
                url: format!("/{}/{}/", dim.segment(), f.slug),
                kind,
                count: f.offers.len(),
            }));
        }
        nojs_links.extend(cfa_entries.iter().map(|e| super::nojs::Link {
            label: e["label"].as_str().unwrap_or_default().to_string(),
            url: e["url"].as_str().unwrap_or_default().to_string(),
            kind: "CFA",
            count: e["count"].as_u64().unwrap_or(0) as usize,
        }));
        let nojs = super::nojs::Table::new(nojs_links, &self.glossary);
        let has_nojs = self.theme.has("search_nojs.html");
        if has_nojs {
            jobs.push(plain(
                "/recherche/sans-js/",
                "search_nojs.html",
                vec![("query", Value::Null), ("matches", json!(nojs.links))],
            ));
            for word in nojs.words.keys() {
                jobs.push(plain(
                    &super::nojs::Table::word_path(word),
                    "search_nojs.html",
                    vec![
                        ("query", json!(word)),
                        ("matches", json!(nojs.matches(word))),
                    ],
                ));
            }
        }
        // The open-data page is made last (it lists the sizes of the files).
        sitemap.push("/donnees/".to_string());
        // Old URLs: withdrawn pages and redirects, never over a live page.
        let mut live_paths: HashSet<String> = sitemap.iter().cloned().collect();
        for e in &changes.retired {
            if live_paths.insert(e.path.clone()) {
                jobs.push(Job::Retired(e));
            }
        }
        let mut redirects = String::new();
        for (_, from, to) in &changes.redirects {
            if live_paths.insert(from.clone()) {
                jobs.push(Job::Redirect { from, to });
                redirects.push_str(&format!("{from} {to} 301!\n"));
            }
        }

        // Everything but the pages first: then the list of files is complete before a
        // single page renders, and each page checks its links as it is made.
        let mut files = crate::output::Files::new();
        let base_url = &self.base_url;
        let sitemap_urls: Vec<String> = sitemap.iter().map(|p| format!("{base_url}{p}")).collect();
        files.merge("", feeds::sitemap(base_url, sitemap_urls));
        files.insert("robots.txt", feeds::robots(base_url));
        let updated = atom_updated(self.calendar);
        let mut new_offers: Vec<&OfferView> = self
            .sorted
            .iter()
            .map(|i| &self.offers[*i])
            .filter(|o| o.new)
            .collect();
        new_offers.truncate(500);
        files.insert(
            "nouveautes.atom",
            feeds::atom(&config.site.title, base_url, &updated, &new_offers),
        );
        let catalogue: Vec<&OfferView> = self.sorted.iter().map(|i| &self.offers[*i]).collect();
        files.insert("donnees/offres.json", opendata::json(&catalogue, base_url));
        files.insert("donnees/offres.csv", opendata::csv(&catalogue, base_url));
        files.insert("donnees/catalogue.json", catalogue::json(&catalogue));
        let licence = opendata::Licence {
            name: config.site.licence.clone(),
            url: config.site.licence_url.clone(),
        };
        files.insert(
            "donnees/schema.json",
            opendata::schema(
                &config.site.title,
                &config.site.publisher,
                base_url,
                &licence,
            ),
        );
        // LHÉO needs a five-digit postcode; an unusable one is replaced by its town's,
        // from the national communes table, loaded only if some address needs it.
        let communes = std::sync::OnceLock::new();
        let postcode_of = |insee: &str| {
            communes
                .get_or_init(crate::communes::Communes::builtin)
                .by_insee(insee)
                .and_then(|c| c.postcodes.first().cloned())
        };
        // One LHÉO file per CFA, beside its page; small, so sent like a page.
        let mut streamed: Vec<String> = Vec::new();
        for c in &self.cfas {
            let list: Vec<&OfferView> = c.offers.iter().map(|i| &self.offers[*i]).collect();
            let bytes = lheo::write(Vec::new(), &list, &postcode_of)
                .map_err(|e| SiteError::Render(format!("LHÉO of {}: {e}", c.path)))?;
            let path = format!("{}lheo.xml", c.path.trim_start_matches('/'));
            sink.write(&path, &bytes, crate::output::key_of(&[&bytes]))?;
            streamed.push(path);
        }
        // The whole catalogue in LHÉO: streamed to its file when the writer can, so
        // 100,000 offers never sit in memory as XML.
        let lheo_size =
            match sink.open(LHEO_FILE)? {
                Some(out) => {
                    let (mut out, size) = lheo::write_counted(out, &catalogue, &postcode_of)
                        .map_err(|source| SiteError::Write {
                            path: LHEO_FILE.into(),
                            source,
                        })?;
                    out.flush().map_err(|source| SiteError::Write {
                        path: LHEO_FILE.into(),
                        source,
                    })?;
                    drop(out);
                    sink.streamed(LHEO_FILE)?;
                    streamed.push(LHEO_FILE.to_string());
                    size
                }
                None => {
                    let bytes =
                        lheo::write(Vec::new(), &catalogue, &postcode_of).map_err(|source| {
                            SiteError::Write {
                                path: LHEO_FILE.into(),
                                source,
                            }
                        })?;
                    let size = bytes.len() as u64;
                    files.insert(LHEO_FILE, bytes);
                    size
                }
            };
        let stamp = self
            .calendar
            .stamp()
            .map_err(|m| SiteError::Render(format!("calendar: {m}")))?;
        for c in &self.calendar.calendars {
            files.insert(
                format!("calendrier/{}.ics", c.slug),
                super::calendar::ics(c, stamp, base_url),
            );
        }
        if has_nojs {
            redirects.push_str(super::nojs::Table::redirects());
        }
        files.insert("_redirects", redirects);
        files.merge("", self.theme.assets.files.clone());
        if let Some(m) = &self.map {
            files.insert(m.url.trim_start_matches('/'), m.svg.clone());
        }
        files.merge("", self.input.search.files.clone());

        // The open-data page lists every download with its size, once all are made.
        let donnees = self.donnees_context(&files, lheo_size, &licence);
        jobs.push(Job::Plain {
            path: "/donnees/".to_string(),
            template: "donnees.html".to_string(),
            extra: donnees,
        });

        let mut known: HashSet<String> = files.iter().map(|(p, _)| p.to_string()).collect();
        known.extend(streamed);
        for job in &jobs {
            known.insert(file_of(&self.job_path(job)));
        }
        // The tree's shape is known before any page is made: check it first.
        if let Some((folder, entries)) = links::folder_counts(known.iter().map(String::as_str))
            .into_iter()
            .find(|(_, n)| *n > links::MAX_FOLDER_ENTRIES)
        {
            return Err(SiteError::CrowdedFolder { folder, entries });
        }
        let recheck_kept = sink
            .previous()
            .is_some_and(|m| m.paths().any(|p| !known.contains(p)));
        let env = Env {
            base: self.base_context(),
            known,
            sink,
            recheck_kept,
        };
        let pages = jobs.len();
        let found = std::sync::Mutex::new(Vec::new());
        jobs.par_iter().try_for_each(|job| {
            let page = self.render_job(&env, job)?;
            if !page.broken.is_empty() {
                found.lock().expect("no panic holds it").extend(page.broken);
            }
            if page.kept {
                return Ok(());
            }
            sink.write(&page.file, &page.html, page.key)
                .map_err(SiteError::from)
        })?;
        let mut broken = found.into_inner().expect("no panic holds it");
        if !broken.is_empty() {
            broken.sort();
            return Err(SiteError::BrokenLinks(broken));
        }
        Ok(Rendered {
            pages: pages + files.iter().filter(|(p, _)| p.ends_with(".html")).count(),
            files,
            notes,
            ledger: changes.ledger.to_csv(),
            ledger_path: self.input.ledger_path.to_path_buf(),
        })
    }
}

/// The feed's `updated`: `SOURCE_DATE_EPOCH` when the CI sets it (the reproducible-builds
/// convention: the commit time of the data), else the calendar's fixed stamp. Never the
/// clock.
fn atom_updated(calendar: &CalendarFile) -> String {
    if let Some(t) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
    {
        return t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    }
    calendar.dtstamp.clone()
}

/// The text between the first `open` and the next `close`.
fn between<'h>(haystack: &'h str, open: &str, close: &str) -> Option<&'h str> {
    let start = haystack.find(open)? + open.len();
    let len = haystack[start..].find(close)?;
    Some(&haystack[start..start + len])
}

/// Undoes [`super::theme::escape_html`] (the tags' template escapes again).
fn unescape_html(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `1,2 Mo`, `35 ko`, `812 octets`: a size as a French page prints it.
fn file_size(bytes: u64) -> String {
    let b = bytes as f64;
    if bytes >= 1_000_000 {
        format!("{:.1} Mo", b / 1_000_000.0).replace('.', ",")
    } else if bytes >= 1_000 {
        format!("{} ko", (b / 1_000.0).round())
    } else {
        format!("{bytes} octets")
    }
}

/// The values of one dimension with their offers (listing order kept).
fn facets_of(dim: Dim, offers: &[OfferView], sorted: &[usize]) -> Vec<Facet> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_shows_the_ends_and_the_neighbourhood() {
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
