//! The catalogue: the exercise files, compiled in or installed at run
//! time, read once.

#[cfg(feature = "embedded")]
use super::files::EXERCISES;
use super::model::{Exercise, ExerciseError};
use super::parse::parse;
use std::sync::OnceLock;

type Loaded = Vec<Result<Exercise, ExerciseError>>;

static LOADED: OnceLock<Loaded> = OnceLock::new();

/// Compiled in: read on first use. Otherwise: what [`install`] was given,
/// nothing before that.
fn loaded() -> &'static [Result<Exercise, ExerciseError>] {
    #[cfg(feature = "embedded")]
    {
        LOADED.get_or_init(|| EXERCISES.iter().map(|(id, text)| parse(id, text)).collect())
    }
    #[cfg(not(feature = "embedded"))]
    {
        LOADED.get().map(Vec::as_slice).unwrap_or_default()
    }
}

/// Gives the catalogue its exercises at run time, as (id, JSON text) in
/// the order of [`EXERCISE_IDS`](super::EXERCISE_IDS). False when it already has them (compiled
/// in, or installed before); the first ones stay.
pub fn install(files: Vec<(String, String)>) -> bool {
    let mut installed = false;
    LOADED.get_or_init(|| {
        installed = true;
        files.iter().map(|(id, text)| parse(id, text)).collect()
    });
    installed
}

/// True when the exercises can be read: compiled in, or installed.
pub fn is_available() -> bool {
    cfg!(feature = "embedded") || LOADED.get().is_some()
}

/// Every exercise that reads (an exercise file with a mistake is left out;
/// [`errors`] says which and why, and the tests fail on it).
pub fn catalogue() -> Vec<Exercise> {
    loaded()
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .cloned()
        .collect()
}

/// The exercise called `id`.
pub fn exercise(id: &str) -> Option<Exercise> {
    loaded()
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .find(|e| e.id == id)
        .cloned()
}

/// The problems of the embedded exercise files (empty when all read).
pub fn errors() -> Vec<ExerciseError> {
    loaded()
        .iter()
        .filter_map(|r| r.as_ref().err())
        .cloned()
        .collect()
}
