//! One module per route.
//!
//! The staff pages (behind the `staff` feature) are left out of the build that
//! trainees' phones load: there, `staff_shell` stands in for each of them and
//! loads the staff build.

#[cfg(feature = "staff")]
pub mod accounts;
pub mod assessment;
#[cfg(feature = "staff")]
pub mod authoring;
#[cfg(feature = "staff")]
pub mod bank;
pub mod certificate;
#[cfg(feature = "staff")]
pub mod class;
#[cfg(feature = "staff")]
pub mod classes;
pub mod course;
#[cfg(feature = "staff")]
pub mod grading;
pub mod home;
pub mod lesson;
pub mod live;
pub mod login;
pub mod module;
pub mod not_found;
#[cfg(feature = "staff")]
pub mod present;
pub mod progress;
#[cfg(feature = "staff")]
pub mod report;
pub mod settings;
pub mod situation;
pub mod staff_home;
#[cfg(not(feature = "staff"))]
pub mod staff_shell;
#[cfg(feature = "staff")]
pub mod trainee;

/// Remembers, for this tab, the address last reloaded to get the staff build
/// (set by `staff_shell`, cleared when the staff build starts).
pub const STAFF_RELOAD_KEY: &str = "lophoc.staff-reload";
