//! The `Printer`: the one place that decides what goes to stdout and stderr, and in
//! which colours.
//!
//! Data goes to stdout; progress, notes and diagnostics go to stderr. Colour is used only
//! on a terminal and never when `NO_COLOR` is set (anstream handles both). A closed
//! stdout (`b24flow plan | head`) is not an error.
//!
//! Commands print through verbs, never through format strings of their own:
//! [`Printer::status`] (a right-aligned, coloured verb, as cargo prints `Compiling`),
//! [`Printer::json`] (a machine document on stdout), [`Printer::progress`] (a bar that
//! hides itself when it should) and [`Printer::confirm`] (a yes/no prompt). Colours come
//! from the one palette in `b24flow::render::style`.
//!
//! Invariant: text for people on stderr goes through `b24flow::render::escape` (names
//! and error texts may come from a portal or a file), so no terminal escape or `\r`
//! from them reaches the terminal; only the colours this program writes do.

use std::io::{BufRead, IsTerminal, Write};

use anstream::{AutoStream, ColorChoice as StreamChoice};
use b24flow::render::{escape, style};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

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
            .write_all(escape::styled(text).as_bytes())
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
            let _ = writeln!(stderr, "{}", escape::styled(text));
        }
    }

    /// Writes a diagnostic to stderr, even with `--quiet`.
    pub(crate) fn error(&self, report: &miette::Report) {
        let mut stderr = AutoStream::new(std::io::stderr().lock(), self.choice);
        let _ = writeln!(stderr, "{}", escape::styled(&format!("{report:?}")));
    }

    /// A status line on stderr, unless `--quiet`: `verb` right-aligned in 12 columns and
    /// coloured as a success, then `message`.
    pub(crate) fn status(&self, verb: &str, message: &str) {
        self.note(&status_line(style::GOOD, verb, message));
    }

    /// A problem for people that is not a diagnostic: `error: ` in colour, then `text`.
    pub(crate) fn problem(&self, text: &str) {
        let label = style::BAD;
        self.note(&format!("{label}error{label:#}: {}", escape::text(text)));
    }

    /// A machine document on stdout: pretty JSON and a newline.
    pub(crate) fn json(&self, document: &impl serde::Serialize) {
        let mut text = serde_json::to_string_pretty(document).expect("documents serialize to JSON");
        text.push('\n');
        self.out(&text);
    }

    /// A progress bar over `len` steps, labelled `label` (e.g. `Applying`). Hidden with
    /// `--quiet` or when stderr is not a terminal; lines printed through it then go out
    /// as notes.
    pub(crate) fn progress(&self, len: u64, label: &str) -> Progress<'_> {
        let bar = if self.quiet || !std::io::stderr().is_terminal() {
            ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden())
        } else {
            let bar = ProgressBar::new(len);
            bar.set_style(
                ProgressStyle::with_template(&format!(
                    "{{spinner}} {label} {{pos}}/{{len}} {{wide_bar}}"
                ))
                .expect("a valid template"),
            );
            bar
        };
        Progress { bar, printer: self }
    }

    /// Whether a change goes ahead: at once when `approved` (`--auto-approve`), else
    /// when the answer to `question`, asked on stderr, is `yes`; any other answer
    /// prints `cancelled`. Refuses with `refusal` when standard input is not a terminal
    /// (nobody could answer).
    pub(crate) fn approve(
        &self,
        approved: bool,
        question: &str,
        refusal: impl FnOnce() -> miette::Report,
        cancelled: &str,
    ) -> miette::Result<bool> {
        if approved {
            return Ok(true);
        }
        let yes = self.confirm(question, refusal)?;
        if !yes {
            self.note(cancelled);
        }
        Ok(yes)
    }

    /// Asks `question` on stderr and reads the answer; only `yes` is a yes.
    fn confirm(
        &self,
        question: &str,
        refusal: impl FnOnce() -> miette::Report,
    ) -> miette::Result<bool> {
        if !std::io::stdin().is_terminal() {
            return Err(refusal());
        }
        {
            let mut stderr = AutoStream::new(std::io::stderr().lock(), self.choice);
            let _ = write!(stderr, "{question} Only 'yes' is accepted: ");
            let _ = stderr.flush();
        }
        let mut answer = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut answer)
            .map_err(|e| miette::miette!("cannot read the answer: {e}"))?;
        Ok(answer.trim() == "yes")
    }
}

fn status_line(color: anstyle::Style, verb: &str, message: &str) -> String {
    format!("{color}{verb:>12}{color:#} {}", escape::text(message))
}

/// A progress bar from [`Printer::progress`].
pub(crate) struct Progress<'p> {
    bar: ProgressBar,
    printer: &'p Printer,
}

impl Progress<'_> {
    /// One step done.
    pub(crate) fn inc(&self) {
        self.bar.inc(1);
    }

    /// A status line printed above the bar (or as a note when the bar is hidden).
    pub(crate) fn status(&self, ok: bool, verb: &str, message: &str) {
        let color = if ok { style::GOOD } else { style::BAD };
        let line = status_line(color, verb, message);
        if self.bar.is_hidden() {
            self.printer.note(&line);
        } else {
            self.bar.println(line);
        }
    }

    /// Removes the bar.
    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
