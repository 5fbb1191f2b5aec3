//! The clock as replies show it: the `time` block every answer carries and the ISO 8601
//! form (`2026-01-02T03:04:05+00:00`) the REST API writes dates in.

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

/// `date('c')` in UTC: `2025-01-22T10:09:00+00:00`.
pub(crate) fn iso8601(unix: i64) -> String {
    let secs = unix.rem_euclid(86_400);
    let (year, month, day) = crate::emulator::dates::civil_from_days(unix.div_euclid(86_400));
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+00:00",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}
