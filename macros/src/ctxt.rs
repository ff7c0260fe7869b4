//! The error collector: every stage reports into one `Ctxt`, which is checked once before
//! expansion, so a user with three mistakes sees three errors in one build.

use std::cell::RefCell;
use std::fmt::Display;

use quote::ToTokens;

pub struct Ctxt {
    /// `None` once [`check`](Ctxt::check) has taken the errors; a `Ctxt` dropped while this is
    /// still `Some` was never checked, and its errors would be lost.
    errors: RefCell<Option<Vec<syn::Error>>>,
}

impl Ctxt {
    pub fn new() -> Self {
        Ctxt {
            errors: RefCell::new(Some(Vec::new())),
        }
    }

    /// Reports `msg` at the tokens of `obj` (their first to last span).
    pub fn error_spanned_by<T: ToTokens, M: Display>(&self, obj: T, msg: M) {
        self.push(syn::Error::new_spanned(obj.into_token_stream(), msg));
    }

    /// Reports `msg` at one span.
    pub fn error_at<M: Display>(&self, span: proc_macro2::Span, msg: M) {
        self.push(syn::Error::new(span, msg));
    }

    /// Reports an error syn produced while parsing.
    pub fn syn_error(&self, err: syn::Error) {
        self.push(err);
    }

    fn push(&self, err: syn::Error) {
        // Always `Some` here: only `check`, which consumes `self`, takes the errors.
        if let Some(errors) = self.errors.borrow_mut().as_mut() {
            errors.push(err);
        }
    }

    /// All reported errors combined into one, or `Ok` when there were none.
    pub fn check(self) -> syn::Result<()> {
        let errors = self.errors.borrow_mut().take().unwrap_or_default();
        let mut errors = errors.into_iter();
        let Some(mut combined) = errors.next() else {
            return Ok(());
        };
        for err in errors {
            combined.combine(err);
        }
        Err(combined)
    }
}

/// A `Ctxt` that was never checked means a derive forgot to turn its errors into
/// `compile_error!`s and would expand a broken definition silently: a bug in this crate, never
/// something user input can cause, so debug builds (tests, `cargo build`) fail loudly here, as
/// serde_derive's `Ctxt` does.
impl Drop for Ctxt {
    fn drop(&mut self) {
        if cfg!(debug_assertions) && !std::thread::panicking() && self.errors.get_mut().is_some() {
            panic!("forgot to check for errors");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combines_every_error() {
        let cx = Ctxt::new();
        cx.error_at(proc_macro2::Span::call_site(), "first");
        cx.error_at(proc_macro2::Span::call_site(), "second");
        let err = cx.check().unwrap_err();
        let messages: Vec<String> = err.into_iter().map(|e| e.to_string()).collect();
        assert_eq!(messages, ["first", "second"]);
    }

    #[test]
    fn no_errors_is_ok() {
        assert!(Ctxt::new().check().is_ok());
    }

    #[test]
    fn checked_contexts_drop_quietly() {
        let clean = Ctxt::new();
        assert!(clean.check().is_ok());
        let failed = Ctxt::new();
        failed.error_at(proc_macro2::Span::call_site(), "reported");
        assert!(failed.check().is_err());
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "forgot to check for errors")]
    fn unchecked_context_panics_on_drop() {
        let cx = Ctxt::new();
        cx.error_at(proc_macro2::Span::call_site(), "never reported");
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "forgot to check for errors")]
    fn unchecked_context_panics_even_without_errors() {
        drop(Ctxt::new());
    }
}
