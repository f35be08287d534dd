//! schema.org markup of an offer page: a `Course` with its `CourseInstance` (the 2027
//! session at its place) and the apprenticeship programme, a `WorkBasedProgram` (a
//! subtype of `EducationalOccupationalProgram`) with its credential, ROME codes,
//! provider, prerequisites and application window; serialised with serde_json and made
//! safe for a `<script type="application/ld+json">` block.

use super::calendar::CalendarFile;
use super::views::OfferView;
use serde::Serialize;

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
    fn of(&self, o: &OfferView<'_>) -> Option<&Window> {
        if o.parcoursup == Some(true) {
            Some(&self.parcoursup)
        } else if o.affelnet == Some(true) {
            Some(&self.affelnet)
        } else {
            None
        }
    }
}

// The document's objects, typed: serialised straight to text, not built as
// `serde_json::Value` maps first (3% of a cold build's CPU, `perf`). Each struct lists
// its keys in byte order, the order serde_json's maps wrote them, so the bytes are
// those the maps gave; an absent value is left out, as the maps left it.

#[derive(Serialize)]
struct Document<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: (Course<'a>, Program<'a>),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Course<'a> {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    course_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    educational_credential_awarded: Option<Credential<'a>>,
    has_course_instance: [Instance<'a>; 1],
    in_language: &'static str,
    name: &'a str,
    provider: Provider<'a>,
    url: &'a str,
}

#[derive(Serialize)]
struct Provider<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct Reference<'a> {
    #[serde(rename = "@id")]
    id: &'a str,
}

#[derive(Serialize, Clone)]
#[serde(rename_all = "camelCase")]
struct Credential<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    credential_category: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    educational_level: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Instance<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    course_mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    course_schedule: Option<Schedule<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<&'a str>,
    location: Location<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    maximum_attendee_capacity: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<&'a str>,
}

#[derive(Serialize)]
struct Schedule<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    description: &'a str,
}

#[derive(Serialize)]
struct Location<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    address: PostalAddress<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    geo: Option<Geo>,
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PostalAddress<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    address_country: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    address_locality: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    postal_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    street_address: Option<&'a str>,
}

#[derive(Serialize)]
struct Geo {
    #[serde(rename = "@type")]
    kind: &'static str,
    latitude: f64,
    longitude: f64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Program<'a> {
    #[serde(rename = "@id")]
    id: String,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    application_deadline: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    application_start_date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    educational_credential_awarded: Option<Credential<'a>>,
    educational_program_mode: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_date: Option<&'a str>,
    has_course: Reference<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    maximum_enrollment: Option<u32>,
    name: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    occupational_category: Vec<CategoryCode<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    program_prerequisites: Vec<&'static str>,
    program_type: &'static str,
    provider: Reference<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_date: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_to_complete: Option<String>,
    url: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CategoryCode<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    code_value: &'a str,
    in_code_set: CodeSet,
}

#[derive(Serialize)]
struct CodeSet {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'static str,
}

/// The JSON-LD of an offer page, escaped for the `<script>` element.
pub fn offer(o: &OfferView<'_>, base_url: &str, applications: &Applications) -> String {
    let details = o.details();
    let cfa_id = format!("{base_url}{}", o.cfa.path);
    let course_id = format!("{}#formation", o.url);
    let a = &o.place.address;
    let credential = o.diploma.as_deref().map(|d| Credential {
        kind: "EducationalOccupationalCredential",
        credential_category: d,
        educational_level: o
            .level
            .map(|l| format!("Niveau {l} (cadre national des certifications)")),
        url: details.rncp_url.as_deref(),
    });
    let window = applications.of(o);
    let doc = Document {
        context: "https://schema.org",
        graph: (
            Course {
                id: course_id.clone(),
                kind: "Course",
                course_code: o.rncp.as_deref(),
                description: (!details.description.is_empty())
                    .then(|| details.description.join("\n\n")),
                educational_credential_awarded: credential.clone(),
                has_course_instance: [Instance {
                    kind: "CourseInstance",
                    course_mode: "Blended",
                    course_schedule: details.rhythm.as_deref().map(|r| Schedule {
                        kind: "Schedule",
                        description: r,
                    }),
                    end_date: details.end_iso.as_deref(),
                    location: Location {
                        kind: "Place",
                        address: PostalAddress {
                            kind: "PostalAddress",
                            address_country: "FR",
                            address_locality: a.town.as_deref(),
                            postal_code: a.postcode.as_deref(),
                            street_address: a.street.as_deref(),
                        },
                        geo: match (o.place.lat, o.place.lon) {
                            (Some(latitude), Some(longitude)) => Some(Geo {
                                kind: "GeoCoordinates",
                                latitude,
                                longitude,
                            }),
                            _ => None,
                        },
                        name: details.trainer.as_deref().unwrap_or(&o.cfa.name),
                    },
                    maximum_attendee_capacity: o.capacity,
                    start_date: details.start_iso.as_deref(),
                }],
                in_language: "fr",
                name: &o.title,
                provider: Provider {
                    id: &cfa_id,
                    kind: "EducationalOrganization",
                    name: &o.cfa.name,
                    url: &cfa_id,
                },
                url: &o.url,
            },
            // The programme points at the course and its provider instead of repeating
            // them: the page stays small (descriptions can be long) and the graph stays
            // one graph.
            Program {
                id: format!("{}#programme", o.url),
                kind: "WorkBasedProgram",
                application_deadline: window.and_then(|w| w.deadline.as_deref()),
                application_start_date: window.and_then(|w| w.start.as_deref()),
                educational_credential_awarded: credential,
                educational_program_mode: "apprentissage",
                end_date: details.end_iso.as_deref(),
                has_course: Reference { id: &course_id },
                maximum_enrollment: o.capacity,
                name: &o.title,
                occupational_category: details
                    .rome
                    .iter()
                    .map(|r| CategoryCode {
                        kind: "CategoryCode",
                        code_value: r,
                        in_code_set: CodeSet {
                            kind: "CategoryCodeSet",
                            name: "ROME (France Travail)",
                        },
                    })
                    .collect(),
                program_prerequisites: prerequisites(o),
                program_type: "Apprentissage",
                provider: Reference { id: &cfa_id },
                start_date: details.start_iso.as_deref(),
                time_to_complete: details.cycle_months.map(|m| format!("P{m}M")),
                url: &o.url,
            },
        ),
    };
    crate::safe::json_for_html(&serde_json::to_string(&doc).expect("plain data serialises"))
}

/// What a candidate needs, where the export says it: a contract with an employer
/// always; the level the admission platform implies (Parcoursup is for those who have or
/// are passing the bac, Affelnet for pupils leaving the 3e).
fn prerequisites(o: &OfferView<'_>) -> Vec<&'static str> {
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
    use serde_json::{Value, json};

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
