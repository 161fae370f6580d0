//! Resolve: a part's notes (entities and footnotes) numbered in order of
//! first occurrence.

use super::*;

/// Numbers a part's notes in order of first occurrence: the first mention of
/// each entity and each footnote reference, interleaved as they appear.
pub(super) fn number_notes(
    body: &Body,
    links: &[LinkResolution],
    mentions: &[Mention],
    first: usize,
) -> Vec<Note> {
    let mut events: Vec<(usize, Result<usize, usize>)> = Vec::new();
    for (li, link) in body.links.iter().enumerate() {
        if let LinkResolution::Mention(mi) = links[li] {
            events.push((link.start, Ok(mi.index() - first)));
        }
    }
    for (ri, (ev, _)) in body.footnote_refs.iter().enumerate() {
        events.push((*ev, Err(ri)));
    }
    events.sort_by_key(|(ev, _)| *ev);
    let mut notes: Vec<Note> = Vec::new();
    let mut entity_note: HashMap<EntityRef, usize> = HashMap::new();
    let mut footnote_note: HashMap<&str, usize> = HashMap::new();
    for (_, item) in events {
        match item {
            Ok(local) => {
                let m = &mentions[local];
                let n = *entity_note.entry(m.entity).or_insert_with(|| {
                    notes.push(Note::Entity {
                        entity: m.entity,
                        mentions: Vec::new(),
                    });
                    notes.len() - 1
                });
                if let Note::Entity { mentions, .. } = &mut notes[n] {
                    mentions.push(m.anchor);
                }
            }
            Err(ri) => {
                let label = body.footnote_refs[ri].1.as_str();
                let n = *footnote_note.entry(label).or_insert_with(|| {
                    notes.push(Note::Footnote {
                        label: label.to_string(),
                        refs: Vec::new(),
                    });
                    notes.len() - 1
                });
                if let Note::Footnote { refs, .. } = &mut notes[n] {
                    refs.push(ri as u32 + 1);
                }
            }
        }
    }
    notes
}

/// The note number of each footnote reference, in `footnote_refs` order.
pub(super) fn footnote_numbers(body: &Body, notes: &[Note]) -> Vec<u32> {
    body.footnote_refs
        .iter()
        .map(|(_, label)| {
            notes
                .iter()
                .position(|n| matches!(n, Note::Footnote { label: l, .. } if l == label))
                .map_or(0, |i| i as u32 + 1)
        })
        .collect()
}
