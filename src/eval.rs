//! Scoring a parser on a labelled corpus: what `b24flow eval` reports.
//!
//! A corpus is a YAML list of [`Case`]s, the format of `tests/corpus/*.yaml`: a
//! description and either the blueprint it must give (`status: ok`) or the fact that it
//! must be asked about (`status: needs_clarification`). Each case is scored on what a
//! reviewer cannot afford to get wrong: the trigger (with its parameters), the entity,
//! the conditions, the actions in order, who each one reaches, and every other field the
//! label fixes. A label fixes only what the text makes certain (a quoted message, a URL,
//! a stage), so default wording the author never wrote is not scored.
//!
//! The worst outcome is a blueprint that is wrong and is not a question, because it
//! compiles and reaches real clients; [`Summary::silently_wrong`] counts exactly those.
//! A question where a blueprint was expected is a miss, not a silent error.
//!
//! Invariants: scoring is deterministic and depends only on the case and the outcome;
//! cases keep their corpus order in the report; a parser error (network, quota) is
//! recorded on its case and is never counted as right or as silently wrong.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::blueprint::{Blueprint, Condition};
use crate::nl::{Outcome, Parser};

/// Why a corpus could not be read.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum Error {
    #[error("cannot read the corpus {path}")]
    #[diagnostic(code(b24flow::eval::read), help("check the path"))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{path} is not a corpus: a YAML list of labelled descriptions")]
    #[diagnostic(
        code(b24flow::eval::format),
        help(
            "each entry has `text` and `status` (ok or needs_clarification); ok entries add `trigger`, `entity` and `actions`"
        )
    )]
    Format {
        path: PathBuf,
        #[source]
        source: serde_saphyr::Error,
    },

    #[error("{path} entry {index} ({text:?}) is labelled {status} but {problem}")]
    #[diagnostic(
        code(b24flow::eval::label),
        help(
            "an ok entry names its trigger, entity and actions; a needs_clarification entry names none"
        )
    )]
    Label {
        path: PathBuf,
        index: usize,
        text: String,
        status: &'static str,
        problem: String,
    },
}

/// What a case expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    /// A blueprint.
    Ok,
    /// Questions: the description is vague, or wrong to guess at.
    NeedsClarification,
}

/// One labelled description.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The description, as a person wrote it.
    pub text: String,
    /// What the parser must give.
    pub status: Expect,
    /// The trigger id (`ok` cases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<String>,
    /// The trigger's parameters, e.g. `stage`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
    /// The document type, e.g. `CRM_DEAL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// The conditions; none when absent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    /// Each action: `type` plus the fields the label fixes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<BTreeMap<String, String>>,
    /// Substrings that must each appear in some question (`needs_clarification`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub asks: Vec<String>,
    /// Why the case is labelled as it is, for the reader of the corpus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Reads a corpus file and checks that every label is complete.
pub fn load(path: &Path) -> Result<Vec<Case>, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })?;
    let cases: Vec<Case> = serde_saphyr::from_str(&text).map_err(|source| Error::Format {
        path: path.to_owned(),
        source,
    })?;
    for (index, case) in cases.iter().enumerate() {
        if let Some(problem) = label_problem(case) {
            return Err(Error::Label {
                path: path.to_owned(),
                index,
                text: case.text.clone(),
                status: match case.status {
                    Expect::Ok => "ok",
                    Expect::NeedsClarification => "needs_clarification",
                },
                problem,
            });
        }
    }
    Ok(cases)
}

/// What is wrong with a case's label, if anything: a missing part, or an id the catalog
/// does not have (a misspelt `deal_wonn` would otherwise count every parser wrong on it).
fn label_problem(case: &Case) -> Option<String> {
    let missing = match case.status {
        Expect::Ok if case.trigger.is_none() => Some("names no trigger"),
        Expect::Ok if case.entity.is_none() => Some("names no entity"),
        Expect::Ok if case.actions.is_empty() => Some("names no action"),
        Expect::Ok if case.actions.iter().any(|a| !a.contains_key("type")) => {
            Some("has an action with no type")
        }
        Expect::NeedsClarification if case.trigger.is_some() || !case.actions.is_empty() => {
            Some("names a trigger or actions")
        }
        _ => None,
    };
    if let Some(missing) = missing {
        return Some(missing.to_owned());
    }
    if let Some(trigger) = case.trigger.as_deref()
        && crate::catalog::trigger(trigger).is_none()
    {
        return Some(format!(
            "names the trigger {trigger:?}, which the catalog does not have"
        ));
    }
    if let Some(entity) = case.entity.as_deref()
        && !crate::catalog::ENTITIES.iter().any(|e| e.id == entity)
    {
        return Some(format!(
            "names the entity {entity:?}, which the catalog does not have"
        ));
    }
    case.actions
        .iter()
        .filter_map(|a| a.get("type"))
        .find(|kind| crate::catalog::action(kind).is_none())
        .map(|kind| format!("has an action {kind:?}, which the catalog does not have"))
}

/// How one case came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The blueprint matches the label on every scored point.
    Exact,
    /// A vague description was asked about, as the label wants.
    Asked,
    /// The parser asked where the label has a blueprint: a miss, but a safe one.
    OverAsked,
    /// A blueprint that is wrong, or a blueprint where the label wants a question.
    SilentlyWrong,
    /// The parser failed (network, quota, a bad answer).
    Error,
}

impl Verdict {
    /// Whether the case counts as right.
    pub fn is_right(self) -> bool {
        matches!(self, Verdict::Exact | Verdict::Asked)
    }

    /// A short word for tables.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Exact => "exact",
            Verdict::Asked => "asked",
            Verdict::OverAsked => "over-asked",
            Verdict::SilentlyWrong => "SILENTLY WRONG",
            Verdict::Error => "error",
        }
    }
}

/// The score of one case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CaseResult {
    /// The case's position in the corpus, from 1.
    pub index: usize,
    /// The description.
    pub text: String,
    /// What the label expects.
    pub expected: Expect,
    /// How it came out.
    pub verdict: Verdict,
    /// What differs from the label, or what the parser asked or failed with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
    /// Why the rules refuse the blueprint given, whatever the project's config says
    /// (an action Bitrix24 has no activity for, a variable the event does not supply):
    /// a right reading that `compile` would still stop.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refused: Vec<String>,
}

/// The totals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Cases in the corpus.
    pub cases: usize,
    /// Cases right: exact blueprints plus vague descriptions asked about.
    pub right: usize,
    /// `right` as a percentage of `cases`, to one decimal.
    pub right_pct: f64,
    /// Cases labelled `ok`.
    pub ok_cases: usize,
    /// Of those, blueprints that match exactly.
    pub exact: usize,
    /// Of those, questions asked instead.
    pub over_asked: usize,
    /// Cases labelled `needs_clarification`.
    pub vague_cases: usize,
    /// Of those, asked about.
    pub vague_asked: usize,
    /// `vague_asked` as a percentage of `vague_cases` (100 when there are none).
    pub vague_asked_pct: f64,
    /// Wrong blueprints and blueprints where a question was due.
    pub silently_wrong: usize,
    /// Cases the parser failed on.
    pub errors: usize,
    /// Exact blueprints the rules refuse whatever the project's config says: the reading
    /// is right, and `compile` stops it with the reason.
    #[serde(default)]
    pub unbuildable: usize,
}

/// A scored corpus: what `b24flow eval --json` prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// The parser, e.g. `offline v5` or `gemini gemini-2.5-flash`.
    pub parser: String,
    /// The totals.
    pub summary: Summary,
    /// Every case, in corpus order.
    pub cases: Vec<CaseResult>,
}

/// Scores one outcome against its case.
pub fn score(index: usize, case: &Case, outcome: &Outcome) -> CaseResult {
    let (verdict, details) = match (case.status, outcome) {
        (Expect::Ok, Outcome::Ok { workflow }) => {
            let wrong = differences(case, workflow);
            if wrong.is_empty() {
                (Verdict::Exact, wrong)
            } else {
                (Verdict::SilentlyWrong, wrong)
            }
        }
        (Expect::Ok, Outcome::NeedsClarification { questions }) => {
            (Verdict::OverAsked, questions.clone())
        }
        (Expect::NeedsClarification, Outcome::Ok { workflow }) => {
            let kinds: Vec<&str> = workflow.actions.iter().map(|a| a.kind.as_str()).collect();
            (
                Verdict::SilentlyWrong,
                vec![format!(
                    "a question was due; got {} -> {}",
                    workflow.trigger.kind,
                    kinds.join(", ")
                )],
            )
        }
        (Expect::NeedsClarification, Outcome::NeedsClarification { questions }) => {
            // The wording of a question is the parser's own; the `asks` substrings are
            // reported when missing but do not make a question wrong.
            let mut details: Vec<String> = case
                .asks
                .iter()
                .filter(|want| !questions.iter().any(|q| q.contains(want.as_str())))
                .map(|want| format!("no question mentions {want:?}"))
                .collect();
            if !details.is_empty() {
                details.extend(questions.iter().cloned());
            }
            (Verdict::Asked, details)
        }
    };
    let refused = match outcome {
        Outcome::Ok { workflow } => refusals(workflow),
        Outcome::NeedsClarification { .. } => Vec::new(),
    };
    CaseResult {
        index,
        text: case.text.clone(),
        expected: case.status,
        verdict,
        details,
        refused,
    }
}

/// The errors the rules give `bp` that no project's config could change, as `compile`
/// would report them: a runner workflow is checked by the runner, any other by
/// `resolve`. Who a name stands for (`[recipients]`), the environment's names, sources
/// and the URL policy depend on the project and are left out.
pub fn refusals(bp: &Blueprint) -> Vec<String> {
    use crate::resolve::{Code, Severity};
    let config = crate::config::Config::default();
    let found = if crate::runner::is_runner(bp) {
        crate::runner::compile(bp, &config)
            .err()
            .map_or_else(Vec::new, |e| e.0)
    } else {
        crate::resolve::diagnose(bp, &config).0
    };
    let mut out: Vec<String> = Vec::new();
    for d in found {
        let fixed = matches!(
            d.code,
            Code::UnsupportedAction
                | Code::NotAvailable
                | Code::UnsupportedField
                | Code::ClientRecipient
                | Code::UnknownVariable
                | Code::UnavailableVariable
                | Code::BadDatetime
                | Code::BadName
                | Code::DuplicateMoveStage
        );
        if fixed && d.severity == Severity::Error {
            let line = format!("{}: {}", d.path, d.message);
            if !out.contains(&line) {
                out.push(line);
            }
        }
    }
    out
}

/// What a blueprint gets wrong against an `ok` label, on the scored points.
/// Whether two conditions mean the same: equal, or on `SOURCE_ID` naming the same source
/// ("website" and "Website" are both `WEB`, which is what the template compares with).
fn same_condition(want: &Condition, got: &Condition) -> bool {
    if want == got {
        return true;
    }
    let source = |c: &Condition| {
        crate::catalog::source_id(&c.value).map_or_else(|| c.value.to_lowercase(), str::to_owned)
    };
    want.field == "SOURCE_ID"
        && got.field == "SOURCE_ID"
        && want.operator == got.operator
        && source(want) == source(got)
}

/// Whether two action kinds build the same thing on `entity`. On a deal, `update_deal`
/// and `update_field` both set a field of the deal the workflow runs on, through the same
/// activity (`bizproc::lower` lowers both with `crm::set_field`); a label may name
/// either.
fn same_kind(want: &str, got: &str, entity: &str) -> bool {
    want == got
        || entity == "CRM_DEAL"
            && matches!(
                (want, got),
                ("update_deal", "update_field") | ("update_field", "update_deal")
            )
}

fn differences(case: &Case, b: &Blueprint) -> Vec<String> {
    let mut wrong = Vec::new();
    if case.trigger.as_deref() != Some(b.trigger.kind.as_str()) {
        wrong.push(format!(
            "trigger: want {}, got {}",
            case.trigger.as_deref().unwrap_or("-"),
            b.trigger.kind
        ));
    }
    if case.params != b.trigger.params {
        wrong.push(format!(
            "trigger params: want {:?}, got {:?}",
            case.params, b.trigger.params
        ));
    }
    if case.entity.as_deref() != Some(b.entity.as_str()) {
        wrong.push(format!(
            "entity: want {}, got {}",
            case.entity.as_deref().unwrap_or("-"),
            b.entity
        ));
    }
    let same_conditions = case.conditions.len() == b.conditions.len()
        && case
            .conditions
            .iter()
            .zip(&b.conditions)
            .all(|(want, got)| same_condition(want, got));
    if !same_conditions {
        let show = |c: &[Condition]| {
            c.iter()
                .map(|c| format!("{} {} {}", c.field, c.operator, c.value))
                .collect::<Vec<_>>()
                .join(" and ")
        };
        wrong.push(format!(
            "conditions: want [{}], got [{}]",
            show(&case.conditions),
            show(&b.conditions)
        ));
    }
    let want: Vec<&str> = case
        .actions
        .iter()
        .map(|a| a.get("type").map_or("?", String::as_str))
        .collect();
    let got: Vec<&str> = b.actions.iter().map(|a| a.kind.as_str()).collect();
    let same_kinds = want.len() == got.len()
        && want
            .iter()
            .zip(&got)
            .all(|(w, g)| same_kind(w, g, &b.entity));
    if !same_kinds {
        wrong.push(format!(
            "actions: want [{}], got [{}]",
            want.join(", "),
            got.join(", ")
        ));
        return wrong;
    }
    for (i, (label, action)) in case.actions.iter().zip(&b.actions).enumerate() {
        for (field, value) in label.iter().filter(|(field, _)| *field != "type") {
            if !same_value(field, value, action.field(field), &case.text) {
                wrong.push(format!(
                    "actions[{i}] {} {field}: want {value:?}, got {:?}",
                    action.kind,
                    action.field(field).unwrap_or("-")
                ));
            }
        }
    }
    wrong
}

/// Whether a field's value says what the label says. A title or subject read from the
/// text may start with a capital the author did not type ("verify VAT number" is the
/// task "Verify VAT number"), and so may a message or body the author did not quote
/// ("saying thank you for booking" sends "Thank you for booking"). A quoted message is
/// sent as written, so it must match letter for letter, as must every other field.
fn same_value(field: &str, want: &str, got: Option<&str>, text: &str) -> bool {
    let Some(got) = got else {
        return false;
    };
    if got == want {
        return true;
    }
    let first_upper = |s: &str| {
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_uppercase().chain(c).collect::<String>())
            .unwrap_or_default()
    };
    let quoted = || {
        ['\'', '"', '\u{201c}', '\u{2018}']
            .iter()
            .any(|q| text.contains(&format!("{q}{want}")))
    };
    let may_gain_capital = match field {
        "title" | "subject" => true,
        "message" | "body" => !quoted(),
        _ => false,
    };
    may_gain_capital && first_upper(got) == first_upper(want)
}

/// Totals over scored cases.
pub fn summarize(results: &[CaseResult]) -> Summary {
    let count = |f: &dyn Fn(&CaseResult) -> bool| results.iter().filter(|r| f(r)).count();
    let pct = |n: usize, of: usize| {
        if of == 0 {
            100.0
        } else {
            // Rounded to one decimal so the JSON report is stable across platforms.
            #[allow(clippy::cast_precision_loss)]
            let p = (n as f64) * 1000.0 / (of as f64);
            p.round() / 10.0
        }
    };
    let cases = results.len();
    let right = count(&|r| r.verdict.is_right());
    let ok_cases = count(&|r| r.expected == Expect::Ok);
    let vague_cases = cases - ok_cases;
    let vague_asked =
        count(&|r| r.expected == Expect::NeedsClarification && r.verdict == Verdict::Asked);
    Summary {
        cases,
        right,
        right_pct: pct(right, cases),
        ok_cases,
        exact: count(&|r| r.verdict == Verdict::Exact),
        over_asked: count(&|r| r.verdict == Verdict::OverAsked),
        vague_cases,
        vague_asked,
        vague_asked_pct: pct(vague_asked, vague_cases),
        silently_wrong: count(&|r| r.verdict == Verdict::SilentlyWrong),
        errors: count(&|r| r.verdict == Verdict::Error),
        unbuildable: count(&|r| r.verdict == Verdict::Exact && !r.refused.is_empty()),
    }
}

/// Scores a parser that answers at once, such as [`crate::nl::offline::parse`].
pub fn run_with(parser: &str, cases: &[Case], parse: impl Fn(&str) -> Outcome) -> Report {
    let results: Vec<CaseResult> = cases
        .iter()
        .enumerate()
        .map(|(i, case)| score(i + 1, case, &parse(&case.text)))
        .collect();
    Report {
        parser: parser.to_owned(),
        summary: summarize(&results),
        cases: results,
    }
}

/// Scores any configured parser, one case after another (an LLM parser keeps to its own
/// rate limit). A parser error is recorded on its case and scoring goes on.
pub async fn run(parser: &Parser, cases: &[Case]) -> Report {
    let identity = parser.identity();
    let name = match &identity.model {
        Some(model) => format!("{} {model}", identity.name),
        None => format!("{} v{}", identity.name, identity.version),
    };
    let mut results = Vec::with_capacity(cases.len());
    for (i, case) in cases.iter().enumerate() {
        let result = match parser.parse(&case.text).await {
            // Scored as `parse` prints it: normalized, whichever parser answered.
            Ok(Outcome::Ok { workflow }) => score(
                i + 1,
                case,
                &Outcome::Ok {
                    workflow: workflow.normalized(),
                },
            ),
            Ok(outcome) => score(i + 1, case, &outcome),
            Err(e) => CaseResult {
                index: i + 1,
                text: case.text.clone(),
                expected: case.status,
                verdict: Verdict::Error,
                details: vec![e.to_string()],
                refused: Vec::new(),
            },
        };
        results.push(result);
    }
    Report {
        parser: name,
        summary: summarize(&results),
        cases: results,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blueprint::{Action, Trigger};

    fn case(yaml: &str) -> Case {
        serde_saphyr::from_str(yaml).expect("a case")
    }

    fn blueprint(trigger: &str, actions: &[(&str, &str, &str)]) -> Outcome {
        Outcome::Ok {
            workflow: Blueprint {
                name: "x".into(),
                entity: "CRM_DEAL".into(),
                trigger: Trigger {
                    kind: trigger.into(),
                    params: BTreeMap::new(),
                },
                conditions: Vec::new(),
                actions: actions
                    .iter()
                    .map(|(kind, field, value)| Action {
                        kind: (*kind).into(),
                        fields: [((*field).to_owned(), (*value).to_owned())].into(),
                    })
                    .collect(),
            },
        }
    }

    const WON: &str = "text: x\nstatus: ok\ntrigger: deal_won\nentity: CRM_DEAL\nactions:\n  - type: send_sms\n    to: \"{{CONTACT_PHONE}}\"\n";

    /// On a deal, update_deal and update_field build the same activity; on any other
    /// record they do not (update_deal would change a deal, not the invoice).
    #[test]
    fn two_kinds_that_build_the_same_activity_on_a_deal_are_one() {
        let c = case(
            "text: x\nstatus: ok\ntrigger: deal_won\nentity: CRM_DEAL\nactions:\n  - type: update_deal\n    field: \"PRIORITY\"\n",
        );
        let field = blueprint("deal_won", &[("update_field", "field", "PRIORITY")]);
        assert_eq!(score(1, &c, &field).verdict, Verdict::Exact);
        let Outcome::Ok {
            workflow: mut invoice,
        } = field
        else {
            unreachable!("blueprint() builds an Ok outcome")
        };
        invoice.entity = "CRM_INVOICE".into();
        let c = case(
            "text: x\nstatus: ok\ntrigger: deal_won\nentity: CRM_INVOICE\nactions:\n  - type: update_deal\n    field: \"PRIORITY\"\n",
        );
        let got = Outcome::Ok { workflow: invoice };
        assert_eq!(score(1, &c, &got).verdict, Verdict::SilentlyWrong);
    }

    #[test]
    fn an_exact_blueprint_checks_labelled_fields_only() {
        let c = case(WON);
        let right = blueprint("deal_won", &[("send_sms", "to", "{{CONTACT_PHONE}}")]);
        assert_eq!(score(1, &c, &right).verdict, Verdict::Exact);
        let wrong_person = blueprint("deal_won", &[("send_sms", "to", "{{ASSIGNED_BY_ID}}")]);
        assert_eq!(score(1, &c, &wrong_person).verdict, Verdict::SilentlyWrong);
        let extra = blueprint(
            "deal_won",
            &[
                ("send_sms", "to", "{{CONTACT_PHONE}}"),
                ("send_sms", "to", "{{CONTACT_PHONE}}"),
            ],
        );
        assert_eq!(score(1, &c, &extra).verdict, Verdict::SilentlyWrong);
        let wrong_trigger = blueprint("deal_lost", &[("send_sms", "to", "{{CONTACT_PHONE}}")]);
        assert_eq!(score(1, &c, &wrong_trigger).verdict, Verdict::SilentlyWrong);
    }

    /// A right reading the rules refuse whatever the config says (a tag on a deal: no
    /// activity sets one) is still exact, and counted as one that would not build; a
    /// named person, whom `[recipients]` may define, is not held against it.
    #[test]
    fn a_right_reading_the_rules_refuse_is_counted_apart() {
        let c = case(
            "text: x\nstatus: ok\ntrigger: deal_won\nentity: CRM_DEAL\nactions:\n  - type: add_tag\n    tag: \"vip\"\n",
        );
        let tagged = score(1, &c, &blueprint("deal_won", &[("add_tag", "tag", "vip")]));
        assert_eq!(tagged.verdict, Verdict::Exact);
        assert!(
            tagged.refused[0].contains("add_tag"),
            "{:?}",
            tagged.refused
        );
        let named = score(
            2,
            &case(WON),
            &blueprint("deal_won", &[("send_sms", "to", "{{CONTACT_PHONE}}")]),
        );
        assert!(named.refused.is_empty(), "{:?}", named.refused);
        let anna = blueprint("deal_won", &[("send_notification", "to", "Anna")]);
        let Outcome::Ok { workflow } = &anna else {
            unreachable!()
        };
        assert!(refusals(workflow).is_empty());
        assert_eq!(summarize(&[tagged, named]).unbuildable, 1);
    }

    #[test]
    fn a_title_may_gain_a_capital_and_nothing_else() {
        let text = "make a task to verify VAT number";
        assert!(same_value(
            "title",
            "verify VAT number",
            Some("Verify VAT number"),
            text
        ));
        assert!(!same_value(
            "title",
            "verify VAT number",
            Some("Verify vat number"),
            text
        ));
        assert!(!same_value("title", "x", None, text));
    }

    #[test]
    fn only_an_unquoted_message_may_gain_a_capital() {
        assert!(same_value(
            "message",
            "thanks for booking",
            Some("Thanks for booking"),
            "text them saying thanks for booking"
        ));
        for text in [
            "text them 'hi'",
            "text them \"hi\"",
            "text them \u{201c}hi\u{201d}",
        ] {
            assert!(!same_value("message", "hi", Some("Hi"), text), "{text}");
        }
        assert!(!same_value(
            "message",
            "thanks for booking",
            Some("Thanks for Booking"),
            "text them saying thanks for booking"
        ));
    }

    #[test]
    fn questions_are_safe_misses_or_right() {
        let c = case(WON);
        let asked = Outcome::NeedsClarification {
            questions: vec!["Which?".into()],
        };
        assert_eq!(score(1, &c, &asked).verdict, Verdict::OverAsked);
        let vague = case("text: do stuff\nstatus: needs_clarification\nasks: [event]\n");
        let r = score(1, &vague, &asked);
        assert_eq!(r.verdict, Verdict::Asked);
        assert_eq!(r.details[0], "no question mentions \"event\"");
        let answered = blueprint("deal_won", &[("send_sms", "to", "{{CONTACT_PHONE}}")]);
        assert_eq!(score(1, &vague, &answered).verdict, Verdict::SilentlyWrong);
    }

    #[test]
    fn the_summary_counts_each_verdict() {
        let c = case(WON);
        let vague = case("text: do stuff\nstatus: needs_clarification\n");
        let asked = Outcome::NeedsClarification {
            questions: vec!["Which?".into()],
        };
        let right = blueprint("deal_won", &[("send_sms", "to", "{{CONTACT_PHONE}}")]);
        let results = [
            score(1, &c, &right),
            score(2, &c, &asked),
            score(3, &vague, &asked),
            score(4, &vague, &right),
        ];
        let s = summarize(&results);
        assert_eq!((s.cases, s.right, s.exact, s.over_asked), (4, 2, 1, 1));
        assert_eq!((s.vague_cases, s.vague_asked, s.silently_wrong), (2, 1, 1));
        assert!((s.right_pct - 50.0).abs() < f64::EPSILON);
        assert!((s.vague_asked_pct - 50.0).abs() < f64::EPSILON);
    }

    #[test]
    fn a_label_without_a_trigger_is_an_error() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("c.yaml");
        std::fs::write(&path, "- text: x\n  status: ok\n  entity: CRM_DEAL\n").expect("written");
        assert!(matches!(load(&path), Err(Error::Label { index: 0, .. })));
        std::fs::write(&path, "- text: x\n  stauts: ok\n").expect("written");
        assert!(matches!(load(&path), Err(Error::Format { .. })));
        assert!(matches!(
            load(&dir.path().join("missing.yaml")),
            Err(Error::Read { .. })
        ));
    }

    #[test]
    fn a_label_naming_an_id_the_catalog_lacks_is_an_error_that_names_it() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("c.yaml");
        let entry = |trigger: &str, entity: &str, action: &str| {
            format!(
                "- text: ok one\n  status: needs_clarification\n- text: x\n  status: ok\n  trigger: {trigger}\n  entity: {entity}\n  actions:\n    - type: {action}\n"
            )
        };
        std::fs::write(&path, entry("deal_won", "CRM_DEAL", "send_email")).expect("written");
        assert!(load(&path).is_ok());
        for (bad, text) in [
            ("deal_wonn", entry("deal_wonn", "CRM_DEAL", "send_email")),
            ("CRM_DEEL", entry("deal_won", "CRM_DEEL", "send_email")),
            ("send_emial", entry("deal_won", "CRM_DEAL", "send_emial")),
        ] {
            std::fs::write(&path, text).expect("written");
            match load(&path) {
                Err(Error::Label { index, problem, .. }) => {
                    assert_eq!(index, 1);
                    assert!(problem.contains(bad), "{problem}");
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
