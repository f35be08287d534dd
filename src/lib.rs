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
mod kept;
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

/// Whether the process ends with the run ([`exit_after_run`]).
static EXITING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Says that the process exits once this run is done (the command line's `build` and
/// `check`): what [`drop_later`] is given is then never freed, the system takes the
/// whole heap back at exit. A library caller or `serve`, which goes on, frees it.
pub fn exit_after_run() {
    EXITING.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Frees `value` on a thread of its own: what a build holds at its end (every offer's
/// view, the ledger, the manifests) takes tens of milliseconds to free at 100,000
/// offers, on the serial end of the run. The thread is not waited for: a process that
/// exits first leaves the freeing to the system. With no thread to be had, freed here.
/// When the process exits after the run, not freed at all: on two cores the freeing
/// thread took a core from the run's last steps (the tree's commit), for memory the
/// exit gives back anyway.
pub(crate) fn drop_later<T: Send + 'static>(value: T) {
    if EXITING.load(std::sync::atomic::Ordering::Relaxed) {
        std::mem::forget(value);
        return;
    }
    let _ = std::thread::Builder::new()
        .name("free".into())
        .spawn(move || drop(value));
}

/// Frees `value` here, unless the process exits after the run ([`exit_after_run`]): then
/// the system takes it back. For what [`drop_later`] cannot send to a thread (it
/// borrows from the run).
pub(crate) fn free_unless_exiting<T>(value: T) {
    if EXITING.load(std::sync::atomic::Ordering::Relaxed) {
        std::mem::forget(value);
    } else {
        drop(value);
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    /// Says when it is dropped.
    struct Dropped(Arc<AtomicBool>);

    impl Drop for Dropped {
        fn drop(&mut self) {
            self.0.store(true, Ordering::SeqCst);
        }
    }

    #[test]
    fn what_a_run_leaves_is_freed_unless_the_process_exits_after_it() {
        let freed = Arc::new(AtomicBool::new(false));
        super::drop_later(Dropped(freed.clone()));
        // Freed on a thread of its own: waited for here, up to ten seconds.
        let start = std::time::Instant::now();
        while !freed.load(Ordering::SeqCst) && start.elapsed().as_secs() < 10 {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(freed.load(Ordering::SeqCst));

        // Once the process is to exit after the run (other tests meanwhile only keep
        // what they hand over until the test process ends).
        super::exit_after_run();
        let kept = Arc::new(AtomicBool::new(false));
        super::drop_later(Dropped(kept.clone()));
        // What cannot go to a thread is kept too, then.
        let borrowed = Arc::new(AtomicBool::new(false));
        super::free_unless_exiting(Dropped(borrowed.clone()));
        super::EXITING.store(false, Ordering::Relaxed);
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(!kept.load(Ordering::SeqCst));
        assert!(!borrowed.load(Ordering::SeqCst));
        // Otherwise freed at once.
        let freed_here = Arc::new(AtomicBool::new(false));
        super::free_unless_exiting(Dropped(freed_here.clone()));
        assert!(freed_here.load(Ordering::SeqCst));
    }
}
