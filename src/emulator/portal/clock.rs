//! The clock as replies show it: the `time` block every answer carries (the ISO 8601
//! form of dates lives in `dates::iso8601`).

use crate::emulator::dates::iso8601;
use serde_json::{Value, json};

/// Seconds since the epoch, as a float (PHP's `microtime(true)`).
pub(crate) fn now_f64() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// The `time` block of a reply.
pub(crate) fn time_block(start: f64, finish: f64, operating: Option<(f64, i64)>) -> Value {
    let mut t = json!({
        "start": start,
        "finish": finish,
        "duration": finish - start,
        "processing": finish - start,
        "date_start": iso8601(unix_secs(start)),
        "date_finish": iso8601(unix_secs(finish)),
    });
    if let (Some((used, reset)), Value::Object(map)) = (operating, &mut t) {
        map.insert("operating_reset_at".into(), json!(reset));
        map.insert("operating".into(), json!(used));
    }
    t
}

#[allow(clippy::cast_possible_truncation)] // seconds since 1970 fit an i64 for ages
pub(super) fn unix_secs(f: f64) -> i64 {
    f.floor() as i64
}
