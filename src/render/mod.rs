//! Views: data turned into text for people. Nothing here decides anything.
//!
//! | view | renders |
//! |---|---|
//! | [`plan_text`] | a [`crate::plan::Plan`] as a coloured diff, as `plan` and `apply` print it |
//! | [`plan_markdown`] | a plan for reviewers (pull-request comment, `$GITHUB_STEP_SUMMARY`), and the drift issue |
//! | [`test_markdown`] | `b24flow test`'s report as a section of that plan |
//! | [`tree`] | an activity tree, as `show` prints it and as the plan's outline of a new template |
//! | [`style`] | the one colour palette, shared with the CLI's `Printer` |
//! | [`escape`] | control characters and Markdown in text from a portal or a file, made inert |
//!
//! Invariants: views are pure functions of their input (the same data, the same text);
//! colour is only ever written through [`style`], and none at all when it is off; every
//! text that came from a portal or a file goes through [`escape`].

pub mod escape;
pub mod plan_markdown;
pub mod plan_text;
pub mod style;
pub mod test_markdown;
pub mod tree;

pub use plan_markdown::{
    Appendix, MARKDOWN_LIMIT, render_drift_markdown, render_markdown, render_markdown_with,
};
pub use plan_text::{render_text, summary_line};
pub use style::Style;
pub use test_markdown::tests_appendix;
