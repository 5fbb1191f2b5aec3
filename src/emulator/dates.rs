//! Dates as the emulated portal reads and writes them: ISO 8601 on REST, the portal's
//! own "site format" inside business processes, and the calc library's `dateadd`
//! intervals.
//!
//! The portal runs in UTC. A site format uses the platform's tokens (`DD`, `MM`, `YYYY`,
//! `HH`, `MI`, `SS`; `main/lib/type/datetime.php` converts them from `FORMAT_DATETIME`);
//! `MakeTimeStamp` accepts the date part alone. Invariant: no function here panics,
//! whatever the text.

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count: (year, month, day).
pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// `date('c')` in UTC: `2025-01-22T10:09:00+00:00`.
pub(crate) fn iso8601(unix: i64) -> String {
    let secs = unix.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(unix.div_euclid(86_400));
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+00:00",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn valid(year: i64, month: i64, day: i64, h: i64, mi: i64, s: i64) -> bool {
    (1..=9999).contains(&year)
        && (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && (0..24).contains(&h)
        && (0..60).contains(&mi)
        && (0..60).contains(&s)
        && civil_from_days(days_from_civil(year, month, day)) == (year, month, day)
}

fn digits(s: &str, at: usize, len: usize) -> Option<i64> {
    let part = s.get(at..at + len)?;
    if part.bytes().all(|b| b.is_ascii_digit()) {
        part.parse().ok()
    } else {
        None
    }
}

/// Parses the ISO forms REST accepts: `YYYY-MM-DD`, optionally followed by `T` or a
/// space and `HH:MM[:SS]`, optionally an offset (`Z`, `+03:00`). Returns unix seconds.
#[allow(clippy::many_single_char_names)] // y, m, d, h: the calendar's own names
pub(crate) fn parse_iso(s: &str) -> Option<i64> {
    let s = s.trim();
    let (y, m, d) = (digits(s, 0, 4)?, digits(s, 5, 2)?, digits(s, 8, 2)?);
    if s.get(4..5) != Some("-") || s.get(7..8) != Some("-") {
        return None;
    }
    let rest = &s[10..];
    let (mut h, mut mi, mut sec, mut offset) = (0, 0, 0, 0);
    if !rest.is_empty() {
        let t = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' '))?;
        h = digits(t, 0, 2)?;
        mi = digits(t, 3, 2)?;
        if t.get(2..3) != Some(":") {
            return None;
        }
        let mut tail = &t[5..];
        if let Some(after) = tail.strip_prefix(':') {
            sec = digits(after, 0, 2)?;
            tail = &after[2..];
        }
        if let Some(frac) = tail.strip_prefix('.') {
            tail = frac.trim_start_matches(|c: char| c.is_ascii_digit());
        }
        match tail {
            "" | "Z" => {}
            _ => {
                let sign = match tail.as_bytes()[0] {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                let oh = digits(tail, 1, 2)?;
                let om = digits(tail, 4, 2).unwrap_or(0);
                offset = sign * (oh * 3600 + om * 60);
            }
        }
    }
    if !valid(y, m, d, h, mi, sec) {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400 + h * 3600 + mi * 60 + sec - offset)
}

/// Formats unix seconds in a site format such as `DD.MM.YYYY HH:MI:SS`.
pub(crate) fn format_site(unix: i64, format: &str) -> String {
    let (y, m, d) = civil_from_days(unix.div_euclid(86_400));
    let secs = unix.rem_euclid(86_400);
    format
        .replace("YYYY", &format!("{y:04}"))
        .replace("MM", &format!("{m:02}"))
        .replace("DD", &format!("{d:02}"))
        .replace("HH", &format!("{:02}", secs / 3600))
        .replace("MI", &format!("{:02}", secs % 3600 / 60))
        .replace("SS", &format!("{:02}", secs % 60))
}

/// The date part of a site format (`DD.MM.YYYY HH:MI:SS` gives `DD.MM.YYYY`).
pub(crate) fn date_part(format: &str) -> &str {
    format.split_whitespace().next().unwrap_or(format)
}

/// `MakeTimeStamp($text, FORMAT_DATETIME)`: reads `text` in the site format, the time
/// part being optional. Anything else, an ISO date on a non-ISO portal included, gives
/// `None`, which is why a fixed ISO date in an activity property is lost.
#[allow(clippy::many_single_char_names)] // y, m, d, h: the calendar's own names
pub(crate) fn parse_site(text: &str, format: &str) -> Option<i64> {
    let text = text.trim();
    let mut fields = [None::<i64>; 6]; // Y M D H MI S
    let tokens = [
        ("YYYY", 0, 4),
        ("MM", 1, 2),
        ("DD", 2, 2),
        ("HH", 3, 2),
        ("MI", 4, 2),
        ("SS", 5, 2),
    ];
    let (mut fi, mut ti) = (0, 0);
    let f = format.as_bytes();
    while fi < f.len() {
        if let Some((tok, slot, len)) = tokens
            .iter()
            .find(|(tok, _, _)| format[fi..].starts_with(tok))
        {
            if ti >= text.len() && *slot >= 3 {
                break; // the time part may be left out
            }
            fields[*slot] = Some(digits(text, ti, *len)?);
            fi += tok.len();
            ti += len;
        } else {
            if ti >= text.len() {
                // Only separators of an omitted time part may remain.
                if format[fi..]
                    .chars()
                    .all(|c| !c.is_ascii_alphabetic() || "HMIS".contains(c))
                {
                    break;
                }
                return None;
            }
            if text.as_bytes().get(ti) != Some(&f[fi]) {
                return None;
            }
            fi += 1;
            ti += 1;
        }
    }
    if ti != text.len() {
        return None;
    }
    let (y, m, d) = (fields[0]?, fields[1]?, fields[2]?);
    let (h, mi, s) = (
        fields[3].unwrap_or(0),
        fields[4].unwrap_or(0),
        fields[5].unwrap_or(0),
    );
    if !valid(y, m, d, h, mi, s) {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400 + h * 3600 + mi * 60 + s)
}

/// Adds a calc-library interval (`"1d"`, `"-2h 30i"`, `"1m"`) to a time, as the
/// bizproc calc function `dateadd` does (`bizproc/lib/calc/libs/datelib.php`): units
/// `y`, `m` (months), `d`, `h`, `i` (minutes), `s`; a week is written as days.
pub(crate) fn add_interval(unix: i64, interval: &str) -> Option<i64> {
    let mut out = unix;
    let mut rest = interval.trim();
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let (sign, body) = match rest.strip_prefix('-') {
            Some(b) => (-1, b),
            None => (1, rest.strip_prefix('+').unwrap_or(rest)),
        };
        let len = body
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(body.len());
        if len == 0 || len > 6 {
            return None;
        }
        let n: i64 = sign * body[..len].parse::<i64>().ok()?;
        let letter = body[len..].chars().next()?;
        out = match letter {
            'y' => add_months(out, n * 12),
            'm' => add_months(out, n),
            'd' => out + n * 86_400,
            'h' => out + n * 3600,
            'i' => out + n * 60,
            's' => out + n,
            _ => return None,
        };
        rest = body[len + letter.len_utf8()..].trim_start();
    }
    Some(out)
}

fn add_months(unix: i64, months: i64) -> i64 {
    let (y, m, d) = civil_from_days(unix.div_euclid(86_400));
    let total = y * 12 + (m - 1) + months;
    let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) + 1);
    // PHP's DateTime::modify overflows into the next month; so do we.
    days_from_civil(ny, nm, 1) * 86_400 + (d - 1) * 86_400 + unix.rem_euclid(86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso8601_is_date_c_in_utc() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00+00:00");
        assert_eq!(iso8601(1_737_540_540), "2025-01-22T10:09:00+00:00");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00+00:00");
    }

    const RU: &str = "DD.MM.YYYY HH:MI:SS";

    #[test]
    fn iso_and_site_formats() {
        let t = parse_iso("2026-12-10").unwrap();
        assert_eq!(format_site(t, RU), "10.12.2026 00:00:00");
        assert_eq!(parse_iso("2026-12-10T03:00:00+03:00"), Some(t));
        assert_eq!(parse_site("10.12.2026", RU), Some(t));
        assert_eq!(parse_site("10.12.2026 00:00:00", RU), Some(t));
        assert_eq!(parse_site("2026-12-10 00:00:00", RU), None);
        assert_eq!(parse_site("31.02.2026", RU), None);
        assert_eq!(
            parse_site("12/10/2026 01:02:03", "MM/DD/YYYY HH:MI:SS"),
            Some(t + 3723)
        );
        assert_eq!(parse_iso("2026-13-01"), None);
        assert_eq!(parse_iso("x"), None);
    }

    #[test]
    fn intervals() {
        let t = parse_iso("2026-01-31").unwrap();
        assert_eq!(add_interval(t, "1d"), Some(t + 86_400));
        assert_eq!(add_interval(t, "30i"), Some(t + 1800));
        assert_eq!(add_interval(t, "-2h 30i"), Some(t - 7200 + 1800));
        assert_eq!(add_interval(t, "1m"), parse_iso("2026-03-03"));
        assert_eq!(add_interval(t, "x"), None);
        assert_eq!(add_interval(t, ""), None);
    }
}
