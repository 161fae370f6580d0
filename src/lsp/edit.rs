//! Changing the edition from the editor: renaming an entity's ID, and the
//! code actions (create or define an unknown entity, link a name written
//! without its link, link the first unlinked mention of each entity).

use std::collections::BTreeMap;
use std::ops::Range;

use lsp_server::ErrorCode;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CreateFile,
    CreateFileOptions, DocumentChangeOperation, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, PrepareRenameResponse, RenameFile, RenameParams,
    ResourceOp, TextDocumentEdit, TextDocumentPositionParams, TextEdit, Uri, WorkspaceEdit,
};

use super::facts::{self, Facts, Kind, Role};
use super::navigate::{self, AtCursor};
use super::{Answer, Documents, text};
use crate::suggest;

/// An entity's ID under the cursor: the file, the kind, the ID and its range.
type IdAt<'a> = (&'a Facts, Kind, String, Range<usize>);

/// The entity whose ID is under the cursor, and that ID's range.
fn id_at<'a>(
    docs: &'a Documents,
    at: &TextDocumentPositionParams,
) -> Result<IdAt<'a>, (ErrorCode, String)> {
    let facts = docs.facts(&at.text_document.uri)?;
    let offset = text::offset(&facts.source, at.position);
    match navigate::at_cursor(facts, offset) {
        Some(AtCursor::Entity {
            kind,
            id,
            id_span: Some(span),
        }) => Ok((facts, kind, id, span)),
        _ => Err((
            ErrorCode::RequestFailed,
            "put the cursor on an entity's ID (in a mention, a reference or an inline definition) to rename it".into(),
        )),
    }
}

pub fn prepare_rename(docs: &Documents, params: TextDocumentPositionParams) -> Answer {
    let (facts, kind, id, span) = id_at(docs, &params)?;
    if docs.analysis.entity(kind, &id).is_none() {
        return Err(undefined(kind, &id));
    }
    let range = text::range(&facts.source, &span);
    json(PrepareRenameResponse::RangeWithPlaceholder {
        range,
        placeholder: id,
    })
}

fn undefined(kind: Kind, id: &str) -> (ErrorCode, String) {
    (
        ErrorCode::RequestFailed,
        format!(
            "`{}:{id}` is not defined, so there is nothing to rename",
            kind.prefix()
        ),
    )
}

/// One workspace edit: every mention and reference, the definition's key
/// (inline) or file name (own file).
pub fn rename(docs: &Documents, params: RenameParams) -> Answer {
    let (_, kind, id, _) = id_at(docs, &params.text_document_position)?;
    let new = params.new_name.trim();
    let Some(entity) = docs.analysis.entity(kind, &id) else {
        return Err(undefined(kind, &id));
    };
    check_new_id(docs, kind, new)?;
    let mut edits: BTreeMap<String, Vec<TextEdit>> = BTreeMap::new();
    for (place, id_span) in navigate::occurrences_of(docs, kind, &id) {
        if let Some(span) = id_span {
            push_edit(docs, &mut edits, &place.file, &span, new);
        }
    }
    let mut operations = Vec::new();
    if entity.own_file {
        let old = entity.definition.file.clone();
        let new_file = format!("content/{}/{new}.md", kind.folder());
        operations.push(ResourceOp::Rename(RenameFile {
            old_uri: docs.uri(&old),
            new_uri: docs.uri(&new_file),
            options: None,
            annotation_id: None,
        }));
    } else {
        let place = &entity.definition;
        push_edit(docs, &mut edits, &place.file, &place.span, new);
    }
    json(workspace_edit(docs, edits, operations))
}

/// Refuses an ID that breaks the ID rules or is taken, saying why.
fn check_new_id(docs: &Documents, kind: Kind, new: &str) -> Result<(), (ErrorCode, String)> {
    if !facts::is_valid_id(new) {
        return Err((
            ErrorCode::InvalidParams,
            format!(
                "`{new}` is not a valid ID: IDs are lower-case letters, digits and `-`, starting with a letter or digit (they become file names and URLs)"
            ),
        ));
    }
    if let Some(other) = docs.analysis.entity(kind, new) {
        return Err((
            ErrorCode::RequestFailed,
            format!(
                "`{}:{new}` exists already ({}): pick another ID",
                kind.prefix(),
                other.definition.file
            ),
        ));
    }
    Ok(())
}

fn push_edit(
    docs: &Documents,
    edits: &mut BTreeMap<String, Vec<TextEdit>>,
    file: &str,
    span: &Range<usize>,
    new_text: &str,
) {
    let Some(source) = file
        .strip_prefix("content/")
        .and_then(|rel| docs.analysis.source(rel))
    else {
        return;
    };
    let edit = TextEdit::new(text::range(source, span), new_text.to_string());
    edits.entry(file.to_string()).or_default().push(edit);
}

/// Text edits first, then the file operations: an entity's own file is
/// edited under its old name, then renamed.
fn workspace_edit(
    docs: &Documents,
    edits: BTreeMap<String, Vec<TextEdit>>,
    operations: Vec<ResourceOp>,
) -> WorkspaceEdit {
    let documents = edits.into_iter().map(|(file, edits)| {
        DocumentChangeOperation::Edit(TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: docs.uri(&file),
                version: None,
            },
            edits: edits.into_iter().map(OneOf::Left).collect(),
        })
    });
    let ops = operations.into_iter().map(DocumentChangeOperation::Op);
    WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(documents.chain(ops).collect())),
        ..Default::default()
    }
}

pub fn code_actions(docs: &Documents, params: CodeActionParams) -> Answer {
    let uri = params.text_document.uri.clone();
    let facts = docs.facts(&uri)?;
    let start = text::offset(&facts.source, params.range.start);
    let end = text::offset(&facts.source, params.range.end);
    let touches = |span: &Range<usize>| span.start <= end && start <= span.end;
    let mut actions = Vec::new();
    for o in facts.occurrences.iter().filter(|o| touches(&o.span)) {
        if docs.analysis.entity(o.kind, &o.id).is_none() && facts::is_valid_id(&o.id) {
            actions.push(create_file(docs, o.kind, &o.id));
            if facts.role == Role::Part {
                actions.push(define_inline(facts, &uri, o.kind, &o.id));
            }
        }
    }
    let names = suggest::names(docs.analysis.entities());
    let found = suggest::unlinked(facts, &names);
    for f in found.iter().filter(|f| touches(&f.span)) {
        let edit = single_file_edit(&uri, vec![link_edit(facts, f)]);
        actions.push(action(
            format!("link to {}", f.target),
            CodeActionKind::QUICKFIX,
            edit,
        ));
    }
    let first = suggest::first_unlinked(facts, found);
    if facts.role == Role::Part && !first.is_empty() {
        let edits = first.iter().map(|f| link_edit(facts, f)).collect();
        actions.push(action(
            format!(
                "link the first unlinked mention of each entity in this part ({})",
                first.len()
            ),
            CodeActionKind::SOURCE,
            single_file_edit(&uri, edits),
        ));
    }
    let actions: Vec<CodeActionOrCommand> = actions
        .into_iter()
        .map(CodeActionOrCommand::CodeAction)
        .collect();
    json(actions)
}

fn link_edit(facts: &Facts, f: &suggest::Found) -> TextEdit {
    TextEdit::new(text::range(&facts.source, &f.span), suggest::link(f))
}

fn single_file_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some([(uri.clone(), edits)].into_iter().collect()),
        ..Default::default()
    }
}

fn action(title: String, kind: CodeActionKind, edit: WorkspaceEdit) -> CodeAction {
    CodeAction {
        title,
        kind: Some(kind),
        edit: Some(edit),
        ..Default::default()
    }
}

/// "create person `x`": `content/people/x.md` with the required fields.
fn create_file(docs: &Documents, kind: Kind, id: &str) -> CodeAction {
    let file = format!("content/{}/{id}.md", kind.folder());
    let uri = docs.uri(&file);
    let text = format!("---\n{}\n---\n", kind.new_definition(id).join("\n"));
    let create = DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
        uri: uri.clone(),
        options: Some(CreateFileOptions {
            overwrite: Some(false),
            ignore_if_exists: Some(true),
        }),
        annotation_id: None,
    }));
    let fill = DocumentChangeOperation::Edit(TextDocumentEdit {
        text_document: OptionalVersionedTextDocumentIdentifier { uri, version: None },
        edits: vec![OneOf::Left(TextEdit::new(Default::default(), text))],
    });
    let edit = WorkspaceEdit {
        document_changes: Some(DocumentChanges::Operations(vec![create, fill])),
        ..Default::default()
    };
    action(
        format!("create {} `{id}` ({file})", kind.prefix()),
        CodeActionKind::QUICKFIX,
        edit,
    )
}

/// "define inline": the entity under the part's `people:` (or the kind's
/// key), which is added at the end of the front matter when missing.
fn define_inline(facts: &Facts, uri: &Uri, kind: Kind, id: &str) -> CodeAction {
    let source = &facts.source;
    let fm = facts.front_matter.clone();
    let yaml = &source.text[fm.clone()];
    let key = format!("{}:", kind.folder());
    let fields: String = (kind.new_definition(id).iter())
        .map(|l| format!("    {l}\n"))
        .collect();
    let existing = yaml
        .match_indices(&key)
        .find(|(i, _)| *i == 0 || yaml.as_bytes()[i - 1] == b'\n');
    let (at, insert) = match existing {
        Some((i, _)) => {
            let line_end = yaml[i..].find('\n').map_or(yaml.len(), |n| i + n + 1);
            (fm.start + line_end, format!("  {id}:\n{fields}"))
        }
        None => (fm.end, format!("{key}\n  {id}:\n{fields}")),
    };
    let position = text::position(source, at);
    let edit = TextEdit::new(lsp_types::Range::new(position, position), insert);
    action(
        format!("define {} `{id}` inline in this part", kind.prefix()),
        CodeActionKind::QUICKFIX,
        single_file_edit(uri, vec![edit]),
    )
}

fn json<T: serde::Serialize>(v: T) -> Answer {
    Ok(serde_json::to_value(v).expect("protocol types serialise"))
}
