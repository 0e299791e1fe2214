//! The JSON Schema of the runbook format, derived from the model's types (schemars), so the
//! schema editors validate against cannot drift from what the parser accepts.

use super::model::Runbook;

/// The schema as pretty JSON with a final newline, as committed in `runbooks/runbook.schema.json`.
pub fn schema_json() -> String {
    let mut schema = schemars::schema_for!(Runbook);
    schema.insert("$id".to_owned(), "runbook.schema.json".into());
    let mut text = serde_json::to_string_pretty(&schema)
        .expect("a schema is a JSON value, which always serializes");
    text.push('\n');
    text
}
