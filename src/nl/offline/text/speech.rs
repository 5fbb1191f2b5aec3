//! Requests written down the way they were said or filed.
//!
//! - Notes from meetings and policy documents open with a label that files them:
//!   "Agreed:", "Decision -", "Action item (Jonas):", "AP (JT):", "Added:", "Changed:",
//!   "New automation -", "Rule 4.2:", "Section: Leads.", "Per Tuesday's call,", "Going
//!   forward,", a minute's "Owner: LB / Due: 14 Mar.", a section
//!   number ("2.4 When ..."), one or several in a row. A label says where the request was
//!   written down, not what it asks, and is read past at the start of the text. (Who an action item is for is who sets it up, not who the workflow
//!   reaches.)
//! - Dictated requests carry fillers ("um", "uh", "hmm", "erm", "basically", "um you
//!   know") and words said again
//!   ("when a, when a deal is lost", "our, um, our webhook"), which say nothing; both are
//!   read past. A request that opens with "okay so" or "right, so" opens with the request
//!   after it.
//! - A speaker corrects themselves: "text the customer, no sorry, WhatsApp them", "in an
//!   hour, no, two hours", "a notification, no, a chat message I mean". What follows
//!   the "no" replaces the part before it that it matches: a whole order when it is an
//!   order, otherwise the last thing of its kind (a quote, a thing with its article, a
//!   time). A correction that matches nothing is left as it was said, to be asked about.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use super::pattern;

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^\s*(?:(?:(?:agreed|decided)\s*[:,\x{2013}\x{2014}-]|(?:decision|action\s+(?:item|point)|(?-i:AP)|to-?do|added|changed|fixed|updated|new\s+(?:automation|rule|workflow)|rule(?:\s+\d+(?:\.\d+)*[a-z]?)?)(?:\s*\([^()\n]{1,40}\))?\s*(?::|\s[\x{2013}\x{2014}-])|per\s+[a-z0-9' ]{1,40}?\b(?:call|meeting|sync|discussion|review|stand-?up)\s*[,:]|section\s*:\s*[^.:\n]{1,40}[.:]|\d{1,2}(?:\.\d{1,2})+[a-z]?\s|(?:going|moving)\s+forward\s*,|owner\s*:\s*[^/.:\n]{1,30}/\s*due\s*:\s*[^.:\n]{1,30}\.)\s*)+",
    )
    .expect("valid regex")
});

// "now" and "now also" in a changelog: from this release on, which every workflow is.
static NOW: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\bnow\s+(?:also\s+)?").expect("valid regex"));

/// Reads past the label that files a note ("Agreed:", "Rule 4.2:"), and a changelog's
/// "now" ("won deals are now tagged ...") before the first quote.
pub(super) fn minutes(text: Cow<'_, str>) -> Cow<'_, str> {
    match LABEL.find(&text) {
        Some(m) if m.end() < text.len() => {
            let rest = &text[m.end()..];
            let quoted = rest.find(super::QUOTE_MARKS).unwrap_or(rest.len());
            let (before, after) = rest.split_at(quoted);
            Cow::Owned(format!("{}{after}", NOW.replace_all(before, "")))
        }
        _ => text,
    }
}

// Who a relayed request comes from: a first name (lower case too, as typed in a chat:
// "kasia asked"), a title and a name ("Mr Patel"), a team, the boss or the owner.
const RELAYER: &str = r"(?P<who>(?:mr|mrs|ms|miss|dr)\.?\s+(?-i:[A-Z][a-z]+)|(?-i:[A-Z][a-z]{2,})|[a-z]{3,}|(?-i:IT)|the\s+(?:team|boss|office|owner))";

// A request passed on by someone else, told in the third person: "Per Raj: ...",
// "According to finance, ...", "Ines's request: ...", "Maria wants that ...", "Sales
// asked if we could ...", "They'd like the system to ...", "passing this on from Sofia
// - ...". Who asked is not who the workflow reaches: the frame is read as the request
// itself ("I want that ...", "could we ..."), and a name stands only where the relay
// makes its speaker the one reached ("Raj would like to be notified" is "notify Raj").
static RELAYED_FROM: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"(?i)^\s*(?:(?:hi|hello|hey)\s*[,!]?\s*)?(?:passing\s+(?:this|it)\s+on\s+from|per|according\s+to)\s+{RELAYER}\s*(?:[-:,\x{{2013}}\x{{2014}}]\s*|$)"
    ))
    .expect("valid regex")
});

static RELAYED_BY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"(?i)^\s*(?:(?:hi|hello|hey|hiya|morning|good\s+morning|afternoon)\s*[,!.]?\s*)?{RELAYER}(?:(?:'s|\x{{2019}}s)\s+(?:request|ask)(?:\s+is\s+(?:simple|this|short))?\s*[:,\x{{2013}}\x{{2014}}-]\s*|\s+(?P<how>(?:wants|would\s+like|'d\s+like)\s+it\s+so(?:\s+that)?|asked\s+if\s+we\s+could|asked\s+if|asked\s+for|(?:wants|would\s+like(?:\s+it\s+so)?|'d\s+like(?:\s+it\s+so)?|asked|requested)\s+that|would\s+like\s+it\s+so|(?:wants|would\s+like|'d\s+like)\s+to\s+be\s+(?P<notified>notified|told|informed|alerted|pinged)|(?:wants|would\s+like|'d\s+like)\s+to\s+be\s+(?:made\s+)?(?P<made>responsible|the\s+owner)|(?:said|says),?(?:\s+quote,?)?|wants|would\s+like|'d\s+like)\b\s*|\s+(?:asked|said|says|wants|writes|wrote)\s*[:\x{{2013}}\x{{2014}}-]\s*)"
    ))
    .expect("valid regex")
});

static SYSTEM_TO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*they(?:'d|\s+would)\s+like\s+(?:the\s+system|it|b24flow|the\s+crm|bitrix(?:24)?)\s+to\s+")
        .expect("valid regex")
});

// The speaker of a relayed request, again: "he wants", "she'd like".
static SPEAKER_WANTS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:he|she)\s+(?:wants|would\s+like|'d\s+like)\s+(?:to\s+have\s+)?")
        .expect("valid regex")
});

// Words before "wants" or "asked" that are not someone passing a request on.
const NOT_RELAYERS: &[&str] = &[
    "client",
    "customer",
    "someone",
    "somebody",
    "nobody",
    "everyone",
    "everybody",
    "anyone",
    "who",
    "whoever",
    "he",
    "she",
    "they",
    "it",
    "this",
    "that",
    "and",
    "also",
    "manager",
    "owner",
    "boss",
    "team",
    "contact",
    "lead",
    "deal",
    "donor",
    "student",
    "patient",
    "guest",
];

// Who asked for the request, said after it: "That's from Tom", "(Mrs Okafor asked)",
// "- from Mr P", "Sarah's request.", "boss's orders", "— Mr Patel", "(Gareth again,
// sorry)", "Mr Patel says they are all trade accounts anyway", "he likes watching the
// numbers go up". `who` is the one who asked: a name, a title and a name,
// the boss or the owner, or "he" and "she" for them.
static SAID_BY: LazyLock<Regex> = LazyLock::new(|| {
    let who = r"(?:(?:(?:mr|mrs|ms|miss|dr)\.?\s+)?(?-i:[A-Z][a-z]+)(?:\s+(?-i:[A-Z][a-z]+))?|(?:the\s+)?(?:boss|owner))";
    pattern(&format!(
        r"(?i)^(?:(?:that|this)(?:'s|\x{{2019}}s|\s+is|\s+one'?s|\s+one\s+is)\s+(?:(?:the\s+)?(?:whole\s+)?request\s+)?|(?:the\s+)?(?:request|ask|idea)\s+)?from\s+{who}\b|^{who}(?:'s|\x{{2019}}s)\s+(?:request|ask|idea|rule|orders?|system|wording|words|thing)\b|^{who}\s+(?:asked|requested|insisted|again)\b|^(?:{who}|he|she)(?:\s+(?:says|said|reckons|thinks|likes|loves|knows|keeps|gives|wants\s+(?:her|him|them|it|everything|all|the\s+[a-z]+\s+in))|(?:\s+is|'s|\x{{2019}}s)\s+(?:been|very|fed\s+up|like\s+that|started)|(?:\s+has|'s|\x{{2019}}s)\s+had)\b"
    ))
    .expect("valid regex")
});

// Who asked, named alone after a dash or in brackets: "— Mr Patel", "(Mr Patel,
// obviously)". A first name alone may be whom the order before is for.
static NAMED_ALONE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^(?:from\s+)?(?:(?:mr|mrs|ms|miss|dr)\.?\s+(?-i:[A-Z][a-z]*)|(?:the\s+)?(?:boss|owner))$")
        .expect("valid regex")
});

// What an attribution says besides who asked, none of it an order: "dont shoot the
// messenger", "dont ask me why", "his words", "not mine", "sorry", "obviously".
static ASIDE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:don'?t|do\s+not)\s+(?:shoot\s+the\s+messenger|ask\s+me\s+why)\b|\b(?:his|her|their)\s+words\b|\bnot\s+mine\b|\b(?:sorry|obviously|lol|haha|simple\s+as)\b")
        .expect("valid regex")
});

/// `text` without who asked for the request, said after it (see [`SAID_BY`]), as a
/// sentence, a clause after a dash or a comma, or in brackets. Only when the request
/// is said before it, and nothing in it is quoted, numbered, timed or ordered.
fn said_by(text: Cow<'_, str>) -> Cow<'_, str> {
    let mut end = text.len();
    // "... (Jen asked, dont shoot the messenger)": an attribution after another.
    for _ in 0..3 {
        let head = text[..end].trim_end_matches([' ', '.', '!', '\u{1f605}']);
        let Some(at) = attribution_start(head) else {
            break;
        };
        end = at;
    }
    if end == text.len() {
        return text;
    }
    Cow::Owned(text[..end].trim_end().to_owned())
}

/// Where the attribution that closes `head` starts, if one does.
fn attribution_start(head: &str) -> Option<usize> {
    if let Some(inner) = head.strip_suffix(')') {
        let open = inner.rfind('(')?;
        return attribution_in(head, open, &inner[open + 1..], true);
    }
    // The last clause after a dash or a comma, or else the whole last sentence ("That's
    // from Tom, short and sweet").
    let last = |marks: &[&str]| {
        marks
            .iter()
            .filter_map(|m| head.rfind(m).map(|i| (i, i + m.len())))
            .max()
    };
    let sentence = last(&[". ", "! ", "? "]);
    let clause = last(&[
        ". ",
        "! ",
        "? ",
        " - ",
        " \u{2013} ",
        " \u{2014} ",
        ", ",
        "\u{2014} ",
    ]);
    [clause, sentence.filter(|s| Some(*s) != clause)]
        .into_iter()
        .flatten()
        .find_map(|(cut, from)| {
            let sentence_end = head[cut..].starts_with(['.', '!', '?']);
            // After a comma, a name alone may be whom the order is for.
            let alone = !head[cut..].starts_with(',');
            attribution_in(head, cut + usize::from(sentence_end), &head[from..], alone)
        })
}

/// `at`, where `said` (the end of `head`) starts, when it only says who asked.
fn attribution_in(head: &str, at: usize, said: &str, alone: bool) -> Option<usize> {
    let said = said.trim().trim_end_matches(['.', '!', ',']);
    let plain = ASIDE_WORDS.replace_all(said, "");
    let bare = plain.trim().trim_matches(',').trim();
    (SAID_BY.is_match(&plain) || alone && (bare.is_empty() || NAMED_ALONE.is_match(bare)))
        .then_some(())?;
    // "email-only enquiries": a verb in a compound is no order.
    let lower = COMPOUND.replace_all(&plain, "").to_ascii_lowercase();
    // A quote mark between two letters is an apostrophe ("Mr Finch's rule").
    let quoted = said.char_indices().any(|(i, c)| {
        super::QUOTE_MARKS.contains(&c)
            && !(said[..i].ends_with(char::is_alphanumeric)
                && said[i + c.len_utf8()..].starts_with(char::is_alphanumeric))
    });
    (!quoted
        && !said.contains(|c: char| c.is_ascii_digit())
        && !said.contains("http")
        && !crate::nl::offline::words::has_action_verb(&lower)
        && !TIMED_WORD.is_match(&lower)
        && crate::nl::offline::words::has_action_verb(&head[..at].to_ascii_lowercase()))
    .then_some(at)
}

// A time or an action's field, or a word that narrows, which may belong to the order
// before.
static TIMED_WORD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\b(?:today|tomorrow|tonight|due|deadline|priority|urgent|only|except|unless|instead)\b",
    )
    .expect("valid regex")
});

static COMPOUND: LazyLock<Regex> = LazyLock::new(|| pattern(r"\b\w+-\w+\b").expect("valid regex"));

// What refers back to who relayed the request: "a task for himself".
static HIMSELF: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:for|to|on)\s+(?:him|her)self\b|\b(?P<plain>(?:for|to)\s+(?:him|her))\b")
        .expect("valid regex")
});

// A name after the relay: someone else "him" might be.
static NAMED: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"[^.!?:\s]\s+(?-i:[A-Z][a-z]+)\b").expect("valid regex"));

// Something wanted for someone, with no one named for it: "a task", "a quick reminder".
static WANTED_THING: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^(?:a|an)\s+(?:[a-z-]+\s+){0,2}?(?:task|to-?do|reminder|notification|chat\s+message|message|ping|call|e-?mail|sms|text|whats\s?app|alert|heads-up)\b(?P<named>\s+(?:for|to)\b)?")
        .expect("valid regex")
});

// Teams that relay a request and are not reached by "him" or "her".
static TEAMS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^(?:sales|finance|accounts|marketing|ops|it|management|the\s+\w+)$")
        .expect("valid regex")
});

/// Whether a word after "on" names a record, a place, a day or a state rather than a
/// person: "a task on the deal", "on stage New", "on Monday", "put the task on hold".
pub(super) fn on_no_one(word: &str) -> bool {
    let word = word.to_ascii_lowercase();
    [
        "the", "it", "this", "that", "a", "an", "its", "their", "deal", "lead", "record",
        "contact", "company", "time", "hold", "today", "tomorrow", "stage", "status", "phase",
        "pipeline", "column",
    ]
    .contains(&word.as_str())
        || crate::nl::offline::lexicon::CALENDAR.contains(&word.as_str())
}

/// Reads a request passed on by someone else as the request itself: "Per Raj: new deal
/// -> ...", "Maria wants that whenever ...", "Sales asked if we could ...".
pub(super) fn relayed(text: Cow<'_, str>) -> Cow<'_, str> {
    // "... remove tag tentative. That's from Tom, short and sweet": who asked, said
    // last, with nothing else asked in it.
    let text = said_by(text);
    let text = relayed_first(text);
    relayed_within(text)
}

// Someone's wish said after the event, inside its sentence: "When a lead gets converted
// Mr Patel wants a task for Hannah", "when a deal's lost the owner wants an SMS to the
// customer", "when a company record is updated Gareth needs a ping", "the owner asked if
// we could let Mrs Okafor know".
static RELAYED_WITHIN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?P<pre>[a-z0-9'\x{2019}])(?:\s*,)?\s+(?P<who>(?i:mr|mrs|ms|miss|dr)\.?\s+[A-Z][a-z]+|[A-Z][a-z]{2,}|the\s+(?:owner|boss))\s+(?P<how>asked\s+if\s+we\s+could|wants|would\s+like|'d\s+like|needs)\s+(?:an?\s+(?:(?P<ping>ping)|(?P<told>notification|heads-up|alert))\b)?")
        .expect("valid regex")
});

// The channels that reach the client.
static CLIENT_CHANNEL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:call|e-?mail|sms|text|whats\s?app)$").expect("valid regex")
});

static TO_BE_TOLD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^to\s+be\s+(?:notified|told|informed|alerted|pinged)\b").expect("valid regex")
});

// What "we" must do, said as the order it is: "when a deal is won we need to create a
// task", "..., we should tag it". Not after "if" or "when" ("if we need to call them"
// is a condition) nor "so" (a purpose).
static WE_NEED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<before>\b[a-z']+[,;:]?\s+|^\s*)we\s+(?:(?:will\s+|'ll\s+)?need\s+to|have\s+to|must|should|got\s+to|gotta)\s+(?:also\s+)?(?P<verb>[a-z]+)\b")
        .expect("valid regex")
});

/// `text` with each order "we" must carry out said as the order.
pub(super) fn we_need(text: Cow<'_, str>) -> Cow<'_, str> {
    if !super::contains_ci(&text, "we ") {
        return text;
    }
    let out = WE_NEED.replace_all(&text, |c: &regex::Captures<'_>| {
        let before = c["before"]
            .trim()
            .trim_end_matches([',', ';', ':'])
            .to_ascii_lowercase();
        if [
            "if", "when", "whenever", "once", "unless", "so", "because", "until",
        ]
        .contains(&before.as_str())
            || !crate::nl::offline::words::has_action_verb(&c["verb"].to_ascii_lowercase())
        {
            return c[0].to_owned();
        }
        format!("{}{}", &c["before"], &c["verb"])
    });
    match out {
        Cow::Borrowed(_) => text,
        Cow::Owned(o) => Cow::Owned(o),
    }
}

/// The wish for a thing that `who` wants, the thing ending at `thing` in `rest`: "a task
/// when a deal is won" is "I want a task for Tom when a deal is won".
fn wanted_for(rest: &str, thing: usize, who: &str) -> String {
    format!("I want {} for {who}{}", &rest[..thing], &rest[thing..])
}

/// [`relayed`]'s wish said after the event: read as the request, as at the start.
fn relayed_within(text: Cow<'_, str>) -> Cow<'_, str> {
    if !["wants", "like", "needs", "asked"]
        .iter()
        .any(|w| text.contains(w))
    {
        return text;
    }
    let Some(c) = RELAYED_WITHIN.captures(&text) else {
        return text;
    };
    let who = &c["who"];
    let boss = who.starts_with("the ");
    let at = c.get(0).map_or(0..0, |m| m.range());
    let head = &text[..c.name("pre").map_or(at.start, |m| m.end())];
    let rest = &text[at.end..];
    // "When the deal is won, Sales wants ...": a team's wish is asked about.
    if !boss && (TEAMS.is_match(who) || NOT_RELAYERS.iter().any(|w| w.eq_ignore_ascii_case(who))) {
        return text;
    }
    let read = if c["how"].starts_with("asked") {
        rest.to_owned()
    } else if c.name("ping").is_some() || c.name("told").is_some() || TO_BE_TOLD.is_match(rest) {
        // "Gareth needs a ping", "Sarah wants to be told".
        let rest = TO_BE_TOLD.replace(rest, "");
        if boss {
            return text;
        }
        let verb = if c.name("ping").is_some() {
            "ping"
        } else {
            "notify"
        };
        format!("{verb} {who} {}", rest.trim_start())
    } else if c["how"].starts_with("needs") || rest.starts_with("to ") {
        // "Sarah needs to approve it" is her work, not the workflow's.
        return text;
    } else if let Some(t) = WANTED_THING
        .captures(rest)
        .filter(|t| t.name("named").is_none())
    {
        // "Mr Patel wants a task": his. "Gareth wants an sms out to them" goes to the
        // client whoever wants it, and is read as the wish it is.
        let thing = t.get(0).map_or(0, |m| m.end());
        if CLIENT_CHANNEL.is_match(&rest[..thing]) {
            format!("I want {rest}")
        } else if boss {
            return text;
        } else {
            wanted_for(rest, thing, who)
        }
    } else {
        format!("I want {rest}")
    };
    Cow::Owned(format!("{head} {read}"))
}

fn relayed_first(text: Cow<'_, str>) -> Cow<'_, str> {
    if let Some(m) = SYSTEM_TO.find(&text) {
        return Cow::Owned(text[m.end()..].to_owned());
    }
    let (c, from) = match RELAYED_FROM.captures(&text) {
        Some(c) => (c, true),
        None => match RELAYED_BY.captures(&text) {
            Some(c) => (c, false),
            None => return text,
        },
    };
    let who = c.name("who").map_or("", |m| m.as_str());
    // "Boss wants it so that ...", "the owner asked if we could ...": who asked, when the
    // request is said whole after it. "the owner wants a notification" may mean the
    // record's owner, and is asked about.
    let boss = ["boss", "owner", "the boss", "the owner"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(who));
    if !boss && NOT_RELAYERS.iter().any(|w| w.eq_ignore_ascii_case(who)) {
        return text;
    }
    let rest = &text[c.get(0).map_or(0, |m| m.end())..];
    // "a task for himself": the speaker, when it is a person. "to him" is the speaker
    // only when no one else is named after.
    let person = who.chars().next().is_some_and(char::is_uppercase) && !TEAMS.is_match(who);
    let others = NAMED.is_match(rest);
    let rest = if person {
        HIMSELF
            .replace_all(rest, |h: &regex::Captures| {
                if h.name("plain").is_some() && others {
                    return h[0].to_owned();
                }
                let prep = h[0].split_whitespace().next().unwrap_or("for");
                format!("{prep} {who}")
            })
            .into_owned()
    } else {
        rest.to_owned()
    };
    // "According to Raj, if a deal is lost, he wants a task for himself": what the
    // speaker wants is the request.
    let rest = SPEAKER_WANTS.replace_all(&rest, "").into_owned();
    let how = c
        .name("how")
        .map_or("", |m| m.as_str())
        .to_ascii_lowercase();
    let read = if from
        || how.is_empty()
        || how.starts_with("said")
        || how.starts_with("says")
        || how.contains("we could")
    {
        rest
    } else if boss && (c.name("notified").is_some() || c.name("made").is_some()) {
        return text;
    } else if c.name("notified").is_some() {
        format!("notify {who} {rest}")
    } else if c.name("made").is_some() {
        format!("make {who} responsible {rest}")
    } else if how.ends_with("that") || how.ends_with(" so") {
        format!("I want that {rest}")
    } else if how.starts_with("asked if") {
        // "Ines asked if lost deals could send the student a short SMS": what she asked
        // could happen, should.
        match rest.find(" could ") {
            Some(at) => format!("{} should {}", &rest[..at], &rest[at + 7..]),
            None => return text,
        }
    } else if let Some(t) = WANTED_THING
        .captures(&rest)
        .filter(|t| t.name("named").is_none())
    {
        // "Tom wants a task when a deal is won": a task, a reminder or a message wanted
        // with no one named for it is for the one who wants it; a team's wish ("Sales
        // wants a notification") is asked about.
        if !person || boss {
            return text;
        }
        wanted_for(&rest, t.get(0).map_or(0, |m| m.end()), who)
    } else {
        format!("I want {rest}")
    };
    Cow::Owned(read)
}

static FILLER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:u+m+|u+h+m*|hm+|er+m+|er)\b(?:\s+you\s+know\b)?(?:\s*[.,]+)?\s*|,\s*like\s*,|\bbasically\b(?:\s*,)?\s*|\b(?:just\s+so\s+)?you\s+know\s*,\s*")
        .expect("valid regex")
});

// What a chatty message says to its reader along the way: "if that makes sense", "haha",
// "True story.", "per our process", the "Oh and" that opens an afterthought, and the
// hesitation before a request ("Not sure if this is possible but", "If it's not too
// much trouble,", "I think it would be good if", "I would like it if", "I reckon", "I'd
// be ever so grateful if you could", "please be so kind to"), and South Asian English's
// "do one thing," before what to do, the "apparently" of a request passed on, the
// interjections an Arabic speaker carries into English ("yalla", "inshallah", "ya3ni")
// and "please do the needful" (do what is asked), ", you see,", ", bless them", ", I'm
// afraid", and who is writing, first ("Pauline from the parish office.", "Gwen at the
// food bank here."). None of it is part of the request.
static CHAT_FILLER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i),?\s*\(?\bif\s+that\s+makes\s+(?:any\s+)?sense\b\)?|\bnot\s+sure\s+if\s+(?:this|that|it)(?:\s+is|'s)\s+(?:possible|doable)\s*,?\s*(?:but\s+)?|,?\s*\bif\s+(?:it'?s|it\s+is|that'?s|that\s+is)\s+not\s+too\s+much\s+(?:trouble|bother)\s*,?\s*|\bbe\s+so\s+kind\s+(?:as\s+)?to\s+|\b(?:i|we)(?:'d|\s+would)\s+be\s+(?:ever\s+so\s+|very\s+|most\s+|really\s+|so\s+|truly\s+)?(?:grateful|obliged|thankful|glad)\s+if\s*,?\s*(?:(?:you|we)\s+(?:could|would|can)\s+(?:please\s+|kindly\s+)?)?|\bi\s+(?:think|thought|feel)\s+it\s+would\s+be\s+(?:good|nice|great|helpful|lovely|useful|handy)\s+if\s*,?\s*|\bit\s+would\s+be\s+(?:good|nice|great|helpful|lovely|useful|handy)\s+if\s*,?\s*|\bi\s+would\s+(?:like|love)\s+it\s+if\s*,?\s*|\bi\s+(?:think|thought|feel)\s+it\s+would\s+be\s+(?:good|nice|great|helpful|lovely|useful|handy)\s+to\s+|,?\s*\(?\b(?:as\s+)?per\s+(?:our|the|usual)\s+(?:usual\s+|standard\s+)?(?:process|procedure|sop|playbook)\b\)?|\s*\b(?:haha+|hehe|lol)\b|\btrue\s+story\s*[.!]+\s*|^\s*(?:oh\s+and\s+)?(?:one\s+more\s+thing\s*[-,:\x{2013}\x{2014}]\s*)|(?:^|\b)oh\s*(?:,\s*|\s+and\s+)|^\s*(?:hi|hello)\s+again\s*[!,.]*\s*|^\s*(?:(?:hi|hello|hey|morning|good\s+morning)(?:\s+there)?\s*[!,.]+\s*)?(?:it's\s+|this\s+is\s+)?(?-i:[A-Z][a-z]+)(?:\s+(?-i:[A-Z][a-z]+))?\s+(?:from|at|here\s+at|here\s+from)\s+(?:the|our)\s+[^.!?\x01\x02]{1,60}?(?:\s+here)?\s*[.!]+\s+|^\s*i\s+(?:reckon|guess|figure|suppose)\s*(?:that\s+)?,?\s*|\b(?:please\s+|kindly\s+)?do\s+one\s+thing\s*[,:;.-]?\s*|\bapparently\b\s*,?\s*|\b(?:yallah?|ya3ni|inshallah|insha'?\s?allah|in\s+sha\s+allah|khalas|wallahi?|mashallah|masha'?\s?allah)\b\s*[,!]*\s*|\b(?:(?:please|kindly)\s+)?do\s+the\s+needful\b\s*[,:;.-]?\s*|,\s*you\s+see\s*,|,\s*(?:god\s+)?bless\s+(?:him|her|them|'em)\b|,\s*i'm\s+afraid\b")
        .expect("valid regex")
});

static PAUSES: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\s*,(?:\s*,)+\s*").expect("valid regex"));

// What a request opens with before it starts: "Okay so", "Right,", and with a comma or
// "!" after it, a "Yes," or South Africa's "Ja,", "Eish," and "Shame," (sympathy).
static SPOKEN_OPENER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*(?:(?:okay|ok|right|alright|well|hey)\b\s*[,.]?\s*|(?:yes|yeah|yep|ja|eish|shame)\s*[,!]\s*)+(?:so\b\s*[,.]?\s*)?|^\s*so\b\s*[,.]?\s*")
        .expect("valid regex")
});

// "no sorry", "no wait", "no, make that", "actually no, just": the start of a correction.
static CORRECTION: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?:(?:,|\.{3}|\x{2026})\s*(?:actually\s*,?\s*)?no\b\s*[,.]?\s*(?:sorry|wait|actually|scratch\s+that)?|\s+(?:actually\s+)?no\s+(?:sorry|wait)\b(?:\s+actually\b)?|\s+sorry\s*,?\s*i\s+mean\b)\s*[,.]?\s*(?:make\s+(?:that|it)\s+|(?:i\s+mean|rather)\s*,?\s*|just\s+)?")
        .expect("valid regex")
});

// A self-correction said outright, with or without commas: what is left of one after
// `corrected` is one it could not place.
static SAID_OUTRIGHT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:no\s*,?\s*sorry|no\s*,?\s*wait|sorry\s*,?\s*i\s+mean|scratch\s+that)\b")
        .expect("valid regex")
});

/// A self-correction left in `text` (quotes lifted) that [`corrected`] could not place:
/// "assign it to Marco, no wait, she is away". Asked about, never read past.
pub(in crate::nl::offline) fn uncorrected(text: &str) -> Option<&str> {
    // Each correction says "sorry", "wait" or "scratch" (looked for without the "s", which
    // a long s would also match): most texts have none, and are not searched.
    if !["orry", "wait", "cratch"]
        .iter()
        .any(|w| super::contains_ci(text, w))
    {
        return None;
    }
    SAID_OUTRIGHT.find(text).map(|m| m.as_str())
}

static I_MEAN: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i),?\s+i\s+mean\b\s*").expect("valid regex"));

// Colloquial verbs for the orders they stand for: "flick Noah a Bitrix message", "smash
// out a WhatsApp to the client", "chuck the client a text", "bung them an email", "flag
// it with the tag", "intimate the client" (inform, in Indian English), "advise the
// manager" (as a Spanish or Portuguese speaker says "let know"), "relaunch the customer"
// (follow up, as French speakers say "relancer"), "put a reminder for the responsible",
// "drop its priority to low", "kick it over to Marco", "chuck the 'follow-up' tag on
// it", "stick a 'b2b' tag on it", "sort out a task for Jess", "give the client a ring",
// "get ahold of them" (call them); an administrator's word-for-word "put task on Nurlan
// to order materials", "make the task to Dilnoza collect copies", "write Taras in chat"
// (or "write her in chat"), "set responsible person Levan", "make the owner a reminder"
// and "make reminder to the owner" (a reminder for them); a learner's "create also a
// company", "put the deal in the phase Delivery", "put the priority to high", "a
// reminder at the manager", "a deal is gained", "a deal is closing as won", "in the
// moment when" (when), "a meeting is fixed", "without value in the field X", "..., the
// call is for Mathieu", a client's or patient's "file" (the contact, as Quebec offices
// say it); the modals "ought to" and the Southern "might could"; Singaporean and
// Malaysian English's "pls help to create", "deal won already" (and "deal already won",
// "if phone already filled"), and the "can or not?" and "lah" that close a request,
// which add nothing to it; an event's bare verb ("when contact create,", "if deal update
// already"); "let's" before an order ("let's create a quote" is "create a quote", no
// message to "us"); the Filipino "po" of respect and the Indonesian and Malay "ya" at
// the end of a phrase ("Hi po!", "Deal won po ->", "set it to Yes po", "add tag approved
// ya"), lower case only: "the PO" is a purchase order; "I'd be grateful for a comment"
// (I'd like one); "make sure the priority is set to normal", "it is requested that the
// status is set to New" (set it), and "it is requested that" or "to" before any other
// order.
static COLLOQUIAL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<send>flick|shoot|fling|smash\s+out|bang\s+out|fire\s+off)\b|\b(?:intimate|advise|relaunch)\s+(?P<informed>the|them|him|her|our|their|all|(?-i:[A-Z][a-zA-Z\x{c0}-\x{ff}]+))\b|\bkick\s+(?P<kicked>it|this|the\s+(?:deal|task|lead|ticket))\s+over\s+to\b|\b(?:flag|mark)\s+(?P<tagged>it|them|(?:the|this)\s+(?:deal|lead|contact|company|record|task))\s+with\s+(?:the|a)\s+(?:tag|label)\b|\b(?:chuck|bung|pop)\s+(?P<sent>(?:them|him|her|(?:the|our|their)\s+[a-z]+|[A-Z][a-z]+)\s+(?:a|an)\s+(?:quick\s+)?(?:text|sms|e-?mail|whats\s?app|message)\b)|\b(?P<put>chuck|stick|slap|whack|bung|pop)\s+(?P<what>(?:a|an|the)\s+(?:\x01\d+\x02\s+)?(?:tag|label|comment|note)\b)|\b(?P<make>sort\s+out|sort|knock\s+up|whip\s+up|rustle\s+up|make\s+up|put)\s+(?P<thing>(?:a|an)\s+(?:[a-z-]+\s+)?(?:task|reminder|quote|invoice|call|to-?do)\b)|\bgive\s+(?P<called>them|him|her|(?:the|our|their)\s+[a-z]+|[A-Z][a-z]+)\s+a\s+(?:quick\s+)?(?:ring|buzz|bell|tinkle|call)\b|\b(?P<reach>get)\s+a?hold\s+of\b|\b(?:make|put|set|create)\s+(?:the\s+|a\s+)?task\s+(?:to\s+(?P<tasked>(?-i:[A-Z][a-zA-Z\x{c0}-\x{ff}]+(?:\s+[A-Z][a-zA-Z\x{c0}-\x{ff}]+){0,2}))|on\s+(?P<tasked_on>[a-zA-Z\x{c0}-\x{ff}]+))\s+(?:to\s+)?|\bwrite\s+(?P<written>(?-i:[A-Z][a-zA-Z\x{c0}-\x{ff}]+)|the\s+[a-z]+|him|her|them)\s+(?:in|on|via)\s+(?:the\s+)?(?:chat|messenger)\b|\bmake\s+(?P<made_for>him|her|them|the\s+(?:responsible(?:\s+person)?|owner|manager|assignee|rep)|(?-i:[A-Z][a-zA-Z\x{c0}-\x{ff}]+))\s+(?P<made>an?\s+(?:reminder|task|call)\b)|\b(?:make|create|set|put)\s+(?:a\s+)?reminder\s+to\s+(?P<reminded>him|her|them|the\s+(?:responsible(?:\s+person)?|owner|manager|assignee|rep))\b|\bset\s+(?:the\s+)?responsible\s+person\s+(?P<owner>(?-i:[A-Z][a-zA-Z\x{c0}-\x{ff}]+))\b|\b(?P<ought>ought\s+to|might\s+could)\b|\b(?P<also_verb>create|add|send|make|set|notify|inform|assign)\s+also\b|\bput\s+(?P<placed>the\s+(?:deal|lead|record)|it)\s+(?:in|into|on|to)\s+(?:the\s+)?(?:phase|stage|status|column)\s+|\bput\s+(?P<put_field>(?:the|its)\s+(?:priority|field\s+[^,;.]+?))\s+(?:on|to|at)\s+|\b(?P<at_what>reminder|task|call)\s+at\s+(?P<at_who>the\s+(?:manager|owner|responsible|rep|assignee)|(?-i:[A-Z][a-z\x{c0}-\x{24f}]+))\b|\b(?P<gained>deal\s+(?:is|gets|was)\s+gained)\b|\b(?P<dropped>drop)\s+(?P<dropped_obj>(?:its|the|their)\s+priority)\s+to\b|\b(?:is\s+|gets\s+)?closing\s+as\s+(?P<closing>won|lost)\b|\b(?P<moment>in\s+the\s+moment\s+(?:when|that))\b|\b(?P<fixed>meeting\s+(?:is|gets|was)\s+fixed)\b|\bwithout\s+(?:a\s+|any\s+)?(?P<no_value>value)\s+(?:in|for)\s+(?:the\s+)?(?:field\s+)?|\b(?:please|pls|plz|kindly)\s+(?P<help>help)\s+(?:to\s+)?|\s*,?\s*\bcan\s+or\s+not\b\s*\??|\blet(?:'|\x{2019})s\s+|\s+(?:lah|leh|lor)\b|\b(?:make\s+sure|ensure|it\s+is\s+(?:kindly\s+)?requested\s+that)\s+(?P<set_obj>(?:the|its|their)\s+(?:[a-z-]+\s+){0,3}?)(?:is|are|gets|be)\s+(?:set|changed|updated)\s+to\b|\bit\s+is\s+(?:kindly\s+|hereby\s+)?requested\s+(?:that\s+|to\s+)|\b(?:i|we)(?:'d|\s+would)\s+be\s+(?:ever\s+so\s+|very\s+|most\s+|really\s+|so\s+)?(?:grateful|obliged|thankful|glad)\s+for\s+(?P<grateful_for>a|an|the)\b|(?-i:\s+(?:po|ya))(?P<po>\s*(?:[,.!?:;]|->|\x{2192}|$))|\b(?P<done>won|lost|updated|edited|changed|paid|overdue|approved|accepted|scheduled|booked|created|converted|completed|done)\s+already\b|\balready\s+(?P<done_pre>won|lost|updated|edited|changed|paid|overdue|approved|accepted|scheduled|booked|created|converted|completed|done|filled|filled\s+in|empty|blank)\b|\b(?P<bare_rec>deal|lead|contact|company|quote|invoice|task)\s+(?P<bare>create|update)(?:\s+already)?(?P<bare_end>\s*(?:[,.;!?]|->|\x{2192}|$))|\b(?:client|customer|patient)\s+(?P<file>file)\b|,\s+the\s+(?:call|task|reminder)\s+is\s+for\s+(?P<is_for>(?-i:[A-Z][a-zA-Z\x{c0}-\x{24f}]+)|the\s+(?:manager|owner|responsible|rep|assignee))\b")
        .expect("valid regex")
});

// The causative, opening an order: "Have a quote created for it", "get a task set up
// for Ruth", "have a reminder set for the owner". What is to be made is the order's object; "have" is no name and no event.
static CAUSATIVE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<lead>^|[.?!;:,]\s*|\b(?:and|then|also|please|should|must|will|shall)\s+)(?:please\s+)?(?:have|get)\s+(?P<obj>(?:a|an)\s+(?:[a-z-]+\s+){0,2}?(?P<noun>task|to-?do|reminder|call|comment|note|deal|quote|invoice|contact|company|sms|text|e-?mail|whatsapp|notification|message))\s+(?:created|made|set\s+up|set|added|opened|drafted|prepared|raised|issued|generated|booked|scheduled|sent|left|logged|posted|put\s+together)\b")
        .expect("valid regex")
});

// A chat message's own words: "@Anna can you ...", "msg @Olga in chat", "fyi finance
// asked for this", "asap", "pls auto create the invoice".
static ADDRESSEE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^\s*@[A-Za-z][\w.-]*\s*[,:\-]?\s*").expect("valid regex"));
static MENTION: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?:^|(?P<pre>[\s(]))@(?P<name>[A-Za-z][\w-]*)").expect("valid regex")
});
static FYI: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?:[,;]\s*|\s+-\s+|\s+)\bfyi\b[^.!?\n\x01]*").expect("valid regex")
});
static ASAP: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\s*\b(?:asap|a\.s\.a\.p\.)(?:\s+please)?\b").expect("valid regex")
});
// "set its priority to high pls, ...": a courtesy word closing a clause is no part of
// the value or the name before it ("many thanks" goes whole); nor is "as well" ("update
// the prices as well." read "well" as the value).
static TRAILING_PLEASE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?:\s+many)?\s+(?:please|pls|plz|thx|thanks|as\s+well)(?P<end>\s*[,.;!?\n]|\s*$)")
        .expect("valid regex")
});
// "tag fb-engaged ta", "... to Priya cheers": thanks as the text's last word, with no
// comma before it, is a sign-off and not part of the last value. Not after a word that
// wants a name ("assign to Ta").
static TRAILING_THANKS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?P<before>\b[\w-]+)\s+(?:ta|[Cc]heers|ty)[.!]*\s*$").expect("valid regex")
});

// Slang that says how sure or how casual the writer is: "no cap we need this", "lowkey
// the reporting depends on it", "notify Marcus, thats it fr". Between two phrases it
// is a pause; at a clause's end, nothing.
static SLANG: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\s+(?:no\s+cap|ngl|lowkey|tbh|deadass|istg|fr\s+fr)\s+(?P<next>[a-z])|\s+(?:no\s+cap|ngl|lowkey|tbh|deadass|istg|fr|fr\s+fr|lol|lmao)(?P<end>\s*[,.;!?]|\s*$)")
        .expect("valid regex")
});
// "deal won ah, WhatsApp client ...", "Lost deal la... SMS ...": the particles Hong Kong
// and Singapore English ends a phrase with that are also words or names elsewhere, so
// read only in lower case at a phrase's end (not "LA", a place). "lah", "leh" and "lor"
// are nothing else and [`COLLOQUIAL`] drops them anywhere.
static PARTICLE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\s+(?:ah|la|loh)(?P<end>\s*[,.;!?]|\s*$)").expect("valid regex"));
// "set its priority to high by default": a workflow sets it every time anyway.
static BY_DEFAULT: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\s+by\s+default\b").expect("valid regex"));
// "No body needed", "no body for now": an e-mail's body left to its default, which is
// what a label without one says; read as a clause, "No" was another e-mail's recipient.
static NO_BODY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)[,.;(-]?\s*\bno\s+body\b(?:\s+(?:is\s+)?(?:needed|required|necessary|for\s+now|yet))?(?:\s+(?:she|he|they)\s+says)?\s*\)?(?P<end>[.;!]?)")
        .expect("valid regex")
});
// "(POST, she says)", "Nice touch, I think.", "Speed to lead, they keep saying.": who
// said it, after what was said, at the end of a clause; it asks for nothing.
static SPEECH_TAG: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i),?\s*\b(?:(?:she|he|they)\s+(?:says|said|insists|insisted|keeps?\s+saying)|i\s+(?:think|believe|guess|reckon))\s*(?P<end>[.;!)]|$)")
        .expect("valid regex")
});
static AUTO_VERB: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\bauto[\s-](?P<verb>create|add|assign|send|tag|move|set|make|open|generate|schedule|post|notify)\b").expect("valid regex")
});

// "won deal = assign it to Priya", "company updated = add comment 'verify VAT'": an
// equals sign after the event, before an order, is the arrow of a note.
static EQUALS_ORDER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^(?P<left>\s*[a-z][a-z' -]{2,40}?)\s+=\s+(?P<verb>[a-z]+)\s")
        .expect("valid regex")
});

/// The equals sign of a note ("deal lost = send Kim a chat message") as its arrow. Not
/// a field's value ("source = Email").
fn equals_arrow(text: String) -> String {
    let Some(c) = EQUALS_ORDER.captures(&text) else {
        return text;
    };
    let left = c["left"].to_ascii_lowercase();
    let field = [
        "source", "status", "stage", "amount", "field", "priority", "type", "value", "sum",
        "title", "name", "city", "country",
    ]
    .iter()
    .any(|f| left.split_whitespace().any(|w| w == *f));
    let verb = c["verb"].to_ascii_lowercase();
    if field || crate::nl::offline::words::first_action_verb(&verb, 0) != Some(0) {
        return text;
    }
    let (Some(l), Some(v)) = (c.name("left"), c.name("verb")) else {
        return text;
    };
    format!("{} -> {}", l.as_str(), &text[v.start()..])
}

/// A team chat's own words read as the request: the colleague it is addressed to
/// ("@Anna can you ...") is not in it, a mentioned colleague is a name ("msg @Olga"),
/// a "fyi" note is said to the reader, "asap" asks for nothing the workflow can do
/// (it runs at once), and "auto create" is "create".
pub(super) fn chat(text: String) -> String {
    let text = if text.contains(" = ") {
        equals_arrow(text)
    } else {
        text
    };
    let text = if ["please", "pls", "plz", "thx", "thanks", "as well"]
        .iter()
        .any(|w| super::contains_ci(&text, w))
    {
        TRAILING_PLEASE.replace_all(&text, "$end").into_owned()
    } else {
        text
    };
    let tail = text.trim_end_matches(|c: char| c == '.' || c == '!' || c.is_whitespace());
    let text = if (tail.ends_with(" ta")
        || tail.ends_with(" ty")
        || tail.to_ascii_lowercase().ends_with(" cheers"))
        && let Some(c) = TRAILING_THANKS.captures(&text)
        && !["to", "for", "with", "and", "cc", "from", "by"]
            .contains(&c["before"].to_ascii_lowercase().as_str())
    {
        let end = c.name("before").map_or(0, |m| m.end());
        text[..end].to_owned()
    } else {
        text
    };
    let text = if [" ah", " la", " lo"].iter().any(|w| text.contains(w)) {
        PARTICLE.replace_all(&text, "$end").into_owned()
    } else {
        text
    };
    let text = if [
        "cap", "ngl", "lowkey", "tbh", "fr", "deadass", "istg", "lol", "lmao",
    ]
    .iter()
    .any(|w| super::contains_ci(&text, w))
    {
        SLANG
            .replace_all(&text, |c: &regex::Captures<'_>| match c.name("next") {
                Some(next) => format!(", {}", next.as_str()),
                None => c.name("end").map_or("", |e| e.as_str()).to_owned(),
            })
            .into_owned()
    } else {
        text
    };
    let text = if [
        " says", " said", " insist", " saying", " think", " believe", " guess", " reckon",
    ]
    .iter()
    .any(|w| super::contains_ci(&text, w))
    {
        SPEECH_TAG.replace_all(&text, "$end").into_owned()
    } else {
        text
    };
    let text = if super::contains_ci(&text, "no body") {
        NO_BODY.replace_all(&text, "$end").into_owned()
    } else {
        text
    };
    let text = if super::contains_ci(&text, "by default") {
        BY_DEFAULT.replace_all(&text, "").into_owned()
    } else {
        text
    };
    if !text.contains('@')
        && !super::contains_ci(&text, "fyi")
        && !super::contains_ci(&text, "asap")
        && !super::contains_ci(&text, "auto")
    {
        return text;
    }
    let text = match ADDRESSEE.find(&text) {
        Some(m) => text[m.end()..].to_owned(),
        None => text,
    };
    let text = MENTION.replace_all(&text, "$pre$name").into_owned();
    let text = FYI.replace_all(&text, "").into_owned();
    let text = ASAP.replace_all(&text, "").into_owned();
    AUTO_VERB.replace_all(&text, "$verb").into_owned()
}

// "subject, 'Payment reminder'": a field named, a pause, then its value.
static FIELD_PAUSE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<field>subject(?:\s+line)?|title|body|saying|called|named)\s*,\s*(?P<q>\x01\d+\x02)")
        .expect("valid regex")
});

// "Escalate to Dana: ping her in chat": the escalation is said by the order after the
// colon, whose pronoun is the one escalated to.
static ESCALATE_TO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\bescalate\s+(?:it\s+)?to\s+(?P<who>(?-i:[A-Z][a-z]+)|the\s+[a-z]+(?:\s+[a-z]+)?)\s*:\s*(?P<verb>[a-z]+)\s+(?:him|her|them)\b")
        .expect("valid regex")
});

/// Colloquial verbs as the orders they stand for (and the causative "have a quote
/// created"), and a field's name set off from its quoted value by a pause.
pub(super) fn colloquial(text: String) -> String {
    let text = if super::contains_ci(&text, "escalate") {
        ESCALATE_TO
            .replace_all(&text, |c: &regex::Captures<'_>| {
                if crate::nl::offline::words::has_action_verb(&c["verb"].to_ascii_lowercase()) {
                    format!("{} {}", &c["verb"], &c["who"])
                } else {
                    c[0].to_owned()
                }
            })
            .into_owned()
    } else {
        text
    };
    let text = if text.contains(',') && text.contains('\x01') {
        FIELD_PAUSE.replace_all(&text, "$field $q").into_owned()
    } else {
        text
    };
    let text = if super::contains_ci(&text, "have ") || super::contains_ci(&text, "get ") {
        CAUSATIVE
            .replace_all(&text, |c: &regex::Captures<'_>| {
                let verb = match c["noun"].to_ascii_lowercase().as_str() {
                    "task" | "to-do" | "todo" | "deal" | "quote" | "invoice" | "contact"
                    | "company" => "create",
                    "reminder" => "set",
                    "call" => "schedule",
                    "comment" | "note" => "add",
                    _ => "send",
                };
                format!("{}{verb} {}", &c["lead"], &c["obj"])
            })
            .into_owned()
    } else {
        text
    };
    let out = COLLOQUIAL.replace_all(&text, |c: &regex::Captures<'_>| {
        if let Some(verb) = c.name("send") {
            // "deal hits Shoot Booked stage": a capitalised word before another is part
            // of a name, not the verb.
            let in_name = verb.as_str().starts_with(char::is_uppercase)
                && text[verb.end()..]
                    .strip_prefix(' ')
                    .is_some_and(|rest| rest.starts_with(char::is_uppercase));
            if in_name { verb.as_str() } else { "send" }.to_owned()
        } else if let Some(kicked) = c.name("kicked") {
            format!("hand {} over to", kicked.as_str())
        } else if let Some(informed) = c.name("informed") {
            format!("inform {}", informed.as_str())
        } else if let Some(tagged) = c.name("tagged") {
            format!("tag {}", tagged.as_str())
        } else if let Some(sent) = c.name("sent") {
            format!("send {}", sent.as_str())
        } else if let Some(who) = c.name("called") {
            format!("call {}", who.as_str())
        } else if let Some(what) = c.name("what") {
            format!("put {}", what.as_str())
        } else if c.name("reach").is_some() {
            "call".to_owned()
        } else if let Some(who) = c.name("tasked").or_else(|| c.name("tasked_on")) {
            // "put a task on the deal to ...", "a task on Monday", "put the task on hold":
            // a task on a record, a day or a state, not for a person.
            if on_no_one(who.as_str()) {
                c[0].to_owned()
            } else {
                format!("create a task for {} to ", who.as_str())
            }
        } else if let Some(who) = c.name("written") {
            format!("message {} in chat", who.as_str())
        } else if let Some(who) = c.name("owner") {
            format!("set responsible {}", who.as_str())
        } else if let Some(verb) = c.name("also_verb") {
            format!("also {}", verb.as_str())
        } else if let Some(placed) = c.name("placed") {
            format!("move {} to the stage ", placed.as_str())
        } else if let Some(field) = c.name("put_field") {
            format!("set {} to ", field.as_str())
        } else if let (Some(what), Some(who)) = (c.name("at_what"), c.name("at_who")) {
            format!("{} for {}", what.as_str(), who.as_str())
        } else if c.name("moment").is_some() {
            "when".to_owned()
        } else if c.name("gained").is_some() {
            "deal is won".to_owned()
        } else if c.name("fixed").is_some() {
            "meeting is scheduled".to_owned()
        } else if c.name("no_value").is_some() {
            "with no ".to_owned()
        } else if c.name("help").is_some() {
            "please ".to_owned()
        } else if let Some(done) = c.name("done").or(c.name("done_pre")) {
            done.as_str().to_owned()
        } else if let (Some(rec), Some(verb)) = (c.name("bare_rec"), c.name("bare")) {
            // "when contact create,", "if deal update already": the bare verb of an event.
            let end = c.name("bare_end").map_or("", |m| m.as_str());
            format!("{} {}d{end}", rec.as_str(), verb.as_str())
        } else if c.name("file").is_some() {
            "contact".to_owned()
        } else if let Some(who) = c.name("is_for") {
            format!(" for {}", who.as_str())
        } else if let Some(modal) = c.name("ought") {
            if modal.as_str().eq_ignore_ascii_case("might could") {
                "could"
            } else {
                "should"
            }
            .to_owned()
        } else if let Some(thing) = c.name("grateful_for") {
            format!("I'd like {}", thing.as_str())
        } else if let Some(obj) = c.name("set_obj") {
            format!("set {}to", obj.as_str())
        } else if let Some(after) = c.name("po") {
            after.as_str().to_owned()
        } else if let Some(what) = c.name("dropped_obj") {
            format!("set {} to", what.as_str())
        } else if let Some(outcome) = c.name("closing") {
            format!("is closed as {}", outcome.as_str())
        } else if let (Some(made), Some(whom)) = (c.name("made"), c.name("made_for")) {
            format!("make {} for {}", made.as_str(), whom.as_str())
        } else if let Some(whom) = c.name("reminded") {
            format!("set a reminder for {}", whom.as_str())
        } else if let Some(thing) = c.name("thing") {
            format!("create {}", thing.as_str())
        } else {
            // "can or not?", "lah": said to the reader, read past.
            String::new()
        }
    });
    let out = match out {
        Cow::Owned(out) => out,
        Cow::Borrowed(_) => text,
    };
    if super::contains_ci(&out, "can ") {
        CAN_ORDER.replace_all(&out, "$pre$verb").into_owned()
    } else {
        out
    }
}

// "if deal already won, can send WhatsApp to customer": "can" opening an order (after a
// comma, "then" or "please", with no one before it who can) says it may be done, which
// a workflow does. A pass of its own: the event before it has often just been rewritten
// ("if company update, can set ...").
static CAN_ORDER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<pre>^\s*|[,;:]\s*|\b(?:then|pls|please|kindly)\s+)can\s+(?P<verb>send|set|create|add|make|assign|move|notify|inform|tag|remove|change|update|give|email|e-mail|sms|whatsapp|text|schedule|open|put|post|write|tell|remind|let)\b")
        .expect("valid regex")
});

// "Upon a deal being won", "on an invoice becoming overdue", "upon a deal entering the
// stage 'X'": a policy's event, as a participle after "upon".
static UPON_ING: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:upon|on)\s+(?P<np>(?:a|an|the|any)\s+[a-z'-]+(?:\s+[a-z'-]+){0,2}?)\s+(?P<v>being|becoming|falling|entering|reaching|moving|going|getting|turning)\b")
        .expect("valid regex")
});

// "Upon scheduling a meeting", "after creating a quote": the event as a gerund with its
// record.
static UPON_GERUND: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:upon|on|after)\s+(?P<v>scheduling|booking|creating|adding|completing|approving|accepting|converting|paying|updating|editing|winning|losing)\s+(?P<np>(?:a|an|the|any)\s+(?:new\s+)?[a-z'-]+)\b")
        .expect("valid regex")
});

// "Creating a quote now adds the comment ...", "moving a deal to Negotiation now also
// creates a quote", "converting a lead should create a company": the event as the
// subject of what the workflow does.
static GERUND_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^(?P<v>creating|adding|completing|approving|accepting|converting|paying|updating|editing|moving|scheduling|booking|winning|losing)\s+(?P<np>(?:a|an|the)\s+[a-z'-]+)(?P<to>\s+(?:to|into)\s+[^,]+?)?\s+(?:now\s+)?(?:also\s+)?(?:(?P<modal>should|will|must|shall|would|needs\s+to|has\s+to)\s+(?:(?:now|also|automatically|always)\s+)?)?(?P<verb>[a-z]+)\b")
        .expect("valid regex")
});

// "... and creates an invoice", "and also pings Marco": a second verb of the same subject.
static AND_VERB: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\band\s+(?:also\s+)?(?P<verb>[a-z]+s)\b").expect("valid regex"));

fn participle(gerund: &str) -> Option<&'static str> {
    Some(match gerund.to_ascii_lowercase().as_str() {
        "scheduling" => "scheduled",
        "booking" => "booked",
        "creating" => "created",
        "adding" => "added",
        "completing" => "completed",
        "approving" => "approved",
        "accepting" => "accepted",
        "converting" => "converted",
        "paying" => "paid",
        "updating" => "updated",
        "editing" => "edited",
        "moving" => "moved",
        "winning" => "won",
        "losing" => "lost",
        _ => return None,
    })
}

/// The simple present of an event's "-ing" form: "entering" is "enters", "paying" is
/// "pays" (`formats::learner` reads "when client is paying" with it).
pub(super) fn finite(participle: &str) -> Option<&'static str> {
    Some(match participle.to_ascii_lowercase().as_str() {
        "being" => "is",
        "becoming" => "becomes",
        "falling" => "falls",
        "entering" => "enters",
        "reaching" => "reaches",
        "moving" => "moves",
        "going" => "goes",
        "getting" => "gets",
        "turning" => "turns",
        "changing" => "changes",
        "editing" => "edits",
        "updating" => "updates",
        "modifying" => "modifies",
        "paying" => "pays",
        "settling" => "settles",
        "approving" => "approves",
        "accepting" => "accepts",
        "signing" => "signs",
        "booking" => "books",
        "scheduling" => "schedules",
        "creating" => "creates",
        "adding" => "adds",
        "logging" => "logs",
        "opening" => "opens",
        "closing" => "closes",
        "converting" => "converts",
        "completing" => "completes",
        "finishing" => "finishes",
        _ => return None,
    })
}

/// The order a verb in the third person gives ("creates" -> "create"), when it is one.
fn imperative(verb: &str) -> Option<String> {
    let lower = verb.to_ascii_lowercase();
    let base = if let Some(stem) = lower.strip_suffix("ies") {
        format!("{stem}y")
    } else if ["shes", "ches", "xes", "sses"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        lower[..lower.len() - 2].to_owned()
    } else {
        lower.strip_suffix('s')?.to_owned()
    };
    (crate::nl::offline::words::first_action_verb(&base, 0) == Some(0)).then_some(base)
}

// The system as the subject of an order, opening a clause: "the system texts the tenant
// 'Done'", "the CRM will leave a comment", "Bitrix then pings the team", "the system
// shall send ...", "the CRM must create a task" (a requirements document's way), "the
// computer could email the parent" (as someone unsure of the software names it).
static SYSTEM_DOES: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<lead>^|[.?!;:,]\s*|\b(?:and|then|so)\s+)(?:the\s+)?(?:system|crm|bitrix24|bitrix|portal|robot|automation|computer)\s+(?P<aux>(?:(?:will|shall|should|must|could|would|can|then|also|automatically|just|please|instantly|immediately|(?:needs|has|is)\s+to|is\s+(?:required|expected)\s+to)\s+)*)(?P<verb>[a-z]+)\b")
        .expect("valid regex")
});

// The system and a modal before a comma: "The system shall, whenever ...".
static SYSTEM_MUST_COMMA: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<lead>^|[.?!;:]\s*)(?:the\s+)?(?:system|crm|bitrix24|bitrix|portal|robot|automation)\s+(?:will|shall|should|must)\s*,\s*")
        .expect("valid regex")
});

/// What the system is said to do, as the order it is: "the system texts the tenant" is
/// "text the tenant". A verb that is no order ("the system is slow") is left as said.
fn system_does(text: String) -> String {
    if ![
        "system",
        "crm",
        "bitrix",
        "portal",
        "robot",
        "automation",
        "computer",
    ]
    .iter()
    .any(|w| super::contains_ci(&text, w))
    {
        return text;
    }
    // "The system shall, whenever a deal is created, notify ...": the order comes after
    // the event put between; the subject and its modal say nothing of their own.
    let text = match SYSTEM_MUST_COMMA.replace_all(&text, "${lead}") {
        Cow::Owned(t) => t,
        Cow::Borrowed(_) => text,
    };
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for c in SYSTEM_DOES.captures_iter(&text) {
        let (Some(all), Some(verb)) = (c.get(0), c.name("verb")) else {
            continue;
        };
        if all.start() < last {
            continue;
        }
        let modal = [
            "will", "shall", "should", "must", "could", "would", "can", "to",
        ]
        .iter()
        .any(|m| {
            c["aux"]
                .to_ascii_lowercase()
                .split_whitespace()
                .any(|w| w == *m)
        });
        let lower = verb.as_str().to_ascii_lowercase();
        let order = if modal {
            (crate::nl::offline::words::first_action_verb(&lower, 0) == Some(0)).then_some(lower)
        } else {
            imperative(verb.as_str())
        };
        let Some(order) = order else {
            continue;
        };
        out.push_str(&text[last..all.start()]);
        out.push_str(&c["lead"]);
        out.push_str(&order);
        // "robot sets the field ... and leaves a comment": the system does the second
        // order too, up to the sentence's end.
        let rest = &text[all.end()..];
        let sentence = rest.find(['.', '?', '!', '\n']).unwrap_or(rest.len());
        let joined =
            AND_VERB.replace_all(
                &rest[..sentence],
                |a: &regex::Captures<'_>| match imperative(&a["verb"]) {
                    Some(v) => format!("and {v}"),
                    None => a[0].to_owned(),
                },
            );
        out.push_str(&joined);
        last = all.end() + sentence;
    }
    if last == 0 {
        return text;
    }
    out.push_str(&text[last..]);
    out
}

// A contract's way of writing a request: "shall" for "should"; "forthwith", "hereby" and
// "thereon", which add nothing; ", hereinafter the Matter," naming the record; "the
// priority thereof" (its priority); "the same shall be moved" (it should be); "the amount
// of the deal"; "provided that" (if); the event as a noun ("upon the creation of a deal",
// "upon receipt of payment of an invoice", "upon any amendment to a lead", "upon
// conversion thereof"); and "... and the tag 'x' applied", "a comment 'x' shall be
// recorded", with the verb of the order left out or said as a clerk would.
static LEGAL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:upon|on|following|after)\s+(?:the\s+)?(?P<nom>creation|approval|acceptance|conversion|loss|completion|scheduling|booking|signing)(?:\s+of\s+(?P<nom_np>(?:a|an|the|any|each|every)\s+(?:new\s+)?[a-z-]+)|\s+(?P<nom_it>thereof))\b|\b(?:upon|on|following|after)\s+(?:any\s+|every\s+|each\s+|an\s+|the\s+)?(?:amendment|update|change|modification|edit)s?\s+(?:to|of)\s+(?P<upd_np>(?:a|an|the|any|each|every|its)\s+[a-z-]+)\b|\b(?:upon|on|following)\s+(?:the\s+)?receipt\s+of\s+(?P<paid>payment\s+(?:of|for)\s+)?(?P<rcv_np>(?:a|an|the|any)\s+(?:new\s+)?[a-z-]+)\b|\b(?P<shall>shall)\b|\s*\b(?:forthwith|hereby|thereupon|henceforth)\b|\s*,\s*hereinafter\s+(?:referred\s+to\s+as\s+|called\s+)?(?:the\s+)?(?:[a-z]+|\x01\d+\x02)\s*,|\s*\(\s*hereinafter\s+(?:referred\s+to\s+as\s+|called\s+)?(?:the\s+)?(?:[a-z]+|\x01\d+\x02)\s*\)|\bthe\s+(?P<of_field>[a-z]+)\s+thereof\b|\s+(?:thereon|therein|thereto|thereof)\b|\bthe\s+(?P<amt>amount|value|total|source|stage|status)\s+of\s+the\s+(?P<amt_rec>deal|lead|invoice|quote)\b|\b(?P<prov_that>provided\s+that)\b|\bprovided\s+(?P<prov>the|a|an|its|any|each|every)\b|\bthe\s+same\s+(?:shall|should|must|will)\s+be\s+(?P<same>moved|set|assigned|reassigned|tagged|marked|changed)\b|\band\s+(?:the|a)\s+(?P<ell>tag|label|comment|note)\s+(?P<ell_q>\x01\d+\x02)\s+(?:applied|added|recorded|attached|left)\b|\b(?P<rec>comment|note)\s+(?P<rec_q>\x01\d+\x02)\s+(?P<rec_modal>shall|should|must|will)\s+be\s+(?:recorded|logged|entered|made|placed|posted|noted)\b")
        .expect("valid regex")
});

/// Reads a request written like a contract's clause (see [`LEGAL`]) in plain words.
fn legal(text: String) -> String {
    let cue = [
        "shall",
        "forthwith",
        "hereby",
        // "thereof", "thereon", "therein".
        "there",
        "hereinafter",
        "provided",
        "upon",
        "receipt",
        "amendment",
        " applied",
        "recorded",
        "amount of the",
        "following",
        "henceforth",
        "the same",
        "source of the",
    ];
    if !cue.iter().any(|w| super::contains_ci(&text, w)) {
        return text;
    }
    let out = LEGAL.replace_all(&text, |c: &regex::Captures<'_>| {
        if let Some(nom) = c.name("nom") {
            let done = match nom.as_str().to_ascii_lowercase().as_str() {
                "creation" => "created",
                "approval" => "approved",
                "acceptance" => "accepted",
                "conversion" => "converted",
                "loss" => "lost",
                "completion" => "completed",
                "scheduling" => "scheduled",
                "booking" => "booked",
                _ => "signed",
            };
            let np = c.name("nom_np").map_or("it", |m| m.as_str());
            format!("when {np} is {done}")
        } else if let Some(np) = c.name("upd_np") {
            format!("when {} is updated", np.as_str())
        } else if let Some(np) = c.name("rcv_np") {
            if c.name("paid").is_some() {
                format!("when {} is paid", np.as_str())
            } else {
                format!("when {} arrives", np.as_str())
            }
        } else if let Some(done) = c.name("same") {
            format!("it should be {}", done.as_str())
        } else if c.name("shall").is_some() {
            "should".to_owned()
        } else if let Some(field) = c.name("of_field") {
            format!("its {}", field.as_str())
        } else if let (Some(amt), Some(rec)) = (c.name("amt"), c.name("amt_rec")) {
            format!("the {}'s {}", rec.as_str(), amt.as_str())
        } else if c.name("prov_that").is_some() {
            "if".to_owned()
        } else if let Some(det) = c.name("prov") {
            format!("if {}", det.as_str())
        } else if let (Some(thing), Some(q)) = (c.name("ell"), c.name("ell_q")) {
            format!("and add the {} {}", thing.as_str(), q.as_str())
        } else if let (Some(thing), Some(q)) = (c.name("rec"), c.name("rec_q")) {
            format!("{} {} should be added", thing.as_str(), q.as_str())
        } else {
            String::new()
        }
    });
    match out {
        Cow::Owned(out) => out,
        Cow::Borrowed(_) => text,
    }
}

/// A policy's or a changelog's way of naming the event: "Upon a deal being won", "upon
/// scheduling a meeting", "creating a quote now adds ...", and the system as the subject
/// of an order.
pub(super) fn formal(text: String) -> String {
    let text = system_does(legal(text));
    let text = if ["on a", "on the", "ing a"]
        .iter()
        .any(|w| super::contains_ci(&text, w))
    {
        let once = UPON_ING.replace_all(&text, |c: &regex::Captures<'_>| match finite(&c["v"]) {
            Some(f) => format!("when {} {f}", &c["np"]),
            None => c[0].to_owned(),
        });
        UPON_GERUND
            .replace_all(&once, |c: &regex::Captures<'_>| match participle(&c["v"]) {
                Some(p) => format!("when {} is {p}", &c["np"]),
                None => c[0].to_owned(),
            })
            .into_owned()
    } else {
        text
    };
    let Some(c) = GERUND_SUBJECT.captures(&text) else {
        return text;
    };
    // After a modal the verb is the order as said ("should create"); without one it is in
    // the third person ("creates").
    let order = match c.name("modal") {
        Some(_) => {
            let verb = c["verb"].to_ascii_lowercase();
            (crate::nl::offline::words::first_action_verb(&verb, 0) == Some(0)).then_some(verb)
        }
        None => imperative(&c["verb"]),
    };
    let (Some(p), Some(order)) = (participle(&c["v"]), order) else {
        return text;
    };
    let end = c.get(0).map_or(0, |m| m.end());
    let to = c.name("to").map_or("", |m| m.as_str());
    let rest = AND_VERB.replace_all(&text[end..], |a: &regex::Captures<'_>| {
        match imperative(&a["verb"]) {
            Some(v) => format!("and {v}"),
            None => a[0].to_owned(),
        }
    });
    format!("When {} is {p}{to}, {order}{rest}", &c["np"])
}

// "don't message the client, just add a comment", "never text them, but always send an
// email": what the workflow is not to do, set against what it does.
static INSTEAD_OF: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?:^|[,.;:]\s*)(?P<no>(?:don't|dont|do\s+not|never)\s+(?P<what>[^,.;:!?\n\x01]+?)\s*,\s*(?:but\s+)?(?:just|only|always|instead|rather)\s+)")
        .expect("valid regex")
});

static TRAILING_INSTEAD: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\s+instead\b").expect("valid regex"));

/// Reads past a prohibition set against the order that replaces it ("don't email anyone,
/// just bump its priority"): a workflow does only what it is told, so the prohibition
/// asks for nothing. Not one with a condition of its own ("don't email them unless ...",
/// "never ... when ..."), and not "don't forget to ...", which is an order.
pub(super) fn instead_of(text: String) -> String {
    if !(super::contains_ci(&text, "don") || super::contains_ci(&text, "never")) {
        return text;
    }
    let mut out = text.clone();
    for c in INSTEAD_OF
        .captures_iter(&text)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
    {
        let what = c["what"].to_ascii_lowercase();
        let conditional = what.split_whitespace().any(|w| {
            [
                "unless", "except", "until", "if", "when", "whenever", "once", "forget", "fail",
                "miss", "before", "after",
            ]
            .contains(&w)
        });
        if conditional {
            continue;
        }
        let Some(no) = c.name("no") else { continue };
        let rest = &out[no.end()..];
        let sentence_end = rest.find(['.', '!', '?', '\n']).unwrap_or(rest.len());
        let kept = TRAILING_INSTEAD
            .replace_all(&rest[..sentence_end], "")
            .into_owned();
        out = format!("{}{kept}{}", &out[..no.start()], &rest[sentence_end..]);
    }
    out
}

// "the customer should get an SMS: Thanks, we've got your request", "a Bitrix message:
// New job on your plate": a message named, a colon, and its text to the end.
static COLON_MESSAGE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:a|an|the|with|by|via|on|in|over)\s+(?:[\w-]+\s+){0,2}?(?:sms|text(?:\s+message)?|whats\s?app(?:\s+message)?|e-?mail|message|chat(?:\s+message)?|notification|comment)\s*:\s+(?P<msg>[^\s:][^\n:]*?)\s*$")
        .expect("valid regex")
});

/// Quotes a message's text written after a colon, at the end of a text that quotes
/// nothing: the author gave the words, only without quote marks. Three words at least,
/// so "notification: Anna" stays a recipient.
pub(super) fn colon_message(text: Cow<'_, str>) -> Cow<'_, str> {
    // An apostrophe inside a word ("we've") quotes nothing; one that opens a word does.
    let quotes = text.contains(|c| c != '\'' && super::QUOTE_MARKS.contains(&c))
        || text.match_indices('\'').any(|(i, _)| {
            text[..i]
                .chars()
                .next_back()
                .is_none_or(char::is_whitespace)
        });
    if !text.contains(": ") || quotes {
        return text;
    }
    let Some(m) = COLON_MESSAGE.captures(&text).and_then(|c| c.name("msg")) else {
        return text;
    };
    if m.as_str().split_whitespace().count() < 3 || m.as_str().contains("http") {
        return text;
    }
    Cow::Owned(format!(
        "{}\"{}\"{}",
        &text[..m.start()],
        m.as_str(),
        &text[m.end()..]
    ))
}

// "sent" for "send", as speech-to-text writes it, where an order starts: before whom or
// what is sent ("invoice overdue sent the client a whatsapp", "new contact sent them an
// sms"), and not after a subject or a form of "have" or "be" ("the client has sent the
// contract", "once they sent us the form").
static SENT_FOR_SEND: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<before>\b[\w']+\s+)sent(?P<what>\s+(?:a|an|the\s+(?:client|customer|lead|contact|patient|candidate|guest)|them|him|her|(?:a\s+)?webhook)\b)")
        .expect("valid regex")
});

// "new led", "led converted": "lead" as speech-to-text may write it.
static LED_FOR_LEAD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?P<before>\b(?:new|a|the|every|each|any)\s+|^\s*)led\b(?P<after>\s+(?:from|comes?|came|converted|created|updated|is|gets|arrives))")
        .expect("valid regex")
});

// More words speech-to-text writes for others that sound alike, each known by the word
// after it (or before): "there email is empty", "hand it over too Chloe", "right a
// comment", "a task is overdo", "a knew lead".
static SOUNDS_ALIKE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:(?P<their>there)\s+(?:email|e-mail|phone|mobile|number|address|name|details|info|deal|invoice|quote|order|booking|account)\b|(?P<to>too)\s+(?:the\b|him\b|her\b|them\b|(?-i:[A-Z]))|(?P<write>right)\s+(?:a|an)\s+(?:comment|note|message|email|e-mail)\b|(?:is|are|gets|goes|becomes)\s+(?P<overdue>overdo)\b|(?P<new>knew)\s+(?:lead|deal|contact|company|task|quote|invoice|client|customer)s?\b)")
        .expect("valid regex")
});

// Verb forms English learners write for the event's: "the deal is become won", "a task
// is create", "if task become overdue", "after lead convert", and "please to send"; and
// the turns a Spanish or Arabic speaker carries over: "must to receive" (must), "notify
// to Ximena" (notify), "let know to the finance team" (let them know), "the customer he
// has" (the customer has), "realize a call" (make one).
static LEARNER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<be>is|are|was|were|gets?)\s+become\b|\b(?P<be2>is|are|was|were|be)\s+(?P<base>create|complete|finish|convert|update|approve|win|lose|add|pay|schedule)\b|\b(?P<rec>deal|lead|task|invoice|quote|contact|company)\s+become\b|\b(?P<rec2>lead|deal|task|quote|invoice)\s+(?P<base2>convert|complete|finish|approve|update)\s*(?P<end>[,.;:]|$|\x{2192}|->)|\bplease\s+to\s+(?P<verb>[a-z]+)\b|\bmust\s+to\s+(?P<must>[a-z]+)\b|\b(?P<to_who>notify|ping|inform|alert)\s+to\s+(?P<whom>the\b|him\b|her\b|them\b|(?-i:[A-Z]))|\blet\s+know\s+to\s+(?P<know>the\s+[a-z]+(?:\s+(?:team|department|manager))?|(?-i:[A-Z][a-z]+))|\b(?P<noun>the\s+(?:customer|client|lead|contact|patient|student|guest))\s+(?:he|she)\s+(?P<then>(?:has|have|is|was|should|must|will|does|doesn't|did|didn't|approves?|pays?|gets?)\b)|\breali[sz]e\s+(?P<made>(?:an?|the)\s+(?:call|phone\s+call|meeting|visit))\b")
        .expect("valid regex")
});

// Words a Dutch or Scandinavian speaker carries over: "offerte" (a quote), "factuur" (an
// invoice), "please arrange that Henk gets a task" (make sure that), "put the field X on
// 'phone'", "set the field Follow Up on Ja" (set it to; the value quoted or capitalised).
static CARRIED_OVER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<quote>offert(?:e|en|es|er)?)\b|\b(?P<invoice>factu(?:ur|ren))\b|\b(?P<arrange>arrange)\s+that\b|\b(?:put|set)\s+(?P<field>(?:on\s+(?:the\s+)?(?:deal|lead|contact|company)\s+)?(?:the\s+)?(?:(?:deal|lead|contact|company|task)(?:'s)?\s+)?field\s+(?:[A-Z][A-Z0-9_]+|(?-i:[A-Z][\w-]*)(?:\s+(?-i:[A-Z][\w-]*)){0,2}))\s+on\s+(?P<value>\x01\d+\x02|(?-i:[A-Z]))")
        .expect("valid regex")
});

// Turns a Russian speaker carries into English: "till tomorrow" (by), "till 5 days"
// (within), "make responsible Lilit", "in case if", "obligatory make a task", "plan a
// call", "closed successfully" (won) and "unsuccessfully" (lost), a "commercial offer"
// (a quote), and a deadline or payment date that "is passed" (overdue).
static RUSSIAN_TURNS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\btill\s+(?P<by>tomorrow|today|end\s+of\s+(?:the\s+)?day)\b|\btill\s+(?P<within>(?:\d+|one|two|three|four|five|six|seven|ten)\s+(?:days?|hours?|weeks?))\b|\bmake\s+responsible\s+(?P<owner>(?-i:[A-Z][a-z\x{c0}-\x{24f}]+))\b|\bin\s+case\s+if\b|\b(?:obligatory|obligatorily|mandatory)\s+(?P<verb>[a-z]+)\b|\bplan\s+(?P<plan>(?:a\s+)?(?:call|meeting))\b|\b(?:closed|finished)\s+(?P<how>successfully|unsuccessfully)\b|\b(?P<how2>successfully|unsuccessfully)\s+(?:closed|finished)\b|\bcommercial\s+(?P<offer>offers?)\b(?:\s*\((?:quotes?|quotations?)\))?|\b(?:the\s+)?(?:deadline|due\s+date)\s+of\s+(?:the\s+|a\s+)?(?P<task>task)\s+(?:is|has|was)\s+(?:passed|expired|missed)\b|\b(?:the\s+)?(?:payment|due)\s+date\s+of\s+(?:the\s+|an\s+)?(?P<invoice>invoice)\s+(?:is|has|was)\s+(?:passed|expired)\b")
        .expect("valid regex")
});

// Turns a Persian or Dari speaker carries into English: "please do kindly" (please),
// "please kindly to create a task" (please create), "the respected client" (the
// client), "one task to be created for Sohrab" and "invoice 'X' to be created" (create
// one), "in field LAST_CHECK put value 'yes'" and "field LOSS_REASON set to 'price'"
// (set the field to it).
static PERSIAN_TURNS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?:^\s*|\b(?:please|kindly)\s+)do\s+(?:please|kindly)\b|\b(?:please|kindly)(?:\s+(?:please|kindly))?\s+to\s+(?P<to_verb>create|send|add|make|set|notify|inform|schedule|assign|move|remove|call|tag|put)\b|\b(?:the\s+|our\s+)?respected\s+(?P<respected>clients?|customers?)\b|\b(?:(?P<det>one|a|an|the)\s+(?P<adj>(?:[a-z]+-[a-z]+\s+|(?:high|low|urgent|new|quick|short)\s+){0,2}))?(?P<thing>task|call|reminder|invoice|quote|comment|note|e-?mail|sms|message|notification)(?P<quote>\s+\x01\d+\x02)?\s+(?:is\s+)?to\s+be\s+(?P<how>created|made|scheduled|added|sent|raised|issued|generated)\b|\bin\s+(?:the\s+)?field\s+(?P<field>[A-Z][A-Z0-9_]+)\s+put\s+(?:the\s+)?value\s+(?P<value>\x01\d+\x02)|\bfield\s+(?P<field2>[A-Z][A-Z0-9_]+)\s+set\s+to\s+(?P<value2>\x01\d+\x02)")
        .expect("valid regex")
});

// A Dutch speaker's event, the record in English or Dutch ("offerte" is read as "quote"
// before): "factuur betaald", "Offerte goedgekeurd", "a task is te laat", "Meeting
// gepland", "a contact is made" (gemaakt, created), "each time when"; and their turns in
// an order: "per direct" (at once), a company "coupled" to a deal (linked), "push the
// deadline with 2 days" (by).
static DUTCH_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<rec>(?:invoice|quote|meeting|afspraak|task|taak|deal|lead)s?(?:\s+(?:is|are|was|gets))?)\s+(?P<state>betaald|goedgekeurd|te\s+laat|gepland|gewonnen|verloren)\b|\b(?P<made>(?:deal|lead|contact|company|quote|invoice)\s+is)\s+made\b|\b(?P<each>each|every)\s+time\s+when\b|\b(?P<coupled>coupled)\b|(?P<push>\b(?:push|move|extend|postpone|shift)\s+(?:the|its)\s+deadline)\s+with\b|\s*\bper\s+direct\b")
        .expect("valid regex")
});

/// Whether the word of `text` at `word` is part of a name written in the writer's
/// language, and so kept as written: "the tag offerte-open", "stage Offerte verstuurd",
/// "stage Cotización enviada".
fn in_a_name(text: &str, word: std::ops::Range<usize>) -> bool {
    text[..word.start].ends_with('-')
        || text[word.end..].starts_with('-')
        || text[..word.start].to_ascii_lowercase().ends_with("stage ")
}

// The CRM's words a Spanish speaker writes in Spanish: "cotización" (a quote), "factura"
// (an invoice), "tarea" (a task), "cliente" (the client), each with its plural.
static SPANISH: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:(?P<quote>cotizaci(?:o|\x{f3})n)|(?P<invoice>factura)|(?P<task>tarea)|(?P<client>cliente))(?P<plural>e?s)?\b")
        .expect("valid regex")
});

/// `text` with the CRM's words in Spanish ([`SPANISH`]) as the English ones, unless
/// they are part of a name ([`in_a_name`]).
/// Runs once the quotes are lifted, before the events are read.
pub(super) fn spanish(text: String) -> String {
    if !["cotiz", "factura", "tarea", "cliente"]
        .iter()
        .any(|w| super::contains_ci(&text, w))
    {
        return text;
    }
    SPANISH
        .replace_all(&text, |c: &regex::Captures<'_>| {
            let named = c.get(0).is_some_and(|m| in_a_name(&text, m.range()));
            let english = if c.name("quote").is_some() {
                "quote"
            } else if c.name("invoice").is_some() {
                "invoice"
            } else if c.name("task").is_some() {
                "task"
            } else {
                "client"
            };
            if named {
                c[0].to_owned()
            } else if c.name("plural").is_some() {
                format!("{english}s")
            } else {
                english.to_owned()
            }
        })
        .into_owned()
}

/// A learner's verb forms, as the event's and the order's own.
fn learner(text: String) -> String {
    let text = if [
        "till",
        "make responsible",
        "in case",
        "obligator",
        "mandatory",
        "plan ",
        "successfully",
        "commercial",
        "passed",
        "expired",
        "missed",
    ]
    .iter()
    .any(|w| super::contains_ci(&text, w))
    {
        RUSSIAN_TURNS
            .replace_all(&text, |c: &regex::Captures<'_>| {
                if let Some(by) = c.name("by") {
                    format!("by {}", by.as_str())
                } else if let Some(within) = c.name("within") {
                    format!("within {}", within.as_str())
                } else if let Some(owner) = c.name("owner") {
                    format!("make {} responsible", owner.as_str())
                } else if let Some(verb) = c.name("verb") {
                    // "obligatory make a task": the order, said firmly.
                    if crate::nl::offline::words::first_action_verb(verb.as_str(), 0) == Some(0) {
                        verb.as_str().to_owned()
                    } else {
                        c[0].to_owned()
                    }
                } else if let Some(plan) = c.name("plan") {
                    format!("schedule {}", plan.as_str())
                } else if let Some(how) = c.name("how").or_else(|| c.name("how2")) {
                    let won = how.as_str().eq_ignore_ascii_case("successfully");
                    if won { "won" } else { "lost" }.to_owned()
                } else if let Some(offer) = c.name("offer") {
                    if offer.as_str().ends_with('s') {
                        "quotes"
                    } else {
                        "quote"
                    }
                    .to_owned()
                } else if c.name("task").is_some() {
                    "a task is overdue".to_owned()
                } else if c.name("invoice").is_some() {
                    "an invoice is overdue".to_owned()
                } else {
                    // "in case if": "if".
                    "if".to_owned()
                }
            })
            .into_owned()
    } else {
        text
    };
    let text = if ["offert", "factu", "arrange", "field"]
        .iter()
        .any(|w| super::contains_ci(&text, w))
    {
        CARRIED_OVER
            .replace_all(&text, |c: &regex::Captures<'_>| {
                let named = c.get(0).is_some_and(|m| in_a_name(&text, m.range()));
                if named && (c.name("quote").is_some() || c.name("invoice").is_some()) {
                    return c[0].to_owned();
                }
                if let Some(i) = c.name("invoice") {
                    return if i.as_str().len() > "factuur".len() {
                        "invoices"
                    } else {
                        "invoice"
                    }
                    .to_owned();
                }
                if let Some(q) = c.name("quote") {
                    // "offerten", "offertes", "offerter": the plural is the longer word.
                    if q.as_str().len() > "offerte".len() {
                        "quotes"
                    } else {
                        "quote"
                    }
                    .to_owned()
                } else if c.name("arrange").is_some() {
                    "make sure that".to_owned()
                } else {
                    format!("set {} to {}", &c["field"], &c["value"])
                }
            })
            .into_owned()
    } else {
        text
    };
    let text = if [
        "betaald",
        "goedgekeurd",
        "te laat",
        "gepland",
        "gewonnen",
        "verloren",
        "is made",
        "time when",
        "coupled",
        "deadline with",
        "per direct",
    ]
    .iter()
    .any(|w| super::contains_ci(&text, w))
    {
        DUTCH_EVENT
            .replace_all(&text, |c: &regex::Captures<'_>| {
                let Some(state) = c.name("state") else {
                    return if let Some(made) = c.name("made") {
                        format!("{} created", made.as_str())
                    } else if let Some(each) = c.name("each") {
                        format!("{} time", each.as_str())
                    } else if c.name("coupled").is_some() {
                        "linked".to_owned()
                    } else if let Some(push) = c.name("push") {
                        format!("{} by", push.as_str())
                    } else {
                        // "per direct": at once, as every order is.
                        String::new()
                    };
                };
                let state = match state.as_str().to_ascii_lowercase().as_str() {
                    "betaald" => "paid",
                    "goedgekeurd" => "approved",
                    "gepland" => "scheduled",
                    "gewonnen" => "won",
                    "verloren" => "lost",
                    _ => "overdue",
                };
                format!("{} {state}", &c["rec"])
            })
            .into_owned()
    } else {
        text
    };
    let text = if ["kindly", "please", "respected", "to be ", " field "]
        .iter()
        .any(|w| super::contains_ci(&text, w))
    {
        PERSIAN_TURNS
            .replace_all(&text, |c: &regex::Captures<'_>| {
                if let Some(verb) = c.name("to_verb") {
                    format!("please {}", verb.as_str())
                } else if let Some(who) = c.name("respected") {
                    format!("the {}", who.as_str())
                } else if let (Some(thing), Some(how)) = (c.name("thing"), c.name("how")) {
                    let verb = match how.as_str().to_ascii_lowercase().as_str() {
                        "scheduled" => "schedule",
                        "added" => "add",
                        "sent" => "send",
                        "removed" => "remove",
                        "set" => "set",
                        _ => "create",
                    };
                    let adj = c.name("adj").map_or("", |a| a.as_str());
                    let first = if adj.is_empty() { thing.as_str() } else { adj };
                    let det = match c.name("det").map(|d| d.as_str()) {
                        Some(d) if d.eq_ignore_ascii_case("the") => d,
                        _ => super::indefinite(first),
                    };
                    let quote = c.name("quote").map_or("", |q| q.as_str());
                    format!("{verb} {det} {adj}{}{quote}", thing.as_str())
                } else if let (Some(field), Some(value)) = (
                    c.name("field").or_else(|| c.name("field2")),
                    c.name("value").or_else(|| c.name("value2")),
                ) {
                    format!("set field {} to {}", field.as_str(), value.as_str())
                } else {
                    "please".to_owned()
                }
            })
            .into_owned()
    } else {
        text
    };
    let out = LEARNER.replace_all(&text, |c: &regex::Captures<'_>| {
        let done = |base: &str| match base.to_ascii_lowercase().as_str() {
            "win" => "won".to_owned(),
            "lose" => "lost".to_owned(),
            "pay" => "paid".to_owned(),
            b if b.ends_with('e') => format!("{base}d"),
            _ => format!("{base}ed"),
        };
        if let Some(be) = c.name("be") {
            be.as_str().to_owned()
        } else if let (Some(be), Some(base)) = (c.name("be2"), c.name("base")) {
            format!("{} {}", be.as_str(), done(base.as_str()))
        } else if let Some(rec) = c.name("rec") {
            format!("{} becomes", rec.as_str())
        } else if let (Some(rec), Some(base), Some(end)) =
            (c.name("rec2"), c.name("base2"), c.name("end"))
        {
            format!("{} {}{}", rec.as_str(), done(base.as_str()), end.as_str())
        } else if let Some(must) = c.name("must") {
            format!("must {}", must.as_str())
        } else if let (Some(verb), Some(whom)) = (c.name("to_who"), c.name("whom")) {
            format!("{} {}", verb.as_str(), whom.as_str())
        } else if let Some(who) = c.name("know") {
            format!("let {} know", who.as_str())
        } else if let (Some(noun), Some(then)) = (c.name("noun"), c.name("then")) {
            format!("{} {}", noun.as_str(), then.as_str())
        } else if let Some(made) = c.name("made") {
            format!("make {}", made.as_str())
        } else if crate::nl::offline::words::first_action_verb(&c["verb"].to_ascii_lowercase(), 0)
            == Some(0)
        {
            // "please to send", not "send please to Bartek".
            format!("please {}", &c["verb"])
        } else {
            c[0].to_owned()
        }
    });
    match out {
        Cow::Owned(t) => t,
        Cow::Borrowed(_) => text,
    }
}

/// Words speech-to-text writes for others that sound alike ([`SENT_FOR_SEND`],
/// [`LED_FOR_LEAD`], [`SOUNDS_ALIKE`]).
fn homophones(text: String) -> String {
    let text = if text.contains("sent ") {
        SENT_FOR_SEND
            .replace_all(&text, |c: &regex::Captures<'_>| {
                let before = c["before"].trim().to_ascii_lowercase();
                let subject = [
                    "has", "have", "had", "was", "were", "is", "are", "be", "been", "being", "get",
                    "got", "i", "we", "you", "they", "he", "she", "it", "who", "which", "that",
                    "someone", "somebody", "client", "customer", "they've", "we've", "just",
                    "already", "never", "not",
                ]
                .contains(&before.as_str());
                if subject {
                    c[0].to_owned()
                } else {
                    format!("{}send{}", &c["before"], &c["what"])
                }
            })
            .into_owned()
    } else {
        text
    };
    let text = if text.contains("led ") {
        LED_FOR_LEAD
            .replace_all(&text, "${before}lead${after}")
            .into_owned()
    } else {
        text
    };
    let mut out = String::new();
    let mut at = 0;
    // Each group is named after the word meant.
    for c in SOUNDS_ALIKE.captures_iter(&text) {
        let Some((m, word)) = ["their", "to", "write", "overdue", "new"]
            .iter()
            .find_map(|word| c.name(word).map(|m| (m, *word)))
        else {
            continue;
        };
        out.push_str(&text[at..m.start()]);
        out.push_str(word);
        at = m.end();
    }
    if at == 0 {
        return text;
    }
    out.push_str(&text[at..]);
    out
}

/// Whether a match of [`FILLER`] is a filler, not part of a link or an address
/// ("https://erp.asmarabuild.er/hooks", "er@example.com").
fn is_filler(text: &str, m: regex::Match<'_>) -> bool {
    let before = text[..m.start()].chars().next_back();
    let word_end = m.start()
        + m.as_str()
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(m.as_str().len());
    let mut after = text[word_end..].chars();
    let next = after.next();
    let joined = |c: Option<char>| c.is_some_and(|c| "./@:_-".contains(c));
    !(joined(before)
        || matches!(next, Some('/' | '@' | ':' | '_' | '-'))
        || next == Some('.') && after.next().is_some_and(char::is_alphanumeric))
}

/// Reads a dictated request: fillers, words said twice and self-corrections. Runs on
/// text whose quotes are already lifted, so a quoted "um" is kept.
pub(super) fn speech(text: String) -> String {
    let text = homophones(text);
    let text = learner(text);
    let text = match CHAT_FILLER.replace_all(&text, "") {
        Cow::Owned(t) => t,
        Cow::Borrowed(_) => text,
    };
    let spoken = FILLER.find_iter(&text).any(|m| is_filler(&text, m));
    let text = if spoken {
        let out = FILLER.replace_all(&text, |c: &regex::Captures<'_>| match c.get(0) {
            Some(m) if !is_filler(&text, m) => m.as_str().to_owned(),
            _ => String::new(),
        });
        // "lost, um, text them": the commas around a filler are one pause.
        PAUSES
            .replace_all(&out, ", ")
            .trim_start_matches([',', ' '])
            .to_owned()
    } else {
        text
    };
    let text = if spoken || SPOKEN_OPENER.is_match(&text) {
        let text = SPOKEN_OPENER.replace(&text, "").into_owned();
        said_again(&text)
    } else {
        text
    };
    // Only a speaker's "no" set off by commas corrects: in writing, ", no follow-up"
    // is a phrase of its own.
    if (spoken && text.contains(", no"))
        || text.contains("no sorry")
        || text.contains("no wait")
        || text.contains("sorry i mean")
    {
        corrected(&text)
    } else {
        text
    }
}

/// "when a, when a deal is lost" -> "when a deal is lost": up to three words said again
/// right after a comma.
fn said_again(text: &str) -> String {
    let mut out = text.to_owned();
    let mut from = 0;
    while let Some(at) = out[from..].find(", ").map(|i| from + i) {
        let before: Vec<&str> = out[..at].split(' ').collect();
        let after = &out[at + 2..];
        let mut cut = None;
        for n in (1..=3).rev() {
            if before.len() < n {
                continue;
            }
            let said = before[before.len() - n..].join(" ");
            let again = after.get(..said.len());
            if !said.is_empty()
                && said.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && again.is_some_and(|a| a.eq_ignore_ascii_case(&said))
                && after[said.len()..].starts_with([' ', ','])
            {
                cut = Some(said.len());
                break;
            }
            // "when a, when the invoice gets paid": a start said again differently.
            if n == 2
                && let [first, _] = &before[before.len() - 2..]
                && RESTARTS.contains(first)
                && after.starts_with(&format!("{first} "))
            {
                cut = Some(said.len());
                break;
            }
        }
        match cut {
            // Keep the second saying: drop the first one and the comma.
            Some(len) => out.replace_range(at - len..at + 2, ""),
            None => from = at + 2,
        }
    }
    out
}

/// Words a speaker starts again from: "when a, when the invoice".
const RESTARTS: &[&str] = &["when", "if", "once", "whenever", "make", "send", "create"];

/// Applies each self-correction, last first.
fn corrected(text: &str) -> String {
    let mut text = text.to_owned();
    for _ in 0..3 {
        let Some(m) = CORRECTION.find_iter(&text).last() else {
            break;
        };
        let before = &text[..m.start()];
        let rest = &text[m.end()..];
        // The correction runs to the next comma, or the end of the text.
        let end = rest.find([',', ';', '.']).unwrap_or(rest.len());
        let fix = I_MEAN.replace(rest[..end].trim_end(), "").into_owned();
        let after = &rest[end..];
        let Some(start) = corrected_start(before, &fix) else {
            break;
        };
        text = format!("{}{fix}{after}", &before[..start]);
    }
    text
}

const ARTICLES: &[&str] = &["a", "an"];
const TIME_WORDS: &[&str] = &["in", "by", "on", "at", "within", "after", "before"];

/// Where in `before` the part `fix` replaces starts.
fn corrected_start(before: &str, fix: &str) -> Option<usize> {
    let lower = fix.to_ascii_lowercase();
    let first = lower.split_whitespace().next()?;
    // The clause the correction belongs to: from the last comma on.
    let clause = before.rfind([',', ';']).map_or(0, |i| i + 1);
    let clause = clause + (before.len() - clause - before[clause..].trim_start().len());
    // A whole order again: "text the customer, no sorry, WhatsApp them".
    if crate::nl::offline::words::first_action_verb(&lower, 0) == Some(0) {
        return Some(clause);
    }
    let part = &before[clause..];
    // Where the last word of `part` for which `is` holds starts (its first word counted
    // only `with_first`).
    let last_of = |is: &dyn Fn(&str) -> bool, with_first: bool| {
        part.match_indices(' ')
            .map(|(i, _)| i + 1)
            .chain(with_first.then_some(0))
            .filter(|&i| {
                is(&part[i..]
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase())
            })
            .max()
            .map(|i| clause + i)
    };
    if fix.starts_with('\x01') {
        return part.rfind('\x01').map(|i| clause + i);
    }
    if ARTICLES.contains(&first) {
        return last_of(&|w| ARTICLES.contains(&w), true);
    }
    if TIME_WORDS.contains(&first) {
        return last_of(&|w| TIME_WORDS.contains(&w), true);
    }
    // "assign it to Marco no sorry to Giulia", "from google no sorry from facebook": the
    // last phrase with the same preposition.
    if ["to", "for", "from", "with", "via", "into"].contains(&first) {
        return last_of(&|w| w == first, true);
    }
    if is_number_word(first) {
        // "in an hour, no, two hours": the amount of the time before.
        return last_of(&|w| is_number_word(w) || ARTICLES.contains(&w), false);
    }
    None
}

fn is_number_word(w: &str) -> bool {
    w.chars().all(|c| c.is_ascii_digit()) && !w.is_empty()
        || [
            "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
            "eleven", "twelve", "fifteen", "twenty", "thirty", "half",
        ]
        .contains(&w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filing_label_is_read_past() {
        for (text, want) in [
            (
                "Agreed: when a deal is won, notify Anna",
                "when a deal is won, notify Anna",
            ),
            (
                "Action item (Jonas): lead edited -> tag it",
                "lead edited -> tag it",
            ),
            (
                "Rule 3.1: Upon a deal being won, notify Anna",
                "Upon a deal being won, notify Anna",
            ),
            (
                "Section: Leads. Each new lead gets a task",
                "Each new lead gets a task",
            ),
            (
                "Per Tuesday's call, new deals get a task",
                "new deals get a task",
            ),
            ("Decision - lost deals get a call", "lost deals get a call"),
            (
                "New automation - every new deal gets a tag",
                "every new deal gets a tag",
            ),
            ("AP (JT): lost deals -> tag them", "lost deals -> tag them"),
            (
                "2.6 It was agreed that new deals get a tag",
                "It was agreed that new deals get a tag",
            ),
            (
                "Owner: CW / Due: end of Jan. Going forward, when a deal is won, notify Anna",
                "when a deal is won, notify Anna",
            ),
        ] {
            assert_eq!(minutes(Cow::Borrowed(text)), want, "{text}");
        }
        assert_eq!(
            minutes(Cow::Borrowed("Added: won deals are now tagged 'now'")),
            "won deals are tagged 'now'"
        );
        // A label alone, or words that only look like one, stay.
        for text in [
            "Added to the CRM: notify Anna",
            "Changed deals: notify Anna",
            "Agreed",
            "Apply the tag: won",
            "Owner: notify the owner when a deal is won.",
        ] {
            assert_eq!(minutes(Cow::Borrowed(text)), text);
        }
    }

    #[test]
    fn fillers_and_words_said_again_are_read_past() {
        assert_eq!(
            speech("uh when a, when a deal is lost, um, text them".into()),
            "when a deal is lost, text them"
        );
        assert_eq!(
            speech("okay so, um, send it over to our, um, our webhook".into()),
            "send it over to our webhook"
        );
        assert_eq!(
            speech("when a, uh, when the invoice gets paid, email them".into()),
            "when the invoice gets paid, email them"
        );
        assert_eq!(
            speech("um remind the rep in, like, three days".into()),
            "remind the rep in three days"
        );
        // Written words that only look like fillers stay.
        assert_eq!(speech("notify the umpire".into()), "notify the umpire");
    }

    #[test]
    fn a_correction_replaces_what_it_corrects() {
        for (said, want) in [
            (
                "when we win a deal, text the customer, no sorry, WhatsApp them",
                "when we win a deal, WhatsApp them",
            ),
            (
                "so when a meeting is scheduled, um, remind the manager in an hour, no, two hours, to prep",
                "when a meeting is scheduled, remind the manager in two hours, to prep",
            ),
            (
                "um, send Ben a notification, no, a chat message I mean, saying hi",
                "send Ben a chat message, saying hi",
            ),
            (
                "uh, create a task by Friday, no, in three days",
                "create a task in three days",
            ),
        ] {
            assert_eq!(speech(said.into()), want, "{said}");
        }
        // A correction that matches nothing is kept, to be asked about.
        assert_eq!(
            speech("um, notify Anna, no, never mind".into()),
            "notify Anna, no, never mind"
        );
    }
}
