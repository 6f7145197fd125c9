//! View pieces shared by several pages.

pub mod header;
pub mod notice;
pub mod require_login;
pub mod title;

pub use header::SiteHeader;
pub use notice::{ErrorNotice, Loading};
pub use require_login::RequireLogin;
pub use title::use_title;
