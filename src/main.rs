//! The `promagent` binary: everything lives in the library; this only maps its result to an exit code.

// A run allocates many small, short-lived values (YAML nodes, labels, findings); mimalloc serves
// them faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the same index in its v2 and v3 headers).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // A run is short: freed pages stay with the process instead of going back to the system and
    // being faulted in again, which cost more system time than a large run's own work.
    // SAFETY: sets a process-wide allocator option; mimalloc allows that at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    promagent::cli::main()
}
