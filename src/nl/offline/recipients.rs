//! Who an action is for, read the way a person writes it.
//!
//! "the client" is the record's client (a smart variable chosen per action); "the
//! manager", "the owner", "the assignee" is the responsible person; "the sales team",
//! "the support department" or "Anna" is a name that `[recipients]` in `b24flow.toml`
//! resolves later; "someone" or "people" is too vague and becomes a question.

use std::sync::LazyLock;

use regex::Regex;

use super::text::Clause;
use super::words::{self, PERSON_STOPS};

/// A recipient as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Who {
    /// The client of the record.
    Client,
    /// The record's responsible person.
    Responsible,
    /// A person or group by name, or a smart variable / `user_<id>` written out.
    Named(String),
    /// A word that names nobody in particular, kept for the question.
    Vague(String),
    /// Whoever created the record: "its creator", "the person who set the task".
    Author,
}

const DETERMINERS: &[&str] = &[
    "the", "a", "an", "our", "my", "your", "their", "its", "his", "her", "this", "that", "these",
    "those",
];

const CLIENT: &[&str] = &[
    "client",
    "clients",
    "customer",
    "customers",
    "contact",
    "contacts",
    "buyer",
    "buyers",
    "lead",
    "leads",
    "prospect",
    "prospects",
    "client's",
    "customer's",
    "purchaser",
];

const RESPONSIBLE: &[&str] = &[
    "manager",
    "responsible",
    "owner",
    "assignee",
    "rep",
    "salesperson",
    "representative",
    "salesman",
    "saleswoman",
    "agent",
];

const GROUP: &[&str] = &[
    "team",
    "teams",
    "department",
    "departments",
    "dept",
    "group",
    "office",
    "desk",
    "division",
    "squad",
    "staff",
    "crew",
    "unit",
    "board",
    "management",
    "managers",
    "accounting",
    "accountant",
    "accountants",
    "finance",
    "support",
    "billing",
    "legal",
    "marketing",
    "hr",
    "sales",
    "head",
    "director",
    "supervisor",
    "ceo",
    "cfo",
    "cto",
    "coo",
    "boss",
    "admin",
    "administrator",
    "lawyer",
    "channel",
    "executives",
    "officer",
    "officers",
    "coordinator",
    "dispatcher",
    "accounts",
    "leadership",
];

// People named by their job, kept as written for `[recipients]` to resolve: "the
// estimator", "the solutions engineer", "the team leader".
const ROLE: &[&str] = &[
    "leader",
    "engineer",
    "engineers",
    "estimator",
    "specialist",
    "specialists",
    "consultant",
    "consultants",
    "advisor",
    "adviser",
    "analyst",
    "assistant",
    "controller",
    "negotiator",
    "receptionist",
    "reception",
    "technician",
    "surveyor",
    "planner",
    "recruiter",
    "secretary",
    "designer",
    "developer",
    "operator",
    "inspector",
    "architect",
    "broker",
    "underwriter",
    "valuer",
    "trainer",
    "tutor",
    "partner",
    "ops",
    "operations",
    "logistics",
    "warehouse",
    "dispatch",
    "procurement",
    "collections",
];

// What may stand before "manager" or "owner" when it means the record's responsible
// person: "the sales manager", "the account manager", "the deal owner". Any other word
// names another role ("the branch manager", "the partner manager"), kept as written; an
// owner of something else ("the property owner") is the client.
const RESPONSIBLE_MODIFIERS: &[&str] = &[
    "sales",
    "account",
    "deal",
    "deal's",
    "lead",
    "lead's",
    "record",
    "record's",
    "responsible",
    "assigned",
    "client's",
    "customer's",
    "client",
    "customer",
    "relationship",
    "personal",
    "own",
    "respective",
    "designated",
    "dedicated",
    "task",
    "task's",
    "contact",
    "contact's",
    "company",
    "company's",
    "invoice",
    "quote",
    "project",
];

const VAGUE: &[&str] = &[
    "someone",
    "somebody",
    "anyone",
    "anybody",
    "people",
    "everyone",
    "everybody",
    "person",
    "persons",
    "user",
    "users",
    "them",
    "him",
    "her",
    "me",
    "us",
    "whoever",
    "colleagues",
    "employees",
    "employee",
    "somebody's",
    "relevant",
    "right",
    "others",
];

/// Classifies a phrase such as "the sales team". `them_is_client` reads "them", "him"
/// and "her" as the client, which is what they mean after "send a `WhatsApp` to".
pub(super) fn classify(phrase: &[&str], them_is_client: bool) -> Option<Who> {
    let mut words: Vec<&str> = phrase.to_vec();
    // "her" alone is a person; "her manager" is a manager.
    while let Some(first) = words.first().filter(|_| words.len() > 1) {
        if DETERMINERS.contains(&first.to_ascii_lowercase().as_str()) {
            words.remove(0);
        } else {
            break;
        }
    }
    // "make Anna responsible": the name, not the role.
    if words.len() > 1
        && words
            .last()
            .is_some_and(|w| w.eq_ignore_ascii_case("responsible"))
        && !["person", "user", "employee", "manager", "the"]
            .contains(&words[words.len() - 2].to_ascii_lowercase().as_str())
    {
        words.pop();
    }
    let first = *words.first()?;
    // "whoever owns it", "whoever is responsible": the record's responsible person. The
    // verb's object must be the record: "whoever handles that region" is someone else,
    // whom only the author can name.
    if first.eq_ignore_ascii_case("whoever") {
        let rest: Vec<String> = words
            .iter()
            .skip(1)
            .map(|w| w.to_ascii_lowercase())
            .collect();
        let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
        let of_record = match rest.as_slice() {
            ["is", "responsible", ..] | ["is", "in", "charge", ..] => true,
            ["owns" | "handles" | "manages", object @ ..] => matches!(
                object,
                ["it" | "them", ..]
                    | ["this" | "that"]
                    | [
                        "the" | "this" | "that",
                        "deal"
                            | "lead"
                            | "record"
                            | "contact"
                            | "company"
                            | "invoice"
                            | "quote"
                            | "task"
                            | "client"
                            | "customer"
                            | "account",
                        ..
                    ]
            ),
            _ => false,
        };
        if of_record {
            return Some(Who::Responsible);
        }
        return Some(Who::Vague(phrase.join(" ")));
    }
    // "to call the client" is what to do, not who to do it for; "for Mark" is a name
    // that happens to be a verb.
    if words::has_action_verb(&first.to_ascii_lowercase()) && first != "Mark" {
        return None;
    }
    let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();

    if first.starts_with("{{") && first.ends_with("}}") {
        return Some(Who::Named(first.to_owned()));
    }
    if let Some(id) = user_id(&lower) {
        return Some(Who::Named(id));
    }
    if first.contains('@') && first.contains('.') {
        return Some(Who::Named(first.to_owned()));
    }
    // "the team lead", "the sales lead": a person, not a lead record.
    if lower.len() > 1
        && lower.last().is_some_and(|w| w == "lead" || w == "leads")
        && [
            "team", "sales", "tech", "project", "group", "shift", "account",
        ]
        .contains(&lower[lower.len() - 2].as_str())
    {
        return Some(Who::Named(words.join(" ")));
    }
    // The head noun is last: "the client's manager" is a manager, "the head of sales" a
    // group name, "the sales manager" the responsible person.
    for (i, w) in lower.iter().enumerate().rev() {
        let w = w.as_str();
        let modifier = i.checked_sub(1).map(|m| lower[m].as_str());
        // A job by its form: "the teacher", "the instructor", "the dentist". Kept as
        // written, like the roles above, rather than dropped for the default.
        let known = [GROUP, ROLE, RESPONSIBLE, CLIENT, VAGUE]
            .iter()
            .any(|l| l.contains(&w));
        if i + 1 == lower.len() && !known && is_job_word(w) {
            let start = match modifier {
                Some(m) if !DETERMINERS.contains(&m) && !words::has_action_verb(m) => i - 1,
                _ => i,
            };
            return Some(Who::Named(words[start..=i].join(" ")));
        }
        if matches!(w, "manager" | "owner")
            && let Some(m) = modifier.filter(|m| !RESPONSIBLE_MODIFIERS.contains(m))
        {
            if w == "owner" && !GROUP.contains(&m) {
                return Some(Who::Client);
            }
            return Some(Who::Named(words[i - 1..=i].join(" ")));
        }
        if RESPONSIBLE.contains(&w) || w == "responsible's" {
            return Some(Who::Responsible);
        }
        if ROLE.contains(&w) {
            let start = match modifier {
                Some(m) if !DETERMINERS.contains(&m) => i - 1,
                _ => i,
            };
            return Some(Who::Named(words[start..=i].join(" ")));
        }
        if GROUP.contains(&w) {
            // "the acounts team": a word one letter off a known one is probably misspelt,
            // and a name kept as written would reach nobody; the author is asked.
            if let Some(off) = lower[..i].iter().find(|m| near_miss(m.as_str())) {
                return Some(Who::Vague(format!(
                    "{off}\" (misspelt?) in \"{}",
                    phrase.join(" ")
                )));
            }
            // "the sales team of the region" is the sales team; "the head of delivery" is
            // the head of delivery.
            let end = if matches!(w, "head" | "director" | "officer" | "board")
                && lower.get(i + 1).is_some_and(|w| w == "of")
                && i + 2 < lower.len()
            {
                lower.len() - 1
            } else {
                i
            };
            return Some(Who::Named(words[..=end].join(" ")));
        }
        if CLIENT.contains(&w) {
            return Some(Who::Client);
        }
    }
    if lower.len() == 1 && them_is_client && ["them", "him", "her"].contains(&lower[0].as_str()) {
        return Some(Who::Client);
    }
    // "email them our welcome pack", "text them a welcome message": the pronoun is the
    // recipient, what follows is the message.
    if lower.len() > 1
        && them_is_client
        && ["them", "him", "her"].contains(&lower[0].as_str())
        && [
            "a", "an", "our", "the", "their", "your", "this", "that", "some",
        ]
        .contains(&lower[1].as_str())
    {
        return Some(Who::Client);
    }
    if lower.iter().any(|w| VAGUE.contains(&w.as_str())) {
        return Some(Who::Vague(phrase.join(" ")));
    }
    // A capitalised name: "Anna", "John Smith".
    if first.chars().next().is_some_and(char::is_uppercase) {
        let name: Vec<&str> = words
            .iter()
            .take_while(|w| w.chars().next().is_some_and(char::is_uppercase))
            .copied()
            .collect();
        return Some(Who::Named(name.join(" ")));
    }
    None
}

// Words with a job's ending that are not jobs.
const NOT_JOBS: &[&str] = &[
    "order",
    "number",
    "reminder",
    "letter",
    "offer",
    "answer",
    "other",
    "paper",
    "folder",
    "voucher",
    "transfer",
    "error",
    "floor",
    "door",
    "color",
    "colour",
    "sector",
    "factor",
    "border",
    "header",
    "footer",
    "filter",
    "marker",
    "trigger",
    "timer",
    "register",
    "counter",
    "cover",
    "poster",
    "banner",
    "flyer",
    "newsletter",
    "minor",
    "major",
    "customer",
    "manager",
    "owner",
    "partner",
    "leader",
    "after",
    "later",
    "under",
    "over",
    "never",
    "ever",
    "either",
    "neither",
    "whether",
    "together",
    "water",
    "weather",
    "winter",
    "summer",
    "quarter",
    "center",
    "centre",
    "matter",
    "member",
    "number",
    "user",
    "buyer",
    "seller",
    "caller",
    "person",
    "indian",
    "christian",
    "list",
    "wrist",
    "twist",
    "mist",
    "whatsapp",
];

/// Whether `word` has the form of a job title: "teacher", "instructor", "dentist",
/// "physician".
fn is_job_word(word: &str) -> bool {
    word.len() >= 5
        && word.chars().all(|c| c.is_ascii_lowercase())
        && ["er", "or", "ist", "ian"].iter().any(|s| word.ends_with(s))
        && !NOT_JOBS.contains(&word)
        // "the policyholder", "the cardholder" hold what the record is about: the client.
        && !word.ends_with("holder")
}

/// Whether `word` is not a recipient word but one edit (a letter left out, added, or two
/// swapped) away from one: "acounts" for "accounts". Short words are left alone.
fn near_miss(w: &str) -> bool {
    if w.len() < 5 || !w.chars().all(|c| c.is_ascii_lowercase()) {
        return false;
    }
    let known = |k: &&str| *k == w;
    let all = [GROUP, ROLE, RESPONSIBLE, CLIENT, RESPONSIBLE_MODIFIERS];
    if all.iter().any(|l| l.iter().any(known)) {
        return false;
    }
    // Only group and role words are looked for: "contracts" is one letter off "contacts"
    // but is a word of its own.
    [GROUP, ROLE]
        .iter()
        .flat_map(|l| l.iter())
        .any(|k| k.len() >= 5 && one_edit(w, k))
}

/// Whether `a` becomes `b` by inserting, deleting or swapping two neighbouring letters.
fn one_edit(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() == b.len() {
        let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).collect();
        return matches!(diff.as_slice(), [i, j] if *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i]);
    }
    let (short, long) = if a.len() < b.len() { (a, b) } else { (b, a) };
    if long.len() != short.len() + 1 {
        return false;
    }
    let at = (0..short.len())
        .find(|&i| short[i] != long[i])
        .unwrap_or(short.len());
    // A plural or a trailing letter is a different word form, not a typo.
    at < short.len() && short[at..] == long[at + 1..]
}

// Who created the record: "its creator", "the task's author", "the person who created
// it", "whoever set the task".
static AUTHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?:(?:the|its|their|his|her)\s+)?(?:(?:task|task's|deal|deal's|lead|lead's|record|record's|original)\s+)?(?:creator|author)\b|^\s*(?:(?:the|a)\s+)?(?:person|user|one|employee|colleague|manager|someone)\s+who\s+(?:created|set|made|opened|added|wrote|raised|assigned)\b|^\s*(?:whoever|who)\s+(?:created|set|made|opened|added|wrote|raised|assigned)\b",
    )
    .expect("valid regex")
});

/// `user 12`, `user_12`, `user #12` -> `user_12`.
fn user_id(lower: &[String]) -> Option<String> {
    let digits = |s: &str| {
        let s = s.trim_start_matches('#');
        (!s.is_empty() && s.chars().all(|c| c.is_ascii_digit())).then(|| s.to_owned())
    };
    match lower {
        [one] => one.strip_prefix("user_").and_then(digits),
        [user, id, ..] if user == "user" || user == "employee" => digits(id),
        _ => None,
    }
    .map(|id| format!("user_{id}"))
}

/// Finds who an action is addressed to: the first phrase after one of `cues` (words
/// such as "to", "for", "notify") that names someone, with its position.
pub(super) fn find(clause: &Clause, cues: &[&str], them_is_client: bool) -> Option<(Who, usize)> {
    find_where(clause, cues, them_is_client, |_| true)
}

/// Like [`find`], but skips phrases for which `keep` is false: after "assign", "the
/// lead" is the record being assigned, not the person it goes to.
pub(super) fn find_where(
    clause: &Clause,
    cues: &[&str],
    them_is_client: bool,
    keep: impl Fn(&Who) -> bool,
) -> Option<(Who, usize)> {
    let mut found = None;
    for w in words::words_from(clause, 0) {
        let lower = w.text.to_ascii_lowercase();
        if !cues.contains(&lower.as_str()) {
            continue;
        }
        // "notify its creator", "tell the person who set the task": the author, named
        // by a relative clause the phrase reader would cut at "who".
        if AUTHOR.is_match(&clause.lower[w.end..]) && keep(&Who::Author) {
            found = Some((Who::Author, w.start));
            break;
        }
        let phrase = words::phrase_after(clause, w.end, PERSON_STOPS, 5);
        if phrase.words.is_empty() {
            continue;
        }
        // "send user 15 a notification", "drop them a message": right after these verbs
        // only a recipient written before the thing sent counts, never "a ...".
        if ["send", "drop"].contains(&lower.as_str())
            && phrase.words.first().is_some_and(|f| {
                ["a", "an", "our", "your", "this", "that", "some", "my"]
                    .contains(&f.to_ascii_lowercase().as_str())
            })
        {
            continue;
        }
        if let Some(who) = classify(&phrase.words, them_is_client).filter(|w| keep(w)) {
            found = Some((who, w.start));
            break;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(s: &str) -> Option<Who> {
        let words: Vec<&str> = s.split_whitespace().collect();
        classify(&words, false)
    }

    #[test]
    fn roles_groups_clients_and_names() {
        assert_eq!(who("the client"), Some(Who::Client));
        assert_eq!(who("the sales manager"), Some(Who::Responsible));
        assert_eq!(who("the responsible person"), Some(Who::Responsible));
        assert_eq!(who("the sales team"), Some(Who::Named("sales team".into())));
        assert_eq!(
            who("the head of sales"),
            Some(Who::Named("head of sales".into()))
        );
        assert_eq!(who("Anna"), Some(Who::Named("Anna".into())));
        assert_eq!(who("user 17"), Some(Who::Named("user_17".into())));
        assert_eq!(who("someone"), Some(Who::Vague("someone".into())));
        assert_eq!(who("her"), Some(Who::Vague("her".into())));
        assert_eq!(who("the"), None);
        assert_eq!(who("call the client"), None);
        assert_eq!(who("prepare a contract"), None);
        assert_eq!(who("Anna responsible"), Some(Who::Named("Anna".into())));
        assert_eq!(who("the person responsible"), Some(Who::Responsible));
        assert_eq!(
            who("the head of delivery"),
            Some(Who::Named("head of delivery".into()))
        );
        assert_eq!(who("the estimator"), Some(Who::Named("estimator".into())));
        assert_eq!(
            who("the branch manager"),
            Some(Who::Named("branch manager".into()))
        );
        assert_eq!(who("the deal owner"), Some(Who::Responsible));
        assert_eq!(who("the property owner"), Some(Who::Client));
        assert_eq!(
            who("the sales team of the region"),
            Some(Who::Named("sales team".into()))
        );
    }
}
