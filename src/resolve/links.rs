//! Resolve: the links of each body: mentions (counted in the reading text,
//! uncounted elsewhere), links between content files, fragments, external.

use super::*;

pub(super) fn with_anchor_help(d: Diagnostic, f: &str, anchors: &HashSet<String>) -> Diagnostic {
    match did_you_mean(f, anchors.iter().map(String::as_str)) {
        Some(best) => d.with_help(format!("did you mean `#{best}`?")),
        None if f.starts_with('p') => d.with_help(format!(
            "that page has {} numbered paragraphs",
            anchors
                .iter()
                .filter(|a| a.starts_with('p') && a[1..].parse::<u32>().is_ok())
                .count()
        )),
        None => d,
    }
}

/// `../02-b.md` from `pages/x.md` → `02-b.md`; `None` if it leaves `content/`.
pub(super) fn join_relative(from_rel: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = from_rel.split('/').collect();
    parts.pop();
    let path = path.strip_prefix("./").unwrap_or(path);
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

impl Resolver {
    /// Resolves a part's links; its mentions are numbered from `first` in
    /// `Edition::mentions`.
    pub(super) fn part_links(
        &mut self,
        part: &Part,
        pi: usize,
        first: usize,
        reg: &Registry,
        files: &FileIndex,
    ) -> (Vec<LinkResolution>, Vec<Mention>) {
        let mut links = Vec::with_capacity(part.body.links.len());
        let mut mentions = Vec::new();
        for link in &part.body.links {
            let resolution = match &link.target {
                Target::Mention { kind, id } => match self.mention_target(
                    &part.origin.source,
                    link.span.clone(),
                    *kind,
                    id,
                    reg,
                ) {
                    Some(entity) => {
                        let anchor = mentions.len() as u32 + 1;
                        let context = link
                            .paragraph
                            .map(|p| sentence_around(&part.body.paragraphs[p], link.chars.clone()))
                            .unwrap_or_else(|| link.text.clone());
                        mentions.push(Mention {
                            entity,
                            part: pi as u32,
                            paragraph: link.paragraph.map(|p| p as u32),
                            anchor,
                            text: link.text.clone(),
                            locator: link.locator.clone(),
                            chars: link.chars.clone(),
                            context,
                        });
                        LinkResolution::Mention((first + mentions.len() - 1) as u32)
                    }
                    None => LinkResolution::Broken,
                },
                other => self.plain_link(
                    &part.origin.source,
                    &part.rel,
                    link.span.clone(),
                    other,
                    files,
                    &part.body,
                ),
            };
            links.push(resolution);
        }
        (links, mentions)
    }

    pub(super) fn resolve_pages(&mut self, e: &mut Edition, reg: &Registry, files: &FileIndex) {
        for i in 0..e.pages.len() {
            let page = &e.pages[i];
            let links =
                self.uncounted_links(&page.origin.source, &page.rel, &page.body, reg, files);
            e.pages[i].links = links;
        }
    }

    pub(super) fn resolve_notes(&mut self, e: &mut Edition, reg: &Registry, files: &FileIndex) {
        let mut out = NoteLinks::default();
        for entity in e.entities().collect::<Vec<_>>() {
            let note = e.entity_note(entity);
            let source = Arc::clone(&e.entity_origin(entity).source);
            let rel = format!("{}/{}.md", entity.kind.folder(), e.entity_id(entity));
            let links = self.uncounted_links(&source, &rel, note, reg, files);
            match entity.kind {
                EntityKind::Person => out.people.push(links),
                EntityKind::Source => out.sources.push(links),
                EntityKind::Claim => out.claims.push(links),
                EntityKind::Term => out.terms.push(links),
                EntityKind::Place => out.places.push(links),
                EntityKind::Organisation => out.organisations.push(links),
            }
        }
        e.note_links = out;
    }

    /// Links in text outside the reading order: mentions there link to the
    /// entity but are not counted as mentions.
    pub(super) fn uncounted_links(
        &mut self,
        source: &Arc<SourceText>,
        rel: &str,
        body: &Body,
        reg: &Registry,
        files: &FileIndex,
    ) -> Vec<LinkResolution> {
        body.links
            .iter()
            .map(|link| match &link.target {
                Target::Mention { kind, id } => self
                    .mention_target(source, link.span.clone(), *kind, id, reg)
                    .map_or(LinkResolution::Broken, LinkResolution::Entity),
                other => self.plain_link(source, rel, link.span.clone(), other, files, body),
            })
            .collect()
    }

    pub(super) fn mention_target(
        &mut self,
        source: &Arc<SourceText>,
        span: Range<usize>,
        kind: EntityKind,
        id: &str,
        reg: &Registry,
    ) -> Option<EntityRef> {
        if let Some(index) = reg.get(kind, id) {
            return Some(EntityRef { kind, index });
        }
        let mut d = Diagnostic::error(format!("unknown {} `{id}`", kind.name())).at(
            source,
            span,
            "no such entity",
        );
        d = match reg.suggest(kind, id) {
            Some(s) => d.with_help(format!("did you mean `{}:{s}`?", kind.prefix())),
            None => {
                let other = EntityKind::ALL
                    .into_iter()
                    .find(|k| *k != kind && reg.get(*k, id).is_some());
                match other {
                    Some(k) => d.with_help(format!(
                        "`{id}` is a {}: did you mean `{}:{id}`?",
                        k.name(),
                        k.prefix()
                    )),
                    None => d.with_help(format!(
                        "define it in content/{}/{id}.md or inline in a part's front matter",
                        kind.folder()
                    )),
                }
            }
        };
        self.diags.push(d);
        None
    }

    pub(super) fn plain_link(
        &mut self,
        source: &Arc<SourceText>,
        from_rel: &str,
        span: Range<usize>,
        target: &Target,
        files: &FileIndex,
        own: &Body,
    ) -> LinkResolution {
        match target {
            Target::External(url) => LinkResolution::External(url.clone()),
            Target::Fragment(f) => {
                if !own.has_anchor(f) && !f.is_empty() {
                    let d = Diagnostic::error(format!("link to `#{f}`, which is not on this page"))
                        .at(source, span, "missing anchor");
                    self.diags.push(with_anchor_help(d, f, &own.anchors()));
                    return LinkResolution::Broken;
                }
                LinkResolution::Fragment(f.clone())
            }
            Target::Content { path, fragment } => {
                let target_rel = join_relative(from_rel, path);
                let Some((url, body)) = target_rel.as_ref().and_then(|t| files.by_rel.get(t))
                else {
                    let mut d = Diagnostic::error(format!(
                        "link to `{path}`, which is not a part or page of this edition"
                    ))
                    .at(source, span, "broken link");
                    if let Some(best) = did_you_mean(
                        target_rel.as_deref().unwrap_or(path),
                        files.by_rel.keys().map(String::as_str),
                    ) {
                        d = d.with_help(format!("did you mean `{best}`?"));
                    }
                    self.diags.push(d);
                    return LinkResolution::Broken;
                };
                match fragment {
                    Some(f) if !f.is_empty() && !body.has_anchor(f) => {
                        let d = Diagnostic::error(format!(
                            "link to `{path}#{f}`, but that page has no `#{f}`"
                        ))
                        .at(source, span, "missing anchor");
                        self.diags.push(with_anchor_help(d, f, &body.anchors()));
                        LinkResolution::Broken
                    }
                    Some(f) if !f.is_empty() => LinkResolution::Internal(format!("{url}#{f}")),
                    _ => LinkResolution::Internal(url.clone()),
                }
            }
            Target::Mention { .. } => unreachable!("mentions are resolved by the caller"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_join_within_content() {
        assert_eq!(
            join_relative("pages/about.md", "../02-b.md").as_deref(),
            Some("02-b.md")
        );
        assert_eq!(
            join_relative("01-a.md", "./02-b.md").as_deref(),
            Some("02-b.md")
        );
        assert_eq!(join_relative("01-a.md", "../../x.md"), None);
    }
}
