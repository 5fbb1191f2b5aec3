//! The `.bpt` codec against the official sample from the Bitrix24 REST docs, and against
//! PHP itself when it is installed.

use std::io::Read;
use std::path::Path;
use std::process::Command;

use b24flow::bizproc::{bpt, php};
use base64::Engine;

/// The official sample `.bpt` from the Bitrix24 REST docs, as bytes.
pub(crate) fn fixture() -> Vec<u8> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docs-sample-lists.bpt.b64");
    let text = std::fs::read_to_string(path).unwrap();
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .unwrap()
}

fn inflate(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::ZlibDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[test]
fn official_sample_round_trips() {
    let bytes = fixture();
    let doc = bpt::decode(&bytes).unwrap();
    let again = bpt::decode(&bpt::encode(&doc)).unwrap();
    assert_eq!(again, doc);
}

#[test]
fn official_sample_reserializes_byte_for_byte() {
    let plain = inflate(&fixture());
    assert_eq!(plain.len(), 6200);
    let doc = php::decode(&plain).unwrap();
    assert_eq!(php::encode(&doc), plain);
}

#[test]
fn official_sample_shape() {
    let json = bpt::decode_to_json(&fixture()).unwrap();
    assert_eq!(json["VERSION"], 2);
    let root = &json["TEMPLATE"][0];
    assert_eq!(root["Type"], "SequentialWorkflowActivity");
    assert_eq!(root["Name"], "Template");
    assert_eq!(root["Children"][0]["Type"], "SocNetMessageActivity");
    assert_eq!(
        root["Children"][0]["Properties"]["MessageUserTo"],
        serde_json::json!(["author"])
    );
    assert_eq!(json["PARAMETERS"], serde_json::json!([]));
}

/// PHP's own `json_encode(unserialize(gzuncompress(...)))` of `bytes`, or `None` when PHP
/// is not installed outside CI.
pub(crate) fn php_json(bytes: &[u8]) -> Option<serde_json::Value> {
    if Command::new("php").arg("-v").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "php is required in CI");
        eprintln!("skipping: php is not on PATH");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.bpt");
    std::fs::write(&file, bytes).unwrap();
    let out = Command::new("php")
        .arg("-r")
        .arg(
            r#"$d = unserialize(gzuncompress(file_get_contents($argv[1])), ["allowed_classes" => false]);
echo json_encode($d, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES);"#,
        )
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "php failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(serde_json::from_slice(&out.stdout).unwrap())
}

#[test]
fn official_sample_json_matches_php() {
    let bytes = fixture();
    let Some(expected) = php_json(&bytes) else {
        return;
    };
    let ours = bpt::decode_to_json(&bytes).unwrap();
    // serde_json keeps key order, so compare the printed forms to check order too.
    assert_eq!(
        serde_json::to_string(&ours).unwrap(),
        serde_json::to_string(&expected).unwrap()
    );
}

#[test]
fn php_reads_what_we_encode() {
    let doc = php::Value::map([
        ("VERSION", php::Value::Int(2)),
        ("s", php::Value::str("Привет, мир \" ; }")),
        ("f", php::Value::Float(1.5)),
        ("g", php::Value::Float(2.0)),
        ("h", php::Value::Float(-0.0)),
        ("n", php::Value::Null),
        ("b", php::Value::Bool(true)),
        (
            "l",
            php::Value::list([php::Value::Int(-7), php::Value::empty_array()]),
        ),
        ("10", php::Value::str("int key")),
    ]);
    let bytes = bpt::encode(&doc);
    let Some(expected) = php_json(&bytes) else {
        return;
    };
    assert_eq!(
        serde_json::to_string(&bpt::to_json(&doc)).unwrap(),
        serde_json::to_string(&expected).unwrap()
    );
}
