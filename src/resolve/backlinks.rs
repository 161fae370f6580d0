//! Resolve: the lists that point back, filled once the edition is built:
//! mentions, citing claims, writings, members, units, places within.

use super::*;

/// Fills the lists that point back: each entity's mentions, each source's
/// citing claims, each person's claims and writings, what claims are about.
pub(super) fn back_links(e: &mut Edition) {
    for (mi, m) in e.mentions.iter().enumerate() {
        let i = m.entity.index as usize;
        let list = match m.entity.kind {
            EntityKind::Person => &mut e.people[i].mentions,
            EntityKind::Source => &mut e.sources[i].mentions,
            EntityKind::Claim => &mut e.claims[i].mentions,
            EntityKind::Term => &mut e.terms[i].mentions,
            EntityKind::Place => &mut e.places[i].mentions,
            EntityKind::Organisation => &mut e.organisations[i].mentions,
        };
        list.push(MentionId::at(mi));
    }
    for (ci, c) in e.claims.iter().enumerate() {
        for &s in &c.sources {
            e.sources[s].cited_by.push(ClaimId::at(ci));
        }
        for &p in &c.attributed_to {
            e.people[p].claims_attributed.push(ClaimId::at(ci));
        }
    }
    for ci in 0..e.claims.len() {
        for a in e.claims[ci].about.clone() {
            let i = a.index as usize;
            match a.kind {
                EntityKind::Person => e.people[i].claims_about.push(ClaimId::at(ci)),
                EntityKind::Claim => e.claims[i].claims_about.push(ClaimId::at(ci)),
                EntityKind::Term => e.terms[i].claims_about.push(ClaimId::at(ci)),
                EntityKind::Source => e.sources[i].cited_by.push(ClaimId::at(ci)),
                EntityKind::Place => e.places[i].claims_about.push(ClaimId::at(ci)),
                EntityKind::Organisation => e.organisations[i].claims_about.push(ClaimId::at(ci)),
            }
        }
    }
    for s in &mut e.sources {
        s.cited_by.sort_unstable();
        s.cited_by.dedup();
    }
    for (si, s) in e.sources.iter().enumerate() {
        for a in &s.authors {
            if let Author::Person(p) = a {
                e.people[*p].sources_written.push(SourceId::at(si));
            }
        }
        let mut published: Vec<OrganisationId> =
            s.outlet_org.into_iter().chain(s.publisher_org).collect();
        published.dedup();
        for o in published {
            e.organisations[o].sources_published.push(SourceId::at(si));
        }
    }
    for (pi, p) in e.people.iter().enumerate() {
        for &o in &p.affiliations {
            e.organisations[o].members.push(PersonId::at(pi));
        }
    }
    for pi in 0..e.places.len() {
        if let Some(parent) = e.places[pi].located_in {
            e.places[parent].contains.push(PlaceId::at(pi));
        }
    }
    for oi in 0..e.organisations.len() {
        if let Some(parent) = e.organisations[oi].part_of {
            e.organisations[parent].units.push(OrganisationId::at(oi));
        }
    }
}

/// Gives each source whose outlet or publisher is an organisation that
/// organisation's name, so everything that shows the name shows the same one.
pub(super) fn name_organisations(e: &mut Edition) {
    for s in &mut e.sources {
        if let Some(o) = s.outlet_org {
            s.outlet = Some(e.organisations[o].name.clone());
        }
        if let Some(o) = s.publisher_org {
            s.publisher = Some(e.organisations[o].name.clone());
        }
    }
}

/// Empties the lists [`back_links`] fills.
pub(super) fn clear_back_links(e: &mut Edition) {
    for p in &mut e.people {
        p.mentions.clear();
        p.claims_attributed.clear();
        p.claims_about.clear();
        p.sources_written.clear();
    }
    for s in &mut e.sources {
        s.mentions.clear();
        s.cited_by.clear();
    }
    for c in &mut e.claims {
        c.mentions.clear();
        c.claims_about.clear();
    }
    for t in &mut e.terms {
        t.mentions.clear();
        t.claims_about.clear();
    }
    for p in &mut e.places {
        p.mentions.clear();
        p.claims_about.clear();
        p.contains.clear();
    }
    for o in &mut e.organisations {
        o.mentions.clear();
        o.claims_about.clear();
        o.units.clear();
        o.members.clear();
        o.sources_published.clear();
    }
}
