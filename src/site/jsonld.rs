//! schema.org markup of an offer page: a `Course` with its `CourseInstance` (the 2027
//! session at its place) and the apprenticeship programme, a `WorkBasedProgram` (a
//! subtype of `EducationalOccupationalProgram`) with its credential, ROME codes,
//! provider, prerequisites and application window; serialised with serde_json and made
//! safe for a `<script type="application/ld+json">` block.

use super::calendar::CalendarFile;
use super::views::OfferView;
use serde_json::{Map, Value, json};

/// When applications open and close, on a platform (`YYYY-MM-DD`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Window {
    pub start: Option<String>,
    pub deadline: Option<String>,
}

/// The application windows of the campaign, from the calendar file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Applications {
    pub parcoursup: Window,
    pub affelnet: Window,
}

impl Applications {
    /// Reads the windows from the calendar: the calendar whose slug starts with
    /// `parcoursup` (wishes open at its step `voeux`; apprenticeship wishes close at
    /// `apprentissage-voeux-fin`, else at the end of `voeux`) and the one starting with
    /// `affelnet` (step `saisie-voeux`). A missing step leaves the date out.
    pub fn from_calendar(c: &CalendarFile) -> Applications {
        let step = |prefix: &str, uid: &str| {
            c.calendars
                .iter()
                .filter(|cal| cal.slug.starts_with(prefix))
                .flat_map(|cal| cal.steps.iter())
                .find(|s| s.uid == uid)
        };
        let day = |d: chrono::NaiveDate| d.to_string();
        let voeux = step("parcoursup", "voeux");
        let affelnet = step("affelnet", "saisie-voeux");
        Applications {
            parcoursup: Window {
                start: voeux.map(|s| day(s.start)),
                deadline: step("parcoursup", "apprentissage-voeux-fin")
                    .map(|s| day(s.end.unwrap_or(s.start)))
                    .or_else(|| voeux.and_then(|s| s.end).map(day)),
            },
            affelnet: Window {
                start: affelnet.map(|s| day(s.start)),
                deadline: affelnet.and_then(|s| s.end).map(day),
            },
        }
    }

    /// The window that applies to an offer: Parcoursup's for a post-bac offer on
    /// Parcoursup, else Affelnet's; none for an offer on neither.
    fn of(&self, o: &OfferView) -> Option<&Window> {
        if o.parcoursup == Some(true) {
            Some(&self.parcoursup)
        } else if o.affelnet == Some(true) {
            Some(&self.affelnet)
        } else {
            None
        }
    }
}

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
pub fn offer(o: &OfferView, base_url: &str, applications: &Applications) -> String {
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
    put(
        &mut course,
        "educationalCredentialAwarded",
        credential.clone(),
    );
    course.insert("provider".into(), provider);
    course.insert("inLanguage".into(), json!("fr"));
    course.insert("hasCourseInstance".into(), json!([Value::Object(instance)]));

    // The programme points at the course and its provider instead of repeating them:
    // the page stays small (descriptions can be long) and the graph stays one graph.
    let mut program = Map::new();
    program.insert("@type".into(), json!("WorkBasedProgram"));
    program.insert("@id".into(), json!(format!("{}#programme", o.url)));
    program.insert("name".into(), json!(o.title));
    program.insert("url".into(), json!(o.url));
    program.insert("provider".into(), json!({"@id": cfa_id}));
    program.insert("educationalProgramMode".into(), json!("apprentissage"));
    program.insert("programType".into(), json!("Apprentissage"));
    put(&mut program, "educationalCredentialAwarded", credential);
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
                               "inCodeSet": {"@type": "CategoryCodeSet",
                                             "name": "ROME (France Travail)"}})
                    })
                    .collect(),
            ),
        );
    }
    let prerequisites = prerequisites(o);
    if !prerequisites.is_empty() {
        program.insert("programPrerequisites".into(), json!(prerequisites));
    }
    if let Some(w) = applications.of(o) {
        put(
            &mut program,
            "applicationStartDate",
            w.start.clone().map(Value::from),
        );
        put(
            &mut program,
            "applicationDeadline",
            w.deadline.clone().map(Value::from),
        );
    }
    program.insert(
        "hasCourse".into(),
        json!({"@id": format!("{}#formation", o.url)}),
    );

    let doc = json!({
        "@context": "https://schema.org",
        "@graph": [Value::Object(course), Value::Object(program)],
    });
    crate::safe::json_for_html(&serde_json::to_string(&doc).expect("plain data serialises"))
}

/// What a candidate needs, where the export says it: a contract with an employer
/// always; the level the admission platform implies (Parcoursup is for those who have or
/// are passing the bac, Affelnet for pupils leaving the 3e).
fn prerequisites(o: &OfferView) -> Vec<&'static str> {
    let mut list = vec!["Signer un contrat d'apprentissage avec un employeur"];
    if o.parcoursup == Some(true) {
        list.push("Baccalauréat ou équivalent (admission sur Parcoursup)");
    } else if o.affelnet == Some(true) {
        list.push("Sortie de classe de 3e (admission sur Affelnet)");
    }
    list
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
