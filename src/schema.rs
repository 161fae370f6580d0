//! Editor support: JSON Schemas for the front matter of each kind of content
//! file, for `glossator.toml`, and for the `annotations.json` export.
//!
//! Every schema is generated from the Rust types that read (or write) the
//! data, so it cannot drift from what glossator accepts: the raw front-matter
//! types in `crate::raw`, `crate::config::Config` and the export types in
//! `crate::export::annotations`.

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema};

use crate::export::annotations::Annotations;
use crate::kinds::EntityKind;
use crate::raw::{
    RawClaim, RawIndex, RawOrganisation, RawPage, RawPart, RawPerson, RawPlace, RawSection,
    RawSource, RawTerm,
};

/// Where a schema's `$id` points: the file's place in the repository.
const ID_BASE: &str = "https://glossator.invalid/schema/";

pub use crate::kinds::FileKind;

/// The JSON Schema of one kind of front matter.
pub fn front_matter(kind: FileKind) -> serde_json::Value {
    let title = format!("glossator front matter: {}", kind.name());
    let id = format!("{ID_BASE}{}", kind.file_name());
    match kind {
        FileKind::Index => generate::<RawIndex>(&id, &title),
        FileKind::Part => generate::<RawPart>(&id, &title),
        FileKind::Page => generate::<RawPage>(&id, &title),
        FileKind::Section => generate::<RawSection>(&id, &title),
        FileKind::Entity(EntityKind::Person) => generate::<RawPerson>(&id, &title),
        FileKind::Entity(EntityKind::Source) => generate::<RawSource>(&id, &title),
        FileKind::Entity(EntityKind::Claim) => generate::<RawClaim>(&id, &title),
        FileKind::Entity(EntityKind::Term) => generate::<RawTerm>(&id, &title),
        FileKind::Entity(EntityKind::Place) => generate::<RawPlace>(&id, &title),
        FileKind::Entity(EntityKind::Organisation) => generate::<RawOrganisation>(&id, &title),
    }
}

/// The JSON Schema of `annotations.json`.
pub fn annotations() -> serde_json::Value {
    generate::<Annotations>(
        &format!(
            "{ID_BASE}annotations-v{}.schema.json",
            crate::export::annotations::FORMAT_VERSION
        ),
        "glossator annotations export",
    )
}

/// The JSON Schema of `glossator.toml`, which Taplo and Even Better TOML
/// read (`#:schema` at the top of the file, or their settings).
pub fn config() -> serde_json::Value {
    generate::<crate::config::Config>(&format!("{ID_BASE}{CONFIG_FILE}"), "glossator.toml")
}

/// The file name of the config schema, as `glossator schema --out` writes it.
pub const CONFIG_FILE: &str = "config.schema.json";

/// Draft 7, the dialect editors' YAML and JSON language servers know best.
fn generate<T: JsonSchema>(id: &str, title: &str) -> serde_json::Value {
    let generator = SchemaSettings::draft07().into_generator();
    let mut schema: Schema = generator.into_root_schema_for::<T>();
    schema.insert("$id".into(), id.into());
    schema.insert("title".into(), title.into());
    schema.to_value()
}

/// A schema as the pretty-printed text `glossator schema` prints.
pub fn to_text(schema: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(schema).expect("a JSON value always serializes");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_fields_are_refused_and_required_ones_listed() {
        let s = front_matter(FileKind::Entity(EntityKind::Person));
        assert_eq!(s["additionalProperties"], false);
        let required: Vec<&str> = s["required"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(required, ["name", "description"]);
        assert!(s["properties"]["born"]["pattern"].is_string());
    }

    #[test]
    fn claim_status_is_an_enumeration() {
        let s = front_matter(FileKind::Entity(EntityKind::Claim));
        let text = s.to_string();
        for status in crate::kinds::ClaimStatus::ALL {
            assert!(text.contains(&format!("\"{}\"", status.as_str())));
        }
    }
}
