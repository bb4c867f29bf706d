//! The JSON Schema of `run.json`, derived from the results types (`schemars`): their doc comments
//! become descriptions. `results/run.schema.json` is this schema, committed; `bakeoff schema`
//! prints it (a unit test fails when the two differ).

use schemars::generate::SchemaSettings;
use schemars::transform::{transform_subschemas, Transform};
use schemars::Schema;

use super::RunResults;

/// The command that rewrites the committed schema.
pub const REGENERATE: &str = "cargo run -q -- schema > results/run.schema.json (from the repository root)";

/// The schema of `run.json`: what serialising a `RunResults` produces, every object closed.
pub fn run_schema() -> Schema {
    closed_schema::<RunResults>("bakeoff run results (run.json)")
}

/// The schema of any results type: what serialising it produces, every object closed.
pub fn closed_schema<T: schemars::JsonSchema>(title: &str) -> Schema {
    let mut settings = SchemaSettings::draft2020_12().for_serialize();
    settings.transforms.push(Box::new(Closed));
    let mut schema = settings.into_generator().into_root_schema_for::<T>();
    schema.insert("title".into(), title.into());
    schema
}

/// The schema as the committed file holds it: pretty JSON and a final newline.
pub fn run_schema_text() -> String {
    serde_json::to_string_pretty(&run_schema()).expect("a schema serialises") + "\n"
}

/// Objects with named fields take no others: a field the types do not know is a bug.
#[derive(Debug, Clone)]
struct Closed;

impl Transform for Closed {
    fn transform(&mut self, schema: &mut Schema) {
        transform_subschemas(self, schema);
        if schema.get("properties").is_some() && schema.get("additionalProperties").is_none() {
            schema.insert("additionalProperties".into(), false.into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_schema_is_the_one_the_types_generate() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../results/run.schema.json");
        let committed: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        assert!(committed == run_schema().to_value(), "results/run.schema.json is not what the results types generate; regenerate it: {REGENERATE}");
    }

    #[test]
    fn every_result_object_is_closed_and_optional_fields_are_required_as_null() {
        let schema = run_schema().to_value();
        let app = &schema["$defs"]["AppResult"];
        assert_eq!(app["additionalProperties"], false, "{app}");
        assert!(app["required"].as_array().unwrap().contains(&"cold_start_ms".into()), "{app}");
        assert!(schema["properties"]["config"].get("type").is_none(), "any configuration is fine: {schema}");
    }
}
