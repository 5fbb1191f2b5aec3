//! Two ways software teams write a requirement, read as the plain request inside them.
//!
//! - A user story: "As an account manager I want a won deal to ping me on chat so that I
//!   remember the welcome pack". The role is who "me" is; the wish is the request; the
//!   closing "so that ..." is the story's benefit, by the format's own rule never an
//!   order (a benefit with a quote or a link in it is kept, to be read or asked about).
//! - A scenario: "Given a lead is created When the amount is 10k or more Then assign it to
//!   Helen And notify her". The capitalised keywords cut it into parts. "Given" is the
//!   event when it says one ("a lead is created"), and "When" is then a condition;
//!   otherwise "Given" names the record ("an enrolment invoice") and "When" is the event,
//!   with "it" standing for that record. "Then" and its "And"s are the orders. A scenario
//!   read neither way is left as written, to be asked about. Written as a sentence, the
//!   keywords after "Given" may be in lower case, with or without commas ("Given a deal is
//!   won, when the amount is over 20,000, then create a task"). An acceptance criterion's
//!   number or label ("AC1:", "AC:") only files what follows, and so does a story's label
//!   ("Story:"); a story followed by a criterion with its own event is read as the
//!   criterion.
//!
//! And pseudo-code, as admins write it: "on deal.won => whatsapp(client, 'Thanks!');
//! tag('vip')", read as the words each part stands for.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::LazyLock;

use regex::Regex;

use super::pattern;

static USER_STORY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*as\s+(?:(?:a|an|the|our)\s+(?P<role>[a-z][a-z' -]*?)(?:\s+(?:at|in|for|of|on|with)\s+[^,]*?)?|(?P<bare>[a-z]+(?:\s+of\s+[a-z]+)?))\s*,?\s+(?P<want>i\s+(?:want|would\s+like|'d\s+like|need)\b)")
        .expect("valid regex")
});

// The benefit that closes a user story.
static BENEFIT: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i),?\s+so\s+that\s+[^.!?]*[.!?]?\s*$").expect("valid regex"));

static ME: LazyLock<Regex> = LazyLock::new(|| pattern(r"\b(?:me|myself)\b").expect("valid regex"));

static SCENARIO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?s)^\s*Given\s+(?P<given>.+?)(?:(?:\s+|\s*,\s*)(?i:when)\s+(?P<when>.+?))?(?:\s+|\s*,\s*)(?i:then)\s*:?\s+(?P<then>.+)$")
        .expect("valid regex")
});

static AND: LazyLock<Regex> = LazyLock::new(|| pattern(r"\s+And\s+").expect("valid regex"));

// A part of a scenario that says something happens or is so: "a lead is created".
static SAYS_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:is|are|was|were|gets?|got|has\s+been|have\s+been|moves|moved|enters|entered|reaches|reached|hits|lands|comes|came|arrives|arrived|goes|went|changes|changed)\b").expect("valid regex")
});

static IT: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\b(?:it|they|them|(?P<its>its|their))\b").expect("valid regex"));

// An acceptance criterion's number or label: "AC1:", "AC2 -", "AC 3.", "AC:".
static CRITERION: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\bAC(?:\s?\d{1,2}[a-z]?\s*[:.)\x{2013}\x{2014}-]?|\s*[:\x{2013}\x{2014}]|\s+-)\s+")
        .expect("valid regex")
});

// A story's label: "Story:", "User story 12 -".
static STORY_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*(?:user\s+)?story(?:\s*#?\d{1,3})?\s*[:\x{2013}\x{2014}-]\s*")
        .expect("valid regex")
});

// A criterion that says its own event: "AC: when a deal over 20k is lost, ...".
static CRITERION_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^(?:given|when|whenever|once|if|as\s+soon\s+as|after)\b").expect("valid regex")
});

/// `text` with a user story or a scenario read as the request inside it.
pub(super) fn read(text: Cow<'_, str>) -> Cow<'_, str> {
    let text = match STORY_LABEL.find(&text) {
        Some(m) => Cow::Owned(text[m.end()..].to_owned()),
        None => text,
    };
    // "As head of sales I want ... so that ... AC: when a deal over 20k is lost, notify
    // Martin": a story followed by a criterion with its own event says the request twice,
    // the criterion exactly; the story is then only why. Not when the story holds words
    // of its own ("a WhatsApp 'Welcome aboard!'") the criterion may only point back to
    // ("then the WhatsApp goes out"): both are read, and the repeat asked about.
    let text = match CRITERION.find(&text) {
        Some(m)
            if m.start() > 0
                && USER_STORY.is_match(&text)
                && CRITERION_EVENT.is_match(&text[m.end()..])
                && !text[..m.start()].contains(super::QUOTE_MARKS) =>
        {
            Cow::Owned(text[m.end()..].to_owned())
        }
        _ => text,
    };
    // "AC1: Given ... AC2: the owner receives ...": each criterion's number files it.
    let text = if text.contains("AC") {
        match CRITERION.replace_all(&text, "") {
            Cow::Owned(out) => Cow::Owned(out),
            Cow::Borrowed(_) => text,
        }
    } else {
        text
    };
    // A user story opens with "as": only such a text is searched.
    let story = text.trim_start().starts_with(['a', 'A']);
    let text = match story.then(|| USER_STORY.captures(&text)).flatten() {
        Some(c) => {
            let role = c
                .name("role")
                .or(c.name("bare"))
                .map_or("", |m| m.as_str().trim());
            let role = role.to_owned();
            let start = c.name("want").map_or(0, |m| m.start());
            let mut story = text[start..].to_owned();
            if let Some(m) = BENEFIT.find(&story)
                && !m.as_str().contains(super::QUOTE_MARKS)
                && !m.as_str().contains("http")
            {
                story.truncate(m.start());
            }
            Cow::Owned(ME.replace_all(&story, format!("the {role}")).into_owned())
        }
        None => text,
    };
    // A scenario opens with "Given": only such a text is searched.
    if !text.contains("Given") {
        return text;
    }
    let Some(c) = SCENARIO.captures(&text) else {
        return text;
    };
    let given: Vec<&str> = AND.split(c["given"].trim()).collect();
    let when: Vec<&str> = c
        .name("when")
        .map(|m| AND.split(m.as_str().trim()).collect())
        .unwrap_or_default();
    let then = AND.replace_all(c["then"].trim(), " and ");
    let (event, conditions): (String, Vec<&str>) = if SAYS_EVENT.is_match(given[0]) {
        let mut conditions = given[1..].to_vec();
        conditions.extend(&when);
        (given[0].to_owned(), conditions)
    } else if let Some((first, more)) = when.split_first()
        && IT.is_match(first)
    {
        let mut conditions = given[1..].to_vec();
        conditions.extend(more);
        // "Given a contact, when its details change": the contact's details.
        let event = IT.replace(first, |c: &regex::Captures<'_>| match c.name("its") {
            Some(_) => format!("{}'s", given[0]),
            None => given[0].to_owned(),
        });
        (event.into_owned(), conditions)
    } else {
        return text;
    };
    let mut out = format!("When {event}");
    for condition in conditions {
        out.push_str(" and ");
        out.push_str(condition);
    }
    out.push_str(", ");
    out.push_str(&then);
    Cow::Owned(out)
}

// A field compared with emptiness as code writes it: "PHONE == empty", "[Industry]
// empty", "[Email] != null".
static EMPTY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\[(?P<named>[A-Za-z][A-Za-z0-9 _]*)\]\s*(?:(?P<not>!)?={1,3}|(?P<bare_not>!)|is(?P<is_not>\s+not)?)?\s*(?:empty|null|blank)\b|\b(?P<field>[A-Za-z][A-Za-z_]*)\s*(?P<field_not>!)?={1,3}\s*(?:empty|null|blank)\b")
        .expect("valid regex")
});

// A field set as code writes it, after the arrow or "THEN": "=> [Follow Up Needed] =
// 'Yes'", "deal.[Quote Status] = 'Approved'", and with ":=" anywhere.
static ASSIGNED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?:(?P<lead>=>|->|\bthen\b|;)\s*(?:(?P<record>deal|lead|contact|company)\.)?\[(?P<field>[^\]\[]+)\]\s*:?=|(?:(?P<record2>deal|lead|contact|company)\.)?\[(?P<field2>[^\]\[]+)\]\s*:=)\s*")
        .expect("valid regex")
});

// An action's id as a verb, with no call after it: "add_tag 'overdue'".
static ACTION_ID: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<verb>add|remove|create|send|schedule|set)_(?P<object>tag|comment|task|invoice|quote|email|sms|whatsapp|notification|call|reminder)\b(?P<next>\s*[^\s(]|\s*$)")
        .expect("valid regex")
});

// An event's id as the catalog writes it: "deal_lost", "lead_converted".
static EVENT_ID: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<record>deal|lead|contact|company|invoice|quote|task|meeting|activity|stage)_(?P<event>won|lost|created|updated|changed|converted|paid|overdue|approved|completed|scheduled|added)\b(?P<next>\s*[^\s(]|\s*$)")
        .expect("valid regex")
});

// Markdown's marks, as a request pasted from a doc or a ticket keeps them: bold
// ("**Chef Marco**"), a heading's hashes ("## Trigger", "## Actions -"), a checkbox
// ("- [ ] tag it") and a value in backticks ("`win-back`").
static MARKDOWN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\*\*(?P<bold>[^*\n]+?)\*\*|__(?P<bold2>[^_\n]+?)__|(?P<heading>(?:^|\|)\s*)#{1,6}\s+(?:(?P<label>(?i:trigger|actions?|conditions?|event|steps?))\s*[-:]\s*)?|(?:^|\s)-\s+\[[\sxX]?\]\s*|`(?P<code>[^`\n]+)`")
        .expect("valid regex")
});

/// `text` without markdown's marks: bold and headings as plain words, each checkbox a new
/// item, and a word in backticks a quoted value (a dotted or bracketed one, code, as
/// written).
pub(super) fn markdown(text: Cow<'_, str>) -> Cow<'_, str> {
    if !text.contains(['*', '_', '#', '[', '`']) {
        return text;
    }
    match MARKDOWN.replace_all(&text, |c: &regex::Captures<'_>| {
        if let Some(bold) = c.name("bold").or(c.name("bold2")) {
            bold.as_str().to_owned()
        } else if let Some(lead) = c.name("heading") {
            // "## Actions - [ ] ...": a heading that names a spec's field is its label.
            match c.name("label") {
                Some(label) => format!("{}{}: ", lead.as_str(), label.as_str()),
                None => lead.as_str().to_owned(),
            }
        } else if let Some(code) = c.name("code") {
            let code = code.as_str();
            if code.contains(['.', '(', '=', '[', '\'']) {
                code.to_owned()
            } else {
                format!("'{code}'")
            }
        } else {
            "; ".to_owned()
        }
    }) {
        Cow::Borrowed(_) => text,
        Cow::Owned(out) => Cow::Owned(out),
    }
}

/// `text` with the notation of rules written as code read as words: an event's id
/// ("deal_lost", "company_created"), an action's id as a verb ("add_tag 'overdue'"), a
/// field compared with emptiness ("PHONE == empty", "[Industry] empty"), a field set
/// after the arrow ("=> [Follow Up Needed] = 'Yes'", "[Quote Validity] := '30 days'").
pub(super) fn code_notation(text: Cow<'_, str>) -> Cow<'_, str> {
    let text = if text.contains('_') {
        let ids = EVENT_ID.replace_all(&text, "${record} ${event}${next}");
        Cow::Owned(
            ACTION_ID
                .replace_all(&ids, "${verb} ${object}${next}")
                .into_owned(),
        )
    } else {
        text
    };
    if !(text.contains(['=', '[', '!'])
        || super::contains_ci(&text, "empty")
        || super::contains_ci(&text, "null"))
    {
        return text;
    }
    let emptied = EMPTY.replace_all(&text, |c: &regex::Captures<'_>| {
        let not = ["not", "bare_not", "is_not", "field_not"]
            .iter()
            .any(|n| c.name(n).is_some());
        let state = if not { "is not empty" } else { "is empty" };
        match (c.name("named"), c.name("field")) {
            (Some(named), _) => format!("{} field {state}", title_case(named.as_str())),
            (_, Some(field)) => format!("{} {state}", field.as_str()),
            _ => c[0].to_owned(),
        }
    });
    let assigned = ASSIGNED.replace_all(&emptied, |c: &regex::Captures<'_>| {
        let lead = c
            .name("lead")
            .map_or(String::new(), |l| format!("{} ", l.as_str()));
        let field = title_case(
            c.name("field")
                .or(c.name("field2"))
                .map_or("", |f| f.as_str()),
        );
        match c.name("record").or(c.name("record2")) {
            Some(record) => format!("{lead}set the {}'s {field} field to ", record.as_str()),
            None => format!("{lead}set the {field} field to "),
        }
    });
    match (&emptied, assigned) {
        (Cow::Borrowed(_), Cow::Borrowed(_)) => text,
        (_, assigned) => Cow::Owned(assigned.into_owned()),
    }
}

/// A field's name in brackets, each word with a capital as a name is written: the
/// brackets say it is a name, in any case ("[quote validity]").
fn title_case(name: &str) -> String {
    name.split_whitespace()
        .map(super::capitalize)
        .collect::<Vec<_>>()
        .join(" ")
}

// Pseudo-code, as admins write it: "on deal.won => whatsapp(client, 'Thanks!'); tag('vip')".
static CALL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\b(?P<f>[A-Za-z_]+(?:\.[a-z_]+)?)\((?P<args>(?:'[^']*'|\x22[^\x22]*\x22|[^()'\x22])*)\)",
    )
    .expect("valid regex")
});

static DOTTED_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?:\b(?:on|if|when)\s+)?\b(?P<rec>deal|lead|contact|company|task|invoice|quote|meeting|activity)\.(?:(?:status|state)\s*={1,3}\s*)?(?P<ev>won|lost|created|new|updated|changed|converted|completed|done|overdue|paid|approved|accepted|scheduled|booked|added|logged)\b")
        .expect("valid regex")
});

static STAGE_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?:\b(?:on|if|when)\s+)?\bdeal\.stage\s*(?:==|=|->|changes\s+to|changed\s+to)\s*(?P<stage>'[^']*'|\x22[^\x22]*\x22|[A-Za-z_]+)")
        .expect("valid regex")
});

static STAGE_SET: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\bdeal\.stage\s*:=\s*").expect("valid regex"));

static OFFSET: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^\+(?P<n>\d+)\s*(?P<u>[mhdw])$").expect("valid regex"));

/// `text` with pseudo-code read as the English it stands for, when it has any: an event
/// written `deal.won`, `deal.stage -> 'X'` or `stage_changed(to='X')`, and orders
/// written as calls (`task(owner, 'Call back', +1d)`). A call b24flow does not know is
/// left as written, to be asked about. `&&`, `==` and a slot's `key=value` are read once
/// the quotes are lifted (`super::prepare`).
pub(super) fn pseudo_code(text: Cow<'_, str>) -> Cow<'_, str> {
    // Only where a call or a dotted name can be: a bracket, or a dot before a letter.
    if !(text.contains('(')
        || text
            .as_bytes()
            .windows(2)
            .any(|w| w[0] == b'.' && w[1].is_ascii_alphabetic()))
    {
        return text;
    }
    let has_event = DOTTED_EVENT.is_match(&text) || STAGE_EVENT.is_match(&text);
    let has_call = CALL
        .captures_iter(&text)
        .any(|c| order(&c["f"], &c["args"]).is_some() || &c["f"] == "stage_changed");
    if !has_event && !has_call {
        return text;
    }
    let out = STAGE_EVENT.replace_all(&text, "When a deal moves to the stage $stage,");
    let out = DOTTED_EVENT.replace_all(&out, |c: &regex::Captures<'_>| {
        let rec = c["rec"].to_ascii_lowercase();
        let ev = match c["ev"].to_ascii_lowercase().as_str() {
            "new" => "created".to_owned(),
            "changed" => "updated".to_owned(),
            "done" => "completed".to_owned(),
            "accepted" => "approved".to_owned(),
            "booked" => "scheduled".to_owned(),
            "logged" => "added".to_owned(),
            other => other.to_owned(),
        };
        format!("When {} {rec} is {ev},", super::indefinite(&rec))
    });
    let out = STAGE_SET.replace_all(&out, "move the deal to the stage ");
    let out = CALL.replace_all(&out, |c: &regex::Captures<'_>| {
        if &c["f"] == "stage_changed" {
            let (_, named) = arguments(&c["args"]);
            if let Some(stage) = named.iter().find(|(k, _)| *k == "to").map(|(_, v)| *v) {
                return format!("When a deal moves to the stage {stage},");
            }
        }
        order(&c["f"], &c["args"]).unwrap_or_else(|| c[0].to_owned())
    });
    Cow::Owned(out.replace(" where ", " and "))
}

/// A call's arguments: the positional ones, and the named ones (`subject='Hi'`).
fn arguments(args: &str) -> (Vec<&str>, Vec<(&str, &str)>) {
    let mut parts = Vec::new();
    let (mut start, mut quote) = (0, None);
    for (i, c) in args.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ',') => {
                parts.push(args[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(args[start..].trim());
    let mut positional = Vec::new();
    let mut named = Vec::new();
    for p in parts.into_iter().filter(|p| !p.is_empty()) {
        match p.split_once('=') {
            Some((k, v))
                if k.trim()
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_') =>
            {
                named.push((k.trim(), v.trim()));
            }
            _ => positional.push(p),
        }
    }
    (positional, named)
}

/// Who an argument names: the record's client, its responsible person, or as written.
fn who(arg: &str) -> String {
    let bare = arg.trim_matches(['\'', '"']);
    match bare.to_ascii_lowercase().as_str() {
        "client" | "customer" | "contact" | "donor" | "buyer" | "candidate" | "patient"
        | "guest" | "lead" => "the client".to_owned(),
        "owner" | "responsible" | "rep" | "manager" | "deal.owner" | "lead.owner" => {
            "the responsible person".to_owned()
        }
        "assignee" => "the assignee".to_owned(),
        "author" | "creator" => "the task author".to_owned(),
        _ => bare.to_owned(),
    }
}

/// "+2d": in 2 days.
fn offset(arg: &str) -> Option<String> {
    let c = OFFSET.captures(arg.trim())?;
    let n: u32 = c["n"].parse().ok()?;
    let unit = match &c["u"] {
        "m" => "minute",
        "h" => "hour",
        "w" => "week",
        _ => "day",
    };
    Some(format!("in {n} {unit}{}", if n == 1 { "" } else { "s" }))
}

/// The order a call stands for, in words the parser reads, if b24flow knows the call.
fn order(f: &str, args: &str) -> Option<String> {
    let (positional, named) = arguments(args);
    let named_value = |key: &str| named.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    let quoted: Vec<&str> = positional
        .iter()
        .copied()
        .filter(|p| p.starts_with(['\'', '"']))
        .collect();
    // "HIGH", "low": a task's priority among its arguments.
    let level = |p: &str| {
        ["high", "low", "normal", "urgent"]
            .iter()
            .find(|l| p.trim_matches(['\'', '"']).eq_ignore_ascii_case(l))
            .copied()
    };
    let bare: Vec<&str> = positional
        .iter()
        .copied()
        .filter(|p| !p.starts_with(['\'', '"']) && offset(p).is_none() && level(p).is_none())
        .collect();
    let priority = named_value("priority")
        .or(named_value("prio"))
        .map(|p| p.trim_matches(['\'', '"']))
        .or_else(|| positional.iter().find_map(|p| level(p)));
    // "task(owner +30d prio=low)", "create_quote('Package' Nadia)": arguments run
    // together without their commas, where the words after the first would be lost (a
    // named one, a priority, a name after a quote, a quote after a name), cannot be
    // placed; the call is left to be asked about. "task(owner 'Call back' +1d)" still
    // reads as its words.
    if bare.iter().any(|p| {
        p.contains('=')
            || p.ends_with(['\'', '"'])
            || p.split_whitespace().skip(1).any(|w| level(w).is_some())
    }) || quoted.iter().any(|q| q.len() < 2 || !q.ends_with(&q[..1]))
    {
        return None;
    }
    let when = positional.iter().find_map(|p| offset(p));
    let first_who = || bare.first().map(|w| who(w));
    let text = |i: usize| quoted.get(i).copied().unwrap_or_default();
    let join = |parts: &[&str]| {
        parts
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    };
    Some(match f.to_ascii_lowercase().as_str() {
        "whatsapp" => join(&["send a WhatsApp to", &first_who()?, text(0)]),
        "sms" | "text" => join(&["send an SMS to", &first_who()?, text(0)]),
        "email" => {
            let mut s = format!("email {}", first_who()?);
            if let Some(subject) = named_value("subject").or(quoted.first().copied()) {
                let _ = write!(s, " with the subject {subject}");
            }
            if let Some(body) = named_value("body") {
                let _ = write!(s, " and the body {body}");
            }
            s
        }
        "notify" | "notification" => {
            let who = first_who().or_else(|| quoted.first().map(|q| who(q)))?;
            let message = if bare.is_empty() { text(1) } else { text(0) };
            join(&["notify", &who, message])
        }
        "chat" | "message" | "ping" => {
            let who = first_who().or_else(|| quoted.first().map(|q| who(q)))?;
            let message = if bare.is_empty() { text(1) } else { text(0) };
            join(&["send a chat message to", &who, message])
        }
        "task" | "create_task" => {
            let mut s = join(&["create a task", text(0)]);
            if let Some(w) = first_who() {
                let _ = write!(s, " for {w}");
            }
            if let Some(t) = &when {
                let _ = write!(s, " due {t}");
            }
            if let Some(p) = priority {
                let _ = write!(s, " with {p} priority");
            }
            s
        }
        "reminder" | "remind" | "set_reminder" => {
            let mut s = join(&["set a reminder", text(0)]);
            if let Some(w) = first_who() {
                let _ = write!(s, " for {w}");
            }
            if let Some(t) = &when {
                let _ = write!(s, " {t}");
            }
            s
        }
        "call" | "schedule_call" => {
            let mut s = format!("schedule a call with {}", first_who()?);
            if let Some(t) = &when {
                let _ = write!(s, " {t}");
            }
            // "schedule_call(client, Amira, +1d)": who calls, after whom.
            if let Some(a) = named_value("assignee").or(bare.get(1).copied()) {
                let _ = write!(s, ", made by {}", who(a));
            }
            s
        }
        "comment" | "add_comment" | "note" => join(&["add a comment", text(0)]),
        "tag" | "add_tag" => format!("add the tag {}", quoted.last().or(bare.last())?),
        "remove_tag" | "untag" => format!("remove the tag {}", quoted.last().or(bare.last())?),
        "assign" | "assign_responsible" => {
            format!("assign it to {}", who(positional.first()?))
        }
        "invoice" | "create_invoice" => join(&["create an invoice", text(0)]),
        "quote" | "create_quote" => {
            let mut s = join(&["create a quote", text(0)]);
            if let Some(w) = first_who() {
                let _ = write!(s, " for {w}");
            }
            s
        }
        "deal" | "create_deal" => {
            let mut s = join(&["create a deal", named_value("title").unwrap_or(text(0))]);
            if let Some(stage) = named_value("stage") {
                let _ = write!(s, " in the stage {stage}");
            }
            if let Some(a) = named_value("assignee") {
                let _ = write!(s, " assigned to {}", who(a));
            }
            s
        }
        "webhook" => {
            let url = positional
                .iter()
                .map(|p| p.trim_matches(['\'', '"']))
                .find(|p| p.starts_with("http"))?;
            let method = bare
                .iter()
                .find(|p| ["POST", "GET"].contains(&p.to_ascii_uppercase().as_str()))
                .map_or(String::new(), |m| format!(" {}", m.to_ascii_uppercase()));
            format!("send a{method} webhook to {url}")
        }
        "update_field" | "set_field" => {
            format!(
                "set the field {} to {}",
                positional.first()?,
                positional.get(1)?
            )
        }
        "update_deal" | "deal.update" => {
            format!(
                "update the deal's {} field to {}",
                positional.first()?,
                positional.get(1)?
            )
        }
        // "update_task(PRIORITY = high)": the field and its value, named.
        "update_task" | "task.update" if positional.is_empty() => {
            let [(field, value)] = named.as_slice() else {
                return None;
            };
            if field.eq_ignore_ascii_case("priority") {
                format!("set its priority to {}", value.trim_matches(['\'', '"']))
            } else {
                format!("set the task's {field} field to {value}")
            }
        }
        "update_task" | "task.update" => {
            let field = positional.first()?;
            if field.eq_ignore_ascii_case("priority") {
                format!(
                    "set the priority to {}",
                    positional.get(1)?.trim_matches(['\'', '"'])
                )
            } else {
                format!("set the task's {field} field to {}", positional.get(1)?)
            }
        }
        "move_stage" | "move" => format!("move the deal to the stage {}", positional.first()?),
        _ => return None,
    })
}

// English from another language, with meaning clear to a patient reader: "When deal is
// winning", "When is created a new deal", "new contact is appearing", "lead is coming",
// "the lead comes binnen" (in, in Dutch),
// "deal pass to the stage 'X'", "the task is finish".
static PROGRESSIVE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<rec>deal|lead|contact|company|task|invoice|quote)\s+is\s+(?P<v>winning|losing|changing|converting|finishing|completing|updating|editing|modifying|finish|complete|close)\b")
        .expect("valid regex")
});

// Someone doing an event's verb, in the progressive: "When somebody is changing the
// deal", "when client is paying the invoice", "the vet is adding a note".
static ACTING: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<who>[a-z]+)\s+(?:is|are)\s+(?P<v>changing|editing|updating|modifying|paying|settling|approving|accepting|signing|booking|scheduling|creating|adding|logging|opening|closing|converting|completing|finishing)\s+(?P<obj>the|a|an|their|his|her|its|new|our)\b")
        .expect("valid regex")
});

// "When is created a new deal", "when is added an activity to a deal": the verb before
// its subject; "When come a lead": a new one arriving.
static INVERTED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<w>when|if|once|whenever)\s+is\s+(?P<v>created|added|updated|changed|won|lost|paid|approved|converted|booked|scheduled|planned)\s+(?:an?\s+|the\s+)?(?P<np>(?:new\s+)?(?:deal|lead|contact|company|task|invoice|quote|quotation|meeting|activity))\b|\b(?P<w2>when|if|once|whenever)\s+(?:comes?|arrives?|appears?)\s+(?:an?\s+)?(?:new\s+)?(?P<np2>deal|lead|contact|company|task|invoice|quote)\b")
        .expect("valid regex")
});

static APPEARS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<np>new\s+(?:deal|lead|contact|company|task|invoice|quote)|lead)\s+(?:is\s+appearing|is\s+coming|appears?|comes?\s+(?:in|binnen)|is\s+coming\s+in)(?:\s+in\s+(?:the\s+)?crm)?\b")
        .expect("valid regex")
});

static PASSES_TO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<rec>deal)\s+(?:pass(?:es)?|come(?:s)?|go(?:es)?|get(?:s)?)\s+(?:to|in|into)\s+(?:the\s+)?stage\b")
        .expect("valid regex")
});

// An event's verb without its agreement, as a second-language writer may leave it, where
// the event is said: "When deal reach stage 'Delivered'", "task finish", "quote approve",
// "quote create", "invoice pay", "lead have update", "the lead pass to deal" (converted),
// "the deal arrive to the stage Payment Pending",
// "deal come to 'Customs' stage".
static BARE_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<lead>^\s*|[\n.;!?]\s*|\b(?:when|if|once|whenever|after|as\s+soon\s+as)\s+)(?P<np>(?:the\s+|a\s+|an\s+|new\s+)?(?:deal|lead|contact|company|task|invoice|quote|quotation))\s+(?P<v>reach|arrive|come|comes|pass|passes|is\s+passing|go|goes|is\s+going|get|gets|finish|finishes|complete|completes|approve|create|update|change|pay|(?:have|has)\s+(?:an?\s+)?(?:update|change))\b(?:(?P<conv>\s+(?:in)?to\s+(?:a\s+|the\s+)?deals?\b)|(?P<to>\s+(?:in)?to\b|\s+in(?:\s+the)?\s+stage\b))?")
        .expect("valid regex")
});

// "When enter a new lead": the one who enters it left out.
static ENTERED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<w>when|if|once|whenever)\s+(?:(?:we|you|someone|somebody)\s+)?enters?\s+(?:an?\s+)?(?:new\s+)?(?P<rec>deal|lead|contact|company)\b")
        .expect("valid regex")
});

// "200 000 and more", "from 15000000 and more": "and" for "or" after a number, as some
// write it; the clause splitter would have cut the comparison off at "and".
static AND_MORE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<from>\bfrom\s+)?(?P<n>\d[\d,.]*(?:\s*(?:k|m)\b)?)\s+and\s+(?P<more>more|above|up|upwards|higher|bigger|greater)\b")
        .expect("valid regex")
});

// "fifty thousand", "two thousand five hundred": an amount said in words, as speech-to-text
// writes it. Only a run with a scale word ("hundred", "thousand", "million", "k") is read;
// "two days" is left to the time readers, which know it.
static SPELLED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:(?:a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|k|and)(?:[\s-]+|\b)){2,}")
        .expect("valid regex")
});

/// The value of a run of number words, when it holds a scale word and nothing else.
/// "a" counts one only after a comparison (`compared`): "over a thousand" is 1000,
/// "Thanks a million" no number.
fn spelled_value(words: &str, compared: bool) -> Option<u64> {
    let mut total: u64 = 0;
    let mut current: u64 = 0;
    let mut scaled = false;
    let mut any = false;
    for w in words
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
    {
        let w = w.to_ascii_lowercase();
        let unit = match w.as_str() {
            "a" => 1,
            "and" => 0,
            "hundred" => {
                current = current.max(1) * 100;
                scaled = true;
                continue;
            }
            // "twenty k": a thousand, as said aloud.
            "thousand" | "million" | "k" => {
                let scale = if w == "million" { 1_000_000 } else { 1_000 };
                total += current.max(1) * scale;
                current = 0;
                scaled = true;
                continue;
            }
            other => u64::from(crate::nl::offline::words::number_word(other)?),
        };
        // "Thanks a million": "a" alone counts nothing.
        any |= unit > 0 && (w != "a" || compared);
        current += unit;
    }
    (scaled && any).then_some(total + current)
}

// "within to hours", "in to days": "two" as speech-to-text may write it, before a unit of
// time after a word that counts one.
static TO_FOR_TWO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<p>in|within|for|after)\s+to\s+(?P<u>minutes?|hours?|days?|weeks?)\b")
        .expect("valid regex")
});

/// `text` with amounts said in words as digits ([`SPELLED`]) and "to" for "two" before a
/// unit of time ([`TO_FOR_TWO`]). Run once the quotes are lifted: a message's words are
/// its author's.
pub(super) fn spoken_numbers(text: Cow<'_, str>) -> Cow<'_, str> {
    let text = if text.contains(" to ") && TO_FOR_TWO.is_match(&text) {
        Cow::Owned(TO_FOR_TWO.replace_all(&text, "$p two $u").into_owned())
    } else {
        text
    };
    let text = if ["hundred", "thousand", "million", " k"]
        .iter()
        .any(|w| super::contains_ci(&text, w))
    {
        Cow::Owned(spelled(&text))
    } else {
        text
    };
    if text.contains(" and ") && AND_MORE.is_match(&text) {
        Cow::Owned(
            AND_MORE
                .replace_all(&text, |c: &regex::Captures<'_>| match c.name("from") {
                    Some(_) => format!("at least {}", &c["n"]),
                    None => format!("{} or more", &c["n"]),
                })
                .into_owned(),
        )
    } else {
        text
    }
}

/// The words after which "a" before a scale word is the number one.
const COMPARED: &[&str] = &[
    "over",
    "under",
    "above",
    "below",
    "least",
    "most",
    "than",
    "exceeding",
    "worth",
    // "a deal of a hundred or less".
    "of",
];

/// `text` with each run of number words that holds a scale word as digits.
fn spelled(text: &str) -> String {
    let out = SPELLED.replace_all(text, |c: &regex::Captures<'_>| {
        let all = &c[0];
        // The run's own edges: "and" or spaces around it are not part of the number
        // ("fifty thousand and more").
        let end = all.trim_end();
        let end = end.strip_suffix(" and").map_or(end, str::trim_end).len();
        let start = if all[..end].to_ascii_lowercase().starts_with("and ") {
            4
        } else {
            0
        };
        // "over a thousand", "at least a hundred": a comparison before the run.
        let compared = text[..c.get(0).map_or(0, |m| m.start())]
            .split_whitespace()
            .next_back()
            .is_some_and(|w| COMPARED.iter().any(|c| c.eq_ignore_ascii_case(w)));
        match spelled_value(&all[start..end], compared) {
            Some(v) => format!("{}{v}{}", &all[..start], &all[end..]),
            None => all.to_owned(),
        }
    });
    out.into_owned()
}

/// `text` with an event's verb given its agreement ([`BARE_EVENT`], [`ENTERED`]).
fn agreement(text: Cow<'_, str>) -> Cow<'_, str> {
    // Only a text with "enter" in it is searched.
    let text = if super::contains_ci(&text, "enter") && ENTERED.is_match(&text) {
        Cow::Owned(
            ENTERED
                .replace_all(&text, "$w a new $rec is created")
                .into_owned(),
        )
    } else {
        text
    };
    if !BARE_EVENT.is_match(&text) {
        return text;
    }
    let out = BARE_EVENT.replace_all(&text, |c: &regex::Captures<'_>| {
        let np = &c["np"];
        let v = c["v"].to_ascii_lowercase();
        let lead_to_deal = c.name("conv").is_some() && np.to_ascii_lowercase().ends_with("lead");
        let to = c.name("to").or(c.name("conv")).map_or("", |m| m.as_str());
        let said = match v.split_whitespace().next().unwrap_or_default() {
            _ if lead_to_deal => return format!("{}{np} is converted", &c["lead"]),
            "reach" => "reaches",
            "come" | "comes" | "pass" | "passes" | "is" | "go" | "goes" | "get" | "gets"
            | "arrive"
                if !to.is_empty() =>
            {
                "moves"
            }
            "pass" | "passes" => "passes",
            // "a deal comes in from Referral": its own "in" follows.
            "come" | "comes"
                if text[c.get(0).map_or(0, |m| m.end())..]
                    .to_ascii_lowercase()
                    .starts_with(" in") =>
            {
                "comes"
            }
            "come" | "comes" => "comes in",
            "finish" | "finishes" | "complete" | "completes" => "is completed",
            "approve" => "is approved",
            // "new company create a deal called ...": a verb with an object after it is
            // an order, not the event.
            "create" | "update" | "change" | "pay"
                if [" a ", " an ", " the ", " new ", " it "].iter().any(|w| {
                    text[c.get(0).map_or(0, |m| m.end())..]
                        .to_ascii_lowercase()
                        .starts_with(w)
                }) =>
            {
                return c[0].to_owned();
            }
            "create" => "is created",
            "pay" => "is paid",
            "have" | "has" | "update" | "change" => "is updated",
            _ => return c[0].to_owned(),
        };
        format!("{}{np} {said}{to}", &c["lead"])
    });
    Cow::Owned(out.into_owned())
}

// The record named before its field, as an Italian or Greek writer orders it: "set on the
// deal the field Quality Check to Passed", "update the deal: field Contract Status to
// Ready".
static RECORD_THEN_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<verb>set|update|change)\s+(?:on\s+(?P<on>the\s+(?:deal|lead|contact|company|invoice|quote|task))\s+the|(?P<rec>the\s+(?:deal|lead|contact|company|invoice|quote|task))\s*:\s*(?:the\s+)?)\s*field\b")
        .expect("valid regex")
});

// The same order for a comment: "write on the deal a comment 'Deposit invoiced'".
static RECORD_THEN_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<verb>write|add|put|leave|post)\s+(?P<on>(?:on|in|to)\s+(?:the\s+)?(?:deal|lead|contact|company|invoice|quote|task))\s+(?P<what>(?:(?:a|an)\s+)?(?:comment|note))\b")
        .expect("valid regex")
});

/// `text` with a record named before its field or comment ([`RECORD_THEN_FIELD`],
/// [`RECORD_THEN_NOTE`]) put after the verb's object, as the parser reads it.
fn record_first(text: Cow<'_, str>) -> Cow<'_, str> {
    let text = if super::contains_ci(&text, "field") && RECORD_THEN_FIELD.is_match(&text) {
        let out = RECORD_THEN_FIELD.replace_all(&text, |c: &regex::Captures<'_>| {
            let rec = c.name("on").or(c.name("rec")).map_or("", |m| m.as_str());
            format!("{} {rec}'s field", &c["verb"])
        });
        Cow::Owned(out.into_owned())
    } else {
        text
    };
    if (super::contains_ci(&text, "comment") || super::contains_ci(&text, "note"))
        && RECORD_THEN_NOTE.is_match(&text)
    {
        let out = RECORD_THEN_NOTE.replace_all(&text, "$verb $what $on");
        return Cow::Owned(out.into_owned());
    }
    text
}

// "a contact is altered", "the task is concluded", "a new lead enter", "any change of
// stage", and the event named as a noun with no article, as Russian has none: "on
// creation of each deal", "after every editing of deal", "after conversion of lead".
static EVENT_WORD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<be>is|are|was|gets|get)\s+(?P<word>altered|concluded)\b|\bchange\s+of\s+(?:the\s+)?stage\b|\b(?P<rec>lead|deal|contact|company)\s+enter\b|\b(?P<noun>creation|change|editing|edit|modification|conversion)\s+of\s+(?:each\s+|every\s+)?(?P<of>deal|lead|contact|company|quote|invoice|task)\b")
        .expect("valid regex")
});

/// `text` with a learner's word for an event's put as the event's own.
fn event_word(text: Cow<'_, str>) -> Cow<'_, str> {
    if ![
        "altered",
        "concluded",
        "change of",
        " enter ",
        "ion of",
        "edit",
    ]
    .iter()
    .any(|w| super::contains_ci(&text, w))
    {
        return text;
    }
    let out = EVENT_WORD.replace_all(&text, |c: &regex::Captures<'_>| {
        if let (Some(noun), Some(of)) = (c.name("noun"), c.name("of")) {
            let noun = match noun.as_str().to_ascii_lowercase().as_str() {
                "creation" => "creation",
                "conversion" => "conversion",
                _ => "change",
            };
            return format!("{noun} of any {}", of.as_str());
        }
        match (c.name("word"), c.name("rec")) {
            (Some(w), _) if w.as_str().eq_ignore_ascii_case("altered") => {
                format!("{} updated", &c["be"])
            }
            (Some(_), _) => format!("{} completed", &c["be"]),
            (None, Some(rec)) => format!("{} enters", rec.as_str()),
            (None, None) => "stage change".to_owned(),
        }
    });
    Cow::Owned(out.into_owned())
}

/// `text` with the learner's forms of an event put as the parser reads them.
pub(super) fn learner(text: Cow<'_, str>) -> Cow<'_, str> {
    let text = event_word(record_first(agreement(text)));
    let lower = text.to_ascii_lowercase();
    let progressive = lower.contains(" is ");
    let inverted = [
        "when is ",
        "if is ",
        "once is ",
        "whenever is ",
        "when come",
        "when arrive",
        "if come",
        "if arrive",
    ]
    .iter()
    .any(|w| lower.contains(w));
    let appears = lower.contains("appear") || lower.contains("com");
    let passes = lower.contains("stage")
        && [" pass", " come", " go", " get"]
            .iter()
            .any(|w| lower.contains(w));
    if !(progressive || inverted || appears || passes) {
        return text;
    }
    // The progressive needs one of its verbs: "-ing", "finish", "complete" or "close",
    // looked for by letters that no other character folds to.
    let progressive_verb = ["ing", "fini", "complete", "clo"]
        .iter()
        .any(|w| lower.contains(w));
    let out = if progressive && progressive_verb {
        PROGRESSIVE.replace_all(&text, |c: &regex::Captures<'_>| {
            let v = match c["v"].to_ascii_lowercase().as_str() {
                "winning" => "won",
                "losing" => "lost",
                "changing" => "changed",
                "converting" => "converted",
                "finishing" | "finish" => "finished",
                "completing" | "complete" => "completed",
                "updating" => "updated",
                "editing" => "edited",
                "modifying" => "modified",
                _ => "closed",
            };
            format!("{} is {v}", &c["rec"])
        })
    } else {
        Cow::Borrowed(&*text)
    };
    // Not a record's own progressive ("the deal is changing"), which is read above.
    let out = if progressive && lower.contains("ing ") {
        let done = ACTING.replace_all(&out, |c: &regex::Captures<'_>| {
            let who = c["who"].to_ascii_lowercase();
            match super::speech::finite(&c["v"]) {
                Some(v)
                    if !crate::nl::offline::lexicon::RECORD_NOUNS.contains(&who.as_str())
                        && !["it", "this", "that", "what", "which", "who"]
                            .contains(&who.as_str()) =>
                {
                    format!("{} {v} {}", &c["who"], &c["obj"])
                }
                _ => c[0].to_owned(),
            }
        });
        Cow::Owned(done.into_owned())
    } else {
        out
    };
    let out = if inverted {
        INVERTED.replace_all(&out, |c: &regex::Captures<'_>| {
            // "When come a lead": a new one.
            if let Some(np) = c.name("np2") {
                return format!("{} a new {} is created", &c["w2"], np.as_str());
            }
            let np = &c["np"];
            format!("{} {} {np} is {}", &c["w"], super::indefinite(np), &c["v"])
        })
    } else {
        Cow::Borrowed(&*out)
    };
    let out = if appears {
        APPEARS.replace_all(&out, "$np is created")
    } else {
        Cow::Borrowed(&*out)
    };
    let out = if passes {
        PASSES_TO
            .replace_all(&out, "$rec moves to the stage")
            .into_owned()
    } else {
        out.into_owned()
    };
    if out == *text { text } else { Cow::Owned(out) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> String {
        read(Cow::Borrowed(s)).into_owned()
    }

    #[test]
    fn a_user_story_is_its_wish() {
        assert_eq!(
            r(
                "As an account manager at the brokerage I want a won deal to ping me on chat so that I remember"
            ),
            "I want a won deal to ping the account manager on chat"
        );
        // A benefit with a quote in it is kept.
        assert_eq!(
            r("As a rep I want X so that the client gets 'Hi'"),
            "I want X so that the client gets 'Hi'"
        );
    }

    #[test]
    fn a_scenario_is_its_event_conditions_and_orders() {
        assert_eq!(
            r(
                "Given a lead is created When the amount is 10k or more Then assign it to Helen And notify her"
            ),
            "When a lead is created and the amount is 10k or more, assign it to Helen and notify her"
        );
        assert_eq!(
            r("Given an enrolment invoice When it is paid Then create a task"),
            "When an enrolment invoice is paid, create a task"
        );
        assert_eq!(
            r("Given a contact is updated Then remove the tag 'X'"),
            "When a contact is updated, remove the tag 'X'"
        );
        // Neither reading: left to be asked about.
        assert_eq!(
            r("Given a VIP deal When a deal is won Then notify Anna"),
            "Given a VIP deal When a deal is won Then notify Anna"
        );
    }
}
