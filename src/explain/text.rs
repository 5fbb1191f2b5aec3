//! Small text helpers every phrase shares: field and offset names in words, thousands
//! grouping, cutting a quote, joining with "and", and sentence case.

/// The name inside `value` when it is exactly one `{{NAME}}`.
pub(super) fn sole_variable(value: &str) -> Option<&str> {
    let inner = value.trim().strip_prefix("{{")?.strip_suffix("}}")?.trim();
    (!inner.is_empty() && !inner.contains(['{', '}'])).then_some(inner)
}

/// A document field in words: "amount" for `OPPORTUNITY`, "the field X" otherwise.
pub(crate) fn field_words(field: &str) -> String {
    const FIELDS: &[(&str, &str)] = &[
        ("OPPORTUNITY", "amount"),
        ("CURRENCY_ID", "currency"),
        ("TITLE", "title"),
        ("SOURCE_ID", "source"),
        ("STAGE_ID", "stage"),
        ("STATUS_ID", "status"),
        ("PROBABILITY", "probability"),
        ("COMMENTS", "comments"),
        ("TYPE_ID", "type"),
        ("INDUSTRY", "industry"),
        ("ASSIGNED_BY_ID", "responsible person"),
        ("CLOSEDATE", "close date"),
        ("DEADLINE", "deadline"),
        ("PRIORITY", "priority"),
    ];
    FIELDS
        .iter()
        .find(|(id, _)| id.eq_ignore_ascii_case(field))
        .map_or_else(|| format!("field {field}"), |(_, w)| (*w).to_owned())
}

/// `+3d` as "3 days", `+1w` as "1 week"; `None` for anything else.
pub(crate) fn offset_words(value: &str) -> Option<String> {
    let rest = value.trim().strip_prefix('+')?;
    let unit = rest.chars().last()?;
    let n = &rest[..rest.len() - unit.len_utf8()];
    if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let word = match unit.to_ascii_lowercase() {
        'm' => "minute",
        'h' => "hour",
        'd' => "day",
        'w' => "week",
        _ => return None,
    };
    let plural = if n == "1" { "" } else { "s" };
    Some(format!("{n} {word}{plural}"))
}

/// `20000` as `20,000`; `None` when `v` is not a plain number.
pub(super) fn group_thousands(v: &str) -> Option<String> {
    let (int, frac) = match v.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (v, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || frac.is_some_and(|f| !digits(f)) {
        return None;
    }
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

/// `text` cut to at most `max` characters at a word boundary, with "…" when cut.
pub(crate) fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let head: String = text.chars().take(max).collect();
    let at_boundary = text.chars().nth(max).is_some_and(char::is_whitespace);
    let mut head = match head.rfind(' ') {
        Some(i) if !at_boundary && i > max / 2 => &head[..i],
        _ => head.as_str(),
    };
    // Never stop inside a "[the deal's title]" placeholder: drop it whole.
    if let Some(open) = head.rfind('[')
        && !head[open..].contains(']')
    {
        head = &head[..open];
    }
    format!("{}…", head.trim_end_matches([' ', ',', ';', ':', '(', '-']))
}

/// "a", "a and b", "a, b and c".
pub(crate) fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A capital first letter and a closing full stop (unless it already ends in one).
pub(crate) fn finish_sentence(s: &str) -> String {
    let mut out = capitalize(s);
    let last = out.trim_end_matches(['\'', '"', ')']);
    if !last.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// `s` with its first letter in capitals.
pub(crate) fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
