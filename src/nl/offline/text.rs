//! Spec text preparation: quoted strings and URLs become opaque tokens, whitespace is
//! collapsed, and the text is cut into clauses. Shorthand is read as what it says before
//! that: "w/" is "with", "stage = X ->" and "Stage -> 'X'" are a deal moving to X, a
//! bracket of one record noun names the noun before it ("an account (company)"), and a
//! heading before the event ("Audit trail please: when ...") is read past when nothing
//! in it could narrow the workflow (`lexicon::is_heading`).
//!
//! Invariants: a token is `\x01<index>\x02`, so nothing inside a quote or a URL can be
//! mistaken for a separator or a keyword. Every [`Clause`] holds the original-case text
//! and an ASCII-lowercased copy with identical byte offsets, so a match found in
//! `lower` can be cut out of `orig` with the same range.

use std::fmt::Write as _;
use std::sync::LazyLock;

use regex::Regex;

use super::{lexicon, words};

mod addressed;
mod formats;
mod handover;
mod patterns;
mod screens;
mod speech;

#[cfg(test)]
pub(in crate::nl::offline) use patterns::gate_tests::assert_complete;
pub(in crate::nl::offline) use patterns::{Gated, pattern};
pub(super) use speech::uncorrected;

/// What a token stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TokenKind {
    /// Text the author put in quotes.
    Quote,
    /// An `http(s)://` address.
    Url,
}

/// A quoted string or URL lifted out of the spec.
#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) kind: TokenKind,
    pub(super) text: String,
}

/// One clause of the spec, in original case and lowercased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Clause {
    pub(super) orig: String,
    pub(super) lower: String,
}

impl Clause {
    pub(super) fn new(orig: &str) -> Clause {
        let orig = orig.trim().to_owned();
        let lower = orig.to_ascii_lowercase();
        Clause { orig, lower }
    }

    /// The clause from byte `start` on.
    pub(super) fn tail(&self, start: usize) -> Clause {
        Clause::new(self.orig.get(start..).unwrap_or_default())
    }

    /// The clause up to byte `end`.
    pub(super) fn head(&self, end: usize) -> Clause {
        Clause::new(self.orig.get(..end).unwrap_or_default())
    }

    /// The original-case text of a range found in `lower`.
    pub(super) fn orig_at(&self, range: std::ops::Range<usize>) -> &str {
        self.orig.get(range).unwrap_or_default()
    }

    pub(super) fn is_empty(&self) -> bool {
        self.lower.is_empty()
    }
}

/// The spec with its tokens lifted out.
#[derive(Debug, Clone)]
pub(super) struct Prepared {
    /// The text with tokens in place of quotes and URLs, whitespace collapsed.
    pub(super) text: String,
    pub(super) tokens: Vec<Token>,
    /// Numbers whose point may be a decimal point or a thousands separator ("10.000"),
    /// as written, which the parser asks about.
    pub(super) ambiguous: Vec<String>,
    /// The text opened with "can we make it so (that)": what it says after the event is
    /// the state wanted ("the deal moves to Order Placed"), an order, not another event.
    pub(super) made_so: bool,
    /// The text opened with a wish ("I want", "we'd like"): its first clause may say the
    /// order as a wish does ("Dmitri notified"), with the wish words gone.
    pub(super) wished: bool,
}

/// Matches a token marker; group 1 is its index.
pub(super) static TOKEN: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\x01(\d+)\x02").expect("valid regex"));

static URL: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\bhttps?://[^\s\x01\x02]+").expect("valid regex"));

// Clause separators: sentence ends, commas, "and"/"then" (or "&", "+", " / "), arrows,
// dashes, new lines, and brackets: a parenthesis is an aside, which must be placed (or
// asked about) as a clause of its own, never read into the value or phrase before it.
// Order matters: the leftmost-first alternation takes ", and then" before ",".
static SEPARATOR: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?x)
        \s*[.;!?]+(?:\s+\d{1,2}[.)])?(?:\s+|$)
        | \s*,\s*(?:and\s+then\s+|and\s+also\s+|and\s+|then\s+|also\s+|plus\s+)?
        | \s+(?i:and\s+then|and\s+also|and|then|plus|also|as\s+well\s+as|after\s+that|afterwards)\s+
        | \s*(?:->|=>|>>|\x{2192}|\x{2014}|\x{2013})\s*
        | \s+[+&/]\s+(?:then\s+|also\s+)?
        | \s+-\s+
        | \s*\n\s*(?:\d{1,2}[.)]\s+|[a-h]\)\s+)?
        | \s*[()\[\]]\s*
        | (?:^|\s+)(?:\d{1,2}[.)]|[a-h]\))\s+
        ",
    )
    .expect("valid regex")
});

// A request's method and its link: "POST to <url>", "a GET request to <url>".
static METHOD_TO_URL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?i:(?:a\s+|via\s+|with\s+a\s+)?(?:post|get)(?:\s+request)?\s+(?:(?:to|at|on)\s+)?)\x01\d+\x02")
        .expect("valid regex")
});

// An order that sends the record somewhere: "pushed to our ERP", "sync it with billing".
static SENT_SOMEWHERE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:push|send|sync|post|forward|pass|feed|export)(?:ed|es|s)?\s+(?:(?:it|them|this|the\s+\w+)\s+)?(?:to|with|into)\b")
        .expect("valid regex")
});

// Words that open a trigger or condition clause in the middle of a sentence, as in
// "Create a task for the manager when a new lead is created".
static INTRODUCER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"\s(?:when|whenever|once|as\s+soon\s+as|if|unless|because|the\s+moment|the\s+minute|every\s+time|each\s+time|any\s+time|anytime|in\s+case|after\s+(?:a|an|the|we|our|every|each|any|someone)\b|(?:i'd|i\s+would|we'd|we\s+would)\s+(?:like|love)|(?:i|we)\s+(?:want|need))\s",
    )
    .expect("valid regex")
});

// "i.e." and "e.g." (with or without dots, with an optional comma) open an aside. Their
// dots must not read as sentence ends, so the marker is rewritten to a plain word that
// starts its own clause: `ASIDE_RESTATES` or `ASIDE_EXAMPLE`.
static ASIDE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)(?:^|[,(]\s*|\s)(?:(?P<ie>\bi\.\s?e\.|\bi\.e\b|\bie,|\bin\s+other\s+words\b,?)|(?P<eg>\be\.\s?g\.|\be\.g\b|\beg,|\bfor\s+(?:example|instance)\b,?))\s*,?\s*",
    )
    .expect("valid regex")
});

// The record of an event, an aside set off by commas, and the event's verb.
static INTERRUPTED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<head>(?:when|whenever|if|once|as\s+soon\s+as|every\s+time|each\s+time|any\s+time)\s+(?:a|an|the|any|every|each|one\s+of\s+our)\s+(?:new\s+)?(?:deal|lead|contact|company|task|invoice|quote)s?),\s+(?P<aside>[^.;!?\n]{3,200}?),\s+(?P<verb>(?:is|are|gets|get|got|goes|go|moves|shows\s+up|turns\s+up|comes\s+in|has\s+been|was|were|hits|reaches|lands|becomes|isn't|is\s+not|doesn't)\b)")
        .expect("valid regex")
});

// An event, then an aside set off by commas that opens like background, then the order.
static AFTER_EVENT_ASIDE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:when|whenever|if|once|as\s+soon\s+as|every\s+time)\s+[^,.;!?\n]{3,80},\s+(?P<aside>(?:which|and\s+it's|whether|usually|normally|typically|mostly|in\s+our\s+case)\b)")
        .expect("valid regex")
});

// Words that say an aside tells what usually happens.
static BACKGROUND: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:usually|normally|typically|mostly|often|generally|in\s+our\s+case|whether\s+it's|whether\s+it\s+is|say|for\s+example|one\s+of\s+the\s+ones)\b")
        .expect("valid regex")
});

// Words that would narrow the event, which no background aside may hold.
static NARROWING_ASIDE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:only|just|except|unless|but\s+not|not\s+if|over|under|above|below|more\s+than|less\s+than|worth|source|pipeline|category)\b|\d")
        .expect("valid regex")
});

// The words a request is put in before it starts: "Don't forget to", "Can we make sure
// that", "What I need is", "So basically", "FYI".
static PREAMBLE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<lead>^\s*|[.!?;]\s+)(?:so\s+)?(?:basically,?\s+)?(?:(?:can|could)\s+(?:we|you)\s+(?:please\s+)?make\s+sure\s+(?:that\s+)?|(?:please\s+)?make\s+sure\s+(?:that\s+)?|(?:please\s+)?(?:don't|dont|do\s+not)\s+forget\s+to\s+|what\s+i\s+need\s+is,?\s+(?:for\s+)?|fyi,?\s+)?")
        .expect("valid regex")
});

// A thing to make, for or with whom, then the verb: "one task for Jamshid create".
static MADE_THEN_VERB: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:one|a|an)\s+(?P<thing>task|call|reminder)\s+(?P<prep>for|with|to)\s+(?P<who>(?-i:[A-Z][\w.]*)(?:\s+(?-i:[A-Z]\w*))?|the\s+[a-z]+)\s+(?P<verb>create|schedule)\b")
        .expect("valid regex")
});

// An event, then "means", at the start of a sentence: "Lost deal means ...".
static MEANS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<pre>^\s*|[.!?]\s+)(?P<event>[^.,;:!?\x01]{3,60}?)\s+means\s+")
        .expect("valid regex")
});

// A ticket's or a mail's label before the request: "[AM-REQ] ", "RE: pipeline automation
// - ", "FW: new rule: ".
static TICKET_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*(?:\[[A-Za-z0-9][\w-]{0,20}\]\s*|(?:re|fw|fwd):\s*[^\x01:.!?]{1,50}?\s+(?:-|\x{2013}|:)\s+)")
        .expect("valid regex")
});

// "please make sure to send": before an order's verb, "make sure to" asks for it.
static MAKE_SURE_TO: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\bmake\s+sure\s+to\s+").expect("valid regex"));

// "on any stage change pls notify the owner", "On stage change, tag it": the change of
// a deal's stage, named as a noun, with no stage after it ("on stage change to Won" names
// one and is read as written).
static ON_STAGE_CHANGE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<pre>^\s*|[.!?]\s+)(?:on|upon|at|with|after)\s+(?:(?:any|every|each|a|the)\s+)?(?:deal(?:'s)?\s+)?stage\s+changes?(?:\s+(?:on|of|in)\s+(?:a|the|any)\s+deal)?(?:\s*(?:,|:|->|\x{2192}|-)\s*|\s+)(?P<next>[\w\x01]+)")
        .expect("valid regex")
});

// "ping me (Marcus)", "assigned straight to me, Victor, and ...": the writer names
// themself, and "me" anywhere in the text is that one.
static ME_NAMED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\bme\s*(?:\((?P<p>[A-Z][a-z]+)\)|,\s+(?P<c>[A-Z][a-z]+)\s*,)").expect("valid regex")
});
static ME: LazyLock<Regex> = LazyLock::new(|| pattern(r"\bme\b").expect("valid regex"));

// "lead → converted: email ...", "won → move it to Booked": a record and what became of
// it, or only what became of it, where one record alone can become that: a deal is won
// or lost, a lead converted, a quote approved ("approved → tag approved"). What narrows
// it may follow the word ("won & source = referral →", "converted & value > 15k →").
static RECORD_ARROW_STATE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*(?:(?P<rec>deal|lead|invoice|quote|task)\s*(?:->|\x{2192})\s*(?P<state>won|lost|converted|paid|approved|overdue|completed)|(?P<won>won|lost|converted|approved)(?P<cond>\s*(?:&|\+|,|\band\b)\s*[^\x01\n]{1,80}?)?)\s*(?P<sep>->|\x{2192}|:)\s*")
        .expect("valid regex")
});

// "any stage change on a deal -> add comment ...", "Stage change: notify ...": the same
// noun heading the request, before an arrow, a dash or a colon.
static STAGE_CHANGE_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*(?:(?:any|every|each)\s+)?(?:deal(?:'s)?\s+)?stage\s+changes?(?:\s+(?:on|of|in)\s+(?:a|the|any)\s+deal)?\s*(?:->|\x{2192}|-|:|,)\s*")
        .expect("valid regex")
});

// "tag it lost n task the area manager": "n" for "and", before an order's verb.
static N_FOR_AND: LazyLock<Regex> = LazyLock::new(|| pattern(r"(?i)\s+n\s+").expect("valid regex"));

// "give info to Temuulen", as Russian speakers write "inform": a notification.
static GIVE_INFO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\bgive\s+(?:an?\s+|the\s+)?info(?:rmation)?\s+(?:to|for)\s+")
        .expect("valid regex")
});

// "in deal set field Payment status = Paid": the record named first, then the order on
// its field.
static IN_RECORD_SET: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<lead>^|[,;>\x{2192}-]\s*|\band\s+)in\s+(?:the\s+)?(?P<rec>deal|lead|contact|company)\s+(?P<verb>set|change|update|fill(?:\s+in)?)\s+(?:the\s+)?field\b")
        .expect("valid regex")
});

// "Please make so: if deal won ...", "please make that Päivi gets notification", "Need
// this: when ...": how the request is put, before what it asks.
static MAKE_SO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<pre>^\s*|[.!?]\s+|,\s+|\bthen\s+)(?:(?:please|pls|kindly)\s+make\s+(?:so\s+)?that\s+|(?:please\s+|pls\s+|kindly\s+)?make\s+so\s*:\s*|(?:please|pls|kindly)\s+make\s*:\s*|(?:we\s+)?need\s+this\s*:\s*)")
        .expect("valid regex")
});

static AT_ALL: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\s+at\s+all\b").expect("valid regex"));

static PHONE_NO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<ch>phone|mobile|tel|cell)\s+no(?:\.|(?P<after>\s+(?:on|is|in|for|field|missing|empty|yet)\b|\s*$|\s*[,;)]))")
        .expect("valid regex")
});

static NOTE_ON: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<lead>^|[,;:>+&\x{2192}]\s*|\b(?:and|then|please)\s+)note\s+(?P<on>on\s+(?:it|the\s+(?:deal|lead|contact|company|record|file|timeline)))\b")
        .expect("valid regex")
});

// An arrow, or a colon or "=" after the event, then a new record for someone or named.
static NEW_AFTER_ARROW: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<lead>\S\s*(?:->|\x{2192}|=>|=)\s*)(?P<new>new\s+(?:task|reminder|to-?do)\s+(?:for|to)\s)")
        .expect("valid regex")
});

// "ensure", which is a request unless "to" comes before it.
static ENSURE: LazyLock<Regex> = LazyLock::new(|| pattern(r"(?i)\bensure\b").expect("valid regex"));

// "Phone now filled in", "Permit Number empty", "Email field blank", "Date of Birth field
// empty": a capitalised field's name and its state, with no verb.
static BARE_STATE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?P<f>[A-Z][\w-]*(?:\s+(?:(?:of|and|for|to|on|in)\s+)?[A-Z][\w-]*){0,2}(?:\s+field)?)\s+(?:now\s+|still\s+)?(?P<s>filled\s+in|filled|empty|blank|missing)\b")
        .expect("valid regex")
});

// "+ phone empty", "& email still empty", "and the email still empty", "+ no email on
// it", "and there's (still) no email address", "they have no phone number", "and still
// has no email", "and it now has a phone number on it", "only if there's an email:": in
// a note, a channel's field in lower case and its state,
// with no verb, right after a joint or at the clause's start. Only the fields whose
// names are also orders ("phone", "email") need it: "phone empty" is no call.
static BARE_CHANNEL_STATE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?P<lead>(?:^|[+&,;:>\x{2192}]|\band|\bbut|\bif|\bunless)\s*)(?:(?:the\s+|its\s+|their\s+)?(?P<f>phone(?:\s+number)?|mobile(?:\s+number)?|e-?mail(?:\s+address)?|whatsapp(?:\s+number)?)\s+(?:now\s+|still\s+)?(?P<s>filled\s+in|filled|empty|blank|missing)\b|(?:still\s+)?no\s+(?P<none>phone(?:\s+number)?|mobile(?:\s+number)?|e-?mail(?:\s+address)?)\s+(?:on\s+(?:it|file|record|the\s+(?:deal|lead|contact|record)))(?:\s|$)|(?:there(?:'s|\s+is)(?:\s+still)?|(?:they\s+|it\s+)?(?:still\s+)?(?:have|has))\s+no\s+(?P<there>phone(?:\s+number)?|mobile(?:\s+number)?|e-?mail(?:\s+address)?)\b|(?:they\s+|it\s+)?(?:now\s+|already\s+)?(?:have|has)\s+(?:a|an)\s+(?P<has>phone(?:\s+number)?|mobile(?:\s+number)?|e-?mail(?:\s+address)?)\s+on\s+(?:it|file|record|the\s+(?:deal|lead|contact|record))\b|there(?:'s|\s+is)\s+(?:a|an)\s+(?P<there_is>phone(?:\s+number)?|mobile(?:\s+number)?|e-?mail(?:\s+address)?)(?:\s+on\s+(?:it|file|record|the\s+(?:deal|lead|contact|company|record)))?(?P<end>\s*(?:$|[,.;:!?])))")
        .expect("valid regex")
});

// "and the customer has no email", "the client hasn't got an email on file", "the
// custmer ain't got an email", "they don't have a phone number", "it's got an email now":
// whether the client has a channel, with the client (or the record) as the subject. It is
// the channel's field's state, never an order to e-mail or call; only at the end of a
// clause or before the next order ("has an email logged" is an activity). So it is with
// an adverb ("it now has a phone number"), with the record left out ("contact changed
// and has an email"), with its article left out ("deal has no email") and with where it
// is kept ("no email in his card").
static CHANNEL_HAD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:it|they|he|she|(?:the|their|our)\s+[a-z]+|(?P<joint>(?:and|if|when|but|unless)\s+)(?:deal|lead|contact|company|client|customer)|(?P<and>and))(?:\s+(?:now|still|already))?(?:(?P<none>\s+(?:has|have)\s+no|\s+(?:ain't|hasn't|haven't|has\s+not|have\s+not|doesn't\s+have|don't\s+have|does\s+not\s+have|do\s+not\s+have)(?:\s+got)?\s+(?:an?|any))|(?:(?:'s|'ve)\s+got|\s+(?:has|have)(?:\s+got)?)\s+an?)\s+(?P<f>e-?mail(?:\s+address)?|phone(?:\s+number)?|mobile(?:\s+number)?)(?:\s+(?:on\s+file|on\s+record|in\s+(?:the|his|her|their|its)\s+(?:card|record|profile|file|system|crm)|now|yet|anymore|any\s+more))*(?P<end>\s*(?:$|[,.;!?)]|->|\x{2192}|\s(?:and|but|or|then|so|please|have|get|send|create|call|ring|phone|text|sms|e-?mail|whatsapp|notify|tell|let|assign|add|set|move|tag|remind|schedule|ping|message)\b))")
        .expect("valid regex")
});

// "we have the client's email on file", "we don't have their phone number", "we don't
// have a phone number", "we've got no mobile number for them".
static WE_HAVE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\bwe(?:'ve\s+got|\s+(?:(?P<none>don't|do\s+not|haven't|have\s+not)\s+)?(?:have|hold|'ve\s+got|got))\s+(?:(?P<no>no)\s+|(?:the\s+)?(?:client|customer|contact)(?:'s|\x{2019}s)\s+|(?:their|his|her|an?|any)\s+)(?P<f>e-?mail(?:\s+address)?|phone(?:\s+number)?|mobile(?:\s+number)?)(?:\s+(?:on\s+file|on\s+record|for\s+(?:them|him|her|it)))?(?P<end>\s*(?:$|[,.;!?]|->|\x{2192}|\s(?:and|but|then|so|please)\b))")
        .expect("valid regex")
});

// An exception to the order before it: "except when", "except for", "excluding", "but
// not if", "not for", "never for", and an order taken back for a case ("don't do it
// if", "don't tag it when", "don't bother if"). Not "except" alone, which may name
// what to leave out of a message.
static EXCEPTION: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<pre>(?:^|[\s,;.(\-]))(?:but\s+)?(?:except\s+(?:when|if|where|for)|excluding|(?:not|never)\s+(?:if|when|for)|(?:don't|dont|do\s+not|never)\s+(?:do\s+(?:it|that|this)|bother(?:\s+with\s+(?:it|them|that|those))?|(?P<verb>[a-z]+)(?:\s+(?:it|them|those|these|that|one))?)\s+(?:if|when))\b")
        .expect("valid regex")
});

// "the company is empty", "its company isn't filled in": the company field's state.
static COMPANY_STATE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<d>the|its|their)\s+company\s+(?P<s>(?:is|was|remains|stays)\s+(?:still\s+|now\s+)?(?:not\s+)?(?:empty|blank|missing|filled(?:\s+in)?|set)|isn't\s+(?:filled(?:\s+in)?|set|empty|blank))\b")
        .expect("valid regex")
});

// "they aren't linked to any company", "it's linked to a company".
static COMPANY_LINKED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:it|they|the\s+(?:contact|deal|lead|invoice|quote))(?:\s+(?:is|are)|'s|'re)?(?P<not>\s+not|n't)?\s+(?:linked|attached|tied)\s+to\s+(?:any|a|an)\s+company\b")
        .expect("valid regex")
});

// "has not email", "have not a phone": a channel's field that is not there.
static HAS_NOT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<has>has|have)\s+not\s+(?:an?\s+|any\s+)?(?P<f>e-?mail(?:\s+address)?|phone(?:\s+number)?|mobile(?:\s+number)?)\b")
        .expect("valid regex")
});

// "but the DBS Status is blank": a field's state after "but".
static BUT_STATE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\bbut\s+(?P<state>(?:the|its|their)\s+(?:[\w-]+\s+){1,4}?(?:is|are)\s+(?:still\s+|now\s+)?(?:blank|empty|filled(?:\s+in)?|missing|not\s+(?:set|filled(?:\s+in)?))\b)")
        .expect("valid regex")
});

// "Helen, our sales lead,": a name and the one role it has.
static APPOSITIVE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?P<name>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?),\s+(?:our|their)\s+(?:[a-z]+\s+){0,2}(?:lead|manager|head|director|assistant|rep|coordinator|officer|administrator|admin|accountant|supervisor|founder|owner|partner)(?P<end>\s*,|\s*[.!?;]|\s*$)")
        .expect("valid regex")
});

// A list's marker: "(b)", "2)", "b)".
static LIST_MARK: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^\(?(?:[a-h]|\d{1,2})\)$").expect("valid regex"));

// "Once a deal is won, make sure the account manager gets a reminder": after the event,
// "make sure" before what someone gets is how the request is put. Not before a state
// ("make sure its priority is set to normal"), which would read as a condition.
static MAKE_SURE_GETS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<lead>,\s+)(?:please\s+)?make\s+sure\s+(?:that\s+)?(?P<rest>(?:the|its|their|our)\s+[a-z' ]{1,40}?\s+(?:gets?|receives?)\s+(?:a|an)\s)")
        .expect("valid regex")
});

// "make sure a comment 'Lost' is added", "make sure a task is made for Wanjiru", "make
// sure it is moved on to stage INVOICING", "make sure Saba is responsible": what is to
// be made so is the order itself. Said without "make sure", "it is moved to stage X"
// tells an event.
static MAKE_SURE_DONE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\bmake\s+sure\s+(?:that\s+)?(?:(?P<obj>(?:a|an)\s+(?:[a-z-]+\s+)?(?:comment|note|tag|label|task|to-?do|reminder|follow-?up)(?:\s+\x01\d+\x02)?)\s+(?:is|gets|get|be)\s+(?P<done>added|left|posted|logged|created|made|raised|put)\b|(?P<it>it|the\s+deal|the\s+lead)\s+(?:is|gets|get|be)\s+(?P<moved>moved(?:\s+on)?|assigned)\s+(?P<to>to)\b|(?P<owner>(?-i:[A-Z][\w\x{c0}-\x{24f}]+)(?:\s+(?-i:[A-Z][\w\x{c0}-\x{24f}]+))?)\s+is\s+(?:the\s+)?(?:responsible|owner|assignee)(?:\s+person)?\b)")
        .expect("valid regex")
});

// "could you please: 1) ...": a polite request before a colon and the list it asks for.
static POLITE_COLON: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:could|can|would)\s+(?:you|we)(?:\s+(?:please|kindly))?\s*(?P<colon>:)")
        .expect("valid regex")
});

// "==" and "===", "!==" with the spaces around them.
static DOUBLE_EQUALS: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\s*(?P<not>!)?={2,3}\s*").expect("valid regex"));

// A field's state, then a colon, then the order: "and the amount is empty: task for the
// owner". The colon ends the condition as a comma would; read into the order, the
// condition was lost.
static STATE_COLON: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<state>(?:is|are|still|now)\s+(?:empty|blank|missing|filled(?:\s+in)?|not\s+(?:empty|blank|set|filled(?:\s+in)?)))\s*:\s+")
        .expect("valid regex")
});

// Someone named as the owner with no verb: "the tag 'x' and Sofie as responsible". Read
// on from the verb before, it was another tag.
static AS_OWNER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?P<sep>\band|,)\s+(?:with\s+)?(?P<who>(?-i:[A-Z][a-z\x{c0}-\x{24f}]+))\s+as\s+(?:the\s+)?(?:new\s+)?(?:responsible(?:\s+person)?|owner|assignee)\b")
        .expect("valid regex")
});

// "create quote 'Initial estimate' on Armen", "deal 'First order' on responsible
// manager": a thing made "on" someone is made for them, as a Russian speaker says it.
static MADE_ON: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?P<thing>(?:task|quote|deal|invoice|reminder|estimate|offer)(?:\s+\x01\d+\x02)?)\s+on\s+(?P<who>(?:(?P<role>[a-z]+)\s+)?(?-i:[A-Z][a-z\x{c0}-\x{24f}]+)\b(?P<own>'s)?|(?:the\s+)?responsible(?:\s+(?:manager|person))?\b)")
        .expect("valid regex")
});

// A comparison with "then" for "than": "more then 10 000".
static THEN_FOR_THAN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<cmp>more|less|bigger|greater|higher|lower|smaller|larger)\s+then\s+(?P<num>[0-9$\x{20ac}\x{a3}])")
        .expect("valid regex")
});

// "[Contract Value] is empty", "[Amount] > 5000": a field's name in brackets.
static BRACKETED_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\[(?P<field>[A-Za-z][A-Za-z0-9 _.]*)\](?P<op>\s*(?:[<>=!]|is\b|are\b))")
        .expect("valid regex")
});

// A slot named in a list, with a colon or "=": "(title: ", ", deadline: ", ": assignee=",
// ", prio=" ("prio" is read as "priority" with the other shorthand, `TYPOS`).
static SLOT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<lead>[,:(]\s*)(?P<slot>title|deadline|due|priority|prio|assignee)\s*[:=]\s*")
        .expect("valid regex")
});

// "loop in the warehouse team", "Loop in Priya".
static LOOP_IN: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\b[Ll]oop\s+in\b").expect("valid regex"));

// "could the deal move to Arrangement Meeting", "can it go into Review".
static COULD_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:could|can|would)\s+(?P<rec>it|(?:the|this|that)\s+(?:deal|lead|task|record|opportunity))\s+(?:please\s+|also\s+|then\s+)?(?:move|go|be\s+moved)\s+(?P<to>(?:in)?to)\b")
        .expect("valid regex")
});

// "could the family get an SMS", "can our sales rep please receive a chat message",
// "could Dan get a chat message", "could it get a comment".
static COULD_GET: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:could|can|would)\s+(?P<who>(?:the|our|their)\s+[\w'-]+(?:\s+[\w'-]+){0,3}?|it|they|(?-i:[A-Z][a-z]+))\s+(?:please\s+|also\s+)?(?:get|receive)\s+")
        .expect("valid regex")
});

// A first sentence that tells what happened once (a time in the past), before a
// sentence that opens the request.
static STORY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*(?P<story>[^.!?\n]*\b(?:last\s+(?:week|month|quarter|year|spring|summer|autumn|fall|winter|time|monday|tuesday|wednesday|thursday|friday|saturday|sunday)|yesterday|(?:a\s+(?:week|month|year|few\s+(?:days|weeks|months))|\w+\s+(?:days|weeks|months|years))\s+ago|in\s+(?:january|february|march|april|may|june|july|august|september|october|november|december)|on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b[^.!?\n]*)[.!]\s+(?P<next>(?:so\s+)?(?:when|whenever|if|once|every|each|any\s+time|next\s+time|from\s+now|going\s+forward|in\s+(?:the\s+)?future))\b")
        .expect("valid regex")
});

// Sentences about the business before the request: "We import leads from the trade show
// badge scanners. Each time a lead is updated, ...", "Tasks slip quite a bit here during
// show season. When one ...". Each opens with the team ("We", "Our ...", "Most of our
// ...") or records in general and what they tend to do, and the request with its event.
static BACKGROUND_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*(?P<background>(?:(?:we|we're|we've|our|most\s+of\s+our|a\s+lot\s+of\s+our|lots\s+of\s+our|many\s+of\s+our|(?:tasks|deals|leads|invoices|quotes|clients|customers|parents|patients|students|jobs|orders|things)\s+(?:here\s+)?(?:tend\s+to\s+|often\s+|always\s+|usually\s+)?(?:slip|get|go|come|pile|sit|drag|run|are|can))\s[^.!?\n]*[.!]\s+){1,2})(?P<next>(?:so\s+)?(?:when|whenever|if|once|every\s+time|each\s+time|any\s+time|after|as\s+soon\s+as)\b)")
        .expect("valid regex")
});

// What background may not hold: a word that narrows the records or the people the
// request is for, a negation, a quote or a link. Such a sentence is asked about.
static NOT_BACKGROUND: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:only|just|except|unless|but\s+not|over|under|above|below|more\s+than|less\s+than|worth|source|pipeline|category|not|never|no|none|nobody|don't|doesn't|didn't|won't|can't|isn't|aren't|vips?|premium|key|big|bigger|top|loyal|returning|repeat|high-value|gold|silver|platinum|important|major|large|larger|small|overseas|international|foreign|corporate|wholesale|retail|enterprise|b2b|b2c|existing|those|these|such|please|want|need|like|should|must)\b|\d|https?:|www\.|['\x{2018}\x{2019}\x{201c}\x{201d}\x{ab}\x{bb}`\x22]\s|\s['\x{2018}\x{201c}\x{ab}`\x22]")
        .expect("valid regex")
});

// A request that points back at the background: "those deals", "such cases", "a new
// one".
static POINTS_BACK: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:those|these|such|that\s+kind|this\s+kind|the\s+same|one|ones)\b")
        .expect("valid regex")
});

// Two things wished, each with its participle: "we'd like it assigned to Helen and a
// task created for her".
static WISHED_BOTH: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<wish>\b(?:i|we)(?:'d|\s+would)\s+(?:also\s+)?like|\b(?:i|we)\s+(?:want|need))\s+(?P<x>[^,.;!?\n]{2,60}?\s+[a-z]+ed\b[^,.;!?\n]{0,40}?)\s+and\s+(?P<y>(?:a|an)\s+(?:[a-z-]+\s+)?(?:task|reminder|call|deal|quote|invoice|comment|note)\s+(?:created|set\s+up|set|added|made|scheduled|booked|raised|opened|left)\b)")
        .expect("valid regex")
});

// Someone who gets two things: "Monika should get a chat message and a reminder ...".
static GETS_BOTH: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?P<who>[A-Z][a-z]+|(?:the|our)\s+[a-z]+(?:\s+[a-z]+){0,3}?)\s+(?P<v>should\s+get|should\s+receive|gets|needs|will\s+get)\s+(?P<x>(?:a|an)\s+[^,.;!?\n]{2,60}?)\s+and\s+(?P<y>(?:a|an)\s+(?:reminder|task|to-do|call|notification|bell\s+notification|chat\s+message|e-?mail|sms|text|whatsapp)\b)")
        .expect("valid regex")
});

// "Where a lead is converted, ...", at a sentence's start.
static WHERE_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<pre>^\s*|[.!?]\s+)where\s+(?P<det>a|an|any|the|new)\s").expect("valid regex")
});

// "Next time", "From now on, when", "Going forward, when": the request's opener.
static NEXT_TIME: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*(?:so\s+)?(?:next\s+time|(?:from\s+now\s+on|going\s+forward|in\s+future|in\s+the\s+future),?\s+(?:when(?:ever)?|if|once|every\s+time))\s+")
        .expect("valid regex")
});

// "the stage we called", "the stage that we've named": the name after it is the stage's.
static STAGE_WE_CALL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\bstage\s+(?:that\s+|which\s+)?(?:we|they|you|we've|they've|i)\s+(?:have\s+)?(?:call|called|name|named)\s+(?:it\s+)?")
        .expect("valid regex")
});

// A note opening with the stage a deal is in, then an arrow or a colon.
static NOTE_STAGE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^\s*(?:(?:[Tt]he\s+)?(?:[Dd]eal|[Oo]pportunity)\s+(?:at|in|to|into|->|\x{2192}|moves\s+to|hits|enters|reaches|lands\s+in)|[Ss]tage\s*(?:->|\x{2192}|=|:)|[Ss]tage|(?:[Hh]its|[Ee]nters|[Rr]eaches|[Mm]oves\s+to|[Ll]ands\s+in))\s+(?:the\s+)?(?:stage\s+)?(?P<stage>'[^']{1,40}'|[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3}|[A-Z][\w-]*(?:\s+[\w-]+){1,3}?)\s*(?:->|\x{2192}|[:;]\s)\s*")
        .expect("valid regex")
});

// "phone #", "cell #": the channel's number.
static CHANNEL_NUMBER_SIGN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<c>phone|cell|mobile|contact)\s*#(?P<end>\s|$)").expect("valid regex")
});

// "send them subject ...": whom, then the e-mail's subject or body.
static SEND_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\bsend\s+(?P<who>them|him|her|the\s+[a-z]+)\s+(?P<s>subject|body)\b")
        .expect("valid regex")
});

// "pull the new-lead tag off", "pull the 'x' tag off", "pull the nurture tag", "take
// away the walkin tag".
static TAG_OFF: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:pull|take\s+away)\s+(?P<tag>(?:the|its)\s+[^\s,.;]+\s+(?:tag|label))(?:\s+off)?\b")
        .expect("valid regex")
});

// "get Retention a task", "get the warehouse a task to ...".
static GET_A_TASK: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b[Gg]et\s+(?P<who>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?|the\s+[a-z]+(?:\s+team)?)\s+(?P<thing>an?\s+(?:task|reminder|to-?do))\b")
        .expect("valid regex")
});

// "set task priority high", "set the task priority to low".
static TASK_PRIORITY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\bset\s+(?:the\s+|its\s+)?task\s+priority\s+(?:to\s+)?(?P<level>high|low|normal|medium|urgent)\b")
        .expect("valid regex")
});

// "that came in by referral", "it came in via a partner", "it came from a partner", "it
// came via a partner", "the client came through Instagram".
static CAME_IN_BY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?:\bthe\s+(?P<who>client|customer|contact|lead)\s+)?\b(?P<v>came|comes|come)\s+(?:in\s+(?:by|via|through)\s+(?:a\s+|an\s+)?|from\s+a\s+|(?:via|through|by)\s+(?:a\s+|an\s+)?)(?P<source>referral|partner|instagram|facebook|google|linkedin|tiktok|whatsapp|(?:the\s+|our\s+)?website)\b")
        .expect("valid regex")
});

// "a task for Jo ... until tomorrow": the task's deadline.
static TASK_UNTIL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<pre>\b(?:task|to-?do|reminder)\b[^.;!?\n\x01\x02]{0,60}?)\buntil\s+(?P<when>tomorrow|today|the\s+end\s+of\s+(?:the\s+)?day|end\s+of\s+(?:the\s+)?day)\b")
        .expect("valid regex")
});

// "We pretend that ...": a Portuguese or Spanish speaker's "pretender", to intend.
static PRETEND: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\b(?P<w>we|i)\s+pretend\b").expect("valid regex"));

// "put also the tag", "send also an email": "also" after the verb, as Portuguese puts it.
static VERB_ALSO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<v>put|add|send|create|make|notify|inform|set|schedule)\s+also\b")
        .expect("valid regex")
});

// "the owner of the lead", "the lead's responsible": the record's responsible person.
static OWNER_OF: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\bthe\s+(?P<r>owner|responsible(?:\s+person)?)\s+of\s+the\s+(?:lead|deal|contact|company|task|invoice|quote)\b|\bthe\s+(?:lead|deal|contact|company|invoice|quote)(?:'s|\x{2019}s)\s+(?P<r2>responsible(?:\s+person)?)\b")
        .expect("valid regex")
});

// "Nzinga of procurement": a person named with the department they work in, which is no
// part of whom to reach ("Ana from finance" is read so already). The name before it is
// looked at once the department is found, so the search starts from a literal.
static NAME_OF_DEPARTMENT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r" of\s+(?:the\s+)?(?:procurement|purchasing|finance|accounts|accounting|sales|marketing|logistics|operations|ops|support|hr|legal|warehouse|dispatch|admissions|reception)\b")
        .expect("valid regex")
});

// "invoice paid → deal field Payment Status = Paid": after the arrow, a record's field
// and its value are the order to set it.
static ARROW_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<a>(?:->|\x{2192})\s*)(?P<f>(?:the\s+)?(?:deal|lead|contact|company)(?:'s)?\s+field\s+[^=\x01]{1,40}=)")
        .expect("valid regex")
});

// The record named before its field: "update in the deal the field Credit Block to Yes",
// as Portuguese puts it, and "-> on the deal, set Quote Sent to Yes" where an order opens
// (not "a task is created on the deal, set ...", where it belongs to the event). Both
// are "set the deal field ...".
static RECORD_BEFORE_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<v>update|change|set)\s+in\s+the\s+(?P<r>deal|lead|contact|company)\s+the\s+field\b|(?P<a>^\s*|(?:->|\x{2192}|[:;])\s*|\b(?:and|then)\s+)(?:on|in)\s+the\s+(?P<r2>deal|lead|contact|company)\s*,?\s+(?P<v2>update|change|set)\s+(?:the\s+)?(?:field\s+)?")
        .expect("valid regex")
});

// "the source was a referral": the source's name, without the article.
static SOURCE_A: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<s>source\s+(?:is|was|were))\s+an?\s+").expect("valid regex")
});

// "give the task to Moe": the task itself handed over, as "assign it" does.
static GIVE_THE_TASK: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\bgive\s+the\s+task\s+to\b").expect("valid regex"));

// A task late, said as going past its deadline: "tasks go past their deadline", "task
// over deadline", "any task going overdue", "an invoice is over due".
static PAST_DEADLINE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<v>goes|go|went|gone|going|is|are)\s+(?:past|over)\s+(?:its|their|the)\s+(?:deadline|due\s+date)\b|\b(?P<over>over)\s+due\b|\b(?P<task>tasks?)\s+over\s+(?:its\s+|the\s+)?deadline\b|\bgoing\s+overdue\b")
        .expect("valid regex")
});

// "north of 100k": more than the amount, "south of" less.
static NORTH_OF: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<way>north|south)\s+of\s+(?P<n>[$\x{20ac}\x{a3}]?\d)").expect("valid regex")
});

// "ring back inside 1h": within the time.
static INSIDE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\binside\s+(?:of\s+)?(?P<n>\d+\s*(?:h|hrs?|hours?|d|days?|mins?|minutes?|w|wks?|weeks?)\b)")
        .expect("valid regex")
});

// "the email of the client is empty": the client's own field, as a learner puts it.
static FIELD_OF_CLIENT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\bthe\s+(?P<f>e-?mail|phone(?:\s+number)?|mobile(?:\s+number)?)\s+of\s+the\s+(?:client|customer|contact)\s+(?P<be>is|are)\b")
        .expect("valid regex")
});

// "the email is there": filled in.
static IS_THERE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<f>e-?mail|phone(?:\s+number)?|mobile(?:\s+number)?)\s+is\s+(?:there|present|available)\b")
        .expect("valid regex")
});

// "give Rowan a heads-up": notify them.
static HEADS_UP: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\bgive\s+(?P<who>(?-i:[A-Z][\w-]*)|the\s+[a-z]+|him|her|them)\s+a\s+heads[- ]?up\b",
    )
    .expect("valid regex")
});

// "place a comment": add one.
static PLACE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\bplace\s+(?P<what>(?:a|an|the)\s+)?(?P<thing>comment|note|tag)\b")
        .expect("valid regex")
});

// "comment that ...", first in its clause: the verb "comment".
static COMMENT_THAT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?P<pre>(?:^|[.;,:!]\s+|(?:->|\x{2192}|\+|&)\s*|\b(?:and|then|also|please|pls)\s+))[Cc]omment\s+that\b")
        .expect("valid regex")
});

// "qualified and converted", "qualified and then converted".
static QUALIFIED_AND: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\bqualified\s+and\s+(?:then\s+)?converted\b").expect("valid regex")
});

// "the person it's assigned to", "whoever the task is assigned to", "the person whom
// the task is assigned".
static ASSIGNED_PERSON: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:the\s+(?:person|user|employee|colleague|one)|whoever)\s+(?:who\s+|whom\s+|that\s+)?(?:it's|its|it\s+is|it\s+was|the\s+task\s+is|the\s+task's|they're|they\s+are)\s+assigned(?:\s+to)?\b")
        .expect("valid regex")
});

// "as long as it's above 3k", "as long as the amount is over 5000".
static AS_LONG_AS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\bas\s+long\s+as\s+(?P<what>it's|it\s+is|the\s+(?:deal|amount|value|total|deal\s+value|deal\s+amount)\s+is|they're|they\s+are)\s+(?P<cmp>above|over|under|below|more\s+than|less\s+than|at\s+least|at\s+most)\b")
        .expect("valid regex")
});

// "update the deal: Contract status = Signed", "update the deal, Quote Status field to
// Approved": after a colon or a comma, the field and its value are what the record is to
// be updated with, as "update the deal: set ..." says.
static UPDATE_COLON: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<head>\b(?:update|change|edit)\s+(?:the\s+)?(?:deal|lead|contact|company|task|record)\s*[:,]\s*)(?P<field>(?:[a-z][\w-]*\s+){0,3}?[a-z][\w-]*(?:\s*=|\s+field\s+to\b))")
        .expect("valid regex")
});

// "change responsible person to Oluwaseun": the role named in full is the owner.
static RESPONSIBLE_PERSON_TO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<verb>change|set|update|switch)\s+(?:the\s+)?responsible\s+(?:person|user|employee|manager)\s+to\b")
        .expect("valid regex")
});

// "priority -> high".
static PRIORITY_ARROW: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\bpriority\s*(?:->|=>|\x{2192})\s*(?P<level>high|low|normal|medium|urgent)\b")
        .expect("valid regex")
});

// "New lead from Instagram → responsible is Emre": after a note's arrow, who the role
// goes to is what is to be done, not a condition on who holds it already.
static ARROW_RESPONSIBLE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<arrow>->|=>|\x{2192})\s*(?:the\s+)?(?:respons[ai]ble|owner|assignee)(?:\s+person)?\s+(?:is|will\s+be|should\s+be|becomes|=|:)\s+")
        .expect("valid regex")
});

// "Should a deal be lost": the inverted condition of formal English.
static SHOULD_IF: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*should\s+(?P<record>(?:a|an|the|any)\s+(?:[\w-]+\s+){0,3}?[\w-]+)\s+be\s+(?P<event>won|lost|converted|paid|approved|accepted|completed|created|updated|overdue|cancelled)\b")
        .expect("valid regex")
});

// A subject, "also", and its verb: "He also needs", "she'll also need", "Lukas also should",
// "We'd also like".
static SUBJECT_ALSO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?P<who>[Hh]e|[Ss]he|[A-Z][a-z]+)(?P<c>'ll|'d)?\s+also\s+(?P<verb>needs?|should|must|will|gets?|wants?|has|have|like|love)\b")
        .expect("valid regex")
});

// A first line that ends with a colon, before a list: "summary from Slack (pest team):".
static SOURCE_LINE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^\s*(?P<line>[^\n:'\x22]{2,80}):[ \t]*\n").expect("valid regex"));

// The words that say where notes come from.
static SOURCE_WORD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?:^|\s|\()(?:thread|slack|channel|notes|recap|summary|agreed|copied|pasted|standup|minutes|#[a-z][\w-]*|per\s+[a-z]+)\b")
        .expect("valid regex")
});

// A heading before a colon at the start, followed by the event: "Hauliers get their own
// desk: when a contact ...". Whether it may be dropped is `lexicon::is_heading`.
static HEADING: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^\s*(?P<heading>[a-z][a-z' -]{2,60}?)\s*:\s+(?:when|whenever|if|once|on|upon|as\s+soon\s+as|every\s+time|each\s+time|any\s+time|after|for\s+(?:every|each|any|all))\b",
    )
    .expect("valid regex")
});

// "new contact = sms 'Hi'": an equals sign between an event and an order is an arrow.
// Between a field and its value ("source = website") it is not, so the word after it
// decides.
static EVENT_GLOSS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<ev>won|lost|converted|paid|approved|accepted|created|completed|overdue|updated)\s+=\s+").expect("valid regex")
});

static RESPONSIBLE_ON: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\bresponsible\s+on\s+(?:the\s+|this\s+)?(?P<rec>deal|lead|contact|company|record)\b",
    )
    .expect("valid regex")
});

static SET_EQUALS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<v>set|update|change|put)\s+(?P<f>[^=\n;,.:\x01]{1,60}?)\s*=\s*")
        .expect("valid regex")
});

static EQUALS_ORDER: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\s=\s+(?P<next>[A-Za-z-]+)").expect("valid regex"));

static FIELD_EQUALS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<f>source|lead\s+source|industry|type)\s*=\s*").expect("valid regex")
});

/// The channel nouns that start an order in a telegraphic note.
const ORDER_NOUNS: &[&str] = &[
    "sms",
    "text",
    "email",
    "e-mail",
    "whatsapp",
    "notification",
    "task",
    "reminder",
    "call",
    "webhook",
    "chat",
    "msg",
    "message",
    "note",
    "comment",
    "tag",
    "ping",
];

// "... could you set a reminder", "can u ping Laura", "when a quote is approved can the
// system make a task", "can it automatically create a quote", "would you be able to
// create", "would you be so kind as to", "would it be possible to schedule", "would you
// mind setting", "when a deal is created, is it possible to create": a polite request
// in the middle of a sentence, before the order's verb.
static POLITE_ASK: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:(?:could|can|would|will)\s+(?:you|u|we|it|the\s+(?:system|crm|portal|computer)|bitrix(?:24)?|b24flow)\s+(?:(?:please|pls|kindly|also|just|automatically)\s+)*(?:(?:be\s+able\s+to|be\s+so\s+kind\s+as\s+to|be\s+possible\s+(?:for\s+(?:you|us|the\s+(?:system|computer|crm))\s+)?to)\s+|(?P<mind>mind)\s+)?(?:have\s+(?:it|the\s+(?:system|crm|portal)|bitrix(?:24)?|b24flow)\s+)?|(?:is|would)\s+it\s+(?:be\s+)?possible\s+(?:for\s+(?:you|us|the\s+(?:system|computer|crm))\s+)?to\s+)(?P<so>(?:set\s+(?:it|this|things|something|a\s+rule)\s+up|set\s+up\s+(?:a\s+rule|something)|make\s+it|arrange\s+it)\s+so\s+(?:that\s+)?)?(?P<next>[a-z-]+)")
        .expect("valid regex")
});

// A ticket's id before what it asks: "TKT-2207 | ...", "CRM-418 — ...", "OPS-1203: ...".
static TICKET_ID: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^\s*[A-Z][A-Z0-9]{1,9}-\d{1,7}\b\s*(?:[:|.,]|\x{2014}|\x{2013}|-{1,2})?\s*")
        .expect("valid regex")
});

static YOU_GET: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\byou(?:'ll|\s+will)\s+(?:get|receive)\s+(?P<thing>(?:an?\s+)?(?:[a-z-]+\s+){0,2}(?:task|reminder|notification|message|e-?mail|ping))\b")
        .expect("valid regex")
});

static STAR_BULLET: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?m)^([ \t]*)\*[ \t]+").expect("valid regex"));

static STRAIGHT_TO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<v>move|moved|moves|push|pushed|pushes|go|goes|went|jump|jumps|send|sends|sent|put)(?P<o>\s+(?:it|them))?\s+(?:straight|directly|right)\s+(?P<p>to|into|back\s+to)\b")
        .expect("valid regex")
});

static SLASH_OR: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\b(?P<a>[a-z]{2,})/(?P<b>[a-z]{2,})\b").expect("valid regex"));

// A slash before a spec's next label: "trigger: deal won / action: ...".
static SPEC_SLASH: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\s+/\s*(?P<label>(?:(?:action|step)s?(?:\s*\d+)?|conditions?|then|trigger|event|do)(?:\s*:|\s+[-\u{2013}\u{2014}]\s))")
        .expect("valid regex")
});

/// A ticket's title and its description: "MSP-9: Stage 'Onboarding' -> setup task. When
/// a deal enters Onboarding, ...". Only after a ticket's id, and only where the title's
/// first sentence ends outside any quote with more words after it.
pub(super) fn ticket(text: &str) -> Option<(&str, &str)> {
    let id = TICKET_ID.find(text)?;
    let rest = &text[id.end()..];
    let end = rest
        .match_indices(['.', '\n'])
        .map(|(at, _)| at)
        .find(|&at| {
            rest[at..].starts_with('\n')
                || rest[at + 1..].starts_with(char::is_whitespace) && quotes_closed(&rest[..at])
        })?;
    let (title, description) = (rest[..end].trim(), rest[end + 1..].trim());
    (!title.is_empty() && quotes_closed(title) && !description.is_empty())
        .then_some((title, description))
}

/// Where the sentences of `text` end: each `.`, `?` or `!` followed by a space, outside
/// any quote.
fn sentence_ends(text: &str) -> impl DoubleEndedIterator<Item = usize> + '_ {
    text.match_indices(['.', '?', '!'])
        .map(|(at, _)| at)
        .filter(|&at| text[at + 1..].starts_with(char::is_whitespace) && quotes_closed(&text[..at]))
}

/// The first sentence of `text` and the rest, when there is a rest.
pub(super) fn first_sentence(text: &str) -> Option<(&str, &str)> {
    let text = text.trim();
    let end = sentence_ends(text).next()?;
    let (first, rest) = (text[..=end].trim(), text[end + 1..].trim());
    (!rest.is_empty()).then_some((first, rest))
}

/// The text before its last sentence, and the last sentence, when there are two.
pub(super) fn last_sentence(text: &str) -> Option<(&str, &str)> {
    let text = text.trim();
    let end = sentence_ends(text).next_back()?;
    let (before, last) = (text[..=end].trim(), text[end + 1..].trim());
    (!before.is_empty() && !last.is_empty()).then_some((before, last))
}

/// The order's verb a gerund is of ("setting" is "set", "creating" is "create"), when it
/// is one.
fn base_of_gerund(gerund: &str) -> Option<String> {
    let stem = gerund.strip_suffix("ing")?;
    let undoubled = stem
        .len()
        .checked_sub(2)
        .filter(|&i| stem.len() > 2 && stem.as_bytes()[i] == stem.as_bytes()[i + 1])
        .map(|i| &stem[..=i]);
    [
        Some(stem.to_owned()),
        undoubled.map(str::to_owned),
        Some(format!("{stem}e")),
    ]
    .into_iter()
    .flatten()
    .find(|v| words::first_action_verb(v, 0) == Some(0) && v.len() > 1)
}

/// Whether `hay` contains `needle` (lowercase ASCII), in any case, without lowering a copy.
pub(super) fn contains_ci(hay: &str, needle: &str) -> bool {
    let (hay, needle) = (hay.as_bytes(), needle.as_bytes());
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let Some(last_start) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    // The guard before most of the rewrites of `prepare`: only where the first letter is,
    // in either case, is the rest compared.
    memchr::memchr2_iter(
        first.to_ascii_lowercase(),
        first.to_ascii_uppercase(),
        &hay[..=last_start],
    )
    .any(|at| hay[at + 1..at + needle.len()].eq_ignore_ascii_case(rest))
}

/// Whether `c` is a pictograph (an emoji), not a letter, digit, punctuation or arrow.
fn is_pictograph(c: char) -> bool {
    matches!(
        c,
        '\u{1f300}'..='\u{1faff}' | '\u{2600}'..='\u{27bf}' | '\u{2b50}' | '\u{2b55}' | '\u{231a}'..='\u{23ff}'
    )
}

/// Whether every quote opened in `s` is closed: an even number of each quote mark, an
/// apostrophe between two letters ("we'll") not counted.
fn quotes_closed(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let mut single = 0;
    for (i, &c) in chars.iter().enumerate() {
        let between_letters = i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if ['\'', '\u{2019}', '\u{2018}'].contains(&c) && !between_letters {
            single += 1;
        }
    }
    single % 2 == 0 && s.matches('"').count().is_multiple_of(2)
}

// A bar between a spec's fields.
static SPEC_BAR: LazyLock<Regex> = LazyLock::new(|| pattern(r"\s+\|\s+").expect("valid regex"));

static SPEC_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<pre>^|[.;!?\n]\s*|\x02\s*|,\s*)(?:(?P<bare>actions?)\s+(?:[a-z])|(?:trigger|event|conditions?)\s*[:=]|(?:the\s+)?(?:trigger|event)\s+is\s|(?:(?:action|step)(?:\s*\d+)?|actions|then|do|spec|requirement|request|ticket)\s*:|(?:trigger|event|actions?|then|do)\s+[-\u{2013}\u{2014}]\s)\s*")
        .expect("valid regex")
});

static NAME_ROLE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?P<name>\p{Lu}\p{Ll}+)\s*\((?:our\s+|the\s+)?(?:[a-z-]+\s+){0,2}(?:manager|lead|head|director|assistant|coordinator|officer|admin|administrator|receptionist|accountant|engineer|technician|consultant|adviser|advisor|agent|rep|representative|supervisor|owner|specialist)\)")
        .expect("valid regex")
});

static THANK_YOU: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\bthank\s+you\s+(?P<what>e-?mail|note|message|sms|text|whats\s?app|card|letter)\b",
    )
    .expect("valid regex")
});

static THANK_YOU_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<det>a|an|the|our|my|your|quick|short)\s+thank\s+you\b")
        .expect("valid regex")
});

/// Whether `text` has "w" as a word of its own, before a space: "a call w the client".
fn has_lone_w(text: &str) -> bool {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(1)).any(|i| {
        (b[i] == b'w' || b[i] == b'W')
            && b[i + 1].is_ascii_whitespace()
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
    })
}

// "client email filled", "customer phone still missing": the client's channel and its
// state, with no "is", as a note says it; read whole, the e-mail was an order.
static CLIENT_FIELD_STATE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:the\s+)?(?P<o>client|customer)(?:'s)?\s+(?P<f>e-?mail(?:\s+address)?|phone(?:\s+number)?|mobile)\s+(?P<s>(?:still\s+)?(?:filled(?:\s+in)?|empty|blank|missing|not\s+empty))\b")
        .expect("valid regex")
});

// "deadline - tomorrow", ", term 2 days" (Russian's "srok", the time a task is due by):
// a deadline said with a dash, or by the word for it, after a comma.
static DEADLINE_SAID: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?:\bdeadline|(?P<pre>[,;]\s*|^\s*)term)\s*(?:[-:\x{2013}\x{2014}]\s*)?(?P<t>\d|tomorrow\b|today\b|in\s|within\s|next\s)")
        .expect("valid regex")
});

// "the amount is 2000+": at least that much, as "2000 or more" says it. Only after "is"
// or "=", where the number is a value ("in 3+ days" counts days).
static IS_PLUS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<v>is|are|=)\s*(?P<n>\d[\d,.]*\s*k?)\+(?P<e>\s|$|[,;!?])")
        .expect("valid regex")
});

// "new dead", "dead won": a phone's autocorrect slip for "deal", where nothing else
// could be meant.
static DEAD_DEAL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<pre>new\s+)dead\b|\bdead(?P<post>\s+(?:won|lost|created|moved|moves|closed|updated|over))\b")
        .expect("valid regex")
});

// "w/", "w/o", "w/out", and "w" before an article, a pronoun or "no", as "w/" is typed without its
// slash ("a call w the client").
static SHORT_WITH: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\bw/(?P<o>o(?:ut)?\b)?|\bw\s+(?P<next>the|a|an|their|them|him|her|his|its|our|my|no)\b")
        .expect("valid regex")
});

// "stage = Proposal ->" at the start of a sentence, with an arrow or a colon after it.
static STAGE_EQUALS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?P<pre>^|[.!?]\s+)(?:the\s+)?(?:deal\s+)?stage\s*=\s*(?P<to>\x01\d+\x02|[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)\s*(?P<arrow>->|=>|\x{2192}|:)")
        .expect("valid regex")
});

// "When stage = X", "if the deal stage = X".
static WHEN_STAGE_EQUALS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<when>when|whenever|once)\s+(?:the\s+)?(?:deal(?:'s)?\s+)?stage\s*=\s*")
        .expect("valid regex")
});

// A noun with a bracket that names its record: "an account (company)".
static RECORD_BRACKET: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?P<word>[a-z][a-z'-]*)\s*\(\s*(?:a\s+|an\s+|the\s+)?(?P<record>deal|lead|contact|company|invoice|quote|task|meeting)\s*\)",
    )
    .expect("valid regex")
});

// Telegraphic stage moves: "deal -> 'Negotiation' stage", "deal stage → 'Won'", "Stage →
// 'Interview scheduled'", "Stage → C3:BALANCE_DUE" at the start of a sentence: an arrow
// from a deal or its stage to a stage (a quoted name, a stage id or the word "stage")
// says the deal moves there.
static DEAL_ARROW: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)(?:\b(?P<deal>deals?|opportunit(?:y|ies))(?:'s)?(?:\s+stage)?|(?P<pre>^|[.;!?]\s+)stage)\s*(?:->|=>|\x{2192})\s*(?P<to>(?:the\s+)?stage\b|\x01\d+\x02|(?-i:[A-Z][A-Z0-9]*:[A-Z0-9_]+|[A-Z][A-Z0-9]*_[A-Z0-9_]+)\b)",
    )
    .expect("valid regex")
});

// "the day after a quote is sent", "3 days after the deal is won": a delay counted from
// the event, which the event clause that follows must not take with it.
static TIME_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)\b(?P<n>the|a|one|\d+|two|three|four|five|six|seven|ten|fourteen|thirty)\s+(?P<unit>days?|weeks?|hours?)\s+(?:after|following)\b",
    )
    .expect("valid regex")
});

// "the day after tomorrow" is two days on; without this, "the day after" would read as
// a delay counted from the event (`TIME_AFTER`).
static DAY_AFTER_TOMORROW: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\bthe\s+day\s+after\s+tomorrow\b").expect("valid regex"));

// "to today's date ({{CURRENT_DATE}})": a bracket holding only a variable, right after a
// value of a few words, says which variable those words mean. The variable replaces
// them, so the value is read as the author spelled it out.
static VARIABLE_BRACKET: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<prep>to|with|as|into|on)\s+(?:[\w'-]+\s+){0,3}?[\w'-]+\s*\(\s*(?P<var>\{\{[A-Z_]+\}\})\s*\)")
        .expect("valid regex")
});

// A column break: tabs (with the spaces around them), or a semicolon run into the next
// word.
static COLUMN: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"[ ]*\t[\t ]*|;[ \t]*").expect("valid regex"));

// A letter's greeting, with the reader's name: "Hi Joanna,", "Morning,", "Hello Adam,",
// "Hi both,", "Dear IT,", "Hi Anna :)", and in Portuguese and Dutch: "Boa tarde.",
// "Hoi,", "Goedemorgen,". (The system greeted by name is `addressed::called`'s.)
static GREETING: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^\s*(?i:hi|hello|hey|hiya|dear|morning|good\s+(?:morning|afternoon|evening)|boa\s+tarde|bom\s+dia|boa\s+noite|ol[a\x{e1}]|hoi|hallo|goedemorgen|goedemiddag|goedenavond|dag)(?:\s+(?:[A-Z][a-z]+|[A-Z]{2,4}|(?i:team|all|both|everyone|there|admin|sir|madam|colleagues?)))?\s*(?:[,!:.]|:\)|:-\))+\s*(?i:(?:just\s+)?(?:a\s+)?quick\s+(?:one|question|request|thing|ask|favou?r)(?:\s+from\s+[^.,:!?]+)?\s*[.:!,-]\s*)?")
        .expect("valid regex")
});

// A letter's farewell, signed: "Thanks, Marta", "Thanks so much, Jo", "Cheers, Dr Nowak",
// "Best regards,\nAnna", "Thanks, Sinead O'Brien", with the signer's role or place after
// the name ("Thanks, Mo (studio mgr)", "cheers, Dave - Kestrel north depot", "Ta, Jess",
// "Thanks! - Office"), and in Portuguese and Dutch ("Obrigado, Wilson (IT)", "Mvg Ruben",
// "Gr. Stijn", "Groetjes, Nele").
// A quote's closing mark after the name is no part of it: the farewell is then the
// quoted message's own.
static SIGNED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?P<end>^|[.!?]['\x22\x{2019}\x{201d}]?\s+|\n\s*|\s+/\s+)(?i:thanks|thank\s+you|many\s+thanks|thanks\s+a\s+lot|thanks\s+(?:so|very)\s+much|thank\s+you\s+(?:so|very)\s+much|thanks\s+again|thanks\s+in\s+advance|cheers|regards|kind\s+regards|best\s+regards|best|best\s+wishes|thx|rgds|with\s+respects?|respectfully|asante(?:\s+sana)?|thanks\s+and\s+regards|ta|hvala|fala|lp|lep\s+pozdrav|pozdrav|[dď]akujem|d[eě]kuji|blagodaram|(?:muito\s+)?obrigad[oa]|abra[c\x{e7}]os?|cumprimentos|atenciosamente|mvg|met\s+vriendelijke\s+groet(?:en)?|gr|groet(?:en|jes)|(?:alvast\s+)?bedankt|xx)\s*(?:[,!.]\s*[-\x{2013}]|[,!.]|\s[-\x{2013}])?\s+(?:(?:Dr|Mr|Mrs|Ms)\.?\s+)?[A-Z\x{c0}-\x{de}\x{100}-\x{17f}][\w\x{e0}-\x{ff}\x{100}-\x{17f}-]*(?:'[A-Za-z][\w-]*)?(?:\s+[A-Z][\w-]*(?:'[A-Za-z][\w-]*)?)?(?:\s*\([^()\n\x01]{1,40}\)|\s+[-\x{2013}]\s+[^.!?()\n\x01]{1,40})?\s*[.!]?\s*$")
        .expect("valid regex")
});

fn letter(text: std::borrow::Cow<'_, str>) -> std::borrow::Cow<'_, str> {
    let text = match GREETING.find(&text) {
        Some(m) => std::borrow::Cow::Owned(text[m.end()..].to_owned()),
        None => text,
    };
    let farewell = [
        "thank",
        "cheers",
        "regards",
        "best",
        "thx",
        "rgds",
        "respect",
        "asante",
        "ta,",
        "ta -",
        "hvala",
        "fala",
        "lp,",
        "pozdrav",
        // Without their first letter: the check folds only ASCII case ("Ďakujem", "Děkuji").
        "akujem",
        "kuji",
        "blagodaram",
        // Portuguese and Dutch: "Obrigado, Wilson (IT)", "Mvg Ruben", "Gr. Stijn",
        // "Groetjes, Nele"; and a kiss before the name ("xx Harriet").
        "obrigad",
        "abra",
        "cumpriment",
        "atenciosa",
        "mvg",
        "gr.",
        "groet",
        "bedankt",
        "xx ",
    ]
    .iter()
    .any(|w| contains_ci(&text, w));
    match farewell.then(|| SIGNED.captures(&text)).flatten() {
        Some(c) => {
            let at = c.get(0).map_or(0, |m| m.start()) + c["end"].trim_end().len();
            // "... before invoicing / cheers, M.": the slash went with the farewell.
            std::borrow::Cow::Owned(text[..at].trim_end_matches([' ', '/']).to_owned())
        }
        None => text,
    }
}

// A stage named first: "Proposal Sent stage: when a deal gets there", "Trial Booked
// stage: as soon as a deal moves into it". Without it "Proposal Sent" read as a quote
// sent.
static STAGE_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^\s*(?:the\s+)?(?P<stage>[A-Z][\w-]*(?:\s+[A-Z][\w-]*){0,3})\s+stage\s*:\s*(?i:when|once|as\s+soon\s+as|whenever|if)\s+(?i:a\s+deal|the\s+deal|one|it)\s+(?i:gets|moves|goes|lands|is\s+moved|reaches|enters)\s+(?i:there|into\s+it|in\s+there|to\s+it|in|it)\b")
        .expect("valid regex")
});

// Records named first with what narrows them, the event after a colon or a dash:
// "Facebook leads only - new lead -> ...", "Instagram leads: whenever one is updated",
// "Invoices of 2000 and up: once paid", "Contacts from the Website - once created".
static SCOPE_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^\s*(?i:for\s+)?(?P<source>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)?\s+)?(?P<rec>(?i:deals|leads|contacts|companies|invoices|quotes))(?P<narrow>\s+(?i:from|of|over|under|above|below|with|without|where|that|which|worth)\b[^:\n]*?)?(?:\s+(?i:only))?\s*(?::|\s-\s|\s\x{2013}\s)\s*(?P<event>.+)$")
        .expect("valid regex")
});

// The event after such a scope: about "one" or "it" ("whenever one is updated"), or
// with its record left out ("once paid", "when won", "new lead ->", "on every edit").
static SCOPED_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?i)(?:(?P<when>when|once|as\s+soon\s+as|whenever|if|after)\s+(?:(?:one|it|they)\s+(?P<verb>is|are|gets|get|becomes|goes|changes|moves)\b|(?P<participle>won|lost|created|updated|converted|paid|changed|edited|added|approved|signed|overdue)\b)|(?P<new>new\s+(?:deal|lead|contact|company|invoice|quote))\b|on\s+(?:every|each|any)?\s*(?P<edit>update|edit|change)\b)")
        .expect("valid regex")
});

/// The scope said before the event, read as the event with the scope on its record.
fn scope_first(text: &str) -> Option<String> {
    if let Some(c) = STAGE_FIRST.captures(text) {
        let end = c.get(0)?.end();
        return Some(format!(
            "When a deal moves to stage {}{}",
            &c["stage"],
            &text[end..]
        ));
    }
    let c = SCOPE_FIRST.captures(text)?;
    let record = match c["rec"].to_ascii_lowercase().as_str() {
        "deals" => "deal",
        "leads" => "lead",
        "contacts" => "contact",
        "companies" => "company",
        "invoices" => "invoice",
        _ => "quote",
    };
    let mut scoped = format!("a {record}");
    if let Some(source) = c.name("source") {
        let source = source.as_str().trim();
        let first = source.split_whitespace().next().unwrap_or_default();
        match first.to_ascii_lowercase().as_str() {
            // "All leads:", "Our deals -": no narrowing.
            "all" | "our" | "the" | "any" | "every" | "each" => {}
            // "New leads:", "Won deals -": an event or a state, not where they came
            // from; read as written.
            "new" | "won" | "lost" | "open" | "closed" | "paid" | "overdue" | "unpaid" | "old"
            | "big" | "small" | "hot" | "cold" | "vip" => return None,
            _ => {
                scoped.push_str(" from ");
                scoped.push_str(source);
            }
        }
    }
    if let Some(narrow) = c.name("narrow") {
        // "that have an email": one record has, where many have.
        scoped.push_str(&narrow.as_str().replace(" have ", " has "));
    }
    let event = c.name("event")?;
    let e = SCOPED_EVENT.captures(event.as_str())?;
    let rest = &event.as_str()[e.get(0)?.end()..];
    let read = if let Some(verb) = e.name("verb") {
        format!("{} {scoped} {}{rest}", &e["when"], verb.as_str())
    } else if let Some(participle) = e.name("participle") {
        format!("{} {scoped} is {}{rest}", &e["when"], participle.as_str())
    } else if e.name("new").is_some() {
        format!("When {scoped} is created{rest}")
    } else {
        format!("When {scoped} is updated{rest}")
    };
    Some(read)
}

// A colleague's request seconded in a team chat: "+1 to what @kofi asked 👉 “...”".
static SECONDED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r#"^\s*\+1\s+(?:to\s+)?(?:what\s+)?@?[\w.-]+(?:\s+(?:asked|said|wrote|suggested|posted)(?:\s+for)?)?\s*(?:\x{1F449}|:|->|\x{2192}|-)?\s*[\x{201C}"](?P<ask>[^\x{201C}\x{201D}"]+)[\x{201D}"]\s*(?:@[\w.-]+\s*)*[.!]?\s*$"#)
        .expect("valid regex")
});
// Mentions closing a message: "... @dana".
static CLOSING_MENTION: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?:\s+@[\w.-]+)+(?P<end>[\s.!?]*)$").expect("valid regex"));

/// A team chat's framing, read past: "+1 to what @kofi asked 👉 “if a deal is lost,
/// ...” @dana" seconds a colleague's request, which is the quoted text; "... remove
/// 'awaiting-payment' @dana": a mention closing the message says whom it is written to.
/// Not after a verb or a preposition: "... notify @priya" names whom.
fn team_chat(text: std::borrow::Cow<'_, str>) -> std::borrow::Cow<'_, str> {
    if !text.contains('@') && !text.trim_start().starts_with("+1") {
        return text;
    }
    if let Some(ask) = SECONDED
        .captures(&text)
        .and_then(|c| c.name("ask").map(|m| m.as_str().to_owned()))
    {
        return std::borrow::Cow::Owned(ask);
    }
    let Some(m) = CLOSING_MENTION.find(&text) else {
        return text;
    };
    let before = text[..m.start()]
        .split_whitespace()
        .last()
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if before.is_empty()
        || super::words::has_action_verb(&before)
        || ["to", "for", "with", "cc", "and", "or", "by", "from"].contains(&before.as_str())
    {
        return text;
    }
    std::borrow::Cow::Owned(CLOSING_MENTION.replace(&text, "$end").into_owned())
}

// A line pasted from a chat: "[11:02] Paula (ops): ...", "[16:45] Mark - Alarms: ...".
// The time and the sender say who asked, not what.
static CHAT_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^\s*\[\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]m)?\]\s*[^:\n\[\]]{1,40}?:\s+")
        .expect("valid regex")
});

// The opener that asks for a state of affairs: "can we make it so that ...", "could you
// set it up so ...", and the one that records it: "it is required that ...", "it was
// agreed that ..." (what follows states what the workflow makes so).
static MADE_SO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?:(?:have|set|make|get|organi[sz]e|arrange|configure)\s+(?:it|this|things|something|a\s+rule)\s+(?:up\s+)?so|set\s+up\s+(?:a\s+rule|something)\s+so|(?:required|expected|necessary|agreed|decided)\s+that)\b").expect("valid regex")
});

// Politeness and framing before the request itself: "Is it possible to text the
// customer when ...", "Could we have it so that when ...", the Southern "Might could you
// set it so ...".
static OPENER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)^\s*(?:(?:(?:hi|hello|hey)(?:\s+(?:there|team|all|everyone))?|good\s+(?:morning|afternoon|evening)|dear\s+(?:admin|team|all|colleagues))\s*[,!]?\s+)?(?:might\s+)?(?:(?:can|could|would)\s+(?:you|we|i)\s+(?:get|have|make)\s+(?:the\s+)?(?:system|crm|b24flow|bitrix24|bitrix|portal)\s+to|(?:can|could|would|should)\s+(?:the\s+)?(?:system|crm|b24flow|bitrix24|bitrix|portal)|is\s+there\s+a\s+way\s+to|how\s+(?:do|can|would)\s+(?:i|we)(?:\s+make\s+it\s+so(?:\s+that)?)?|is\s+it\s+possible(?:\s+that|\s+for\s+(?:the\s+)?(?:system|computer|crm))?|would\s+it\s+be\s+possible(?:\s+that|\s+for\s+(?:the\s+)?(?:system|computer|crm))?|can\s+(?:you|u|we|b24flow)|could\s+(?:you|u|we)|would\s+you|i'?d\s+(?:like|love)(?:\s+you)?|we'?d\s+(?:like|love)(?:\s+you)?|i\s+(?:want|need)(?:\s+you)?|we\s+(?:want|need)(?:\s+you)?|what\s+(?:i|we)\s+(?:need|want|'d\s+like|would\s+like)\s+is(?:\s+(?:this|that))?\s*[:,]?|it\s+(?:is|was|has\s+been)\s+(?:required|expected|necessary|agreed|decided)\s+that\s*,?|we(?:'ve|\s+have)?\s+(?:agreed|decided)\s+that\s*,?|please)\s+(?:to\s+)?(?:please\s+|kindly\s+)?(?:(?:have|set|make|get|organi[sz]e|arrange|configure)\s+(?:it|this|things|something|a\s+rule)\s+(?:up\s+)?so\s+(?:that\s+)?|set\s+up\s+(?:a\s+rule|something)\s+so\s+(?:that\s+)?)?",
    )
    .expect("valid regex")
});

// The opener that is a wish, not a question: "I want", "we'd like", "What I need is", not
// "I want you to".
static WISH_OPENER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*(?:i'?d\s+(?:like|love)|we'?d\s+(?:like|love)|i\s+(?:want|need)|we\s+(?:want|need)|what\s+(?:i|we)\s+(?:need|want|'d\s+like|would\s+like)\s+is(?:\s+(?:this|that))?\s*[:,]?)\s+$")
        .expect("valid regex")
});

// A number written with separators ("15,000", "1,000,000", "1.234,56", "2,5k"), with the
// currency sign or word, or the scale, written right next to it. `numbers` reads it.
static SEPARATED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(
        r"(?i)(?P<pre>[$\x{{20ac}}\x{{a3}}]\s?)?\b(?P<n>\d+(?:[.,]\d+)+)(?P<post>\s?(?:[$\x{{20ac}}\x{{a3}}]|(?:{}|eur|euros?|usd|gbp|chf|dollars|pounds|k|m|thousand|million)\b))?",
        super::conditions::CURRENCY_NAMES
    ))
    .expect("valid regex")
});

// A thin-space or space thousands separator, as many Europeans and South Africans write:
// "10 000", "1 000 000", "R50 000" (the rand's sign kept for `RAND`). Only groups of
// exactly three digits after a number of one to three.
static SPACED_THOUSANDS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:R[M$]?\s?)?\d{1,3}(?:[ \x{a0}\x{202f}]\d{3})+\b").expect("valid regex")
});

// The South African rand's and the Malaysian ringgit's signs before an amount: "R5000",
// "R 12,500", "R80k", "RM 10000"; an ISO code before it, as the Gulf and much of the world write
// prices: "AED 200,000", "SAR 1,500,000", "QAR 80,000". Capitals only, and a whole number
// after them ("R2D2" is no amount). The rupee's "Rs." and the taka's "Tk" too, as
// Pakistan, India and Bangladesh write them ("Rs. 2,00,000"), and the Brazilian real's
// "R$ 50.000".
static RAND: LazyLock<Regex> = LazyLock::new(|| {
    let codes: Vec<String> = super::conditions::CURRENCY_NAMES
        .split('|')
        .chain(["usd", "eur", "gbp", "rub"])
        .filter(|c| c.len() == 3 && c.bytes().all(|b| b.is_ascii_lowercase()) && *c != "yen")
        .map(str::to_ascii_uppercase)
        .collect();
    pattern(&format!(
        r"\b(?:R(?:(?P<m>M)|(?P<real>\$))?|(?P<rs>Rs\.?)|(?P<tk>Tk\.?)|(?P<code>{}))\s?(?P<n>\d[\d,.]*\d|\d)(?P<scale>[km])?\b",
        codes.join("|")
    ))
    .expect("valid regex")
});

// "2,00,000", digits grouped in twos before the last three; "1 lakh", "2.5 crore".
static INDIAN_GROUPS: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\b\d{1,2}(?:,\d{2})+,\d{3}\b").expect("valid regex"));
static LAKH: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\b(?P<n>\d+(?:\.\d+)?)\s*(?P<u>lakhs?|lacs?|crores?)\b").expect("valid regex")
});

/// South Asian amounts as plain digits: "1 lakh" (a hundred thousand), "2.5 lakh", "1
/// crore" (ten million), and "2,00,000", digits grouped in twos before the last three.
fn south_asian_numbers(text: std::borrow::Cow<'_, str>) -> std::borrow::Cow<'_, str> {
    let text =
        if contains_ci(&text, "lakh") || contains_ci(&text, "lac") || contains_ci(&text, "crore") {
            std::borrow::Cow::Owned(
                LAKH.replace_all(&text, |c: &regex::Captures<'_>| {
                    let zeros = if c["u"].to_ascii_lowercase().starts_with('c') {
                        7
                    } else {
                        5
                    };
                    times_ten_to(&c["n"], zeros).map_or_else(|| c[0].to_owned(), |v| v.to_string())
                })
                .into_owned(),
            )
        } else {
            text
        };
    if text.contains(',') && INDIAN_GROUPS.is_match(&text) {
        std::borrow::Cow::Owned(
            INDIAN_GROUPS
                .replace_all(&text, |c: &regex::Captures<'_>| c[0].replace(',', ""))
                .into_owned(),
        )
    } else {
        text
    }
}

/// `number` ("2.5") times ten to the power `zeros`, when that is a whole number: exact,
/// digit by digit ("1.15 lakh" is 115000, which a float would miss by a hair).
fn times_ten_to(number: &str, zeros: u32) -> Option<u64> {
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let places = u32::try_from(fraction.len()).ok().filter(|&p| p <= zeros)?;
    let whole: u64 = whole.parse().ok()?;
    let fraction: u64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    whole
        .checked_mul(10u64.pow(zeros))?
        .checked_add(fraction.checked_mul(10u64.pow(zeros - places))?)
}

// A bracket of one example, marked by "say": "(a local business sponsor, say)", "(say, a
// school)".
static EXAMPLE_SAY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\s*\(\s*(?:say\s*,?\s+(?:a|an)\s+[a-z-]+(?:\s+[a-z-]+){0,3}|(?:a|an)\s+[a-z-]+(?:\s+[a-z-]+){0,3}\s*,\s*say)\s*\)")
        .expect("valid regex")
});

// A number in words and again in figures, as contracts write it: "two (2) days", "within
// three (3) working days".
static NUMBER_TWICE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?i)\b(?P<word>[a-z]+)\s*\((?P<n>\d{1,2})\)").expect("valid regex"));

// A record's other name in brackets right after it, as another CRM calls it: "a company
// (account) record", "the deal (opportunity)".
static RECORD_GLOSS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?P<record>(?:compan(?:y|ies)|deals?|contacts?|leads?|opportunit(?:y|ies)))\s+\((?:an?\s+|the\s+)?(?:accounts?|opportunit(?:y|ies)|opps?|organi[sz]ations?|persons?|people|prospects?|customers?|clients?|compan(?:y|ies)|deals?|contacts?|leads?)\)")
        .expect("valid regex")
});

// A bracket of examples: "(web form, phone etc.)", "(calls, emails, and so on)", "(call,
// email, whatever)".
static EXAMPLES_ETC: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\s*\((?:\s*[a-z-]+(?:\s+[a-z-]+)?\s*(?:,|/|\bor\b|\band\b)\s*){1,5}(?:[a-z-]+(?:\s+[a-z-]+)?\s+)?(?:etc\.?|and\s+so\s+on|(?:or\s+)?whatever)\s*\)")
        .expect("valid regex")
});

// "resp." before the person it describes.
static RESP_DOT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)\bresp\.\s+(?P<role>person|manager|user|employee|owner)\b").expect("valid regex")
});

// Words people commonly misspell or shorten, as they are meant. A fixed list, not a
// fuzzy match, so a real word is never "corrected" into another.
const TYPOS: &[(&str, &str)] = &[
    ("emial", "email"),
    // French, as a Quebec office writes it in English.
    ("courriel", "email"),
    ("emal", "email"),
    ("e-mial", "e-mail"),
    ("notfy", "notify"),
    ("notfiy", "notify"),
    ("nofity", "notify"),
    ("notifiy", "notify"),
    ("recieved", "received"),
    ("recieve", "receive"),
    ("recieves", "receives"),
    ("loose", "lose"),
    ("isnt", "isn't"),
    ("arent", "aren't"),
    ("wasnt", "wasn't"),
    ("hasnt", "hasn't"),
    ("doesnt", "doesn't"),
    // "theres still no email on it": what the record lacks, said as it is.
    ("theres", "there's"),
    ("looses", "loses"),
    ("loosing", "losing"),
    ("assing", "assign"),
    ("asign", "assign"),
    ("asigned", "assigned"),
    ("reasign", "reassign"),
    ("teh", "the"),
    ("adn", "and"),
    ("reasigned", "reassigned"),
    ("mesage", "message"),
    ("messsage", "message"),
    ("whatsap", "whatsapp"),
    ("watsapp", "whatsapp"),
    ("remider", "reminder"),
    ("reminer", "reminder"),
    ("shedule", "schedule"),
    ("invocie", "invoice"),
    ("invoce", "invoice"),
    ("invioce", "invoice"),
    ("conatct", "contact"),
    ("contcat", "contact"),
    ("cleint", "client"),
    ("clinet", "client"),
    ("custmer", "customer"),
    ("costumer", "customer"),
    ("manger", "manager"),
    ("maneger", "manager"),
    ("compnay", "company"),
    ("notifcation", "notification"),
    ("notificaton", "notification"),
    ("notificaiton", "notification"),
    ("tommorow", "tomorrow"),
    ("stil", "still"),
    ("acount", "account"),
    ("wehn", "when"),
    ("whne", "when"),
    ("creat", "create"),
    ("loged", "logged"),
    ("payed", "paid"),
    ("tomorow", "tomorrow"),
    ("tommorrow", "tomorrow"),
    ("tmrw", "tomorrow"),
    ("activty", "activity"),
    ("actvity", "activity"),
    ("subj", "subject"),
    ("notifiction", "notification"),
    ("taks", "task"),
    ("tsak", "task"),
    ("oportunity", "opportunity"),
    ("opportunty", "opportunity"),
    ("convereted", "converted"),
    ("wen", "when"),
    ("creatd", "created"),
    ("crated", "created"),
    ("adress", "address"),
    ("recieving", "receiving"),
    ("convertd", "converted"),
    ("evry", "every"),
    ("shud", "should"),
    ("responsable", "responsible"),
    // A Spanish or Portuguese speaker's false friends: "actualize the field" (update
    // it), "a meeting is agended" (scheduled), "the datas", "the informations".
    ("actualize", "update"),
    ("actualized", "updated"),
    ("actualizes", "updates"),
    ("actualise", "update"),
    ("actualised", "updated"),
    ("agended", "scheduled"),
    ("datas", "data"),
    ("informations", "information"),
    // Shorthand typed on a phone, as it is meant.
    ("msg", "message"),
    ("dm", "message"),
    ("notif", "notification"),
    ("notifs", "notifications"),
    ("modifed", "modified"),
    ("msgs", "messages"),
    ("mgr", "manager"),
    ("wa", "whatsapp"),
    ("inv", "invoice"),
    ("invs", "invoices"),
    ("prio", "priority"),
    ("pri", "priority"),
    ("appt", "appointment"),
    // A CRM's opportunity, as its users shorten it.
    ("opp", "opportunity"),
    ("opps", "opportunities"),
    ("oppty", "opportunity"),
    ("mtg", "meeting"),
    ("mtgs", "meetings"),
    ("pls", "please"),
    ("plz", "please"),
    // A request's politeness or urgency, as "please" says it: "kindly set the field",
    // "gotta let Sandra know".
    ("kindly", "please"),
    ("gotta", "please"),
    ("acct", "account"),
    ("accts", "accounts"),
    ("cust", "customer"),
    ("custs", "customers"),
    ("mngr", "manager"),
    ("txt", "text"),
    ("frm", "from"),
    ("ppl", "people"),
    ("nums", "numbers"),
    ("dept", "department"),
];

// The words an event or an order turns on, which a slip of one letter must not hide:
// "comapny", "quaote", "somone", "automaticaly". A word one letter inserted, dropped or
// swapped away from one of them is read as it (see `words::one_edit`), unless it is a
// word of its own ([`REAL_NEAR_KEYS`]).
const KEY_WORDS: &[&str] = &[
    "company",
    "contact",
    "invoice",
    "quote",
    "client",
    "customer",
    "someone",
    "somebody",
    "assign",
    "assigned",
    "responsible",
    "whatsapp",
    "reminder",
    "notification",
    "notify",
    "message",
    "details",
    "changed",
    "created",
    "updated",
    "edited",
    "converted",
    "completed",
    "finished",
    "overdue",
    "approved",
    "accepted",
    "automatically",
    "every",
    "should",
    "schedule",
    "meeting",
    "activity",
    "deadline",
    "priority",
    "comment",
    "manager",
    "webhook",
    "opportunity",
    "whenever",
    "scheduled",
    "without",
    "facebook",
    "approves",
];

// Words of their own one letter away from a key word.
const REAL_NEAR_KEYS: &[&str] = &["contract", "remainder", "competed", "quotes", "clients"];

/// The key word `lower` is a one-letter slip of, if any.
fn key_word_slip(lower: &str) -> Option<&'static str> {
    if lower.len() < 5 || !lower.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    if KEY_WORDS.contains(&lower) || REAL_NEAR_KEYS.contains(&lower) {
        return None;
    }
    KEY_WORDS
        .iter()
        .find(|k| k.len().abs_diff(lower.len()) <= 1 && super::words::one_edit(lower, k))
        .copied()
}

/// `text` with the misspellings in [`TYPOS`] corrected, and the slips of one letter in
/// the parser's key words ([`KEY_WORDS`]), whole lowercase words only.
fn correct_typos(text: &str) -> String {
    // Looked up once per word of every description: a map, not a scan of the list.
    static TYPO_MAP: LazyLock<std::collections::HashMap<&'static str, &'static str>> =
        LazyLock::new(|| TYPOS.iter().copied().collect());
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let mut lower = String::new();
    // Whether the word before was capitalised: "Shipping Dept" is a name as written.
    let mut after_capital = false;
    let mut flush = |word: &mut String, out: &mut String| {
        // Called at every character that is no letter, so mostly with no word at all: no
        // empty word is a misspelling, and the lookup is skipped.
        if word.is_empty() {
            return;
        }
        lower.clear();
        lower.push_str(word);
        lower.make_ascii_lowercase();
        let capital = word.starts_with(|c: char| c.is_ascii_uppercase());
        let in_name = capital && after_capital && lower == "dept";
        after_capital = capital;
        match TYPO_MAP.get(lower.as_str()).filter(|_| !in_name) {
            Some(right) => out.push_str(right),
            None => match key_word_slip(word) {
                Some(right) => out.push_str(right),
                None => out.push_str(word),
            },
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphabetic() || c == '-' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

/// What a clause said to a person rather than the workflow is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Courtesy {
    /// "Hi!", "Hello", "Good morning".
    Greeting,
    /// "Thanks!", "Thank you", "Cheers", "Kind regards".
    SignOff,
    /// "Amazing", "Simple as that really": an exclamation anywhere in the text.
    Exclamation,
}

/// Whether `clause` is only a greeting, a sign-off or an exclamation.
pub(super) fn courtesy(clause: &Clause) -> Option<Courtesy> {
    // Letters outside ASCII count as letters: "Ďakujem" is a word of thanks, not "akujem".
    let trimmed = clause.lower.trim_matches(|c: char| !c.is_alphanumeric());
    let folded;
    let trimmed = if trimmed.is_ascii() {
        trimmed
    } else {
        folded = trimmed.to_lowercase();
        folded.as_str()
    };
    // "thank you very much in advance": thanks given before the work is done is thanks.
    let trimmed = match trimmed.strip_suffix(" in advance") {
        Some(thanks) if thanks.starts_with("thank") => thanks,
        _ => trimmed,
    };
    // None of the phrases below has more than five words.
    let words: Vec<&str> = trimmed.split_whitespace().take(6).collect();
    if words.len() > 5 {
        return None;
    }
    // "Cheers mate", "Thanks guys", "Hi all", "thank you sir": whom it is said to changes
    // nothing.
    let said_to = [
        "mate",
        "mates",
        "guys",
        "folks",
        "everyone",
        "team",
        "all",
        "sir",
        "ma'am",
        "maam",
        "madam",
        "po",
        // The Hindi and Nepali "ji" of respect: "Namaste ji", "Thank you ji".
        "ji",
        "colleague",
        "colleagues",
        // "Hi both", "Morning both": the two colleagues it is written to.
        "both",
        // "thanks bitrix", "thank you bitrix x", "hey bot": the system, spoken to.
        "bitrix",
        "bitrix24",
        "bot",
        "x",
        "xx",
    ];
    // "thank you bitrix x": whom it is said to, and a kiss after it.
    let mut said = words.as_slice();
    while let Some((last, rest)) = said.split_last()
        && !rest.is_empty()
        && said_to.contains(last)
    {
        said = rest;
    }
    let words = match said.split_last() {
        // "Salam alaikum dear colleague": "dear" goes with whom it is said to.
        Some((&"dear", before)) if said.len() < words.len() && !before.is_empty() => {
            before.join(" ")
        }
        _ => said.join(" "),
    };
    match words.as_str() {
        "hi" | "hello" | "hey" | "hiya" | "hi there" | "hello there" | "hey there"
        | "good morning" | "good afternoon" | "good evening" | "hi team" | "hello team"
        | "hi all" | "hello all" | "dear team"
        // Greetings in the writer's own language: Scandinavian, Dutch, German, French,
        // Spanish, Italian, Turkish, Arabic, Persian, Swahili.
        | "hej" | "hei" | "hallo" | "moi" | "salut" | "bonjour" | "hola" | "ciao" | "servus"
        | "merhaba" | "marhaba" | "salam" | "ahoj" | "salam alaikum" | "salaam alaikum"
        | "assalamu alaikum" | "as salamu alaikum" | "habari" | "jambo" | "hujambo"
        | "dear colleague" | "dear colleagues" | "dear colleague hello" | "morning"
        // Russian's "good day" and "colleagues!", and Hebrew's "shalom".
        | "good day" | "colleagues" | "hello colleagues" | "shalom" | "privet"
        | "zdravstvuyte" | "dobryi den" | "dobriy den"
        | "afternoon" | "evening"
        // Australian.
        | "g'day" | "gday" | "g'day all" | "g'day team"
        // Nepali, Amharic, Tigrinya and Somali greetings, and a Nepali or Sinhala
        // exclamation.
        | "namaste" | "namaskar" | "hajur" | "selam" | "salaan" | "aiyo" | "ayubowan"
        // Serbo-Croatian, Macedonian, Slovak, Czech and Slovenian greetings.
        | "dobar den" | "dobar dan" | "dober dan" | "dobry den" | "dobrý deň" | "dobrý den"
        | "zdravo" | "zdravím" | "zdravim"
        // Portuguese and Dutch greetings; "yo", "hey" said to the system.
        | "boa tarde" | "bom dia" | "boa noite" | "ola" | "olá" | "hoi" | "dag" | "goedemorgen"
        | "goedemiddag" | "goedenavond" | "yo"
        // Greek, as Greek and Cypriot offices open a note in English.
        | "kalimera" | "kalimera sas" | "kalispera" | "geia sas" | "yia sas" | "yassou"
        // Arabic's "hey guys" and "welcome", and Spanish greetings.
        | "ya shabab" | "ahlan" | "ahlan wa sahlan" | "buenos dias" | "buenos días"
        | "buenas tardes" | "buenas" | "buen dia" | "buen día" => {
            Some(Courtesy::Greeting)
        }
        "thanks"
        | "thank you"
        | "thanks a lot"
        | "thanks in advance"
        | "many thanks"
        | "thank you very much"
        | "thanks so much"
        | "thanks ever so much"
        | "thank you ever so much"
        | "thanks very much"
        | "thx"
        | "ty"
        | "cheers"
        | "regards"
        | "kind regards"
        | "best regards"
        | "best wishes"
        | "many thanks in advance"
        | "thanks heaps"
        | "cheers heaps"
        | "ta"
        | "ta very much"
        | "thanks loads"
        | "thanks lovely"
        | "thanks a bunch"
        | "thanks a million"
        | "thanks x"
        | "thanks xx"
        | "cheers x"
        | "cheers xx"
        | "ta xx"
        | "xx"
        | "much appreciated"
        | "with respect"
        | "with respects"
        | "respectfully"
        | "with regards"
        | "with best regards"
        | "with kind regards"
        | "warm regards"
        | "thanks and regards"
        | "thank you so much"
        | "thank you kindly"
        | "thank youuu"
        | "thanks a mil"
        | "thx a mil"
        | "k thanks"
        | "ok thanks"
        | "appreciate it"
        | "you're a star"
        | "you are a star"
        | "you're a lifesaver"
        | "you're a legend"
        // Thanks in the writer's own language.
        | "tack"
        | "takk"
        | "tak"
        | "tusen takk"
        | "tack så mycket"
        | "dank je"
        | "dank u"
        | "bedankt"
        | "danke"
        | "merci"
        | "gracias"
        | "grazie"
        | "obrigado"
        | "obrigada"
        | "muito obrigado"
        | "muito obrigada"
        | "obrigado a todos"
        | "abraço"
        | "abraços"
        | "cumprimentos"
        | "atenciosamente"
        // Dutch: "thanks in advance", "thanks", kind regards.
        | "alvast bedankt"
        | "bedankt alvast"
        | "dank"
        | "dank je wel"
        | "dank u wel"
        | "groetjes"
        | "groeten"
        | "mvg"
        | "met vriendelijke groet"
        | "shukran"
        | "shokran"
        | "shukran jazeelan"
        | "shokran jazeelan"
        // Spanish thanks and regards.
        | "muchas gracias"
        | "mil gracias"
        | "gracias de antemano"
        | "saludos"
        | "un saludo"
        | "cordialmente"
        | "atentamente"
        | "kiitos"
        | "asante"
        | "asante sana"
        | "dhanyabad"
        | "dhanyavad"
        | "dhanyawad"
        | "mahadsanid"
        // "Sawa?": Swahili's "all right?", after the request.
        | "sawa"
        | "merci beaucoup"
        | "mamnoon"
        | "mamnun"
        | "tashakor"
        | "rahmat"
        | "spasibo"
        | "bolshoe spasibo"
        // Greek thanks; the Caribbean's "Respect", "Blessings", "One love" at a note's end.
        | "efharisto"
        | "efharisto poly"
        | "efcharisto"
        | "efcharisto poly"
        | "efxaristo"
        | "respect"
        | "blessings"
        | "bless"
        | "bless up"
        | "one love"
        // Romanian, Belarusian, Armenian, Polish and Czech thanks.
        | "multumesc"
        | "mulțumesc"
        | "mersi"
        | "dziakuj"
        | "shnorhakalutyun"
        | "dziękuję"
        | "dziekuje"
        | "děkuji"
        | "dekuji"
        // Slovak, Slovenian, Croatian, Serbian and Macedonian thanks and farewells ("Lp"
        // is the Slovenian "lep pozdrav", kind regards).
        | "ďakujem"
        | "dakujem"
        | "hvala"
        | "hvala lepa"
        | "hvala puno"
        | "fala"
        | "fala ti"
        | "blagodaram"
        | "lp"
        | "lep pozdrav"
        | "pozdrav"
        | "pozdravi"
        | "s pozdravom"
        | "srdečne"
        | "srdecne"
        // A request for the whole, after it: "can you organise that?", "nothing else
        // needed".
        | "organise that"
        | "organize that"
        | "set that up"
        | "set this up"
        | "do that"
        | "can you organise that"
        | "can you organize that"
        | "can you set that up"
        | "can we set that up"
        | "could we set that up"
        | "can we set this up"
        | "could we set this up"
        | "can we do that"
        | "can you set this up"
        | "could you set that up"
        | "could you set this up"
        | "can you do that"
        | "could you do that"
        | "is that possible"
        | "is this possible"
        | "could you please"
        | "can you please"
        | "would you please"
        | "would that be possible"
        | "would this be possible"
        | "would that be ok"
        | "is that ok"
        | "if possible"
        | "nothing else"
        | "nothing else needed"
        | "nothing more"
        | "not more"
        | "that's all"
        | "that's it"
        | "thats all"
        | "thats it"
        | "that is all" => Some(Courtesy::SignOff),
        "amazing" | "brilliant" | "lovely" | "perfect" | "great" | "awesome" | "simple as that"
        | "simple as that really" | "super simple one" | "super simple one i know"
        | "easy one" | "quick one" | "nothing fancy" | "k" | "ok" | "okay" => {
            Some(Courtesy::Exclamation)
        }
        _ => None,
    }
}

/// Whether `sign_off` ("Thank you!") may be the text of a message to the client that
/// `text` sends with no text of its own. "thx" or "cheers" never is, and a chat to an
/// employee is no message to the client.
pub(super) fn may_be_message_text(text: &str, sign_off: &Clause) -> bool {
    static CLIENT_MESSAGE: LazyLock<Regex> =
        LazyLock::new(|| pattern(r"\b(?:whats\s?app|sms|text|e-?mail)\b").expect("valid regex"));
    sign_off.lower.starts_with("thank")
        && !text.contains('\x01')
        && CLIENT_MESSAGE.is_match(&text.to_ascii_lowercase())
}

/// The word an aside that restates what came before starts with, once prepared.
pub(super) const ASIDE_RESTATES: &str = "ie_aside";
/// The word a bracketed aside starts with, once prepared: "(deal won)".
pub(super) const ASIDE_BRACKET: &str = "paren_aside";
/// The word an aside that gives an example starts with, once prepared.
pub(super) const ASIDE_EXAMPLE: &str = "eg_aside";

/// The longest quote, in characters, that is lifted out as a token.
const QUOTE_MAX: usize = 2000;

const OPENERS: &[(char, char)] = &[
    ('"', '"'),
    ('\u{201c}', '\u{201d}'),
    ('\u{201e}', '\u{201c}'),
    ('\u{ab}', '\u{bb}'),
    // "add the tag `vip`": a code span, as people who write Markdown quote.
    ('`', '`'),
];

/// The marks a quote may open with, for the checks that a sentence quotes nothing.
pub(super) const QUOTE_MARKS: &[char] =
    &['\'', '"', '\u{2018}', '\u{201c}', '\u{201e}', '\u{ab}', '`'];

/// Lifts quotes and URLs out of `text` and collapses whitespace.
pub(super) fn prepare(text: &str) -> Prepared {
    // The token markers must only ever come from here.
    let text = text.replace(['\x01', '\x02'], " ");
    // "**Chef Marco**", "- [ ] tag it", "deal_lost", "PHONE == empty", "=> [Follow Up
    // Needed] = 'Yes'": markdown and rules written as code, read before any rewrite
    // takes their signs for something else.
    let text =
        formats::code_notation(formats::markdown(std::borrow::Cow::Owned(text))).into_owned();
    // "Closed-won<TAB>sms buyer<TAB>'Thanks!'", "Lead converted;email;donor": a row
    // pasted from a spreadsheet. A tab between columns, and a semicolon with no space
    // after it, end a clause as "; " does; collapsed into a space they ran the columns
    // together and the last ones were lost.
    let text = if text.contains(['\t', ';']) {
        COLUMN.replace_all(&text, "; ").into_owned()
    } else {
        text
    };
    let text = CHAT_HEADER.replace(&text, "");
    // "[AM-REQ] every new deal ...", "RE: pipeline automation - when ...": a ticket's or
    // a mail's label before the request.
    let text = TICKET_PREFIX.replace(&text, "");
    // "Proposal Sent stage: when a deal gets there, ...", "Facebook leads only - new
    // lead -> ...", "Companies from Trade Show: as soon as one is created, ...": the
    // scope said first, then the event about it.
    let text = if text.contains([':', '-', '\u{2013}']) {
        match scope_first(&text) {
            Some(read) => std::borrow::Cow::Owned(read),
            None => text,
        }
    } else {
        text
    };
    let text = team_chat(text);
    // "Hi Joanna, quick one. ... Thanks, Marta": a letter's greeting, its "quick one"
    // and its signed farewell are said to the reader, not the workflow. A name signed
    // after "Thanks," read as a clause was another recipient.
    let text = letter(text);
    // "Hey Bitrix, whenever ...", "bitrix pls when ...": the system called by name.
    let text = addressed::called(text);
    let text = replace_if(text, "pretend", &PRETEND, "${w} want");
    // "Agreed: ...", "Rule 4.2: ...": the label that files a note.
    let text = speech::minutes(text);
    // "FYI handover 23:10 - two walk-ins at reception ... Going fwd pls: when ...": what
    // happened, told before the request.
    let text = handover::read_past(text);
    // "Per Raj: ...", "Maria wants that ...": a request passed on by someone else.
    let text = speech::relayed(text);
    let text = speech::we_need(text);
    // "from the #ops thread, what we agreed:", "Slack notes:": where the notes below come
    // from, on a line of its own, is no part of them.
    // The line break after a colon is checked first: most texts have none, and then the
    // pattern is not searched.
    let text = match (text.contains(":\n") || text.contains(": \n"))
        .then(|| SOURCE_LINE.captures(&text))
        .flatten()
    {
        Some(c) if SOURCE_WORD.is_match(&c["line"]) => {
            std::borrow::Cow::Owned(text[c.get(0).map_or(0, |m| m.end())..].to_owned())
        }
        _ => text,
    };
    // "Last month a heat pump job got signed and the warehouse only heard about it a week
    // later. From now on, when a deal is won, ...": what happened once, told before the
    // request, is why it is asked; the request starts the next sentence.
    let text = match STORY.captures(&text) {
        Some(c) if !c["story"].contains(QUOTE_MARKS) && !c["story"].contains("http") => {
            std::borrow::Cow::Owned(text[c.name("next").map_or(0, |m| m.start())..].to_owned())
        }
        _ => text,
    };
    // "We import leads from the trade show badge scanners and the SDRs enrich them. Each
    // time a lead is updated, ...": what the business does, told before the request,
    // says why it is asked; nothing in it narrows the request, or it is kept and asked.
    let text = match BACKGROUND_FIRST.captures(&text) {
        Some(c)
            if !NOT_BACKGROUND.is_match(&c["background"])
                && !POINTS_BACK.is_match(&text[c.name("next").map_or(0, |m| m.start())..]) =>
        {
            std::borrow::Cow::Owned(text[c.name("next").map_or(0, |m| m.start())..].to_owned())
        }
        _ => text,
    };
    // "Monika should get a chat message and a reminder to look at it": both things are
    // hers; the second is said again with who gets it.
    let text = replace_if(
        text,
        " and a",
        &GETS_BOTH,
        "${who} ${v} ${x} and ${who} ${v} ${y}",
    );
    // "we'd like it assigned to Helen and a task created for her": both are wished; the
    // second, without its wish, read as the event "a task is created".
    let text = replace_if(
        text,
        " and a",
        &WISHED_BOTH,
        "${wish} ${x} and ${wish} ${y}",
    );
    // "Where a deal is won, ...": formal English opens the event with "where".
    let text = replace_if(text, "here ", &WHERE_EVENT, "${pre}When ${det} ");
    // "Next time a deal is lost", "From now on, when ...": the request's own opener.
    let text = match NEXT_TIME.find(&text) {
        Some(m) => std::borrow::Cow::Owned(format!("When {}", &text[m.end()..])),
        None => text,
    };
    // "Deal at Contract Sent: ...", "stage -> Keys Handed Over: ...", "hits Negotiation
    // -> ...", "stage -> Demo done: ...", "Stage = Shipped; ...", "deal to stage Samples
    // Sent -> ...", "Stage 'Trial lesson' → ...": a note that opens with a stage the deal is
    // in names the move to it.
    let text = match NOTE_STAGE.captures(&text) {
        Some(c) => {
            let rest = &text[c.get(0).map_or(0, |m| m.end())..];
            // "Deal -> Lost:" is the loss itself.
            let stage = c["stage"].trim_matches('\'').to_ascii_lowercase();
            std::borrow::Cow::Owned(match stage.as_str() {
                "won" | "lost" => format!("When a deal is {stage}, {rest}"),
                _ => format!("When a deal moves to the stage {}, {rest}", &c["stage"]),
            })
        }
        None => text,
    };
    // "the person it's assigned to": the assignee, said as a relative clause, whose
    // "assigned to" is no order.
    let text = replace_if(text, " assigned", &ASSIGNED_PERSON, "the assignee");
    // "once a lead has been qualified and converted": a lead is qualified on the way to
    // its conversion; the conversion is the event (split at "and", "qualified" was left
    // over as a clause of its own).
    let text = replace_if(text, "qualified and", &QUALIFIED_AND, "converted");
    // "as long as it's above 3k": a comparison after "as long as" is a condition.
    let text = replace_if(text, "as long as", &AS_LONG_AS, "if ${what} ${cmp}");
    // "priority -> high": the arrow sets the value; it starts no new item.
    let text = replace_if(text, "->", &PRIORITY_ARROW, "priority $level");
    let text = if text.contains('=') || text.contains(" field ") {
        std::borrow::Cow::Owned(
            UPDATE_COLON
                .replace_all(&text, "${head}set ${field}")
                .into_owned(),
        )
    } else {
        text
    };
    let text = replace_if(
        text,
        "esponsible ",
        &RESPONSIBLE_PERSON_TO,
        "${verb} the owner to",
    );
    let text = replace_if(text, "respons", &ARROW_RESPONSIBLE, "$arrow assign it to ");
    // "Should a catering equipment deal be lost, ...": the condition put first, as
    // formal English does, is "if a ... deal is lost".
    // Only a text with "should" (looked for without its "s") is searched.
    let text = match contains_ci(&text, "hould")
        .then(|| SHOULD_IF.captures(&text))
        .flatten()
    {
        Some(c) => std::borrow::Cow::Owned(format!(
            "{}if {} is {}{}",
            &text[..c.get(0).map_or(0, |m| m.start())],
            &c["record"],
            &c["event"],
            &text[c.get(0).map_or(0, |m| m.end())..]
        )),
        None => text,
    };
    // "He also needs a task", "Lukas also should get ...": "also" between a subject and
    // its verb joins nothing; put first, it no longer cuts the subject off.
    let text = replace_if(text, " also ", &SUBJECT_ALSO, "also ${who}${c} ${verb}");
    // "If you ever lose a deal, you'll get a task ...": a manager telling a rep what the
    // system does for them; the one who gets it is the record's responsible person.
    // Not when someone else is named for it ("you'll get a reminder set for Tom").
    let text = if contains_ci(&text, "you'll") || contains_ci(&text, "you will") {
        let text = text.into_owned();
        let out = YOU_GET.replace_all(&text, |c: &regex::Captures<'_>| {
            let end = c.get(0).map_or(0, |m| m.end());
            let rest = &text[end..];
            let sentence = &rest[..rest.find(['.', '!', '?', '\n']).unwrap_or(rest.len())];
            let for_someone = sentence
                .match_indices("for ")
                .any(|(at, _)| sentence[at + 4..].starts_with(|ch: char| ch.is_ascii_uppercase()));
            if for_someone {
                c[0].to_owned()
            } else {
                format!("the responsible person gets {}", &c["thing"])
            }
        });
        std::borrow::Cow::Owned(out.into_owned())
    } else {
        text
    };
    // "* tell Ops in chat": an asterisk opening a line is a bullet too.
    let text = if text.contains("* ") {
        std::borrow::Cow::Owned(STAR_BULLET.replace_all(&text, "$1- ").into_owned())
    } else {
        text
    };
    // "• drop the 'hot' tag": a bullet starts an item of its own, as a dash does.
    let text = if text.contains(['\u{2022}', '\u{25aa}', '\u{25e6}']) {
        std::borrow::Cow::Owned(text.replace(['\u{2022}', '\u{25aa}', '\u{25e6}'], " - "))
    } else {
        text
    };
    // A ticket's id has a hyphen: only a text with one is searched.
    let text = if text.contains('-') {
        TICKET_ID.replace(&text, "")
    } else {
        text
    };
    // "Trigger: new lead | Actions: assign to Natalia": a spec's fields, one per sentence.
    let text = if text.contains('|') {
        std::borrow::Cow::Owned(SPEC_BAR.replace_all(&text, ". ").into_owned())
    } else {
        text
    };
    // "trigger: deal won / action: create an invoice", "Event - deal won / Do - notify
    // accounts": a slash before a spec's label separates its fields as a bar does.
    let text = replace_if(text, "/", &SPEC_SLASH, ". $label");
    // "As an account manager I want ...", "Given ... When ... Then ...": the request
    // inside a user story or a scenario.
    let text = formats::read(text);
    // "on deal.won => whatsapp(client, 'Thanks!')": pseudo-code, in words.
    let text = formats::pseudo_code(text);
    // The opener is searched once: it is anchored, so removing it is a slice.
    let opener = OPENER
        .find(&text)
        .map(|m| (m.end(), MADE_SO.is_match(m.as_str())));
    let made_so = opener.is_some_and(|(_, so)| so);
    let wished = opener.is_some_and(|(end, so)| !so && WISH_OPENER.is_match(&text[..end]));
    let text = match opener {
        Some((end, _)) => std::borrow::Cow::Owned(text[end..].to_owned()),
        None => text,
    };
    // "Audit trail please: on every deal edit, ...": a heading before the description.
    // A heading ends with a colon: only a text with one is searched.
    let text = match text
        .contains(':')
        .then(|| HEADING.captures(&text))
        .flatten()
    {
        Some(c) if lexicon::is_heading(&c["heading"]) => {
            std::borrow::Cow::Owned(text[c.get(0).map_or(0, |m| m.end())..].to_owned())
        }
        _ => text,
    };
    // "an SMS: Thanks, we've got your request": the text after a colon, unquoted.
    let text = speech::colon_message(text);
    let mut tokens = Vec::new();
    let quoted = lift_quotes(&text, &mut tokens);
    // "create a tarea", "the factura is paid": the CRM's words in Spanish, before the
    // events are read.
    let quoted = speech::spanish(quoted);
    // "When deal is winning", "When is created a new deal": a learner's event. Read once
    // the quotes are lifted: "'Thank you! Invoice comes to you.'" is the author's words,
    // not an event to give its agreement.
    let quoted = formats::learner(std::borrow::Cow::Owned(quoted)).into_owned();
    // "... I need you to make a task", "is necessary to send": the frame before an order.
    let quoted = addressed::frames(quoted);
    // "..., to make a task to Eleni", "the client to take an email": orders as Greek
    // gives them.
    let quoted = addressed::to_orders(quoted);
    // "amount ≥ 20k": the mathematician's signs, as a programmer writes them (outside the
    // quotes, which keep their own).
    let quoted = if quoted.contains(['\u{2265}', '\u{2264}']) {
        quoted.replace('\u{2265}', ">=").replace('\u{2264}', "<=")
    } else {
        quoted
    };
    // "SOURCE == 'Referral'", "stage !== Lost": a programmer's equality is "=" (once the
    // quotes are lifted, so a message keeps its own signs).
    let quoted = if quoted.contains("==") {
        DOUBLE_EQUALS.replace_all(&quoted, " ${not}= ").into_owned()
    } else {
        quoted
    };
    let quoted = if quoted.contains(':') {
        STATE_COLON.replace_all(&quoted, "${state}, ").into_owned()
    } else {
        quoted
    };
    let quoted = replace_if_ci(quoted, " as ", &AS_OWNER, "${sep} make ${who} responsible");
    // "make Cristina responsible on the deal": responsible "for" it, as a Russian speaker's
    // "на сделке" puts it.
    let quoted = replace_if_ci(
        quoted,
        "responsible on ",
        &RESPONSIBLE_ON,
        "responsible for the $rec",
    );
    // "when the deal stage changes at all", "if anything at all is changed": "at all"
    // stresses what it follows and adds nothing to it.
    let quoted = replace_if_ci(quoted, " at all", &AT_ALL, "");
    let quoted = replace_if_ci(quoted, "info", &GIVE_INFO, "notify ");
    // "no phone # on it": the number sign after a channel is its number.
    let quoted = replace_if_ci(quoted, "#", &CHANNEL_NUMBER_SIGN, "${c} number${end}");
    // "send them subject 'X' body 'Y'": a subject and a body are an e-mail's.
    let quoted = replace_if_ci(quoted, "subject", &SEND_SUBJECT, "email ${who} ${s}");
    // "pull the new-lead tag off", "take away the walkin tag": a tag taken off.
    let quoted = if contains_ci(&quoted, "pull") || contains_ci(&quoted, "take away") {
        TAG_OFF.replace_all(&quoted, "take ${tag} off").into_owned()
    } else {
        quoted
    };
    // "get Retention a task": a task made for them.
    let quoted = replace_if_ci(quoted, "get ", &GET_A_TASK, "create ${thing} for ${who}");
    // "set task priority high": the task's own priority, its level without "to".
    let quoted = replace_if_ci(
        quoted,
        "task priority",
        &TASK_PRIORITY,
        "set the priority to ${level}",
    );
    // "it came in by referral", "it came from a partner", "the client came through
    // Instagram": the source it came from.
    let quoted = if contains_ci(&quoted, "came ") || contains_ci(&quoted, "come") {
        CAME_IN_BY
            .replace_all(&quoted, |c: &regex::Captures<'_>| {
                // "the client came through Instagram": the record came from it.
                let it = if c.name("who").is_some() { "it " } else { "" };
                format!("{it}{} from {}", &c["v"], &c["source"])
            })
            .into_owned()
    } else {
        quoted
    };
    // "give task to Marek for check of drawings until tomorrow": after a task, "until" a
    // day is the deadline a learner writes, not a wait.
    let quoted = replace_if_ci(quoted, "until ", &TASK_UNTIL, "${pre}due ${when}");
    // "lead update -> comment that lead is updated": "comment" as the order's verb, what
    // it says after "that". Read as a clause on its own, "lead is updated" restated the
    // event and the comment was lost.
    let quoted = replace_if_ci(
        quoted,
        "comment that",
        &COMMENT_THAT,
        "${pre}add a comment that",
    );
    let quoted = if ((contains_ci(&quoted, "deadline") || contains_ci(&quoted, "due date"))
        && (contains_ci(&quoted, "past ") || contains_ci(&quoted, "over ")))
        || contains_ci(&quoted, "going overdue")
        || contains_ci(&quoted, "over due")
    {
        PAST_DEADLINE
            .replace_all(&quoted, |c: &regex::Captures<'_>| match c.name("task") {
                Some(task) => format!("{} overdue", task.as_str()),
                None if c.name("over").is_some() => "overdue".to_owned(),
                // "any task going overdue": the event, "goes overdue".
                None => match c.name("v").map(|v| v.as_str().to_ascii_lowercase()) {
                    // "tasks go past their deadline": they are overdue.
                    Some(v) if v == "go" => "are overdue".to_owned(),
                    Some(v) if v != "going" => format!("{v} overdue"),
                    _ => "goes overdue".to_owned(),
                },
            })
            .into_owned()
    } else {
        quoted
    };
    let quoted = if contains_ci(&quoted, "th of ") {
        NORTH_OF
            .replace_all(&quoted, |c: &regex::Captures<'_>| {
                let way = if c["way"].eq_ignore_ascii_case("north") {
                    "over"
                } else {
                    "under"
                };
                format!("{way} {}", &c["n"])
            })
            .into_owned()
    } else {
        quoted
    };
    let quoted = replace_if_ci(quoted, "inside ", &INSIDE, "within ${n}");
    let quoted = replace_if_ci(quoted, " of the c", &FIELD_OF_CLIENT, "the ${f} ${be}");
    let quoted = if ["there", "present", "available"]
        .iter()
        .any(|w| contains_ci(&quoted, w))
    {
        IS_THERE.replace_all(&quoted, "${f} is filled").into_owned()
    } else {
        quoted
    };
    let quoted = replace_if_ci(quoted, "heads", &HEADS_UP, "notify ${who}");
    let quoted = replace_if_ci(quoted, "place ", &PLACE, "add ${what}${thing}");
    let quoted = replace_if_ci(quoted, " also", &VERB_ALSO, "also ${v}");
    let quoted = if ["source is a", "source was a", "source were a"]
        .iter()
        .any(|w| contains_ci(&quoted, w))
    {
        SOURCE_A.replace_all(&quoted, "${s} ").into_owned()
    } else {
        quoted
    };
    let quoted = if quoted.contains("->") || quoted.contains('\u{2192}') {
        replace_if_ci(quoted, " field ", &ARROW_FIELD, "${a}set ${f}")
    } else {
        quoted
    };
    let quoted = if contains_ci(&quoted, "n the ") {
        RECORD_BEFORE_FIELD
            .replace_all(&quoted, |c: &regex::Captures<'_>| match c.name("a") {
                Some(a) => format!("{}{} the {} field ", a.as_str(), &c["v2"], &c["r2"]),
                None => format!("{} the {} field", &c["v"], &c["r"]),
            })
            .into_owned()
    } else {
        quoted
    };
    let quoted = replace_if_ci(quoted, "give the task", &GIVE_THE_TASK, "assign it to");
    let quoted = if quoted.contains(" of ") {
        NAME_OF_DEPARTMENT
            .replace_all(&quoted, |c: &regex::Captures<'_>| {
                let before = &quoted[..c.get(0).map_or(0, |m| m.start())];
                let name = before.rsplit(' ').next().unwrap_or_default();
                let named = name.len() > 1
                    && name.starts_with(|ch: char| ch.is_ascii_uppercase())
                    && name[1..].bytes().all(|b| b.is_ascii_lowercase());
                // "Head of Sales", "Director of Operations": a post, named whole.
                let post = [
                    "Head",
                    "Director",
                    "Chief",
                    "Manager",
                    "Team",
                    "Department",
                    "Office",
                ];
                if named && !post.contains(&name) {
                    String::new()
                } else {
                    c[0].to_owned()
                }
            })
            .into_owned()
    } else {
        quoted
    };
    let quoted = if [
        "owner of the",
        "responsible of the",
        "responsible person of the",
        "s responsible",
    ]
    .iter()
    .any(|w| contains_ci(&quoted, w))
    {
        OWNER_OF
            .replace_all(&quoted, |c: &regex::Captures<'_>| {
                format!(
                    "the {}",
                    c.name("r").or(c.name("r2")).map_or("", |m| m.as_str())
                )
            })
            .into_owned()
    } else {
        quoted
    };
    let quoted = if ["make so", "make that", "make:", "need this"]
        .iter()
        .any(|w| contains_ci(&quoted, w))
    {
        MAKE_SO.replace_all(&quoted, "${pre}").into_owned()
    } else {
        quoted
    };
    let quoted = replace_if_ci(
        quoted,
        " field",
        &IN_RECORD_SET,
        "${lead}${verb} ${rec} field",
    );
    let quoted = if contains_ci(&quoted, " n ") {
        N_FOR_AND
            .replace_all(&quoted, |c: &regex::Captures<'_>| {
                let rest = quoted[c.get(0).map_or(0, |m| m.end())..].to_ascii_lowercase();
                if rest.starts_with("task ") || words::first_action_verb(&rest, 0) == Some(0) {
                    " and ".to_owned()
                } else {
                    c[0].to_owned()
                }
            })
            .into_owned()
    } else {
        quoted
    };
    // "ping me (Marcus)": the writer named, for every "me" (`ME_NAMED`).
    let quoted = if (quoted.contains("me (") || quoted.contains("me, "))
        && let Some(c) = ME_NAMED.captures(&quoted)
        && let Some(name) = c.name("p").or(c.name("c"))
    {
        let all = c.get(0).map_or(0..0, |m| m.range());
        let (name, comma) = (name.as_str().to_owned(), c.name("c").is_some());
        let said = format!(
            "{}{name}{}{}",
            &quoted[..all.start],
            if comma { "," } else { "" },
            &quoted[all.end..]
        );
        ME.replace_all(&said, name.as_str()).into_owned()
    } else {
        quoted
    };
    // "lead → converted: ...", "won → ...": the event as "lead converted: ..."
    // (`RECORD_ARROW_STATE`, anchored, so tried once).
    let quoted = match RECORD_ARROW_STATE.captures(&quoted) {
        Some(c) => {
            let said = match (c.name("rec"), c.name("state"), c.name("won")) {
                (Some(rec), Some(state), _) => format!("{} {}", rec.as_str(), state.as_str()),
                (_, _, Some(won)) => {
                    // The one record each word is the event of.
                    let rec = match won.as_str().to_ascii_lowercase().as_str() {
                        "converted" => "lead",
                        "approved" => "quote",
                        _ => "deal",
                    };
                    // "won & source = referral ->": the narrowing after the event.
                    let cond = c.name("cond").map_or(String::new(), |m| {
                        let m = m.as_str().trim_start();
                        let m = m.trim_start_matches(['&', '+', ',']).trim_start();
                        let m = m.strip_prefix("and ").unwrap_or(m);
                        // "lost + came in via partner": the deal came from it.
                        let it = if m.starts_with("came ") { "it " } else { "" };
                        format!(" and {it}{}", m.trim())
                    });
                    format!("{rec} {}{cond}", won.as_str())
                }
                _ => String::new(),
            };
            let end = c.get(0).map_or(0, |m| m.end());
            format!("{said} {} {}", &c["sep"], &quoted[end..])
        }
        None => quoted,
    };
    // "the stage we called Key Collected": what the team named it is the stage's name.
    let quoted = if contains_ci(&quoted, "stage ")
        && (contains_ci(&quoted, " call") || contains_ci(&quoted, " name"))
    {
        STAGE_WE_CALL.replace_all(&quoted, "stage ").into_owned()
    } else {
        quoted
    };
    let quoted = if contains_ci(&quoted, "stage change") {
        let quoted = STAGE_CHANGE_HEAD.replace(&quoted, "when the deal stage changes, ");
        ON_STAGE_CHANGE
            .replace_all(&quoted, |c: &regex::Captures<'_>| {
                let next = &c["next"];
                if ["to", "into", "in", "of", "from"].contains(&next.to_ascii_lowercase().as_str())
                {
                    c[0].to_owned()
                } else {
                    format!("{}when the deal stage changes, {next}", &c["pre"])
                }
            })
            .into_owned()
    } else {
        quoted
    };
    // "still no phone no. on it", "phone no is missing": "no" after a phone is its
    // number ("the phone no longer works" is not).
    let quoted = replace_if_ci(quoted, " no", &PHONE_NO, "${ch} number${after}");
    // "note on it 'Contact details updated'": "note" as the order to leave one.
    let quoted = replace_if_ci(quoted, "note on ", &NOTE_ON, "${lead}add a note ${on}");
    // "deal won means whatsapp client 'Confirmed'", "please make sure to send ...": how
    // the request is framed, read as the arrow, or left out.
    let quoted = if contains_ci(&quoted, " means ") {
        before_order(&quoted, &MEANS, |c| {
            format!("{}{} -> ", &c["pre"], &c["event"])
        })
    } else {
        quoted
    };
    let quoted = if contains_ci(&quoted, "make sure to ") {
        before_order(&quoted, &MAKE_SURE_TO, |_| String::new())
    } else {
        quoted
    };
    // "Task completed -> new task for Kwame 'QC check'": after the arrow, a new record
    // for someone is one to make, not a second event.
    let quoted = replace_if_ci(quoted, "new ", &NEW_AFTER_ARROW, "${lead}create a ${new}");
    let quoted = if contains_ci(&quoted, " on ") {
        MADE_ON
            .replace_all(&quoted, |c: &regex::Captures| {
                // "a task on Marta's list", "a deal on stage New", "a task on Monday":
                // where or when, not for whom.
                let role = c.name("role").map_or("", |m| m.as_str());
                let last = c["who"].split_whitespace().last().unwrap_or("");
                if c.name("own").is_some() || speech::on_no_one(role) || speech::on_no_one(last) {
                    return c[0].to_owned();
                }
                format!("{} for {}", &c["thing"], &c["who"])
            })
            .into_owned()
    } else {
        quoted
    };
    // "bigger then 50000": "then" for "than" after a comparison, before a number.
    let quoted = if contains_ci(&quoted, " then ") {
        THEN_FOR_THAN
            .replace_all(&quoted, "${cmp} than ${num}")
            .into_owned()
    } else {
        quoted
    };
    // "won && [Amount] > 5000": a programmer's "&&" and "||", and a field's name in
    // brackets before a comparison.
    let quoted = if quoted.contains(['&', '|', '[']) {
        let and_or = quoted.replace("&&", " and ").replace("||", " or ");
        BRACKETED_FIELD
            .replace_all(&and_or, "${field}${op}")
            .into_owned()
    } else {
        quoted
    };
    // "task for owner, title: 'Check it', deadline: +2d", "TASK: assignee=Olga,
    // prio=HIGH": after a comma, a colon or a bracket, a slot's name and a colon or "="
    // give the slot's value, as "title 'Check it'" does (after the calls of pseudo-code,
    // whose named arguments are read with them).
    let quoted = if quoted.contains([':', '=']) {
        SLOT.replace_all(&quoted, "${lead}${slot} ").into_owned()
    } else {
        quoted
    };
    // "uh, when a, when a deal is lost, text them, no sorry, WhatsApp them": speech.
    let quoted = speech::formal(speech::colloquial(speech::speech(quoted)));
    let quoted = speech::instead_of(speech::chat(quoted));
    // "Automation rule on the Deals kanban: ...", "robot removes the tag": Bitrix24's
    // screens, read as the event and orders they stand for (after the quotes are lifted,
    // so a quote's "!" ends no sentence).
    let quoted = screens::read(std::borrow::Cow::Owned(quoted));
    // "schedule a call for tomorrow Olena will do it": who does it, said after the time
    // with no comma, starts a clause of its own; read into the order, it was dropped.
    // "Once a deal has been won an invoice should be generated": the event, then what
    // should happen with its own subject and no comma; read into the event, it was lost.
    // One pass for both: a branch that did not match expands to nothing.
    let quoted = UNMARKED_SUBJECT.replace_all(&quoted, "${time}${event}, ${who}${subject}");
    // "new deal came in 🚀 ping the manager": a pictograph between words marks a pause,
    // as a comma does (one inside a quote is part of the message, and lifted already).
    let quoted = if quoted.chars().any(is_pictograph) {
        let mut out = String::with_capacity(quoted.len());
        let mut last_was = false;
        for c in quoted.chars() {
            if is_pictograph(c) || (last_was && matches!(c, '\u{fe0f}' | '\u{200d}')) {
                if !last_was {
                    out.push_str(", ");
                }
                last_was = true;
            } else {
                last_was = false;
                out.push(c);
            }
        }
        std::borrow::Cow::Owned(out)
    } else {
        quoted
    };
    let mut out = String::with_capacity(quoted.len());
    let mut last = 0;
    for m in URL.find_iter(&quoted) {
        let url = m
            .as_str()
            .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']']);
        out.push_str(&quoted[last..m.start()]);
        push_token(&mut out, &mut tokens, TokenKind::Url, url);
        last = m.start() + url.len();
    }
    out.push_str(&quoted[last..]);
    let out = SPACED_THOUSANDS.replace_all(&out, |c: &regex::Captures<'_>| {
        c[0].chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
    });
    // "two (2) days": the number once, in figures; words and figures that disagree are
    // left as written.
    let out = if out.contains(')') && out.contains('(') {
        let once = NUMBER_TWICE.replace_all(&out, |c: &regex::Captures<'_>| {
            let said = super::words::number_word(&c["word"].to_ascii_lowercase());
            if said.is_some_and(|n| c["n"].parse() == Ok(n)) {
                c["n"].to_owned()
            } else {
                c[0].to_owned()
            }
        });
        if let std::borrow::Cow::Owned(o) = once {
            std::borrow::Cow::Owned(o)
        } else {
            out
        }
    } else {
        out
    };
    // "R5000" is 5000 rand, "RM 10000" 10000 ringgit, "R$ 5000" 5000 reais, "AED 5000"
    // 5000 AED, which the amount readers know as currencies.
    let bytes = out.as_bytes();
    let out = if bytes.windows(2).any(|w| {
        w[0] == b'R' && (w[1].is_ascii_digit() || [b' ', b'M', b's', b'$'].contains(&w[1]))
            || w == b"Tk"
    }) || bytes.windows(4).any(|w| {
        w[..3].iter().all(u8::is_ascii_uppercase) && (w[3] == b' ' || w[3].is_ascii_digit())
    }) {
        std::borrow::Cow::Owned(
            RAND.replace_all(&out, |c: &regex::Captures<'_>| {
                let currency = match c.name("code") {
                    Some(code) => code.as_str(),
                    None if c.name("m").is_some() => "ringgit",
                    None if c.name("rs").is_some() => "rupees",
                    None if c.name("tk").is_some() => "taka",
                    None if c.name("real").is_some() => "reais",
                    None => "rand",
                };
                let scale = c.name("scale").map_or("", |m| m.as_str());
                format!("{}{scale} {currency}", &c["n"])
            })
            .into_owned(),
        )
    } else {
        out
    };
    let out = south_asian_numbers(out);
    let mut ambiguous = Vec::new();
    let out = formats::spoken_numbers(out);
    let out = correct_typos(&numbers(&out, &mut ambiguous));
    let out = replace_if_ci(out, "dead ", &DEAD_DEAL, "${pre}deal${post}");
    let out = replace_if_ci(out, "+", &IS_PLUS, "${v} ${n} or more${e}");
    let out = if contains_ci(&out, "deadline") || contains_ci(&out, "term") {
        DEADLINE_SAID
            .replace_all(&out, "${pre}deadline ${t}")
            .into_owned()
    } else {
        out
    };
    let out = if contains_ci(&out, "client") || contains_ci(&out, "customer") {
        CLIENT_FIELD_STATE
            .replace_all(&out, "the ${o} ${f} is ${s}")
            .into_owned()
    } else {
        out
    };
    // "notify resp. person": the dot of a shortened word is no sentence end.
    // ("esp. " is in "resp. " and "Resp. " alike.)
    let out = replace_if(out.into(), "esp. ", &RESP_DOT, "responsible $role").into_owned();

    // "new lead w/ source Facebook": the shorthand for "with"/"without".
    let out = if out.contains("w/") || has_lone_w(&out) {
        SHORT_WITH
            .replace_all(&out, |c: &regex::Captures<'_>| {
                if let Some(next) = c.name("next") {
                    format!("with {}", next.as_str())
                } else if c.name("o").is_some() {
                    "without ".to_owned()
                } else {
                    "with ".to_owned()
                }
            })
            .into_owned()
    } else {
        out
    };
    // "move straight to Self service", "push it directly into Review": how directly a
    // record moves says nothing about where to.
    let out = if out.contains("straight") || out.contains("directly") || out.contains("right ") {
        STRAIGHT_TO.replace_all(&out, "${v}${o} ${p}").into_owned()
    } else {
        out
    };
    // "new note/activity on a deal": a slash between two words is "or" (links are
    // tokens by now; "and/or" is left as written).
    let out = if out.contains('/') {
        SLASH_OR
            .replace_all(&out, |c: &regex::Captures<'_>| {
                let (a, b) = (&c["a"], &c["b"]);
                if [a, b]
                    .iter()
                    .any(|w| ["and", "or"].contains(&w.to_ascii_lowercase().as_str()))
                {
                    c[0].to_owned()
                } else {
                    format!("{a} or {b}")
                }
            })
            .into_owned()
    } else {
        out
    };
    // "set field Payment type = Installments", "set on deal field Contract type =
    // Corporate": after an order to set, "=" is "to".
    // Not a status: "set Quote Status to Approved" would read as the record's own move.
    let out = if out.contains('=') {
        SET_EQUALS
            .replace_all(&out, |c: &regex::Captures<'_>| {
                if c["f"].to_ascii_lowercase().ends_with("status") {
                    c[0].to_owned()
                } else {
                    format!("{} {} to ", &c["v"], &c["f"])
                }
            })
            .into_owned()
    } else {
        out
    };
    // "with source = website": a field equal to a value is the field that is the value.
    let out = if out.contains('=') {
        FIELD_EQUALS.replace_all(&out, "$f is ").into_owned()
    } else {
        out
    };
    // "Trigger: any update to a deal. Action: sync it ...", "Event - task overdue. Do -
    // notify Sam": a spec's labels are no part of what they label. "a thank you email" is a thank-you e-mail, not one to "you".
    let lower_out = out.to_ascii_lowercase();
    let out = if out.contains(':') || lower_out.contains("trigger") || lower_out.contains("event") {
        // Again only when labels were removed: "Spec: trigger = lead updated" has one
        // label right after another.
        // After a quoted message ("Action 1: SMS 'Hi!' Action 2: notify ..."), the label
        // is the only end the sentence has, and it keeps one; so does a bare "action"
        // after a comma ("lead modified, condition amount above 800, action hand it to
        // Marcus"), which is a label only there.
        let unlabel = |c: &regex::Captures<'_>| {
            let pre = &c["pre"];
            match (c.name("bare"), pre.starts_with(',')) {
                // The match ends on the first letter of what the label labels.
                (Some(bare), true) => {
                    let after = bare.end() - c.get(0).map_or(0, |m| m.start());
                    format!(". {}", c[0][after..].trim_start())
                }
                // A bare "action" is a label only after a comma, and a comma is the
                // start of no other label.
                (Some(_), false) | (None, true) => c[0].to_owned(),
                (None, false) if pre.starts_with('\x02') => "\x02. ".to_owned(),
                (None, false) => pre.to_owned(),
            }
        };
        match SPEC_LABEL.replace_all(&out, unlabel) {
            std::borrow::Cow::Owned(once) => SPEC_LABEL.replace_all(&once, unlabel).into_owned(),
            std::borrow::Cow::Borrowed(_) => out,
        }
    } else {
        out
    };
    // "send a thank you on WhatsApp": after an article, "thank you" is the thing sent.
    let out = if out.to_ascii_lowercase().contains("thank you") {
        let out = THANK_YOU.replace_all(&out, "thank-you $what");
        THANK_YOU_NOUN
            .replace_all(&out, "$det thank-you")
            .into_owned()
    } else {
        out
    };
    // "notify Piotr (production manager)": a lowercase role in brackets right after a
    // name says who the person is; it is no second recipient.
    let out = if out.contains('(') {
        NAME_ROLE.replace_all(&out, "$name").into_owned()
    } else {
        out
    };
    // "Kindly ensure a task is made for Wanjiru", "ensure that whenever ...": as a
    // request, "ensure" is "make sure". Not after "to" ("to ensure the client knows"
    // says what an order is for).
    let out = if contains_ci(&out, "ensure") {
        ENSURE
            .replace_all(&out, |c: &regex::Captures<'_>| {
                let at = c.get(0).map_or(0, |m| m.start());
                let purpose = out[..at]
                    .split_whitespace()
                    .next_back()
                    .is_some_and(|w| w.eq_ignore_ascii_case("to"));
                if purpose { "ensure" } else { "make sure" }
            })
            .into_owned()
    } else {
        out
    };
    // "one task for Jamshid create", "one call with the client schedule": the verb
    // last, as Persian or Turkish puts it, goes before what it makes, so that the event
    // before it ends where the order starts.
    let out = if out.contains(" create") || out.contains(" schedule") {
        MADE_THEN_VERB
            .replace_all(&out, |c: &regex::Captures<'_>| {
                let verb = match &c["verb"].to_ascii_lowercase()[..] {
                    "schedule" => "schedule",
                    _ => "create",
                };
                format!("{verb} a {} {} {}", &c["thing"], &c["prep"], &c["who"])
            })
            .into_owned()
    } else {
        out
    };
    // "Don't forget to let Priya know ...", "Can we make sure that when ...", "What I
    // need is, whenever ...", "So basically when ...": how the request is put, before
    // the request itself.
    let out = if out.contains("forget")
        || contains_ci(&out, "make sure")
        || contains_ci(&out, "fyi")
        || out.contains("need is")
        || out.contains("asically")
    {
        let out = PREAMBLE.replace_all(&out, "$lead").into_owned();
        let out = MAKE_SURE_GETS.replace_all(&out, "$lead$rest").into_owned();
        MAKE_SURE_DONE
            .replace_all(&out, |c: &regex::Captures<'_>| {
                if let Some(owner) = c.name("owner") {
                    return format!("make {} responsible", owner.as_str());
                }
                if let (Some(it), Some(moved)) = (c.name("it"), c.name("moved")) {
                    let base = if moved.as_str().starts_with("assigned") {
                        "assign"
                    } else {
                        "move"
                    };
                    return format!("{base} {} to", it.as_str());
                }
                let base = match c.name("done").map(|m| m.as_str().to_ascii_lowercase()) {
                    Some(d) if matches!(d.as_str(), "made" | "created" | "raised") => "create",
                    _ => "add",
                };
                format!("{base} {}", c.name("obj").map_or("", |m| m.as_str()))
            })
            .into_owned()
    } else {
        out
    };
    let out = if out.contains(':') {
        POLITE_COLON.replace_all(&out, "$colon").into_owned()
    } else {
        out
    };
    // "except when the source is the website", "but not if the amount's over 10000",
    // "never for anything below 2000", "don't tag it when there's no email": an
    // exception, said any of these ways, is "unless" (read as the condition it denies).
    let out = if [
        "except",
        "excluding",
        "not ",
        "never",
        "don't",
        "dont",
        "do not",
    ]
    .iter()
    .any(|w| contains_ci(&out, w))
    {
        EXCEPTION
            .replace_all(&out, |c: &regex::Captures<'_>| match c.name("verb") {
                // "don't send those if": only an order's verb, done to what was ordered.
                Some(v)
                    if words::first_action_verb(&v.as_str().to_ascii_lowercase(), 0) != Some(0) =>
                {
                    c[0].to_owned()
                }
                _ => format!("{}unless", &c["pre"]),
            })
            .into_owned()
    } else {
        out
    };
    // "Phone now filled in", "(Phone empty)", "+ Permit Number empty": a capitalised
    // field's state written with no verb is what "is" would say; the field's name is no
    // order ("Phone" is no call). Not after "with" or a determiner ("with the Delivery
    // Date field empty" is read as it is), where the words before already place it.
    let stated = out.contains(" empty")
        || out.contains(" filled")
        || out.contains(" blank")
        || out.contains(" missing");
    let out = if stated {
        BARE_STATE
            .replace_all(&out, |c: &regex::Captures<'_>| {
                let at = c.get(0).map_or(0, |m| m.start());
                let before = out[..at].trim_end();
                let placed = before
                    .rsplit(|ch: char| ch.is_whitespace())
                    .next()
                    .is_some_and(|w| {
                        [
                            "with", "the", "its", "their", "his", "her", "an", "a", "has", "have",
                            "no", "is", "are", "was", "were", "be", "left", "leave", "leaves",
                        ]
                        .contains(&w.to_ascii_lowercase().as_str())
                    });
                if placed {
                    c[0].to_owned()
                } else {
                    // "the Company field is empty" names the company field, as written.
                    format!("the {} is {}", &c["f"], &c["s"])
                }
            })
            .into_owned()
    } else {
        out
    };
    // "the lead has not email": a learner's "has no email", read as the state below.
    let out = if out.contains(" not ") {
        HAS_NOT.replace_all(&out, "$has no $f").into_owned()
    } else {
        out
    };
    // "the company is not filled", "its company is still empty": the record's link to a
    // company, said to be there or not, is its company field ("company" alone is read
    // as the record).
    let out = if contains_ci(&out, "company") {
        let out = COMPANY_STATE.replace_all(&out, "${d} company field ${s}");
        // "they aren't linked to any company": the same field, said of the record.
        COMPANY_LINKED
            .replace_all(&out, |c: &regex::Captures<'_>| {
                let state = if c.name("not").is_some() {
                    "empty"
                } else {
                    "filled in"
                };
                format!("the company field is {state}")
            })
            .into_owned()
    } else {
        out
    };
    // "the customer has no email", "it's got an email now": the channel's field's state.
    let out = if ["has ", "have ", "got "]
        .iter()
        .any(|w| contains_ci(&out, w))
    {
        CHANNEL_HAD
            .replace_all(&out, |c: &regex::Captures<'_>| {
                let state = channel_state(c);
                // "contact changed and has an email": the joint stays.
                // "if deal has no email": the joint before the bare record stays.
                let and = match c.name("joint") {
                    Some(j) => j.as_str(),
                    None if c.name("and").is_some() => "and ",
                    None => "",
                };
                format!("{and}the {} is {state}{}", &c["f"], &c["end"])
            })
            .into_owned()
    } else {
        out
    };
    // "and we have the client's email on file", "if we don't have their phone": the
    // same state, said of what the business holds.
    let out = if contains_ci(&out, "we ") {
        WE_HAVE
            .replace_all(&out, |c: &regex::Captures<'_>| {
                format!("the {} is {}{}", &c["f"], channel_state(c), &c["end"])
            })
            .into_owned()
    } else {
        out
    };
    // The same in lower case for a channel's field, and "+ no email on it".
    let out = if stated
        || [
            "no phone",
            "no mobile",
            "no email",
            "no e-mail",
            " on it",
            " on file",
            "there's a",
            "there is a",
        ]
        .iter()
        .any(|w| contains_ci(&out, w))
    {
        BARE_CHANNEL_STATE
            .replace_all(&out, |c: &regex::Captures<'_>| match c.name("none") {
                Some(f) => format!("{}the {} is empty ", &c["lead"], f.as_str()),
                None if let Some(f) = c.name("has") => {
                    format!("{}the {} is filled", &c["lead"], f.as_str())
                }
                None if let Some(f) = c.name("there") => {
                    format!("{}the {} is empty", &c["lead"], f.as_str())
                }
                // "only if there's a phone number on the company", "there's an email:".
                None if let Some(f) = c.name("there_is") => {
                    format!("{}the {} is filled in{}", &c["lead"], f.as_str(), &c["end"])
                }
                None => format!("{}the {} is {}", &c["lead"], &c["f"], &c["s"]),
            })
            .into_owned()
    } else {
        out
    };
    // "Lead updated but DBS Status still blank": "but" before a field's state joins a
    // condition, as "and" does.
    let out = if out.contains("but ") {
        BUT_STATE.replace_all(&out, "and $state").into_owned()
    } else {
        out
    };
    // "notify Helen, our sales lead, straight away": a role after a name, between commas
    // or at the end, says who the person is, as a role in brackets does. Not in a list:
    // "notify Helen, our sales lead, and Tom" names two.
    let out = if out.contains(", our ") || out.contains(", their ") {
        APPOSITIVE
            .replace_all(&out, |c: &regex::Captures<'_>| {
                let at = c.get(0).map_or(0, |m| m.end());
                let mut after = out[at..].split_whitespace();
                let next = after.next().unwrap_or("");
                // "..., and (b) set a reminder": an order after "and" ends the list.
                let order_next = after.find(|w| !LIST_MARK.is_match(w)).is_some_and(|w| {
                    words::first_action_verb(&w.to_ascii_lowercase(), 0) == Some(0)
                });
                let listed = c["end"].trim() == ","
                    && ((["and", "or", "&", "+"].contains(&next.to_ascii_lowercase().as_str())
                        && !order_next)
                        || next.starts_with(|ch: char| ch.is_ascii_uppercase()));
                if listed {
                    c[0].to_owned()
                } else if c["end"].trim() == "," {
                    c["name"].to_owned()
                } else {
                    format!("{}{}", &c["name"], &c["end"])
                }
            })
            .into_owned()
    } else {
        out
    };
    // "loop in the warehouse team": they are told, as "notify" says.
    let out = if out.contains("oop in") {
        LOOP_IN
            .replace_all(&out, |c: &regex::Captures<'_>| {
                if c[0].starts_with('L') {
                    "Notify"
                } else {
                    "notify"
                }
            })
            .into_owned()
    } else {
        out
    };
    // "could the deal move to Arrangement Meeting?": the record asked about is moved.
    let out = if out.contains(" move") || out.contains(" go") {
        COULD_MOVE
            .replace_all(&out, "move ${rec} ${to}")
            .into_owned()
    } else {
        out
    };
    // "could the account director get a notification?": the one asked about gets it.
    let out = if out.contains(" get ") || out.contains(" receive ") {
        COULD_GET.replace_all(&out, "${who} gets ").into_owned()
    } else {
        out
    };
    let lower_out = out.to_ascii_lowercase();
    let out = if [" you ", " u ", " we ", " it ", " the ", "bitrix", "b24flow"]
        .iter()
        .any(|w| lower_out.contains(w))
    {
        POLITE_ASK
            .replace_all(&out, |c: &regex::Captures<'_>| {
                // "could you please set something up so that when ...": what follows is
                // the request itself.
                let next = c["next"].to_ascii_lowercase();
                if c.name("mind").is_some() {
                    // "would you mind setting": the order is the verb the gerund is of.
                    return match base_of_gerund(&next) {
                        Some(base) if c.name("so").is_none() => base,
                        _ => c[0].to_owned(),
                    };
                }
                if c.name("so").is_some() || words::has_action_verb(&next) {
                    c["next"].to_owned()
                } else {
                    c[0].to_owned()
                }
            })
            .into_owned()
    } else {
        out
    };
    // "deal won = arrangement confirmed": after an event's word, what follows "=" says
    // what the event means.
    let out = if out.contains(" = ") {
        EVENT_GLOSS.replace_all(&out, "$ev, i.e. ").into_owned()
    } else {
        out
    };
    let out = if out.contains(" = ") {
        EQUALS_ORDER
            .replace_all(&out, |c: &regex::Captures<'_>| {
                let next = c["next"].to_ascii_lowercase();
                if words::has_action_verb(&next) || ORDER_NOUNS.contains(&next.as_str()) {
                    format!(" -> {}", &c["next"])
                } else {
                    c[0].to_owned()
                }
            })
            .into_owned()
    } else {
        out
    };
    // "stage = Proposal -> ...": a note that the deal's stage becomes Proposal.
    // It needs an "=", which most texts have not.
    let out = if out.contains('=') {
        let out = STAGE_EQUALS
            .replace_all(&out, "${pre}deal moves to $to $arrow")
            .into_owned();
        // "When stage = Awaiting Engineer Report create a task": after "when", the
        // same move, with no arrow needed.
        WHEN_STAGE_EQUALS
            .replace_all(&out, "${when} the deal moves to stage ")
            .into_owned()
    } else {
        out
    };
    // Both rewrites need a word they look for; most specs have neither.
    let out = if out.contains("->") || out.contains("=>") || out.contains('\u{2192}') {
        // "Stage -> 'Won'" with no record named: only a deal has stages.
        DEAL_ARROW
            .replace_all(&out, |c: &regex::Captures<'_>| {
                // "lost deals -> https://...": an address is where to send, not a stage.
                let to_url = TOKEN
                    .captures(&c["to"])
                    .and_then(|t| t[1].parse::<usize>().ok())
                    .and_then(|i| tokens.get(i))
                    .is_some_and(|t| t.kind == TokenKind::Url);
                if to_url {
                    return c[0].to_owned();
                }
                let lead = c.name("pre").map_or("", |m| m.as_str());
                let deal = c.name("deal").map_or("deal", |m| m.as_str());
                format!("{lead}{deal} moves to {}", &c["to"])
            })
            .into_owned()
    } else {
        out
    };
    let out = if out.contains("{{") && out.contains('(') {
        // The variable as the portal spells it: "{{current_date}}" is `{{CURRENT_DATE}}`.
        VARIABLE_BRACKET
            .replace_all(&out, |c: &regex::Captures<'_>| {
                format!("{} {}", &c["prep"], c["var"].to_ascii_uppercase())
            })
            .into_owned()
    } else {
        out
    };
    let out = if contains_ci(&out, "tomorrow") {
        DAY_AFTER_TOMORROW
            .replace_all(&out, "in 2 days")
            .into_owned()
    } else {
        out
    };
    let lower = out.to_ascii_lowercase();
    let out = if lower.contains("after") || lower.contains("following") {
        TIME_AFTER
            .replace_all(&out, |c: &regex::Captures<'_>| {
                let n = c["n"].to_ascii_lowercase();
                if ["the", "a", "one"].contains(&n.as_str())
                    && c["unit"].eq_ignore_ascii_case("day")
                {
                    "tomorrow after".to_owned()
                } else {
                    format!("in {} {} after", &c["n"], &c["unit"])
                }
            })
            .into_owned()
    } else {
        out
    };
    let out = ASIDE.replace_all(&out, |c: &regex::Captures<'_>| {
        if c.name("ie").is_some() {
            format!("; {ASIDE_RESTATES} ")
        } else {
            format!("; {ASIDE_EXAMPLE} ")
        }
    });
    // "an account (company)", "a new patient record (contact)": a bracket of one record
    // noun says which record the noun before it is, so the noun is read as that record.
    let out = if out.contains('(') {
        RECORD_BRACKET
            .replace_all(&out, |c: &regex::Captures<'_>| {
                let word = c["word"].to_ascii_lowercase();
                // After a noun, not after what happened ("deal won (deal)", "it is
                // created (lead)"), which the bracket would explain instead.
                // A person ("a corporate client (company)") is a noun too.
                let happened = word.ends_with("ed")
                    || lexicon::is_event_word(&word)
                        && !lexicon::RECORD_NOUNS.contains(&word.as_str())
                        && !lexicon::PEOPLE.contains(&word.as_str())
                        && !word.ends_with("ing")
                        && !["profile", "card", "entry", "file"].contains(&word.as_str());
                if happened {
                    c[0].to_owned()
                } else {
                    c["record"].to_owned()
                }
            })
            .into_owned()
    } else {
        out.into_owned()
    };
    // "(web form, phone etc.)": a bracket of plain nouns that ends in "etc." gives
    // examples of what the text names, open-ended; it narrows nothing and orders nothing
    // ("phone" in it is no call).
    let out = if out.contains("etc") || out.contains("whatever") || out.contains("so on") {
        EXAMPLES_ETC.replace_all(&out, "").into_owned()
    } else {
        out
    };
    // "create a company (account) record": the other name says nothing more.
    let out = if out.contains('(') {
        RECORD_GLOSS.replace_all(&out, "$record").into_owned()
    } else {
        out
    };
    // "(a local business sponsor, say)": one example of the record, which narrows
    // nothing, as "etc." does not.
    let out = if out.contains("say") {
        EXAMPLE_SAY.replace_all(&out, "").into_owned()
    } else {
        out
    };
    // The brackets an "i.e."/"e.g." did not open: their aside is marked too, so that
    // what it explains can be known.
    let out = out.replace('(', &format!("; {ASIDE_BRACKET} "));
    // "When a deal, and it's normally Ravi who closes these out, gets marked as lost":
    // an aside between the record and its event that only says what usually happens is
    // background; one that could narrow the event stays, and is asked about.
    // Both asides need a word of background, looked for once.
    let background = out.contains(", ") && BACKGROUND.is_match(&out);
    let out = match background.then(|| INTERRUPTED.captures(&out)).flatten() {
        Some(c) if only_background(&c["aside"]) => {
            let all = c.get(0).map_or(0..0, |m| m.range());
            format!(
                "{}{} {}{}",
                &out[..all.start],
                &c["head"],
                &c["verb"],
                &out[all.end..]
            )
        }
        _ => out,
    };
    // "When a deal gets edited, whether it's Marta or one of the directors doing it, tag
    // it ...": the same, after the event and before the order, which opens with its verb.
    let aside_at = background
        .then(|| AFTER_EVENT_ASIDE.captures(&out))
        .flatten()
        .and_then(|c| c.name("aside"))
        .map(|a| a.start());
    let out = match aside_at {
        Some(a) => {
            let sentence_end = out[a..]
                .find(['.', ';', '!', '?', '\n'])
                .map_or(out.len(), |e| a + e);
            let order_at = out[a..sentence_end]
                .match_indices(", ")
                .map(|(i, _)| a + i)
                .find(|&comma| {
                    out[comma + 2..]
                        .split_whitespace()
                        .next()
                        .is_some_and(|w| words::has_action_verb(&w.to_ascii_lowercase()))
                });
            match order_at {
                Some(comma) if only_background(&out[a..comma]) => {
                    format!("{}{}", &out[..a], &out[comma + 2..])
                }
                _ => out,
            }
        }
        None => out,
    };
    let text = lines_kept(&out);
    Prepared {
        text,
        tokens,
        ambiguous,
        made_so,
        wished,
    }
}

/// `text` with every number's separators read: a group separator is dropped and a
/// decimal comma becomes a point, so "1,000,000" is `1000000`, "1.234,56" is `1234.56`
/// and "2,5k" is `2.5k`. The rules: with both a comma and a point, the last one is the
/// decimal mark; groups of exactly three digits after a first group of one to three are
/// thousands ("1,000,000", "1.000.000"); one comma before one or two digits is a decimal
/// comma ("2,5"). One point before exactly three digits ("10.000") is a decimal point in
/// English and a group separator in most of Europe: money has no third decimal, so with
/// a currency sign or word it is thousands ("€10.000"); without one it is pushed to
/// `ambiguous`, and the parser asks. Anything else (a date "12.05.2026", "1.5") is left
/// as written.
fn numbers(text: &str, ambiguous: &mut Vec<String>) -> String {
    if !text.contains([',', '.']) {
        return text.to_owned();
    }
    SEPARATED
        .replace_all(text, |c: &regex::Captures<'_>| {
            let n = &c["n"];
            let money = c.name("pre").is_some()
                || c.name("post").is_some_and(|m| {
                    let post = m.as_str().trim().to_ascii_lowercase();
                    !["k", "m", "thousand", "million"].contains(&post.as_str())
                });
            let read = read_number(n, money).unwrap_or_else(|| {
                if is_grouped(n, '.') && !n[n.find('.').unwrap_or(0) + 1..].contains('.') {
                    ambiguous.push(n.to_owned());
                }
                n.to_owned()
            });
            c[0].replacen(n, &read, 1)
        })
        .into_owned()
}

/// Whether `n` is a first group of one to three digits and then groups of three, all
/// after `sep`.
fn is_grouped(n: &str, sep: char) -> bool {
    let mut groups = n.split(sep);
    groups.next().is_some_and(|g| (1..=3).contains(&g.len()))
        && groups.clone().count() > 0
        && groups.all(|g| g.len() == 3)
}

/// A number with separators in plain digits, or `None` when it is ambiguous or not a
/// number with separators at all (see [`numbers`]).
fn read_number(n: &str, money: bool) -> Option<String> {
    let (comma, point) = (n.rfind(','), n.rfind('.'));
    match (comma, point) {
        (Some(c), Some(p)) => {
            let (group, decimal) = if c < p { (',', p) } else { ('.', c) };
            let whole = &n[..decimal];
            let frac = &n[decimal + 1..];
            (is_grouped(whole, group) && !frac.contains([',', '.']))
                .then(|| format!("{}.{frac}", whole.replace(group, "")))
        }
        (Some(_), None) if is_grouped(n, ',') => Some(n.replace(',', "")),
        (Some(c), None) if n.matches(',').count() == 1 && (1..=2).contains(&(n.len() - c - 1)) => {
            Some(n.replace(',', "."))
        }
        (None, Some(_)) if is_grouped(n, '.') && (n.matches('.').count() > 1 || money) => {
            Some(n.replace('.', ""))
        }
        _ => None,
    }
}

/// Whether an aside only says what usually happens ("and it's normally Ravi who closes
/// these out"): a word of background, and nothing that could narrow the event (a number,
/// "only", "over", a source) or be a message's text (a quote).
fn only_background(aside: &str) -> bool {
    BACKGROUND.is_match(aside) && !NARROWING_ASIDE.is_match(aside) && !aside.contains('\x01')
}

// A time that ends an order, then who does it: "tomorrow Daniel will call", "for
// tomorrow with Kenji on it", "automatically the sales manager should be on it". Or an
// event's last word, then a subject and what it should do or get: "won an invoice
// should be generated", "is lost the manager must get a task", "converted Anna will".
static UNMARKED_SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?P<time>\b(?i:tomorrow|today|tonight|asap|automatically|(?:in|within)\s+(?:\d+|a|an|one|two|three|four|five)\s+(?:hours?|days?|weeks?)))\s+(?P<who>[A-Z][a-z]+\s+(?:will|to|should|must|can|has\s+to|is\s+to|needs\s+to)\b|with\s+[A-Z][a-z]+\s+on\s+it\b|(?i:the\s+[a-z]+(?:\s+[a-z]+)?\s+(?:should|will|must|can)\s+(?:be\s+on|do|handle|take|own)\s+it\b)|(?i:responsible\s+(?:for|is|should|will)\b))|(?P<event>\b(?i:won|lost|created|converted|paid|approved|accepted|signed|updated|changed|edited|overdue|completed|finished|closed|added|scheduled|booked))\s+(?P<subject>(?i:(?:a|an|the)\s+[a-z]+(?:\s+[a-z]+)?\s+(?:should|must|will|needs\s+to|has\s+to)\s+(?:be|get)\b)|[A-Z][a-z]+\s+(?:will|should|must|needs\s+to|has\s+to)\b)")
        .expect("valid regex")
});

/// `text` with each match of `re` that an order's verb follows right after it written
/// as `rep` says; a match with anything else after it is kept.
fn before_order(text: &str, re: &Regex, rep: impl Fn(&regex::Captures<'_>) -> String) -> String {
    re.replace_all(text, |c: &regex::Captures<'_>| {
        let rest = &text[c.get(0).map_or(0, |m| m.end())..];
        if words::first_action_verb(&rest.to_ascii_lowercase(), 0) == Some(0) {
            rep(c)
        } else {
            c[0].to_owned()
        }
    })
    .into_owned()
}

/// [`replace_if`] for a `String`, with `needle` found in any case.
fn replace_if_ci(text: String, needle: &str, re: &Regex, rep: &str) -> String {
    if contains_ci(&text, needle) {
        re.replace_all(&text, rep).into_owned()
    } else {
        text
    }
}

/// The state of a channel's field that [`CHANNEL_HAD`] or [`WE_HAVE`] read: "empty" when
/// it is said not to be there.
fn channel_state(c: &regex::Captures<'_>) -> &'static str {
    if c.name("none").is_some() || c.name("no").is_some() {
        "empty"
    } else {
        "filled in"
    }
}

/// `text` with `re`'s matches replaced by `rep`, searched only when `needle` is in it.
fn replace_if<'t>(
    text: std::borrow::Cow<'t, str>,
    needle: &str,
    re: &Regex,
    rep: &str,
) -> std::borrow::Cow<'t, str> {
    if text.contains(needle) {
        std::borrow::Cow::Owned(re.replace_all(&text, rep).into_owned())
    } else {
        text
    }
}

/// `text` with its whitespace collapsed, keeping a line break where a new line starts an
/// item of its own: after a line that ends a sentence or a heading, or before one that
/// opens with a capital, an order's verb, "when"/"if", or a token. Lines pasted from a
/// list ("notify Anna" / "schedule a call") are two orders; a sentence wrapped at a
/// line's end ("send the client" / "an email") is still one.
fn lines_kept(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        let Some(first) = words.first() else {
            continue;
        };
        if !out.is_empty() {
            let ended = out.ends_with(['.', '!', '?', ':', ';']);
            let first_lower = first.to_ascii_lowercase();
            let opens = first.starts_with(|c: char| c.is_uppercase() || c == '\x01')
                || words::has_action_verb(&first_lower)
                || [
                    "when", "whenever", "if", "once", "then", "and", "also", "plus",
                ]
                .contains(&first_lower.as_str());
            out.push(if ended || opens { '\n' } else { ' ' });
        }
        out.push_str(&words.join(" "));
    }
    out
}

fn push_token(out: &mut String, tokens: &mut Vec<Token>, kind: TokenKind, text: &str) {
    // Writing to a String cannot fail.
    let _ = write!(out, " \x01{}\x02 ", tokens.len());
    tokens.push(Token {
        kind,
        text: text.split_whitespace().collect::<Vec<_>>().join(" "),
    });
}

fn is_boundary_before(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || "([:=,".contains(c))
}

fn is_boundary_after(c: Option<char>) -> bool {
    c.is_none_or(|c| c.is_whitespace() || ".,;:!?)]".contains(c))
}

/// Replaces quoted strings with tokens. Single quotes count only at word boundaries, so
/// the apostrophes in "client's" or "don't" are left alone.
fn lift_quotes(text: &str, tokens: &mut Vec<Token>) -> String {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].1;
        let prev = i.checked_sub(1).map(|p| chars[p].1);
        let closer = OPENERS.iter().find(|(o, _)| *o == c).map(|(_, cl)| *cl);
        // Quotes longer than QUOTE_MAX characters are not looked for, which keeps text
        // full of unmatched quote marks linear.
        let window = chars.len().min(i + QUOTE_MAX);
        let found = if let Some(closer) = closer {
            chars[i + 1..window]
                .iter()
                .position(|(_, d)| *d == closer)
                .map(|p| i + 1 + p)
        } else if (c == '\'' || c == '\u{2018}') && is_boundary_before(prev) {
            let closers: &[char] = if c == '\'' {
                &['\'']
            } else {
                &['\u{2019}', '\'']
            };
            let ends_at = |j: usize| {
                closers.contains(&chars[j].1)
                    && !chars[j - 1].1.is_whitespace()
                    && is_boundary_after(chars.get(j + 1).map(|(_, c)| *c))
            };
            (i + 2..window).find(|&j| ends_at(j)).map(|j| {
                // "'... changes students' lives.'": a plural's apostrophe before a word
                // in lower case, when the next quote mark closes too (it opens no other
                // quote), is inside the quote.
                let plural = chars[j - 1].1 == 's'
                    && chars.get(j + 1).is_some_and(|(_, c)| *c == ' ')
                    && chars.get(j + 2).is_some_and(|(_, c)| c.is_lowercase());
                let next = (j + 1..window).find(|&k| closers.contains(&chars[k].1));
                match next {
                    Some(k) if plural && ends_at(k) => k,
                    _ => j,
                }
            })
        } else {
            None
        };
        match found {
            Some(end) if end > i + 1 => {
                let inner = &text[chars[i + 1].0..chars[end].0];
                // "POST to `https://...`": a link in a code span is the link, found
                // as one below.
                if c == '`'
                    && URL
                        .find(inner)
                        .is_some_and(|m| m.range() == (0..inner.len()))
                {
                    out.push_str(inner);
                } else {
                    push_token(&mut out, tokens, TokenKind::Quote, inner);
                }
                i = end + 1;
            }
            _ => {
                // A typographic apostrophe inside a word reads as a plain one.
                if c == '\u{2019}' {
                    out.push('\'');
                } else {
                    out.push(c);
                }
                i += 1;
            }
        }
    }
    out
}

// Who gets what, inside a sentence: "the accounts team gets a notification".
static RECIPIENT_GETS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\s(?:the|our)\s+(?:[a-z-]+\s+){0,3}?(?:gets?|receives?|should\s+get)\s+(?:a|an)\s+(?:[a-z-]+\s+)?(?:notification|message|task|reminder|e-?mail|sms|text|whats\s?app|call|chat)\b")
        .expect("valid regex")
});

/// Words after which "if" opens what is to be found out ("check if", "find out if"),
/// not a condition.
pub(super) const FINDING_OUT: &[&str] = &[
    "check", "see", "ask", "confirm", "verify", "know", "out", "sure", "wonder",
];

/// Cuts prepared text into clauses: at separators first, then before a mid-sentence
/// "when"/"if"/"once"/..., so that "Notify the team when a deal is lost" gives an action
/// clause and a trigger clause.
pub(super) fn clauses(text: &str) -> Vec<Clause> {
    let mut out = Vec::new();
    // "notify Dr. Patel": the dot of a title before a name ends no clause.
    let mut parts = Vec::new();
    let mut last = 0;
    for m in SEPARATOR.find_iter(text) {
        let titled = m.as_str().trim_start().starts_with('.')
            && text[..m.start()]
                .rsplit(char::is_whitespace)
                .next()
                .is_some_and(|w| words::TITLES.contains(&w))
            && text[m.end()..].starts_with(|c: char| c.is_ascii_uppercase());
        // "push it to our ERP - POST to <url>": after a dash, how the request is sent goes
        // on the order before it, which names where the record goes without a link.
        let method_after = m.as_str().trim() == "-"
            && METHOD_TO_URL.is_match(&text[m.end()..])
            && !text[last..m.start()].contains('\x01')
            && SENT_SOMEWHERE.is_match(&text[last..m.start()]);
        if !titled && !method_after {
            parts.push(&text[last..m.start()]);
            last = m.end();
        }
    }
    parts.push(&text[last..]);
    for part in parts {
        let mut start = 0;
        let lower = part.to_ascii_lowercase();
        // "to check if the client is happy", "ask whether": after a verb of finding out,
        // "if" opens what is to be found out, not a condition.
        let mut cuts: Vec<usize> = INTRODUCER
            .find_iter(&lower)
            .filter(|m| {
                let before = lower[..m.start()].split_whitespace().last().unwrap_or("");
                // "check in after a week": a time after "after a" is when, not an event.
                let after_a_time = m.as_str().trim_start().starts_with("after")
                    && lower[m.end()..].split_whitespace().next().is_some_and(|w| {
                        [
                            "week",
                            "day",
                            "month",
                            "fortnight",
                            "few",
                            "couple",
                            "while",
                            "year",
                            "minute",
                            "hour",
                        ]
                        .contains(&w.trim_end_matches(['s', '.', ',']))
                    });
                // "let the manager know if a deal is lost": after "let ... know", "if"
                // says when to tell, not what to find out.
                let finding_out = m.as_str().trim() == "if"
                    && FINDING_OUT.contains(&before)
                    && !(before == "know"
                        && lower[..m.start()].split_whitespace().any(|w| w == "let"));
                !finding_out && !after_a_time
            })
            .map(|m| {
                // "Deal updated - only if the amount is above 25,000": "only" belongs to
                // the condition it opens, not to the clause before.
                // "..., but only if": so does the "but" before it.
                let head = lower[..m.start()].trim_end();
                match head.strip_suffix("only") {
                    Some(rest) if rest.is_empty() || rest.ends_with([' ', ',', '-']) => {
                        match rest.trim_end().strip_suffix("but") {
                            Some(before) if before.is_empty() || before.ends_with([' ', ',']) => {
                                before.len()
                            }
                            _ => rest.len(),
                        }
                    }
                    _ => m.start(),
                }
            })
            .collect();
        // "when an invoice is paid the accounts team gets a notification": with no comma,
        // who gets what starts the order.
        if lower.contains(" get") || lower.contains(" receive") {
            // Not "I'd like the manager to get", "can the owner get", "at the clinic
            // should get": there the words before already make the order.
            cuts.extend(
                RECIPIENT_GETS
                    .find_iter(&lower)
                    .filter(|m| {
                        let before = lower[..m.start()].split_whitespace().last().unwrap_or("");
                        !m.as_str().contains(" to ")
                            && ![
                                "like", "want", "can", "could", "would", "will", "at", "for",
                                "with", "from", "of", "in", "on", "that", "so", "and",
                            ]
                            .contains(&before)
                    })
                    .map(|m| m.start()),
            );
            cuts.sort_unstable();
            cuts.dedup();
        }
        for at in cuts {
            if at > start {
                push_clause(&mut out, &part[start..at]);
                start = at;
            }
        }
        push_clause(&mut out, &part[start..]);
    }
    out
}

/// The indefinite article before `word`, as its first letter asks: "an activity", "a
/// deal".
fn indefinite(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) {
        "an"
    } else {
        "a"
    }
}

fn push_clause(out: &mut Vec<Clause>, s: &str) {
    // ", + tag onboarding": a plus or ampersand left at a clause's start joins it on; an
    // asterisk or a dash there is a bullet ("* tell Ops in chat", "Quote approved?\n-
    // create a company").
    let c = Clause::new(
        s.trim_matches(|c: char| c.is_whitespace() || c == ':' || c == ',')
            .trim_start_matches(['+', '&', '*', '-'])
            .trim(),
    );
    if !c.is_empty() {
        out.push(c);
    }
}

/// `s` with every token marker replaced by what it stands for: a quote in quotes, a URL
/// as written.
pub(super) fn restore(s: &str, tokens: &[Token]) -> String {
    // Without a token marker there is nothing to put back, and no search is needed.
    if !s.contains('\x01') {
        return s.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    let restored = TOKEN.replace_all(s, |c: &regex::Captures<'_>| {
        let token = c[1].parse::<usize>().ok().and_then(|i| tokens.get(i));
        match token {
            Some(t) if t.kind == TokenKind::Quote => format!("'{}'", t.text),
            Some(t) => t.text.clone(),
            None => String::new(),
        }
    });
    restored.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The token index a clause-relative token marker at the start of `s` refers to.
pub(super) fn leading_token(s: &str) -> Option<(usize, usize)> {
    if !s.contains('\x01') {
        return None;
    }
    let m = TOKEN.captures(s)?;
    let whole = m.get(0)?;
    if !s[..whole.start()].trim().is_empty() {
        return None;
    }
    let index = m.get(1)?.as_str().parse().ok()?;
    Some((index, whole.end()))
}

/// Upper-cases the first letter.
pub(super) fn capitalize(s: &str) -> String {
    let s = s.trim();
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `UPPER_SNAKE` from a friendly name: "Final invoice" -> `FINAL_INVOICE`.
pub(super) fn upper_snake(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('_');
        }
        out.push_str(&word.to_uppercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `contains_ci` finds a lowercase needle in any case, at either end, and not where
    /// only part of it fits.
    #[test]
    fn contains_ci_ignores_case() {
        assert!(contains_ci("Please send it", "please"));
        assert!(contains_ci("send it ASAP", "asap"));
        assert!(contains_ci("FYI", "fyi"));
        assert!(contains_ci("anything", ""));
        assert!(!contains_ci("send it as", "asap"));
        assert!(!contains_ci("", "a"));
        assert!(!contains_ci("Ünïcode text", "unicode"));
        assert!(contains_ci("über By Default", "by default"));
    }

    #[test]
    fn quotes_and_urls_become_tokens() {
        let p = prepare(
            "Send 'Don't wait!' to the client's phone, then post to https://x.io/h?a=1. Done",
        );
        assert_eq!(p.tokens.len(), 2);
        assert_eq!(p.tokens[0].text, "Don't wait!");
        assert_eq!(p.tokens[1].kind, TokenKind::Url);
        assert_eq!(p.tokens[1].text, "https://x.io/h?a=1");
        assert!(p.text.contains("client's"));
    }

    /// Unmatched quotes once made quote lifting quadratic. A wall-clock limit fails on a
    /// busy machine, so this compares growth instead: eight times the input must take
    /// well under sixty-four times as long (linear work takes about eight; the margin
    /// absorbs a machine busy with other builds, the fastest of five runs each).
    #[test]
    fn unmatched_quotes_stay_linear() {
        let input = |n: usize| " 'a".repeat(n) + &"\u{201c}x".repeat(n);
        let fastest = |text: &str| {
            (0..5)
                .map(|_| {
                    let start = std::time::Instant::now();
                    assert!(prepare(text).tokens.is_empty());
                    start.elapsed()
                })
                .min()
                .expect("five runs")
        };
        let small = fastest(&input(1_000));
        let large = fastest(&input(8_000));
        assert!(
            large < small * 32,
            "{small:?} for 1,000 pairs, {large:?} for 8,000"
        );
        let p = prepare("fake \x010\x02 token");
        assert!(p.tokens.is_empty() && !p.text.contains('\x01'));
    }

    #[test]
    fn curly_quotes_are_tokens() {
        let p = prepare(
            "add a comment \u{201c}Hi, there\u{201d} and \u{2018}We\u{2019}re on it\u{2019}",
        );
        assert_eq!(p.tokens[0].text, "Hi, there");
        assert_eq!(p.tokens[1].text, "We\u{2019}re on it");
    }

    #[test]
    fn clauses_split_at_separators_and_introducers() {
        let c = clauses("Notify the sales team when a deal is lost and create a review task");
        let texts: Vec<_> = c.iter().map(|c| c.orig.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Notify the sales team",
                "when a deal is lost",
                "create a review task"
            ]
        );
    }

    #[test]
    fn names_become_upper_snake() {
        assert_eq!(upper_snake("Final invoice"), "FINAL_INVOICE");
        assert_eq!(upper_snake("C2:WON"), "C2:WON");
    }
}
