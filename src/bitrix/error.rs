//! `bitrix::Error`: everything a REST call can fail with.
//!
//! Invariant: no variant carries a token, a webhook code or a client secret. URLs are
//! stored already redacted, and transport errors from reqwest are stripped of their URL
//! before they are kept.

use std::path::PathBuf;

use miette::Diagnostic;

/// A failed call to a Bitrix24 portal, or a client that could not be set up.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum Error {
    /// The portal answered with an error envelope (`{"error": …, "error_description": …}`).
    #[error("{method}: Bitrix24 returned {code} (HTTP {status}): {description}")]
    #[diagnostic(code(b24flow::bitrix::api))]
    Api {
        /// The REST method called.
        method: String,
        /// The portal's error code, e.g. `ACCESS_DENIED`.
        code: String,
        /// The portal's `error_description`.
        description: String,
        /// The HTTP status of the reply.
        status: u16,
        /// What the user can do about it.
        #[help]
        help: Option<String>,
    },

    /// The request never produced a usable HTTP reply (refused, reset, timed out).
    #[error("{method}: no reply from {portal}: {detail}")]
    #[diagnostic(
        code(b24flow::bitrix::transport),
        help("check that the portal URL is right and reachable, then try again")
    )]
    Transport {
        /// The REST method called.
        method: String,
        /// The portal, redacted.
        portal: String,
        /// What went wrong, without any URL.
        detail: String,
        /// Whether the request may have reached the portal (so a write may have happened).
        maybe_delivered: bool,
    },

    /// The portal replied, but not with a Bitrix24 envelope.
    #[error(
        "{method}: the portal's reply (HTTP {status}) is not a valid Bitrix24 response: {detail}"
    )]
    #[diagnostic(
        code(b24flow::bitrix::malformed),
        help(
            "the URL may point at something that is not a Bitrix24 portal, or a proxy changed the reply"
        )
    )]
    Malformed {
        /// The REST method called.
        method: String,
        /// The HTTP status of the reply.
        status: u16,
        /// What was wrong with it.
        detail: String,
    },

    /// Retries ran out; `last` is the final failure.
    #[error("{method}: gave up after {attempts} attempts")]
    #[diagnostic(
        code(b24flow::bitrix::retries_exhausted),
        help("the portal kept failing or throttling; wait a little and run the command again")
    )]
    RetriesExhausted {
        /// The REST method called.
        method: String,
        /// How many requests were sent.
        attempts: u32,
        /// The last failure.
        #[source]
        last: Box<Error>,
    },

    /// A write whose outcome is unknown: the request went out but no answer came back.
    #[error("{method}: the portal did not answer, so it is unknown whether the change was made")]
    #[diagnostic(
        code(b24flow::bitrix::indeterminate),
        help("run `b24flow plan` again: it reads the portal and shows what is still to do")
    )]
    Indeterminate {
        /// The REST method called.
        method: String,
        /// Why the outcome is unknown.
        #[source]
        cause: Box<Error>,
    },

    /// The method is blocked by the operating-time limit for longer than we may wait.
    #[error("{method}: blocked by the portal's operating-time limit for {wait_secs} s more")]
    #[diagnostic(
        code(b24flow::bitrix::operation_time_limit),
        help(
            "Bitrix24 limits the processing time each method may use per 10 minutes; try again later"
        )
    )]
    OperationTimeLimit {
        /// The REST method called.
        method: String,
        /// Seconds until the limit resets.
        wait_secs: u64,
    },

    /// Refreshing the OAuth access token failed.
    #[error("cannot refresh the OAuth token: {code}: {description}")]
    #[diagnostic(code(b24flow::bitrix::refresh), help("{help}"))]
    Refresh {
        /// The OAuth server's error code, or a short reason.
        code: String,
        /// Its description.
        description: String,
        /// What to do.
        help: String,
    },

    /// The portal settings are unusable.
    #[error("{message}")]
    #[diagnostic(code(b24flow::bitrix::config), help("{help}"))]
    Config {
        /// What is wrong.
        message: String,
        /// What to do.
        help: String,
    },

    /// The credentials file could not be read or written.
    #[error("cannot {action} the credentials file {}", path.display())]
    #[diagnostic(
        code(b24flow::bitrix::credentials),
        help("the file holds the rotated OAuth tokens; check its permissions (it must be 0600)")
    )]
    Credentials {
        /// `read` or `write`.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },

    /// A request that the client refuses to send.
    #[error("{method}: {message}")]
    #[diagnostic(code(b24flow::bitrix::invalid_request))]
    InvalidRequest {
        /// The REST method.
        method: String,
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// The portal's error code, when the portal sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            Error::Api { code, .. } => Some(code),
            Error::RetriesExhausted { last, .. } => last.code(),
            Error::Indeterminate { cause, .. } => cause.code(),
            _ => None,
        }
    }

    /// The REST method the error is about, if any.
    pub fn method(&self) -> Option<&str> {
        match self {
            Error::Api { method, .. }
            | Error::Transport { method, .. }
            | Error::Malformed { method, .. }
            | Error::RetriesExhausted { method, .. }
            | Error::Indeterminate { method, .. }
            | Error::OperationTimeLimit { method, .. }
            | Error::InvalidRequest { method, .. } => Some(method),
            _ => None,
        }
    }
}

/// The help line for a non-retryable portal error code, saying what to do.
pub(crate) fn help_for(
    method: &str,
    code: &str,
    description: &str,
    webhook: bool,
) -> Option<String> {
    let write = super::Method::from_name(method).is_some_and(super::Method::is_template_write);
    let text = match code {
        "ACCESS_DENIED" if description.contains("Application context") || (write && webhook) => {
            "Bitrix24 accepts template writes only from an OAuth application; a webhook can plan \
             but not apply. Install a local application (server-side, no UI) with the `bizproc` \
             scope and set B24FLOW_PORTAL_URL, B24FLOW_CLIENT_ID, B24FLOW_CLIENT_SECRET and \
             B24FLOW_REFRESH_TOKEN"
        }
        "ACCESS_DENIED" => {
            "only a portal administrator may manage business process templates; use a webhook \
             or application installed by an administrator"
        }
        "NO_AUTH_FOUND" | "invalid_token" => {
            "the portal did not accept the credentials; check the webhook URL (B24FLOW_WEBHOOK_URL) \
             or the access token"
        }
        "expired_token" => {
            "the access token expired and could not be refreshed; set B24FLOW_CLIENT_ID, \
             B24FLOW_CLIENT_SECRET and B24FLOW_REFRESH_TOKEN so b24flow can refresh it"
        }
        "insufficient_scope" => {
            "the webhook or application lacks the `bizproc` scope; add it in the portal's \
             developer resources"
        }
        _ if description.contains("ONLY templates created by current application") => {
            "Bitrix24 lets only the application that created a template change or delete it"
        }
        "ERROR_TEMPLATE_NOT_OWNER" => {
            "Bitrix24 lets only the application that created a template change or delete it"
        }
        "ERROR_TEMPLATE_NOT_FOUND" => "the template is gone; run `b24flow plan` again",
        "ERROR_TEMPLATE_VALIDATION_FAILURE" => {
            "the portal rejected the template; run `b24flow validate` and check the lockfile"
        }
        "ERROR_METHOD_NOT_FOUND" => {
            "the portal does not offer this method; is the business process module enabled?"
        }
        "INVALID_REQUEST" => "Bitrix24 requires HTTPS; use an https:// portal URL",
        "ERROR_BATCH_LENGTH_EXCEEDED" => "a batch may hold at most 50 commands",
        _ => return None,
    };
    Some(text.to_owned())
}
