//! Business process templates: the Bitrix24 side of a workflow.
//!
//! - [`php`]: PHP `serialize()`/`unserialize()` for the values templates hold.
//! - [`bpt`]: the `.bpt` container (zlib around a serialized array) and its JSON view,
//!   which is also what `bizproc.workflow.template.list` returns.
//! - [`template`]: the activity tree with the REST fields around it; a listed tree reads
//!   back into the same [`Activity`].
//! - [`lower`]: a resolved blueprint ([`crate::resolve::Resolved`]) to template; cannot fail.
//!
//! Data flows one way: a resolved blueprint lowers to a template, a template encodes to `.bpt`
//! bytes. Decoding exists so the emulator and plan can read what a portal holds.

pub mod bpt;
pub mod decompile;
pub mod lower;
pub mod php;
pub mod template;

pub use lower::lower;
pub use template::{Activity, Template};
