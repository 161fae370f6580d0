//! The text of an entity's card, as hover and completion show it: its name,
//! aliases, description and further lines (dates, roles, a claim's status),
//! from the definition as written.

use crate::raw::{RawClaim, RawEntity, RawOrganisation, RawPerson, RawPlace, RawSource, RawTerm};

/// Name, aliases, description and further lines.
type Card = (String, Vec<String>, String, Vec<String>);

/// Name, aliases, description and further lines of an entity's card.
pub(super) fn card(raw: &RawEntity) -> Card {
    match raw {
        RawEntity::Person(p) => person(p),
        RawEntity::Source(s) => source(s),
        RawEntity::Claim(c) => claim(c),
        RawEntity::Place(p) => place(p),
        RawEntity::Organisation(o) => organisation(o),
        RawEntity::Term(t) => term(t),
    }
}

fn person(p: &RawPerson) -> Card {
    let dates = match (&p.born, &p.died) {
        (None, None) => None,
        (b, d) => Some(format!(
            "{}–{}",
            b.as_ref().map_or("", |s| s.value.as_str()),
            d.as_ref().map_or("", |s| s.value.as_str())
        )),
    };
    let roles = (!p.roles.is_empty()).then(|| p.roles.join(", "));
    let details = dates.into_iter().chain(roles).collect();
    (
        p.name.clone(),
        p.aliases.clone(),
        p.description.clone(),
        details,
    )
}

fn source(s: &RawSource) -> Card {
    let authors = s.authors.iter().map(|a| a.value.as_str());
    let authors = authors.collect::<Vec<_>>().join(", ");
    let line = [
        Some(authors).filter(|a| !a.is_empty()),
        s.outlet.as_ref().map(|o| o.value.clone()),
        s.date.as_ref().map(|d| d.value.clone()),
    ];
    let line = line.into_iter().flatten().collect::<Vec<_>>().join(" · ");
    (s.title.clone(), Vec::new(), line, Vec::new())
}

fn claim(c: &RawClaim) -> Card {
    let mut details = vec![format!(
        "Status: {} ({})",
        c.status.as_str(),
        c.status.explanation()
    )];
    if let Some(d) = &c.date {
        details.push(format!("Date: {}", d.value));
    }
    (c.text.clone(), Vec::new(), String::new(), details)
}

fn place(p: &RawPlace) -> Card {
    let details = (p.coordinates.iter())
        .map(|c| format!("Coordinates: {}, {}", c.value.lat.value, c.value.lon.value))
        .collect();
    (
        p.name.clone(),
        p.aliases.clone(),
        p.description.clone(),
        details,
    )
}

fn organisation(o: &RawOrganisation) -> Card {
    let mut details: Vec<String> = o
        .kind
        .iter()
        .map(|k| format!("Kind: {}", k.as_str()))
        .collect();
    details.extend(o.founded.iter().map(|d| format!("Founded: {}", d.value)));
    details.extend(
        o.dissolved
            .iter()
            .map(|d| format!("Dissolved: {}", d.value)),
    );
    (
        o.name.clone(),
        o.aliases.clone(),
        o.description.clone(),
        details,
    )
}

fn term(t: &RawTerm) -> Card {
    let details = t
        .category
        .iter()
        .map(|c| format!("Category: {c}"))
        .collect();
    (
        t.term.clone(),
        t.aliases.clone(),
        t.definition.clone(),
        details,
    )
}
