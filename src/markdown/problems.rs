//! Parse stage, Markdown: links that Markdown takes but glossator refuses,
//! or does not take though they were meant as links. Each becomes an error
//! saying what to write instead.

use std::ops::Range;
use std::sync::Arc;

use pulldown_cmark::LinkType;

use super::{Target, dangerous_scheme, is_valid_id};
use crate::diagnostics::{Code, Diagnostic, SourceText, did_you_mean};
use crate::kinds::EntityKind;
use crate::link_shapes;

/// The problem with an image, if any: image syntax around a mention or a
/// content page (a link was meant), or a path to a file the site does not
/// hold (glossator copies no files from `content/` but its Markdown).
pub(super) fn image_problem(
    source: &Arc<SourceText>,
    span: Range<usize>,
    dest: &str,
) -> Option<Diagnostic> {
    let d = match classify_target(dest) {
        Ok(Target::Mention { kind, id }) => Diagnostic::error(format!(
            "image syntax around the mention `{}:{id}`",
            kind.prefix()
        ))
        .with_help("a mention is a link: remove the `!` before `[`")
        .with_code(Code::ImageOfContent),
        Ok(Target::Content { path, .. }) => {
            Diagnostic::error(format!("image syntax around a link to the page `{path}`"))
                .with_help("a link to a part or page is written without the `!` before `[`")
                .with_code(Code::ImageOfContent)
        }
        _ => return None,
    };
    Some(d.at(source, span, "this image"))
}

/// A problem that shows only in text: a mention written with a space after
/// the colon (so not a link at all), or the rest of a link around a link.
pub(super) fn text_link_problem(
    source: &Arc<SourceText>,
    span: Range<usize>,
    text: &str,
    after_link: bool,
) -> Option<Diagnostic> {
    // Both problems need a `](` in the text; most runs have none.
    let first_close = link_shapes::link_close(text)?;
    // The offset within the text is exact when the text is the source as
    // written, as it is unless it held escapes or entities.
    let written = source.text.get(span.clone()) == Some(text);
    let at = |r: Range<usize>| match written {
        true => span.start + r.start..span.start + r.end,
        false => span.clone(),
    };
    let closes_outer = Some(first_close).filter(|&i| after_link && !text[..i].contains('['));
    if let Some(close) = closes_outer {
        let end = text[close..]
            .find(')')
            .map_or(text.len(), |i| close + i + 1);
        return Some(
            Diagnostic::error("a link inside a link")
                .at(source, at(close..end), "the outer link ends here")
                .with_help(
                    "Markdown does not nest links: link the outer words and the mention separately",
                )
                .with_code(Code::NestedLink),
        );
    }
    let (range, kind, id) = link_shapes::spaced_mention(text)?;
    Some(
        Diagnostic::error(format!(
            "`{}` is not a mention: there is a space around the colon",
            &text[range.clone()]
        ))
        .at(source, at(range.clone()), "not a link")
        .with_help(match text[..range.start].rfind('[') {
            Some(open) => format!(
                "write `{}({}:{id})`",
                &text[open..range.start - 1],
                kind.prefix()
            ),
            None => format!("write `({}:{id})`", kind.prefix()),
        })
        .with_code(Code::AlmostMention),
    )
}

/// Why a link target was refused.
pub(super) enum TargetProblem {
    /// `Person:x` or `people:x`: a kind in the wrong case or number.
    AlmostKind {
        written: String,
        kind: EntityKind,
        id: String,
    },
    UnknownKind {
        kind: String,
        id: String,
    },
    BadId {
        kind: EntityKind,
        id: String,
    },
    Dangerous(String),
}

impl TargetProblem {
    pub(super) fn diagnostic(
        &self,
        source: &Arc<SourceText>,
        span: Range<usize>,
        _link_type: LinkType,
    ) -> Diagnostic {
        match self {
            TargetProblem::AlmostKind { written, kind, id } => Diagnostic::error(format!(
                "`{written}:{id}` is not a mention: kinds are written in lower case and singular"
            ))
            .at(source, span, "almost a mention")
            .with_help(format!("write `{}:{id}`", kind.prefix()))
            .with_code(Code::AlmostMention),
            TargetProblem::UnknownKind { kind, id } => {
                let d =
                    Diagnostic::error(format!("unknown kind `{kind}` in mention `{kind}:{id}`"))
                        .at(source, span, "unknown kind")
                        .with_code(Code::UnknownKind);
                match did_you_mean(kind, EntityKind::ALL.iter().map(|k| k.prefix())) {
                    Some(best) => d.with_help(format!("did you mean `{best}:{id}`?")),
                    None => {
                        let kinds: Vec<&str> = EntityKind::ALL.iter().map(|k| k.prefix()).collect();
                        d.with_help(format!(
                            "a mention names one of the kinds {}",
                            kinds.join(", ")
                        ))
                    }
                }
            }
            TargetProblem::BadId { kind, id } => Diagnostic::error(format!(
                "`{id}` is not a valid {} ID",
                kind.prefix()
            ))
            .at(source, span, "bad ID")
            .with_help(
                "IDs are lowercase letters, digits and hyphens, starting with a letter or digit",
            )
            .with_code(Code::InvalidId),
            TargetProblem::Dangerous(scheme) => {
                Diagnostic::error(format!("`{scheme}:` links are not allowed"))
                    .at(source, span, "unsafe link target")
                    .with_help("link to an http(s) address or to a page of the edition")
                    .with_code(Code::UnsafeLink)
            }
        }
    }
}

/// URL schemes that are links to the outside world, never entity kinds.
const URL_SCHEMES: &[&str] = &[
    "http", "https", "mailto", "tel", "ftp", "ftps", "doi", "urn", "news", "irc", "geo", "sms",
];

pub(super) fn classify_target(dest: &str) -> Result<Target, TargetProblem> {
    if let Some(scheme) = dangerous_scheme(dest) {
        return Err(TargetProblem::Dangerous(scheme));
    }
    if let Some(fragment) = dest.strip_prefix('#') {
        return Ok(Target::Fragment(fragment.to_string()));
    }
    if let Some((scheme, rest)) = dest.split_once(':') {
        let looks_like_kind = !scheme.is_empty()
            && scheme.bytes().all(|b| b.is_ascii_alphabetic())
            && !rest.starts_with("//");
        if looks_like_kind {
            if let Some(kind) = EntityKind::from_prefix(scheme) {
                return if is_valid_id(rest) {
                    Ok(Target::Mention {
                        kind,
                        id: rest.to_string(),
                    })
                } else {
                    Err(TargetProblem::BadId {
                        kind,
                        id: rest.to_string(),
                    })
                };
            }
            if let Some(kind) = link_shapes::almost_kind(scheme) {
                return Err(TargetProblem::AlmostKind {
                    written: scheme.to_string(),
                    kind,
                    id: rest.to_string(),
                });
            }
            if !URL_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) {
                return Err(TargetProblem::UnknownKind {
                    kind: scheme.to_string(),
                    id: rest.to_string(),
                });
            }
        }
        return Ok(Target::External(dest.to_string()));
    }
    let (path, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_string())),
        None => (dest, None),
    };
    if path.ends_with(".md") && !path.starts_with("//") {
        return Ok(Target::Content {
            path: path.to_string(),
            fragment,
        });
    }
    Ok(Target::External(dest.to_string()))
}
