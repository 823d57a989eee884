//! Renderers: each reads only the final [`crate::report::Report`] and writes
//! to any `io::Write`, so each is tested by rendering into memory.
pub mod classroom;
pub mod exercism;
pub mod feedback;
pub mod focus;
pub mod format;
pub mod gradescope;
pub mod human;
pub mod json;
pub mod junit;
pub mod platform;
pub mod prairielearn;
pub mod progress;

use anstyle::{AnsiColor, Effects, Style};

/// Terminal colors, or none.
#[derive(Debug, Clone, Copy)]
pub struct Paint {
    enabled: bool,
}

impl Paint {
    /// Colors when `enabled`.
    pub fn new(enabled: bool) -> Paint {
        Paint { enabled }
    }

    /// No colors.
    pub fn none() -> Paint {
        Paint { enabled: false }
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.enabled {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }

    /// Passed.
    pub fn good(&self, text: &str) -> String {
        self.paint(AnsiColor::Green.on_default(), text)
    }

    /// Failed.
    pub fn bad(&self, text: &str) -> String {
        self.paint(AnsiColor::Red.on_default(), text)
    }

    /// A warning.
    pub fn warn(&self, text: &str) -> String {
        self.paint(AnsiColor::Yellow.on_default(), text)
    }

    /// Less important.
    pub fn dim(&self, text: &str) -> String {
        self.paint(Style::new().effects(Effects::DIMMED), text)
    }

    /// More important.
    pub fn bold(&self, text: &str) -> String {
        self.paint(Style::new().effects(Effects::BOLD), text)
    }

    /// Emphasis inside a diff line.
    pub fn emphasis(&self, text: &str) -> String {
        self.paint(
            Style::new().effects(Effects::UNDERLINE | Effects::BOLD),
            text,
        )
    }
}
