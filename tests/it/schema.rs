//! The committed JSON Schemas match the ones generated from the types.
//! Regenerate with `UPDATE_SCHEMAS=1 cargo test schema`.

use std::path::Path;

fn check(file: &str, generated: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schema")
        .join(file);
    if std::env::var_os("UPDATE_SCHEMAS").is_some() {
        std::fs::write(&path, generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "schema/{file} is out of date; run `UPDATE_SCHEMAS=1 cargo test schema` and commit it"
    );
}

/// Asserts that `doc` (a command's JSON output) matches the committed `schema/{file}`.
pub(crate) fn assert_matches(file: &str, doc: &serde_json::Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schema")
        .join(file);
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator.iter_errors(doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{file}: {errors:?}\n{doc:#}");
}

#[test]
fn blueprint_schema_is_current() {
    check("blueprint.schema.json", &b24flow::schema::blueprint());
}

#[test]
fn import_schema_is_current() {
    check("import.schema.json", &b24flow::schema::import());
}

#[test]
fn lockfile_schema_is_current() {
    check("lockfile.schema.json", &b24flow::schema::lockfile());
}

#[test]
fn plan_schema_is_current() {
    check("plan.schema.json", &b24flow::schema::plan());
}

#[test]
fn explain_schema_is_current() {
    check("explain.schema.json", &b24flow::schema::explain());
}

#[test]
fn list_schema_is_current() {
    check("list.schema.json", &b24flow::schema::list());
}

#[test]
fn show_schema_is_current() {
    check("show.schema.json", &b24flow::schema::show());
}

#[test]
fn parse_result_schema_is_current() {
    check("parse-result.schema.json", &b24flow::schema::parse_result());
}

#[test]
fn compile_schema_is_current() {
    check("compile.schema.json", &b24flow::schema::compile());
}

#[test]
fn compile_check_schema_is_current() {
    check(
        "compile-check.schema.json",
        &b24flow::schema::compile_check(),
    );
}

#[test]
fn validate_schema_is_current() {
    check("validate.schema.json", &b24flow::schema::validate());
}

#[test]
fn committed_lockfiles_pass_the_lockfile_schema() {
    let schema: serde_json::Value = serde_json::from_str(&b24flow::schema::lockfile()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("workflows");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with(".lock.yaml") {
            let text = std::fs::read_to_string(&path).unwrap();
            let value: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
            seen += 1;
        }
    }
    assert!(
        seen >= 5,
        "expected the seed workflows' lockfiles, found {seen}"
    );
}

#[test]
fn test_file_schema_is_current() {
    check("test-file.schema.json", &b24flow::schema::test_file());
}

#[test]
fn test_report_schema_is_current() {
    check("test-report.schema.json", &b24flow::schema::test_report());
}

#[test]
fn committed_test_files_pass_the_test_file_schema() {
    let schema: serde_json::Value = serde_json::from_str(&b24flow::schema::test_file()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("workflows");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.to_string_lossy().ends_with(".test.yaml") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                text.starts_with(
                    "# yaml-language-server: $schema=../schema/test-file.schema.json\n"
                ),
                "{}: the first line points at the schema",
                path.display()
            );
            let value: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
            seen += 1;
        }
    }
    assert_eq!(seen, 5, "every seed workflow has a test file");
}

#[test]
fn environment_schema_is_current() {
    check("environment.schema.json", &b24flow::schema::environment());
}
