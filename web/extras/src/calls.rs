//! Every call the page's main module makes into this one, declared once.
//!
//! [`with_calls!`](crate::with_calls) holds each call's name, signature
//! (text and numbers in, text out: what crosses between two wasm modules
//! through JavaScript) and body, and hands that list to a macro of the
//! caller's choice, which makes one side of the call from it:
//! - here, the native functions below (tested natively);
//! - in this crate's wasm (`src/main.rs`), [`export_calls!`](crate::export_calls):
//!   a `#[wasm_bindgen]` export per call, which runs the native function;
//! - in the main module (`web/src/extras.rs`), a proxy per call that calls
//!   the export of the same name in the loaded module, and the list of
//!   names (`CALLS`), which the browser tests check against the exports.
//!
//! The bodies are compiled only here: the other sides drop them, so the
//! main module carries none of this crate's work.

/// Calls `$side!` with the declaration of every call: doc comments, then
/// `fn name(arg: Type, …) -> Type { body }`. Argument types are `&str`, `bool`,
/// `Vec<String>`, `Option<i32>` or `u32`; results `String`,
/// `Option<String>` or `bool` (what both sides know how to pass).
#[macro_export]
macro_rules! with_calls {
    ($($side:tt)+) => {
        $($side)+! {
            /// Installs a language's message catalogue, whose files the main
            /// module fetched (in `Lang::FILES` order). True when it was new.
            fn install(lang_tag: &str, files: Vec<String>) -> bool {
                $crate::calls::lang_of(lang_tag)
                    .is_some_and(|l| kmsplay_messages::install(l, files))
            }

            /// A scenario's snippet for the parameter values `given_json`
            /// (`[[name, value]…]`), as JSON (see `snippet::scenario_snippet`).
            fn scenario_snippet(scenario_id: &str, given_json: &str) -> Option<String> {
                let given: Vec<(String, String)> = serde_json::from_str(given_json).ok()?;
                $crate::snippet::scenario_snippet(scenario_id, &given).map(|v| v.to_string())
            }

            /// The fixes for request `index`, as `fixes::offer` writes them.
            fn fix_offer(file_text: &str, index: u32, lang_tag: &str) -> String {
                $crate::fixes::offer(file_text, index as usize, $crate::calls::lang(lang_tag))
            }

            /// The file after the `n`-th offered fix, or nothing when it no
            /// longer applies.
            fn fix_apply(file_text: &str, index: u32, n: u32) -> Option<String> {
                $crate::fixes::apply(file_text, index as usize, n as usize)
            }

            /// Gives the exercise catalogue its files (texts in the order of
            /// `ids`).
            fn install_exercises(ids: Vec<String>, texts: Vec<String>) -> bool {
                $crate::exercises::install(ids, texts)
            }

            /// The exercises, as `exercises::catalogue` writes them.
            fn exercise_catalogue() -> String {
                $crate::exercises::catalogue().to_string()
            }

            /// Every goal of exercise `id` checked against the learner's key
            /// policy and identity policies (a JSON array of `[identity,
            /// policy, text]`), as `exercises::check` writes it; nothing for
            /// an unknown exercise.
            fn exercise_check(
                id: &str,
                key_policy: &str,
                identity_policies_json: &str,
                lang_tag: &str,
            ) -> Option<String> {
                let identity: Vec<(usize, usize, String)> =
                    serde_json::from_str(identity_policies_json).unwrap_or_default();
                $crate::exercises::check(id, key_policy, &identity, $crate::calls::lang(lang_tag))
                    .map(|v| v.to_string())
            }

            /// The scenario's statements (a JSON array) added to the policy
            /// text, as `merge::merge` writes the outcome.
            fn merge_statements(policy_text: &str, statements_json: &str) -> String {
                let statements: Vec<serde_json::Value> =
                    serde_json::from_str(statements_json).unwrap_or_default();
                $crate::merge::merge(policy_text, &statements).to_string()
            }

            /// Opens the "Import from AWS" room (see `room`) in the language
            /// `lang_tag`; false when there is no document to show it in.
            fn open_import(lang_tag: &str) -> bool {
                $crate::room::open($crate::calls::lang(lang_tag))
            }

            /// Shows the "Policy checks" panel (see `checks_room`) in the
            /// page's `#checks-room`: the playground file `current`, whose
            /// key policy is `policy` (the editor's text, where findings are
            /// placed), against the key policy `baseline` (empty: none).
            /// False when the page has no such element now.
            fn show_checks(baseline: &str, current: &str, policy: &str, lang_tag: &str) -> bool {
                $crate::checks_room::show(baseline, current, policy, $crate::calls::lang(lang_tag))
            }

            /// Shows the lifecycle panel (see `lifecycle_room`) in the page's
            /// `#lifecycle-room` for the playground file `file_text`;
            /// `file_mode` when the page shows the file's own requests.
            fn show_lifecycle(file_text: &str, file_mode: bool, lang_tag: &str) -> bool {
                $crate::lifecycle_room::show(file_text, file_mode, $crate::calls::lang(lang_tag))
            }

            /// The share link's fragment (`pg=…`) for a playground file's text.
            fn share_encode(text: &str) -> String {
                $crate::share::encode(text)
            }
        }
    };
}

/// The exports of this crate's wasm: a `#[wasm_bindgen]` function per
/// call of [`with_calls!`](crate::with_calls), each running the native
/// function of the same name in [`crate::calls`]. Invoked once by
/// `src/main.rs` (and by the page's browser tests, which check that every
/// call the main module makes is exported).
#[macro_export]
macro_rules! export_calls {
    () => {
        $crate::with_calls!($crate::__kmsplay_export_each);
    };
}

/// [`export_calls!`](crate::export_calls)'s worker (public only because
/// macros that expand elsewhere must be).
#[doc(hidden)]
#[macro_export]
macro_rules! __kmsplay_export_each {
    ($($(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block)*) => {
        $(
            $(#[$doc])*
            #[wasm_bindgen::prelude::wasm_bindgen]
            pub fn $name($($arg: $ty),*) -> $ret {
                $crate::calls::$name($($arg),*)
            }
        )*
    };
}

/// Writes the native functions.
macro_rules! natives {
    ($($(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty $body:block)*) => {
        $(
            $(#[$doc])*
            pub fn $name($($arg: $ty),*) -> $ret $body
        )*
    };
}

with_calls!(natives);

use kmsplay_messages::Lang;

/// The language of a tag the main module sent, if it is one.
#[doc(hidden)]
pub fn lang_of(tag: &str) -> Option<Lang> {
    Lang::from_tag(tag)
}

/// The language of a tag the main module sent (English for one not known).
#[doc(hidden)]
pub fn lang(tag: &str) -> Lang {
    lang_of(tag).unwrap_or(Lang::En)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_native_side_answers_in_text() {
        assert!(!super::install("xx", Vec::new()), "an unknown language");
        assert!(super::share_encode("{}").starts_with("pg="));
        assert_eq!(super::scenario_snippet("no-such-scenario", "[]"), None);
        assert_eq!(
            super::scenario_snippet("cloudtrail-trail", "not json"),
            None
        );
    }
}
