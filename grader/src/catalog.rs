//! [`Catalog`]: the course manifest joined with the suites compiled into the
//! grader, checked to agree (every exercise has a suite, no test is worth nothing,
//! test names are unique).
use crate::error::GradeError;
use crate::harness::TestDef;
use crate::manifest::{self, Course};
use crate::suites;

/// One exercise with its suite.
pub struct CatalogExercise {
    /// The manifest's entry.
    pub entry: manifest::Exercise,
    /// Its position in the course, from 1.
    pub number: usize,
    /// Its tests, in the suite's order.
    pub tests: Vec<TestDef>,
    /// The points it is worth: its tests' points, which the suite states
    /// (the manifest does not).
    pub points: u32,
    /// Why its suite and its manifest entry disagree, if they do: grading
    /// it is refused, the other exercises are unaffected.
    pub problem: Option<String>,
}

/// The course and its suites.
pub struct Catalog {
    /// The manifest.
    pub course: Course,
    /// The exercises in teaching order, with their suites.
    pub exercises: Vec<CatalogExercise>,
}

impl Catalog {
    /// The catalog of the manifest compiled into this grader.
    pub fn builtin() -> Result<Catalog, GradeError> {
        Catalog::from_course(Course::builtin()?)
    }

    /// Joins a course with the grader's suites and checks they agree.
    pub fn from_course(course: Course) -> Result<Catalog, GradeError> {
        let mut exercises = Vec::new();
        for (i, entry) in course.exercises.iter().enumerate() {
            let tests = suites::suite(&entry.name).ok_or_else(|| {
                GradeError::Manifest(format!(
                    "exercise `{}` has no suite in the grader",
                    entry.name
                ))
            })?;
            let problem = check_suite(entry, &tests).err();
            exercises.push(CatalogExercise {
                entry: entry.clone(),
                number: i + 1,
                points: tests.iter().map(|t| t.points).sum(),
                tests,
                problem,
            });
        }
        for (name, _) in suites::ALL {
            if course.exercise(name).is_none() {
                return Err(GradeError::Manifest(format!(
                    "the grader has a suite for `{name}`, which the manifest does not list"
                )));
            }
        }
        Ok(Catalog { course, exercises })
    }

    /// The exercises named in `only` (all when empty), in teaching order.
    pub fn select(&self, only: &[String]) -> Result<Vec<&CatalogExercise>, GradeError> {
        for name in only {
            if self.course.exercise(name).is_none() {
                return Err(GradeError::UnknownExercise(name.clone()));
            }
        }
        let selected: Vec<&CatalogExercise> = self
            .exercises
            .iter()
            .filter(|e| only.is_empty() || only.contains(&e.entry.name))
            .collect();
        if let Some(problem) = selected.iter().find_map(|e| e.problem.as_ref()) {
            return Err(GradeError::Manifest(problem.clone()));
        }
        Ok(selected)
    }

    /// Every disagreement between a suite and its manifest entry.
    pub fn problems(&self) -> Vec<&str> {
        self.exercises
            .iter()
            .filter_map(|e| e.problem.as_deref())
            .collect()
    }

    /// Finds an exercise.
    pub fn exercise(&self, name: &str) -> Option<&CatalogExercise> {
        self.exercises.iter().find(|e| e.entry.name == name)
    }
}

fn check_suite(entry: &manifest::Exercise, tests: &[TestDef]) -> Result<(), String> {
    let err = |msg: String| Err(format!("suite `{}`: {msg}", entry.name));
    if tests.is_empty() {
        return err("has no tests".into());
    }
    let mut names = std::collections::HashSet::new();
    for t in tests {
        if !names.insert(t.name) {
            return err(format!("test `{}` appears twice", t.name));
        }
        if t.points == 0 {
            return err(format!("test `{}` is worth no points", t.name));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_agrees_with_the_manifest() {
        let catalog = Catalog::builtin().unwrap();
        assert_eq!(catalog.exercises.len(), catalog.course.exercises.len());
        assert_eq!(catalog.problems(), Vec::<&str>::new());
    }

    #[test]
    fn points_are_the_suites() {
        let catalog = Catalog::builtin().unwrap();
        for ex in &catalog.exercises {
            assert_eq!(ex.points, ex.tests.iter().map(|t| t.points).sum::<u32>());
            assert!(ex.points > 0, "{}", ex.entry.name);
        }
    }

    #[test]
    fn unknown_exercise_is_refused() {
        let catalog = Catalog::builtin().unwrap();
        assert!(catalog.select(&["nope".into()]).is_err());
    }
}
