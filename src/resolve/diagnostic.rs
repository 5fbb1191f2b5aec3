//! The one diagnostic type for blueprints: what [`super::resolve`] reports, and the same
//! diagnostic placed in the file that holds the blueprint (a lockfile, or the spec it
//! was parsed from) for miette to render.
//!
//! Invariants: every code is a [`Code`], whose string names the stage that raises it
//! (`b24flow::rules::…` for the rules, `b24flow::lockfile::…` for lockfile checks); no
//! other stage invents codes for blueprint problems. A file's text is scanned for value
//! positions once, and only when there is a diagnostic to place in it.

use std::borrow::Cow;
use std::fmt;

use miette::{LabeledSpan, NamedSource, SourceCode};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Serialize, Serializer};

use super::yaml_path::Locations;

macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident => $stage:literal, $name:literal;)*) => {
        /// A stable diagnostic code. Its string (`b24flow::rules::unknown_recipient`)
        /// names the stage that raises it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Code {
            /// Every code, in declaration order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as rendered, e.g. `b24flow::rules::unknown_recipient`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => concat!("b24flow::", $stage, "::", $name),)*
                }
            }
        }
    };
}

codes! {
    /// The workflow has no name.
    EmptyName => "rules", "empty_name";
    /// The name is longer than 200 characters.
    LongName => "rules", "long_name";
    /// The entity is not in the catalog.
    UnknownEntity => "rules", "unknown_entity";
    /// The trigger is not in the catalog.
    UnknownTrigger => "rules", "unknown_trigger";
    /// The trigger exists, but no template can express it.
    UnsupportedTrigger => "rules", "unsupported_trigger";
    /// The trigger belongs to another entity.
    EntityMismatch => "rules", "entity_mismatch";
    /// A trigger parameter the trigger does not take.
    UnknownParam => "rules", "unknown_param";
    /// A required trigger parameter is missing.
    MissingParam => "rules", "missing_param";
    /// Not a stage id.
    BadStage => "rules", "bad_stage";
    /// Not a document field id.
    BadField => "rules", "bad_field";
    /// A `SOURCE_ID` condition on a name that is no source id: never true.
    BadSource => "rules", "bad_source";
    /// Not a condition operator.
    UnknownOperator => "rules", "unknown_operator";
    /// A condition without the value it compares with.
    MissingValue => "rules", "missing_value";
    /// The workflow has no actions.
    NoActions => "rules", "no_actions";
    /// More than 50 actions.
    TooManyActions => "rules", "too_many_actions";
    /// The action is not in the catalog.
    UnknownAction => "rules", "unknown_action";
    /// The action exists, but no activity can do it.
    UnsupportedAction => "rules", "unsupported_action";
    /// The action's activity is not offered on the workflow's entity.
    NotAvailable => "rules", "not_available";
    /// A required field is missing or empty.
    MissingField => "rules", "missing_field";
    /// A field the action does not have.
    UnknownField => "rules", "unknown_field";
    /// A field the activity cannot carry.
    UnsupportedField => "rules", "unsupported_field";
    /// A text longer than 10,000 characters.
    LongText => "rules", "long_text";
    /// A tag that is not one short line.
    BadTag => "rules", "bad_tag";
    /// Not a date or time.
    BadDatetime => "rules", "bad_datetime";
    /// Not a priority.
    BadPriority => "rules", "bad_priority";
    /// Not the HTTP method the activity sends.
    BadMethod => "rules", "bad_method";
    /// Not a whole number.
    BadInteger => "rules", "bad_integer";
    /// Not a first and a last name.
    BadName => "rules", "bad_name";
    /// A second `move_stage`.
    DuplicateMoveStage => "rules", "duplicate_move_stage";
    /// Not a URL, or one Bitrix24 will not call.
    BadUrl => "rules", "bad_url";
    /// A webhook URL that is not https.
    InsecureUrl => "rules", "insecure_url";
    /// A webhook URL pointing at an internal address.
    InternalUrl => "rules", "internal_url";
    /// A client-only action addressed to someone else.
    ClientRecipient => "rules", "client_recipient";
    /// A recipient that is not a person.
    BadRecipient => "rules", "bad_recipient";
    /// A recipient name missing from `[recipients]`.
    UnknownRecipient => "rules", "unknown_recipient";
    /// A `[recipients]` entry whose value is not a user or group code.
    BadRecipientCode => "rules", "bad_recipient_code";
    /// Several people where exactly one is needed.
    NotOnePerson => "rules", "not_one_person";
    /// `{{NAME}}` is not a smart variable.
    UnknownVariable => "rules", "unknown_variable";
    /// The entity cannot supply the smart variable.
    UnavailableVariable => "rules", "unavailable_variable";
    /// A `[portal]` invoice stage that is not a smart invoice stage id.
    BadInvoiceStage => "rules", "bad_invoice_stage";
    /// A `[channels]` value the activity cannot use.
    BadChannel => "rules", "bad_channel";
    /// A `move_stage` target in another pipeline than the record's.
    OtherPipeline => "rules", "other_pipeline";
    /// Warning: `move_stage` names a pipeline the record may not be in.
    PipelineUnknown => "rules", "pipeline_unknown";
    /// Warning: one workflow's action is expected to start another, which the portal
    /// does not do by default.
    NotChained => "rules", "not_chained";
    /// Warning: `move_stage` was moved last.
    MoveStageReordered => "rules", "move_stage_reordered";
    /// Warning: a field the activity ignores.
    FieldIgnored => "rules", "field_ignored";
    /// A name (stage, pipeline, user, department) the selected environment's snapshot
    /// does not have.
    UnknownName => "rules", "unknown_name";
    /// A name the selected environment's snapshot has more than once.
    AmbiguousName => "rules", "ambiguous_name";
    /// The lockfile's blueprint no longer matches its hash.
    HandEdited => "lockfile", "hand_edited";
}

impl Code {
    /// Decided by the project's config (`[recipients]`, `[policy]`), not by the reading
    /// of a spec: a model must not "fix" these by changing whom a message goes to.
    pub fn is_project_specific(self) -> bool {
        matches!(
            self,
            Code::UnknownRecipient
                | Code::BadRecipientCode
                | Code::InsecureUrl
                | Code::InternalUrl
                | Code::BadInvoiceStage
                | Code::BadChannel
                | Code::UnknownName
                | Code::AmbiguousName
        )
    }

    /// Whether the code is only ever a warning.
    pub fn is_warning(self) -> bool {
        matches!(
            self,
            Code::MoveStageReordered
                | Code::FieldIgnored
                | Code::PipelineUnknown
                | Code::NotChained
        )
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl JsonSchema for Code {
    fn schema_name() -> Cow<'static, str> {
        "Code".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let all: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        json_schema!({
            "description": "A stable diagnostic code; its middle part names the stage that raised it.",
            "type": "string",
            "enum": all,
        })
    }
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The blueprint cannot be used.
    Error,
    /// The blueprint is used, with this remark.
    Warning,
}

/// One thing wrong with a blueprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Diagnostic {
    /// Where in the blueprint: `trigger.type`, `actions[1].to`, `conditions[0].operator`.
    pub path: String,
    pub code: Code,
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `path`; a code that is only ever a warning makes a warning.
    pub fn new(path: impl Into<String>, code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            code,
            severity: if code.is_warning() {
                Severity::Warning
            } else {
                Severity::Error
            },
            message: message.into(),
            help: None,
        }
    }

    /// The same, with advice.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this is only a warning.
    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

/// Every diagnostic [`super::resolve`] found: errors first, then warnings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// The codes, in order.
    pub fn codes(&self) -> Vec<Code> {
        self.0.iter().map(|d| d.code).collect()
    }

    /// Places each diagnostic in a YAML file whose blueprint sits under `prefix`
    /// (`blueprint` in a lockfile). The text is scanned once.
    pub fn placed_in_yaml(&self, file: &str, text: &str, prefix: &str) -> Vec<Placed> {
        if self.0.is_empty() {
            return Vec::new();
        }
        let locations = Locations::scan(text);
        self.0
            .iter()
            .map(|d| Placed::in_yaml(d.clone(), file, text, &locations, prefix))
            .collect()
    }

    /// Places each diagnostic on a spec the blueprint was parsed from: the whole file,
    /// since the blueprint's paths have no place in free text.
    pub fn placed_in_spec(&self, file: &str, text: &str) -> Vec<Placed> {
        self.0
            .iter()
            .map(|d| Placed::in_spec(d.clone(), file, text))
            .collect()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// A diagnostic placed in a file: what miette renders, with the file and a label on the
/// offending value when it can be found.
#[derive(Debug)]
pub struct Placed {
    /// The diagnostic.
    pub diagnostic: Diagnostic,
    /// The file, relative to the project root.
    pub file: String,
    message: String,
    src: NamedSource<String>,
    span: Option<(usize, usize)>,
    label: &'static str,
}

impl Placed {
    /// Places `diagnostic` in a YAML file, using `locations` scanned from `text`.
    pub fn in_yaml(
        diagnostic: Diagnostic,
        file: &str,
        text: &str,
        locations: &Locations,
        prefix: &str,
    ) -> Self {
        let path = match (prefix.is_empty(), diagnostic.path.is_empty()) {
            (true, _) => diagnostic.path.clone(),
            (false, true) => prefix.to_owned(),
            (false, false) => format!("{prefix}.{}", diagnostic.path),
        };
        Placed {
            message: format!("{file}: {}", diagnostic.message),
            file: file.to_owned(),
            src: NamedSource::new(file, text.to_owned()).with_language("yaml"),
            span: locations.find(&path),
            label: "here",
            diagnostic,
        }
    }

    /// A diagnostic about the blueprint parsed from the spec `file`.
    pub fn in_spec(diagnostic: Diagnostic, file: &str, text: &str) -> Self {
        Placed {
            message: format!(
                "{file}: the parsed blueprint is invalid at {}: {}",
                diagnostic.path, diagnostic.message
            ),
            file: file.to_owned(),
            src: NamedSource::new(file, text.to_owned()),
            span: None,
            label: "in this spec",
            diagnostic,
        }
    }

    /// The byte span of the labelled value, when it was found.
    pub fn span(&self) -> Option<(usize, usize)> {
        self.span
    }
}

impl fmt::Display for Placed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Placed {}

impl miette::Diagnostic for Placed {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.diagnostic.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.span.map(|_| &self.src as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (offset, len) = self.span?;
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(self.label.to_owned()),
            offset,
            len,
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_point_at_the_value() {
        let text = "blueprint:\n  actions:\n  - type: webhook\n    url: http://x.example\n";
        let d = Diagnostics(vec![Diagnostic::new(
            "actions[0].url",
            Code::InsecureUrl,
            "no",
        )]);
        let placed = d.placed_in_yaml("w.lock.yaml", text, "blueprint");
        let (offset, len) = placed[0].span().unwrap();
        assert_eq!(&text[offset..offset + len], "http://x.example");
    }

    #[test]
    fn codes_name_their_stage_and_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(
                s.starts_with("b24flow::rules::") || s.starts_with("b24flow::lockfile::"),
                "{s}"
            );
            assert!(seen.insert(s), "{s} twice");
        }
    }
}
