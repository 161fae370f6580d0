//! Resolve: the parts and pages in reading order, their slugs and output
//! paths, and the edition's cover (`_index.md`).

use super::*;

/// Why a slug is unsafe as a folder name, if it is.
pub fn unsafe_slug(slug: &str) -> Option<&'static str> {
    if slug.is_empty() {
        return Some("it is empty");
    }
    if slug.contains('\0') {
        return Some("it contains a NUL character");
    }
    if slug.contains(['/', '\\']) {
        return Some("it contains a path separator");
    }
    if slug == "." || slug == ".." || slug.contains("..") {
        return Some("it names a parent folder");
    }
    if slug.len() >= 2 && slug.as_bytes()[1] == b':' {
        return Some("it starts with a drive letter");
    }
    let stem = slug.split('.').next().unwrap_or(slug).to_ascii_uppercase();
    let reserved = ["CON", "PRN", "AUX", "NUL"].contains(&stem.as_str())
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    if reserved {
        return Some("it is a reserved device name on Windows");
    }
    if slug.starts_with('.') {
        return Some("it starts with a dot (a hidden folder)");
    }
    if !slug
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Some("it contains characters other than letters, digits, `-`, `_` and `.`");
    }
    None
}

/// The parts, pages and sections, resolved: what [`Resolver::order_documents`] makes.
pub(super) struct Documents {
    pub parts: Vec<Part>,
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
    pub contents: Vec<Item>,
}

impl Resolver {
    /// Orders parts and sections (by `order`, then file name, folder by
    /// folder); checks slugs and output paths.
    pub(super) fn order_documents(
        &mut self,
        parts: Vec<crate::parse::ParsedPart>,
        mut pages: Vec<crate::parse::ParsedPage>,
        sections: Vec<crate::parse::ParsedSection>,
    ) -> Documents {
        let ordered = sections::reading_order(parts, sections);
        pages.sort_by(|a, b| a.rel.cmp(&b.rel));
        for level in &ordered.levels {
            let parts: Vec<_> = level.iter().map(|&i| &ordered.parts[i].0).collect();
            self.warn_shared_orders(&parts);
        }
        let mut taken: HashMap<String, Origin> = HashMap::new();
        let out_sections = self.sections(ordered.sections, &mut taken);
        let mut slugs: HashMap<String, (String, Origin)> = HashMap::new();
        let reserved = site_paths::reserved();
        let mut out_parts = Vec::with_capacity(ordered.parts.len());
        for (p, section) in ordered.parts {
            let slug = self.slug(&p.rel, p.raw.slug.as_ref(), &p.origin);
            let folder = section.map(|s| out_sections[s].path.as_str());
            let path = site_paths::in_section(folder, &slug);
            if folder.is_none() && reserved.contains(&slug.as_str()) {
                self.refuse_reserved("part", &slug, &p.origin);
            }
            // Without sections two parts with one slug share a folder too,
            // which `claim_output` reports.
            if !out_sections.is_empty() {
                self.claim_part_slug(&mut slugs, &slug, &path, &p.origin);
            }
            self.claim_output(&mut taken, path, &p.origin);
            out_parts.push(Part {
                slug,
                title: smart(&p.raw.title),
                summary: p.raw.summary.as_deref().map(smart),
                order: p.raw.order,
                rel: p.rel,
                origin: p.origin,
                body: p.body,
                links: Vec::new(),
                notes: Vec::new(),
                mentions: 0..0,
                footnote_numbers: Vec::new(),
                section,
            });
        }
        let mut out_pages = Vec::new();
        for p in pages {
            let slug = self.slug(&p.rel, p.raw.slug.as_ref(), &p.origin);
            self.claim_output(
                &mut taken,
                format!("{}/{slug}", site_paths::PAGES),
                &p.origin,
            );
            out_pages.push(Page {
                slug,
                title: smart(&p.raw.title),
                summary: p.raw.summary.as_deref().map(smart),
                rel: p.rel,
                origin: p.origin,
                body: p.body,
                links: Vec::new(),
            });
        }
        Documents {
            parts: out_parts,
            pages: out_pages,
            sections: out_sections,
            contents: ordered.contents,
        }
    }

    /// The sections in reading order, each with its folder in the site.
    fn sections(
        &mut self,
        ordered: Vec<(crate::parse::ParsedSection, Option<SectionId>, Vec<Item>)>,
        taken: &mut HashMap<String, Origin>,
    ) -> Vec<Section> {
        let mut out: Vec<Section> = Vec::with_capacity(ordered.len());
        for (s, parent, items) in ordered {
            let folder = sections::folder_of(&s.rel);
            let slug = self.slug(folder, s.raw.slug.as_ref(), &s.origin);
            let outer = parent.map(|p| out[p].path.as_str());
            let path = site_paths::in_section(outer, &slug);
            if outer.is_none() && site_paths::reserved().contains(&slug.as_str()) {
                self.refuse_reserved("section", &slug, &s.origin);
            }
            self.claim_output(taken, path.clone(), &s.origin);
            out.push(Section {
                slug,
                path,
                title: smart(&s.raw.title),
                summary: s.raw.summary.as_deref().map(smart),
                order: s.raw.order,
                rel: s.rel,
                origin: s.origin,
                body: s.body,
                links: Vec::new(),
                parent,
                items,
            });
        }
        out
    }

    /// A part or section at the top of the site took a name the site uses
    /// for its own pages.
    fn refuse_reserved(&mut self, what: &str, slug: &str, origin: &Origin) {
        self.error_at(
            Code::ReservedSlug,
            origin,
            format!(
                "{what} slug `{slug}` maps to `{slug}/`, which the site uses for its own pages"
            ),
        )
        .help = Some("set another `slug:` in the front matter".into());
    }

    /// Two parts in different sections may not share a slug: the search
    /// index, `annotations.json` and citations name a part by it.
    fn claim_part_slug(
        &mut self,
        slugs: &mut HashMap<String, (String, Origin)>,
        slug: &str,
        path: &str,
        origin: &Origin,
    ) {
        match slugs.get(slug) {
            Some((prev_path, prev)) if prev_path != path => self.diags.push(
                Diagnostic::error(format!(
                    "two parts have the slug `{slug}` (`{path}/` and `{prev_path}/`)"
                ))
                .at(&origin.source, origin.span.clone(), "this part")
                .also(&prev.source, prev.span.clone(), "and this one")
                .with_help("a part's slug names it in `annotations.json`: give one of them another `slug:`")
                .with_code(Code::DuplicatePartSlug),
            ),
            Some(_) => {}
            None => {
                slugs.insert(slug.to_string(), (path.to_string(), origin.clone()));
            }
        }
    }

    pub(super) fn claim_output(
        &mut self,
        taken: &mut HashMap<String, Origin>,
        path: String,
        origin: &Origin,
    ) {
        let key = path.to_lowercase();
        if let Some(prev) = taken.get(&key) {
            self.diags.push(
                Diagnostic::error(format!(
                    "two files map to the same output path `{path}/index.html`"
                ))
                .at(&origin.source, origin.span.clone(), "this file")
                .also(&prev.source, prev.span.clone(), "and this one")
                .with_help("give one of them another `slug:`")
                .with_code(Code::OutputCollision),
            );
        } else {
            taken.insert(key, origin.clone());
        }
    }

    /// Two parts with the same `order` are ordered by file name, which is
    /// rarely what was meant: a warning names both (an error under `--strict`).
    fn warn_shared_orders(&mut self, sorted: &[&crate::parse::ParsedPart]) {
        for pair in sorted.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let Some(order) = a.raw.order.filter(|o| Some(*o) == b.raw.order) else {
                continue;
            };
            let order_line = |p: &crate::parse::ParsedPart| {
                let split = yaml_split_of(&p.origin);
                frontmatter::key_line_after(&p.origin.source, &split, 0, "order")
                    .unwrap_or_else(|| p.origin.span.clone())
            };
            self.diags.push(
                Diagnostic::warning(format!(
                    "content/{} and content/{} both have `order: {order}`",
                    a.rel, b.rel
                ))
                .at(&b.origin.source, order_line(b), "same order")
                .also(&a.origin.source, order_line(a), "as this part")
                .with_help("give each part its own `order`; parts with the same one are ordered by file name")
                .with_code(Code::DuplicateOrder),
            );
        }
    }

    /// A slug from front matter or the file name; only safe slugs pass.
    pub(super) fn slug(
        &mut self,
        rel: &str,
        explicit: Option<&Spanned<String>>,
        origin: &Origin,
    ) -> String {
        let from_file = rel
            .rsplit('/')
            .next()
            .unwrap_or(rel)
            .trim_end_matches(".md")
            .to_string();
        let (slug, at) = match explicit {
            Some(s) => (s.value.clone(), self.yaml_origin(origin, s)),
            None => (from_file.clone(), origin.clone()),
        };
        if let Some(why) = unsafe_slug(&slug) {
            self.error_at(
                Code::UnsafeSlug,
                &at,
                format!("unsafe slug `{}`: {why}", slug.escape_debug()),
            )
            .help = Some(
                "a slug is letters, digits, `-`, `_` and `.`, and names one folder inside the site"
                    .into(),
            );
            return suggested_id(&slug);
        }
        slug
    }

    pub(super) fn meta(
        &mut self,
        e: &mut Edition,
        index: crate::parse::ParsedIndex,
        reg: &Registry,
        files: &FileIndex,
    ) {
        let yaml = YamlPlace {
            source: Arc::clone(&index.origin.source),
            split: yaml_split_of(&index.origin),
        };
        let original = index.raw.original.map(|o| Original {
            title: o.title,
            outlet: o.outlet,
            date: o.date.and_then(|d| self.date(&yaml, &d, "date")),
            url: o.url.and_then(|u| self.url(&yaml, &u)),
        });
        let preface_links =
            self.uncounted_links(&index.origin.source, "_index.md", &index.body, reg, files);
        let citation_style = (index.raw.citation_style.as_ref())
            .and_then(|s| self.checked(&yaml, s, super::source_fields::citation_style))
            .unwrap_or_else(|| crate::render::citations::DEFAULT_STYLE.into());
        let style_file = (index.raw.citation_style.as_ref())
            .filter(|s| s.value.ends_with(".csl"))
            .map(|s| StyleFile {
                origin: spanned_origin(&yaml.source, &yaml.split, s),
                xml: Arc::from(""),
            });
        e.meta = Meta {
            title: smart(&index.raw.title),
            subtitle: index.raw.subtitle.as_deref().map(smart),
            author: index.raw.author,
            original,
            editor: index.raw.editor,
            language: index.raw.language.unwrap_or_else(|| "en".into()),
            license: index.raw.license,
            allow_html: index.raw.allow_html,
            tei: index.raw.tei,
            citation_style,
            style_file,
            preface: index.body,
            preface_links,
            cover: front_image(&yaml, index.raw.cover_image, index.raw.cover_alt, None),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_slugs_are_refused() {
        for bad in [
            "../x", "a/b", "a\\b", "C:x", "CON", "nul.txt", "x\0", ".hidden", "a b",
        ] {
            assert!(unsafe_slug(bad).is_some(), "{bad:?} should be unsafe");
        }
        assert_eq!(unsafe_slug("01-intro"), None);
    }
}
