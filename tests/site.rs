//! The public catalogue, built from offers made here (the input is beside the
//! assertions): one page per published offer and none for the others, CFA pages,
//! the disability page, calendars, JSON-LD, open data, links that never break,
//! escaping of hostile spreadsheet text, determinism.

mod site_support;

use site_support::*;
use std::collections::BTreeSet;
use vitrine::model::{Offer, Phone, Problem, Reason, Status, Verdict};
use vitrine::search::SearchAssets;
use vitrine::site;
use vitrine::urls;

#[test]
fn every_published_offer_has_a_page_and_no_other_offer_has_one() {
    let site = TestSite::new();
    let mut offers: Vec<Offer> = (1..=12).map(offer).collect();
    offers[3].marks.closed = true;
    let verdicts = verdicts_for(&offers, &[5, 7]);
    let out = site.render(&offers, &verdicts);
    for (o, v) in offers.iter().zip(&verdicts) {
        let page = format!("{}index.html", &urls::offer_path(o)[1..]);
        assert_eq!(
            out.files.contains(&page),
            v.status == Status::Published,
            "{} ({:?})",
            o.id,
            v.status
        );
    }
    let pages = offer_pages(&out.files);
    assert_eq!(pages.len(), 9);
    // Not published: not in the open data, the sitemap or any list either.
    let json: serde_json::Value =
        serde_json::from_slice(out.files.get("donnees/offres.json").unwrap()).unwrap();
    let ids: BTreeSet<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 9);
    for hidden in ["AF_2027_000004", "AF_2027_000005", "AF_2027_000007"] {
        assert!(!ids.contains(hidden));
        for (path, bytes) in out.files.iter() {
            assert!(
                !String::from_utf8_lossy(bytes).contains(hidden),
                "{hidden} appears in {path}"
            );
        }
    }
    for o in json.as_array().unwrap() {
        let url = o["url"].as_str().unwrap();
        assert!(url.starts_with("https://exemple.test/formations/"), "{url}");
    }
}

#[test]
fn cfa_pages_list_exactly_their_offers() {
    let site = TestSite::new();
    let offers: Vec<Offer> = (1..=10).map(offer).collect();
    let verdicts = verdicts_for(&offers, &[2]);
    let out = site.render(&offers, &verdicts);
    let mut cfa_paths = BTreeSet::new();
    for o in &offers {
        cfa_paths.insert(urls::cfa_path(o));
    }
    assert_eq!(cfa_paths.len(), 3, "the fixture has three CFAs");
    for cfa in &cfa_paths {
        let html = page(&out.files, cfa);
        let listed: BTreeSet<String> = links_under(&html, "/formations/");
        let expected: BTreeSet<String> = offers
            .iter()
            .zip(&verdicts)
            .filter(|(o, v)| v.status == Status::Published && &urls::cfa_path(o) == cfa)
            .map(|(o, _)| urls::offer_path(o))
            .collect();
        assert_eq!(listed, expected, "{cfa}");
    }
}

#[test]
fn the_disability_page_lists_every_cfa_referent() {
    let site = TestSite::new();
    let offers: Vec<Offer> = (1..=9).map(offer).collect();
    let verdicts = verdicts_for(&offers, &[]);
    let out = site.render(&offers, &verdicts);
    let html = page(&out.files, "/handicap/");
    for o in &offers {
        assert!(html.contains(&attr_escape(&urls::cfa_path(o))), "{}", o.id);
        let r = &o.referent;
        assert!(html.contains(r.name.as_deref().unwrap()), "{:?}", r.name);
        assert!(html.contains(r.email.as_deref().unwrap()));
        assert!(html.contains(&format!(
            "tel:{}",
            r.phone.as_ref().unwrap().international.as_deref().unwrap()
        )));
    }
    assert!(html.contains("Bouches-du-Rhône (13)"));
    assert!(html.contains("Alpes-Maritimes (06)"));
    // The privacy switch hides the names, not the ways to reach them.
    let mut private = TestSite::new();
    private.config.privacy.publish_referent_name = false;
    let out = private.render(&offers, &verdicts);
    let html = page(&out.files, "/handicap/");
    assert!(!html.contains(offers[0].referent.name.as_deref().unwrap()));
    assert!(html.contains(offers[0].referent.email.as_deref().unwrap()));
}

#[test]
fn the_calendar_files_are_valid_icalendar() {
    let site = TestSite::new();
    let offers: Vec<Offer> = (1..=3).map(offer).collect();
    let out = site.render(&offers, &verdicts_for(&offers, &[]));
    let mut seen = 0;
    for (path, bytes) in out.files.iter() {
        if path.ends_with(".ics") {
            seen += 1;
            let text = std::str::from_utf8(bytes).unwrap();
            let events = check_ics(text).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert!(events > 0, "{path}");
            let page_path = format!("/{}/", path.trim_end_matches(".ics"));
            let html = page(&out.files, &page_path);
            assert!(
                html.contains(&format!("/{path}")),
                "{page_path} links its .ics"
            );
        }
    }
    assert_eq!(seen, 3);
    let parcoursup = page(&out.files, "/calendrier/parcoursup-2027/");
    assert!(parcoursup.contains("17 décembre 2026"));
    assert!(parcoursup.contains("date provisoire"));
    let collecte = page(&out.files, "/calendrier/collecte-cfa-2027/");
    assert!(collecte.contains("du 1er juin 2026 au 31 octobre 2026"));
    let ics = std::str::from_utf8(out.files.get("calendrier/affelnet-2027.ics").unwrap()).unwrap();
    assert!(
        ics.contains("DTEND;VALUE=DATE:20270201\r\n"),
        "end of January, inclusive"
    );
}

#[test]
fn offer_pages_carry_parseable_json_ld_and_the_facts_families_need() {
    let site = TestSite::new();
    let offers: Vec<Offer> = (1..=4).map(offer).collect();
    let out = site.render(&offers, &verdicts_for(&offers, &[]));
    let o = &offers[0];
    let html = page(&out.files, &urls::offer_path(o));
    let json = json_ld(&html);
    let graph = json["@graph"].as_array().unwrap();
    let course = &graph[0];
    assert_eq!(course["@type"], "Course");
    assert_eq!(course["name"], o.title);
    assert_eq!(course["hasCourseInstance"][0]["@type"], "CourseInstance");
    assert_eq!(course["hasCourseInstance"][0]["startDate"], "2027-09-01");
    // The apprenticeship programme: a WorkBasedProgram (an EducationalOccupationalProgram).
    assert_eq!(graph[1]["@type"], "WorkBasedProgram");
    assert_eq!(graph[1]["timeToComplete"], "P24M");
    assert!(html.contains("https://www.francecompetences.fr/recherche/rncp/37875/"));
    assert!(html.contains("https://www.openstreetmap.org/?mlat=43.29650"));
    assert!(html.contains("tel:+33491123456"));
    assert!(html.contains("mailto:contact1@cfa-exemple.fr"));
    assert!(html.contains("Nouveau"), "offer 1 is marked new");
    assert!(html.contains("1er septembre 2027"));
    assert!(html.contains("24 mois (2 ans)"));
    assert!(html.contains("Accessibilité : partiellement conforme"));
    assert!(html.contains("<html lang=fr>") || html.contains("<html lang=\"fr\">"));
    // No inline script or style: the JSON-LD data block and the site's own script file.
    for tag in html.split("<script").skip(1) {
        let open = &tag[..tag.find('>').unwrap()];
        assert!(
            open.contains("application/ld+json") || open.contains("/assets/site."),
            "<script{open}>"
        );
    }
    assert_eq!(html.matches("application/ld+json").count(), 1);
    assert!(!html.contains(" style="));
    assert!(!html.contains("<style"));
}

#[test]
fn hostile_spreadsheet_text_comes_out_escaped() {
    let site = TestSite::new();
    let mut offers: Vec<Offer> = (1..=3).map(offer).collect();
    let evil =
        "CAP <script>alert(1)</script> \"quoted\" 'single' {{ site.title }} {% raw %}</script><!--";
    let o = &mut offers[0];
    o.title = evil.into();
    o.description = Some(evil.into());
    o.responsible.name = format!("CFA {evil}");
    o.domain = Some(evil.into());
    o.rhythm = Some(evil.into());
    o.contact.name = Some(evil.into());
    o.contact.email = Some("x@y.fr?cc=<script>".into());
    o.contact.website = Some("javascript:alert(1)".into());
    o.referent.name = Some(evil.into());
    o.contact.phone = Some(Phone {
        display: evil.into(),
        international: None,
    });
    let out = site.render(&offers, &verdicts_for(&offers, &[]));
    for (path, bytes) in out.files.iter() {
        if !(path.ends_with(".html") || path.ends_with(".xml") || path.ends_with(".atom")) {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        let tags = tags_only(&text);
        assert!(!tags.contains("<script>"), "{path}: a real script element");
        // Besides JSON-LD, only the theme's own external scripts (the search page's).
        let theme_scripts = text
            .split("<script")
            .skip(1)
            .filter(|t| {
                let tag = &t[..t.find('>').unwrap_or(t.len())];
                tag.contains("src=/assets/") || tag.contains("src=\"/assets/")
            })
            .count();
        assert!(
            tags.matches("<script").count()
                == text.matches("application/ld+json").count() + theme_scripts,
            "{path}: only JSON-LD blocks and theme scripts"
        );
        assert!(!text.contains("javascript:"), "{path}");
        assert!(!text.contains("mailto:x@y.fr"), "{path}");
        // Template syntax is printed as text, never evaluated.
        if text.contains("alert(1)") {
            assert!(text.contains("{{ site.title }}"), "{path}");
            assert!(text.contains("{% raw %}"), "{path}");
        }
    }
    let html = page(&out.files, &urls::offer_path(&offers[0]));
    // Printed as text.
    assert!(
        html.contains("<h1>CAP &lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    let json = json_ld(&html);
    assert_eq!(json["@graph"][0]["name"], evil);
    let csv = out.files.get("donnees/offres.csv").unwrap();
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]));
}

#[test]
fn formulas_in_the_open_data_csv_are_neutralised() {
    let site = TestSite::new();
    let mut offers: Vec<Offer> = (1..=2).map(offer).collect();
    offers[0].title = "=HYPERLINK(\"http://evil\")".into();
    let out = site.render(&offers, &verdicts_for(&offers, &[]));
    let csv =
        String::from_utf8(out.files.get("donnees/offres.csv").unwrap()[3..].to_vec()).unwrap();
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(csv.as_bytes());
    let titles: Vec<String> = r
        .records()
        .map(|rec| rec.unwrap().get(2).unwrap().to_string())
        .collect();
    assert!(
        titles.contains(&"'=HYPERLINK(\"http://evil\")".to_string()),
        "{titles:?}"
    );
}

#[test]
fn old_urls_keep_answering_after_a_rename_and_a_withdrawal() {
    let site = TestSite::new();
    let offers: Vec<Offer> = (1..=6).map(offer).collect();
    let first = site.render(&offers, &verdicts_for(&offers, &[]));
    site::write_ledger(&first).unwrap();
    let renamed_old = urls::offer_path(&offers[0]);
    let withdrawn = urls::offer_path(&offers[1]);
    let vanished = urls::offer_path(&offers[2]);

    // Next import: offer 1 renamed, offer 2 closed by its CFA, offer 3 gone from the file.
    let mut next: Vec<Offer> = offers.clone();
    next[0].title = "CAP Métiers de la coiffure (nouveau programme)".into();
    next[1].marks.closed = true;
    next.remove(2);
    let second = site.render(&next, &verdicts_for(&next, &[]));
    site::write_ledger(&second).unwrap();
    let renamed_new = urls::offer_path(&next[0]);
    assert_ne!(renamed_old, renamed_new);

    let redirect = page(&second.files, &renamed_old);
    assert!(redirect.contains("http-equiv=refresh") || redirect.contains("http-equiv=\"refresh\""));
    assert!(redirect.contains(&renamed_new));
    assert!(!redirect.contains("<script"));
    let rules = String::from_utf8(second.files.get("_redirects").unwrap().to_vec()).unwrap();
    assert!(
        rules.contains(&format!("{renamed_old} {renamed_new} 301!")),
        "{rules}"
    );

    for (gone, was) in [(&withdrawn, &offers[1]), (&vanished, &offers[2])] {
        let html = page(&second.files, gone);
        assert!(
            html.contains("Cette formation n'est plus proposée")
                || html.contains("Cette formation n&#x27;est plus proposée"),
            "{gone}"
        );
        assert!(html.contains(&urls::cfa_path(was)), "links to its CFA");
        assert!(html.contains("noindex"));
        // Similar offers: published ones, never itself.
        assert!(links_under(&html, "/formations/").iter().all(|l| l != gone));
        assert!(
            !links_under(&html, "/formations/").is_empty(),
            "{gone}: similar offers"
        );
    }
    let notes = second.notes.join("\n");
    assert!(notes.contains("offers withdrawn"), "{notes}");
    assert!(
        notes
            .lines()
            .any(|l| l.starts_with("offers withdrawn") && l.contains(" 2 ")),
        "{notes}"
    );
    assert!(
        notes
            .lines()
            .any(|l| l.starts_with("offers renamed") && l.contains(" 1 ")),
        "{notes}"
    );

    // A third build from the same data: nothing changes, the old URLs still answer.
    let third = site.render(&next, &verdicts_for(&next, &[]));
    assert!(
        third
            .files
            .contains(&format!("{}index.html", &withdrawn[1..]))
    );
    assert!(
        third
            .files
            .contains(&format!("{}index.html", &renamed_old[1..]))
    );
    assert_eq!(third.ledger, second.ledger);
    let ledger = String::from_utf8(third.ledger.clone()).unwrap();
    assert!(ledger.contains(&format!("offre,AF_2027_000001,{renamed_old},redirigee")));
    assert!(ledger.contains(&format!("offre,AF_2027_000002,{withdrawn},retiree")));
}

#[test]
fn two_builds_of_the_same_input_are_byte_identical() {
    let site = TestSite::new();
    let offers: Vec<Offer> = (1..=40).map(offer).collect();
    let verdicts = verdicts_for(&offers, &[3]);
    let a = site.render(&offers, &verdicts);
    let b = site.render(&offers, &verdicts);
    let list = |f: &vitrine::output::Files| {
        f.iter()
            .map(|(p, b)| (p.to_string(), b.to_vec()))
            .collect::<Vec<_>>()
    };
    assert_eq!(list(&a.files), list(&b.files));
    assert_eq!(a.ledger, b.ledger);
}

#[test]
fn browse_pages_paginate_accessibly_and_reach_every_offer_without_javascript() {
    let site = TestSite::new();
    let offers: Vec<Offer> = (1..=170).map(offer).collect();
    let out = site.render(&offers, &verdicts_for(&offers, &[]));
    // Level 3 (CAP) holds a third of the fixture: more than one page.
    let first = page(&out.files, "/niveaux/infrabac/");
    assert!(first.contains("aria-label=Pagination") || first.contains("aria-label=\"Pagination\""));
    assert!(first.contains("aria-current=page") || first.contains("aria-current=\"page\""));
    assert!(first.contains("role=status") || first.contains("role=\"status\""));
    assert!(out.files.contains("niveaux/infrabac/page/2/index.html"));
    // Every offer is linked from some browse page.
    let mut reached = BTreeSet::new();
    for (path, bytes) in out.files.iter() {
        if path.starts_with("niveaux/") {
            reached.extend(links_under(&String::from_utf8_lossy(bytes), "/formations/"));
        }
    }
    for o in &offers {
        assert!(reached.contains(&urls::offer_path(o)), "{}", o.id);
    }
}

#[test]
fn a_broken_internal_link_fails_the_build_naming_page_and_link() {
    let site = TestSite::new();
    std::fs::create_dir_all(site.root().join("templates")).unwrap();
    std::fs::write(
        site.root().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>Perdu</h1><a href=\"/nulle-part/\">x</a>{% endblock main %}",
    )
    .unwrap();
    let offers: Vec<Offer> = (1..=2).map(offer).collect();
    let verdicts = verdicts_for(&offers, &[]);
    let err = site
        .try_render(&offers, &verdicts, &SearchAssets::default())
        .unwrap_err()
        .to_string();
    assert!(err.contains("404.html → /nulle-part/"), "{err}");
}

#[test]
fn a_site_overrides_one_template_of_the_theme() {
    let site = TestSite::new();
    std::fs::create_dir_all(site.root().join("templates")).unwrap();
    std::fs::write(
        site.root().join("templates/404.html"),
        "{% extends \"base.html\" %}{% block main %}<h1>Page perdue, page retrouvée</h1>{% endblock main %}",
    )
    .unwrap();
    let offers: Vec<Offer> = (1..=2).map(offer).collect();
    let out = site.render(&offers, &verdicts_for(&offers, &[]));
    let html = String::from_utf8(out.files.get("404.html").unwrap().to_vec()).unwrap();
    assert!(html.contains("Page perdue, page retrouvée"));
    // The rest of the theme is untouched.
    assert!(page(&out.files, "/").contains("Trouver une formation"));
}

#[test]
fn feeds_sitemap_and_static_files_are_published() {
    let site = TestSite::new();
    let offers: Vec<Offer> = (1..=5).map(offer).collect();
    let out = site.render(&offers, &verdicts_for(&offers, &[]));
    let sitemap = String::from_utf8(out.files.get("sitemap.xml").unwrap().to_vec()).unwrap();
    assert!(sitemap.contains(&format!(
        "<loc>https://exemple.test{}</loc>",
        urls::offer_path(&offers[0])
    )));
    let robots = String::from_utf8(out.files.get("robots.txt").unwrap().to_vec()).unwrap();
    assert!(robots.contains("Sitemap: https://exemple.test/sitemap.xml"));
    let atom = String::from_utf8(out.files.get("nouveautes.atom").unwrap().to_vec()).unwrap();
    assert_eq!(
        atom.matches("<entry>").count(),
        offers.iter().filter(|o| o.marks.new).count()
    );
    let css: Vec<&str> = out
        .files
        .iter()
        .map(|(p, _)| p)
        .filter(|p| p.starts_with("assets/style.") && p.ends_with(".css"))
        .collect();
    assert_eq!(css.len(), 1, "one fingerprinted stylesheet");
    assert!(page(&out.files, "/").contains(&format!("/{}", css[0])));
    assert!(out.files.contains("404.html"));
    assert!(out.files.contains("recherche/index.html"));
}

#[test]
fn search_files_are_merged_into_the_public_tree() {
    let site = TestSite::new();
    let offers: Vec<Offer> = (1..=2).map(offer).collect();
    let verdicts = verdicts_for(&offers, &[]);
    let mut search = SearchAssets::default();
    search.files.insert("recherche/index/manifest.json", "{}");
    let out = site.try_render(&offers, &verdicts, &search).unwrap();
    assert!(out.files.contains("recherche/index/manifest.json"));
}

/// Verdicts for a fixture: `blocked` (1-based offer numbers) are non réglementaire.
fn verdicts_for(offers: &[Offer], blocked: &[usize]) -> Vec<Verdict> {
    offers
        .iter()
        .map(|o| {
            let n: usize = o.id.trim_start_matches("AF_2027_").parse().unwrap();
            let problems = if blocked.contains(&n) {
                vec![Problem::new(
                    Reason::SiretInvalid,
                    "SIRET organisme responsable",
                    None,
                )]
            } else {
                vec![]
            };
            Verdict::from_problems(o, problems)
        })
        .collect()
}

/// The text of a page between two markers (both must be there, in that order).
fn between<'h>(html: &'h str, from: &str, to: &str) -> &'h str {
    let a = html.find(from).unwrap_or_else(|| panic!("no {from:?}"));
    let b = html[a..]
        .find(to)
        .unwrap_or_else(|| panic!("no {to:?} after {from:?}"))
        + a;
    &html[a..b]
}

#[test]
fn cfa_pages_put_courses_first_then_each_place_once_with_whom_to_call() {
    let site = TestSite::new();
    // Nine offers: each CFA teaches three of them at its one address.
    let mut offers: Vec<Offer> = (1..=9).map(offer).collect();
    // A second place for the Nice CFA (offer 3), with its own contact.
    offers[2].place.address.street = Some("40 rue Pastorelli".into());
    offers[2].place.coordinates = Some(vitrine::model::Coordinates {
        lat: 43.7009,
        lon: 7.2683,
    });
    offers[2].contact.name = Some("Antenne Pastorelli".into());
    let out = site.render(&offers, &verdicts_for(&offers, &[]));
    let html = page(&out.files, &urls::cfa_path(&offers[2]));
    let courses = html.find("Les formations").unwrap();
    let places = html.find("Où se former").unwrap();
    let admin = html.find("Informations administratives").unwrap();
    assert!(
        courses < places && places < admin,
        "courses, then places, then identifiers"
    );
    // The identifiers only in the folded section (the SIRET is also part of the page's
    // address, never printed as a fact elsewhere).
    let siret = offers[2].responsible.siret.as_deref().unwrap();
    assert!(!html[..admin].contains(&format!(">{siret}<")));
    assert!(!html[..admin].contains("UAI"));
    assert!(between(&html, "<details", "</details>").contains(&format!(">{siret}<")));
    // Each place listed once, with its courses and one "who to call".
    let list = between(&html, "class=\"places\"", "<details");
    assert_eq!(list.matches("class=\"place\"").count(), 2, "{list}");
    assert_eq!(
        list.matches("<h3>Nice, 12 avenue Jean Médecin</h3>")
            .count(),
        1
    );
    assert_eq!(list.matches("<h3>Nice, 40 rue Pastorelli</h3>").count(), 1);
    assert_eq!(html.matches("Qui appeler").count(), 2);
    let sainte = between(list, "40 rue Pastorelli", "Référent handicap");
    assert!(sainte.contains("Antenne Pastorelli"));
    assert!(sainte.contains(&urls::offer_path(&offers[2])));
    assert!(
        !sainte.contains(&urls::offer_path(&offers[5])),
        "offer 6 is taught elsewhere"
    );
    // A map whose points lead to the places, named for a screen reader.
    let svg = between(&html, "<svg", "</svg>");
    assert!(svg.contains("#lieu-1") && svg.contains("#lieu-2"), "{svg}");
    assert!(
        svg.contains("<title>Nice, 40 rue Pastorelli : 1 formation</title>"),
        "{svg}"
    );
    assert!(html.contains("id=lieu-1") || html.contains("id=\"lieu-1\""));
}

#[test]
fn maps_are_drawn_from_the_sites_own_files_with_no_request_elsewhere() {
    let site = TestSite::new();
    let offers: Vec<Offer> = (1..=6).map(offer).collect();
    let out = site.render(&offers, &verdicts_for(&offers, &[]));
    let html = page(&out.files, &urls::offer_path(&offers[0]));
    let svg = between(&html, "<svg", "</svg>");
    let base = svg
        .split("href=")
        .nth(1)
        .map(|v| v.trim_start_matches('"'))
        .and_then(|v| v.split(['"', ' ', '/', '>']).nth(2))
        .unwrap();
    assert!(
        base.starts_with("carte.") && base.ends_with(".svg"),
        "{svg}"
    );
    let file = out
        .files
        .get(&format!("assets/{base}"))
        .expect("the base map is published");
    let text = std::str::from_utf8(file).unwrap();
    assert!(text.starts_with("<svg") && text.contains("<path d=\"M"));
    assert!(file.len() < 80_000, "base map {} bytes", file.len());
    // Only the point's own link leaves the site (a link, not a request).
    let outside: Vec<&str> = svg.matches("https://").collect();
    assert_eq!(outside.len(), 1, "{svg}");
    assert!(svg.contains("https://www.openstreetmap.org/?mlat="));
    // An offer without coordinates is drawn at its town's centre, and says so.
    let mut lost = offers.clone();
    lost[0].place.coordinates = None;
    let out = site.render(&lost, &verdicts_for(&lost, &[]));
    let html = page(&out.files, &urls::offer_path(&lost[0]));
    assert!(html.contains("centre de la commune"), "{html}");
    assert!(html.contains("12 avenue Jean Médecin") || html.contains("5 boulevard"));
}

#[test]
fn levels_and_acronyms_read_in_plain_words() {
    let site = TestSite::new();
    let offers: Vec<Offer> = (1..=9).map(offer).collect();
    let out = site.render(&offers, &verdicts_for(&offers, &[]));
    let home = page(&out.files, "/");
    assert!(home.contains("Après la 3e — CAP"), "{home}");
    assert!(home.contains("Après le bac — BTS"));
    assert!(!home.contains("Infrabac"));
    let level = page(&out.files, "/niveaux/infrabac/");
    assert!(level.contains("Après la 3e — CAP"));
    let cap = offers.iter().find(|o| o.level == Some(3)).unwrap();
    let html = page(&out.files, &urls::offer_path(cap));
    assert!(
        html.contains(&attr_escape(
            "CAP</abbr> (certificat d'aptitude professionnelle)"
        )),
        "{html}"
    );
    assert!(html.contains(&attr_escape("CFA</abbr> (centre de formation d'apprentis)")));
}

#[test]
fn the_home_page_lists_families_dates_and_the_calendar_keeps_cfa_tasks() {
    let site = TestSite::new();
    let offers: Vec<Offer> = (1..=3).map(offer).collect();
    let out = site.render(&offers, &verdicts_for(&offers, &[]));
    let home = page(&out.files, "/");
    let dates = between(&home, "id=\"dates\"", "Tout le calendrier");
    assert!(dates.contains("Saisie des vœux"), "{dates}");
    assert!(dates.contains("Parcoursup"));
    assert!(!dates.contains("Intégration de l"), "{dates}");
    let affelnet = page(&out.files, "/calendrier/affelnet-2027/");
    assert!(affelnet.contains("Intégration de l"));
    assert!(affelnet.contains("pour les CFA"));
}

#[test]
fn the_accent_colour_sets_the_palette_and_an_unreadable_one_is_refused() {
    let mut site = TestSite::new();
    site.config.site.accent = Some("#7a1f5c".into());
    let offers: Vec<Offer> = (1..=3).map(offer).collect();
    let verdicts = verdicts_for(&offers, &[]);
    let out = site.render(&offers, &verdicts);
    let palette = out
        .files
        .iter()
        .find(|(p, _)| p.starts_with("assets/palette."))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .expect("palette.css published");
    assert!(palette.contains("--accent:#7a1f5c"), "{palette}");
    let home = page(&out.files, "/");
    assert!(home.contains("/assets/palette."));

    site.config.site.accent = Some("#ffcc00".into());
    let search = SearchAssets::default();
    let err = site
        .try_render(&offers, &verdicts, &search)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("vitrine.toml") && err.contains("#ffcc00"),
        "{err}"
    );
    assert!(err.contains("4.5:1"), "{err}");
}

#[test]
fn the_logo_comes_from_the_sites_static_folder() {
    let mut site = TestSite::new();
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    std::fs::write(
        site.root().join("static/logo.svg"),
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>"#,
    )
    .unwrap();
    site.config.site.logo = Some("logo.svg".into());
    let offers: Vec<Offer> = (1..=3).map(offer).collect();
    let verdicts = verdicts_for(&offers, &[]);
    let out = site.render(&offers, &verdicts);
    let home = page(&out.files, "/");
    assert!(
        home.contains("src=/assets/logo.") || home.contains("src=\"/assets/logo."),
        "{home}"
    );
    site.config.site.logo = Some("absent.png".into());
    let search = SearchAssets::default();
    let err = site
        .try_render(&offers, &verdicts, &search)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("absent.png") && err.contains("static/"),
        "{err}"
    );
}

#[test]
fn offer_addresses_name_the_department_and_old_shard_addresses_redirect() {
    let site = TestSite::new();
    let offers: Vec<Offer> = (1..=3).map(offer).collect();
    let marseille = offers
        .iter()
        .find(|o| o.place.address.postcode.as_deref() == Some("13001"))
        .unwrap();
    let path = urls::offer_path(marseille);
    assert!(path.starts_with("/formations/bouches-du-rhone/"), "{path}");
    // The ledger of a site built before: the same offer at its former shard address.
    let old = format!(
        "/formations/{}/cap-x-{}/",
        &marseille.id[marseille.id.len() - 2..],
        urls::slug(&marseille.id)
    );
    std::fs::create_dir_all(site.root().join("data")).unwrap();
    std::fs::write(
        site.root().join("data/urls-publiees.csv"),
        format!("type,id,chemin,statut,titre,chemin_cfa,diplome,departement,domaine,empreinte\noffre,{},{old},publiee,x,,cap,13,,0\n", marseille.id),
    )
    .unwrap();
    let out = site.render(&offers, &verdicts_for(&offers, &[]));
    let redirect = page(&out.files, &old);
    assert!(redirect.contains(&path), "{redirect}");
    let rules = String::from_utf8(out.files.get("_redirects").unwrap().to_vec()).unwrap();
    assert!(rules.contains(&format!("{old} {path} 301!")), "{rules}");
}

#[test]
fn offer_and_cfa_pages_offer_copy_and_print_without_inline_script() {
    let site = TestSite::new();
    let offers: Vec<Offer> = (1..=3).map(offer).collect();
    let out = site.render(&offers, &verdicts_for(&offers, &[]));
    for path in [urls::offer_path(&offers[0]), urls::cfa_path(&offers[0])] {
        let html = page(&out.files, &path);
        let share = between(&html, "data-share", "</div>");
        assert!(
            share.contains("Copier le lien") && share.contains("Imprimer"),
            "{share}"
        );
        assert!(
            share.contains(&format!("https://exemple.test{path}")),
            "{share}"
        );
        // Hidden until the site's script wires it: no dead button without JavaScript.
        assert!(html.contains("data-share hidden"), "{html}");
        assert!(html.contains("/assets/site."));
        assert!(!html.contains("onclick"));
        assert!(html.contains("print-only"));
    }
    let css = out
        .files
        .iter()
        .find(|(p, _)| p.starts_with("assets/print."))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap();
    assert!(
        !css.contains("a[href^=\"/\"]::after"),
        "no bare internal path on paper"
    );
    let site_css = out
        .files
        .iter()
        .find(|(p, _)| p.starts_with("assets/palette."))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .unwrap();
    assert!(
        site_css.contains(r#"content:" (https://exemple.test" attr(href) ")""#),
        "internal links print as absolute URLs: {site_css}"
    );
}

#[test]
fn an_operator_may_lay_a_tile_layer_under_the_maps_and_a_bad_one_is_refused() {
    let mut site = TestSite::new();
    site.config.site.map_tiles = Some("https://tuiles.exemple.org/{z}/{x}/{y}.png".into());
    site.config.site.map_attribution = Some("© les contributeurs d'OpenStreetMap".into());
    let offers: Vec<Offer> = (1..=3).map(offer).collect();
    let verdicts = verdicts_for(&offers, &[]);
    let out = site.render(&offers, &verdicts);
    let html = page(&out.files, &urls::offer_path(&offers[0]));
    let svg = between(&html, "<svg", "</svg>");
    assert!(svg.contains("https://tuiles.exemple.org/"), "{svg}");
    assert!(html.contains(&attr_escape(
        "Fond de carte : © les contributeurs d'OpenStreetMap"
    )));
    // Without the setting, nothing leaves the site (see the test above); with a URL that
    // is not an https template, the build stops and says which key.
    site.config.site.map_tiles = Some("http://tuiles.exemple.org/{z}/{x}/{y}.png".into());
    let search = SearchAssets::default();
    let err = site
        .try_render(&offers, &verdicts, &search)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("map_tiles") && err.contains("https://"),
        "{err}"
    );
}

/// The search without JavaScript: a page per word of the browse pages' names and per
/// common pair of words, each listing the browse pages it leads to and the pages of its
/// words; another spelling sends on to its page; none is in the sitemap.
#[test]
fn the_search_without_javascript_has_a_page_per_word_and_common_pair_and_each_spelling_leads_there()
{
    let site = TestSite::new();
    let offers: Vec<Offer> = (1..=12).map(offer).collect();
    let verdicts = verdicts_for(&offers, &[]);
    let out = site.render(&offers, &verdicts);
    let link = |to: &str| format!("href=\"{to}\"");
    let domain = format!("/domaines/{}/", urls::slug("Coiffure, esthétique"));
    // A word, and a pair of a kind of diploma and a trade.
    for query in ["coiffure", "cap+coiffure"] {
        let html = page(&out.files, &format!("/recherche/sans-js/{query}/"));
        assert!(html.contains(&link(&domain)), "{query}");
    }
    // A pair of a trade and a place: the trade's list, the CFA in that town, and the
    // page of each of its words.
    let marseille = offers
        .iter()
        .find(|o| o.responsible.address.town.as_deref() == Some("Marseille"))
        .unwrap();
    let html = page(&out.files, "/recherche/sans-js/coiffure+marseille/");
    for to in [
        domain.as_str(),
        &urls::cfa_path(marseille),
        "/recherche/sans-js/coiffure/",
        "/recherche/sans-js/marseille/",
    ] {
        assert!(html.contains(&link(to)), "coiffure marseille -> {to}");
    }
    // Accented spellings send on to the folded word's page and pair's page.
    for (alias, target) in [
        ("hyères", "/recherche/sans-js/hyeres/"),
        ("cap+hyères", "/recherche/sans-js/cap+hyeres/"),
    ] {
        let html = page(&out.files, &format!("/recherche/sans-js/{alias}/"));
        assert!(
            html.contains(&format!(
                "http-equiv=\"refresh\" content=\"0; url={target}\""
            )),
            "{alias} -> {target}"
        );
        assert!(html.contains("noindex"), "{alias}");
    }
    // The list of every page, and nothing of it in the sitemap.
    let all = page(&out.files, "/recherche/sans-js/");
    assert!(all.contains(&link(&domain)));
    let sitemap = String::from_utf8(out.files.get("sitemap.xml").unwrap().to_vec()).unwrap();
    assert!(!sitemap.contains("sans-js"));
}
