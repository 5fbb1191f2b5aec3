//! Library operations: what a command or an HTTP endpoint does, returning typed
//! reports (`Serialize` + `JsonSchema`) that the front-ends only render.

pub mod validate;
