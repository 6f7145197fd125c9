//! One module per route.

pub mod assessment;
pub mod authoring;
pub mod bank;
pub mod certificate;
pub mod class;
pub mod classes;
pub mod course;
pub mod grading;
pub mod home;
pub mod lesson;
pub mod live;
pub mod login;
pub mod module;
pub mod not_found;
pub mod present;
pub mod progress;
pub mod report;
pub mod settings;
pub mod situation;
pub mod trainee;
