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
