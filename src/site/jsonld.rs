//! schema.org markup of an offer page: a `Course` with its `CourseInstance` (the 2027
//! session at its place) and the `EducationalOccupationalProgram` (the apprenticeship
//! programme), serialised with serde_json and made safe for a
//! `<script type="application/ld+json">` block.

use super::views::OfferView;
use serde_json::{Map, Value, json};

fn put(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        map.insert(key.to_string(), v);
    }
}

fn postal_address(o: &OfferView) -> Value {
    let a = &o.place.address;
    let mut m = Map::new();
    m.insert("@type".into(), json!("PostalAddress"));
    put(&mut m, "streetAddress", a.street.clone().map(Value::from));
    put(&mut m, "postalCode", a.postcode.clone().map(Value::from));
    put(&mut m, "addressLocality", a.town.clone().map(Value::from));
    m.insert("addressCountry".into(), json!("FR"));
    Value::Object(m)
}

/// The JSON-LD of an offer page, escaped for the `<script>` element.
pub fn offer(o: &OfferView, base_url: &str, site_title: &str) -> String {
    let cfa_id = format!("{base_url}{}", o.cfa.path);
    let provider = json!({
        "@type": "EducationalOrganization",
        "@id": cfa_id,
        "name": o.cfa.name,
        "url": cfa_id,
    });
    let mut place = Map::new();
    place.insert("@type".into(), json!("Place"));
    put(
        &mut place,
        "name",
        o.trainer
            .clone()
            .or(Some(o.cfa.name.clone()))
            .map(Value::from),
    );
    place.insert("address".into(), postal_address(o));
    if let (Some(lat), Some(lon)) = (o.place.lat, o.place.lon) {
        place.insert(
            "geo".into(),
            json!({"@type": "GeoCoordinates", "latitude": lat, "longitude": lon}),
        );
    }
    let mut instance = Map::new();
    instance.insert("@type".into(), json!("CourseInstance"));
    instance.insert("courseMode".into(), json!("Blended"));
    instance.insert("location".into(), Value::Object(place));
    put(
        &mut instance,
        "startDate",
        o.start_iso.clone().map(Value::from),
    );
    put(&mut instance, "endDate", o.end_iso.clone().map(Value::from));
    put(
        &mut instance,
        "courseSchedule",
        o.rhythm
            .clone()
            .map(|r| json!({"@type": "Schedule", "description": r})),
    );
    put(
        &mut instance,
        "maximumAttendeeCapacity",
        o.capacity.map(Value::from),
    );
    let description = if o.description.is_empty() {
        None
    } else {
        Some(Value::from(o.description.join("\n\n")))
    };
    let credential = o.diploma.clone().map(|d| {
        let mut c = json!({
            "@type": "EducationalOccupationalCredential",
            "credentialCategory": d,
        });
        if let Some(l) = o.level {
            c["educationalLevel"] =
                json!(format!("Niveau {l} (cadre national des certifications)"));
        }
        if let Some(u) = &o.rncp_url {
            c["url"] = json!(u);
        }
        c
    });

    let mut course = Map::new();
    course.insert("@type".into(), json!("Course"));
    course.insert("@id".into(), json!(format!("{}#formation", o.url)));
    course.insert("name".into(), json!(o.title));
    course.insert("url".into(), json!(o.url));
    put(&mut course, "description", description);
    put(&mut course, "courseCode", o.rncp.clone().map(Value::from));
    put(&mut course, "educationalCredentialAwarded", credential);
    course.insert("provider".into(), provider);
    course.insert("inLanguage".into(), json!("fr"));
    course.insert("hasCourseInstance".into(), json!([Value::Object(instance)]));

    // The programme points at the course and its provider instead of repeating them:
    // the page stays small (descriptions can be long) and the graph stays one graph.
    let mut program = Map::new();
    program.insert("@type".into(), json!("EducationalOccupationalProgram"));
    program.insert("@id".into(), json!(format!("{}#programme", o.url)));
    program.insert("name".into(), json!(o.title));
    program.insert("url".into(), json!(o.url));
    program.insert("provider".into(), json!({"@id": cfa_id}));
    program.insert("educationalProgramMode".into(), json!("apprentissage"));
    program.insert("programType".into(), json!("Apprentissage"));
    put(
        &mut program,
        "timeToComplete",
        o.cycle_months.map(|m| Value::from(format!("P{m}M"))),
    );
    put(
        &mut program,
        "startDate",
        o.start_iso.clone().map(Value::from),
    );
    put(&mut program, "endDate", o.end_iso.clone().map(Value::from));
    put(
        &mut program,
        "maximumEnrollment",
        o.capacity.map(Value::from),
    );
    if !o.rome.is_empty() {
        program.insert(
            "occupationalCategory".into(),
            Value::Array(
                o.rome
                    .iter()
                    .map(|r| {
                        json!({"@type": "CategoryCode", "codeValue": r,
                               "inCodeSet": "ROME (France Travail)"})
                    })
                    .collect(),
            ),
        );
    }
    program.insert(
        "hasCourse".into(),
        json!({"@id": format!("{}#formation", o.url)}),
    );

    let doc = json!({
        "@context": "https://schema.org",
        "@graph": [Value::Object(course), Value::Object(program)],
        "isPartOf": site_title,
    });
    crate::safe::json_for_html(&serde_json::to_string(&doc).expect("plain data serialises"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closing_script_tag_in_a_value_cannot_end_the_block() {
        let raw = serde_json::to_string(&json!({"name": "</script><script>alert(1)</script><!--"}))
            .unwrap();
        let safe = crate::safe::json_for_html(&raw);
        assert!(!safe.contains('<') && !safe.contains('>'));
        let back: Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script><!--");
    }
}
