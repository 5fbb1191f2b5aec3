//! Caveats: the limits the portal puts on one workflow, in words and in a fixed order
//! (unsupported triggers and actions, chaining that will not happen, several employees
//! where the activity reaches one, dates the portal reads in its own format). Each is
//! said once however many steps share it.

use crate::blueprint::{Action, Blueprint};
use crate::catalog::{self, Entity, TriggerMapping};

use super::text::{finish_sentence, offset_words};
use super::words::Words;
use super::{run_order, trigger_words};

// Every phrase is asked of the same `Words`, whether or not it needs the record's noun
// or the config today.
#[allow(clippy::unused_self)]
impl Words<'_> {
    /// The limits the portal puts on this workflow, in words, in a fixed order.
    pub(super) fn caveats(&self, b: &Blueprint) -> Vec<String> {
        let mut out = Vec::new();
        // A task, activity or calendar event is carried out by b24flow's event runner,
        // whose steps are REST calls, not template activities: the template caveats do
        // not apply, the runner's own do.
        if crate::runner::is_runner(b) {
            out.push(
                "no Bitrix24 template runs this: b24flow's event runner carries it out (`b24flow run` on a schedule, or `b24flow serve` with [runner] handler_url), so nothing happens while neither runs"
                    .to_owned(),
            );
            if let Err(e) = crate::runner::compile(b, self.config) {
                out.extend(e.0.into_iter().map(|d| d.message));
            }
            let mut said: Vec<String> = Vec::new();
            for c in out {
                let sentence = finish_sentence(&c);
                if !said.contains(&sentence) {
                    said.push(sentence);
                }
            }
            return said;
        }
        if let Some(t) = catalog::trigger(&b.trigger.kind) {
            if let TriggerMapping::Unsupported { reason, instead } = t.mapping {
                out.push(format!(
                    "this trigger cannot be built as a Bitrix24 template: {reason}. Instead, {instead}"
                ));
            }
        } else {
            out.push(format!(
                "`{}` is not a trigger b24flow knows",
                b.trigger.kind
            ));
        }
        if let Some(caveat) = trigger_words(&b.trigger.kind).and_then(|w| w.caveat) {
            out.push(caveat.to_owned());
        }
        for i in run_order(&b.actions) {
            self.action_caveats(&b.actions[i], &mut out);
        }
        let moves = b.actions.iter().filter(|a| a.kind == "move_stage").count();
        if moves > 0 && b.actions.len() > moves {
            out.push(format!(
                "moving the {} to another stage ends the workflow, so that step runs last",
                self.noun
            ));
        }
        if b.actions
            .iter()
            .any(|a| CHAINING_ACTIONS.contains(&a.kind.as_str()))
        {
            // crm CrmStarter::runOnInnerDocument: Option::get('crm', 'start_bp_within_bp',
            // 'N') (platform-fidelity-2026-12.md, F3).
            out.push(
                "records this workflow creates or changes do not start other workflows: Bitrix24 skips templates for changes made by a workflow unless the portal's option start_bp_within_bp is on"
                    .to_owned(),
            );
        }
        // Two steps of one kind share their caveat: say it once, where it first applies.
        let mut said = Vec::new();
        for caveat in out {
            let sentence = finish_sentence(&caveat);
            if !said.contains(&sentence) {
                said.push(sentence);
            }
        }
        said
    }

    fn action_caveats(&self, a: &Action, out: &mut Vec<String>) {
        match a.kind.as_str() {
            // imopenlines ImOpenLinesMessageActivity writes into the chat bound to the
            // record; there is none until the client has written in.
            "send_whatsapp" => out.push(
                "the WhatsApp message goes to the client's Open Channel chat, so it reaches only clients who have written to the company through an Open Channel (WhatsApp or another connector) first"
                    .to_owned(),
            ),
            "send_email" if a.field("template_id").is_some() => out.push(
                "the e-mail template (template_id) is refused: Bitrix24's e-mail step has no e-mail template setting"
                    .to_owned(),
            ),
            "send_sms" => {
                if self.config.channels.sms_provider.trim().is_empty() {
                    out.push(
                        "[channels] sms_provider is empty, and Bitrix24 refuses a template whose SMS step has no provider"
                            .to_owned(),
                    );
                }
                // crm CrmSendSmsActivity: CBPHelper::ExtractUsers($user, …, true) keeps
                // the first user only (platform-fidelity-2026-12.md, F8).
                let to = a.field("to").unwrap_or_default();
                if self.several_employees(to) {
                    out.push(
                        "an SMS to several employees reaches only the first of them: Bitrix24's SMS step takes one person"
                            .to_owned(),
                    );
                }
            }
            // crm CrmCreateCallActivity::getBindings splits the document id on `_`, which
            // breaks SMART_INVOICE_<id> (platform-fidelity-2026-12.md, F5).
            "schedule_call" if self.entity == Some(Entity::Invoice) => out.push(
                "on invoices Bitrix24's call step cannot link the call to the invoice, so the call is most likely not created"
                    .to_owned(),
            ),
            "update_task" => out.push(
                "the update_task step cannot be built: Bitrix24 has no step that changes an arbitrary task from a CRM workflow"
                    .to_owned(),
            ),
            "add_tag" | "remove_tag" => out.push(format!(
                "the {} step cannot be built: Bitrix24 has no step for tags on CRM records; keep the label in a custom field with update_field",
                a.kind
            )),
            "update_field" | "update_deal" => {
                let field = a.field("field").unwrap_or_default();
                if field.starts_with("UF_") {
                    out.push(format!(
                        "the custom field {field} must already exist on the portal, or the step does nothing"
                    ));
                }
            }
            "webhook" => {
                out.push(format!(
                    "Bitrix24 sends only the {}'s id to {}",
                    self.noun,
                    a.field("url").unwrap_or_default()
                ));
                if a.field("method").is_some_and(|m| m.eq_ignore_ascii_case("GET")) {
                    out.push(
                        "method GET is refused: Bitrix24's webhook step always posts"
                            .to_owned(),
                    );
                }
                if let Some(m) = a.field("message") {
                    out.push(format!(
                        "the note {} is not sent: Bitrix24's webhook step sends the id only",
                        self.quote(m)
                    ));
                }
            }
            _ => {}
        }
        for name in ["deadline", "datetime"] {
            if let Some(v) = a.field(name)
                && offset_words(v).is_none()
                && !v.contains("{{")
            {
                // Task2Activity and CrmCreateToDoActivity read dates in the site's
                // format (platform-fidelity-2026-12.md, F6).
                out.push(format!(
                    "the fixed date {v} may be misread: Bitrix24 reads dates in the portal's own format, so prefer an offset such as +3d"
                ));
            }
        }
    }

    fn several_employees(&self, value: &str) -> bool {
        let items: Vec<&str> = value
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let codes: Vec<String> = items
            .iter()
            .flat_map(|item| match self.config.recipient(item) {
                Some(codes) => codes.split(',').map(|c| c.trim().to_owned()).collect(),
                None => vec![(*item).to_owned()],
            })
            .collect();
        codes.len() > 1 || codes.iter().any(|c| c.starts_with("group_"))
    }
}

/// Actions whose changes to records would, if chaining were on, start other workflows.
pub(super) const CHAINING_ACTIONS: &[&str] = &[
    "create_deal",
    "create_contact",
    "create_company",
    "create_invoice",
    "create_quote",
    "move_stage",
    "update_field",
    "update_deal",
    "assign_responsible",
];
