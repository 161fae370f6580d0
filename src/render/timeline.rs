//! Render stage: the timeline page's view, the dated claims and sources of the
//! edition in chronological order, each with the places the text discusses it.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::model::{ClaimStatus, Edition, EntityKind, EntityRef, MentionId, PartId};
use crate::render::views::SiteView;

/// At most this many "discussed at" links per entry: the entity page lists all.
const MAX_PLACES: usize = 4;

/// `timeline/index.html`.
#[derive(Serialize)]
pub struct TimelineView<'a> {
    pub site: SiteView<'a>,
    pub years: Vec<TimelineYear<'a>>,
    pub total: usize,
}

/// The entries of one year, dates ascending.
#[derive(Serialize)]
pub struct TimelineYear<'a> {
    pub year: &'a str,
    pub entries: Vec<TimelineEntry<'a>>,
}

#[derive(Serialize)]
pub struct TimelineEntry<'a> {
    /// As written: `2001`, `2001-05` or `2001-05-12`.
    pub date: &'a str,
    /// In words, in the edition's language.
    pub date_words: String,
    /// `claim` or `source`.
    pub kind: &'static str,
    pub title: &'a str,
    pub url: String,
    pub status: Option<&'static str>,
    pub symbol: Option<&'static str>,
    /// What happened, for an organisation: `founded` or `dissolved`.
    pub event: Option<&'static str>,
    pub places: Vec<Place>,
}

/// A spot in the reading text: `Part 2, ¶4`.
#[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    pub label: String,
    pub url: String,
}

/// Dated claims and sources, oldest first; ties keep the model's order.
pub fn timeline_years<'a>(e: &'a Edition, root: &str) -> Vec<TimelineYear<'a>> {
    let mut dated: Vec<(&'a str, EntityRef, Option<&'static str>)> = Vec::new();
    for r in e.entities() {
        let i = r.index as usize;
        let dates = match r.kind {
            EntityKind::Claim => [(e.claims[i].date.as_ref(), None), (None, None)],
            EntityKind::Source => [(e.sources[i].date.as_ref(), None), (None, None)],
            EntityKind::Organisation => {
                let o = &e.organisations[i];
                [
                    (o.founded.as_ref(), Some("founded")),
                    (o.dissolved.as_ref(), Some("dissolved")),
                ]
            }
            EntityKind::Person | EntityKind::Term | EntityKind::Place => [(None, None); 2],
        };
        for (date, event) in dates {
            dated.extend(date.map(|d| (d.0.as_str(), r, event)));
        }
    }
    dated.sort_by_key(|(d, _, _)| *d);
    let mut years: Vec<TimelineYear> = Vec::new();
    for (date, r, event) in dated {
        let year = date.get(..4).unwrap_or(date);
        if years.last().is_none_or(|y| y.year != year) {
            years.push(TimelineYear {
                year,
                entries: Vec::new(),
            });
        }
        let status = (r.kind == EntityKind::Claim).then(|| e.claims[r.index as usize].status);
        years
            .last_mut()
            .expect("pushed above")
            .entries
            .push(TimelineEntry {
                date,
                date_words: crate::dates::in_words(date, &e.meta.language),
                kind: r.kind.name(),
                title: e.entity_name(r),
                url: format!("{root}{}", e.entity_url(r)),
                status: status.map(|s| s.as_str()),
                symbol: status.map(ClaimStatus::symbol),
                event,
                places: places(e, r, root),
            });
    }
    years
}

/// Where the text discusses `r`: its own mentions, or for a source that is
/// never named, the mentions of the claims that cite it.
fn places(e: &Edition, r: EntityRef, root: &str) -> Vec<Place> {
    let mut mentions: Vec<MentionId> = e.entity_mentions(r).to_vec();
    if mentions.is_empty() && r.kind == EntityKind::Source {
        for &c in &e.sources[r.index as usize].cited_by {
            mentions.extend_from_slice(&e[c].mentions);
        }
    }
    // One link per paragraph, in reading order.
    let spots: BTreeSet<(PartId, Option<u32>, u32)> = mentions
        .iter()
        .map(|&mi| {
            let m = &e[mi];
            (m.part, m.paragraph, m.anchor)
        })
        .collect();
    let mut seen = BTreeSet::new();
    spots
        .into_iter()
        .filter(|(part, para, _)| seen.insert((*part, *para)))
        .take(MAX_PLACES)
        .map(|(part, para, anchor)| {
            let p = part.index();
            Place {
                label: match para {
                    Some(n) => format!("Part {}, ¶{}", p + 1, n + 1),
                    None => format!("Part {}", p + 1),
                },
                url: format!("{root}{}#m-{anchor}", e.part_url(p)),
            }
        })
        .collect()
}
