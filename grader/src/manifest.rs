//! The course manifest (`course.toml`): [`Course`] lists the lessons and the
//! exercises in teaching order, with titles and hints (an exercise's points
//! are its suite's: [`crate::catalog::CatalogExercise::points`]).
use crate::text::Lang;
use serde::Deserialize;

use crate::error::GradeError;

/// The manifest compiled into the grader, so the binary is self-contained.
pub const COURSE_TOML: &str = include_str!("../../course.toml");

/// A text in English and Chinese.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Title {
    /// English.
    pub en: String,
    /// Chinese.
    pub zh: String,
}

/// The course as a whole.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Course {
    /// The course's name and title.
    pub course: CourseInfo,
    /// The lessons, in teaching order.
    #[serde(rename = "lesson")]
    pub lessons: Vec<Lesson>,
    /// The exercises, in teaching order.
    #[serde(rename = "exercise")]
    pub exercises: Vec<Exercise>,
}

/// The course's name and title.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CourseInfo {
    /// Short name.
    pub name: String,
    /// Title.
    pub title: Title,
    /// Crates a submission may depend on (from crates.io); anything else
    /// fails its build.
    #[serde(default)]
    pub allowed_dependencies: Vec<String>,
    /// True in the student repository `grader release` writes: the
    /// instructor commands are hidden there and refuse to run.
    #[serde(default)]
    pub released: bool,
}

/// One lesson of the course.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Identifier that exercises refer to.
    pub id: String,
    /// Title.
    pub title: Title,
}

/// One exercise: a crate under `exercises/` and a suite in the grader.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    /// Crate, directory and suite name.
    pub name: String,
    /// The lesson it belongs to.
    pub lesson: String,
    /// Title.
    pub title: Title,
    /// The programs (binary targets) its crate builds, when it builds more
    /// than one; the first is the one tests run unless they pick another.
    /// Empty means one program named like the exercise.
    #[serde(default)]
    pub programs: Vec<String>,
    /// Hints, from gentle to explicit.
    #[serde(default)]
    pub hints: Vec<String>,
    /// The same hints in Chinese, one for each.
    #[serde(default)]
    pub hints_zh: Vec<String>,
}

impl Exercise {
    /// Its title in `lang`.
    pub fn title(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.title.en,
            Lang::Zh => &self.title.zh,
        }
    }

    /// Its hints in `lang` (English while it has no Chinese ones).
    pub fn hints(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::Zh if !self.hints_zh.is_empty() => &self.hints_zh,
            _ => &self.hints,
        }
    }

    /// The programs its crate builds; the first is the main one.
    pub fn programs(&self) -> Vec<String> {
        if self.programs.is_empty() {
            vec![self.name.clone()]
        } else {
            self.programs.clone()
        }
    }
}

impl Course {
    /// Parses and validates a manifest.
    pub fn parse(text: &str) -> Result<Course, GradeError> {
        let course: Course =
            toml::from_str(text).map_err(|e| GradeError::Manifest(e.message().to_string()))?;
        course.validate()?;
        Ok(course)
    }

    /// The manifest compiled into this grader.
    pub fn builtin() -> Result<Course, GradeError> {
        Course::parse(COURSE_TOML)
    }

    /// Finds an exercise by name.
    pub fn exercise(&self, name: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.name == name)
    }

    /// Finds a lesson by id.
    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id == id)
    }

    fn validate(&self) -> Result<(), GradeError> {
        let mut seen = std::collections::HashSet::new();
        for ex in &self.exercises {
            if !seen.insert(ex.name.as_str()) {
                return Err(GradeError::Manifest(format!(
                    "exercise `{}` is listed twice",
                    ex.name
                )));
            }
            if !is_identifier(&ex.name) {
                return Err(GradeError::Manifest(format!(
                    "exercise name `{}` must be lowercase letters, digits and `_`",
                    ex.name
                )));
            }
            if let Some(bad) = ex.programs.iter().find(|p| !is_identifier(p)) {
                return Err(GradeError::Manifest(format!(
                    "exercise `{}`: program name `{bad}` must be lowercase letters, digits and `_`",
                    ex.name
                )));
            }
            if !ex.hints_zh.is_empty() && ex.hints_zh.len() != ex.hints.len() {
                return Err(GradeError::Manifest(format!(
                    "exercise `{}` has {} hints and {} Chinese hints: give one for each",
                    ex.name,
                    ex.hints.len(),
                    ex.hints_zh.len()
                )));
            }
            if self.lesson(&ex.lesson).is_none() {
                return Err(GradeError::Manifest(format!(
                    "exercise `{}` names unknown lesson `{}`",
                    ex.name, ex.lesson
                )));
            }
        }
        Ok(())
    }
}

/// Lowercase letters, digits and `_`, not empty: a name that is a crate,
/// a directory and a program name alike.
fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_manifest_parses() {
        let course = Course::builtin().unwrap();
        assert_eq!(course.exercises[0].name, "dict_lookup");
    }

    #[test]
    fn duplicate_exercise_is_rejected() {
        let text = r#"
[course]
name = "c"
title = { en = "C", zh = "C" }
[[lesson]]
id = "l"
title = { en = "L", zh = "L" }
[[exercise]]
name = "a"
lesson = "l"
title = { en = "A", zh = "A" }
[[exercise]]
name = "a"
lesson = "l"
title = { en = "A", zh = "A" }
"#;
        let err = Course::parse(text).unwrap_err().to_string();
        assert!(err.contains("listed twice"), "{err}");
    }

    #[test]
    fn unknown_lesson_is_rejected() {
        let text = r#"
lesson = []
[course]
name = "c"
title = { en = "C", zh = "C" }
[[exercise]]
name = "a"
lesson = "nope"
title = { en = "A", zh = "A" }
"#;
        let err = Course::parse(text).unwrap_err().to_string();
        assert!(err.contains("unknown lesson"), "{err}");
    }
}
