//! Actions: each exists, can become an activity, is offered on the workflow's entity,
//! has its required fields and no others, and each value has its kind's shape. Resolved,
//! each becomes a [`Step`] whose values are in the platform's form.

use crate::blueprint::{Action, Blueprint};
use crate::catalog::{self, ActionInfo, ActionKind, ActionMapping, Entity, FieldKind};

use super::super::{
    Code, Diagnostic,
    model::{Audience, Numbered, Step},
};
use super::values::{field_id, priority};
use super::{Resolver, suggest};

impl Resolver<'_> {
    /// Checks the actions; returns each one's catalog entry when every action exists.
    pub(in crate::resolve) fn check_actions(
        &mut self,
        actions: &[Action],
        entity: Option<Entity>,
    ) -> Option<Vec<&'static ActionInfo>> {
        if actions.is_empty() {
            self.error(
                Diagnostic::new("actions", Code::NoActions, "the workflow does nothing")
                    .help("add at least one action, e.g. \"send a WhatsApp to the client\""),
            );
        } else if actions.len() > 50 {
            self.error(Diagnostic::new(
                "actions",
                Code::TooManyActions,
                "a workflow may have at most 50 actions",
            ));
        }
        let mut infos = Vec::new();
        let mut stage_moves = 0;
        for (i, action) in actions.iter().enumerate() {
            let info = self.check_action(i, action, entity);
            if let Some(info) = info
                && info.kind == ActionKind::MoveStage
            {
                stage_moves += 1;
                if stage_moves == 2 {
                    self.error(
                        Diagnostic::new(
                            format!("actions[{i}]"),
                            Code::DuplicateMoveStage,
                            "a second move_stage would never run",
                        )
                        .help("the first stage change ends the workflow; keep one move_stage"),
                    );
                }
            }
            infos.push(info);
        }
        infos.into_iter().collect()
    }

    fn check_action(
        &mut self,
        i: usize,
        action: &Action,
        entity: Option<Entity>,
    ) -> Option<&'static ActionInfo> {
        let base = format!("actions[{i}]");
        let Some(info) = catalog::action(&action.kind) else {
            let ids: Vec<&str> = catalog::ACTIONS.iter().map(|a| a.id).collect();
            self.error(
                Diagnostic::new(
                    format!("{base}.type"),
                    Code::UnknownAction,
                    format!("unknown action `{}`", action.kind),
                )
                .help(suggest(&action.kind, &ids)),
            );
            return None;
        };
        match info.mapping {
            ActionMapping::Unsupported { reason, instead } => self.error(
                Diagnostic::new(
                    format!("{base}.type"),
                    Code::UnsupportedAction,
                    format!("`{}` cannot become a Bitrix24 activity: {reason}", info.id),
                )
                .help(instead),
            ),
            ActionMapping::Activity {
                activity,
                available_on,
            } => {
                if let Some(entity) = entity
                    && !available_on.contains(&entity)
                {
                    let labels: Vec<&str> = available_on.iter().map(|e| e.info().label).collect();
                    let offers = if catalog::not_offered(info.kind, entity).is_some() {
                        "b24flow uses"
                    } else {
                        "Bitrix24 offers"
                    };
                    let mut help = format!("{offers} {activity} only on {}", labels.join(", "));
                    if info.kind == ActionKind::UpdateDeal {
                        help =
                            "update_deal changes the deal the workflow runs on; use update_field"
                                .into();
                    }
                    let mut message = format!(
                        "`{}` ({activity}) is not available on a {}",
                        info.id,
                        entity.info().label
                    );
                    if let Some(why) = catalog::not_offered(info.kind, entity) {
                        message = format!("{message}: {why}");
                    }
                    self.error(
                        Diagnostic::new(format!("{base}.type"), Code::NotAvailable, message)
                            .help(help),
                    );
                }
                self.check_channels(&base, info.kind);
            }
        }
        for spec in info.fields.iter().filter(|f| f.required) {
            if action.field(spec.name).is_none_or(|v| v.trim().is_empty()) {
                self.error(
                    Diagnostic::new(
                        base.clone(),
                        Code::MissingField,
                        format!("`{}` needs `{}` ({})", info.id, spec.name, spec.description),
                    )
                    .help(format!("say it in the spec, e.g. the {} to use", spec.name)),
                );
            }
        }
        for (name, value) in &action.fields {
            let path = format!("{base}.{name}");
            let Some(spec) = info.field(name) else {
                let names: Vec<&str> = info.fields.iter().map(|f| f.name).collect();
                self.error(
                    Diagnostic::new(
                        &path,
                        Code::UnknownField,
                        format!("`{}` has no field `{name}`", info.id),
                    )
                    .help(format!("its fields are: {}", names.join(", "))),
                );
                continue;
            };
            match spec.kind {
                FieldKind::Url => {
                    self.url(&path, value);
                }
                FieldKind::Recipient => self.check_recipient(&path, info.kind, value),
                kind => self.check_value(&path, kind, value),
            }
            self.check_variables(&path, value, entity);
        }
        Some(info)
    }

    /// The `[channels]` values an action of `kind` uses.
    fn check_channels(&mut self, base: &str, kind: ActionKind) {
        let channels = &self.config.channels;
        let problem = match kind {
            // crm CrmSendSmsActivity::ValidateProperties refuses an empty ProviderId
            // (CRM_SSMSA_EMPTY_PROVIDER); the import checker then rejects the template.
            ActionKind::SendSms if channels.sms_provider.trim().is_empty() => Some((
                "[channels] sms_provider is empty: Bitrix24 rejects a template whose SMS has no provider".to_owned(),
                "set it to \":default:\" (the portal's default sender) or a provider id, e.g. \"sender@provider\"",
            )),
            // The sender and the comment author go through CBPHelper::ExtractUsers, which
            // finds no one for anything but a user code here.
            ActionKind::SendNotification | ActionKind::SendBitrixMessage | ActionKind::AddComment
                if !is_user_id(&channels.notify_from) =>
            {
                Some((
                    format!(
                        "[channels] notify_from = \"{}\" is not a user code",
                        channels.notify_from
                    ),
                    "write user_<id> of an active employee, e.g. notify_from = \"user_1\"",
                ))
            }
            _ => None,
        };
        if let Some((message, help)) = problem {
            self.error(
                Diagnostic::new(format!("{base}.type"), Code::BadChannel, message).help(help),
            );
        }
    }

    /// The steps of checked actions, in the order they run: `move_stage` last, since
    /// `CrmChangeStatusActivity` ends the workflow once the stage changes.
    pub(in crate::resolve) fn steps(
        &mut self,
        actions: &[Action],
        infos: &[&'static ActionInfo],
    ) -> Vec<Numbered> {
        let mut steps = Vec::new();
        let mut last = Vec::new();
        for (index, (action, info)) in actions.iter().zip(infos).enumerate() {
            let path = format!("actions[{index}]");
            let Some(step) = self.step(&path, info.kind, action) else {
                continue;
            };
            if info.kind == ActionKind::MoveStage {
                if index + 1 < actions.len() {
                    self.warn(
                        Diagnostic::new(&path, Code::MoveStageReordered, "move_stage was moved after the other actions")
                            .help("CrmChangeStatusActivity ends the workflow once the stage changes, so actions after it would never run; write move_stage last to silence this"),
                    );
                }
                last.push(Numbered { index, step });
            } else {
                steps.push(Numbered { index, step });
            }
        }
        steps.extend(last);
        steps
    }

    #[allow(clippy::too_many_lines)] // one arm per action kind
    fn step(&mut self, path: &str, kind: ActionKind, action: &Action) -> Option<Step> {
        let f = |name: &str| action.field(name).unwrap_or_default();
        let at = |name: &str| format!("{path}.{name}");
        let step = match kind {
            ActionKind::SendWhatsapp => Step::SendWhatsapp {
                message: self.text(&at("message"), f("message"))?,
            },
            ActionKind::SendEmail => {
                if let Some(t) = action.field("template_id") {
                    self.error(
                        Diagnostic::new(
                            at("template_id"),
                            Code::UnsupportedField,
                            format!("template_id `{t}` cannot be sent"),
                        )
                        .help("CrmSendEmailActivity has no e-mail template property; write the text in `body`"),
                    );
                    return None;
                }
                Step::SendEmail {
                    subject: self.text(&at("subject"), f("subject"))?,
                    body: self.text(&at("body"), f("body"))?,
                }
            }
            ActionKind::SendSms => {
                let to = self.audience(&at("to"), f("to"))?;
                // crm CrmSendSmsActivity sends one message per run, to the first user
                // only (getUserPhoneNumber: CBPHelper::ExtractUsers(..., true)), so
                // lowering emits one activity per person; a group cannot be split at
                // build time.
                if let Audience::Users(users) = &to
                    && let Some(group) = users.iter().find(|u| u.starts_with("group_"))
                {
                    self.error(
                        Diagnostic::new(
                            at("to"),
                            Code::NotOnePerson,
                            format!("an SMS to `{group}` would reach only its first member"),
                        )
                        .help("Bitrix24's SMS activity texts one employee; list the people (user_<id>, ...)"),
                    );
                    return None;
                }
                Step::SendSms {
                    to,
                    message: self.text(&at("message"), f("message"))?,
                }
            }
            ActionKind::SendNotification => Step::SendNotification {
                to: self.users(&at("to"), f("to"))?,
                message: self.text(&at("message"), f("message"))?,
            },
            ActionKind::SendBitrixMessage => Step::SendBitrixMessage {
                to: self.users(&at("to"), f("to"))?,
                message: self.text(&at("message"), f("message"))?,
            },
            ActionKind::CreateTask => {
                let title = self.text(&at("title"), f("title"))?;
                let assignee = self.users(&at("assignee"), f("assignee"))?;
                let description = match action.field("description") {
                    Some(d) => Some(self.text(&at("description"), d)?),
                    None => None,
                };
                let deadline = match action.field("deadline") {
                    Some(d) => Some(self.datetime(&at("deadline"), d)?),
                    None => None,
                };
                Step::CreateTask {
                    title,
                    assignee,
                    description,
                    deadline,
                    priority: action.field("priority").map(priority),
                }
            }
            ActionKind::SetReminder => {
                let title = self.text(&at("title"), f("title"))?;
                let assignee = self.users(&at("assignee"), f("assignee"))?;
                let deadline = match action.field("datetime") {
                    Some(d) => self.datetime(&at("datetime"), d)?,
                    None => String::new(),
                };
                Step::SetReminder {
                    title,
                    assignee,
                    deadline,
                }
            }
            ActionKind::ScheduleCall => {
                let assignee = self.users(&at("assignee"), f("assignee"))?;
                let start = match action.field("datetime") {
                    Some(d) => self.datetime(&at("datetime"), d)?,
                    None => String::new(),
                };
                Step::ScheduleCall { assignee, start }
            }
            ActionKind::CreateDeal => {
                let title = self.text(&at("title"), f("title"))?;
                let assignee = match action.field("assignee") {
                    Some(a) => Some(self.one_user(&at("assignee"), a)?),
                    None => None,
                };
                Step::CreateDeal {
                    title,
                    assignee,
                    stage: action.field("stage").map(str::to_owned),
                }
            }
            ActionKind::CreateContact => {
                let title = self.text(&at("title"), f("title"))?;
                // CreateCrmContactDocumentActivity refuses a contact without both NAME
                // and LAST_NAME (its ValidateProperties).
                let Some((first, last)) = title.trim().rsplit_once(char::is_whitespace) else {
                    self.error(
                        Diagnostic::new(
                            at("title"),
                            Code::BadName,
                            format!("`{title}` is not a first and a last name"),
                        )
                        .help("Bitrix24 requires both names for a new contact, e.g. \"Jane Doe\""),
                    );
                    return None;
                };
                Step::CreateContact {
                    first_name: first.trim().to_owned(),
                    last_name: last.trim().to_owned(),
                }
            }
            ActionKind::CreateCompany => Step::CreateCompany {
                title: self.text(&at("title"), f("title"))?,
            },
            ActionKind::CreateInvoice | ActionKind::CreateQuote => {
                let title = self.text(&at("title"), f("title"))?;
                let assignee = match action.field("assignee") {
                    Some(a) => Some(self.one_user(&at("assignee"), a)?),
                    None => None,
                };
                if kind == ActionKind::CreateInvoice {
                    Step::CreateInvoice { title, assignee }
                } else {
                    Step::CreateQuote { title, assignee }
                }
            }
            ActionKind::UpdateDeal | ActionKind::UpdateField => {
                let field = field_id(f("field"));
                let value = self.text(&at("value"), f("value"))?;
                if kind == ActionKind::UpdateDeal {
                    Step::UpdateDeal { field, value }
                } else {
                    Step::UpdateField { field, value }
                }
            }
            ActionKind::AssignResponsible => Step::AssignResponsible {
                assignee: self.users(&at("assignee"), f("assignee"))?,
            },
            ActionKind::MoveStage => Step::MoveStage {
                stage: f("stage").to_owned(),
            },
            ActionKind::AddComment => Step::AddComment {
                message: self.text(&at("message"), f("message"))?,
            },
            ActionKind::Webhook => {
                let url = self.url(&at("url"), f("url"))?;
                if action.field("message").is_some() {
                    self.warn(
                        Diagnostic::new(
                            at("message"),
                            Code::FieldIgnored,
                            "`message` is not sent: WebHookActivity posts only the document id",
                        )
                        .help("remove the field from the spec, or use another action"),
                    );
                }
                Step::Webhook { url }
            }
            // Refused by `check_action`, which reports why.
            ActionKind::UpdateTask | ActionKind::AddTag | ActionKind::RemoveTag => return None,
        };
        Some(step)
    }
}

/// `user_<id>`: one employee.
fn is_user_id(s: &str) -> bool {
    s.strip_prefix("user_")
        .is_some_and(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
}

/// The deal pipeline (category) a stage id belongs to: `C<n>:` is pipeline n, no prefix
/// is the general pipeline 0 (crm `DealCategory::prepareStageID`).
fn pipeline_of(stage: &str) -> u32 {
    stage
        .split_once(':')
        .and_then(|(prefix, _)| prefix.strip_prefix('C'))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

impl Resolver<'_> {
    /// `move_stage` on a deal: `CrmChangeStatusActivity` accepts only a stage of the
    /// deal's own pipeline (`DealCategory::getStageList(<the deal's CATEGORY_ID>)`; else a
    /// tracking error and nothing changes: crm `crmchangestatusactivity.php`, both the
    /// @25d1a13 copy and the newest), and `SetFieldActivity` cannot change the pipeline
    /// either (`CCrmDocumentDeal::UpdateDocument` refuses a CATEGORY_ID change). When the
    /// trigger's stage or a `CATEGORY_ID =` condition shows the record's pipeline, a
    /// target in another is an error; when nothing shows it, a target outside the
    /// general pipeline gets a warning.
    pub(in crate::resolve) fn check_pipeline(&mut self, bp: &Blueprint, steps: &[Numbered]) {
        if self.entity != Entity::Deal {
            return;
        }
        let from_stage = bp.trigger.param("stage").map(pipeline_of);
        let from_condition = bp.conditions.iter().find_map(|c| {
            (field_id(&c.field) == "CATEGORY_ID" && c.operator == "=")
                .then(|| c.value.trim().parse::<u32>().ok())
                .flatten()
        });
        let known = from_stage.or(from_condition);
        for n in steps {
            let Step::MoveStage { stage } = &n.step else {
                continue;
            };
            let target = pipeline_of(stage);
            let path = format!("actions[{}].stage", n.index);
            match known {
                Some(record) if record != target => self.error(
                    Diagnostic::new(
                        &path,
                        Code::OtherPipeline,
                        format!(
                            "`{stage}` is a stage of pipeline {target}, but the deal is in pipeline {record}: Bitrix24 moves a deal only within its own pipeline"
                        ),
                    )
                    .help(format!(
                        "pick a stage of pipeline {record} ({}), or move the deal between pipelines in the portal",
                        if record == 0 {
                            "no C<n>: prefix".to_owned()
                        } else {
                            format!("C{record}:...")
                        }
                    )),
                ),
                None if target != 0 => self.warn(
                    Diagnostic::new(
                        &path,
                        Code::PipelineUnknown,
                        format!(
                            "`{stage}` is a stage of pipeline {target}: only deals already in that pipeline are moved (others get an error in the workflow log)"
                        ),
                    )
                    .help(format!(
                        "add the condition \"CATEGORY_ID = {target}\", or trigger on a stage of that pipeline"
                    )),
                ),
                _ => {}
            }
        }
    }
}
