//! The patched tera (vendor/tera) looks variables up as tera 1.20.1 does: a path's parts
//! are borrowed when they hold no `~` and unescaped as JSON pointer tokens when they do
//! (all but the last test also pass against the published crate).

use serde_json::json;
use tera::{Context, Tera};

fn render(template: &str, data: serde_json::Value) -> String {
    Tera::one_off(
        template,
        &Context::from_value(data).expect("an object"),
        false,
    )
    .expect("renders")
}

#[test]
fn dotted_paths_reach_nested_values_in_the_context_and_in_loops() {
    let data = json!({
        "offer": {"cfa": {"name": "CFA Agricole"}, "dates": ["2027-09-01", "2028-01-15"]},
        "offers": [{"title": "BP Coiffure", "place": {"town": "Peipin"}}],
    });
    assert_eq!(
        render(
            "{{ offer.cfa.name }}|{{ offer.dates.1 }}|{% for o in offers %}{{ o.title }} à {{ o.place.town }}{% endfor %}",
            data
        ),
        "CFA Agricole|2028-01-15|BP Coiffure à Peipin"
    );
}

#[test]
fn escaped_pointer_tokens_are_still_unescaped() {
    let data = json!({"a": {"x~y": "tilde", "p/q": "slash", "plain": "as is"}});
    assert_eq!(
        render(r#"{{ a["x~0y"] }}|{{ a["p~1q"] }}|{{ a.plain }}"#, data),
        "tilde|slash|as is"
    );
}

#[test]
fn a_missing_part_is_an_error_not_another_value() {
    let data = json!({"offer": {"cfa": {}}});
    let context = Context::from_value(data).expect("an object");
    assert!(Tera::one_off("{{ offer.cfa.name }}", &context, false).is_err());
    assert!(Tera::one_off("{{ offer.nothing.name }}", &context, false).is_err());
}

#[test]
fn conditions_on_plain_variables_read_as_in_tera() {
    let data = json!({
        "o": {"title": "<b>", "empty": "", "zero": 0, "none": null, "list": [], "flag": true},
    });
    let cases = [
        ("o.title", "yes"),
        ("o.empty", "no"),
        ("o.zero", "no"),
        ("o.none", "no"),
        ("o.list", "no"),
        ("o.flag", "yes"),
        ("o.missing", "no"),
        ("o.missing.deeper", "no"),
        ("nothing", "no"),
        ("not o.title", "no"),
        ("not o.missing", "yes"),
        ("not nothing", "yes"),
        ("o.missing or o.flag", "yes"),
        ("o.title and not o.empty", "yes"),
        ("o.title | length > 2", "yes"),
    ];
    for (condition, expected) in cases {
        let template = format!("{{% if {condition} %}}yes{{% else %}}no{{% endif %}}");
        // Autoescaping on, as for the site's pages.
        let context = Context::from_value(data.clone()).expect("an object");
        let mut tera = Tera::default();
        tera.add_raw_template("t.html", &template).expect("parses");
        assert_eq!(
            tera.render("t.html", &context).expect("renders"),
            expected,
            "{condition}"
        );
    }
}

#[test]
fn text_and_string_values_are_written_as_they_are() {
    let data = json!({"s": "à « b » {{ not a tag }}", "n": 3, "f": 2.5, "b": true});
    assert_eq!(
        render(
            "Élève — {{ s }} | {{ n }} {{ f }} {{ b }} | {% raw %}{{ x }}{% endraw %}",
            data
        ),
        "Élève — à « b » {{ not a tag }} | 3 2.5 true | {{ x }}"
    );
}

/// (vitrine's `render_over_to`, not in the published crate) A page rendered over the
/// shared base context gives what the base extended by the page's own data gives: the
/// page's names first, the base's for the rest, in paths, conditions, loops, includes
/// and the context dump.
#[test]
fn rendering_over_a_base_context_equals_rendering_the_merged_context() {
    let mut tera = Tera::default();
    tera.add_raw_templates(vec![
        ("part.html", "[{{ site.title }}/{{ title }}]"),
        (
            "page.html",
            "{{ title }} – {{ site.title }}{% if site.tagline %} ({{ site.tagline }}){% endif %}\
             {% for m in menu %} {{ m.label }}{% endfor %}{% if missing %}!{% endif %}\
             {% include \"part.html\" %} {{ __tera_context | length }}",
        ),
    ])
    .unwrap();
    let base = Context::from_value(json!({
        "site": {"title": "Apprentissage", "tagline": "en région"},
        "menu": [{"label": "Accueil"}, {"label": "CFA"}],
        "title": "the base's, hidden by the page's",
    }))
    .unwrap();
    let own = Context::from_value(json!({"title": "BP Coiffure"})).unwrap();
    let mut merged = base.clone();
    merged.extend(own.clone());
    let mut over = Vec::new();
    tera.render_over_to("page.html", &own, &base, &mut over)
        .unwrap();
    let over = String::from_utf8(over).unwrap();
    assert_eq!(over, tera.render("page.html", &merged).unwrap());
    assert!(
        over.starts_with(
            "BP Coiffure – Apprentissage (en région) Accueil CFA[Apprentissage/BP Coiffure]"
        ),
        "{over}"
    );
}
