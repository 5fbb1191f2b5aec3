//! The `Printer`: the one place that decides what goes to stdout and stderr, and in
//! which colours.
//!
//! Data goes to stdout; progress, notes and diagnostics go to stderr. Colour is used only
//! on a terminal and never when `NO_COLOR` is set (anstream handles both). A closed
//! stdout (`b24flow plan | head`) is not an error.

use std::io::Write;

use anstream::{AutoStream, ColorChoice as StreamChoice};

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Writes output for people and machines.
#[derive(Debug)]
pub(crate) struct Printer {
    choice: StreamChoice,
    quiet: bool,
}

impl Printer {
    pub(crate) fn new(color: ColorChoice, quiet: bool) -> Printer {
        let choice = match color {
            ColorChoice::Auto => StreamChoice::Auto,
            ColorChoice::Always => StreamChoice::Always,
            ColorChoice::Never => StreamChoice::Never,
        };
        // miette decides its own colours; keep it in step with --color and NO_COLOR.
        let colored = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::IsTerminal::is_terminal(&std::io::stderr())
            }
        };
        let _ = miette::set_hook(Box::new(move |_| {
            Box::new(
                miette::MietteHandlerOpts::new()
                    .color(colored)
                    .unicode(colored)
                    .build(),
            )
        }));
        Printer { choice, quiet }
    }

    /// Whether styled output is wanted on stdout.
    pub(crate) fn colors_stdout(&self) -> bool {
        let stream = AutoStream::new(std::io::stdout(), self.choice);
        !matches!(stream.current_choice(), StreamChoice::Never)
    }

    /// Writes data to stdout. A closed pipe ends output quietly.
    pub(crate) fn out(&self, text: &str) {
        let mut stdout = AutoStream::new(std::io::stdout().lock(), self.choice);
        let written = stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush());
        // `b24flow capabilities | head` closes the pipe early: that is not an error.
        if written.is_err_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) {
            std::process::exit(0);
        }
    }

    /// Writes a note for people to stderr, unless `--quiet`.
    pub(crate) fn note(&self, text: &str) {
        if !self.quiet {
            let mut stderr = AutoStream::new(std::io::stderr().lock(), self.choice);
            let _ = writeln!(stderr, "{text}");
        }
    }

    /// Writes a diagnostic to stderr, even with `--quiet`.
    pub(crate) fn error(&self, report: &miette::Report) {
        let mut stderr = AutoStream::new(std::io::stderr().lock(), self.choice);
        let _ = writeln!(stderr, "{report:?}");
    }

    /// Whether notes are printed.
    pub(crate) fn is_quiet(&self) -> bool {
        self.quiet
    }
}
