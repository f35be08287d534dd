//! vitrine: a BROF export in, a static catalogue and a conformity report out.
//!
//! The flow goes one way: [`import`] → [`controls`] → [`report`] / [`site`] / [`search`],
//! orchestrated by [`build`]; [`output`] writes every tree atomically.
pub mod build;
pub mod builtin;
pub mod communes;
pub mod config;
pub mod controls;
pub mod display;
pub mod identifiers;
pub mod import;
pub mod init;
pub mod inputs;
pub mod model;
pub mod output;
pub mod regions;
pub mod report;
pub mod safe;
pub mod search;
pub mod serve;
pub mod site;
pub mod summary;
pub mod urls;

/// Frees `value` on a thread of its own: what a build holds at its end (every offer's
/// view, the ledger, the manifests) takes tens of milliseconds to free at 100,000
/// offers, on the serial end of the run. The thread is not waited for: a process that
/// exits first leaves the freeing to the system. With no thread to be had, freed here.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(value));
}
