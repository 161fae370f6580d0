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

/// A link that is neither an absolute web address nor a content file: the
/// error says which file it was probably meant for.
fn not_a_file_of_the_edition(
    source: &Arc<SourceText>,
    from_rel: &str,
    span: Range<usize>,
    url: &str,
    files: &FileIndex,
) -> Diagnostic {
    let (path, fragment) = match url.split_once('#') {
        Some((p, f)) => (p, format!("#{f}")),
        None => (url, String::new()),
    };
    let meant = join_relative(from_rel, path).and_then(|joined| {
        let files = files
            .by_rel
            .iter()
            .map(|(rel, (u, _))| (rel.as_str(), u.as_str()));
        link_shapes::meant_content_file(&joined, files)
    });
    let d = Diagnostic::error(format!(
        "link to `{url}`, which is neither a file of this edition nor an http(s) address"
    ))
    .at(source, span, "broken link")
    .with_code(Code::BrokenLink);
    match meant {
        Some(rel) => {
            let written = relative_from(from_rel, rel);
            d.with_help(format!("did you mean `{written}{fragment}`? Links to parts and pages name their file, with `.md`"))
        }
        None => d.with_help(
            "link to a part or page by its file (`01-part.md`), or give a full https:// address",
        ),
    }
}

/// Whether a relative link names a file that is not Markdown, by its file
/// name's extension (`map.pdf`), and is not a part or page written without
/// its `.md` (`01-part` or `01-part.html` is an error saying so).
fn names_a_copied_file(from_rel: &str, url: &str, files: &FileIndex) -> bool {
    let Some(Ok(target)) = crate::files::file_target(from_rel, url) else {
        return false;
    };
    let name = target.rsplit('/').next().unwrap_or(&target);
    let has_extension = name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && !ext.is_empty() && ext.chars().all(|c| c.is_ascii_alphanumeric())
    });
    let by_rel = files
        .by_rel
        .iter()
        .map(|(rel, (u, _))| (rel.as_str(), u.as_str()));
    has_extension && link_shapes::meant_content_file(&target, by_rel).is_none()
}

/// `rel` (from `content/`) as written in a link from the file `from_rel`.
fn relative_from(from_rel: &str, rel: &str) -> String {
    let depth = from_rel.matches('/').count();
    format!("{}{rel}", "../".repeat(depth))
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
                        let text_around = (link.paragraph.map(|p| &part.body.paragraphs[p]))
                            .or_else(|| link.footnote.map(|f| &part.body.footnotes[f].text));
                        let context = text_around
                            .map(|t| sentence_around(t, link.chars.clone()))
                            .unwrap_or_else(|| link.text.clone());
                        mentions.push(Mention {
                            entity,
                            part: PartId::at(pi),
                            paragraph: link.paragraph.map(|p| p as u32),
                            anchor,
                            text: link.text.clone(),
                            locator: link.locator.clone(),
                            chars: link.chars.clone(),
                            context,
                        });
                        LinkResolution::Mention(MentionId::at(first + mentions.len() - 1))
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
        for i in 0..e.sections.len() {
            let section = &e.sections[i];
            let links = self.uncounted_links(
                &section.origin.source,
                &section.rel,
                &section.body,
                reg,
                files,
            );
            e.sections[i].links = links;
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
        let mut d = Diagnostic::error(format!("unknown {} `{id}`", kind.name()))
            .at(source, span, "no such entity")
            .with_code(Code::UnknownEntity)
            .depending_on(format!("content/{}/{id}.md", kind.folder()));
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
            Target::External(url) if link_shapes::is_absolute_web_link(url) => {
                LinkResolution::External(url.clone())
            }
            // A file copied from content/ (`map.pdf`, `img/x.png`): whether it
            // exists is checked once the copied files are known (`files::check`).
            Target::External(url) if names_a_copied_file(from_rel, url, files) => {
                LinkResolution::External(url.clone())
            }
            Target::External(url) => {
                self.diags.push(not_a_file_of_the_edition(
                    source, from_rel, span, url, files,
                ));
                LinkResolution::Broken
            }
            Target::Fragment(f) => {
                if !own.has_anchor(f) && !f.is_empty() {
                    let d = Diagnostic::error(format!("link to `#{f}`, which is not on this page"))
                        .at(source, span, "missing anchor")
                        .with_code(Code::MissingAnchor);
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
                    .at(source, span, "broken link")
                    .with_code(Code::BrokenLink);
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
                        .at(source, span, "missing anchor")
                        .with_code(Code::MissingAnchor);
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
