//! Rendering one page: its key (template + data) asked of the sink first, so a page made
//! from the same inputs as in the previous build is kept; else Tera, the social tags,
//! the link check, minification and the JSON-LD splice.

use super::contexts::*;
use super::ledger::Kind;
use super::model::*;
use super::plan::*;
use super::theme::tera_message;
use super::views::{Listed, department_name, french_number};
use super::{PageSink, SiteError, jsonld, links};
use crate::output::Key;
use crate::urls;
use rustc_hash::FxHashSet;
use serde::Serialize;
use serde_json::json;
use tera::Context;

/// Stands for an offer's JSON-LD while its page is rendered and minified.
pub(super) const JSONLD_MARKER: &str = "<!--vitrine:jsonld-->";

/// The buffer a page is rendered into: an offer page and its social tags (12–13 kB at
/// 10,000 offers).
const PAGE_BYTES: usize = 16 * 1024;

pub(super) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// What every page render shares: the base context, the files of the tree and where
/// the pages go.
pub(super) struct Env<'s> {
    pub(super) base: Context,
    /// The base's `site` alone: what the social tags' partial is rendered over.
    site: Context,
    /// Key of `base` (see [`Env::new`]).
    pub(super) base_key: Key,
    /// Every file the build writes, pages included.
    pub(super) known: FxHashSet<String>,
    /// The link paths that lead to them.
    reachable: links::Reachable,
    pub(super) sink: &'s dyn PageSink,
    /// Whether a file of the previous tree is gone: a page kept from it (made from the
    /// same inputs) may then link to it, so its links are checked again.
    pub(super) recheck_kept: bool,
    /// The key of each offer's view (of its JSON, made for the ledger), by offer.
    pub(super) view_keys: &'s [[u8; 16]],
}

impl<'s> Env<'s> {
    pub(super) fn new(
        base: Context,
        known: FxHashSet<String>,
        sink: &'s dyn PageSink,
        recheck_kept: bool,
        view_keys: &'s [[u8; 16]],
    ) -> Self {
        let base_key = crate::output::key_of(&[
            &serde_json::to_vec(&base.clone().into_json()).unwrap_or_default()
        ]);
        let mut site = Context::new();
        if let Some(value) = base.get("site") {
            site.insert("site", value);
        }
        Env {
            view_keys,
            site,
            base,
            base_key,
            reachable: links::Reachable::of(known.iter().map(String::as_str)),
            known,
            sink,
            recheck_kept,
        }
    }

    /// Whether an internal link names a file of the tree.
    pub(super) fn exists(&self, link: &str) -> bool {
        self.reachable.reaches(link)
    }

    /// Adds files made once the pages were planned (the search's).
    pub(super) fn know(&mut self, files: &[&str]) {
        self.reachable.add(files.iter().copied());
        self.known.extend(files.iter().map(|f| f.to_string()));
    }
}

/// A rendered page and the links of it that lead nowhere. A page kept from the
/// previous build (same inputs) has no bytes here: the sink already holds them.
pub(super) struct Page {
    pub(super) file: String,
    pub(super) kept: bool,
    pub(super) key: Key,
    pub(super) html: Vec<u8>,
    pub(super) broken: Vec<(String, String)>,
}

/// `/a/b/` → `a/b/index.html`; `/404.html` → `404.html`.
pub(super) fn file_of(path: &str) -> String {
    let p = path.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        [p, "index.html"].concat()
    } else {
        p.to_string()
    }
}

/// The text between the first `open` and the next `close`.
pub(super) fn between<'h>(haystack: &'h str, open: &str, close: &str) -> Option<&'h str> {
    let start = haystack.find(open)? + open.len();
    let len = haystack[start..].find(close)?;
    Some(&haystack[start..start + len])
}

/// Undoes [`super::theme::escape_html`] (the tags' template escapes again).
pub(super) fn unescape_html(s: &str) -> String {
    // Most titles hold no entity: one search, not five copies.
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

impl<'a> Site<'a> {
    /// `template` rendered with `own` over `under` (a name `own` lacks is looked up
    /// there), into a buffer of `capacity` bytes; an error names the template and the
    /// page `path`.
    fn render_over(
        &self,
        template: &str,
        own: &Context,
        under: &Context,
        capacity: usize,
        path: &str,
    ) -> Result<String, SiteError> {
        let error = |message: String| SiteError::Template {
            template: template.to_string(),
            page: path.to_string(),
            message,
        };
        let mut out = Vec::with_capacity(capacity);
        self.theme
            .tera
            .render_over_to(template, own, under, &mut out)
            .map_err(|e| error(tera_message(&e)))?;
        String::from_utf8(out).map_err(|e| error(e.to_string()))
    }

    /// Renders the page at `path` (its canonical URL made from `canonical`) from its
    /// template and its kind's context.
    pub(super) fn render_page(
        &self,
        env: &Env<'_>,
        path: &str,
        canonical: &str,
        template: &str,
        page: &impl Serialize,
    ) -> Result<Page, SiteError> {
        // The page's own data apart from the base context shared by every page, so the
        // key hashes the base once per build (`Env::base_key`), not once per page.
        let own = Own {
            page_url: path,
            canonical_url: [self.base_url.as_str(), canonical].concat(),
            page,
        };
        let file = file_of(path);
        // Everything the page is made from: its template, the base and its own data
        // (what else it depends on, binary, configuration and theme, is in the sink's
        // global key), hashed as it is serialised: a kept page never becomes a
        // JSON value nor a Tera context.
        let key = crate::output::key_of(&[
            template.as_bytes(),
            &env.base_key.to_le_bytes(),
            &crate::output::key_of_serialized(&own).to_le_bytes(),
        ]);
        if env.sink.reuse(&file, key)? {
            let broken = match env.recheck_kept {
                false => Vec::new(),
                true => {
                    let mut html = Vec::new();
                    if let Some(mut f) = env.sink.given(&file) {
                        let _ = std::io::Read::read_to_end(&mut f, &mut html);
                    }
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
        let own = serde_json::to_value(own).map_err(|e| SiteError::Template {
            template: template.to_string(),
            page: path.to_string(),
            message: e.to_string(),
        })?;
        // The page's own context rendered over the base every page shares (looked up
        // there for what it lacks), not merged into a copy of the base made and dropped
        // for each page. Into a buffer the size of a page, not grown from Tera's 2 kB.
        let ctx = context_of(own, template, path)?;
        let html = self.render_over(template, &ctx, &env.base, PAGE_BYTES, path)?;
        let html = self.social_tags(html, env, &ctx, path)?;
        // Links are checked here, on the page just rendered, against every file the
        // build writes (known before any page is rendered).
        let broken = links::internal_links(&html)
            .into_iter()
            .filter(|l| !env.exists(l))
            .map(|l| (file.clone(), l.to_string()))
            .collect();
        Ok(Page {
            html: html.into_bytes(),
            file,
            kept: false,
            key,
            broken,
        })
    }

    /// Adds the Open Graph and Twitter card tags (`partials/og.html`) to a rendered
    /// page, from its own `<title>` and description, so a shared link shows both
    /// whatever template made the page.
    pub(super) fn social_tags(
        &self,
        html: String,
        env: &Env<'_>,
        own: &Context,
        path: &str,
    ) -> Result<String, SiteError> {
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
        // The partial sees `site` and `og`. The site's settings as the page had them:
        // the page's own where it has some, else the base's, looked up where `Env`
        // holds them (serialised once per build, not copied for each page).
        let mut c = Context::from_value(json!({
            "og": {
                "title": title,
                "description": description,
                "url": own.get("canonical_url").or_else(|| env.base.get("canonical_url")),
            },
        }))
        .expect("an object");
        if let Some(site) = own.get("site") {
            c.insert("site", site);
        }
        let tags = self.render_over(PARTIAL, &c, &env.site, 1024, path)?;
        let mut html = html;
        html.insert_str(head_end, &tags);
        Ok(html)
    }

    /// URL path of a page (`/a/b/`, or `/404.html`).
    pub(super) fn job_path(&self, job: &Job<'_>) -> String {
        match job {
            Job::Offer(i) => self.offers[*i].path.clone(),
            Job::Cfa(c) => c.path.clone(),
            Job::Browse { dim, facet, page } => {
                page_url(&format!("/{}/{}/", dim.segment(), facet.slug), *page)
            }
            Job::Retired(e) => e.path.clone(),
            Job::Redirect { from, .. } => from.to_string(),
            Job::Alias { path, .. } => path.clone(),
            Job::Plain { path, .. } => path.clone(),
        }
    }

    pub(super) fn render_job(&self, env: &Env<'_>, job: &Job<'_>) -> Result<Page, SiteError> {
        match job {
            Job::Offer(i) => {
                let o = &self.offers[*i];
                // The JSON-LD goes in after rendering, through a marker only the
                // `| safe` JSON-LD can produce (printed text would read `&lt;!--`):
                // it is the largest part of the page, and the link check need not
                // scan it.
                let key = env.view_keys.get(*i).map(|k| Key::from_le_bytes(*k));
                let mut page = self.render_page(
                    env,
                    &o.path,
                    &o.path,
                    "offer.html",
                    &self.offer_page(o, key),
                )?;
                if page.kept {
                    return Ok(page);
                }
                if let Some(at) = find(&page.html, JSONLD_MARKER.as_bytes()) {
                    let json = jsonld::offer(o, &self.base_url, &self.applications);
                    // The page with its JSON-LD, made once at its final size.
                    let mut html =
                        Vec::with_capacity(page.html.len() - JSONLD_MARKER.len() + json.len());
                    html.extend_from_slice(&page.html[..at]);
                    html.extend_from_slice(json.as_bytes());
                    html.extend_from_slice(&page.html[at + JSONLD_MARKER.len()..]);
                    page.html = html;
                }
                Ok(page)
            }
            Job::Cfa(c) => self.render_page(
                env,
                &c.path,
                &c.path,
                "cfa.html",
                &self.cfa_page(c, env.view_keys),
            ),
            Job::Browse { dim, facet, page } => {
                let base_path = format!("/{}/{}/", dim.segment(), facet.slug);
                let total = facet.offers.len().div_ceil(PER_PAGE).max(1);
                let path = page_url(&base_path, *page);
                let list: Vec<&Listed> = facet
                    .offers
                    .iter()
                    .skip((page - 1) * PER_PAGE)
                    .take(PER_PAGE)
                    .map(|i| &self.summaries[*i])
                    .collect();
                let first = (page - 1) * PER_PAGE + 1;
                let listing = ListingPage {
                    heading: dim.value_title(&facet.label),
                    dimension: DimensionLink {
                        title: dim.title(),
                        url: format!("/{}/", dim.segment()),
                    },
                    label: &facet.label,
                    total: french_number(facet.offers.len()),
                    count: facet.offers.len(),
                    first,
                    last: first + list.len() - 1,
                    offers: list,
                    pagination: pagination(&base_path, *page, total),
                };
                self.render_page(env, &path, &path, "browse.html", &listing)
            }
            Job::Retired(e) => {
                let similar = self.similar(e);
                let department_link = (!e.department.is_empty()).then(|| Link {
                    label: department_name(&e.department),
                    url: format!("/departements/{}/", urls::slug(&e.department)),
                });
                let page = WithdrawnPage {
                    withdrawn: Withdrawn {
                        kind: match e.kind {
                            Kind::Offer => "offre",
                            Kind::Cfa => "cfa",
                        },
                        title: &e.title,
                        cfa_path: (e.kind == Kind::Offer && env.exists(&e.cfa_path))
                            .then_some(e.cfa_path.as_str()),
                        department: department_link.filter(|d| env.exists(&d.url)),
                    },
                    similar,
                };
                self.render_page(env, &e.path, &e.path, "withdrawn.html", &page)
            }
            // The canonical URL of a moved page is its new address.
            Job::Redirect { from, to } => self.render_page(
                env,
                from,
                to,
                "redirect.html",
                &RedirectPage {
                    target: to,
                    target_url: format!("{}{to}", self.base_url),
                    heading: None,
                },
            ),
            // The canonical URL of another spelling is the query's own page.
            Job::Alias { path, target } => self.render_page(
                env,
                path,
                target,
                "redirect.html",
                &RedirectPage {
                    target,
                    target_url: format!("{}{target}", self.base_url),
                    heading: Some("Votre recherche"),
                },
            ),
            Job::Plain {
                path,
                template,
                page,
            } => self.render_page(env, path, path, template, page),
        }
    }
}
