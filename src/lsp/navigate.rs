//! Reading the edition from the editor: hover cards, go to definition, find
//! references, and the symbols of a document and of the workspace.

use std::ops::Range;

use lsp_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, GotoDefinitionParams, Hover,
    HoverContents, HoverParams, Location, MarkupContent, MarkupKind, ReferenceParams,
    SymbolInformation, SymbolKind, WorkspaceSymbolParams, WorkspaceSymbolResponse,
};
use serde_json::Value;

use super::facts::{Entity, Facts, Kind, Place};
use super::{Answer, Documents, text};

/// What sits at a position: an entity (through a mention, a reference or its
/// definition) or a link to another file.
pub enum AtCursor<'a> {
    Entity {
        kind: Kind,
        id: String,
        /// The range of the ID where the cursor is, if it is written there.
        id_span: Option<Range<usize>>,
    },
    FileLink(&'a super::facts::FileLink),
}

pub fn at_cursor(facts: &Facts, offset: usize) -> Option<AtCursor<'_>> {
    let inside = |span: &Range<usize>| span.start <= offset && offset <= span.end;
    if let Some(o) = facts.occurrences.iter().find(|o| inside(&o.span)) {
        return Some(AtCursor::Entity {
            kind: o.kind,
            id: o.id.clone(),
            id_span: o.id_span.clone(),
        });
    }
    let defined = (facts.entities.iter())
        .find(|e| e.definition.file == facts.path() && inside(&e.definition.span));
    if let Some(e) = defined {
        let id_span = (!e.own_file).then(|| e.definition.span.clone());
        return Some(AtCursor::Entity {
            kind: e.kind,
            id: e.id.clone(),
            id_span,
        });
    }
    facts
        .file_links
        .iter()
        .find(|l| inside(&l.span))
        .map(AtCursor::FileLink)
}

fn cursor<'a>(
    docs: &'a Documents,
    at: &lsp_types::TextDocumentPositionParams,
) -> Result<(&'a Facts, Option<AtCursor<'a>>), (lsp_server::ErrorCode, String)> {
    let facts = docs.facts(&at.text_document.uri)?;
    let offset = text::offset(&facts.source, at.position);
    Ok((facts, at_cursor(facts, offset)))
}

fn json<T: serde::Serialize>(v: T) -> Answer {
    Ok(serde_json::to_value(v).expect("protocol types serialise"))
}

pub fn hover(docs: &Documents, params: HoverParams) -> Answer {
    let (_, at) = cursor(docs, &params.text_document_position_params)?;
    let Some(AtCursor::Entity { kind, id, .. }) = at else {
        return Ok(Value::Null);
    };
    let value = match docs.analysis.entity(kind, &id) {
        Some(e) => card(docs, e),
        None => format!(
            "`{}:{id}` is not defined: a code action can create it",
            kind.prefix()
        ),
    };
    json(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: None,
    })
}

/// An entity's card, as Markdown.
pub fn card(docs: &Documents, e: &Entity) -> String {
    let mut lines = vec![format!("**{}** · `{}`", e.name, e.target())];
    if !e.description.is_empty() {
        lines.push(e.description.clone());
    }
    lines.extend(e.details.iter().cloned());
    let source = Kind::from_prefix("source");
    let cited: Vec<String> = (e.sources.iter())
        .map(
            |id| match source.and_then(|k| docs.analysis.entity(k, id)) {
                Some(s) => format!("{} (`{id}`)", s.name),
                None => format!("`{id}` (not defined)"),
            },
        )
        .collect();
    if !cited.is_empty() {
        lines.push(format!("Sources: {}", cited.join("; ")));
    }
    if !e.aliases.is_empty() {
        lines.push(format!("Also: {}", e.aliases.join(", ")));
    }
    lines.join("\n\n")
}

/// Where a root-relative place is, for the editor.
pub fn location(docs: &Documents, place: &Place) -> Option<Location> {
    let rel = place.file.strip_prefix("content/")?;
    let source = docs.analysis.source(rel)?;
    Some(Location::new(
        docs.uri(&place.file),
        text::range(source, &place.span),
    ))
}

pub fn definition(docs: &Documents, params: GotoDefinitionParams) -> Answer {
    let (_, at) = cursor(docs, &params.text_document_position_params)?;
    let place = match at {
        Some(AtCursor::Entity { kind, id, .. }) => docs
            .analysis
            .entity(kind, &id)
            .map(|e| e.definition.clone()),
        Some(AtCursor::FileLink(link)) => docs.analysis.file(&link.rel).map(|target| {
            let anchor =
                (link.fragment.as_ref()).and_then(|f| target.anchors.iter().find(|a| &a.id == f));
            Place {
                file: target.path().to_string(),
                span: anchor.map_or(0..0, |a| a.span.clone()),
            }
        }),
        None => None,
    };
    match place.and_then(|p| location(docs, &p)) {
        Some(l) => json(l),
        None => Ok(Value::Null),
    }
}

/// Every mention and reference of an entity, as places.
pub fn occurrences_of(
    docs: &Documents,
    kind: Kind,
    id: &str,
) -> Vec<(Place, Option<Range<usize>>)> {
    (docs.analysis.facts())
        .flat_map(|f| {
            (f.occurrences.iter())
                .filter(move |o| o.kind == kind && o.id == id)
                .map(move |o| {
                    let place = Place {
                        file: f.path().to_string(),
                        span: o.span.clone(),
                    };
                    (place, o.id_span.clone())
                })
        })
        .collect()
}

pub fn references(docs: &Documents, params: ReferenceParams) -> Answer {
    let (_, at) = cursor(docs, &params.text_document_position)?;
    let Some(AtCursor::Entity { kind, id, .. }) = at else {
        return Ok(Value::Null);
    };
    let mut places: Vec<Place> = (occurrences_of(docs, kind, &id).into_iter())
        .map(|(p, _)| p)
        .collect();
    if params.context.include_declaration {
        places.extend(
            docs.analysis
                .entity(kind, &id)
                .map(|e| e.definition.clone()),
        );
    }
    let locations: Vec<Location> = places.iter().filter_map(|p| location(docs, p)).collect();
    json(locations)
}

#[allow(deprecated)] // `deprecated` is a required field of the type
pub fn document_symbols(docs: &Documents, params: DocumentSymbolParams) -> Answer {
    let facts = docs.facts(&params.text_document.uri)?;
    let source = &facts.source;
    let headings = (facts.anchors.iter().filter(|a| a.heading_level > 0)).map(|a| DocumentSymbol {
        name: a.label.clone(),
        detail: Some(format!("#{}", a.id)),
        kind: SymbolKind::STRING,
        tags: None,
        deprecated: None,
        range: text::range(source, &a.span),
        selection_range: text::range(source, &a.span),
        children: None,
    });
    let entities = facts.entities.iter().map(|e| DocumentSymbol {
        name: e.name.clone(),
        detail: Some(e.target()),
        kind: SymbolKind::OBJECT,
        tags: None,
        deprecated: None,
        range: text::range(source, &e.definition.span),
        selection_range: text::range(source, &e.definition.span),
        children: None,
    });
    let mut symbols: Vec<DocumentSymbol> = headings.chain(entities).collect();
    symbols.sort_by_key(|s| (s.range.start.line, s.range.start.character));
    json(DocumentSymbolResponse::Nested(symbols))
}

#[allow(deprecated)] // `deprecated` is a required field of the type
pub fn workspace_symbols(docs: &Documents, params: WorkspaceSymbolParams) -> Answer {
    let query = params.query.to_lowercase();
    let matches =
        |e: &Entity| e.id.contains(&query) || e.names().any(|n| n.to_lowercase().contains(&query));
    let symbols: Vec<SymbolInformation> = (docs.analysis.entities())
        .filter(|e| matches(e))
        .filter_map(|e| {
            Some(SymbolInformation {
                name: e.name.clone(),
                kind: SymbolKind::OBJECT,
                tags: None,
                deprecated: None,
                location: location(docs, &e.definition)?,
                container_name: Some(e.target()),
            })
        })
        .collect();
    json(WorkspaceSymbolResponse::Flat(symbols))
}
