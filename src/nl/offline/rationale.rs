//! A closing sentence that says why, not what: "Demos go badly when nobody has charged
//! the laptops.", "Our designers sometimes change the scope without telling them." People
//! explain their request after making it; the explanation asks for nothing. So does the
//! same explanation after a comma that closes the last sentence ("..., our scheduling app
//! needs it").
//!
//! A sentence is read past as such only when it cannot change the workflow: it comes
//! after a sentence with an order, it opens with a subject of its own (not a verb, not
//! "when" or "if"), names no action, no event, no person or place by name, no quote, link
//! or number, no time ("tomorrow", "next week") or field of an action ("due", "priority"),
//! and has no word that narrows ("only", "except", "unless", "but"). Anything else in it
//! stays to be placed or asked about. The same sentences before the request, giving its
//! context ("Some of the larger deals we lose are really just bad timing. When a deal
//! ..."), are read past on the same terms.

use std::sync::LazyLock;

use regex::Regex;

use super::recipients::{self, Who};
use super::text::{Clause, Token, pattern};
use super::{actions, triggers, words};

// Sentence ends in prepared text (quotes and links are tokens by then).
static SENTENCE_END: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"[.!?]+(?:\s+|$)").expect("valid regex"));

// First words that open an order or an event, not a remark.
const OPENERS: &[&str] = &[
    "when", "whenever", "if", "once", "after", "every", "each", "also", "then", "please", "and",
    "plus", "for", "on", "upon", "as", "in", "at", "from", "to", "make", "have", "let", "can",
    "could", "would", "is", "are", "do", "does", "hi", "hello", "thanks", "thank", "cheers",
];

// First words of an explanation's subject that name no one.
const SUBJECTS: &[&str] = &[
    "our",
    "we",
    "we're",
    "we've",
    "they",
    "they're",
    "it",
    "it's",
    "this",
    "that",
    "that's",
    "these",
    "those",
    "the",
    "there",
    "there's",
    "otherwise",
    "sometimes",
    "because",
    "since",
    "so",
    "everyone",
    "everybody",
    "nobody",
    "most",
    "many",
    "some",
    "a",
    "an",
    "half",
    // "lots of people come back next season".
    "lots",
    "plenty",
    "loads",
    "people",
    "i",
    "i'm",
    "my",
    "he",
    "she",
    "he's",
    "she's",
    "his",
    "her",
    // "maybe the price was too high": a guess at why.
    "maybe",
    "perhaps",
    "probably",
];

// Verbs an explanation after a comma is said with.
const FINITE: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "need",
    "needs", "want", "wants", "keep", "keeps", "like", "likes", "tend", "tends", "forget",
    "forgets", "know", "knows", "do", "does", "don't", "doesn't", "did", "didn't", "come", "comes",
    "go", "goes", "get", "gets", "use", "uses", "handle", "handles", "check", "checks", "love",
    "loves", "hate", "hates", "ask", "asks", "lose", "loses", "miss", "misses", "'s", "it's",
    "that's", "we're", "they're", "he's", "she's", "depends", "relies", "follows", "covers",
    "works", "speaks", "manages",
];

// Words that may narrow the workflow or add to it.
const NARROWING: &[&str] = &[
    "only", "except", "unless", "but", "just", "too", "also", "instead", "either", "neither",
];

/// Where the closing explanation of `text` starts, or `text.len()` when it has none.
pub(super) fn start(text: &str, tokens: &[Token]) -> usize {
    let cut = closing(text, tokens);
    // "..., because last month we forgot to thank two brides. One of them mentioned it
    // in her review.": a reason said outright runs to the end.
    match reason_said(&text[..cut]) {
        Some(at) => at,
        None => cut,
    }
}

// A reason said outright, after an order in the same sentence: "because", "since",
// "which is why", "which is how", "that way", "otherwise", "so that".
static BECAUSE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)(?:\s*,|\s+[-\x{2013}\x{2014}])?\s+(?:because|'?cause|since|otherwise|which\s+is\s+(?:why|how)|that\s+way|this\s+way|(?P<purpose>so\s+that))\b")
        .expect("valid regex")
});

// Where an order may start again: after a clause's joiner, an order's verb.
static ORDER_AGAIN: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?:^|[,;.!?]\s*|\b(?:and|then|also|plus)\s+)(?:(?:and|then|also|please|pls|kindly)\s+)*(?P<verb>[a-z]+)\b")
        .expect("valid regex")
});

/// Where a reason said outright starts, when everything from it to the end of `text`
/// only explains: it follows an order in its sentence, and holds no quote or link, no
/// time or action's field, no number, no clause that opens with an order's verb ("...,
/// because she approves them, and create a task for her" orders again), and no one not
/// named before it.
fn reason_said(text: &str) -> Option<usize> {
    let c = BECAUSE.captures(text)?;
    let m = c.get(0)?;
    let rest = text[m.end()..].to_ascii_lowercase();
    // "so that the client gets an SMS": a purpose that names a thing b24flow sends or
    // makes may be an order; only an explicit reason is read past with one.
    if c.name("purpose").is_some() && THING_SENT.is_match(&rest) {
        return None;
    }
    let head = text[..m.start()].to_ascii_lowercase();
    let sentence_head = head.rsplit(['.', '!', '?']).next().unwrap_or(&head);
    let ordered = words::has_action_verb(sentence_head);
    let orders_again = ORDER_AGAIN.captures_iter(&rest).any(|c| {
        c.name("verb").is_some_and(|v| {
            words::first_action_verb(v.as_str(), 0) == Some(0)
                && !matches!(v.as_str(), "text" | "call" | "email" | "message" | "note")
        })
    });
    // "because it is over 5000" may narrow the workflow; "because Tom is away", "because
    // the manager wants to know" may say whom to tell. Someone named already before it
    // ("notify Marcus, because ... Marcus books the van") is no one new.
    let orig_rest = &text[m.end()..];
    let someone_new = orig_rest
        .split(['.', '!', '?'])
        .enumerate()
        // A sentence's first word is capitalised whatever it is.
        .flat_map(|(i, s)| s.split_whitespace().skip(usize::from(i > 0)))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .any(|w| {
            w.starts_with(|c: char| c.is_uppercase())
                && w != "I"
                && !w.chars().all(char::is_uppercase)
                && !text[..m.start()].contains(w)
        })
        || rest.split_whitespace().any(|w| {
            matches!(
                recipients::classify(&[w.trim_matches(|c: char| !c.is_alphanumeric())], false),
                Some(Who::Responsible)
            )
        });
    (ordered
        && !rest.contains(['\x01', '\x02'])
        && !rest.contains(|c: char| c.is_ascii_digit())
        && !timed(&rest)
        && !orders_again
        && !someone_new)
        .then_some(m.start())
}

/// Where the closing explanation sentences of `text` start, or `text.len()`.
/// Where each sentence of `text` starts and ends.
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut bounds = vec![0];
    // "Dr. Owens": a title's dot ends no sentence.
    bounds.extend(
        SENTENCE_END
            .find_iter(text)
            .filter(|m| {
                let word = text[..m.start()]
                    .rsplit(char::is_whitespace)
                    .next()
                    .unwrap_or("");
                !(words::TITLES.contains(&word) || word == "St")
            })
            .map(|m| m.end()),
    );
    if bounds.last() != Some(&text.len()) {
        bounds.push(text.len());
    }
    bounds
        .windows(2)
        .map(|w| (w[0], w[1]))
        .filter(|(a, b)| !text[*a..*b].trim().is_empty())
        .collect()
}

// The label of the request itself, after its context: "Ask: when a deal is won, ...".
static ASK_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?i)^\s*(?:the\s+)?(?:ask|request|requirement|what\s+we\s+need|what\s+we'd\s+like)\s*:\s*")
        .expect("valid regex")
});

/// Where the request starts after the sentences that open it with its context: "Some of
/// the larger deals we lose are really just bad timing. When a deal ... is lost, ...",
/// "Context: our clients wait a week for their pack. Ask: when a deal is won, ...". A
/// sentence is read past on the same terms as a closing explanation (see the module
/// docs), only while an order is still to come, and never the last.
pub(super) fn opening(text: &str, tokens: &[Token]) -> usize {
    let all = sentences(text);
    let mut start = 0;
    for &(a, b) in all.iter().take(all.len().saturating_sub(1)) {
        let sentence = Clause::new(text[a..b].trim().trim_end_matches(['.', '!', '?']));
        // "The reps keep forgetting to email the client. When ...": a habit before the
        // request that names an order may be asking for it, and is read, unless it is
        // labelled as context ("Context: ... Ask: ...").
        if !explains(&sentence, tokens, true, "")
            || !LABELLED.is_match(&sentence.lower) && actions::kind(&sentence, tokens).is_some()
            || !words::has_action_verb(&text[b..].to_ascii_lowercase())
        {
            break;
        }
        start = b;
    }
    if start == 0 {
        return 0;
    }
    start + ASK_LABEL.find(&text[start..]).map_or(0, |m| m.end())
}

fn closing(text: &str, tokens: &[Token]) -> usize {
    let sentences = sentences(text);
    let mut cut = text.len();
    // "... Thanks! Maria", "Thanks, Joan": a sign-off after the explanation is read past
    // in looking for it (and goes with it when one is found).
    let mut signed = sentences.len();
    if is_name_after_sign_off(&sentences, text) {
        signed -= 1;
    }
    while signed > 1 && is_sign_off(text[sentences[signed - 1].0..sentences[signed - 1].1].trim()) {
        signed -= 1;
    }
    for (i, &(a, b)) in sentences.iter().enumerate().take(signed).rev() {
        if i == 0 {
            break;
        }
        let sentence = Clause::new(text[a..b].trim().trim_end_matches(['.', '!', '?']));
        if !explains(&sentence, tokens, true, &text[..a]) {
            break;
        }
        let before = Clause::new(&text[..a]);
        // "the system emails them": an order's verb in the third person counts too.
        let third_person = before.lower.split_whitespace().any(|w| {
            w.strip_suffix('s')
                .is_some_and(|v| v.len() > 2 && words::has_action_verb(v))
        });
        if actions::kind(&before, tokens).is_none()
            && !words::has_action_verb(&before.lower)
            && !third_person
        {
            break;
        }
        cut = a;
    }
    // "..., our scheduling app needs it", "..., she wants to see why owners turn plans
    // down": the same explanation after a comma, closing the last sentence that orders.
    if let Some(&(a, _)) = sentences[..signed].iter().rev().find(|(a, _)| *a < cut)
        && let Some((comma, mark)) = [", ", " - ", " \u{2013} ", " \u{2014} "]
            .iter()
            .filter_map(|m| text[a..cut].rfind(m).map(|i| (a + i, m.len())))
            .max()
    {
        let tail = Clause::new(
            text[comma + mark..cut]
                .trim()
                .trim_end_matches(['.', '!', '?']),
        );
        let head = Clause::new(&text[a..comma]);
        let ws: Vec<&str> = tail.orig.split_whitespace().collect();
        // "... an SMS back confirming it: Thanks, your details are up to date": after a
        // colon with no order after it come the words of what is sent, not a reason
        // ("every new task: set the deadline ..." is a note's order).
        let after_colon = head
            .lower
            .rfind(':')
            .is_some_and(|i| !words::has_action_verb(&head.lower[i..]));
        // A clause of its own, with a verb ("needs", "wants", "keep"), not the end of a
        // list ("notify the CFO, the head of sales and the legal team"); and one whose
        // subject is no one who could be given the work ("the sales manager should be on
        // it" assigns it).
        let finite = tail.lower.split_whitespace().any(|w| FINITE.contains(&w));
        let someone = (1..=ws.len().min(4)).any(|k| {
            matches!(
                recipients::classify(&ws[..k], false),
                Some(Who::Responsible | Who::Named(_))
            )
        });
        // Nor one that names a thing b24flow sends or makes: "..., so the client gets a
        // thank-you SMS", "..., she should get a reminder tomorrow" may be an order.
        if ws.len() >= 3
            && finite
            && !someone
            && !after_colon
            && (!THING_SENT.is_match(&tail.lower) || HABIT.is_match(&tail.lower))
            && explains(&tail, tokens, false, &text[..comma])
            && (actions::kind(&head, tokens).is_some() || words::has_action_verb(&head.lower))
        {
            return comma;
        }
    }
    cut
}

/// Whether `s` is a sign-off: "Thanks!", "Thanks, Joan", "Cheers, Amy", "Thanks a
/// million".
fn is_sign_off(s: &str) -> bool {
    let (head, name) = s.split_once(',').unwrap_or((s, ""));
    let head = Clause::new(head.trim().trim_end_matches(['.', '!']));
    let signs_off = matches!(
        super::text::courtesy(&head),
        Some(super::text::Courtesy::SignOff)
    ) || [
        "thanks a million",
        "thanks a mil",
        "thanks again",
        "thank you so much",
        "best",
    ]
    .contains(&head.lower.as_str());
    let name_only = name
        .trim()
        .trim_end_matches(['.', '!'])
        .split_whitespace()
        .all(|w| w.starts_with(|c: char| c.is_uppercase()))
        && name.split_whitespace().count() <= 2;
    signs_off && name_only
}

/// Whether the last sentence is a name alone after a sign-off: "Thanks! Maria".
fn is_name_after_sign_off(sentences: &[(usize, usize)], text: &str) -> bool {
    let [.., (a, b), (c, d)] = sentences else {
        return false;
    };
    let words: Vec<&str> = text[*c..*d]
        .trim()
        .trim_end_matches(['.', '!'])
        .split_whitespace()
        .collect();
    is_sign_off(text[*a..*b].trim())
        && (1..=2).contains(&words.len())
        && words.iter().all(|w| {
            w.starts_with(|c: char| c.is_uppercase()) && w.chars().all(char::is_alphabetic)
        })
}

/// Whether a sentence only explains: see the module docs. After a comma (`sentence`
/// false) it opens in lowercase.
fn explains(s: &Clause, tokens: &[Token], sentence: bool, before: &str) -> bool {
    // "Rationale: lost deals must not appear in the hot-deals report", "Acceptance: the
    // task links back to the deal": a requirements document labels why it asks and how
    // the result is checked; neither asks for more, unless it narrows or quotes.
    if sentence && let Some(rest) = LABELLED.find(&s.lower).map(|m| &s.lower[m.end()..]) {
        return !rest.contains('\x01') && !narrows(rest);
    }
    let all: Vec<&str> = s.orig.split_whitespace().collect();
    let Some(first) = all.first() else {
        return false;
    };
    let first_lower = first.to_ascii_lowercase();
    let first_word = first_lower.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '\'');
    // "Tomasz drives the minibus", after "ping Tomasz": someone the request named already
    // is no one new.
    let named_before = |w: &str| before.split(|c: char| !c.is_alphanumeric()).any(|b| b == w);
    let named = all.iter().skip(1).any(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        // An acronym ("SDRs", "CRM") names no one; a capitalised word may.
        w.starts_with(|c: char| c.is_uppercase())
            && !w
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(|c| c.is_uppercase() || c == 's')
            && !named_before(w)
    });
    // The subject is one that names no one: a pronoun or determiner, or a plural
    // ("Demos go badly", "Clients tend to go quiet"). "Bob handles the rest" or "Owens to
    // assess ..." (after "Dr.") may be an order about a person.
    // A plural is followed by a verb in the plural ("Demos go", "Clients tend"), which
    // tells it from a name ending in s ("James handles it", "Owens to assess ...").
    // "Hot leads go cold", "Group bookings need a deposit": a plural after one word that
    // describes it is the subject too.
    let plural_at = |i: usize| {
        all.get(i).is_some_and(|w| {
            let w = w
                .to_ascii_lowercase()
                .trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '\'')
                .to_owned();
            w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && (i == 0 || !w.ends_with("'s"))
        }) && all.get(i + 1).is_some_and(|v| {
            v.starts_with(|c: char| c.is_ascii_lowercase())
                && !v.ends_with('s')
                && !["to", "and", "or", "of"].contains(v)
        })
    };
    // Not "Bob handles the rest": there the word ending in s is a verb, and an object
    // follows it, where after a plural subject its verb does.
    let plural = plural_at(0)
        || plural_at(1)
            && all
                .get(1)
                .is_some_and(|w| w.starts_with(|c: char| c.is_ascii_lowercase()))
            && all.get(2).is_some_and(|v| {
                ![
                    "the", "a", "an", "this", "that", "these", "those", "it", "them", "him", "her",
                    "us", "me", "our", "their", "his", "its", "my", "your", "in", "on", "for",
                    "with", "at", "by", "up", "out", "over", "all", "every", "each",
                ]
                .contains(&v.to_ascii_lowercase().as_str())
            })
            && !words::has_action_verb(first_word);
    let first_named_before = first.starts_with(|c: char| c.is_ascii_uppercase())
        && named_before(first.trim_matches(|c: char| !c.is_alphanumeric()))
        && !words::has_action_verb(first_word);
    let plain_subject = SUBJECTS.contains(&first_word) || plural || first_named_before;
    // "..., POST. our production system needs it": a sentence typed without its capital
    // still opens with a subject of its own when that is a possessive or a pronoun; an
    // article or a noun after a dot may go on an abbreviation ("approx. the", "e.g.
    // clients").
    let lowercase_opening = [
        "our", "we", "we're", "we've", "they", "they're", "it's", "that's", "there's", "i", "i'm",
        "my",
    ]
    .contains(&first_word);
    // "Our bidders keep ringing the front desk to ask whether they won", "It would save
    // us sending the forms by hand": what keeps going wrong, or what the request saves,
    // explains it whatever event or action its words name.
    // Not when it names a thing b24flow sends or makes: "It helps if the manager gets an
    // SMS" may be an order in disguise, and is placed or asked about.
    let explaining =
        HABIT.is_match(&s.lower) || EXPLAINING.is_match(&s.lower) && !THING_SENT.is_match(&s.lower);
    (explaining || all.len() >= 3 && plain_subject)
        && (!sentence || first.starts_with(|c: char| c.is_uppercase()) || lowercase_opening)
        && (explaining || !OPENERS.contains(&first_word))
        && !words::has_action_verb(first_word)
        && !named
        && !s.lower.contains('\x01')
        && !s.lower.chars().any(|c| c.is_ascii_digit())
        && !timed(&s.lower)
        // "..., the deal is to be moved to Payment Received": an order in the passive.
        && !super::events::TO_BE_DONE.is_match(&s.lower)
        && !narrows(&s.lower)
        && (explaining
            || actions::kind(s, tokens).is_none() && triggers::find(s, true, tokens).is_none())
}

// The label of a sentence that says why or how the result is checked.
static LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"^(?:rationale|reason|why|acceptance(?:\s+criteria)?|background|purpose|context)\s*:\s*",
    )
    .expect("valid regex")
});

/// Whether an explanation has a word that may narrow the workflow or add to it. "but"
/// and "just" narrow only before a word that limits ("but not", "but only", "just for",
/// "just the big ones"); "It's a small thing but people do appreciate it", "it's just
/// nice to have", "just a gentle poke" narrow nothing.
fn narrows(lower: &str) -> bool {
    let plain = TOO_MUCH.replace_all(lower, " ");
    let ws: Vec<&str> = plain
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '\''))
        .collect();
    ws.iter().enumerate().any(|(i, w)| match *w {
        "but" | "just" => ws.get(i + 1).is_none_or(|n| LIMITING.contains(n)),
        _ => NARROWING.contains(w),
    })
}

// The words after "but" or "just" that limit what came before.
const LIMITING: &[&str] = &[
    "not", "only", "never", "except", "no", "for", "the", "when", "if", "on", "in", "to", "one",
    "once", "those", "these", "that", "this", "our", "where", "with", "from", "by", "after",
    "before", "without", "big", "small", "new",
];

// A time, or a field an action is given: "It should be due tomorrow", "It must happen
// first thing next week", "it's high priority". What it says may be when the action
// before is due or how it is done, never why it is asked.
static TIMED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:today|tomorrow|tonight|weekend|asap|due|deadline|priority|urgent|(?:next|this|a|one|the\s+same)\s+(?:day|week|month|hour|morning|afternoon|evening))\b")
        .expect("valid regex")
});

/// Whether `lower` says a time or an action's field, not denied: "It's not urgent at
/// all" says nothing about the task's priority.
fn timed(lower: &str) -> bool {
    TIMED.find_iter(lower).any(|m| {
        let before = lower[..m.start()].trim_end();
        !(before.ends_with(" not") || before.ends_with("n't") || before.ends_with(" no"))
    })
}

// The things b24flow's actions send or make.
static THING_SENT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:sms|texts?|e-?mails?|whatsapps?|notifications?|messages?|tasks?|reminders?|calls?|comments?|notes?|tags?|invoices?|quotes?|deals?|webhooks?)\b")
        .expect("valid regex")
});

// "far too late", "too many": "too" as "more than enough", not "as well".
static TOO_MUCH: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:far\s+|way\s+|much\s+)?too\s+(?:late|early|long|many|much|slow|often|little|few|busy|high|low|expensive|cheap)\b")
        .expect("valid regex")
});

// A habit, what keeps going wrong now: "people keep forgetting new tasks", "our bidders
// keep ringing the front desk", "she forgets", "sending invoices to an old address has
// cost us weeks". It complains; it orders nothing, whatever it names.
static HABIT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:[\w']+\s+){0,3}?(?:keeps?|kept)\s+[a-z]+ing\b|^(?:she|he|they|we|i)\s+(?:always\s+|often\s+|sometimes\s+|usually\s+)?(?:forgets?|forgot)\s*$|\b(?:has|have|had)\s+(?:already\s+)?cost\s+us\b").expect("valid regex")
});

// How an explanation opens or goes on besides a habit: what the request helps with or
// saves, how things stand now, or what depends on it ("the reporting depends on it").
static EXPLAINING: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:it|this|that)\s+(?:would\s+|will\s+|should\s+)?(?:helps?|saves?|avoids?|means?|stops?|prevents?)\b|^that\s+way\b|^(?:we|i)\s+need\s+(?:this|it)\s+(?:for|because|so)\b|^at\s+the\s+moment\b|^right\s+now\b|^(?:we've|we\s+have)\s+(?:lost|had|missed)\b|\b(?:depends|relies|runs)\s+on\s+(?:it|this|that)\s*$")
        .expect("valid regex")
});
