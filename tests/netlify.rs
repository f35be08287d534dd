//! `netlify.toml`: the security headers every response carries, and immutable caching
//! given only to files whose names change with their content.

mod common;
use common::{Row, Site, said, write_xlsx};

fn config() -> toml::Table {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/init/netlify.toml"
    ))
    .unwrap();
    toml::from_str(&text).unwrap()
}

fn header_rules() -> Vec<(String, toml::Table)> {
    config()["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["for"].as_str().unwrap().to_string(),
                h["values"].as_table().unwrap().clone(),
            )
        })
        .collect()
}

#[test]
fn every_page_gets_the_security_headers_and_a_strict_csp() {
    let rules = header_rules();
    let (_, all) = rules
        .iter()
        .find(|(f, _)| f == "/*")
        .expect("a rule for /*");
    let csp = all["Content-Security-Policy"].as_str().unwrap();
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"),
        "{csp}"
    );
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "CSP lacks {directive}: {csp}");
    }
    for h in [
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "Strict-Transport-Security",
    ] {
        assert!(all.contains_key(h), "missing {h}");
    }
    assert_eq!(config()["build"]["publish"].as_str(), Some("public"));
}

#[test]
fn only_content_named_files_are_cached_as_immutable() {
    let site = Site::new();
    let input = site.path("x.xlsx");
    write_xlsx(&input, &[Row::valid("AF_N_1"), Row::valid("AF_N_2")]);
    let out = site.build(&input);
    assert!(out.status.success(), "{}", said(&out));
    let immutable: Vec<String> = header_rules()
        .into_iter()
        .filter(|(_, v)| {
            v.get("Cache-Control")
                .and_then(|c| c.as_str())
                .is_some_and(|c| c.contains("immutable"))
        })
        .map(|(f, _)| f.trim_end_matches('*').to_string())
        .collect();
    assert!(!immutable.is_empty());
    assert!(
        !immutable.iter().any(|p| p == "/"),
        "the whole site is not immutable"
    );
    // A hex hash of 8+ characters in the file name or in one of its folders.
    let hashed = |path: &str| {
        path.split('/').any(|seg| {
            seg.split(['.', '-'])
                .any(|part| part.len() >= 8 && part.chars().all(|c| c.is_ascii_hexdigit()))
        })
    };
    let mut covered = 0;
    for (path, _) in site.files("public") {
        let url = format!("/{}", path.strip_prefix("public/").unwrap());
        if immutable.iter().any(|p| url.starts_with(p.as_str())) {
            covered += 1;
            assert!(
                hashed(&url),
                "{url} is cached as immutable but its name is not a content hash"
            );
        }
    }
    assert!(covered > 3, "only {covered} files under immutable rules");
}

/// The directives of a CSP, by name.
fn directives(csp: &str) -> std::collections::BTreeMap<String, String> {
    csp.split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| match d.split_once(' ') {
            Some((name, value)) => (name.to_string(), value.to_string()),
            None => (d.to_string(), String::new()),
        })
        .collect()
}

#[test]
fn only_the_embeddable_cfa_list_may_be_framed_by_other_sites() {
    let rules = header_rules();
    let all_at = rules.iter().position(|(f, _)| f == "/*").unwrap();
    let (_, all) = &rules[all_at];
    assert_eq!(all["X-Frame-Options"].as_str(), Some("DENY"));
    let site_csp = directives(all["Content-Security-Policy"].as_str().unwrap());
    assert_eq!(site_csp["frame-ancestors"], "'none'");
    // Exactly one other rule touches framing: the embeddable lists, after "/*" (a later
    // rule's value of the same header wins on Netlify), with the site's policy except
    // frame-ancestors.
    let framing: Vec<(usize, &(String, toml::Table))> = rules
        .iter()
        .enumerate()
        .filter(|(i, (_, v))| {
            *i != all_at
                && (v.contains_key("X-Frame-Options") || v.contains_key("Content-Security-Policy"))
        })
        .collect();
    assert_eq!(framing.len(), 1, "{framing:?}");
    let (at, (path, values)) = framing[0];
    assert_eq!(path, "/integrer/*");
    assert!(at > all_at, "the framing rule must come after \"/*\"");
    let csp = directives(values["Content-Security-Policy"].as_str().unwrap());
    assert_eq!(csp["frame-ancestors"], "*");
    for (name, value) in &site_csp {
        if name != "frame-ancestors" {
            assert_eq!(csp.get(name), Some(value), "{name} relaxed on /integrer/");
        }
    }
    assert_ne!(values["X-Frame-Options"].as_str(), Some("DENY"));

    // What the build writes under /integrer/ is only the minimal lists, one per CFA.
    let site = Site::new();
    let input = site.path("x.xlsx");
    write_xlsx(&input, &[Row::valid("AF_F_1"), Row::valid("AF_F_2")]);
    let out = site.build(&input);
    assert!(out.status.success(), "{}", said(&out));
    let framable: Vec<String> = site
        .files("public/integrer")
        .into_iter()
        .map(|(p, _)| p)
        .collect();
    assert_eq!(framable.len(), 1, "{framable:?}");
    assert!(framable[0].ends_with("/index.html"));
}
