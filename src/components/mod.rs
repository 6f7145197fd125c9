//! View pieces shared by several pages.

pub mod branching;
pub mod download;
pub mod header;
pub mod limit;
pub mod notice;
#[cfg(feature = "staff")]
pub mod qr;
pub mod question;
pub mod require_login;
pub mod status;
pub mod sync_indicator;
pub mod title;
pub mod update_banner;

pub use download::DownloadPanel;
pub use header::SiteHeader;
pub use limit::{max_length, LimitHint};
pub use notice::{ErrorNotice, Loading, NotOnDevice};
pub use require_login::{PasswordChangeGuard, RequireLogin};
pub use status::{PercentBar, StatusBadge};
pub use sync_indicator::{
    provide_pending_changes, use_pending_changes, SyncDetails, SyncIndicator,
};
pub use title::use_title;
pub use update_banner::UpdateBanner;
