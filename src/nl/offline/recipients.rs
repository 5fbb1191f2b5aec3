//! Who an action is for, read the way a person writes it.
//!
//! "the client" is the record's client (a smart variable chosen per action); "the
//! manager", "the owner", "the assignee" is the responsible person; "the sales team",
//! "the support department" or "Anna" is a name that `[recipients]` in `b24flow.toml`
//! resolves later; "someone" or "people" is too vague and becomes a question.
//!
//! The head noun is last and a name is its whole compound: "the accounts receivable
//! clerk", "the service desk manager", "the adviser on duty". A group or role word
//! followed by more of a name b24flow does not know ("our partner company") is asked,
//! never cut; a department named by its function ("accounts receivable", "customer
//! success") is one group name. The record's other party by trade ("the sponsor", "the
//! donor", "the homeowner") is the client; a trade b24flow does not know is the client's or an
//! employee's, so on a channel that reaches clients it is asked. Relative clauses name
//! people too: "whoever it's assigned to", "the person in charge" (the responsible
//! person), "the person who created it" (the author). "Every"/"each" and "all" clients
//! name many, whom one recipient cannot stand for. Between a verb that takes two objects
//! and the thing given ("give the night shift a task") stands whoever gets it, so a
//! phrase there that names no one b24flow knows is asked, never dropped for the default.

use std::sync::LazyLock;

use regex::Regex;

use crate::nl::offline::text::pattern;

use super::text::Clause;
use super::words::{self, PERSON_STOPS};

mod tables;
use tables::{
    CHANNELS, CLIENT, CLIENT_ROLES, CLINICAL, DEPARTMENT_ENDS, DETERMINERS, GROUP, LEAD_KINDS,
    NOT_JOBS, OWN_INITIALS, OWN_UNITS, RESPONSIBLE, RESPONSIBLE_MODIFIERS, ROLE, VAGUE,
};

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

// Words that start a sentence with a capital and are never a name.
const NOT_NAMES: &[&str] = &[
    "too",
    "so",
    "very",
    "many",
    "much",
    "more",
    "most",
    "less",
    "few",
    "lots",
    "quite",
    "really",
    "still",
    "just",
    "even",
    "again",
    "already",
    "also",
    "maybe",
    "perhaps",
    "otherwise",
    "because",
    "since",
    "although",
    "though",
    "hopefully",
    "sadly",
    "luckily",
];

/// Whether a bare lowercase word, where the one who acts or receives goes ("a task for
/// oleg", "email olivia"), may be someone b24flow cannot place: no stop word, article or
/// pronoun, and nothing [`classify`] reads as anyone but a name.
pub(super) fn unplaced(word: &str) -> bool {
    !PERSON_STOPS.contains(&word)
        && !DETERMINERS.contains(&word)
        && ![
            "them",
            "him",
            "her",
            "me",
            "us",
            "you",
            "it",
            "everyone",
            "everybody",
            "all",
            "both",
            "whoever",
            "someone",
            "somebody",
            "anyone",
            "nobody",
            "back",
            "again",
            "first",
            "later",
            "asap",
            "out",
            "over",
            "up",
            "each",
            "every",
            "any",
            "some",
        ]
        .contains(&word)
        && classify(&[word], false).is_none_or(|who| matches!(who, Who::Named(_)))
}

/// Whether `word` is one b24flow's lists know as someone: a team, a role, the responsible
/// person, the client or one of the people a trade serves. A word read as a job only by
/// its ending ("collectors") is not.
pub(super) fn listed_person_word(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    let singular = w.strip_suffix('s').unwrap_or(&w);
    [
        GROUP,
        ROLE,
        RESPONSIBLE,
        CLIENT,
        CLIENT_ROLES,
        VAGUE,
        RESPONSIBLE_MODIFIERS,
    ]
    .iter()
    .chain([crate::nl::offline::lexicon::PEOPLE].iter())
    .any(|l| l.contains(&w.as_str()) || l.contains(&singular))
}

/// Classifies a phrase such as "the sales team". `them_is_client` reads "them", "him"
/// and "her" as the client, which is what they mean after "send a `WhatsApp` to".
pub(super) fn classify(phrase: &[&str], them_is_client: bool) -> Option<Who> {
    // "for the technician the next day", cut at "next": an article that ends the phrase
    // starts what comes after it.
    if let [rest @ .., last] = phrase
        && !rest.is_empty()
        && ["the", "a", "an"].contains(&last.to_ascii_lowercase().as_str())
    {
        return classify(rest, them_is_client);
    }
    // "assign on Monday": a day or a month is when, never who.
    if let [one] = phrase
        && super::lexicon::CALENDAR.contains(&one.to_ascii_lowercase().as_str())
    {
        return None;
    }
    // "sms the O": one letter is nobody's name (a vet's shorthand for the pet's owner);
    // who it is is asked.
    if let [article, one] = phrase
        && article.eq_ignore_ascii_case("the")
        && one.len() == 1
        && one.chars().all(|c| c.is_ascii_alphabetic())
    {
        return Some(Who::Vague(phrase.join(" ")));
    }
    // "He keeps the stock spreadsheet": a subject pronoun, capitalised at a sentence's
    // start, is no one's name.
    if phrase
        .first()
        .is_some_and(|w| ["he", "she", "we", "i", "you"].contains(&w.to_ascii_lowercase().as_str()))
    {
        return Some(Who::Vague(phrase.join(" ")));
    }
    // "Chris the surveyor", "Lucia, our reservations manager": a name with its role in
    // apposition is the person named.
    let names = phrase
        .iter()
        .take_while(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || c == '-' || c == '.')
        })
        .count();
    // "our office manager Greta", "our procurement lead Viktor", "team lead Ewa", "his
    // boss Karol": a role, then the name of the one who holds it. Not "the head of
    // Sales", where the capital names a department.
    let owner = phrase.first().is_some_and(|w| {
        ["our", "the", "their", "his", "her", "my"].contains(&w.to_ascii_lowercase().as_str())
    });
    let roled = if owner { &phrase[1..] } else { phrase };
    // The name may be a first name and a surname: "our broker Diane Foster".
    let name_words = roled
        .iter()
        .rev()
        .take(2)
        .take_while(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().skip(1).all(char::is_lowercase)
        })
        .count()
        .max(1);
    let (role, name) = roled.split_at(roled.len().saturating_sub(name_words));
    if let Some(last) = name.last()
        && !role.is_empty()
        && role.len() <= 3
        && role
            .iter()
            .all(|w| w.chars().all(|c| c.is_ascii_lowercase() || c == '-') && *w != "of")
        && last.chars().next().is_some_and(char::is_uppercase)
        && last.chars().skip(1).all(char::is_lowercase)
        && !GROUP.contains(&last.to_ascii_lowercase().as_str())
        && role.last().is_some_and(|r| {
            ROLE.contains(r)
                || RESPONSIBLE.contains(r)
                || GROUP.contains(r)
                || is_job_word(r)
                || [
                    "lead", "guy", "gal", "chef", "foreman", "vet", "agent", "head",
                ]
                .contains(r)
        })
    {
        return Some(Who::Named(name.join(" ")));
    }
    // "for the Gift Aid letters": names before a plain plural noun describe the things
    // it names, which are no one; asked about, never read as someone called "Gift Aid".
    if let [described @ .., noun] = roled
        && !described.is_empty()
        && described.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().skip(1).all(char::is_lowercase)
        })
        && noun.len() > 3
        && noun.ends_with('s')
        && !noun.ends_with("ss")
        && noun.chars().all(|c| c.is_ascii_lowercase())
        && !GROUP.contains(noun)
        && !ROLE.contains(noun)
        && !RESPONSIBLE.contains(noun)
        && !is_job_word(noun)
        && !CLIENT.contains(noun)
    {
        return Some(Who::Vague(phrase.join(" ")));
    }
    // "message Coach Lena", "Nurse Kate": a job as the title before a name is part of
    // how the person is called.
    if let [title, name] = roled
        && title.chars().next().is_some_and(char::is_uppercase)
        && ROLE.contains(&title.to_ascii_lowercase().as_str())
        && name.chars().next().is_some_and(char::is_uppercase)
        && name.chars().skip(1).all(char::is_lowercase)
        && name.len() > 1
    {
        return Some(Who::Named(format!("{title} {name}")));
    }
    if names > 0
        && names + 1 < phrase.len()
        && ["the", "our"].contains(&phrase[names].to_ascii_lowercase().as_str())
        && phrase[..names].iter().all(|w| {
            let lower = w.to_ascii_lowercase();
            !DETERMINERS.contains(&lower.as_str())
                && !words::has_action_verb(&lower)
                && !w.chars().all(|c| c.is_ascii_uppercase())
        })
    {
        return Some(Who::Named(phrase[..names].join(" ")));
    }
    // "notify the CFO the head of sales and the legal team": a second article inside a
    // phrase starts another recipient, in a list typed with no commas. Which ones are
    // meant is asked; read as one name, it was "CFO the head".
    // Only when both sides name someone: "the client the quote" is whom and what.
    let someone =
        |part: &[&str]| !matches!(classify(part, them_is_client), None | Some(Who::Vague(_)));
    let inner_article = phrase.iter().enumerate().skip(1).any(|(i, w)| {
        w.eq_ignore_ascii_case("the")
            && ![
                "of", "for", "to", "in", "on", "at", "with", "from", "by", "and", "or",
            ]
            .contains(&phrase[i - 1].to_ascii_lowercase().as_str())
            && someone(&phrase[..i])
            && someone(&phrase[i + 1..])
    });
    if inner_article {
        return Some(Who::Vague(phrase.join(" ")));
    }
    // "the adviser on duty", "the person in charge": the head names who, the
    // postmodifier belongs to a name, and "in charge" (of the record) is its owner.
    if let [head @ .., a, b] = phrase
        && head.len() > 1
    {
        let tail = format!("{} {}", a.to_ascii_lowercase(), b.to_ascii_lowercase());
        if ["on duty", "on call", "on shift", "on rota", "in charge"].contains(&tail.as_str()) {
            return match classify(head, them_is_client)? {
                // "the designer in charge": the one in charge of the record is its
                // responsible person, whatever their job; "Anna in charge" is Anna.
                Who::Named(name)
                    if tail == "in charge" && name.chars().all(|c| !c.is_uppercase()) =>
                {
                    Some(Who::Responsible)
                }
                Who::Named(name) => Some(Who::Named(format!("{name} {a} {b}"))),
                Who::Vague(_) if tail == "in charge" => Some(Who::Responsible),
                Who::Vague(_) => Some(Who::Vague(phrase.join(" "))),
                other => Some(other),
            };
        }
    }
    // "the recruiter on the deal", "the rep handling this account": a job held on the record
    // is its responsible person's, whatever the job; "Anna on the deal" is Anna.
    if let [head @ .., on, det, record] = phrase
        && !head.is_empty()
        && ["on", "handling", "owning", "managing"].contains(&on.to_ascii_lowercase().as_str())
        && ["the", "this", "that"].contains(&det.to_ascii_lowercase().as_str())
        && ["deal", "lead", "account", "record", "case", "file", "order"]
            .contains(&record.to_ascii_lowercase().as_str())
    {
        return match classify(head, them_is_client)? {
            Who::Named(name) if name.chars().all(|c| !c.is_uppercase()) => Some(Who::Responsible),
            Who::Vague(_) => Some(Who::Responsible),
            other => Some(other),
        };
    }
    // "his manager", "her assistant": whose they are depends on who was named before,
    // which `instructions::resolve_pronoun` knows; kept whole until then.
    if is_possessed_role(&phrase.join(" ")) {
        return Some(Who::Vague(phrase.join(" ")));
    }
    let mut words: Vec<&str> = phrase.to_vec();
    // "her" alone is a person; "her manager" is a manager.
    while let Some(first) = words.first().filter(|_| words.len() > 1) {
        // "message both the assignee and ...": "both" announces a list, read clause by
        // clause.
        if DETERMINERS.contains(&first.to_ascii_lowercase().as_str())
            || first.eq_ignore_ascii_case("both")
        {
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
        // "whoever is responsible" says who by the role; it is no name.
        && ![
            "person", "user", "employee", "manager", "the", "is", "are", "was", "be", "whoever's",
            "whoever\u{2019}s",
        ]
        .contains(&words[words.len() - 2].to_ascii_lowercase().as_str())
    {
        words.pop();
    }
    let first = *words.first()?;
    // "notify Head of School ..., please control": a request's "please" starts no one's
    // name.
    if words.len() == 2 && ["please", "pls", "plz", "kindly"].contains(&first) {
        return None;
    }
    // "every manager", "each team member", "all our clients": everyone of a kind, whom a
    // single recipient cannot stand for.
    let quantified = |q: &str| words.iter().any(|w| w.eq_ignore_ascii_case(q));
    if quantified("every")
        || quantified("each")
        || (quantified("all")
            && words
                .iter()
                .any(|w| CLIENT.contains(&w.to_ascii_lowercase().as_str())))
    {
        return Some(Who::Vague(phrase.join(" ")));
    }
    // "whoever owns it", "whoever is responsible": the record's responsible person. The
    // verb's object must be the record: "whoever handles that region" is someone else,
    // whom only the author can name.
    // "whoever's on the front desk": "whoever is".
    let whoever_is = ["whoever's", "whoever\u{2019}s"]
        .iter()
        .any(|w| first.eq_ignore_ascii_case(w));
    if first.eq_ignore_ascii_case("whoever") || whoever_is {
        let rest: Vec<String> = whoever_is
            .then(|| "is".to_owned())
            .into_iter()
            .chain(words.iter().skip(1).map(|w| w.to_ascii_lowercase()))
            .collect();
        let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
        let of_record = match rest.as_slice() {
            ["is", "responsible" | "assigned", ..]
            // "whoever's on it", "whoever is doing it": the one the record is with.
            | ["is", "on", "it" | "this"]
            | ["is", "doing" | "handling", "it" | "this", ..]
            | ["is", "working", "on", "it" | "this", ..]
            | ["is", "in", "charge", ..]
            | ["was" | "it's" | "it", "assigned", ..]
            | [
                "it" | "this",
                "is" | "was" | "has" | "got",
                "assigned" | "been",
                ..,
            ] => true,
            // "whoever's got the deal": whoever has it.
            ["owns" | "handles" | "manages", object @ ..]
            | ["is" | "has", "got", object @ ..] => matches!(
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
    // that happens to be a verb, and after a determiner a verb's form is a noun's
    // modifier ("the export desk", "the call centre").
    let determined = words.len() < phrase.len();
    // The cheap checks first: the verb list is searched only when they leave it open.
    if !determined && first != "Mark" && words::has_action_verb(&first.to_ascii_lowercase()) {
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
        && ([
            "team", "sales", "tech", "project", "group", "shift", "account",
        ]
        .contains(&lower[lower.len() - 2].as_str())
            || GROUP.contains(&lower[lower.len() - 2].as_str())
            || ROLE.contains(&lower[lower.len() - 2].as_str()))
    {
        return Some(Who::Named(words.join(" ")));
    }
    // "our partnerships lead", "the onboarding lead": a lead of a team that is not one of
    // the known ones. After "our" it is one of the company's people; otherwise it may as
    // well be the lead record described by a word ("the webinar lead"), and is asked.
    if lower.len() > 1
        && lower.last().is_some_and(|w| w == "lead")
        && !LEAD_KINDS.contains(&lower[lower.len() - 2].as_str())
        && lower[lower.len() - 2]
            .chars()
            .all(|c| c.is_ascii_lowercase())
    {
        if phrase
            .first()
            .is_some_and(|d| d.eq_ignore_ascii_case("our") || d.eq_ignore_ascii_case("my"))
        {
            return Some(Who::Named(words.join(" ")));
        }
        return Some(Who::Vague(format!(
            "{}\" (a lead record, or one of your people?) in \"{}",
            words.join(" "),
            phrase.join(" ")
        )));
    }
    // "the responsible teacher", "the assigned agent": whoever is responsible for the
    // record, whatever their job is called.
    if let [.., m, head] = lower.as_slice()
        && matches!(m.as_str(), "responsible" | "assigned")
        && !CLIENT.contains(&head.as_str())
        && (is_job_word(head)
            || ROLE.contains(&head.as_str())
            || RESPONSIBLE.contains(&head.as_str())
            || matches!(
                head.as_str(),
                "person" | "user" | "employee" | "colleague" | "staff"
            ))
    {
        return Some(Who::Responsible);
    }
    // "Manager Huang", "Supervisor Lee": a job written as a title before a surname, as
    // Chinese English addresses someone, names that person.
    if let [job, name] = words[..]
        && let [job_lower, name_lower] = lower.as_slice()
        && [job, name].iter().all(|w| {
            w.starts_with(|c: char| c.is_ascii_uppercase())
                && w.chars().skip(1).all(|c| c.is_ascii_lowercase())
        })
        && (RESPONSIBLE.contains(&job_lower.as_str())
            || ROLE.contains(&job_lower.as_str())
            || is_job_word(job_lower))
        && ![GROUP, ROLE, RESPONSIBLE, CLIENT, VAGUE]
            .iter()
            .any(|l| l.contains(&name_lower.as_str()))
        && !is_job_word(name_lower)
    {
        return Some(Who::Named(words.join(" ")));
    }
    // The head noun is last: "the client's manager" is a manager, "the head of sales" a
    // group name, "the sales manager" the responsible person.
    for (i, w) in lower.iter().enumerate().rev() {
        let w = w.as_str();
        // A determiner before the head is no modifier: "nudge the owner" is the owner.
        let modifier = i
            .checked_sub(1)
            .map(|m| lower[m].as_str())
            .filter(|m| !DETERMINERS.contains(m));
        // A job by its form: "the teacher", "the instructor", "the dentist". Kept as
        // written, like the roles above, rather than dropped for the default.
        let known = [GROUP, ROLE, RESPONSIBLE, CLIENT, VAGUE]
            .iter()
            .any(|l| l.contains(&w));
        // Written lowercase only: "Sam Seller" is a name.
        // The people a trade serves, who act in its events ("the patient", "the
        // applicant"), are its clients too; "person" and "seller" are read elsewhere.
        let served = crate::nl::offline::lexicon::PEOPLE.contains(&w)
            && !CLIENT.contains(&w)
            && !["people", "person", "seller", "caller"].contains(&w);
        // "VIP customers", "our premium members": a word that picks out some of the
        // clients narrows which records the workflow is for, which a recipient cannot
        // say; dropped, the message would reach every client.
        let narrowed = || {
            modifier.filter(|m| NARROWING_QUALIFIERS.contains(m)).map(|m| {
                Who::Vague(format!(
                    "{m} {w}\" (only some of the clients? b24flow reaches the client of every record the event names; write which as a condition on the amount or the source, or leave \"{m}\" out) in \"{}",
                    phrase.join(" ")
                ))
            })
        };
        // "the NOK": the next of kin a care agency writes to, in capitals as it is
        // written ("Nok" is a name).
        if (CLIENT_ROLES.contains(&w) || served) && !words[i].starts_with(char::is_uppercase)
            || matches!(words[i], "NOK" | "nok")
        {
            return narrowed().or(Some(Who::Client));
        }
        // "Dr. Baker", "Mrs. Taylor": after a title, a word shaped like a job is a name.
        let titled = i > 0 && words::TITLES.contains(&words[i - 1].trim_end_matches('.'));
        if i + 1 == lower.len()
            && !known
            && !titled
            && (is_job_word(w) || w.strip_suffix('s').is_some_and(is_job_word))
        {
            // On a channel that reaches clients, a job b24flow does not know may be the
            // client's trade as well as an employee's ("text the driver"): asked.
            if them_is_client {
                return Some(Who::Vague(format!(
                    "{}\" (the client, or an employee?) in \"{}",
                    words[compound_start(&lower, i)..=i].join(" "),
                    phrase.join(" ")
                )));
            }
            return Some(Who::Named(words[compound_start(&lower, i)..=i].join(" ")));
        }
        // The same for the other words for the responsible person that a trade word can
        // narrow: "the collections agent", "the night rep" are other people.
        if matches!(
            w,
            "manager" | "owner" | "agent" | "rep" | "representative" | "broker" | "consultant"
        ) && let Some(m) = modifier.filter(|m| !RESPONSIBLE_MODIFIERS.contains(m))
        {
            if w == "owner" && !GROUP.contains(&m) {
                return Some(Who::Client);
            }
            // "the hiring manager", "the purchasing manager": a role by what it does,
            // which is as often the client's (the buyer's purchasing manager) as one of
            // the company's; on a channel that reaches clients, asked.
            // So is "the ward manager" on an e-mail: a manager of a place or a unit
            // b24flow does not know as one of the company's own may be the client's.
            if them_is_client
                && !GROUP.contains(&m)
                && (m.len() > 5 && m.ends_with("ing") || w == "manager" && !OWN_UNITS.contains(&m))
            {
                return Some(Who::Vague(format!(
                    "{}\" (the client, or an employee?) in \"{}",
                    words[compound_start(&lower, i)..=i].join(" "),
                    phrase.join(" ")
                )));
            }
            // "the service desk manager": the whole compound names the role.
            return Some(Who::Named(words[compound_start(&lower, i)..=i].join(" ")));
        }
        // "text the owner 'Your dog is ready'": on a channel that reaches clients, the
        // owner alone may be the record's (an employee) or the owner of what the trade
        // serves (the pet's, the car's): asked.
        if w == "owner" && modifier.is_none() && them_is_client {
            return Some(Who::Vague(format!(
                "owner\" (the record's responsible person, or the client?) in \"{}",
                phrase.join(" ")
            )));
        }
        // "let Sales Manager know": a job written as a title, every word capitalised and
        // with no article, is the name of a post, someone's in particular.
        if RESPONSIBLE.contains(&w)
            && !determined
            && lower.len() == 2
            && i == 1
            && words.iter().all(|x| {
                x.starts_with(char::is_uppercase)
                    && x.chars().skip(1).all(|c| c.is_ascii_lowercase())
            })
        {
            return Some(Who::Named(words.join(" ")));
        }
        if RESPONSIBLE.contains(&w) || w == "responsible's" {
            return Some(Who::Responsible);
        }
        // "accounts receivable", "sales operations", "customer success": a group word (or
        // the client's, which then names the team serving them) and the word that
        // completes a department's name, last in the phrase, are one group name.
        if (GROUP.contains(&w) || matches!(w, "customer" | "client"))
            && i + 2 == lower.len()
            && DEPARTMENT_ENDS.contains(&lower[i + 1].as_str())
        {
            return Some(Who::Named(words.join(" ")));
        }
        // "the accounts receivable clerk", with a job b24flow does not know: a group word
        // followed by more of the name is not the group, and cutting the name there would
        // reach the wrong people; the author is asked.
        if (GROUP.contains(&w) || ROLE.contains(&w))
            && lower.get(i + 1).is_some_and(|next| {
                next.chars().all(|c| c.is_ascii_lowercase())
                    && !DETERMINERS.contains(&next.as_str())
                    && !["of", "lead", "leads"].contains(&next.as_str())
                    && !words::has_action_verb(next)
            })
        {
            return Some(Who::Vague(phrase.join(" ")));
        }
        // "email the group leader": the one who speaks for a travelling group or a
        // delegation is the client as often as a leader of the company's own staff.
        if them_is_client
            && w == "leader"
            && modifier.is_some_and(|m| ["group", "tour", "party", "delegation"].contains(&m))
        {
            return Some(Who::Vague(format!(
                "{}\" (the client, or an employee?) in \"{}",
                words[compound_start(&lower, i)..=i].join(" "),
                phrase.join(" ")
            )));
        }
        // "SMS the vet", "email the pharmacist": a clinical job is the client's trade as
        // often as an employee's (a wholesaler's clients are vets and pharmacists); on a
        // channel that reaches clients, asked.
        if them_is_client && i + 1 == lower.len() && !titled && CLINICAL.contains(&w) {
            return Some(Who::Vague(format!(
                "{}\" (the client, or an employee?) in \"{}",
                words[compound_start(&lower, i)..=i].join(" "),
                phrase.join(" ")
            )));
        }
        if ROLE.contains(&w) {
            // "the head of operations": a title "of" a department is one name, not the
            // department.
            let start = if i >= 2
                && lower[i - 1] == "of"
                && ["head", "director", "vp", "chief", "manager"].contains(&lower[i - 2].as_str())
            {
                compound_start(&lower, i - 2)
            } else {
                compound_start(&lower, i)
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
            return narrowed().or(Some(Who::Client));
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
            "a", "an", "our", "the", "their", "your", "this", "that", "some", "it", "these",
            "those",
        ]
        .contains(&lower[1].as_str())
    {
        return Some(Who::Client);
    }
    // "text the person 'Thanks!'": on a channel that reaches clients, "the person" (not
    // "a person", not "someone") is the record's own person.
    if them_is_client
        && (lower == ["person"]
            || (lower.len() >= 2
                && lower[0] == "person"
                && ["a", "an", "our", "the", "this"].contains(&lower[1].as_str())))
        && phrase
            .first()
            .is_some_and(|d| ["the", "this", "that"].contains(&d.to_ascii_lowercase().as_str()))
    {
        return Some(Who::Client);
    }
    if lower.iter().any(|w| VAGUE.contains(&w.as_str())) {
        return Some(Who::Vague(phrase.join(" ")));
    }
    // "SMS the HCP": after an article, a short word in capitals is a job's or a trade's
    // initials, which on a channel that reaches clients may be the client's (a health
    // care professional) as well as an employee's; asked, unless it is one of the
    // company's own posts ("the CFO", "the KAM").
    if them_is_client
        && determined
        && words.len() == 1
        && (2..=5).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_uppercase())
        && !OWN_INITIALS.contains(&first)
    {
        return Some(Who::Vague(format!(
            "{first}\" (the client, or an employee?) in \"{}",
            phrase.join(" ")
        )));
    }
    // A capitalised name: "Anna", "John Smith". A channel's name at the start of a
    // sentence is how the message goes, not to whom: "Bell notification: 'New client'".
    if first.chars().next().is_some_and(char::is_uppercase)
        && !CHANNELS.contains(&lower[0].as_str())
        && !["something", "anything", "everything", "nothing"].contains(&lower[0].as_str())
        // "Too many overdues last month.": a word that starts a sentence of comment is
        // no one's name.
        && !NOT_NAMES.contains(&lower[0].as_str())
    {
        // "Sanne de Wit", "Jan van der Berg": a surname's particles, between capitalised
        // words, are part of the name.
        let capital = |w: &&str| w.chars().next().is_some_and(char::is_uppercase);
        let mut len = 0;
        while len < words.len() {
            if capital(&words[len]) {
                len += 1;
                continue;
            }
            let particles = words[len..]
                .iter()
                .take_while(|w| NAME_PARTICLES.contains(w))
                .count();
            if particles == 0 || !words.get(len + particles).is_some_and(capital) {
                break;
            }
            len += particles;
        }
        let name: Vec<&str> = words[..len].to_vec();
        // "Marta's replacement": someone of Marta's, not Marta.
        if name
            .last()
            .is_some_and(|w| w.ends_with("'s") || w.ends_with("\u{2019}s"))
        {
            return Some(Who::Vague(phrase.join(" ")));
        }
        return Some(Who::Named(name.join(" ")));
    }
    None
}

/// The small words inside a surname: "de Wit", "van der Berg", "von Trapp", "da Silva".
const NAME_PARTICLES: &[&str] = &[
    "de", "van", "der", "den", "von", "da", "di", "du", "del", "della", "dos", "das", "ten", "ter",
    "le", "la", "bin", "al",
];

/// Whether `phrase` is a possessive pronoun before someone's role: "his manager", "her
/// line manager", "their assistant".
pub(super) fn is_possessed_role(phrase: &str) -> bool {
    let Some((first, rest)) = phrase.split_once(' ') else {
        return false;
    };
    let ws: Vec<&str> = rest.split_whitespace().collect();
    ["his", "her", "their"].contains(&first.to_ascii_lowercase().as_str())
        && !ws.is_empty()
        && ws[0].chars().all(|c| c.is_ascii_lowercase())
        && matches!(classify(&ws, false), Some(Who::Responsible | Who::Named(_)))
}

/// Who "his manager", "their team lead" is, given the recipient named nearest before:
/// after a person named by name, that person's manager or lead, whom only the author can
/// name (kept vague, so asked); otherwise (after the client, the responsible person, or
/// nobody) the role as read without the pronoun ("their manager" is the record's
/// responsible person). `None` when `who` is not such a phrase.
pub(super) fn resolve_possessed(who: &Who, nearest: Option<&Who>) -> Option<Who> {
    let Who::Vague(phrase) = who else {
        return None;
    };
    if !is_possessed_role(phrase) {
        return None;
    }
    if matches!(nearest, Some(Who::Named(_))) {
        return Some(who.clone());
    }
    let rest: Vec<&str> = phrase.split_whitespace().skip(1).collect();
    classify(&rest, false)
}

/// Where the compound noun ending at `head` starts: "the accounts receivable clerk" is
/// one job, not a clerk of some accounts. It runs back over the words before the head up
/// to a determiner, a verb or a word that names someone of its own (a client, a vague
/// word), never past a possessive ("the client's broker" keeps the client's).
fn compound_start(lower: &[String], head: usize) -> usize {
    let mut start = head;
    while start > 0 {
        let m = lower[start - 1].as_str();
        if DETERMINERS.contains(&m)
            || words::has_action_verb(m)
            || VAGUE.contains(&m)
            || ["both", "and", "or", "of", "all", "each", "every"].contains(&m)
            || !m
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '\'')
        {
            break;
        }
        start -= 1;
        if m.ends_with("'s") {
            break;
        }
    }
    start
}

/// Whether `word` names a role: one of the roles b24flow knows ("manager", "team") or a
/// word with a job title's form ("coordinator").
pub(in crate::nl::offline) fn is_role_word(word: &str) -> bool {
    ROLE.contains(&word)
        || RESPONSIBLE.contains(&word)
        || GROUP.contains(&word)
        || is_job_word(word)
}

/// Whether `word` has the form of a job title: "teacher", "instructor", "dentist",
/// "physician".
fn is_job_word(word: &str) -> bool {
    word.len() >= 5
        && word.chars().all(|c| c.is_ascii_lowercase())
        && ["er", "or", "ist", "ian"].iter().any(|s| word.ends_with(s))
        && !NOT_JOBS.contains(&word)
        // "the policyholder", "the cardholder", "the homeowner" hold or own what the
        // record is about: the client.
        && !word.ends_with("holder")
        && !word.ends_with("owner")
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
        .any(|k| k.len() >= 5 && words::one_edit(w, k))
}

// Who created the record: "its creator", "the task's author", "the person who created
// it", "whoever set the task".
static AUTHOR: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"^\s*(?:(?:the|its|their|his|her)\s+)?(?:(?:task|task's|deal|deal's|lead|lead's|record|record's|original)\s+)?(?:creator|author)\b|^\s*(?:(?:the|a)\s+)?(?:person|user|one|employee|colleague|manager|someone)\s+who\s+(?:created|set|made|opened|added|wrote|raised|assigned)\b|^\s*(?:whoever|who)\s+(?:created|set|made|opened|added|wrote|raised|assigned)\b",
    )
    .expect("valid regex")
});

// Whoever the record is assigned to: "the person it's assigned to", "the employee
// assigned to it", "the person responsible for it", "the AE who owns it".
static ASSIGNED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"^\s*(?:(?:the|a)\s+)?(?:person|user|one|employee|colleague|staff\s+member|team\s+member)\s+(?:(?:who|that)\s+(?:is|was|it's)\s+|(?:it|this|the\s+(?:deal|lead|task|record|contact|company|invoice|quote))\s+(?:is\s+|was\s+|has\s+been\s+)?|it's\s+)?(?:assigned\s+to\s+(?:it|this|them|the\s+(?:deal|lead|task|record|contact|company|invoice|quote))\b|assigned(?:\s+to)?\s*$|assigned(?:\s*[,.;]|\s+(?:in|on|via|by|with|about|saying|that)\b|\s+\x01)|assigned\s+to(?:\s*[,.;]|\s+(?:in|on|at|for|by|within|tomorrow|today|about|with|saying|that|to)\b)|responsible\s+for\s+(?:it|this|the\s+(?:deal|lead|task|record|contact|company|invoice|quote))\b|in\s+charge\s+of\s+(?:it|this|the\s+(?:deal|lead|task|record|contact|company|invoice|quote))\b)|^\s*whoever(?:'s|\s+is)\s+(?:responsible\s+for|in\s+charge\s+of|assigned\s+to)\s+(?:it|this|them|the\s+(?:deal|lead|task|record|contact|company|invoice|quote))\b|^\s*whoever\s+(?:it's|it\s+is|it\s+was|they're|they\s+are)\s+assigned\s+to\b|^\s*the\s+[a-z]+\s+(?:who|that)\s+owns\s+(?:it|this|them|the\s+(?:deal|lead|opportunity|task|record|contact|company|invoice|quote|account))\b",
    )
    .expect("valid regex")
});

// What may follow a role as part of its name.
static ON_DUTY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^\s+(?:on\s+(?:duty|call|shift|rota)|in\s+charge|(?:on|handling|owning|managing)\s+(?:the|this|that)\s+(?:deal|lead|account|record|case|file|order))\b").expect("valid regex")
});

static ON_IT: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^\s+on\s+(?:it|this)\b").expect("valid regex"));

/// Where the words naming whoever created the record end ("its creator", "the person
/// who created" in "the person who created it a chat message").
pub(super) fn author_end(after: &str) -> Option<usize> {
    AUTHOR.find(after).map(|m| m.end())
}

/// Where the words naming the record's responsible person by a relative clause end
/// ("the person it's assigned to").
pub(super) fn assigned_end(after: &str) -> Option<usize> {
    ASSIGNED.find(after).map(|m| m.end())
}

/// Words before a client noun that pick out some clients: "VIP customers".
const NARROWING_QUALIFIERS: &[&str] = &[
    "vip",
    "vips",
    "premium",
    "key",
    "big",
    "bigger",
    "top",
    "loyal",
    "returning",
    "repeat",
    "high-value",
    "gold",
    "silver",
    "platinum",
    "important",
    "major",
    "large",
    "larger",
    "overseas",
    "international",
    "foreign",
    "inactive",
    "unhappy",
    "angry",
];

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
/// Verbs that take the one who gets something before the thing itself: "send Anna a
/// note", "set them a reminder", "book her a call".
const DITRANSITIVE: &[&str] = &[
    "send", "drop", "set", "create", "book", "make", "put", "add", "give", "assign", "raise",
    "open", "schedule",
];

/// Things given that a two-object verb may take without an article: "send her
/// notification".
const GIVEN_BARE: &[&str] = &[
    "notification",
    "message",
    "email",
    "e-mail",
    "sms",
    "whatsapp",
    "task",
    "reminder",
    "note",
    "alert",
];

/// Records, which a two-object verb may take first without naming a person: "set the
/// deal a deadline", "give the task a high priority".
const RECORDS: &[&str] = &[
    "deal", "lead", "task", "contact", "company", "invoice", "quote", "record", "booking", "order",
    "file", "case", "ticket", "job", "project", "account",
];

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
        if ASSIGNED.is_match(&clause.lower[w.end..]) && keep(&Who::Responsible) {
            found = Some((Who::Responsible, w.start));
            break;
        }
        let mut phrase = words::phrase_after(clause, w.end, PERSON_STOPS, 5);
        if phrase.words.is_empty() {
            continue;
        }
        // "a task to confirm the skipper": "to" before a verb and its object is a purpose,
        // and the object no one the task is for ("to manager a notification" names one).
        if lower == "to"
            && let [verb, det, ..] = phrase.words[..]
            && verb.starts_with(|c: char| c.is_ascii_lowercase())
            && DETERMINERS.contains(&det.to_ascii_lowercase().as_str())
            && classify(&[verb], false).is_none()
            // "to get the deal owner a chat message": a verb that gives, before whom.
            && !DITRANSITIVE.contains(&verb)
            && verb != "get"
        {
            continue;
        }
        // "hand them over to Jess", "assign them to Sione": the record (and the verb's
        // particle), before whom it goes to.
        let record_first =
            |p: &str| ["them", "these", "those"].contains(&p.to_ascii_lowercase().as_str());
        let to_next = clause.lower[phrase.end..].trim_start().starts_with("to ");
        match phrase.words[..] {
            [record, particle]
                if record_first(record)
                    && ["over", "on", "along", "off", "across"]
                        .contains(&particle.to_ascii_lowercase().as_str()) =>
            {
                continue;
            }
            // Only after a verb that gives the record to someone: "create a task for them
            // to ship the order" is for them.
            [record]
                if record_first(record)
                    && to_next
                    && [
                        "assign", "reassign", "transfer", "give", "pass", "hand", "route",
                    ]
                    .contains(&lower.as_str()) =>
            {
                continue;
            }
            _ => {}
        }
        // "the adviser on duty", "the engineer on call": a role's postmodifier is part
        // of its name, not where the phrase ends.
        // "whoever's on it", "whoever is on this": the one the record is with.
        let whoever = phrase.words.last().is_some_and(|l| {
            l.eq_ignore_ascii_case("whoever's")
                || l.eq_ignore_ascii_case("whoever\u{2019}s")
                || l.eq_ignore_ascii_case("is")
                    && phrase.words.len() > 1
                    && phrase.words[phrase.words.len() - 2].eq_ignore_ascii_case("whoever")
        });
        let after = &clause.lower[phrase.end..];
        if let Some(m) = whoever
            .then(|| ON_IT.find(after))
            .flatten()
            .or_else(|| ON_DUTY.find(after))
        {
            let end = phrase.end + m.end();
            phrase
                .words
                .extend(clause.orig_at(phrase.end..end).split_whitespace());
            phrase.end = end;
        }
        // "send user 15 a notification", "drop them a message", "set the bid manager a
        // reminder", "create her a task": right after a verb that takes two objects only
        // a recipient written before the thing given counts, never "a ...".
        // "drop our Margaret a message": "our" before a first name is no determiner of
        // the thing given.
        // "email the solicitor the completion statement": after a verb of a channel, a
        // second "the" starts the thing sent; the one it goes to ends before it.
        // Only "the X the ..." and "the X Y the ...": "both the assignee and the
        // person" names two.
        if ["email", "e-mail", "text", "sms", "whatsapp", "message"].contains(&lower.as_str())
            && phrase
                .words
                .first()
                .is_some_and(|f| f.eq_ignore_ascii_case("the"))
            && let Some(cut) = (2..phrase.words.len().min(4))
                .find(|&i| phrase.words[i].eq_ignore_ascii_case("the"))
            && !phrase.words[1..cut]
                .iter()
                .any(|t| ["and", "or", "&"].contains(&t.to_ascii_lowercase().trim_end_matches(',')))
        {
            phrase.words.truncate(cut);
        }
        if DITRANSITIVE.contains(&lower.as_str()) {
            let our_name = matches!(
                phrase.words[..],
                [our, name, given, ..] if our.eq_ignore_ascii_case("our")
                    && name.chars().next().is_some_and(char::is_uppercase)
                    && name.chars().skip(1).all(char::is_lowercase)
                    && ["a", "an"].contains(&given.to_ascii_lowercase().as_str())
            );
            if !our_name
                && phrase.words.first().is_some_and(|f| {
                    ["a", "an", "our", "your", "this", "that", "some", "my"]
                        .contains(&f.to_ascii_lowercase().as_str())
                })
            {
                continue;
            }
            // The one who gets it ends where the thing given starts: "her | a task", "the
            // night shift | a task" (read word by word: "shift" is also a verb).
            // "send her notification": the thing given may come without its article,
            // as a second-language writer leaves it out.
            let starts_given = |t: &str| {
                let t = t.to_ascii_lowercase();
                ["a", "an", "another"].contains(&t.as_str()) || GIVEN_BARE.contains(&t.as_str())
            };
            let given: Vec<&str> = words::words_from(clause, w.end)
                .take(6)
                .map(|w| w.text)
                .take_while(|t| !starts_given(t))
                .collect();
            let article_follows = given.len() < 6
                && words::words_from(clause, w.end)
                    .nth(given.len())
                    .is_some_and(|t| starts_given(t.text));
            // "to put him in class group": what "put" takes with nothing given after it
            // is what is put, not someone.
            if lower == "put" && !article_follows {
                continue;
            }
            // "send the email with subject ...": a determiner alone before the thing
            // given is its own, not someone's ("send her email" names her).
            let determiner_only = matches!(given[..], [d] if
                DETERMINERS.contains(&d.to_ascii_lowercase().as_str())
                    && !["her", "his"].contains(&d.to_ascii_lowercase().as_str()));
            if article_follows && !given.is_empty() && !determiner_only {
                phrase.words = given;
                // A phrase in that place names who gets it even when b24flow does not
                // know the word; asked, never dropped for the default. A record there
                // ("set the deal a deadline") is no person.
                if classify(&phrase.words, them_is_client).is_none()
                    && phrase.words.first().is_some_and(|f| {
                        ["the", "our", "their"].contains(&f.to_ascii_lowercase().as_str())
                    })
                    && phrase.words.last().is_some_and(|l| {
                        !RECORDS.contains(&l.to_ascii_lowercase().as_str())
                            && l.chars().all(|c| c.is_ascii_alphabetic())
                    })
                {
                    let who = Who::Vague(phrase.words.join(" "));
                    if keep(&who) {
                        found = Some((who, w.start));
                        break;
                    }
                }
            }
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
