//! The Bitrix24 REST client.
//!
//! Owns everything between b24flow and a portal's REST API: authentication (incoming
//! webhook, or OAuth with refresh-token rotation persisted to a 0600 credentials file),
//! the client-side leaky bucket that mirrors the portal's limiter, bounded retries with
//! backoff and jitter, the error envelope, `batch`, and typed
//! `bizproc.workflow.template.*` methods.
//!
//! Invariants: no token, webhook code or client secret ever appears in an error, a
//! `Debug` string, a log line or any file other than the credentials file (URLs go
//! through [`redact_url`], portal text through a [`Scrubber`]); a write is never
//! silently sent twice; no portal reply can make a call loop or read without bound
//! (retries are capped, lists stop at their `total` and at [`MAX_LIST_PAGES`]). Method
//! names are written once, in [`Method`].

mod auth;
mod batch;
mod client;
mod error;
mod instances;
mod method;
mod paged;
pub mod query;
mod rate;
mod redact;
mod template;

pub use auth::{AuthConfig, DEFAULT_TOKEN_URL, OAuthConfig};
pub use batch::{Batch, BatchReply, CommandError, MAX_COMMANDS};
pub use client::{Client, ClientOptions, Idempotency, Reply, RetryPolicy, Stats};
pub use error::Error;
pub use instances::{RunningInstance, terminate_params};
pub use method::Method;
pub use paged::{ListRead, Listed, SingleRead};
pub use redact::{MASK, MIN_SECRET_LEN, Scrubber, redact_str, redact_url, scrub};
pub use template::{
    ALL_FIELDS, ListQuery, LiveTemplate, MAX_LIST_PAGES, NewTemplate, Page, TemplateUpdate,
    parse_rows,
};
