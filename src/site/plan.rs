//! Planning the tree: every page to make (as [`Job`]s), every other file (feeds,
//! sitemap, open data, LHÉO, calendars, redirects), the tree's shape checked, then every
//! page rendered in parallel into the sink.

use super::calendar::CalendarFile;
use super::contexts::*;
use super::ledger::Entry;
use super::model::*;
use super::render::*;
use super::theme::SEARCH_FALLBACK_NAME;
use super::views::{Listed, OfferView};
use super::{PageSink, Rendered, SiteError, catalogue, feeds, lheo, links, opendata, records};
use crate::output::Splice;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::borrow::Cow;
use std::io::Write;

/// The whole catalogue in LHÉO 2.3.
pub(super) const LHEO_FILE: &str = "donnees/lheo.xml";

/// A CFA's LHÉO file, beside its page.
fn lheo_path(c: &Cfa) -> String {
    format!("{}lheo.xml", c.path.trim_start_matches('/'))
}

/// The whole catalogue's downloads made of one record per offer (see [`records`]).
const DOWNLOADS: [&str; 3] = [
    "donnees/offres.json",
    "donnees/offres.csv",
    "donnees/catalogue.json",
];

/// A page to render.
pub(super) enum Job<'a> {
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
    /// Another spelling of a no-JS search, sending on to the query's own page.
    Alias {
        path: String,
        target: String,
    },
    Plain {
        path: String,
        template: String,
        /// Boxed: the home and open-data pages are large, the other jobs a few words.
        page: Box<PlainPage<'a>>,
    },
}

/// The feed's `updated`: `SOURCE_DATE_EPOCH` when the CI sets it (the reproducible-builds
/// convention: the commit time of the data), else the calendar's fixed stamp. Never the
/// clock.
pub(super) fn atom_updated(calendar: &CalendarFile) -> String {
    if let Some(t) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
    {
        return t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    }
    calendar.dtstamp.clone()
}

/// A page made from data known while the tree is planned.
fn plain<'p>(path: &str, template: &str, page: PlainPage<'p>) -> Job<'p> {
    Job::Plain {
        path: path.to_string(),
        template: template.to_string(),
        page: Box::new(page),
    }
}

impl<'a> Site<'a> {
    /// The two pages that let a CFA show its list on its own site: the page with the
    /// `<iframe>` snippet (`/cfa/<slug>/integrer/`) and the minimal page the snippet
    /// shows (`/integrer/<slug>/`, the only one `netlify.toml` lets other sites frame).
    pub(super) fn embed_jobs<'s>(&'s self, c: &'s Cfa) -> Vec<Job<'s>> {
        let slug = c
            .path
            .trim_start_matches("/cfa/")
            .trim_end_matches('/')
            .to_string();
        let name = &self.offers[c.offers[0]].cfa.name;
        let embed_path = format!("/integrer/{slug}/");
        let title = format!("Formations en apprentissage – {name}");
        let snippet = format!(
            "<iframe src=\"{}{embed_path}\" title=\"{}\" width=\"640\" height=\"600\" loading=\"lazy\"></iframe>",
            self.base_url,
            super::theme::escape_html(&title),
        );
        let offers: Vec<&Listed> = c.offers.iter().map(|i| &self.summaries[*i]).collect();
        let cfa = EmbedCfa {
            name,
            path: &c.path,
            count: c.offers.len(),
        };
        vec![
            plain(
                &format!("{}integrer/", c.path),
                "integrer.html",
                PlainPage::Embed(EmbedPage {
                    cfa,
                    embed_path: embed_path.clone(),
                    embed_title: title.clone(),
                    snippet,
                }),
            ),
            plain(
                &embed_path,
                "integrer_liste.html",
                PlainPage::EmbedList(EmbedListPage {
                    cfa,
                    embed_title: title,
                    offers,
                }),
            ),
        ]
    }

    /// Renders the whole tree.
    pub fn render(mut self, sink: &dyn PageSink) -> Result<Rendered, SiteError> {
        let config = self.input.config;
        // Each offer's view key, for its fingerprint in the ledger and its pages' keys
        // (the downloads' records and the CFAs' LHÉO files are made of views alone): the
        // previous build's when the view is made of the same inputs, else the view
        // serialised once.
        let views_made_of = crate::output::key_of(&[
            &self.input.views_made_of.to_le_bytes(),
            &self.glossary.key().to_le_bytes(),
        ]);
        let previous_keys =
            super::view_keys::ViewKeys::read(self.input.previous_view_keys, views_made_of);
        let (fingerprints, view_keys): (Vec<String>, Vec<[u8; 16]>) = self
            .offers
            .par_iter()
            .enumerate()
            .map(|(i, o)| {
                // The view's structure hashed as it is serialised, no JSON made: the
                // JSON of 100,000 views was 0.5 s of CPU in a rebuild (perf). The
                // ledger's fingerprint is the key's first 32 bits.
                let key = self
                    .made_of
                    .get(i)
                    .and_then(|m| previous_keys.get(*m))
                    .unwrap_or_else(|| crate::output::key_of_serialized(o).to_le_bytes());
                let mut fingerprint = String::with_capacity(8);
                crate::output::push_hex(&mut fingerprint, u128::from_le_bytes(key) >> 96, 8);
                (fingerprint, key)
            })
            .unzip();
        drop(previous_keys);
        let new_view_keys = match self.made_of.len() == view_keys.len() {
            true => super::view_keys::ViewKeys::to_bytes(
                views_made_of,
                self.made_of.iter().copied().zip(view_keys.iter().copied()),
            ),
            false => Vec::new(),
        };
        let mut notes = std::mem::take(&mut self.notes);
        // The search without JavaScript: a page per word of the browse pages' names and
        // per common pair of words (not in the sitemap: they repeat the browse pages).
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
                also: String::new(),
                offers: f.offers.clone(),
            }));
        }
        let mut cfa_links: Vec<super::nojs::Link> = self
            .cfas
            .iter()
            .map(|c| {
                let cfa = &self.offers[c.offers[0]].cfa;
                super::nojs::Link {
                    label: cfa.name.clone(),
                    url: c.path.clone(),
                    kind: "CFA",
                    count: c.offers.len(),
                    also: cfa.address.town.clone().unwrap_or_default(),
                    offers: c.offers.clone(),
                }
            })
            .collect();
        // In the order of the CFA list.
        cfa_links.sort_by_cached_key(|l| (crate::model::fold(&l.label), l.url.clone()));
        nojs_links.extend(cfa_links);
        let nojs = super::nojs::Table::new(nojs_links, &self.glossary);
        let has_nojs = self.theme.has("search_nojs.html");
        // The sitemap's URLs, whole.
        let sitemap_urls = |sitemap: &[String]| -> Vec<String> {
            sitemap
                .iter()
                .map(|p| [self.base_url.as_str(), p].concat())
                .collect()
        };
        // The ledger brought up to date (serial: a tenth of a second at 100,000 offers)
        // side by side with the planning of the pages, which does not need it.
        let (changes, (mut jobs, sitemap, sitemap_xml, search_job)) = rayon::join(
            || self.ledger.update(self.ledger_entries(&fingerprints)),
            || {
                // Every page, described first, rendered in parallel.
                let mut jobs: Vec<Job<'_>> = Vec::new();
                let mut sitemap: Vec<String> = Vec::new();
                jobs.push(plain("/", "home.html", PlainPage::Home(self.home_page())));
                let search_template = if self.theme.has("search.html") {
                    "search.html"
                } else {
                    SEARCH_FALLBACK_NAME
                };
                // The search page's data comes from the search stage, still at work on another
                // thread: its place is kept here (the sitemap's order) and filled in below.
                let search_job = jobs.len();
                jobs.push(plain(
                    "/recherche/",
                    search_template,
                    PlainPage::BaseOnly(BaseOnly {}),
                ));
                jobs.push(plain(
                    "/404.html",
                    "404.html",
                    PlainPage::BaseOnly(BaseOnly {}),
                ));
                let handicap_page = self.content.iter().find(|c| c.path == "/handicap/");
                jobs.push(plain(
                    "/handicap/",
                    "handicap.html",
                    PlainPage::Handicap(self.handicap_page(handicap_page)),
                ));
                for c in self.content.iter().filter(|c| c.path != "/handicap/") {
                    jobs.push(plain(
                        &c.path,
                        "content.html",
                        PlainPage::Text(TextPage { page: c }),
                    ));
                }
                let source = self.calendar.source.as_deref();
                jobs.push(plain(
                    "/calendrier/",
                    "calendars.html",
                    PlainPage::Calendars(CalendarsPage {
                        calendars: &self.calendars,
                        source,
                    }),
                ));
                for c in &self.calendars {
                    jobs.push(plain(
                        &c.path,
                        "calendar.html",
                        PlainPage::Calendar(CalendarPage {
                            calendar: c,
                            source,
                        }),
                    ));
                }
                // Browse: an index per dimension, then each value, paginated.
                for (dim, facets) in &self.facets {
                    jobs.push(plain(
                        &format!("/{}/", dim.segment()),
                        "browse_index.html",
                        PlainPage::Index(IndexPage {
                            heading: dim.title(),
                            entries: self.facet_entries(*dim),
                        }),
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
                let cfa_entries: Vec<ListEntry<'_>> = {
                    let mut list: Vec<(&Cfa, &str)> = self
                        .cfas
                        .iter()
                        .map(|c| (c, self.offers[c.offers[0]].cfa.name.as_str()))
                        .collect();
                    list.sort_by_cached_key(|(c, n)| (crate::model::fold(n), c.path.clone()));
                    list.iter()
                        .map(|(c, n)| {
                            let town = &self.offers[c.offers[0]].cfa.address.town;
                            ListEntry {
                                label: n,
                                url: Cow::Borrowed(&c.path),
                                count: c.offers.len(),
                                detail: Some(town.as_deref()),
                            }
                        })
                        .collect()
                };
                jobs.push(plain(
                    "/cfa/",
                    "browse_index.html",
                    PlainPage::Index(IndexPage {
                        heading: "Les CFA et leurs formations",
                        entries: cfa_entries,
                    }),
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
                // The open-data page is made last (it lists the sizes of the files).
                sitemap.push("/donnees/".to_string());
                // The sitemap's XML (every URL sorted and escaped: 0.1 s at 100,000 offers) is
                // made on a thread of its own while this one plans the rest, on one core.
                let sitemap_xml = {
                    let (base_url, urls) = (self.base_url.clone(), sitemap_urls(&sitemap));
                    std::thread::Builder::new()
                        .name("sitemap".into())
                        .spawn(move || feeds::sitemap(&base_url, urls))
                };
                if has_nojs {
                    jobs.push(plain(
                        "/recherche/sans-js/",
                        "search_nojs.html",
                        PlainPage::NoJs(NoJsPage {
                            query: None,
                            matches: nojs.links.iter().collect(),
                        }),
                    ));
                    let pages = nojs.pages(super::nojs::MAX_PAIRS);
                    for (path, query) in pages.queries {
                        let mut matches = nojs.matches(&query);
                        if query.contains(' ') {
                            matches.truncate(super::nojs::PAIR_LINKS);
                        }
                        jobs.push(plain(
                            &path,
                            "search_nojs.html",
                            PlainPage::NoJs(NoJsPage {
                                query: Some(query),
                                matches,
                            }),
                        ));
                    }
                    // Another spelling: a page that sends on to the query's own.
                    for (path, target) in pages.aliases {
                        jobs.push(Job::Alias { path, target });
                    }
                }
                (jobs, sitemap, sitemap_xml, search_job)
            },
        );
        notes.extend(changes.notes());
        // Old URLs: withdrawn pages and redirects, never over a live page.
        let mut live_paths: FxHashSet<&str> = sitemap.iter().map(String::as_str).collect();
        for e in &changes.retired {
            if live_paths.insert(&e.path) {
                jobs.push(Job::Retired(e));
            }
        }
        let mut redirects = String::new();
        for (_, from, to) in &changes.redirects {
            if live_paths.insert(from) {
                jobs.push(Job::Redirect { from, to });
                redirects.push_str(&format!("{from} {to} 301!\n"));
            }
        }

        // Everything but the pages first: then the list of files is complete before a
        // single page renders, and each page checks its links as it is made.
        let mut files = crate::output::Files::new();
        let base_url = &self.base_url;
        let sitemap_files = match sitemap_xml {
            Ok(thread) => thread.join().expect("making the sitemap does not panic"),
            // No thread to be had: made here.
            Err(_) => feeds::sitemap(base_url, sitemap_urls(&sitemap)),
        };
        files.merge("", sitemap_files);
        files.insert("robots.txt", feeds::robots(base_url));
        let updated = atom_updated(self.calendar);
        let mut new_offers: Vec<&OfferView<'_>> = self
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
        let catalogue: Vec<&OfferView<'_>> = self.sorted.iter().map(|i| &self.offers[*i]).collect();
        // LHÉO needs a five-digit postcode; an unusable one is replaced by its town's,
        // from the national communes table, loaded only if some address needs it.
        let communes = std::sync::OnceLock::new();
        let postcode_of = |insee: &str| {
            communes
                .get_or_init(crate::communes::Communes::builtin)
                .by_insee(insee)
                .and_then(|c| c.postcodes.first().map(|p| p.to_string()))
        };
        // The downloads hold every offer: made again only when some offer's view
        // changed (their key is that of the whole catalogue, made of the views' keys),
        // side by side.
        let catalogue_key = crate::output::key_of(
            &self
                .sorted
                .iter()
                .map(|i| view_keys[*i].as_slice())
                .collect::<Vec<_>>(),
        );
        // The records of an unchanged offer are copied from the previous files.
        let keys: Vec<records::ViewKey> = self.sorted.iter().map(|i| view_keys[*i]).collect();
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
        // The open-data page lists every download with its size: its place is kept here
        // and it is made once the downloads are.
        let open_data_job = jobs.len();
        jobs.push(plain(
            "/donnees/",
            "donnees.html",
            PlainPage::BaseOnly(BaseOnly {}),
        ));

        let mut known: rustc_hash::FxHashSet<String> =
            files.iter().map(|(p, _)| p.to_string()).collect();
        known.extend(DOWNLOADS.iter().map(|p| p.to_string()));
        known.extend(self.lheo_paths());
        known.insert(LHEO_FILE.to_string());
        // Each page's file name made on the pool (two strings a page), then gathered.
        let pages_files: Vec<String> = jobs
            .par_iter()
            .map(|job| file_of(&self.job_path(job)))
            .collect();
        known.extend(pages_files);
        // The tree's shape is known before any page is made: check it first (the
        // search's files, still in the making, are checked with them below).
        let too_many = |(folder, entries): (&str, usize)| SiteError::CrowdedFolder {
            folder: folder.to_string(),
            entries,
        };
        if let Some(c) = links::crowded(known.iter().map(String::as_str)) {
            return Err(too_many(c));
        }
        // A kept page's links all worked in the previous tree: only a file gone since
        // can break one. The search shards are not among them: they change names with
        // every change of an offer, and no page links to them (the script finds them
        // through the manifest named on the search page, which is made again).
        let recheck_kept = sink.previous().is_some_and(|m| {
            m.paths()
                .any(|p| !known.contains(p) && !p.starts_with(crate::search::export::DIR))
        });
        let mut env = Env::new(self.base_context()?, known, sink, recheck_kept, &view_keys);
        let pages = jobs.len();
        let found = std::sync::Mutex::new(Vec::new());
        let render = |env: &Env<'_>, job: &Job<'_>| -> Result<(), SiteError> {
            let page = self.render_job(env, job)?;
            if !page.broken.is_empty() {
                found.lock().expect("no panic holds it").extend(page.broken);
            }
            if page.kept {
                return Ok(());
            }
            sink.write(&page.file, &page.html, page.key)
                .map_err(SiteError::from)
        };
        let download = |path: &'static str, layout: &records::Layout<'_>| {
            self.download(sink, path, catalogue_key, layout, &catalogue, &keys)
        };
        // The search's files, handed to the sink as soon as its stage is done (it is,
        // by the time the pages render: on its own thread it takes about half the
        // site's time), and the tree checked with them; the files the sink does not
        // take go with the others.
        let search_files = || {
            let search = self
                .input
                .search
                .get()
                .ok_or_else(|| SiteError::Render("the search index was not made".into()))?;
            let mut left = crate::output::Files::new();
            for (path, bytes) in search.files.iter() {
                if !sink.take_file(path, bytes)? {
                    left.insert(path, bytes);
                }
            }
            let added: Vec<&str> = search.files.iter().map(|(p, _)| p).collect();
            let all: Vec<&str> = env
                .known
                .iter()
                .map(String::as_str)
                .chain(added.iter().copied())
                .collect();
            if let Some(c) = links::crowded_after(&all, &added) {
                return Err(too_many(c));
            }
            Ok((search, added, left))
        };
        // Every page but the search and open-data pages, side by side with the downloads
        // and the search's files (the search stage works on its own thread); then the
        // open-data page with the downloads' sizes, and the search page from what its
        // stage made.
        let (((json, csv), (catalogue_json, lheo)), (ledger, (pages_done, searched))) = rayon::join(
            || {
                rayon::join(
                    || {
                        rayon::join(
                            || download(DOWNLOADS[0], &opendata::json_layout(base_url)),
                            || download(DOWNLOADS[1], &opendata::csv_layout(base_url)),
                        )
                    },
                    || {
                        rayon::join(
                            || download(DOWNLOADS[2], &catalogue::layout()),
                            || {
                                self.write_lheo(
                                    sink,
                                    &catalogue,
                                    &view_keys,
                                    catalogue_key,
                                    &postcode_of,
                                )
                            },
                        )
                    },
                )
            },
            || {
                rayon::join(
                    // The ledger's bytes (written once the tree is in place), off the
                    // serial end of the build.
                    || changes.ledger.to_csv(),
                    || {
                        rayon::join(
                            || {
                                jobs.par_iter()
                                    .enumerate()
                                    .filter(|(i, _)| *i != search_job && *i != open_data_job)
                                    .try_for_each(|(_, job)| render(&env, job))
                            },
                            search_files,
                        )
                    },
                )
            },
        );
        pages_done?;
        let (search, added, left) = searched?;
        let mut made: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
        for (path, size) in [json?, csv?, catalogue_json?] {
            made.insert(path, size);
        }
        made.insert(LHEO_FILE, lheo?.1);
        if let Job::Plain { page, .. } = &mut jobs[open_data_job] {
            **page = PlainPage::OpenData(self.open_data_page(&files, &made, &licence));
        }
        render(&env, &jobs[open_data_job])?;
        files.merge("", left);
        env.know(&added);
        if let Job::Plain { page, .. } = &mut jobs[search_job] {
            **page = PlainPage::Search(self.search_page(search));
        }
        render(&env, &jobs[search_job])?;
        let mut broken = found.into_inner().expect("no panic holds it");
        if !broken.is_empty() {
            broken.sort();
            return Err(SiteError::BrokenLinks(broken));
        }
        // The views and the ledgers are not freed on the build's serial end (about 100 M
        // instructions at 10,000 offers): the ledgers on a thread of their own.
        drop((jobs, env, catalogue, keys));
        crate::drop_later(changes);
        // The views borrow the offers (for their details): not sent to another thread,
        // but not freed at all when the process ends with the run.
        crate::free_unless_exiting(std::mem::take(&mut self.offers));
        Ok(Rendered {
            pages: pages + files.iter().filter(|(p, _)| p.ends_with(".html")).count(),
            files,
            notes,
            ledger,
            ledger_path: self.input.ledger_path.to_path_buf(),
            view_keys: new_view_keys,
        })
    }

    /// One download of the whole catalogue, sent to the sink; kept when the catalogue
    /// did not change, else made with the records of unchanged offers copied from the
    /// previous file (see [`records`]). Returns its path and size.
    fn download<'p>(
        &self,
        sink: &dyn PageSink,
        path: &'p str,
        catalogue_key: crate::output::Key,
        layout: &records::Layout<'_>,
        catalogue: &[&OfferView<'_>],
        keys: &[records::ViewKey],
    ) -> Result<(&'p str, u64), SiteError> {
        let key = crate::output::key_of(&[path.as_bytes(), &catalogue_key.to_le_bytes()]);
        if sink.reuse(path, key)?
            && let Some(size) = sink.previous().and_then(|m| m.size(path))
        {
            return Ok((path, size));
        }
        let write_err = |source| SiteError::Write {
            path: path.into(),
            source,
        };
        // Streamed to its file when the sink can take a stream: at 100,000 offers each
        // download is over 100 MB, and they are made side by side.
        match sink.open(path)? {
            Some(mut out) => {
                let previous = sink.previous_beside(path).and_then(|(file, data)| {
                    let spans = records::Spans::from_bytes(&data)?;
                    let size = file.metadata().ok()?.len();
                    spans.fit(size).then_some((file, spans))
                });
                let (spans, size) = records::write(
                    &mut out,
                    layout,
                    catalogue,
                    keys,
                    previous.as_ref().map(|(f, s)| (f, s)),
                )
                .map_err(write_err)?;
                out.flush().map_err(write_err)?;
                drop(out);
                sink.streamed(path, key)?;
                sink.keep_beside(path, &spans.to_bytes())?;
                Ok((path, size))
            }
            None => {
                let mut bytes = Vec::new();
                records::write_from_scratch(&mut bytes, layout, catalogue).map_err(write_err)?;
                sink.write(path, &bytes, key)?;
                Ok((path, bytes.len() as u64))
            }
        }
    }

    /// Each CFA's LHÉO file.
    fn lheo_paths(&self) -> impl Iterator<Item = String> + '_ {
        self.cfas.iter().map(lheo_path)
    }

    fn write_lheo(
        &self,
        sink: &dyn PageSink,
        catalogue: &[&OfferView<'_>],
        view_keys: &[[u8; 16]],
        catalogue_key: crate::output::Key,
        postcode_of: lheo::PostcodeOf<'_>,
    ) -> Result<(Vec<String>, u64), SiteError> {
        let mut files: Vec<String> = self
            .cfas
            .par_iter()
            .map(|c| {
                let list: Vec<&OfferView<'_>> = c.offers.iter().map(|i| &self.offers[*i]).collect();
                let path = lheo_path(c);
                // Made from its offers' views alone (the communes table is the
                // binary's): a CFA whose offers did not change keeps its file.
                let mut parts: Vec<&[u8]> = vec![b"lheo"];
                parts.extend(c.offers.iter().map(|i| view_keys[*i].as_slice()));
                let key = crate::output::key_of(&parts);
                if sink.reuse(&path, key)? {
                    return Ok(path);
                }
                let bytes = lheo::write(Vec::new(), &list, postcode_of)
                    .map_err(|e| SiteError::Render(format!("LHÉO of {}: {e}", c.path)))?;
                sink.write(&path, &bytes, key)?;
                Ok(path)
            })
            .collect::<Result<_, SiteError>>()?;
        let key = crate::output::key_of(&[LHEO_FILE.as_bytes(), &catalogue_key.to_le_bytes()]);
        if sink.reuse(LHEO_FILE, key)?
            && let Some(size) = sink.previous().and_then(|m| m.size(LHEO_FILE))
        {
            files.push(LHEO_FILE.to_string());
            return Ok((files, size));
        }
        let write_err = |source| SiteError::Write {
            path: LHEO_FILE.into(),
            source,
        };
        // Distinct paths sorted: the catalogue's document is then its CFAs' files one
        // after the other (LHÉO groups by CFA page, then certification), and is spliced
        // from them rather than made a second time.
        let spliceable = self.cfas.windows(2).all(|w| w[0].path < w[1].path);
        let size = match sink.open(LHEO_FILE)? {
            Some(out) if spliceable => {
                let mut out = lheo::Counted {
                    inner: out,
                    bytes: 0,
                };
                out.write_all(lheo::head().as_bytes()).map_err(write_err)?;
                for (c, path) in self.cfas.iter().zip(&files) {
                    // The CFA's file as this build gave it: its body is copied by the
                    // kernel.
                    if let Some((file, offset, len)) = sink.given(path).and_then(lheo::body_of) {
                        out.splice(&file, offset, len).map_err(write_err)?;
                        continue;
                    }
                    let list: Vec<&OfferView<'_>> =
                        c.offers.iter().map(|i| &self.offers[*i]).collect();
                    let made = lheo::write(Vec::new(), &list, postcode_of).map_err(write_err)?;
                    // `write` always makes a head and a foot.
                    let body = lheo::body(&made).expect("a document LHÉO's writer made");
                    out.write_all(body).map_err(write_err)?;
                }
                out.write_all(lheo::FOOT.as_bytes()).map_err(write_err)?;
                out.flush().map_err(write_err)?;
                let size = out.bytes;
                drop(out);
                sink.streamed(LHEO_FILE, key)?;
                size
            }
            Some(out) => {
                let (mut out, size) =
                    lheo::write_counted(out, catalogue, postcode_of).map_err(write_err)?;
                out.flush().map_err(write_err)?;
                drop(out);
                sink.streamed(LHEO_FILE, key)?;
                size
            }
            None => {
                let bytes = lheo::write(Vec::new(), catalogue, postcode_of).map_err(write_err)?;
                sink.write(LHEO_FILE, &bytes, key)?;
                bytes.len() as u64
            }
        };
        files.push(LHEO_FILE.to_string());
        Ok((files, size))
    }
}
