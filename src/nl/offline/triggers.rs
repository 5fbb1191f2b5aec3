//! Recognising the event that starts a workflow.
//!
//! Each catalog trigger has a set of natural phrasings here ("when we win a deal", "as
//! soon as a lead comes in", "if the invoice is not paid on time"). When none of them
//! match, the catalog's own phrases are tried with a little slack between their words,
//! so every phrase the documentation tells users to write is always understood.
//!
//! The frames are generalised by slots rather than phrases: a record slot takes any of
//! its domain words (a deal is also an order, a renewal, a placement, a shipment, a
//! claim, ...; and whatever word names the record of an event only a deal has: "a *job*
//! is won", "a *booking* moves to 'Deposit paid'"), a verb slot its inflections and
//! nouns ("is created", "freshly created X", "on X creation", "upon creation of a X", "any
//! change to a X"), and a subject slot the people who act ("the client signs off on the
//! quote"). A record named "new" gives way to a verb after it ("a new deal is lost"), and
//! "arrives as a lead" says which record arrives.
//!
//! Invariant: every pattern names a catalog trigger id (pinned by a test), and patterns
//! are tried in order, most specific first: task, invoice and quote events before the
//! deal events they could be mistaken for, "lost" before "won", a named stage before
//! both.

use std::sync::LazyLock;

use regex::Regex;

use crate::nl::offline::text::{Gated, pattern};

use super::text::{Clause, Token};
use super::words;
use crate::catalog::{self, TRIGGERS};

mod stages;
pub(super) use stages::{stage_after, stage_id};

/// A trigger found in a clause.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Found {
    pub(super) id: &'static str,
    /// Byte range of the match in the clause.
    pub(super) start: usize,
    pub(super) end: usize,
    /// The stage named for `stage_changed`, as a stage id.
    pub(super) stage: Option<String>,
    /// The record is named by the team's own word ("a job is won"), which the match
    /// accounts for.
    pub(super) own_word: bool,
    /// Another event the same words name, which competes with this one: "a won deal is
    /// updated" is an update of a won deal, or a win.
    pub(super) rival: Option<&'static str>,
}

// What a record is said to lack, inside an event's words.
static LACKING: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\bwith\s+no\b|\bwithout\b").expect("valid regex"));

// Domain words for a deal: what a team sells is its deal ("an order moves to Shipped",
// "a sale falls through", "a tender is lost", "we win a contract", "a renewal reaches
// 'Renewal due'", "a placement is won", "the consignment moves to 'Out for delivery'", a
// travel agent's booking or reservation, a law firm's matter).
// The same words are in the lexicon's `DEAL_NOUNS`, for accounting.
// A consultancy's engagement, an agency's pitch and a yacht charter are deals too, and
// so are a charity's donations, pledges, gifts and sponsorships.
const DEAL: &str = r"(?:deal|deals|opportunity|opportunities|orders?|sale|tenders?|contracts?|renewals?|placements?|consignments?|shipments?|polic(?:y|ies)|claims?|bids?|subscriptions?|memberships?|bookings?|reservations?|matters?|engagements?|pitch(?:es)?|charters?|donations?|pledges?|gifts?|sponsorships?)";
// The deal's words for a new deal: a new booking or reservation may be a deal or a
// meeting in the calendar ("a new booking" at a clinic), so it is asked about; once won,
// lost or in a stage, it can only be a deal.
const DEAL_NEW: &str = r"(?:deal|deals|opportunity|opportunities|orders?|sale|tenders?|contracts?|renewals?|placements?|consignments?|shipments?|polic(?:y|ies)|claims?|bids?|subscriptions?|matters?|engagements?|pitch(?:es)?|donations?|pledges?|gifts?|sponsorships?)";
const LEAD: &str = r"(?:lead|leads|inquiry|inquiries|enquiry|enquiries|prospect|prospects)";
const CONTACT: &str = r"(?:contact|contacts)";
// "Account" is what several CRMs call a company.
const COMPANY: &str = r"(?:company|companies|organi[sz]ations?|accounts?)";
const TASK: &str = r"(?:task|tasks|to-?dos?)";
const MEETING: &str = r"(?:meetings?|demos?|appointments?|visits?|presentations?|viewings?|consultations?|consults?|inspections?|interviews?|sessions?|tours?)";
const INVOICE: &str = r"(?:invoice|invoices|bills?|fees?)";
// "An offer", as German and Italian speakers call a quote.
const QUOTE: &str =
    r"(?:quote|quotes|quotation|quotations|commercial\s+proposals?|proposals?|estimates?|offers?)";
// A few words between the record and what happens to it: "a deal over 5000 is won".
const GAP: &str = r"(?:'s)?(?:\s+[\w'$\x{20ac}\x{a3},.-]+){0,6}?\s+";
// "is", "gets", "has been", "is marked as" ...
const BE: &str = r"(?:(?:is|are|gets|got|get|was|were|has\s+been|have\s+been|becomes|is\s+being)\s+)?(?:(?:marked|set|flagged)\s+(?:as\s+)?)?";
// What changes about a record: "a contact's details change", "the lead's phone number is
// updated".
const DETAILS: &str = r"(?:'s)?(?:\s+[\w'-]+){0,2}?\s+(?:details|detail|info|information|data|fields?|records?|profile|card|phone(?:\s+number)?|e-?mail(?:\s+address)?|address|name|amount|value)\s+(?:(?:is|are|gets|get|was|were|has\s+been|have\s+been)\s+)?(?:change|changes|changed|updated|edited|modified|amended|update)\b";
// What people change about themselves: "a client updates their details", "a patient
// changed their address or phone number".
const OWN_DETAILS: &str = r"(?:contact\s+)?(?:details|detail|info|information|data|records?|profile|phone(?:\s+number)?|e-?mail(?:\s+address)?|address|name|number)\b";
// People whose record is a contact: "when a client's details change", "a policyholder's
// record is updated".
const PERSON: &str = r"(?:clients?|customers?|donors?|supporters?|policyholders?|patients?|members?|students?|parents?|guests?|tenants?|buyers?|candidates?|subscribers?|applicants?|homeowners?|person|people)";
// "freshly created quotes", "a newly opened task": the event as a participle before the
// record.
const FRESHLY: &str = r"(?:freshly|newly|just)\s+(?:created|added|opened|registered|made|raised|issued|drafted|booked|scheduled|captured|received|submitted)";
// Someone doing something: "when we win a deal", "when the client approves a quote".
// Any "the/a <person>" is a subject too: "the patient", "a parent" (the lexicon of
// people lets their word through accounting).
const WHO: &str = r"(?:we|i|you|they|someone|somebody|anyone|anybody|everyone|everybody|sales|staff|reps?|agents?|colleagues|clients?|customers?|brokers?|responsible|assignee|employees?|users?|operators?|(?:the|a|an|our|their)\s+(?:new\s+)?[a-z]+(?:\s+team)?)";

// Events named by a noun after "on"/"upon"/"after": "on deal creation", "upon quote
// approval", "after task completion", "on any lead update".
const ON: &str = r"\b(?:on|upon|after|at)\s+(?:a\s+|the\s+|every\s+|each\s+|any\s+)?(?:new\s+)?";

// A change named by a noun, and the record it is of: "update of a", "modification to
// the", "change to any".
const CHANGE_OF: &str =
    r"(?:update|modification|change|edit|amendment)s?\s+(?:of|to)\s+(?:a|an|the|any)";

static PATTERNS: LazyLock<Gated<&'static str>> = LazyLock::new(|| {
    let nominal: &[(&str, String)] = &[
        (
            "meeting_scheduled",
            format!(r"{ON}{MEETING}\s+(?:booking|scheduling)\b"),
        ),
        ("task_completed", format!(r"{ON}{TASK}\s+completion\b")),
        ("task_created", format!(r"{ON}{TASK}\s+creation\b")),
        ("invoice_paid", format!(r"{ON}{INVOICE}\s+payment\b")),
        (
            "quote_approved",
            format!(r"{ON}{QUOTE}\s+(?:approval|acceptance|sign-?off)\b"),
        ),
        ("quote_created", format!(r"{ON}{QUOTE}\s+creation\b")),
        ("lead_created", format!(r"{ON}{LEAD}\s+creation\b")),
        (
            "lead_updated",
            format!(r"{ON}{LEAD}\s+(?:update|change|edit|modification)s?\b"),
        ),
        ("contact_created", format!(r"{ON}{CONTACT}\s+creation\b")),
        (
            "contact_updated",
            format!(r"{ON}{CONTACT}\s+(?:update|change|edit|modification)s?\b"),
        ),
        ("company_created", format!(r"{ON}{COMPANY}\s+creation\b")),
        (
            "company_updated",
            format!(r"{ON}{COMPANY}\s+(?:update|change|edit|modification)s?\b"),
        ),
        ("deal_lost", format!(r"{ON}{DEAL}\s+loss\b")),
        ("deal_won", format!(r"{ON}{DEAL}\s+win\b")),
        ("deal_created", format!(r"{ON}{DEAL_NEW}\s+creation\b")),
        (
            "deal_updated",
            format!(r"{ON}{DEAL}\s+(?:update|change|edit|modification)s?\b"),
        ),
        // "on update of a lead", "upon any modification of a contact record"
        (
            "lead_updated",
            format!(r"{ON}(?:the\s+)?{CHANGE_OF}\s+{LEAD}\b"),
        ),
        (
            "contact_updated",
            format!(r"{ON}(?:the\s+)?{CHANGE_OF}\s+{CONTACT}\b"),
        ),
        (
            "company_updated",
            format!(r"{ON}(?:the\s+)?{CHANGE_OF}\s+{COMPANY}\b"),
        ),
        (
            "deal_updated",
            format!(r"{ON}(?:the\s+)?{CHANGE_OF}\s+{DEAL}\b"),
        ),
        // "on conversion of a lead", "upon creation of a new deal"
        (
            "lead_converted",
            format!(r"{ON}(?:the\s+)?conversion\s+of\s+(?:a|an|the|any)\s+{LEAD}\b"),
        ),
        (
            "task_completed",
            format!(r"{ON}(?:the\s+)?completion\s+of\s+(?:a|an|the|any)\s+{TASK}\b"),
        ),
        (
            "invoice_paid",
            format!(r"{ON}(?:the\s+)?payment\s+of\s+(?:a|an|the|any)\s+{INVOICE}\b"),
        ),
        (
            "quote_approved",
            format!(r"{ON}(?:the\s+)?(?:approval|acceptance)\s+of\s+(?:a|an|the|any)\s+{QUOTE}\b"),
        ),
        (
            "task_created",
            format!(r"{ON}(?:the\s+)?creation\s+of\s+(?:a|an|the|any)\s+(?:new\s+)?{TASK}\b"),
        ),
        (
            "quote_created",
            format!(r"{ON}(?:the\s+)?creation\s+of\s+(?:a|an|the|any)\s+(?:new\s+)?{QUOTE}\b"),
        ),
        (
            "lead_created",
            format!(r"{ON}(?:the\s+)?creation\s+of\s+(?:a|an|the|any)\s+(?:new\s+)?{LEAD}\b"),
        ),
        (
            "contact_created",
            format!(r"{ON}(?:the\s+)?creation\s+of\s+(?:a|an|the|any)\s+(?:new\s+)?{CONTACT}\b"),
        ),
        (
            "company_created",
            format!(r"{ON}(?:the\s+)?creation\s+of\s+(?:a|an|the|any)\s+(?:new\s+)?{COMPANY}\b"),
        ),
        (
            "deal_created",
            format!(r"{ON}(?:the\s+)?creation\s+of\s+(?:a|an|the|any)\s+(?:new\s+)?{DEAL_NEW}\b"),
        ),
    ];
    let raw: Vec<(&'static str, String)> = vec![
        (
            "meeting_scheduled",
            format!(
                r"\b{MEETING}{GAP}{BE}(?:scheduled|booked|planned|arranged|set\s+up|set|added|created|put\s+(?:in|into|on)|entered)\b|\b{WHO}\s+(?:schedules?|books?|plans?|arranges?|sets?\s+up|puts?\s+in)\s+(?:a\s+|an\s+|the\s+)?(?:[\w-]+\s+){{0,2}}?{MEETING}\b|\b(?:new|fresh|{FRESHLY})\s+{MEETING}\b|\bmeeting\s+(?:is\s+)?(?:added\s+to|in)\s+(?:the\s+)?calendar\b"
            ),
        ),
        (
            "activity_added",
            format!(
                r"\b(?:activity|activities|notes?|comments?|calls?|e-?mails?)(?:'s)?(?:\s+(?:with|from|to|on|in|for)\s+(?:a|an|the)\s+[\w-]+)?\s+{BE}(?:added|logged|created|recorded|registered|left|posted)\b|\b(?:new|logged|recorded|{FRESHLY})\s+(?:crm\s+)?(?:activity|activities|notes?)\b|\b{WHO}\s+(?:adds?|added|logs?|logged|leaves?|left|records?|recorded|registers?|registered|posts?|posted|jots?|jotted|writes?|wrote)\s+(?:down\s+)?(?:a\s+|an\s+)?(?:new\s+)?(?:note|activity|comment|call|e-?mail|meeting)\b|\bmeetings?(?:\s+(?:with|on|in|for)\s+(?:a|an|the)\s+[\w-]+)?\s+{BE}(?:logged|recorded|registered)\b|^(?:just\s+)?logged\s+(?:a|an)\s+(?:call|note|activity|comment|meeting|e-?mail)\b|^(?:any\s+)?activity\s+(?:on|in)\s+(?:a|an|the|any)\s+deal\b|\b(?:is|are)\s+(?:adding|logging|leaving|recording|posting|writing)\s+(?:down\s+)?(?:a\s+|an\s+)?(?:new\s+)?(?:note|activity|comment|call)\b|\b(?:every|each|any)\s+(?:call|note|activity|comment)\s+(?:that\s+)?(?:[\w-]+\s+){{1,3}}?(?:logs?|adds?|records?|leaves?)\b"
            ),
        ),
        (
            "task_overdue",
            format!(
                r"\b{TASK}{GAP}{BE}(?:overdue|late|past\s+due|past\s+(?:its\s+|the\s+|their\s+)?(?:deadline|due\s+date)|behind\s+schedule|not\s+(?:done|completed|finished)\s+(?:on|in)\s+time)\b|\b{TASK}{GAP}(?:runs|is\s+running|ran)\s+(?:late|over)\b|\b{TASK}{GAP}(?:misses|missed|passes|passed|goes\s+past|went\s+past|slips\s+past|slipped\s+past|runs\s+past|ran\s+past)\s+(?:its|the)\s+(?:deadline|due\s+date)\b|\b(?:overdue|late)\s+{TASK}|\btask(?:'s)?\s+(?:deadline|due\s+date)\s+(?:passes|passed|is\s+missed|was\s+missed|expires|expired|runs\s+out|is\s+reached)\b|\b{TASK}{GAP}(?:is\s+not|isn't|hasn't\s+been|has\s+not\s+been|wasn't|was\s+not|is\s+still\s+not)\s+(?:done|completed|finished|closed)\s+(?:by|before|on|in)\b|\b(?:missed|passed|blown)\s+(?:deadline|due\s+date)\s+(?:on|for)\s+(?:a|an|the|any)\s+task\b"
            ),
        ),
        (
            "task_completed",
            format!(
                r"\b{TASK}{GAP}{BE}(?:done|completed|complete|finished|closed|accomplished|ticked\s+off|checked\s+off|resolved)\b|\b{WHO}\s+(?:completes?|finish(?:es)?|closes?|ticks\s+off|marks\s+off)\s+(?:(?:a|the|their|his|her|an)\s+)?(?:[\w-]+\s+){{0,3}}?task\b|\b{WHO}\s+marks\s+(?:a|the|their)\s+(?:[\w-]+\s+){{0,3}}?task\s+(?:as\s+)?(?:complete|completed|done|finished)\b|\b(?:completed|finished)\s+{TASK}\b"
            ),
        ),
        (
            "task_created",
            format!(
                r"\b(?:new|fresh|{FRESHLY})\s+{TASK}\b|\b{TASK}{GAP}{BE}(?:created|added|assigned|set\s+up|set\s+for|opened|made|raised|logged)\b|\b{WHO}\s+(?:creates?|adds?|assigns?|opens?|sets?\s+up)\s+(?:(?:a|the)\s+)?(?:new\s+)?task\b|\b(?:someone|somebody|anyone|anybody)\s+(?:makes|made)\s+(?:a\s+)?(?:new\s+)?task\b|\b(?:every|each|any)\s+task\s+(?:that\s+)?{WHO}\s+(?:creates|adds|sets\s+up|opens|create|add|open)\b"
            ),
        ),
        (
            "invoice_overdue",
            format!(
                r"\b{INVOICE}{GAP}{BE}(?:overdue|late|past\s+due|unpaid|past\s+(?:its\s+|the\s+)?(?:due\s+date|deadline)|not\s+(?:paid|settled)|still\s+(?:unpaid|open|not\s+paid))\b|\b{INVOICE}{GAP}(?:passes|passed|goes\s+past|went\s+past)\s+(?:its|the)\s+(?:due\s+date|deadline)\b|\b(?:payment|payments)\s+{BE}(?:late|overdue|missed|delayed)\b|\boverdue\s+(?:invoice|invoices|payment|payments|bill)\b|\blate\s+payments?\b|\b{WHO}\s+(?:doesn't|does\s+not|didn't|did\s+not|fails?\s+to|don't|do\s+not)\s+pay\b|\b{WHO}\s+(?:misses|missed)\s+(?:a\s+|the\s+|their\s+)?payment\b|\bpayment\s+(?:date|deadline)\s+(?:passes|is\s+missed)\b|\b{INVOICE}{GAP}(?:isn't|hasn't\s+been|has\s+not\s+been|wasn't|was\s+not|remains?\s+(?:unpaid|not\s+paid))\s*(?:paid|settled)?\b|\b{WHO}\s+(?:hasn't|has\s+not|haven't|have\s+not)\s+paid\b|\bunpaid\s+{INVOICE}\b|\b(?:unpaid|still\s+unpaid|not\s+paid)\s+(?:past|after|beyond|by)\s+(?:its\s+|the\s+)?(?:due\s+date|deadline)\b"
            ),
        ),
        (
            "invoice_paid",
            format!(
                r"\b{INVOICE}{GAP}{BE}(?:paid|settled|paid\s+in\s+full)\b|\bpayment(?:\s+(?:on|for|of)\s+(?:(?:a|an|the|any)\s+)?{INVOICE})?\s+{BE}(?:received|made|completed|confirmed)\b|\bpayment\s+(?:arrives|comes\s+in|goes\s+through|(?:has\s+)?(?:cleared|gone\s+through|come\s+in|arrived))\b|\b{WHO}(?:'ve|\s+have|\s+has)\s+(?:now\s+|just\s+|already\s+)?paid\b|\b{WHO}\s+pays?\b|\b(?:paid|paid[\s-]up|settled|fully\s+paid)\s+{INVOICE}\b|\b{INVOICE}{GAP}{BE}paid[\s-]up\b|\b{WHO}\s+(?:has\s+)?paid[\s-]up\b|\b(?:we|i)\s+(?:receive|get)\s+(?:a\s+|the\s+)?payment\b|^(?:[a-z]+\s+)?paid[\s-]up$|\bpayment\s+in\s+(?:on|for)\s+(?:a|an|the|any)\s+{INVOICE}\b|\b(?:pays|paid|paying|settles|settled|settling)\s+(?:their|his|her|the|an?|its|our)\s+(?:[\w-]+\s+){{0,2}}?{INVOICE}\b"
            ),
        ),
        (
            "quote_approved",
            format!(
                r"\b{QUOTE}{GAP}{BE}(?:approved|accepted|signed(?:\s+off)?|confirmed|agreed)\b|\b{WHO}\s+(?:approves?|accepts?|signs?|confirms?)\s+(?:(?:a|the|our|their)\s+)?{QUOTE}\b|\b(?:approved|accepted|agreed|confirmed|signed(?:-off|\s+off)?)\s+{QUOTE}\b|\b(?:approves?|approved|accepts?|accepted|signs?(?:\s+off(?:\s+on)?)?|signed(?:\s+off(?:\s+on)?)?|okays?|okayed|oks|ok'?d|(?:says|said)\s+yes\s+to|agrees\s+to|agreed\s+to|gives?\s+(?:the\s+)?(?:go-?ahead|green\s+light|ok|okay)\s+(?:on|to|for))\s+(?:a|the|our|their|his|her)\s+(?:[\w-]+\s+)?{QUOTE}\b|\b{QUOTE}{GAP}(?:gets|receives|has|got)\s+(?:the\s+|an?\s+)?(?:[\w']+\s+)?(?:approval|sign-?off|go-?ahead|ok|okay|green\s+light)\b|\b{WHO}\s+(?:gives?|gave)\s+(?:a|the|our|their)\s+{QUOTE}\s+(?:the|a)\s+(?:thumbs[\s-]up|green\s+light|go-?ahead)\b"
            ),
        ),
        (
            "quote_created",
            format!(
                r"\b(?:new|fresh|{FRESHLY})\s+{QUOTE}\b|\b{QUOTE}{GAP}(?:goes|went|is\s+sent|gets\s+sent)\s+out\b|\b{QUOTE}{GAP}{BE}(?:created|added|sent|issued|prepared|generated|made|drafted|written|raised|drawn\s+up|put\s+together|written\s+up)\b|\b{WHO}\s+(?:creates?|sends?|issues?|prepares?|drafts?|writes?|makes?|raises?)\s+(?:(?:a|the|an)\s+(?:new\s+)?(?:[\w-]+\s+)?)?{QUOTE}\b"
            ),
        ),
        (
            "lead_converted",
            format!(
                r"\b{LEAD}{GAP}{BE}(?:converted|turned\s+into\s+(?:a\s+)?(?:deal|client|customer)|qualified\s+and\s+converted)\b|\b{LEAD}{GAP}(?:converts|turns\s+into|becomes)\s+(?:a\s+)?(?:deal|client|customer)\b|\b{LEAD}\s+converts\b|\b{LEAD}{GAP}(?:converts|gets\s+converted)\s*$|\b{WHO}\s+converts?\s+(?:a|the)\s+lead\b|\bconverted\s+{LEAD}\b|\blead\s+conversion\b|\b(?:a|an|the|every|each|any)\s+(?:prospective\s+|potential\s+|new\s+)?{PERSON}{GAP}(?:converts|{BE}converted)\b|\bconverted\s+(?:[a-z-]+\s+)?{PERSON}\b"
            ),
        ),
        // "a lead enters from Facebook": a lead entering, from somewhere or with nothing
        // after, is a new one; "enters the Qualified status" is not.
        (
            "lead_created",
            format!(
                r"\b(?:new|incoming|inbound|fresh|{FRESHLY})\s+(?:\w+\s+)?{LEAD}\b|^{LEAD}\s+(?:in|arrived|received|created)(?:$|\s*:)|^(?:all\s+|any\s+)?{LEAD}\s+(?:coming\s+in\s+)?(?:from|via|through)\b|\b{LEAD}{GAP}{BE}(?:created|added|received|registered|captured|submitted|generated|imported)\b|\b{LEAD}{GAP}(?:arrives|arrived|comes\s+in|came\s+in|comes\s+through|appears|drops\s+in|lands)\b|\b{LEAD}\s+(?:enters|entered)(?:$|\s+(?:from|via|through)\b)|\b{LEAD}\s+is\s+in\b|\b(?:we|i)\s+(?:get|receive|capture)\s+(?:a|an)\s+(?:new\s+)?(?:\w+\s+)?{LEAD}\b|\b{WHO}\s+(?:fills\s+(?:in|out)|submits|completes)\s+(?:a|the|our|an)\s+(?:[\w-]+\s+)?form\b|\b(?:web\s+|website\s+|contact\s+)?form\s+is\s+submitted\b"
            ),
        ),
        (
            "lead_updated",
            format!(
                r"\b{LEAD}{GAP}{BE}(?:updated|changed|edited|modified|amended|touched)\b|\b{LEAD}{GAP}changes\b|\b{LEAD}\s+(?:update|edit)s?(?:\s+event)?\b|\b{LEAD}{DETAILS}|\b{WHO}\s+(?:is\s+)?(?:edits?|updates?|changes?|change|modif(?:y|ies)|amends?|editing|updating|changing|modifying)\s+(?:(?:anything|something)\s+(?:on|in|about|of|to)\s+)?(?:(?:a|an|the|any)\s+(?:[\w'-]+\s+){{0,2}}?)?{LEAD}\b|\b(?:any|every|each)\s+{LEAD}\s+(?:change|update|edit)s?\b|\b(?:any|every|each)\s+(?:change|update|edit)\s+(?:(?:done|made)\s+)?(?:to|in|on|of)\s+(?:(?:a|an|the|any)\s+)?{LEAD}\b|\b(?:anything|something)\s+(?:on|in|about|of)\s+(?:a|an|the|any|one\s+of\s+(?:their|our|your|his|her|its|the))\s+{LEAD}\s+(?:changes|is\s+changed|is\s+updated|is\s+edited)\b|\b(?:edited|updated|changed|amended|modified)\s+{LEAD}\b"
            ),
        ),
        (
            "contact_created",
            format!(
                r"\b(?:new|fresh|{FRESHLY})\s+(?:\w+\s+)?{CONTACT}\b|\b(?:new|fresh|{FRESHLY})\s+person(?:\s+record)?\b|\b{CONTACT}{GAP}{BE}(?:created|added|registered|saved|imported)\b|\b{CONTACT}{GAP}(?:arrives|comes\s+in|came\s+in)\b|\b{WHO}\s+(?:creates?|adds?|saves?|registers?)\s+(?:(?:a|the)\s+(?:new\s+)?(?:\w+\s+)?)?contact\b"
            ),
        ),
        (
            "contact_updated",
            format!(
                r"\b{CONTACT}{GAP}{BE}(?:updated|changed|edited|modified|amended|touched)\b|\b{CONTACT}{GAP}changes\b|\b{CONTACT}\s+(?:update|edit)s?(?:\s+event)?\b|\b{CONTACT}{DETAILS}|\b{WHO}\s+(?:is\s+)?(?:edits?|updates?|changes?|change|modif(?:y|ies)|amends?|fix(?:es)?|corrects?|editing|updating|changing|modifying)\s+(?:(?:anything|something)\s+(?:on|in|about|of|to)\s+)?(?:(?:a|an|the|any)\s+(?:[\w'-]+\s+){{0,2}}?)?{CONTACT}\b|\b(?:any|every|each)\s+{CONTACT}\s+(?:change|update|edit)s?\b|\b(?:any|every|each)\s+(?:change|update|edit)\s+(?:(?:done|made)\s+)?(?:to|in|on|of)\s+(?:(?:a|an|the|any)\s+)?{CONTACT}\b|\b(?:anything|something)\s+(?:on|in|about|of)\s+(?:a|an|the|any|one\s+of\s+(?:their|our|your|his|her|its|the))\s+{CONTACT}\s+(?:changes|is\s+changed|is\s+updated|is\s+edited)\b|\b(?:edited|updated|changed|amended|modified)\s+{CONTACT}\b|\b{PERSON}\s+(?:changes?|changed|updates?|updated|edits?|edited|amends?|amended|modif(?:y|ies|ied))\s+(?:their|his|her)\s+{OWN_DETAILS}(?:\s+or\s+(?:their\s+|his\s+|her\s+)?{OWN_DETAILS})?|\b{PERSON}(?:'s)?(?:\s+contact)?\s+(?:details|detail|info|information|data|records?|profile|card|phone(?:\s+number)?|e-?mail(?:\s+address)?|address|name)\s+(?:(?:is|are|gets|get|was|were|has\s+been|have\s+been)\s+)?(?:change|changes|changed|updated|edited|modified|amended)\b"
            ),
        ),
        (
            "company_created",
            format!(
                r"\b(?:new|fresh|{FRESHLY})\s+(?:\w+\s+)?{COMPANY}\b|\b{COMPANY}{GAP}{BE}(?:created|added|registered|saved|imported)\b|\b{WHO}\s+(?:creates?|adds?)\s+(?:(?:a|the)\s+)?(?:new\s+)?company\b"
            ),
        ),
        (
            "company_updated",
            format!(
                r"\b{COMPANY}{GAP}{BE}(?:updated|changed|edited|modified|amended|touched)\b|\b{COMPANY}{GAP}changes\b|\b{COMPANY}\s+(?:update|edit)s?(?:\s+event)?\b|\b{COMPANY}{DETAILS}|\b{WHO}\s+(?:is\s+)?(?:edits?|updates?|changes?|change|modif(?:y|ies)|amends?|editing|updating|changing|modifying)\s+(?:(?:anything|something)\s+(?:on|in|about|of|to)\s+)?(?:(?:a|an|the|any)\s+(?:[\w'-]+\s+){{0,2}}?)?{COMPANY}\b|\b(?:any|every|each)\s+{COMPANY}\s+(?:change|update|edit)s?\b|\b(?:any|every|each)\s+(?:change|update|edit)\s+(?:(?:done|made)\s+)?(?:to|in|on|of)\s+(?:(?:a|an|the|any)\s+)?{COMPANY}\b|\b(?:anything|something)\s+(?:on|in|about|of)\s+(?:a|an|the|any|one\s+of\s+(?:their|our|your|his|her|its|the))\s+{COMPANY}\s+(?:changes|is\s+changed|is\s+updated|is\s+edited)\b|\b(?:edited|updated|changed|amended|modified)\s+{COMPANY}\b"
            ),
        ),
        (
            "stage_changed",
            format!(
                r"\b{DEAL}(?:'s)?(?:\s+[\w'-]+){{0,3}}?\s+{BE}(?:moved|moves|move|goes|go|went|enters|entered|reaches|reached|advances|advanced|progresses|progressed|transitions|transitioned|changes|changed|switches|switched|lands|landed|gets)\s+(?:in)?to\b|\b(?:pipeline\s+|deal\s+|deal's\s+)?stage\s+{BE}(?:changes|changed|updated|moves|moved|switches|switched)(?:\s+to\b)?|\b(?:pipeline\s+|deal\s+|deal's\s+)?stage\s+(?:hits|reaches|becomes|turns\s+(?:in)?to|gets\s+to|goes\s+(?:in)?to)\b|\b{DEAL}(?:'s)?\s+(?:stage|status)\s+(?:hits|reaches|becomes|turns\s+(?:in)?to|gets\s+to|goes\s+(?:in)?to|(?:is\s+)?(?:changes|changed|moves|moved|switches|switched|set|updated)\s+to)\b|\b(?:enters|reaches|moves\s+(?:in)?to|goes\s+(?:in)?to|is\s+moved\s+(?:in)?to)\s+(?:the\s+)?stage\b|\bstage\s+(?:transition|change|move)\s+(?:in)?to\b|\b(?:moving|putting|dragging|pushing)\s+(?:a|the|any)\s+{DEAL}\s+(?:in)?to\b|\b{DEAL}{GAP}{BE}(?:changes|changed|switches|switched|moves|moved|changing|advances|advanced)\s+(?:its\s+|the\s+|a\s+|their\s+|to\s+(?:a|another|the\s+next)\s+)?(?:stage|stages|status|phase|column)\b|\b{DEAL}(?:'s)?(?:\s+[\w'-]+){{0,3}}?\s+{BE}(?:reaches|reached|reaching|hits|hit|hitting|enters|entered|entering|enter|lands\s+in|landing\s+in|landed\s+in|lands\s+on|arrives\s+(?:at|in|to)|arrived\s+(?:at|in|to)|gets\s+to|got\s+to|makes\s+it\s+to)\b|\b{DEAL}\s+(?:is\s+(?:now\s+)?)?(?:in|at)\s+(?:the\s+)?(?:\x01\d+\x02|[\w-]+(?:\s+[\w-]+)?)\s+stage\b|\b{DEAL}\s+(?:is\s+)?(?:now\s+)?(?:in|at)\s+(?:the\s+)?\x01\d+\x02|^(?:just\s+)?(?:moved|moves|got\s+moved|gets\s+moved|dragged|pushed)\s+(?:in)?to\b|^(?:a\s+|the\s+)?{DEAL}\s+(?:(?:in)?to|->)\s+(?:the\s+)?stage\b|\b(?:stage|phase)\s+of\s+(?:(?:a|an|the|any|each|every|our)\s+)?{DEAL}\s+{BE}(?:changes|changed|updated|moves|moved|switches|switched)(?:\s+to\b)?"
            ),
        ),
        // "At stage Cleaning scheduled, ...", "In the Contract sent stage: ...": the
        // opening of the rule a portal keeps on a stage (Bitrix24 sets its automation
        // rules stage by stage). Apart from the other stage patterns, so that a match
        // set aside ("on stage change to X") leaves them theirs.
        (
            "stage_changed",
            r"^(?:at|on|in|upon)\s+(?:the\s+)?(?:stage|column)\b|^(?:at|on|in|upon)\s+(?:the\s+)?(?:\x01\d+\x02|[\w-]+(?:\s+[\w-]+){0,3}?)\s+(?:stage|column)\b".to_owned(),
        ),
        (
            "deal_lost",
            format!(
                r"\b{DEAL}{GAP}{BE}(?:lost|closed[\s-]+lost|closed\s+(?:as\s+)?(?:lost|unsuccessfully|without\s+success)|fails|failed|falls\s+through|fell\s+through|cancell?ed|rejected|declined)\b|\b{DEAL}{GAP}closes\s+(?:as\s+lost|unsuccessfully)\b|\b{WHO}\s+(?:lose|loses|lost|close-loses?|closed-lost)\s+(?:(?:a|the|an)\s+(?:[\w-]+\s+){{0,2}})?{DEAL}\b|^closed[\s-]lost\b|\blost\s+(?:[a-z-]+\s+)?{DEAL}\b|^(?:just\s+)?lost\s+(?:a|the|an)\s+(?:[\w-]+\s+)?{DEAL}\b|\blosing\s+(?:a|the|an)\s+(?:[\w-]+\s+)?{DEAL}\b|\b(?:we|you|they)\s+(?:lose|lost)\s+(?:one|anything)\b"
            ),
        ),
        (
            "deal_won",
            format!(
                r"\b{DEAL}{GAP}{BE}(?:won|closed[\s-]+won|closed(?:\s+(?:successfully|with\s+success|as\s+won))?|successful|signed|sold)\b|\b{DEAL}{GAP}closes(?:\s+(?:successfully|with\s+success|as\s+won))?\b|\b{DEAL}\s+(?:goes|went|has\s+gone|is\s+going)\s+through\b|\b{WHO}\s+(?:win|wins|won|close|closes|closed|close-wins?|closed-won|sign|signs|signed)\s+(?:(?:a|the|an)\s+(?:[\w-]+\s+){{0,2}})?{DEAL}\b|^closed[\s-]won\b|\b(?:won|signed|closed[\s-]won)\s+(?:[a-z-]+\s+)?{DEAL}\b|^(?:just\s+|finally\s+)?won\s+(?:a|the|an)\s+(?:\w+\s+)?{DEAL}\b|\bwinning\s+(?:a|the|an)\s+(?:[\w-]+\s+)?{DEAL}\b|\b(?:we|you|they)\s+(?:win|won)\s+(?:one|anything)\b"
            ),
        ),
        (
            "deal_created",
            format!(
                r"\b(?:new|fresh|{FRESHLY})\s+(?:\w+\s+){{0,2}}?{DEAL_NEW}\b|\b{DEAL_NEW}{GAP}{BE}(?:created|added|opened|registered|started|made|placed)\b|\b{DEAL_NEW}{GAP}(?:comes\s+in|came\s+in|arrives|arrived)\b|\b{WHO}\s+(?:creates?|adds?|opens?|starts?)\s+(?:(?:a|the)\s+)?(?:new\s+)?deal\b|\b{WHO}\s+(?:places?|placed)\s+(?:(?:a|an|the)\s+(?:new\s+)?(?:[\w-]+\s+)?)?orders?\b"
            ),
        ),
        (
            "deal_updated",
            format!(
                r"\b(?:anything|something)\s+(?:is|gets)\s+(?:changed|updated|edited|modified)\s+(?:on|in)\s+(?:a|an|the|any)\s+{DEAL}\b|\b{DEAL}{GAP}{BE}(?:updated|changed|edited|modified|amended|touched)\b|\b{DEAL}{GAP}changes\b|\b{DEAL}\s+(?:update|edit)s?(?:\s+event)?\b|\b{DEAL}{DETAILS}|\b{WHO}\s+(?:is\s+)?(?:edits?|updates?|changes?|change|modif(?:y|ies)|amends?|editing|updating|changing|modifying)\s+(?:(?:anything|something)\s+(?:on|in|about|of|to)\s+)?(?:(?:a|an|the|any)\s+(?:[\w'-]+\s+){{0,2}}?)?{DEAL}\b|\b(?:any|every|each)\s+{DEAL}\s+(?:change|update|edit)s?\b|\b(?:any|every|each)\s+(?:change|update|edit)\s+(?:(?:done|made)\s+)?(?:to|in|on|of)\s+(?:(?:a|an|the|any)\s+)?{DEAL}\b|\b(?:anything|something)\s+(?:on|in|about|of)\s+(?:a|an|the|any|one\s+of\s+(?:their|our|your|his|her|its|the))\s+{DEAL}\s+(?:changes|is\s+changed|is\s+updated|is\s+edited)\b|\b(?:edited|updated|changed|amended|modified)\s+{DEAL}\b"
            ),
        ),
    ];
    let patterns = raw.into_iter().map(|(id, re)| {
        // A trigger's nominal form is one more of its patterns.
        let mut re = re;
        for (_, n) in nominal.iter().filter(|(n, _)| *n == id) {
            re = format!("{re}|{n}");
        }
        (id, re)
    });
    // The catalog's phrases, with up to two words of slack between their words, after
    // the patterns: on a tie the earlier, more specific pattern wins.
    let phrases = TRIGGERS
        .iter()
        .flat_map(|t| t.phrases.iter().map(move |p| (t.id, *p)))
        .map(|(id, phrase)| {
            let words: Vec<String> = phrase.split_whitespace().map(regex::escape).collect();
            (
                id,
                format!(r"\b{}\b", words.join(r"(?:\s+[\w']+){0,2}?\s+")),
            )
        });
    Gated::new(patterns.chain(phrases)).expect("valid trigger regex")
});

// "a deal (is now) in the X stage": the stage is named after "in"/"at".
// "moves to the X stage", "lands in the X stage", "reaches the X stage": where a stage
// named before the word "stage" starts.
static TO_NAMED_STAGE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:(?:in)?to|in|at|on|upon|reaches|reached|enters|entered|hits|hit)\s+(?P<at>(?:the\s+)?(?:\x01\d+\x02|[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3}?)\s+(?:stage|status|column|phase))\s*$")
        .expect("valid regex")
});

// "At stage X", "on stage 'Y'": the opening of a stage's own rule.
static AT_STAGE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:at|on|in|upon)\s+(?:the\s+)?(?:stage|column)\b").expect("valid regex")
});

static STAGE_CHANGE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^\s+(?:change[sd]?|changing|move[sd]?|moving|transitions?|updates?|updated|switch(?:es)?)\b")
        .expect("valid regex")
});

// A word b24flow takes for a deal whatever the team: "deal", "order", "booking".
static DEAL_WORD: LazyLock<Regex> =
    LazyLock::new(|| pattern(&format!(r"^{DEAL}$")).expect("valid regex"));

static IN_STAGE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(r"^{DEAL}\s+(?:is\s+)?(?:now\s+)?(?:in|at)\s+")).expect("valid regex")
});

// A match that names a record as new ("a new deal", "freshly created quotes"), which a
// verb after it can still make another event ("a new deal is lost").
static NEW_RECORD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(&format!(r"^(?:new|fresh|incoming|inbound|{FRESHLY})\b")).expect("valid regex")
});

// "a new quote request arrives as a lead": the record named after "as" is the one that
// is created, whatever the words before it would mean alone.
pub(super) static AS_A: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:arrives?|comes?\s+in|comes?\s+through|lands?|(?:(?:is|are|was|were|gets|got|get|(?:has|have|'s|'ve)\s+(?:just\s+)?been)\s+)?(?:just\s+)?(?:created|added|logged|saved|registered|captured|entered|set\s+up))\s+as\s+(?:(?:a|an)\s+(?:new\s+)?(?P<record>deal|lead|enquiry|inquiry|contact|company|quote|task)|(?:new\s+)?(?P<records>deals|leads|enquiries|inquiries|contacts|companies|quotes|tasks))\b")
        .expect("valid regex")
});

// Only a deal is won or lost, or moves to a named stage: "a job is won", "Job signed off
// as won?", "a booking moves to the 'Deposit paid' stage". Whatever the team calls its
// deal, in a clause with no record b24flow knows.
static ANY_DEAL_EVENT: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?:^|\b(?:a|an|the|our|every|each|any)\s+)(?:[a-z-]+\s+){0,2}?(?P<noun>[a-z]+)\s+(?:(?:over|above|under|below|worth(?:\s+over|\s+more\s+than)?|more\s+than|less\s+than)\s+[$\x{20ac}\x{a3}]?\d[\d,.]*(?:\s*(?:k|m)\b)?\s+)?(?:(?:that|which)\s+)?(?:(?:is|are|gets|get|was|were|has\s+been|have\s+been)\s+)?(?:(?:marked|signed\s+off|closed|set)\s+)?(?:as\s+)?(?P<ev>won|lost|(?P<move>(?:moves|moved|move|goes|go|went|is\s+moved|are\s+moved|gets\s+moved|get\s+moved|passes|pass|passed|lands|land|landed|reaches|reach|reached|enters|enter|entered|gets\s+to|get\s+to|got\s+to|is\s+dragged|gets\s+dragged|dragged|is\s+dropped|gets\s+dropped|hits|hit|arrives|arrived|is(?:\s+now)?\s+(?:in|at))\s+(?:(?:in)?to\s+|in\s+|on\s+|at\s+)?)(?:the\s+)?(?:\x01\d+\x02|stage\s+\S|[a-z][\w-]*(?:\s+[a-z][\w-]*){0,3}?\s+stage\b|(?P<name>[a-z][\w-]*)))")
        .expect("valid regex")
});

// Words that name something other than a deal, which `ANY_DEAL_EVENT` must not read as
// one.
const NOT_A_DEAL: &[&str] = &[
    "it",
    "they",
    "this",
    "that",
    "he",
    "she",
    "we",
    "lead",
    "task",
    "invoice",
    "quote",
    "contact",
    "company",
    "meeting",
    "payment",
    "call",
    "email",
    "note",
    "comment",
    "client",
    "customer",
    "form",
    "game",
    "match",
    "prize",
    "password",
    "file",
    "item",
    "account",
    "activity",
    "appointment",
    "estimate",
    "proposal",
    "offer",
    "enquiry",
    "inquiry",
    "prospect",
    "record",
    "card",
    "ticket",
    "is",
    "was",
    "been",
    "gets",
];

/// A deal event whose record is named by a word of the team's own: the noun is the
/// deal unless it names something else.
fn any_deal(clause: &Clause) -> Option<(&'static str, usize, usize)> {
    let lower = clause.lower.as_str();
    let c = ANY_DEAL_EVENT.captures(lower)?;
    let (noun, ev, all) = (c.name("noun")?, c.name("ev")?, c.get(0)?);
    // "moves to Quote Sent": a stage named without the word "stage" must be written as a
    // name is, capitalised.
    if let Some(n) = c.name("name")
        && !clause
            .orig_at(n.range())
            .starts_with(|ch: char| ch.is_uppercase())
    {
        return None;
    }
    // "If the building is in Krakow": being in a bare name is where a thing is, not a
    // stage it moved to, unless the thing is one a team calls its deals by ("the deal is
    // in Negotiation"). Asked about.
    // "When a ship arrives in Piraeus port": arriving in or at a place is the same.
    if let Some(m) = c.name("move")
        && (m.as_str().starts_with("is")
            || m.as_str().starts_with("arrive") && !m.as_str().trim_end().ends_with(" to"))
        && c.name("name").is_some()
        && !DEAL_WORD.is_match(noun.as_str())
    {
        return None;
    }
    // "Deals that reach ...", "our contracts move to ...": a verb's bare form only after a
    // plural record; "it should go to Bartek" is no record moving.
    if let Some(m) = c.name("move")
        && let Some(verb) = m.as_str().split_whitespace().next()
        && ["move", "go", "pass", "land", "reach", "enter", "get"].contains(&verb)
        && !noun.as_str().ends_with('s')
    {
        return None;
    }
    // "When cargo passes Zamyn-Uud border": what a thing passes with no "to" is a place
    // or a checkpoint, not a stage it moved to.
    if let Some(m) = c.name("move")
        && m.as_str().starts_with("pass")
        && !m.as_str().trim_end().ends_with(" to")
        && !m.as_str().trim_end().ends_with(" into")
    {
        return None;
    }
    // "deal won -> sms client + tag won": a clause that opens with an order's verb and no
    // article ("tag won", "text lost") is that order, not a record called "tag".
    if noun.start() == 0 && words::has_action_verb(noun.as_str()) {
        return None;
    }
    let word = noun.as_str().trim_end_matches('s');
    // "the deal should be moved to Shipping": what the record is to undergo is an order.
    if NEGATION.is_match(all.as_str())
        || ORDERED.is_match(all.as_str())
        || NOT_A_DEAL.contains(&word)
        || NOT_A_DEAL.contains(&noun.as_str())
        || super::lexicon::PEOPLE.contains(&noun.as_str())
    {
        return None;
    }
    let id = match ev.as_str() {
        "won" => "deal_won",
        "lost" => "deal_lost",
        _ => "stage_changed",
    };
    // A stage move ends before the stage, where its name is read.
    let end = match c.name("move") {
        Some(m) if id == "stage_changed" => m.end(),
        _ => all.end(),
    };
    // The match starts at the noun: a word before it ("a Retail job") is still accounted.
    Some((id, noun.start(), end))
}

// The rest of a field's name after an event's words, as written: "Contract Signed| Date
// field". Both parts must be capitalised as a name is ("New contact with the Email field"
// is an event).
static FIELD_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?P<rest>(?:\s+[\w-]+){0,3})\s+(?i:field)\b").expect("valid regex")
});

// A negation inside an event's words: "a deal is not won", "the lead hasn't converted".
static NEGATION: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\b(?:not|never|no\s+longer|[a-z]+n't)\b").expect("valid regex"));

// A modal inside an event's words: "a deal should be moved to", "a task is to be created".
static ORDERED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:should|must|shall|needs?\s+to|has\s+to|have\s+to|(?:is|are)\s+to\s+be|could\s+be|would\s+be)\s").expect("valid regex")
});

// A match that opens with "new": "new bike fit deal".
static NEW_WHAT: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^(?:new|fresh)\s").expect("valid regex"));

// A verb that gives or has a thing, right before the record an event pattern names:
// "the QA team gets a new task", "have a quote created for it". The record is the
// verb's object, made by an order, not a record something happened to. Not when the
// team itself gets it ("Got a new lead?", "we get a new lead"): that is the event.
static OBJECT_OF: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"(?:^|\b(?P<subject>[\w'-]+)\s+)(?:gets?|got|receives?|received|has|have|had|needs?|needed)\s+(?:a|an)\s+$")
        .expect("valid regex")
});

/// Whether the words before an event's match make its record the object of someone
/// else's getting or having it (see [`OBJECT_OF`]).
fn object_of(before: &str) -> bool {
    OBJECT_OF
        .captures(before)
        .is_some_and(|c| match c.name("subject") {
            Some(s) => !["we", "i", "you", "they", "we've", "i've", "just"].contains(&s.as_str()),
            // "have a quote created": the causative, at the clause's start.
            None => before.trim_start().starts_with("have"),
        })
}

// "to set up", "to put": a verb the same as its participle, after "to".
static INFINITIVE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\bto\s+(?:set(?:\s+(?:up|for))?|put|cut|shut)$").expect("valid regex")
});

// A modal and "be" right before an event's words: "the deal should be moved to".
static ORDERED_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:should|must|shall|needs?\s+to|has\s+to|have\s+to|is\s+to|are\s+to)\s+(?:(?:also|then|automatically)\s+)?(?:be|get)\s+$")
        .expect("valid regex")
});

// What a new record is to undergo when the workflow creates it: "a new deal called
// 'Crew sourcing' should be opened".
static TO_BE_CREATED: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:\s+(?:called|named|titled)\s+\S+)?\s+(?:should|must|shall|will|needs?\s+to|has\s+to|is\s+to|are\s+to)\s+(?:(?:also|then|automatically)\s+)?(?:be|get)\s+(?:created|opened|added|made|generated|set\s+up|raised|drawn\s+up|started|registered|prepared|issued)\b")
        .expect("valid regex")
});

// "every new " right before a record.
static EVERY_NEW_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"\b(?:every|each|all|any)\s+new\s+$").expect("valid regex"));

// A title given right after a new record: "a new deal called 'X'".
static TITLED: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"^\s+(?:called|named|titled)\s+\x01").expect("valid regex"));

// An event's participle before the record: "a won deal", "converted leads".
static ATTRIBUTIVE: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"^(?:won|lost|closed|converted|paid|unpaid|overdue|late|completed|finished|approved|accepted|signed|cancell?ed|updated|edited|changed|scheduled|booked)\b")
        .expect("valid regex")
});

/// Finds the trigger in `clause`. With `anywhere` false, the match must not come after
/// an action verb, so that "create a new deal" stays an action.
// The verb of a move and its preposition, right before a stage's name.
static MOVED_TO: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:moves?|moved|moving|goes|went|enters|entered|entering|reaches|reached|lands|landed|hits|hit|arrives|arrived)\s+(?:(?:in)?to\s+|in\s+|at\s+|on\s+)?(?:the\s+)?$")
        .expect("valid regex")
});

pub(super) fn find(clause: &Clause, anywhere: bool, tokens: &[Token]) -> Option<Found> {
    let lower = &clause.lower;
    if let Some(c) = AS_A.captures(lower)
        && let (Some(all), Some(record)) = (c.get(0), c.name("record").or(c.name("records")))
        && (anywhere || !words::has_action_verb(&lower[..all.start()]))
    {
        let id = match record.as_str() {
            "deal" | "deals" => "deal_created",
            "lead" | "enquiry" | "inquiry" | "leads" | "enquiries" | "inquiries" => "lead_created",
            "contact" | "contacts" => "contact_created",
            "company" | "companies" => "company_created",
            "quote" | "quotes" => "quote_created",
            _ => "task_created",
        };
        return Some(Found {
            id,
            start: all.start(),
            end: all.end(),
            stage: None,
            own_word: false,
            rival: None,
        });
    }
    let hits: Vec<(&'static str, usize, usize)> = PATTERNS
        .candidates(lower)
        .filter_map(|(id, re)| re.find(lower).map(|m| (*id, m.start(), m.end())))
        .filter(|(_, start, _)| {
            anywhere || !words::has_action_verb(&lower[..*start]) && !object_of(&lower[..*start])
        })
        // "every new deal should be moved to ...": what a record should undergo is an
        // order about it, not an event.
        .filter(|(_, start, end)| !ORDERED.is_match(&lower[*start..*end]))
        // "a deal is won please move it to Lost": a gap that holds the deal's own outcome
        // and an order after it reaches past the event into the order.
        .filter(|(id, start, end)| {
            *id != "deal_lost"
                || !words::words_from(&Clause::new(&lower[*start..*end]), 0)
                    .any(|w| w.text == "won")
                || !words::has_action_verb(&lower[*start..*end])
        })
        // "the deal should be moved to Shipping": a modal before the record's change, and
        // "a new deal called 'X' should be opened": a new record the text says is to be
        // created. Both are orders about a record, not what happens to one.
        // "new activity in deal": the words between "new" and the deal describe it; a
        // preposition or another record among them makes the new thing something else.
        .filter(|(id, start, end)| {
            *id != "deal_created" || !NEW_WHAT.is_match(&lower[*start..*end]) || {
                let ws: Vec<&str> = lower[*start..*end].split_whitespace().collect();
                ws.get(1..ws.len().saturating_sub(1))
                    .unwrap_or_default()
                    .iter()
                    .all(|w| {
                        ![
                            "in", "on", "of", "for", "with", "from", "to", "at", "by", "and", "or",
                        ]
                        .contains(w)
                            && (!super::lexicon::RECORD_NOUNS.contains(&w.trim_end_matches('s'))
                                // "a new charter deal": two words for one deal.
                                || super::lexicon::DEAL_NOUNS.contains(&w.trim_end_matches('s')))
                    })
            }
        })
        // "a new appt deal comes in": a meeting's word right before a record's names the
        // kind of record that is new, not a meeting booked.
        .filter(|(id, start, end)| {
            *id != "meeting_scheduled"
                || !lower[*start..*end].starts_with("new ")
                || !lower[*end..].split_whitespace().next().is_some_and(|w| {
                    super::lexicon::RECORD_NOUNS.contains(&w.trim_end_matches('s'))
                })
        })
        // "What I need is a new deal called 'Refresher offer' for Tom": a new record
        // given its title is one to make; an event's record has no title given.
        .filter(|(id, start, end)| {
            let ordered = ORDERED_BEFORE.is_match(&lower[..*start]);
            let to_be_created = id.ends_with("_created")
                && (TO_BE_CREATED.is_match(&lower[*end..]) || TITLED.is_match(&lower[*end..]));
            !ordered && !to_be_created
        })
        // "every new deal goes to Quote Requested": every new record's way to a stage is
        // where the workflow puts it when it is created, not a move of one already there.
        .filter(|(id, start, _)| {
            *id != "stage_changed" || !EVERY_NEW_BEFORE.is_match(&lower[..*start])
        })
        // "once it moves to Contract Signed", "the deal should be moved to Appointment
        // Booked": after a move's verb comes the name of the stage moved to, whatever its
        // words would mean alone (no win, no meeting booked).
        .filter(|(id, start, _)| *id == "stage_changed" || !MOVED_TO.is_match(&lower[..*start]))
        // "a task for Sam to set up the account": after "to" a verb whose participle is
        // its base form is the infinitive of a purpose, not the event's participle.
        .filter(|(_, start, end)| !INFINITIVE.is_match(&lower[*start..*end]))
        // "On stage change to X": the stage's change is the event, named after it; only
        // a name after "stage" makes "on stage" a stage's own rule.
        .filter(|(_, start, end)| {
            !(AT_STAGE.is_match(&lower[*start..*end]) && STAGE_CHANGE.is_match(&lower[*end..]))
        })
        // "the Contract Signed Date field is filled": words of a field's name, written
        // as a name is, are no event.
        .filter(|(_, start, end)| {
            let capitalised = |s: &str| {
                s.split_whitespace()
                    .all(|w| w.starts_with(|c: char| c.is_uppercase()))
            };
            !(capitalised(clause.orig_at(*start..*end))
                && FIELD_AFTER
                    .captures(clause.orig_at(*end..clause.orig.len()))
                    .and_then(|c| c.name("rest"))
                    .is_some_and(|m| capitalised(m.as_str())))
        })
        // "a new deal with no amount entered": what a record is said to lack is entered,
        // filled in or reached, not the record itself; no stage is moved to.
        .filter(|(id, start, end)| {
            *id != "stage_changed" || !LACKING.is_match(&lower[*start..*end])
        })
        // "a deal is not won": a negation the event does not mean ("is not paid" is
        // overdue) reverses it; no event is read, and the author is asked.
        .filter(|(id, start, end)| {
            ["task_overdue", "invoice_overdue"].contains(id)
                || !NEGATION.is_match(&lower[*start..*end])
        })
        .collect();
    // "a job moves to Quote Sent" (or hits it), "Deals that reach Contract Signed", "the
    // deal arrives to Tour Confirmed": the team's own word for its deal moving to a stage
    // is the event, whatever the stage's name would mean alone (it is no new quote, and no
    // win). Every other match must end inside the name.
    let own = any_deal(clause);
    let stage_named = own.filter(|h| {
        h.0 == "stage_changed"
            && !hits.is_empty()
            && hits.iter().all(|o| o.2 > h.2)
            && (anywhere || !words::has_action_verb(&lower[..h.1]))
    });
    let own_word = hits.is_empty() || stage_named.is_some();
    let hits = if let Some(h) = stage_named {
        vec![h]
    } else if hits.is_empty() {
        own.filter(|h| anywhere || !words::has_action_verb(&lower[..h.1]))
            .into_iter()
            .collect()
    } else {
        hits
    };
    // The event's subject is the first record the clause names: in "a deal reaches
    // Proposal sent" the deal moves, whatever "proposal sent" would mean alone. On a tie
    // the earlier, more specific pattern wins.
    let first =
        hits.iter()
            .copied()
            .fold(
                None,
                |best: Option<(&'static str, usize, usize)>, hit| match best {
                    Some(b) if b.1 <= hit.1 => Some(b),
                    _ => Some(hit),
                },
            )?;
    // "When a new deal is lost": "new" only describes the record; the verb that follows
    // is the event. A match that opens with "new" gives way to another event on the same
    // words (one starting inside it), whatever "new X" alone would mean.
    let inside = hits
        .iter()
        .copied()
        .filter(|h| h.0 != first.0 && h.1 < first.2 && h.1 >= first.1)
        .min_by_key(|h| h.1);
    let mut rival = None;
    let hit = if NEW_RECORD.is_match(&lower[first.1..first.2]) {
        inside.unwrap_or(first)
    } else {
        // "a won deal is updated": an event's participle before the record and another
        // event after it compete; the author is asked which starts the workflow.
        if ATTRIBUTIVE.is_match(&lower[first.1..first.2]) {
            rival = inside.map(|h| h.0);
        }
        first
    };
    let (mut id, start, mut end) = hit;
    let mut stage = None;
    if id == "stage_changed" {
        // "changes stage" names no stage unless "to ..." follows; "a deal in the X stage"
        // names it after "in".
        let mut from = end;
        if let Some(m) = IN_STAGE.find(&lower[start..end]) {
            from = start + m.end();
        } else if let Some(m) = TO_NAMED_STAGE.captures(&lower[start..end])
            && let Some(at) = m.name("at")
        {
            // "moves to the scheduled stage": the name sits inside the match.
            from = start + at.start();
        } else if let Some(m) = AT_STAGE.find(&lower[start..end]) {
            // "At stage Cleaning scheduled, ...": the rule the portal keeps on a stage
            // (Bitrix24 sets its automation rules stage by stage) names it after "stage".
            from = start + m.end();
        } else if lower[start..end].ends_with(" to stage")
            || lower[start..end].ends_with(" to the stage")
            || lower[start..end].ends_with("-> stage")
        {
            // "Deal to stage Installation Done": the name follows "stage".
            from = end;
        } else if lower[start..end]
            .trim_end()
            .rsplit(' ')
            .next()
            .is_some_and(|w| ["stage", "stages", "status", "phase", "column"].contains(&w))
        {
            from = match words::word_at(clause, end) {
                Some(w) if ["to", "into"].contains(&w.text.to_ascii_lowercase().as_str()) => w.end,
                _ => lower.len(),
            };
        }
        let (name, stage_end) = stage_after(clause, from, tokens);
        if let Some(name) = name {
            // "a deal goes to lost": "won" or "lost" in lower case is what became of the
            // deal, its own event; written as a name ("moves to Lost") it is that stage.
            let written = clause.orig_at(from..stage_end).trim();
            // "the deal stage changes to won" names the stage, whatever its case.
            let names_stage = lower[start..from].contains("stage");
            let outcome = match written.strip_prefix("the ").unwrap_or(written) {
                "won" if !names_stage => Some("deal_won"),
                "lost" if !names_stage => Some("deal_lost"),
                _ => None,
            };
            if let Some(event) = outcome {
                id = event;
            } else {
                stage = Some(name);
            }
            end = stage_end;
        }
    }
    // "Every deal new that enters for the web": a verb of arriving with no stage named,
    // and none after it ("enters a new stage"), says nowhere it arrives; read as any
    // stage change, what it says after is lost. It is asked about as an event.
    if id == "stage_changed"
        && stage.is_none()
        && ARRIVES.is_match(&lower[start..end])
        && !lower[end..].split_whitespace().take(4).any(|w| {
            [
                "stage", "stages", "status", "phase", "column", "step", "pipeline",
            ]
            .contains(&w.trim_matches(|c: char| !c.is_ascii_alphabetic()))
        })
    {
        return None;
    }
    debug_assert!(catalog::trigger(id).is_some(), "{id} is a catalog trigger");
    Some(Found {
        id,
        start,
        end,
        stage,
        own_word,
        rival,
    })
}

// A verb of arriving, last in an event's words: where to is still to come.
static ARRIVES: LazyLock<Regex> = LazyLock::new(|| {
    pattern(r"\b(?:reaches|reached|reaching|hits|hit|hitting|enters|entered|entering|enter|lands|landed|landing|arrives|arrived|gets\s+to|got\s+to|makes\s+it\s+to)\s*$")
        .expect("valid regex")
});

/// Every trigger pattern that matches `lower` is run on it.
#[cfg(test)]
pub(super) fn assert_gated(lower: &str) {
    super::text::assert_complete(&PATTERNS, lower);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> Option<&'static str> {
        find(&Clause::new(text), true, &[]).map(|f| f.id)
    }

    #[test]
    fn every_pattern_names_a_catalog_trigger() {
        for (id, _) in PATTERNS.all() {
            assert!(catalog::trigger(id).is_some(), "{id}");
        }
        let covered: std::collections::BTreeSet<_> = PATTERNS.all().map(|(id, _)| *id).collect();
        assert_eq!(covered.len(), TRIGGERS.len());
    }

    #[test]
    fn every_catalog_phrase_is_understood() {
        for t in TRIGGERS {
            for phrase in t.phrases {
                assert_eq!(id(&format!("when {phrase}")), Some(t.id), "{phrase}");
            }
        }
    }

    #[test]
    fn natural_variants() {
        let cases = [
            ("when we win a deal", "deal_won"),
            ("deal closes successfully", "deal_won"),
            ("as soon as a lead comes in", "lead_created"),
            ("if the invoice is not paid on time", "invoice_overdue"),
            ("once the task is done", "task_completed"),
            ("new lead is created", "lead_created"),
            ("lead gets converted", "lead_converted"),
            (
                "when a deal moves to the negotiation stage",
                "stage_changed",
            ),
            ("when a deal closes as lost", "deal_lost"),
            ("when the client approves the quote", "quote_approved"),
        ];
        for (text, want) in cases {
            assert_eq!(id(text), Some(want), "{text}");
        }
    }

    #[test]
    fn stage_names_become_ids() {
        let f = find(
            &Clause::new("when a deal moves to the Negotiation stage"),
            true,
            &[],
        )
        .unwrap();
        assert_eq!(f.stage.as_deref(), Some("NEGOTIATION"));
        let f = find(
            &Clause::new("when a deal moves to stage FINAL_INVOICE and"),
            true,
            &[],
        )
        .unwrap();
        assert_eq!(f.stage.as_deref(), Some("FINAL_INVOICE"));
        assert_eq!(stage_id("C2:WON"), "C2:WON");
        assert_eq!(stage_id("Final invoice"), "FINAL_INVOICE");
        assert_eq!(stage_id("lost"), "LOSE");
    }

    #[test]
    fn imperatives_are_not_triggers() {
        assert_eq!(find(&Clause::new("create a new deal"), false, &[]), None);
    }
}
