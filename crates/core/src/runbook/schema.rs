//! The JSON Schemas of the runbook and drill scenario formats, derived from the models'
//! types (schemars), so the schemas editors validate against cannot drift from what the
//! parsers accept.

use super::model::Runbook;
use crate::drill::Scenario;

/// The runbook schema as pretty JSON with a final newline, as committed in
/// `runbooks/runbook.schema.json`.
pub fn schema_json() -> String {
    schema_of::<Runbook>("runbook.schema.json")
}

/// The drill scenario schema, as committed in `runbooks/drill.schema.json`.
pub fn drill_schema_json() -> String {
    schema_of::<Scenario>("drill.schema.json")
}

fn schema_of<T: schemars::JsonSchema>(id: &str) -> String {
    let mut schema = schemars::schema_for!(T);
    schema.insert("$id".to_owned(), id.into());
    let mut text = serde_json::to_string_pretty(&schema)
        .expect("a schema is a JSON value, which always serializes");
    text.push('\n');
    text
}
