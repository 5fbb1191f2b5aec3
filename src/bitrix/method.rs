//! [`Method`]: the REST methods b24flow calls, each name written once.
//!
//! The client, [`super::Batch`], the error help and the typed template calls all name a
//! method through this enum, so a typo cannot reach the wire. The built-in local portal
//! (`src/emulator`) keeps its own copy of the names on purpose: it stands for the
//! platform, and sharing the client's names would hide a misspelling on both sides.
//!
//! Names are those of the platform's REST service: `profile` and `batch` are
//! `CRestProvider` methods (rest/classes/general/rest_provider.php), the template methods
//! are registered by `Bitrix\Bizproc\RestService` (bizproc/lib/restservice.php); the
//! event, task, activity, calendar and messaging methods are the ones runner workflows
//! use (`src/runner`), named as in the REST docs (bitrix24/b24restdocs `api-reference`).

use std::fmt;

/// A REST method b24flow calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `profile`: who the credentials act as.
    Profile,
    /// `batch`: up to 50 commands in one request.
    Batch,
    /// `bizproc.workflow.template.add`.
    TemplateAdd,
    /// `bizproc.workflow.template.update`.
    TemplateUpdate,
    /// `bizproc.workflow.template.delete`.
    TemplateDelete,
    /// `bizproc.workflow.template.list`.
    TemplateList,
    /// `bizproc.workflow.instances`: running workflow instances (REST docs
    /// `api-reference/bizproc/bizproc-workflow-instances.md`).
    WorkflowInstances,
    /// `bizproc.workflow.terminate`: stops a running instance, keeping its data (REST
    /// docs `api-reference/bizproc/bizproc-workflow-terminate.md`).
    WorkflowTerminate,
    /// `crm.deal.userfield.add`, and the same for leads, contacts, companies and quotes:
    /// a user field on that record type (REST docs
    /// `api-reference/crm/universal/user-defined-fields/index.md`).
    DealUserFieldAdd,
    /// `crm.deal.userfield.list`.
    DealUserFieldList,
    /// `crm.lead.userfield.add`.
    LeadUserFieldAdd,
    /// `crm.lead.userfield.list`.
    LeadUserFieldList,
    /// `crm.contact.userfield.add`.
    ContactUserFieldAdd,
    /// `crm.contact.userfield.list`.
    ContactUserFieldList,
    /// `crm.company.userfield.add`.
    CompanyUserFieldAdd,
    /// `crm.company.userfield.list`.
    CompanyUserFieldList,
    /// `crm.quote.userfield.add`.
    QuoteUserFieldAdd,
    /// `crm.quote.userfield.list`.
    QuoteUserFieldList,
    /// `userfieldconfig.add`: a user field on a smart process type, smart invoices
    /// included (REST docs `userfieldconfig-add.md`).
    UserFieldConfigAdd,
    /// `userfieldconfig.list`.
    UserFieldConfigList,
    /// `event.bind` (runner workflows).
    EventBind,
    /// `event.get` (runner workflows).
    EventGet,
    /// `event.unbind` (runner workflows).
    EventUnbind,
    /// `event.offline.get` (runner workflows).
    EventOfflineGet,
    /// `event.offline.clear` (runner workflows).
    EventOfflineClear,
    /// `event.offline.error` (runner workflows).
    EventOfflineError,
    /// `tasks.task.get` (runner workflows).
    TaskGet,
    /// `tasks.task.list` (runner workflows).
    TaskList,
    /// `tasks.task.add` (runner workflows).
    TaskAdd,
    /// `tasks.task.update` (runner workflows).
    TaskUpdate,
    /// `crm.activity.get` (runner workflows).
    ActivityGet,
    /// `crm.activity.add` (runner workflows: an outgoing e-mail).
    ActivityAdd,
    /// `crm.activity.list` (runner workflows: finding an e-mail an earlier run sent).
    ActivityList,
    /// `crm.lead.get` (runner workflows: a client's e-mail address).
    LeadGet,
    /// `crm.deal.get` (runner workflows: a deal's contact and company).
    DealGet,
    /// `crm.contact.get` (runner workflows: a client's e-mail address).
    ContactGet,
    /// `crm.company.get` (runner workflows: a client's e-mail address).
    CompanyGet,
    /// `calendar.event.getbyid` (runner workflows).
    CalendarEventGetById,
    /// `im.notify.system.add` (runner workflows).
    NotifySystemAdd,
    /// `im.message.add` (runner workflows).
    MessageAdd,
    /// `crm.timeline.comment.add` (runner workflows).
    TimelineCommentAdd,
    /// `crm.status.list`: pipeline stages and other CRM directories (snapshots).
    StatusList,
    /// `crm.category.list`: the pipelines of an entity type (snapshots).
    CategoryList,
    /// `user.get`: employees (snapshots).
    UserGet,
    /// `department.get`: departments (snapshots).
    DepartmentGet,
    /// `crm.type.list`: smart-process types (snapshots).
    TypeList,
    /// `messageservice.sender.list`: the SMS providers the calling application
    /// registered (snapshots).
    SenderList,
    /// `imopenlines.config.list.get`: the Open Channel lines (snapshots).
    OpenLinesConfigList,
}

impl Method {
    /// Every method, in a fixed order.
    pub const ALL: [Method; 48] = [
        Method::Profile,
        Method::Batch,
        Method::TemplateAdd,
        Method::TemplateUpdate,
        Method::TemplateDelete,
        Method::TemplateList,
        Method::WorkflowInstances,
        Method::WorkflowTerminate,
        Method::DealUserFieldAdd,
        Method::DealUserFieldList,
        Method::LeadUserFieldAdd,
        Method::LeadUserFieldList,
        Method::ContactUserFieldAdd,
        Method::ContactUserFieldList,
        Method::CompanyUserFieldAdd,
        Method::CompanyUserFieldList,
        Method::QuoteUserFieldAdd,
        Method::QuoteUserFieldList,
        Method::UserFieldConfigAdd,
        Method::UserFieldConfigList,
        Method::EventBind,
        Method::EventGet,
        Method::EventUnbind,
        Method::EventOfflineGet,
        Method::EventOfflineClear,
        Method::EventOfflineError,
        Method::TaskGet,
        Method::TaskList,
        Method::TaskAdd,
        Method::TaskUpdate,
        Method::ActivityGet,
        Method::ActivityAdd,
        Method::ActivityList,
        Method::LeadGet,
        Method::DealGet,
        Method::ContactGet,
        Method::CompanyGet,
        Method::CalendarEventGetById,
        Method::NotifySystemAdd,
        Method::MessageAdd,
        Method::TimelineCommentAdd,
        Method::StatusList,
        Method::CategoryList,
        Method::UserGet,
        Method::DepartmentGet,
        Method::TypeList,
        Method::SenderList,
        Method::OpenLinesConfigList,
    ];

    /// The name as sent in the URL (and inside a batch command).
    pub const fn name(self) -> &'static str {
        match self {
            Method::Profile => "profile",
            Method::Batch => "batch",
            Method::TemplateAdd => "bizproc.workflow.template.add",
            Method::TemplateUpdate => "bizproc.workflow.template.update",
            Method::TemplateDelete => "bizproc.workflow.template.delete",
            Method::TemplateList => "bizproc.workflow.template.list",
            Method::WorkflowInstances => "bizproc.workflow.instances",
            Method::WorkflowTerminate => "bizproc.workflow.terminate",
            Method::DealUserFieldAdd => "crm.deal.userfield.add",
            Method::DealUserFieldList => "crm.deal.userfield.list",
            Method::LeadUserFieldAdd => "crm.lead.userfield.add",
            Method::LeadUserFieldList => "crm.lead.userfield.list",
            Method::ContactUserFieldAdd => "crm.contact.userfield.add",
            Method::ContactUserFieldList => "crm.contact.userfield.list",
            Method::CompanyUserFieldAdd => "crm.company.userfield.add",
            Method::CompanyUserFieldList => "crm.company.userfield.list",
            Method::QuoteUserFieldAdd => "crm.quote.userfield.add",
            Method::QuoteUserFieldList => "crm.quote.userfield.list",
            Method::UserFieldConfigAdd => "userfieldconfig.add",
            Method::UserFieldConfigList => "userfieldconfig.list",
            Method::EventBind => "event.bind",
            Method::EventGet => "event.get",
            Method::EventUnbind => "event.unbind",
            Method::EventOfflineGet => "event.offline.get",
            Method::EventOfflineClear => "event.offline.clear",
            Method::EventOfflineError => "event.offline.error",
            Method::TaskGet => "tasks.task.get",
            Method::TaskList => "tasks.task.list",
            Method::TaskAdd => "tasks.task.add",
            Method::TaskUpdate => "tasks.task.update",
            Method::ActivityGet => "crm.activity.get",
            Method::ActivityAdd => "crm.activity.add",
            Method::ActivityList => "crm.activity.list",
            Method::LeadGet => "crm.lead.get",
            Method::DealGet => "crm.deal.get",
            Method::ContactGet => "crm.contact.get",
            Method::CompanyGet => "crm.company.get",
            Method::CalendarEventGetById => "calendar.event.getbyid",
            Method::NotifySystemAdd => "im.notify.system.add",
            Method::MessageAdd => "im.message.add",
            Method::TimelineCommentAdd => "crm.timeline.comment.add",
            Method::StatusList => "crm.status.list",
            Method::CategoryList => "crm.category.list",
            Method::UserGet => "user.get",
            Method::DepartmentGet => "department.get",
            Method::TypeList => "crm.type.list",
            Method::SenderList => "messageservice.sender.list",
            Method::OpenLinesConfigList => "imopenlines.config.list.get",
        }
    }

    /// The method with this name; the platform matches names case-insensitively
    /// (`CRestServer` lower-cases the method before dispatch).
    pub fn from_name(name: &str) -> Option<Method> {
        Method::ALL
            .into_iter()
            .find(|m| m.name().eq_ignore_ascii_case(name))
    }

    /// Whether the method changes a template.
    pub const fn is_template_write(self) -> bool {
        matches!(
            self,
            Method::TemplateAdd | Method::TemplateUpdate | Method::TemplateDelete
        )
    }
}

impl serde::Serialize for Method {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_ignoring_case() {
        for m in Method::ALL {
            assert_eq!(Method::from_name(m.name()), Some(m));
            assert_eq!(Method::from_name(&m.name().to_uppercase()), Some(m));
        }
        assert_eq!(Method::from_name("crm.deal.list"), None);
        assert_eq!(Method::ALL.len(), {
            let mut names: Vec<_> = Method::ALL.iter().map(|m| m.name()).collect();
            names.sort_unstable();
            names.dedup();
            names.len()
        });
        assert!(Method::TemplateDelete.is_template_write());
        assert!(!Method::TemplateList.is_template_write());
    }
}
