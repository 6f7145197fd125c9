//! The message catalogue: every string the interface shows, in Vietnamese
//! (the default) and English.
//!
//! Policy: a view never holds a literal sentence; it names a [`Msg`] and asks
//! for it in the current [`Lang`]. Both languages sit side by side in one
//! table so a translator sees each pair together. A language may be left out
//! of an entry while it is being written (the interface then falls back to
//! Vietnamese), but the test `every_message_exists_in_every_language` fails
//! until it is filled in. Placeholders are `{name}`; both languages must use
//! the same set.

use serde::{Deserialize, Serialize};

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Tiếng Việt, the default.
    #[default]
    Vi,
    /// English.
    En,
}

/// The cookie that tells the server the device's language, so a page it
/// draws into the document (the server's `document.rs`) is in the language
/// the app will show. Written by the app whenever the language is set.
pub const LANG_COOKIE: &str = "lophoc_lang";

impl Lang {
    /// All languages, default first.
    pub const ALL: [Lang; 2] = [Lang::Vi, Lang::En];

    /// The BCP 47 tag, for `<html lang>` and storage.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    /// Parses a tag written by [`Lang::code`].
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language's own name, as shown in a language picker.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Vi => "Tiếng Việt",
            Lang::En => "English",
        }
    }
}

/// Declares a catalogue: an enum `$name` of message keys with `ALL` and
/// `translation`. [`Msg`] is one; the staff pages' problem texts
/// (`crate::problem::ProblemMsg`) are another, compiled only for the server.
macro_rules! catalogue {
    ($(#[$meta:meta])* $name:ident; $( $(#[$doc:meta])* $key:ident { vi: $vi:literal $(, en: $en:literal)? $(,)? } )*) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $( $(#[$doc])* $key, )*
        }

        impl $name {
            /// Every key, in catalogue order.
            pub const ALL: &'static [$name] = &[$($name::$key),*];

            /// The text in `lang`, or `None` if that translation is missing.
            pub fn translation(self, lang: Lang) -> Option<&'static str> {
                match self {
                    $($name::$key => match lang {
                        Lang::Vi => Some($vi),
                        Lang::En => catalogue!(@opt $($en)?),
                    },)*
                }
            }

            /// The text in `lang`, falling back to Vietnamese.
            pub fn text(self, lang: Lang) -> &'static str {
                self.translation(lang)
                    .or_else(|| self.translation(Lang::Vi))
                    .unwrap_or_default()
            }

            /// The text in `lang` with each `{name}` replaced by its value,
            /// and each `{name|one|other}` by `one` when `name`'s value is
            /// 1, else by `other` — English plurals ("1 lesson", "2
            /// lessons"); Vietnamese nouns have no plural and its texts do
            /// not use the form. One pass: a value is never read for
            /// placeholders itself; an unknown placeholder stays as written.
            pub fn format(self, lang: Lang, args: &[(&str, &str)]) -> String {
                $crate::i18n::fill(self.text(lang), args)
            }

            /// What is wrong with the catalogue: a text missing in a
            /// language, or languages that name different placeholders.
            #[cfg(test)]
            pub(crate) fn faults() -> Vec<String> {
                let mut faults = Vec::new();
                for &msg in Self::ALL {
                    for lang in Lang::ALL {
                        match msg.translation(lang) {
                            Some(text) if !text.trim().is_empty() => {}
                            _ => faults.push(format!("{msg:?} has no {} text", lang.code())),
                        }
                    }
                    let vi = $crate::i18n::placeholders(msg.text(Lang::Vi));
                    let en = $crate::i18n::placeholders(msg.text(Lang::En));
                    if vi != en {
                        faults.push(format!("{msg:?} uses different placeholders"));
                    }
                }
                faults
            }
        }
    };
    (@opt $en:literal) => { Some($en) };
    (@opt) => { None };
}
#[cfg(any(test, feature = "server"))]
pub(crate) use catalogue;

impl Msg {
    /// "Đúng" or "Sai": a true/false answer or key in words.
    pub fn truth(value: bool) -> Msg {
        if value {
            Msg::TrueLabel
        } else {
            Msg::FalseLabel
        }
    }
}

/// `text` with each `{name}` and `{name|one|other}` filled from `args`; see
/// [`Msg::format`].
pub(crate) fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else {
            rest = &rest[start..];
            break;
        };
        let inner = &after[..end];
        let mut parts = inner.splitn(3, '|');
        let name = parts.next().unwrap_or_default();
        let value = args.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
        match (parts.next(), parts.next(), value) {
            (Some(one), Some(other), value) => {
                out.push_str(if value == Some("1") { one } else { other });
            }
            (None, _, Some(value)) => out.push_str(value),
            _ => {
                out.push('{');
                out.push_str(inner);
                out.push('}');
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

catalogue! {
    /// A message key. See the module documentation.
    Msg;

    AppName { vi: "Lophoc", en: "Lophoc" }
    Tagline {
        vi: "Bồi dưỡng lý luận chính trị cho cán bộ, đảng viên cơ sở",
        en: "Political training for grassroots cadres and party members",
    }
    SkipToContent { vi: "Bỏ qua, đến nội dung chính", en: "Skip to main content" }
    MainNavLabel { vi: "Điều hướng chính", en: "Main navigation" }
    NavHome { vi: "Trang chủ", en: "Home" }
    NavSettings { vi: "Cài đặt", en: "Settings" }
    NavLogin { vi: "Đăng nhập", en: "Log in" }
    NavLogout { vi: "Đăng xuất", en: "Log out" }
    Footer {
        vi: "Lophoc · Phần mềm học tập cho trung tâm chính trị cấp huyện",
        en: "Lophoc · Learning software for district political-training centres",
    }
    Loading { vi: "Đang tải…", en: "Loading…" }
    Retry { vi: "Thử lại", en: "Try again" }

    HomeWelcomeTitle { vi: "Chào mừng đến với Lophoc", en: "Welcome to Lophoc" }
    HomeWelcomeBody {
        vi: "Đăng nhập để học các chuyên đề, đọc bài giảng và ôn luyện theo tiến độ của mình.",
        en: "Log in to study the modules, read the lessons and learn at your own pace.",
    }
    HomeGreeting { vi: "Xin chào, {name}", en: "Hello, {name}" }
    HomeYourCourses { vi: "Chương trình học", en: "Your courses" }
    NoCourses { vi: "Chưa có chương trình nào được phát hành.", en: "No course has been published yet." }
    CourseCounts { vi: "{modules} chuyên đề · {lessons} bài học", en: "{modules} {modules|module|modules} · {lessons} {lessons|lesson|lessons}" }
    OpenCourse { vi: "Vào học", en: "Open course" }
    ContinueWith { vi: "Học tiếp: {title}", en: "Continue: {title}" }
    CourseDone { vi: "Bạn đã học hết các bài của chương trình.", en: "You have read every lesson of this course." }

    LoginTitle { vi: "Đăng nhập", en: "Log in" }
    LoginIntro {
        vi: "Dùng tài khoản do trung tâm cấp cho bạn.",
        en: "Use the account your centre gave you.",
    }
    Username { vi: "Tên đăng nhập", en: "Username" }
    Password { vi: "Mật khẩu", en: "Password" }
    ShowPassword { vi: "Hiện mật khẩu", en: "Show password" }
    LoginSubmit { vi: "Đăng nhập", en: "Log in" }
    LoggingIn { vi: "Đang đăng nhập…", en: "Logging in…" }
    LoginRequired { vi: "Vui lòng đăng nhập để xem nội dung này.", en: "Please log in to see this page." }
    LoggedOut { vi: "Bạn đã đăng xuất.", en: "You have logged out." }

    ErrBadCredentials {
        vi: "Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng kiểm tra lại.",
        en: "The username or password is incorrect. Please check and try again.",
    }
    ErrMissingFields {
        vi: "Vui lòng nhập cả tên đăng nhập và mật khẩu.",
        en: "Please enter both your username and your password.",
    }
    ErrNetwork {
        vi: "Không kết nối được với máy chủ. Vui lòng kiểm tra mạng rồi thử lại.",
        en: "Cannot reach the server. Check your connection and try again.",
    }
    ErrNotFound { vi: "Không tìm thấy nội dung này.", en: "This content could not be found." }
    ErrForbidden { vi: "Bạn không có quyền xem nội dung này.", en: "You are not allowed to see this." }
    ErrSessionExpired {
        vi: "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.",
        en: "Your session has expired. Please log in again.",
    }
    ErrBadRequest { vi: "Yêu cầu không hợp lệ.", en: "The request was not valid." }
    ErrTooLarge { vi: "Tệp quá lớn. Dung lượng tối đa là {size}.", en: "The file is too large. The limit is {size}." }
    ErrServer { vi: "Máy chủ đang gặp sự cố. Vui lòng thử lại sau.", en: "The server ran into a problem. Please try again later." }

    CourseModules { vi: "Các chuyên đề", en: "Modules" }
    ModuleNumber { vi: "Chuyên đề {n}", en: "Module {n}" }
    LessonCount { vi: "{n} bài học", en: "{n} {n|lesson|lessons}" }
    MinutesRead { vi: "{n} phút đọc", en: "{n} min read" }
    ModuleLessons { vi: "Các bài học", en: "Lessons" }
    LessonNumber { vi: "Bài {n}", en: "Lesson {n}" }
    PrevLesson { vi: "Bài trước", en: "Previous lesson" }
    NextLesson { vi: "Bài tiếp theo", en: "Next lesson" }
    BackToModule { vi: "Về chuyên đề", en: "Back to the module" }
    BackToCourse { vi: "Về chương trình", en: "Back to the course" }
    EndOfCourse { vi: "Bạn đã đến bài cuối cùng của chương trình.", en: "This is the last lesson of the course." }
    BreadcrumbLabel { vi: "Vị trí trong chương trình", en: "Where you are in the course" }
    LessonNavLabel { vi: "Chuyển bài học", en: "Lesson navigation" }

    SettingsTitle { vi: "Cài đặt", en: "Settings" }
    LanguageLabel { vi: "Ngôn ngữ giao diện", en: "Interface language" }
    AccountTitle { vi: "Tài khoản", en: "Account" }
    SignedInAs { vi: "Bạn đang đăng nhập với tên {name} ({role}).", en: "You are signed in as {name} ({role})." }
    NotSignedIn { vi: "Bạn chưa đăng nhập.", en: "You are not signed in." }
    RoleTrainee { vi: "học viên", en: "trainee" }
    RoleLecturer { vi: "giảng viên", en: "lecturer" }
    RoleCentreAdmin { vi: "quản trị trung tâm", en: "centre administrator" }

    // Offline and sync
    UpdateReady { vi: "Đã có phiên bản mới của ứng dụng.", en: "A new version of the app is ready." }
    UpdateReload { vi: "Tải lại", en: "Reload" }
    SyncTitle { vi: "Đồng bộ", en: "Sync" }
    SyncStatusLabel { vi: "Trạng thái đồng bộ", en: "Sync status" }
    SyncOnline { vi: "Có mạng", en: "Online" }
    SyncOffline { vi: "Không có mạng", en: "Offline" }
    SyncPending { vi: "{n} thay đổi chưa đồng bộ", en: "{n} {n|change|changes} not yet synced" }
    SyncAllSynced { vi: "Đã đồng bộ", en: "Synced" }
    SyncSyncing { vi: "Đang đồng bộ…", en: "Syncing…" }
    SyncLast { vi: "Đồng bộ lần cuối: {time}", en: "Last synced: {time}" }
    SyncNever { vi: "Chưa đồng bộ lần nào", en: "Not synced yet" }
    SyncNow { vi: "Đồng bộ ngay", en: "Sync now" }
    SyncRejected {
        vi: "Máy chủ chưa nhận {n} thay đổi vì ứng dụng cần cập nhật. Các thay đổi vẫn được giữ trên máy.",
        en: "The server did not accept {n} {n|change|changes} because the app needs updating. They are kept on this device.",
    }
    SyncLoginAgain {
        vi: "Cần đăng nhập lại để đồng bộ. Các thay đổi vẫn được giữ trên máy.",
        en: "Log in again to sync. Your changes are kept on this device.",
    }
    DownloadTitle { vi: "Học khi không có mạng", en: "Learn offline" }
    DownloadButton { vi: "Tải về để học khi không có mạng", en: "Download to learn offline" }
    DownloadSize { vi: "Dung lượng khoảng {size}", en: "About {size}" }
    DownloadProgress { vi: "Đang tải về… {done}/{total}", en: "Downloading… {done}/{total}" }
    Downloaded { vi: "Đã tải về máy · chiếm {size}", en: "Downloaded · uses {size} on this device" }
    DownloadAgain { vi: "Cập nhật bản tải về", en: "Update the download" }
    DownloadFailed {
        vi: "Tải về chưa xong vì mất kết nối. Hãy thử lại khi có mạng.",
        en: "The download stopped because the connection dropped. Try again when online.",
    }
    MarkComplete { vi: "Đánh dấu đã học xong", en: "Mark as read" }
    Completed { vi: "Đã học xong", en: "Read" }
    CourseProgress { vi: "Đã học {done}/{total} bài", en: "{done} of {total} {total|lesson|lessons} read" }
    StorageTitle { vi: "Lưu trữ trên máy", en: "Storage on this device" }
    StoragePersisted {
        vi: "Trình duyệt sẽ giữ dữ liệu học tập, kể cả khi máy thiếu dung lượng.",
        en: "The browser will keep your learning data even when space runs low.",
    }
    StorageNotPersisted {
        vi: "Trình duyệt có thể xoá dữ liệu khi máy thiếu dung lượng. Hãy đồng bộ thường xuyên.",
        en: "The browser may clear data when space runs low. Sync often.",
    }
    StorageUsage { vi: "Đang dùng {used} trên {quota}", en: "Using {used} of {quota}" }
    OfflineNotDownloaded {
        vi: "Nội dung này chưa có trên máy. Hãy kết nối mạng, hoặc tải chương trình về trước.",
        en: "This is not on this device yet. Connect, or download the course first.",
    }

    // Situation questions
    SituationsTitle { vi: "Câu hỏi tình huống", en: "Situation questions" }
    ModeDiscussion { vi: "Thảo luận", en: "Discussion" }
    ModePractice { vi: "Luyện tập", en: "Practice" }
    QuestionCount { vi: "{n} câu hỏi", en: "{n} {n|question|questions}" }
    AnsweredCount { vi: "Đã trả lời {done}/{total}", en: "{done} of {total} answered" }
    ScenarioLabel { vi: "Tình huống", en: "The situation" }
    QuestionOf { vi: "Câu {n}/{total}", en: "Question {n} of {total}" }
    SubmitAnswer { vi: "Gửi câu trả lời", en: "Submit answer" }
    ChangeAnswer { vi: "Trả lời lại", en: "Answer again" }
    AnswerRequired { vi: "Vui lòng chọn hoặc nhập câu trả lời trước khi gửi.", en: "Please choose or type an answer before submitting." }
    AnswerSaved { vi: "Đã lưu câu trả lời.", en: "Answer saved." }
    ResultCorrect { vi: "Chính xác", en: "Correct" }
    ResultPartial { vi: "Đúng một phần", en: "Partly correct" }
    ResultIncorrect { vi: "Chưa đúng", en: "Not correct" }
    ResultNeedsGrading { vi: "Giảng viên sẽ chấm bài này.", en: "A lecturer will grade this." }
    ResultPoints { vi: "{earned}/{max} điểm", en: "{earned} of {max} {max|point|points}" }
    ExplanationLabel { vi: "Giải thích", en: "Explanation" }
    TrueLabel { vi: "Đúng", en: "True" }
    FalseLabel { vi: "Sai", en: "False" }
    MoveUp { vi: "Lên", en: "Up" }
    MoveDown { vi: "Xuống", en: "Down" }
    MatchChoose { vi: "— Chọn —", en: "— Choose —" }
    YourAnswerLabel { vi: "Câu trả lời của bạn", en: "Your answer" }
    OthersTitle { vi: "Ý kiến của các học viên khác (không ghi tên)", en: "Other trainees' views (without names)" }
    OthersNone { vi: "Chưa có ý kiến nào khác.", en: "No other views yet." }
    OthersOffline { vi: "Cần có mạng để xem ý kiến của người khác.", en: "Connect to see other trainees' views." }
    GuidanceTitle { vi: "Định hướng của giảng viên", en: "The lecturer's guidance" }

    // Assessments
    AssessmentsTitle { vi: "Bài kiểm tra", en: "Assessments" }
    AssessmentFacts { vi: "{n} câu · {minutes} phút · đạt từ {pass}%", en: "{n} {n|question|questions} · {minutes} min · pass mark {pass}%" }
    AssessmentFactsNoLimit { vi: "{n} câu · không giới hạn thời gian · đạt từ {pass}%", en: "{n} {n|question|questions} · no time limit · pass mark {pass}%" }
    AttemptsAllowed { vi: "Được làm tối đa {n} lần.", en: "Up to {n} {n|attempt|attempts}." }
    StartAttempt { vi: "Bắt đầu làm bài", en: "Start the assessment" }
    ClosesOn { vi: "Hạn cuối: hết ngày {date}.", en: "Open until the end of {date}." }
    AssessmentClosed { vi: "Bài kiểm tra đã đóng.", en: "This assessment has closed." }
    ResumeAttempt { vi: "Tiếp tục làm bài", en: "Continue the assessment" }
    NoAttemptsLeft { vi: "Bạn đã dùng hết số lần làm bài.", en: "You have used all your attempts." }
    TimeLeft { vi: "Còn lại {time}", en: "{time} left" }
    PrevQuestion { vi: "Câu trước", en: "Previous" }
    NextQuestion { vi: "Câu tiếp", en: "Next" }
    SubmitAttempt { vi: "Nộp bài", en: "Hand in" }
    ConfirmSubmit { vi: "Bạn còn {n} câu chưa trả lời. Bạn có chắc muốn nộp bài?", en: "{n} {n|question is|questions are} unanswered. Hand in anyway?" }
    ConfirmSubmitAll { vi: "Bạn đã trả lời tất cả các câu. Nộp bài?", en: "You have answered every question. Hand in?" }
    KeepWorking { vi: "Quay lại làm tiếp", en: "Keep working" }
    AnswerSavedAuto { vi: "Câu trả lời được lưu ngay khi bạn chọn hoặc nhập.", en: "Answers are saved as you give them." }
    AttemptSubmitted { vi: "Đã nộp bài.", en: "Handed in." }
    ResultPending { vi: "Bài làm đã được lưu trên máy và sẽ được chấm khi có mạng.", en: "Your attempt is saved on this device and will be scored when you are online." }
    YourAttempts { vi: "Các lần làm bài", en: "Your attempts" }
    AttemptLine { vi: "Lần {n}: {percent}% ({earned}/{max} điểm)", en: "Attempt {n}: {percent}% ({earned} of {max} {max|point|points})" }
    Passed { vi: "Đạt", en: "Passed" }
    NotPassed { vi: "Chưa đạt", en: "Not passed" }
    AwaitingGrading { vi: "Chờ giảng viên chấm", en: "Awaiting grading" }
    InProgress { vi: "Đang làm", en: "In progress" }
    AwaitingSync { vi: "Đã nộp, sẽ được chấm sau khi đồng bộ", en: "Handed in; scored after sync" }
    CorrectAnswerLabel { vi: "Đáp án đúng: {answer}", en: "Correct answer: {answer}" }
    ReviewTitle { vi: "Xem lại bài làm", en: "Review" }
    Unanswered { vi: "Chưa trả lời", en: "Unanswered" }
    QuestionNumber { vi: "Câu {n}", en: "Question {n}" }
    NavGrading { vi: "Chấm bài", en: "Grading" }
    GradingTitle { vi: "Bài tự luận chờ chấm", en: "Essays waiting for marks" }
    GradingEmpty { vi: "Không có bài nào chờ chấm.", en: "Nothing is waiting for marks." }
    GradingTrainee { vi: "Học viên: {name}", en: "Trainee: {name}" }
    CriterionPoints { vi: "{description} (tối đa {max} điểm)", en: "{description} (up to {max} {max|point|points})" }
    GradeComment { vi: "Nhận xét gửi học viên", en: "Comment for the trainee" }
    SaveGrade { vi: "Lưu điểm", en: "Save the marks" }
    GradeSaved { vi: "Đã lưu điểm. Học viên sẽ thấy sau khi đồng bộ.", en: "Marks saved. The trainee sees them after sync." }
    GradeInvalid { vi: "Điểm của mỗi tiêu chí phải từ 0 đến mức tối đa.", en: "Each criterion's marks must be between 0 and its maximum." }
    NavBank { vi: "Ngân hàng câu hỏi", en: "Question bank" }
    BankTitle { vi: "Ngân hàng câu hỏi của tôi", en: "My question bank" }
    BankIntro {
        vi: "Nhập câu hỏi từ tệp GIFT, Aiken, Excel, Moodle XML hoặc gói QTI 3.0. Ứng dụng sẽ kiểm tra từng câu và báo lỗi theo số dòng (hoặc số câu) trước khi nhập.",
        en: "Import questions from a GIFT, Aiken, Excel or Moodle XML file or a QTI 3.0 package. Each question is checked, with problems by line (or question) number, before anything is imported.",
    }
    BankFile { vi: "Chọn tệp câu hỏi (.txt, .gift)", en: "Choose a question file (.txt, .gift)" }
    BankFormat { vi: "Định dạng tệp", en: "File format" }
    BankCheck { vi: "Kiểm tra tệp", en: "Check the file" }
    BankImportAll { vi: "Nhập tất cả", en: "Import all" }
    BankImportValid { vi: "Chỉ nhập {n} câu hợp lệ", en: "Import only the {n} valid {n|question|questions}" }
    BankReportOk { vi: "Đọc được {n} câu hỏi, không có lỗi.", en: "{n} {n|question|questions} read, no problems." }
    BankReportProblems { vi: "Đọc được {n} câu hỏi; {p} chỗ không nhập được:", en: "{n} {n|question|questions} read; {p} {p|thing|things} cannot be imported:" }
    BankProblemLine { vi: "Dòng {line}: {message}", en: "Line {line}: {message}" }
    KindSingleChoice { vi: "Một lựa chọn", en: "Single choice" }
    KindMultipleChoice { vi: "Nhiều lựa chọn", en: "Multiple choice" }
    KindTrueFalse { vi: "Đúng/sai", en: "True/false" }
    KindOrdering { vi: "Sắp xếp", en: "Ordering" }
    KindMatching { vi: "Ghép cặp", en: "Matching" }
    KindShortAnswer { vi: "Trả lời ngắn", en: "Short answer" }
    KindEssay { vi: "Tự luận", en: "Essay" }
    KindOpinion { vi: "Ý kiến", en: "Opinion" }
    BankQuestionsRead { vi: "Các câu hỏi đọc được ({n})", en: "Questions read ({n})" }
    BankImported { vi: "Đã nhập {n} câu hỏi vào ngân hàng.", en: "{n} {n|question|questions} imported into the bank." }
    BankEmpty { vi: "Ngân hàng chưa có câu hỏi nào.", en: "The bank has no questions yet." }
    BankExport { vi: "Tải về dạng GIFT", en: "Download as GIFT" }
    BankChooseFirst { vi: "Vui lòng chọn một tệp trước.", en: "Please choose a file first." }
    BankFileUnreadable { vi: "Không đọc được tệp. Hãy lưu tệp dạng văn bản UTF-8 rồi thử lại.", en: "The file could not be read. Save it as UTF-8 text and try again." }
    // Spreadsheet import
    BankFormatXlsx { vi: "Excel (XLSX)", en: "Excel (XLSX)" }
    BankFileXlsx { vi: "Chọn tệp Excel (.xlsx)", en: "Choose an Excel file (.xlsx)" }
    BankTemplate { vi: "Tải tệp mẫu Excel", en: "Download the Excel template" }
    BankXlsxHint {
        vi: "Mỗi dòng của trang tính đầu tiên là một câu hỏi, dòng đầu là tên các cột. Hãy bắt đầu từ tệp mẫu: trang «Hướng dẫn» giải thích từng cột.",
        en: "Each row of the first sheet is one question; the first row holds the column names. Start from the template: its “Hướng dẫn” sheet explains each column.",
    }
    BankXlsxUnreadable { vi: "Không đọc được tệp Excel. Trong Excel, chọn Tệp → Lưu Như → Sổ làm việc Excel (*.xlsx) rồi thử lại.", en: "The Excel file could not be read. In Excel, choose File → Save As → Excel Workbook (*.xlsx) and try again." }
    LecturerComment { vi: "Nhận xét của giảng viên: {comment}", en: "Lecturer's comment: {comment}" }

    // Branching scenarios
    ScenarioKind { vi: "Tình huống rẽ nhánh", en: "Branching scenario" }
    ScenarioHint { vi: "Ở mỗi bước, hãy chọn một cách làm. Lựa chọn của bạn quyết định diễn biến tiếp theo.", en: "At each step, choose what to do. Your choice decides what happens next." }
    ScenarioStart { vi: "Bắt đầu", en: "Start" }
    ScenarioStepOf { vi: "Bước {n}", en: "Step {n}" }
    ScenarioChoicesLabel { vi: "Bạn sẽ làm gì?", en: "What do you do?" }
    ScenarioEnding { vi: "Kết thúc", en: "The end" }
    ScenarioScore { vi: "Điểm: {score}/{max}", en: "Score: {score} of {max}" }
    ScenarioPath { vi: "Con đường bạn đã chọn", en: "The path you took" }
    ScenarioYouChose { vi: "Bạn chọn: {choice}", en: "You chose: {choice}" }
    ScenarioRestart { vi: "Làm lại từ đầu", en: "Start again" }

    NotFoundTitle { vi: "Không tìm thấy trang", en: "Page not found" }
    NotFoundBody { vi: "Trang bạn tìm không tồn tại hoặc đã được chuyển đi.", en: "The page you are looking for does not exist or has moved." }
    BackHome { vi: "Về trang chủ", en: "Back to the home page" }
    StaffLoading { vi: "Đang mở trang dành cho giảng viên…", en: "Opening the lecturers' page…" }
    StaffOfflineTitle { vi: "Trang này chưa có trên máy", en: "This page is not on this device yet" }
    PageNotOnDevice { vi: "Máy này chưa tải phần này của ứng dụng về, nên cần kết nối mạng để mở lần đầu. Sau đó trang mở được cả khi không có mạng.", en: "This device has not downloaded this part of the app yet, so it needs a connection the first time. After that it opens offline too." }
    StaffOfflineBody { vi: "Đây là trang dành cho giảng viên và cán bộ quản lý. Máy này chưa tải phần đó về, nên cần kết nối mạng để mở lần đầu. Sau đó trang mở được cả khi không có mạng.", en: "This page is for lecturers and administrators. This device has not downloaded that part yet, so it needs a connection the first time. After that it opens offline too." }

    // Classes, progress, reports and certificates (issue 5)
    StatusNotStarted { vi: "Chưa bắt đầu", en: "Not started" }
    StatusInProgress { vi: "Đang học", en: "In progress" }
    StatusCompleted { vi: "Hoàn thành", en: "Completed" }
    ColFullName { vi: "Họ và tên", en: "Full name" }
    ColUsername { vi: "Tên đăng nhập", en: "Username" }
    ColPercent { vi: "Tiến độ (%)", en: "Progress (%)" }
    ColCompleted { vi: "Hoàn thành khoá học", en: "Course completed" }
    ColBestScore { vi: "{title}: điểm cao nhất (%)", en: "{title}: best score (%)" }
    ColPassed { vi: "{title}: kết quả", en: "{title}: result" }
    ColCertificate { vi: "Mã giấy chứng nhận", en: "Certificate code" }
    ColLive { vi: "Phiên học trực tiếp đã dự", en: "Live sessions attended" }
    LiveAttendedLine { vi: "Đã tham dự {n} phiên học trực tiếp.", en: "Attended {n} live {n|session|sessions}." }
    RoleProvinceAdmin { vi: "quản trị cấp tỉnh", en: "province administrator" }
    NavProgress { vi: "Kết quả học tập", en: "My progress" }
    NavClasses { vi: "Lớp học", en: "Classes" }
    NavReport { vi: "Báo cáo", en: "Report" }
    ErrWrongPassword { vi: "Mật khẩu hiện tại không đúng.", en: "The current password is wrong." }
    ErrWeakPassword { vi: "Mật khẩu mới cần ít nhất {min} ký tự.", en: "The new password needs at least {min} characters." }
    PasswordTitle { vi: "Đổi mật khẩu", en: "Change password" }
    PasswordCurrent { vi: "Mật khẩu hiện tại", en: "Current password" }
    PasswordNew { vi: "Mật khẩu mới (ít nhất 8 ký tự)", en: "New password (at least 8 characters)" }
    PasswordRepeat { vi: "Nhập lại mật khẩu mới", en: "Repeat the new password" }
    PasswordMismatch { vi: "Hai lần nhập mật khẩu mới không giống nhau.", en: "The two new passwords differ." }
    PasswordChanged { vi: "Đã đổi mật khẩu.", en: "Your password has been changed." }
    MustChangePassword { vi: "Bạn đang dùng mật khẩu do trung tâm cấp. Hãy đổi sang mật khẩu của riêng bạn.", en: "You are using the password the centre gave you. Please choose your own." }
    ChangePasswordNow { vi: "Đổi mật khẩu ngay", en: "Change it now" }

    ProgressTitle { vi: "Kết quả học tập", en: "My progress" }
    ProgressPercent { vi: "Hoàn thành {percent}%", en: "{percent}% complete" }
    ProgressDone { vi: "Đã làm {done}/{required} yêu cầu của khoá học", en: "{done} of {required} {required|requirement|requirements} done" }
    NextStepLesson { vi: "Tiếp theo: đọc bài “{title}”", en: "Next: read “{title}”" }
    NextStepSituation { vi: "Tiếp theo: làm bộ câu hỏi “{title}”", en: "Next: answer “{title}”" }
    NextStepAssessment { vi: "Tiếp theo: làm bài kiểm tra “{title}”", en: "Next: take “{title}”" }
    CourseCompleted { vi: "Bạn đã hoàn thành khoá học.", en: "You have completed this course." }
    ModuleStatusLine { vi: "{title}: {status} ({done}/{required})", en: "{title}: {status} ({done}/{required})" }
    ScoresTitle { vi: "Điểm kiểm tra", en: "Test scores" }
    ResultLine { vi: "{title}: cao nhất {best}%, lần gần nhất {last}% — {attempts} lần nộp bài", en: "{title}: best {best}%, latest {last}% — handed in {attempts} {attempts|time|times}" }
    ResultNone { vi: "{title}: chưa làm", en: "{title}: not taken yet" }
    CertificateTitle { vi: "Giấy chứng nhận", en: "Certificate" }
    CertificateNumber { vi: "Giấy chứng nhận số {code}, cấp ngày {date}", en: "Certificate {code}, issued on {date}" }
    CertificateOpen { vi: "Xem và in giấy chứng nhận", en: "View and print the certificate" }
    CertificateNotYet { vi: "Giấy chứng nhận được cấp khi bạn hoàn thành khoá học.", en: "The certificate is issued when you complete the course." }

    ClassesTitle { vi: "Lớp học", en: "Classes" }
    ClassesEmpty { vi: "Chưa có lớp nào.", en: "There are no classes yet." }
    ClassDates { vi: "Từ {start} đến {end}", en: "From {start} to {end}" }
    ClassLecturers { vi: "Giảng viên: {names}", en: "Lecturers: {names}" }
    ClassTrainees { vi: "{n} học viên", en: "{n} {n|trainee|trainees}" }
    NewClassTitle { vi: "Mở lớp mới", en: "Open a new class" }
    ClassName { vi: "Tên lớp", en: "Class name" }
    ClassCourse { vi: "Chương trình", en: "Course" }
    ClassStarts { vi: "Ngày khai giảng", en: "Start date" }
    ClassEnds { vi: "Ngày bế giảng", en: "End date" }
    ClassLecturersPick { vi: "Giảng viên phụ trách", en: "Lecturers" }
    CreateClass { vi: "Mở lớp", en: "Open the class" }
    ClassCreated { vi: "Đã mở lớp “{name}”.", en: "The class “{name}” is open." }
    ClassNameMissing { vi: "Hãy nhập tên lớp và chọn ngày.", en: "Enter the class name and the dates." }
    ClassDatesInvalid { vi: "Ngày bế giảng phải sau ngày khai giảng.", en: "The end date must come after the start date." }

    MatrixTitle { vi: "Tiến độ của lớp", en: "Class progress" }
    MatrixEmpty { vi: "Lớp chưa có học viên.", en: "The class has no trainees yet." }
    MatrixTrainee { vi: "Học viên", en: "Trainee" }
    MatrixPercent { vi: "Tiến độ", en: "Progress" }
    MatrixModuleShort { vi: "CĐ {n}", en: "M{n}" }
    MatrixLegend { vi: "Các chuyên đề", en: "Modules" }
    MatrixCaption { vi: "Tiến độ từng học viên theo chuyên đề", en: "Each trainee's progress by module" }
    ExportCsv { vi: "Tải về CSV", en: "Download CSV" }
    ExportXlsx { vi: "Tải về Excel", en: "Download Excel" }
    ExportXapi { vi: "Tải hồ sơ học tập (xAPI)", en: "Download learning records (xAPI)" }
    StatsTitle { vi: "Thống kê câu hỏi", en: "Question statistics" }
    StatsIntro { vi: "Tỉ lệ đúng cho biết câu hỏi dễ hay khó. Độ phân biệt là chênh lệch tỉ lệ đúng giữa nhóm điểm cao và nhóm điểm thấp (cần ít nhất 5 bài); câu có độ phân biệt thấp hoặc âm nên được xem lại.", en: "Facility is the share of correct answers. Discrimination is the difference in facility between the top and bottom groups (needs at least 5 attempts); review questions with low or negative discrimination." }
    StatsAttempts { vi: "{title}: {n} học viên đã nộp bài lần đầu", en: "{title}: {n} {n|trainee|trainees} handed in a first attempt" }
    StatsNone { vi: "{title}: chưa có bài nộp.", en: "{title}: nothing handed in yet." }
    StatsQuestion { vi: "Câu hỏi", en: "Question" }
    StatsResponses { vi: "Số bài", en: "Responses" }
    StatsFacility { vi: "Tỉ lệ đúng", en: "Facility" }
    StatsDiscrimination { vi: "Độ phân biệt", en: "Discrimination" }
    StatsFlag { vi: "Nhận xét", en: "Note" }
    FlagTooHard { vi: "Quá khó", en: "Too hard" }
    FlagTooEasy { vi: "Quá dễ", en: "Too easy" }
    FlagPoor { vi: "Phân biệt kém", en: "Poor discrimination" }
    FlagNegative { vi: "Học viên yếu làm đúng hơn — xem lại đáp án", en: "Weaker trainees do better — check the key" }

    RosterTitle { vi: "Danh sách học viên", en: "Roster" }
    RosterBirth { vi: "Ngày sinh", en: "Date of birth" }
    RosterUnit { vi: "Đơn vị", en: "Unit" }
    RosterPosition { vi: "Chức vụ", en: "Position" }
    ResetPassword { vi: "Cấp lại mật khẩu", en: "Reset password" }
    ResetConfirm { vi: "Cấp lại mật khẩu cho {name}? Mật khẩu cũ sẽ không dùng được nữa.", en: "Reset {name}'s password? The old one will stop working." }
    ResetDone { vi: "Mật khẩu mới của {name} ({username}): {password} — học viên sẽ phải đổi mật khẩu khi đăng nhập.", en: "New password for {name} ({username}): {password} — they will be asked to change it at login." }
    ImportTitle { vi: "Nhập danh sách học viên", en: "Import the roster" }
    ImportHelp { vi: "Tệp CSV hoặc Excel (.xlsx) có các cột: Họ và tên, Ngày sinh, Đơn vị, Chức vụ, Số điện thoại (không bắt buộc), mỗi dòng một học viên. Tệp được kiểm tra trước; chỉ khi không có lỗi mới tạo tài khoản.", en: "A CSV or Excel (.xlsx) file with the columns Full name, Date of birth, Unit, Position, Phone (optional), one trainee per row. The file is checked first; accounts are created only when it has no errors." }
    ImportFile { vi: "Tệp danh sách", en: "Roster file" }
    ImportCheck { vi: "Kiểm tra tệp", en: "Check the file" }
    ImportConfirm { vi: "Tạo tài khoản cho {n} học viên", en: "Create {n|an account|accounts} for {n} {n|trainee|trainees}" }
    ImportOk { vi: "Tệp hợp lệ: {n} học viên.", en: "The file is fine: {n} {n|trainee|trainees}." }
    ImportProblems { vi: "Tệp có {n} lỗi; chưa tạo tài khoản nào. Sửa tệp rồi kiểm tra lại:", en: "The file has {n} {n|problem|problems}; no account was created. Fix the file and check it again:" }
    ImportDone { vi: "Đã tạo {n} tài khoản. In danh sách dưới đây và phát cho học viên.", en: "{n} {n|account|accounts} created. Print the list below and hand it out." }
    ImportLimit { vi: "Mỗi tệp tối đa {max} học viên.", en: "At most {max} {max|trainee|trainees} per file." }
    ImportChooseFirst { vi: "Hãy chọn tệp danh sách.", en: "Choose the roster file first." }
    PrintSheet { vi: "In danh sách", en: "Print the list" }
    SheetTitle { vi: "Tài khoản học viên — {class}", en: "Trainee accounts — {class}" }
    SheetUsername { vi: "Tên đăng nhập", en: "Username" }
    SheetPassword { vi: "Mật khẩu ban đầu", en: "Initial password" }
    RosterNoHeader { vi: "Không tìm thấy dòng tiêu đề (cần có cột “Họ và tên”).", en: "No header row found (a “Họ và tên” column is needed)." }
    RosterMissingColumn { vi: "Thiếu cột “{column}”.", en: "The “{column}” column is missing." }
    RosterMissingName { vi: "Dòng {row}: thiếu họ và tên.", en: "Row {row}: the full name is missing." }
    RosterBadDate { vi: "Dòng {row}: ngày sinh “{value}” không đúng (viết như 25/03/1980).", en: "Row {row}: the date of birth “{value}” is not a date (write it like 25/03/1980)." }
    RosterBadPhone { vi: "Dòng {row}: số điện thoại “{value}” không đúng.", en: "Row {row}: the phone number “{value}” is not valid." }
    RosterDuplicate { vi: "Dòng {row}: trùng họ tên và ngày sinh với dòng {first}.", en: "Row {row}: same name and date of birth as row {first}." }
    RosterTooLong { vi: "Dòng {row}: có ô dài quá 200 ký tự.", en: "Row {row}: a cell is longer than 200 characters." }
    RosterTooMany { vi: "Tệp có hơn {max} học viên; hãy chia thành nhiều tệp.", en: "The file has more than {max} {max|trainee|trainees}; split it." }
    RosterEmpty { vi: "Tệp không có học viên nào.", en: "The file lists no trainee." }
    RosterUnreadable { vi: "Không đọc được tệp. Hãy lưu thành CSV (UTF-8) hoặc Excel (.xlsx) rồi thử lại.", en: "The file cannot be read. Save it as CSV (UTF-8) or Excel (.xlsx) and try again." }

    RecordTitle { vi: "Hồ sơ học tập: {name}", en: "Learning record: {name}" }
    RecordBack { vi: "Về trang lớp", en: "Back to the class" }
    RecordAttemptLine { vi: "{title} — lần {n}: {percent}%", en: "{title} — attempt {n}: {percent}%" }
    RecordAnswer { vi: "Trả lời: {answer}", en: "Answer: {answer}" }
    RecordNoAttempts { vi: "Chưa làm bài kiểm tra nào.", en: "No test taken yet." }
    RecordSituations { vi: "Câu hỏi tình huống", en: "Situation questions" }

    ReportTitle { vi: "Báo cáo kết quả đào tạo", en: "Training report" }
    ReportYear { vi: "Năm (theo ngày khai giảng)", en: "Year (by start date)" }
    ReportShow { vi: "Xem báo cáo", en: "Show" }
    ReportEmpty { vi: "Không có lớp nào khai giảng trong năm {year}.", en: "No class started in {year}." }
    ReportCentre { vi: "Trung tâm", en: "Centre" }
    ReportClasses { vi: "Số lớp", en: "Classes" }
    ReportTrainees { vi: "Số học viên", en: "Trainees" }
    ReportCompleted { vi: "Hoàn thành khoá học", en: "Completed" }
    ReportPassed { vi: "Đạt kiểm tra", en: "Passed the tests" }
    RateCell { vi: "{count} ({rate}%)", en: "{count} ({rate}%)" }

    CertNation { vi: "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", en: "SOCIALIST REPUBLIC OF VIET NAM" }
    CertMotto { vi: "Độc lập – Tự do – Hạnh phúc", en: "Independence – Freedom – Happiness" }
    CertHeading { vi: "GIẤY CHỨNG NHẬN", en: "CERTIFICATE" }
    CertCertifies { vi: "Chứng nhận ông (bà)", en: "This certifies that" }
    CertBorn { vi: "Sinh ngày {date}", en: "Born on {date}" }
    CertCompleted { vi: "Đã hoàn thành chương trình", en: "has completed the course" }
    CertClass { vi: "{class}, từ {start} đến {end}", en: "{class}, from {start} to {end}" }
    CertIssued { vi: "Ngày cấp: {date}", en: "Issued on: {date}" }
    CertCode { vi: "Số hiệu: {code}", en: "Number: {code}" }
    CertVerifyAt { vi: "Kiểm tra tại {url}", en: "Verify at {url}" }
    CertPrint { vi: "In giấy chứng nhận", en: "Print the certificate" }
    CertRevoked { vi: "Giấy chứng nhận này đã bị thu hồi ngày {date}. Lý do: {reason}", en: "This certificate was revoked on {date}. Reason: {reason}" }
    RevokeTitle { vi: "Thu hồi giấy chứng nhận", en: "Revoke the certificate" }
    RevokeReason { vi: "Lý do thu hồi", en: "Reason" }
    RevokeButton { vi: "Thu hồi", en: "Revoke" }
    RevokeReasonMissing { vi: "Hãy ghi lý do thu hồi.", en: "Give the reason for revoking." }
    VerifyTitle { vi: "Kiểm tra giấy chứng nhận", en: "Verify a certificate" }
    VerifyIntro { vi: "Nhập số hiệu in trên giấy chứng nhận, ví dụ K7QX2-MB9TF.", en: "Enter the number printed on the certificate, e.g. K7QX2-MB9TF." }
    VerifyCode { vi: "Số hiệu", en: "Number" }
    VerifyButton { vi: "Kiểm tra", en: "Verify" }
    VerifyValid { vi: "Giấy chứng nhận hợp lệ.", en: "The certificate is valid." }
    VerifyNotFound { vi: "Không có giấy chứng nhận nào mang số hiệu này.", en: "There is no certificate with this number." }
    VerifyDetails { vi: "{name} đã hoàn thành chương trình “{course}” tại {centre}; giấy chứng nhận cấp ngày {date}.", en: "{name} completed the course “{course}” at {centre}; issued on {date}." }
    Yes { vi: "Có", en: "Yes" }
    No { vi: "Không", en: "No" }
    // Live session (issue 6)
    NavLive { vi: "Phiên trực tiếp", en: "Live sessions" }
    LiveJoinEntry { vi: "Tham gia phiên trực tiếp", en: "Join a live session" }
    LiveJoinTitle { vi: "Tham gia phiên học trực tiếp", en: "Join a live session" }
    LiveJoinIntro { vi: "Nhập mã 6 chữ số giảng viên đưa ra, hoặc quét mã QR trên màn chiếu.", en: "Enter the 6-digit code your lecturer gives, or scan the QR code on the screen." }
    LiveCodeLabel { vi: "Mã phiên", en: "Session code" }
    LiveCodeInvalid { vi: "Mã phiên gồm đúng 6 chữ số.", en: "The code is exactly 6 digits." }
    LiveJoinButton { vi: "Tham gia", en: "Join" }
    LiveNameLabel { vi: "Tên hiển thị", en: "Display name" }
    LiveNameHint { vi: "Tên này hiện trên màn chiếu của lớp.", en: "This name is shown on the class screen." }
    LiveNoSession { vi: "Không tìm thấy phiên với mã này. Hãy kiểm tra lại mã; có thể phiên đã kết thúc.", en: "No session has this code. Check the code; the session may have ended." }
    LiveLoginRequired { vi: "Phiên này chỉ dành cho học viên đã đăng nhập.", en: "This session is for signed-in trainees only." }
    LiveBadName { vi: "Vui lòng nhập tên từ 1 đến 40 ký tự.", en: "Please enter a name of 1 to 40 characters." }
    LiveForbidden { vi: "Chỉ người mở phiên và quản trị trung tâm của họ mới điều khiển được phiên này.", en: "Only whoever opened the session, or their centre's administrator, can run it." }
    LiveBadMessage { vi: "Máy chủ không đọc được yêu cầu vừa gửi; không có gì bị thay đổi.", en: "The server could not read the last request; nothing changed." }
    LiveFull { vi: "Phiên đã đủ người.", en: "The session is full." }
    LiveWrongPhase { vi: "Lệnh này không dùng được lúc này.", en: "That command does not fit right now." }
    LiveConnected { vi: "Đã kết nối", en: "Connected" }
    LiveReconnecting { vi: "Mất kết nối, đang kết nối lại…", en: "Connection lost, reconnecting…" }
    LiveWelcome { vi: "Xin chào {name}!", en: "Hello {name}!" }
    LiveWaiting { vi: "Chờ giảng viên bắt đầu…", en: "Waiting for the lecturer to start…" }
    LiveSecondsLeft { vi: "Còn {s} giây", en: "{s} s left" }
    LiveSending { vi: "Đang gửi…", en: "Sending…" }
    LiveQueued { vi: "Chưa có mạng: câu trả lời được giữ trên máy và sẽ gửi ngay khi có kết nối. Chỉ được tính nếu đến máy chủ trước khi hết giờ.", en: "Offline: your answer is kept on this phone and sent as soon as the connection returns. It counts only if it reaches the server before time is up." }
    LiveReceived { vi: "Đã nhận câu trả lời", en: "Answer received" }
    LiveTooLate { vi: "Câu trả lời đến sau khi hết giờ nên không được tính.", en: "Your answer arrived after time was up, so it does not count." }
    LiveAlreadyAnswered { vi: "Bạn đã trả lời câu này rồi; câu trả lời đầu tiên được tính.", en: "You have already answered this question; your first answer counts." }
    LiveInvalid { vi: "Câu trả lời chưa hợp lệ, hãy kiểm tra lại.", en: "That answer is not valid; please check it." }
    LiveNotOpen { vi: "Câu hỏi này không còn mở.", en: "This question is not open." }
    LiveTimeUp { vi: "Hết giờ", en: "Time is up" }
    LiveNoAnswer { vi: "Bạn chưa trả lời câu này.", en: "You did not answer this question." }
    LiveCorrectAnswer { vi: "Đáp án đúng: {answer}", en: "Correct answer: {answer}" }
    LivePoints { vi: "+{points} điểm · tổng {total} điểm", en: "+{points} {points|point|points} · {total} in total" }
    LiveRank { vi: "Hạng {rank}", en: "Rank {rank}" }
    LiveTotal { vi: "Tổng điểm: {total}", en: "Total: {total} {total|point|points}" }
    LiveEnded { vi: "Phiên đã kết thúc. Cảm ơn bạn đã tham gia!", en: "The session has ended. Thank you for taking part!" }
    LiveOpinionNote { vi: "Ý kiến được chiếu lên màn hình của lớp, không kèm tên.", en: "Views are shown on the class screen without names." }
    LiveDiscussionDone { vi: "Cảm ơn ý kiến của bạn.", en: "Thank you for your view." }
    PresentTitle { vi: "Phiên học trực tiếp", en: "Live sessions" }
    PresentNewTitle { vi: "Tạo phiên mới", en: "New session" }
    PresentCourse { vi: "Chương trình", en: "Course" }
    PresentChooseQuestions { vi: "Chọn câu hỏi (theo thứ tự sẽ hỏi)", en: "Choose questions (asked in this order)" }
    PresentSeconds { vi: "Thời gian mỗi câu (giây)", en: "Time per question (seconds)" }
    PresentGuests { vi: "Cho phép khách tham gia bằng tên, không cần đăng nhập", en: "Let guests join with a name, without signing in" }
    PresentLeaderboard { vi: "Bảng xếp hạng: điểm theo độ đúng và tốc độ (nên tắt khi thảo luận)", en: "Leaderboard: points for correctness and speed (best off for discussion)" }
    PresentCreate { vi: "Tạo phiên", en: "Create session" }
    PresentNoneChosen { vi: "Hãy chọn ít nhất một câu hỏi.", en: "Choose at least one question." }
    PresentSecondsInvalid { vi: "Thời gian mỗi câu từ 5 đến 600 giây.", en: "Time per question is 5 to 600 seconds." }
    PresentOpenSessions { vi: "Phiên của bạn đang mở", en: "Your open sessions" }
    PresentOpenView { vi: "Mở màn trình chiếu", en: "Open the presenter view" }
    PresentCode { vi: "Mã tham gia", en: "Join code" }
    PresentJoinAt { vi: "Vào {url} và nhập mã", en: "Go to {url} and enter the code" }
    PresentQrLabel { vi: "Mã QR để tham gia phiên {code}", en: "QR code to join session {code}" }
    PresentJoined { vi: "{n} người đã tham gia", en: "{n} joined" }
    PresentAnswered { vi: "{n}/{total} đã trả lời", en: "{n}/{total} answered" }
    PresentLobbyHint { vi: "Chờ học viên tham gia…", en: "Waiting for trainees to join…" }
    PresentStart { vi: "Bắt đầu", en: "Start" }
    PresentNext { vi: "Câu tiếp theo", en: "Next question" }
    PresentToSummary { vi: "Tổng kết", en: "Summary" }
    PresentClose { vi: "Đóng câu hỏi", en: "Close question" }
    PresentExtend { vi: "+15 giây", en: "+15 seconds" }
    PresentReveal { vi: "Hiện đáp án", en: "Reveal answer" }
    PresentEnd { vi: "Kết thúc phiên", en: "End session" }
    PresentExit { vi: "Thoát", en: "Exit" }
    PresentControls { vi: "Điều khiển phiên", en: "Session controls" }
    PresentWall { vi: "Ý kiến của lớp (không kèm tên)", en: "The class's views (without names)" }
    PresentWallEmpty { vi: "Chưa có ý kiến nào.", en: "No views yet." }
    PresentHide { vi: "Ẩn ý kiến {n}", en: "Hide view {n}" }
    PresentShow { vi: "Hiện lại ý kiến {n}", en: "Show view {n} again" }
    PresentHidden { vi: "Đã ẩn khỏi màn chiếu", en: "Hidden from the screen" }
    PresentLeaderboardTitle { vi: "Bảng xếp hạng", en: "Leaderboard" }
    PresentSummary { vi: "Tổng kết phiên", en: "Session summary" }
    PresentSummaryLine { vi: "{answered} trả lời · {correct} đúng hoàn toàn", en: "{answered} answered · {correct} fully right" }
    PresentSummaryViews { vi: "{answered} ý kiến", en: "{answered} {answered|view|views}" }
    PresentDistribution { vi: "Lớp đã trả lời", en: "How the class answered" }
    PresentPointsShort { vi: "{points} điểm", en: "{points} pts" }
    PresentTimeLeft { vi: "Thời gian còn lại", en: "Time left" }
    PresentCount { vi: "{n} lượt", en: "{n} {n|answer|answers}" }
    // Authoring and review (issue 7)
    NavAuthoring { vi: "Soạn bài", en: "Authoring" }
    AuthTitle { vi: "Soạn bài giảng", en: "Lesson authoring" }
    AuthIntro { vi: "Soạn bài học và bộ câu hỏi tình huống ngay trên trình duyệt. Bài được lưu tự động, kể cả khi mất mạng. Học viên chỉ thấy bài sau khi được duyệt.", en: "Write lessons and situation sets in the browser. Work saves as you type, even offline. Trainees see it only once it is approved." }
    AuthDrafts { vi: "Bản nháp của trung tâm", en: "Your centre's drafts" }
    AuthNoDrafts { vi: "Chưa có bản nháp nào.", en: "No drafts yet." }
    AuthStartFromPublished { vi: "Sửa một chương trình đã xuất bản", en: "Edit a published course" }
    AuthEditCourse { vi: "Soạn bản mới của “{title}”", en: "Start a new version of “{title}”" }
    AuthNewCourse { vi: "Chương trình mới", en: "New course" }
    AuthCourseTitle { vi: "Tên chương trình", en: "Course title" }
    AuthCreateCourse { vi: "Tạo chương trình", en: "Create the course" }
    AuthNeedTitle { vi: "Hãy nhập tên (có ít nhất một chữ cái hoặc chữ số).", en: "Enter a title (with at least one letter or digit)." }
    AuthImport { vi: "Nhập chương trình từ tệp zip", en: "Import a course from a zip file" }
    AuthZipFile { vi: "Tệp zip chứa thư mục chương trình", en: "Zip file of a course folder" }
    AuthImportButton { vi: "Nhập tệp", en: "Import" }
    AuthChooseZip { vi: "Hãy chọn một tệp zip trước.", en: "Choose a zip file first." }
    AuthZipUnreadable { vi: "Không đọc được tệp này. Hãy chọn tệp .zip có course.toml ở gốc hoặc trong một thư mục.", en: "This file cannot be read. Choose a .zip with course.toml at its root or in one folder." }
    AuthZipProblems { vi: "Tệp zip có lỗi, chưa nhập gì. Hãy sửa các chỗ sau rồi nhập lại:", en: "The zip has problems; nothing was imported. Fix these and import again:" }
    AuthImported { vi: "Đã nhập chương trình {course}: {n} tệp mới hoặc đã thay đổi.", en: "Imported course {course}: {n} new or changed files." }
    AuthReviewers { vi: "Người duyệt bài", en: "Reviewers" }
    AuthReviewersHint { vi: "Quản trị trung tâm luôn được duyệt. Đánh dấu giảng viên được giao duyệt bài; không ai được tự duyệt bài mình gửi.", en: "Centre admins always review. Tick the lecturers who review too; nobody approves their own submission." }
    AuthOpenReviews { vi: "Bài chờ duyệt", en: "Waiting for review" }
    AuthStatusEditing { vi: "Đang soạn", en: "Being written" }
    AuthStatusSubmitted { vi: "Đang chờ duyệt", en: "Waiting for review" }
    AuthStatusReturned { vi: "Bị trả lại để sửa", en: "Returned for changes" }
    AuthUnsentOnDevice { vi: "Máy này còn thay đổi chưa gửi lên máy chủ. Mở tệp đó khi có mạng để gửi.", en: "This device has changes not yet sent. Open the file while online to send them." }
    AuthOpenReview { vi: "Xem và duyệt", en: "Review it" }
    AuthFiles { vi: "Các tệp", en: "Files" }
    AuthCourseFile { vi: "Cấu trúc chương trình", en: "Course structure" }
    AuthKindLesson { vi: "Bài học", en: "Lesson" }
    AuthKindSituation { vi: "Bộ câu hỏi tình huống", en: "Situation set" }
    AuthKindOther { vi: "Tệp khác", en: "Other file" }
    AuthFileMeta { vi: "bản {version}, {name} lưu lúc {time}", en: "version {version}, saved by {name} at {time}" }
    AuthMedia { vi: "Ảnh và âm thanh", en: "Images and sound" }
    AuthAddItem { vi: "Thêm bài học hoặc bộ câu hỏi", en: "Add a lesson or a situation set" }
    AuthItemKind { vi: "Loại", en: "Kind" }
    AuthModule { vi: "Chuyên đề", en: "Module" }
    AuthItemTitle { vi: "Tên", en: "Title" }
    AuthAdd { vi: "Thêm", en: "Add" }
    AuthSubmitHeading { vi: "Kiểm tra và gửi duyệt", en: "Check and submit" }
    AuthCheck { vi: "Kiểm tra lỗi", en: "Check for problems" }
    AuthCheckOk { vi: "Không có lỗi: bản nháp có thể gửi duyệt.", en: "No problems: the draft can be submitted." }
    AuthHasProblems { vi: "Bản nháp còn lỗi, chưa gửi được. Hãy sửa các chỗ sau:", en: "The draft has problems and cannot be submitted yet. Fix these:" }
    AuthProblemAt { vi: "{file}, dòng {line}:", en: "{file}, line {line}:" }
    AuthSubmitNote { vi: "Lời nhắn cho người duyệt (không bắt buộc)", en: "Note for the reviewer (optional)" }
    AuthSubmit { vi: "Gửi duyệt", en: "Submit for review" }
    AuthExport { vi: "Tải về dạng tệp zip", en: "Download as a zip file" }
    AuthReviewHistory { vi: "Các lần gửi duyệt", en: "Submissions" }
    AuthSubmittedBy { vi: "{name} gửi duyệt lúc {time}", en: "Submitted by {name} at {time}" }
    AuthApprovedBy { vi: "{name} đã duyệt; xuất bản thành phiên bản {version}.", en: "Approved by {name}; published as version {version}." }
    AuthReturnedBy { vi: "{name} trả lại để sửa.", en: "Returned for changes by {name}." }
    AuthEditTitle { vi: "Soạn tệp", en: "Edit a file" }
    AuthBackToDraft { vi: "← Về bản nháp", en: "← Back to the draft" }
    AuthRestoredFromDevice { vi: "Đã khôi phục thay đổi chưa gửi từ máy này; đang gửi lên máy chủ.", en: "Unsent changes restored from this device; sending them now." }
    AuthSaved { vi: "Đã lưu", en: "Saved" }
    AuthUnsaved { vi: "Có thay đổi, sắp lưu…", en: "Changed, saving soon…" }
    AuthSaving { vi: "Đang lưu…", en: "Saving…" }
    AuthSavedOnDevice { vi: "Mất mạng: đã giữ trên máy này, sẽ gửi khi có mạng.", en: "Offline: kept on this device, will send when back online." }
    AuthConflictShort { vi: "Có bản mới hơn của người khác: hãy chọn bản giữ lại.", en: "Someone saved a newer version: choose which to keep." }
    AuthSaveFailed { vi: "Chưa lưu được (thay đổi vẫn giữ trên máy này).", en: "Not saved (the changes are kept on this device)." }
    AuthConflictTitle { vi: "Người khác đã lưu bản mới hơn", en: "Someone else saved a newer version" }
    AuthConflictWho { vi: "{name} đã lưu lúc {time}. So sánh hai bản rồi chọn bản giữ lại; bản không chọn vẫn còn trong lịch sử.", en: "{name} saved at {time}. Compare both and choose one to keep; the other stays in the history." }
    AuthMine { vi: "Bản của bạn", en: "Your version" }
    AuthTheirs { vi: "Bản trên máy chủ", en: "The server's version" }
    AuthKeepMine { vi: "Giữ bản của tôi", en: "Keep mine" }
    AuthTakeTheirs { vi: "Dùng bản trên máy chủ", en: "Use the server's" }
    AuthHistory { vi: "Lịch sử thay đổi", en: "History" }
    AuthShowHistory { vi: "Xem lịch sử", en: "Show the history" }
    AuthHistoryEntry { vi: "Bản {version} — {name}, {time}", en: "Version {version} — {name}, {time}" }
    AuthRestore { vi: "Khôi phục bản này", en: "Restore this version" }
    AuthFileText { vi: "Nội dung tệp", en: "File content" }
    AuthToolbar { vi: "Định dạng", en: "Formatting" }
    AuthToolHeading { vi: "Tiêu đề", en: "Heading" }
    AuthToolBold { vi: "Đậm", en: "Bold" }
    AuthToolList { vi: "Danh sách", en: "List" }
    AuthToolQuote { vi: "Trích dẫn", en: "Quote" }
    AuthToolTable { vi: "Bảng", en: "Table" }
    AuthToolImage { vi: "Chèn ảnh", en: "Insert image" }
    AuthPlaceholderHeading { vi: "Tiêu đề mục", en: "Section heading" }
    AuthPlaceholderBold { vi: "chữ đậm", en: "bold text" }
    AuthPlaceholderList { vi: "Ý thứ nhất\nÝ thứ hai", en: "First point\nSecond point" }
    AuthPlaceholderQuote { vi: "Trích dẫn", en: "Quotation" }
    AuthPlaceholderTable { vi: "| Cột 1 | Cột 2 |\n|---|---|\n| | |", en: "| Column 1 | Column 2 |\n|---|---|\n| | |" }
    AuthImageAlt { vi: "Mô tả ảnh", en: "Image description" }
    AuthImageTooLarge { vi: "Ảnh nặng {size}, quá giới hạn {limit}. Hãy thu nhỏ ảnh (ví dụ chụp lại ở độ phân giải thấp hơn) rồi chèn lại.", en: "The image is {size}, over the {limit} limit. Make it smaller (e.g. a lower resolution) and insert it again." }
    AuthImageType { vi: "Chỉ chèn được ảnh PNG, JPG, WebP, GIF, SVG hoặc âm thanh MP3, OGG, M4A.", en: "Only PNG, JPG, WebP, GIF, SVG images or MP3, OGG, M4A sound can be inserted." }
    AuthLessonText { vi: "Nội dung bài (Markdown)", en: "Lesson text (Markdown)" }
    AuthLessonHint { vi: "Dùng các nút định dạng ở trên.", en: "Use the formatting buttons above." }
    AuthPreview { vi: "Xem trước như học viên thấy", en: "Preview as trainees see it" }
    AuthPreviewProblems { vi: "Chưa xem trước được:", en: "No preview yet:" }
    AuthSetTitle { vi: "Tên bộ câu hỏi", en: "Set title" }
    AuthSetMode { vi: "Cách dùng", en: "Use" }
    AuthModePractice { vi: "Luyện tập (có chấm điểm)", en: "Practice (scored)" }
    AuthModeDiscussion { vi: "Thảo luận (không chấm điểm)", en: "Discussion (no marks)" }
    AuthSetScenario { vi: "Tình huống", en: "Situation" }
    AuthSetGuidance { vi: "Gợi ý của giảng viên", en: "Lecturer's guidance" }
    AuthQuestions { vi: "Câu hỏi", en: "Questions" }
    AuthQuestionN { vi: "Câu {n}", en: "Question {n}" }
    AuthPrompt { vi: "Câu hỏi", en: "Question" }
    AuthOption { vi: "Phương án", en: "Option" }
    AuthCorrect { vi: "Đúng", en: "Correct" }
    AuthAddOption { vi: "Thêm phương án", en: "Add an option" }
    AuthRemoveQuestion { vi: "Xoá câu này", en: "Remove this question" }
    AuthAddQuestion { vi: "Thêm câu hỏi", en: "Add a question" }
    AuthQuestionKind { vi: "Loại câu hỏi", en: "Question kind" }
    AuthPoints { vi: "Số điểm của câu", en: "Points for this question" }
    AuthDifficulty { vi: "Độ khó", en: "Difficulty" }
    DifficultyEasy { vi: "Dễ", en: "Easy" }
    DifficultyMedium { vi: "Trung bình", en: "Medium" }
    DifficultyHard { vi: "Khó", en: "Hard" }
    AuthTags { vi: "Chủ đề (cách nhau bằng dấu phẩy)", en: "Topics (separated by commas)" }
    AuthExplanation { vi: "Giải thích (hiện sau khi trả lời)", en: "Explanation (shown after answering)" }
    AuthFeedback { vi: "Phản hồi khi chọn phương án này", en: "Feedback when this option is chosen" }
    AuthOptionN { vi: "Phương án {n}", en: "Option {n}" }
    AuthRemove { vi: "Xoá", en: "Remove" }
    AuthRemoveOption { vi: "Xoá phương án {n}", en: "Remove option {n}" }
    AuthMultipleHint { vi: "Đánh dấu mọi phương án đúng (ít nhất một).", en: "Tick every correct option (at least one)." }
    AuthStatementIs { vi: "Nhận định này là", en: "The statement is" }
    AuthFeedbackTrue { vi: "Phản hồi khi học viên chọn “Đúng”", en: "Feedback for a trainee who says “True”" }
    AuthFeedbackFalse { vi: "Phản hồi khi học viên chọn “Sai”", en: "Feedback for a trainee who says “False”" }
    AuthOrderingHint { vi: "Ghi các mục theo đúng thứ tự; học viên sẽ thấy chúng bị xáo trộn.", en: "Write the items in the correct order; trainees see them shuffled." }
    AuthItemN { vi: "Mục {n}", en: "Item {n}" }
    AuthAddOrderItem { vi: "Thêm mục", en: "Add an item" }
    AuthMoveUp { vi: "Lên", en: "Up" }
    AuthMoveDown { vi: "Xuống", en: "Down" }
    AuthMoveUpN { vi: "Đưa mục {n} lên", en: "Move item {n} up" }
    AuthMoveDownN { vi: "Đưa mục {n} xuống", en: "Move item {n} down" }
    AuthRemoveItem { vi: "Xoá mục {n}", en: "Remove item {n}" }
    AuthMatchingHint { vi: "Mỗi dòng là một cặp đúng; học viên sẽ thấy vế phải bị xáo trộn.", en: "Each row is a correct pair; trainees see the right-hand side shuffled." }
    AuthPairLeft { vi: "Vế trái {n}", en: "Left {n}" }
    AuthPairRight { vi: "Vế phải {n}", en: "Right {n}" }
    AuthAddPair { vi: "Thêm cặp", en: "Add a pair" }
    AuthRemovePair { vi: "Xoá cặp {n}", en: "Remove pair {n}" }
    AuthAcceptedN { vi: "Đáp án được chấp nhận {n}", en: "Accepted answer {n}" }
    AuthAddAccepted { vi: "Thêm đáp án", en: "Add an answer" }
    AuthRemoveAccepted { vi: "Xoá đáp án {n}", en: "Remove answer {n}" }
    AuthIgnoreTones { vi: "Chấp nhận cả khi gõ không dấu (ví dụ “tham nhung”)", en: "Also accept answers typed without tone marks (e.g. “tham nhung”)" }
    AuthEssayHint { vi: "Giảng viên chấm bài tự luận theo từng tiêu chí dưới đây.", en: "Lecturers mark the essay against each criterion below." }
    AuthCriterionN { vi: "Tiêu chí {n}", en: "Criterion {n}" }
    AuthMaxPoints { vi: "Điểm tối đa", en: "Maximum points" }
    AuthAddCriterion { vi: "Thêm tiêu chí", en: "Add a criterion" }
    AuthRemoveCriterion { vi: "Xoá tiêu chí {n}", en: "Remove criterion {n}" }
    AuthOpinionHint { vi: "Câu hỏi ý kiến: không có đáp án đúng; câu trả lời được thu thập để thảo luận, không chấm điểm.", en: "An opinion question: no right answer; answers are collected for discussion and never marked." }
    AuthBranching { vi: "Kịch bản rẽ nhánh", en: "Branching scenario" }
    AuthHasBranching { vi: "Bộ này có kịch bản rẽ nhánh", en: "This set has a branching scenario" }
    AuthStartStep { vi: "Bước bắt đầu", en: "First step" }
    AuthStepText { vi: "Nội dung bước", en: "Step text" }
    AuthChoiceText { vi: "Lựa chọn", en: "Choice" }
    AuthLeadsTo { vi: "Dẫn tới", en: "Leads to" }
    AuthAddChoice { vi: "Thêm lựa chọn", en: "Add a choice" }
    AuthAddStep { vi: "Thêm bước", en: "Add a step" }
    AuthDebrief { vi: "Nhận xét khi kết thúc", en: "Debrief" }
    AuthScore { vi: "Điểm", en: "Score" }
    AuthAddEnding { vi: "Thêm kết thúc", en: "Add an ending" }
    AuthGraph { vi: "Sơ đồ kịch bản", en: "Scenario map" }
    AuthGraphStep { vi: "Bước {id}", en: "Step {id}" }
    AuthGraphEnding { vi: "Kết thúc {id} ({score} điểm)", en: "Ending {id} ({score} {score|point|points})" }
    AuthGraphSeen { vi: "quay lại bước {id}", en: "back to step {id}" }
    AuthGraphMissing { vi: "chưa chọn nơi dẫn tới ({id})", en: "leads nowhere yet ({id})" }
    AuthGraphUnreached { vi: "Không có đường tới các bước: {ids}", en: "No path reaches these steps: {ids}" }
    AuthReviewTitle { vi: "Duyệt bài", en: "Review" }
    AuthNothingToReview { vi: "Không có bài nào chờ duyệt.", en: "Nothing is waiting for review." }
    AuthWaitingFrom { vi: "{name} gửi, đang chờ duyệt", en: "From {name}, waiting for review" }
    AuthOwnSubmission { vi: "Bài do bạn gửi: người khác sẽ duyệt.", en: "Your own submission: someone else reviews it." }
    AuthChangeAdded { vi: "thêm mới", en: "added" }
    AuthChangeRemoved { vi: "bỏ đi", en: "removed" }
    AuthChangeModified { vi: "sửa", en: "changed" }
    AuthLineAdded { vi: "thêm", en: "added" }
    AuthLineRemoved { vi: "bỏ", en: "removed" }
    AuthChanges { vi: "Thay đổi so với bản đang dùng", en: "Changes against the published version" }
    AuthNoChanges { vi: "Không có thay đổi.", en: "No changes." }
    AuthChangedQuestions { vi: "Các câu hỏi sau được sửa nhưng giữ nguyên mã. Bài kiểm tra học viên đã làm vẫn được chấm theo câu hỏi của phiên bản lúc làm bài. Nếu đổi hẳn nội dung hoặc đáp án, nên đặt mã mới để thống kê từng câu không lẫn hai phiên bản.", en: "These questions changed but kept their ids. Assessments trainees already took are still marked against the version they took. If the content or key really changed, give the question a new id so per-question statistics do not mix two versions." }
    AuthOnlyHere { vi: "chỉ có ở bản này", en: "only in this version" }
    AuthLinesUnchanged { vi: "⋯ {n} dòng không đổi", en: "⋯ {n} {n|line|lines} unchanged" }
    AuthDecide { vi: "Nhận xét và quyết định", en: "Comment and decide" }
    AuthComment { vi: "Nhận xét", en: "Comment" }
    AuthSendComment { vi: "Gửi nhận xét", en: "Send the comment" }
    AuthReturn { vi: "Trả lại để sửa", en: "Return for changes" }
    AuthApprove { vi: "Duyệt và xuất bản", en: "Approve and publish" }
    AuthCommentEmpty { vi: "Hãy viết nhận xét trước.", en: "Write a comment first." }
    AuthReturnNeedsComment { vi: "Khi trả lại, hãy viết cần sửa gì.", en: "When returning, say what to change." }
    AuthReturned { vi: "Đã trả lại cho người soạn.", en: "Returned to the author." }
    AuthApproved { vi: "Đã duyệt và xuất bản phiên bản {version}. Học viên nhận bản mới ở lần đồng bộ tới.", en: "Approved and published as version {version}. Trainees get it at their next sync." }

    // Issue 19: no dead ends (header, practice, assessments, offline, live, staff home, grading, authoring).
    MenuButton { vi: "Menu", en: "Menu" }
    NavReview { vi: "Duyệt bài", en: "Review" }
    Cancel { vi: "Huỷ", en: "Cancel" }
    LogoutPendingTitle { vi: "Còn {n} thay đổi chưa gửi lên máy chủ.", en: "{n} {n|change has|changes have} not reached the server yet." }
    LogoutPendingWhy { vi: "Nếu đăng xuất bây giờ, các thay đổi vẫn được giữ trên máy này và chỉ được gửi khi bạn đăng nhập lại trên chính máy này. Có mạng thì hãy đồng bộ trước.", en: "If you log out now, they stay on this device and are sent only when you log in again on this device. If you are online, sync first." }
    LogoutAnyway { vi: "Vẫn đăng xuất", en: "Log out anyway" }
    SyncShortSynced { vi: "Đã đồng bộ", en: "Synced" }
    SyncShortPending { vi: "{n} chờ gửi", en: "{n} to send" }
    SyncShortOffline { vi: "Mất mạng", en: "Offline" }
    AuthGraderNote { vi: "Ghi chú cho người chấm (học viên không thấy)", en: "Note for graders (trainees never see it)" }
    GraderNoteTitle { vi: "Ghi chú cho người chấm (học viên không thấy)", en: "Note for graders (trainees do not see it)" }
    MarkChosenRight { vi: "Bạn chọn · đúng", en: "Your choice · right" }
    MarkChosenWrong { vi: "Bạn chọn · chưa đúng", en: "Your choice · not right" }
    MarkMissed { vi: "Đáp án đúng, bạn chưa chọn", en: "Right answer you did not choose" }
    PracticePartialChoices { vi: "Bạn chọn {right}/{correct} phương án đúng và {wrong} phương án sai. Mỗi phương án đúng được cộng {share} điểm, mỗi phương án sai bị trừ {share} điểm.", en: "You chose {right} of the {correct} right options and {wrong} wrong ones. Each right option adds {share} points, each wrong one takes {share} away." }
    PracticePartialPlaced { vi: "{right}/{n} mục ở đúng vị trí; mỗi mục đúng được một phần điểm.", en: "{right} of {n} items are in the right place; each earns its share of the points." }
    SetEndTitle { vi: "Bạn đã làm xong bộ câu hỏi này", en: "You have finished this set" }
    SetEndAnswered { vi: "Đã trả lời cả {n} câu.", en: "All {n} {n|question|questions} answered." }
    SetEndTally { vi: "Chính xác: {right} · Đúng một phần: {partly} · Chưa đúng: {wrong}", en: "Correct: {right} · Partly correct: {partly} · Not correct: {wrong}" }
    NextItem { vi: "Tiếp theo: {title}", en: "Next: {title}" }
    StartAnotherAttempt { vi: "Làm lại lần nữa", en: "Try again" }
    ResultsFromLastSync { vi: "Đang không có mạng: đây là kết quả máy chủ báo ở lần đồng bộ trước.", en: "Offline: these are the results the server gave at the last sync." }
    AttemptWaitingLine { vi: "Lần {n}: đã nộp trên máy này", en: "Attempt {n}: handed in on this device" }
    NoAttemptsYet { vi: "Bạn chưa làm bài lần nào.", en: "You have not taken it yet." }
    AttemptLinePending { vi: "Lần {n}: phần đã chấm được {earned}/{max} điểm; câu tự luận ({awaiting} điểm) chờ giảng viên chấm", en: "Attempt {n}: {earned} of {max} {max|point|points} marked so far; the essay ({awaiting} {awaiting|point|points}) awaits a lecturer" }
    ReviewPendingMarks { vi: "Chờ giảng viên chấm (tối đa {max} điểm)", en: "Awaiting a lecturer (up to {max} {max|point|points})" }
    CorrectAnswersLabel { vi: "Đáp án đúng", en: "Correct answer" }
    QuestionGridLabel { vi: "Các câu hỏi", en: "Questions" }
    GridAnswered { vi: "Câu {n}, đã trả lời", en: "Question {n}, answered" }
    GridUnanswered { vi: "Câu {n}, chưa trả lời", en: "Question {n}, unanswered" }
    UnansweredList { vi: "Câu chưa trả lời: {list}.", en: "Unanswered: {list}." }
    GridHint { vi: "Chạm vào số câu để quay lại câu đó.", en: "Tap a number to go back to that question." }
    ProgressOffline { vi: "Đang không có mạng: số liệu được tính trên máy này từ những gì bạn đã làm và kết quả kiểm tra lần đồng bộ trước.", en: "Offline: these figures are worked out on this device from what you did and the test results of the last sync." }
    StatusDoneOf { vi: "(đã xong {done}/{required} việc)", en: "({done} of {required} done)" }
    SyncNowOffline { vi: "Không có mạng. Các thay đổi vẫn được giữ trên máy này và sẽ tự gửi khi có mạng trở lại.", en: "You are offline. Your changes stay on this device and are sent by themselves when the connection returns." }
    SyncNowFailed { vi: "Chưa kết nối được với máy chủ. Các thay đổi vẫn được giữ trên máy; ứng dụng sẽ tự thử lại.", en: "The server could not be reached. Your changes stay on this device; the app will try again." }
    SyncNowDone { vi: "Đã đồng bộ xong.", en: "Sync finished." }
    LoginOffline { vi: "Không có kết nối mạng, nên chưa kiểm tra được tên đăng nhập và mật khẩu. Người dùng cuối cùng của máy này đăng nhập được khi không có mạng; người khác cần có mạng.", en: "There is no connection, so your username and password cannot be checked. The last person who used this device can sign in offline; anyone else needs a connection." }
    TableScrollHint { vi: "Bảng rộng: vuốt sang ngang để xem hết ↔", en: "Wide table: swipe sideways to see all of it ↔" }
    LiveOffline { vi: "Không có mạng: sẽ kết nối lại khi có mạng", en: "Offline: reconnects when the connection returns" }
    LiveJoinOffline { vi: "Không có mạng nên chưa vào được phiên. Hãy bật dữ liệu di động hoặc Wi-Fi; trang này sẽ tự vào phiên khi có mạng.", en: "You are offline, so you cannot join yet. Turn on mobile data or Wi-Fi; this page joins by itself when the connection returns." }
    LiveYourResult { vi: "Kết quả của bạn", en: "Your result" }
    LiveAnsweredOf { vi: "Bạn đã trả lời {answered}/{total} câu.", en: "You answered {answered} of {total} {total|question|questions}." }
    LiveCorrectOf { vi: "Trả lời đúng {correct}/{scored} câu có chấm điểm.", en: "{correct} of the {scored} scored questions right." }
    LiveYourMarks { vi: "Bạn được {earned}/{max} điểm ở câu này.", en: "You earned {earned} of {max} {max|point|points} on this question." }
    PresentEndedSessions { vi: "Phiên đã kết thúc ({n})", en: "Ended sessions ({n})" }
    PresentEndedHint { vi: "Xem lại tổng kết của phiên đã kết thúc. Phiên tự xoá sau một thời gian.", en: "Look back at an ended session's summary. Ended sessions are removed after a while." }
    PresentEndConfirm { vi: "Kết thúc phiên cho tất cả mọi người? Học viên sẽ không trả lời được nữa và màn hình chuyển sang tổng kết.", en: "End the session for everyone? Trainees can no longer answer and the screen shows the summary." }
    PresentEndYes { vi: "Có, kết thúc phiên", en: "Yes, end it" }
    PresentNewSession { vi: "Mở phiên mới", en: "Open a new session" }
    PresentToClasses { vi: "Xem lớp học", en: "See the classes" }
    PresentSummaryRecorded { vi: "Câu trả lời của học viên đã đăng nhập được ghi vào kết quả học tập của họ.", en: "The answers of signed-in trainees are recorded in their results." }
    StaffHomeTitle { vi: "Việc của bạn", en: "Your work" }
    StaffHomeClasses { vi: "Lớp học", en: "Classes" }
    StaffHomeLive { vi: "Phiên trực tiếp đang mở", en: "Open live sessions" }
    StaffHomeGrading { vi: "Bài chờ chấm", en: "Answers to mark" }
    StaffHomeReviews { vi: "Bài chờ duyệt", en: "Drafts to review" }
    StaffHomeDrafts { vi: "Bản thảo đang soạn", en: "Drafts being written" }
    StaffHomeCourses { vi: "Chương trình học", en: "Courses" }
    GradingLeft { vi: "Còn {n} bài chờ chấm.", en: "{n} {n|answer|answers} left to mark." }
    GradeFieldRange { vi: "Nhập điểm từ 0 đến {max}.", en: "Enter a mark from 0 to {max}." }
    GradeSavedTotal { vi: "Đã lưu điểm: {earned}/{max}", en: "Marks saved: {earned} of {max}" }
    GradeNext { vi: "Chấm bài tiếp theo", en: "Mark the next answer" }
    GradingAllDone { vi: "Đã chấm hết các bài trong hàng đợi.", en: "Every answer in the queue is marked." }
    ModelAnswerTitle { vi: "Đáp án gợi ý", en: "Model answer" }
    GradeSavedWhen { vi: "Học viên sẽ thấy điểm và nhận xét sau khi đồng bộ.", en: "The trainee sees the marks and comment after sync." }
    MatrixCardLine { vi: "Hoàn thành {percent}% · Dự {live} phiên trực tiếp", en: "{percent}% complete · {live} live {live|session|sessions}" }
    MatrixCardCertificate { vi: "Giấy chứng nhận {code}", en: "Certificate {code}" }
    AuthLessonTitle { vi: "Tên bài", en: "Lesson title" }
    AuthLessonMinutes { vi: "Thời gian đọc (phút)", en: "Reading time (minutes)" }
    AuthUndoHint { vi: "Ctrl+Z để hoàn tác.", en: "Ctrl+Z undoes." }
    AuthKindAssessment { vi: "Bài kiểm tra", en: "Assessment" }
    AuthModuleHeading { vi: "Chuyên đề {n}: {title}", en: "Module {n}: {title}" }
    AuthCourseContents { vi: "Nội dung chương trình", en: "Course contents" }
    AuthOtherFiles { vi: "Cấu trúc và tệp khác", en: "Structure and other files" }
    AuthFileMissing { vi: "chưa có tệp", en: "no file yet" }
    AuthSubmittedTo { vi: "Đã gửi duyệt. Người có thể duyệt: {names}.", en: "Submitted for review. Who may review it: {names}." }
    AuthSubmittedNoReviewer { vi: "Đã gửi duyệt, nhưng chưa có ai khác được giao duyệt bài này. Hãy nhờ quản trị trung tâm chỉ định người duyệt.", en: "Submitted, but nobody else may review it yet. Ask the centre admin to name a reviewer." }
    AuthReviewerAdded { vi: "Đã lưu: {name} được duyệt bài.", en: "Saved: {name} reviews drafts." }
    AuthReviewerRemoved { vi: "Đã lưu: {name} không còn duyệt bài.", en: "Saved: {name} no longer reviews drafts." }

    // Sessions and browser security (issue 14, server half)
    ErrTooManyAttempts {
        vi: "Bạn đã nhập sai mật khẩu quá nhiều lần. Vui lòng thử lại sau {wait}.",
        en: "Too many password attempts. Please try again in {wait}.",
    }
    WaitSeconds { vi: "{n} giây", en: "{n} seconds" }
    WaitOneSecond { vi: "1 giây", en: "1 second" }
    WaitMinutes { vi: "{n} phút", en: "{n} {n|minute|minutes}" }
    ErrCrossSite {
        vi: "Máy chủ đã từ chối yêu cầu này vì nó không đến từ trang Lophoc. Hãy mở Lophoc bằng địa chỉ của trung tâm rồi thử lại.",
        en: "The server refused this request because it did not come from a Lophoc page. Open Lophoc at your centre's address and try again.",
    }
    PasswordChangedElsewhere {
        vi: "Các thiết bị khác đang đăng nhập bằng tài khoản này đã được đăng xuất.",
        en: "Other devices signed in with this account have been signed out.",
    }

    // --- Issue 18: numerical and fill-in-the-blanks kinds, bank formats ---
    KindNumerical { vi: "Trả lời bằng số", en: "Numerical" }
    KindFillBlanks { vi: "Điền vào chỗ trống", en: "Fill in the blanks" }
    NumberLabel { vi: "Câu trả lời (một số)", en: "Your answer (a number)" }
    NumberHint { vi: "Viết số như thường lệ: 1.930 là một nghìn chín trăm ba mươi, 2,5 là hai phẩy năm.", en: "Write the number as usual: 1.930 is one thousand nine hundred and thirty, 2,5 is two and a half." }
    NumberReadAs { vi: "Hệ thống hiểu là: {value}", en: "Read as: {value}" }
    NumberNotANumber { vi: "Chưa phải là một số: chỉ gõ chữ số, dấu chấm, dấu phẩy và dấu trừ (không ghi đơn vị).", en: "Not a number yet: type only digits, dots, commas and a minus sign (no units)." }
    NumberUnclear { vi: "Cách viết số chưa rõ: nhóm nghìn phải đủ 3 chữ số (1.930.000) và chỉ có một dấu thập phân.", en: "The number is unclear: thousands groups have 3 digits (1.930.000) and there is one decimal separator." }
    NumberTooLong { vi: "Số quá dài.", en: "The number is too long." }
    GapN { vi: "Chỗ trống {n}", en: "Blank {n}" }
    GapChoose { vi: "— chọn —", en: "— choose —" }
    BlanksHint { vi: "Điền vào từng chỗ trống trong đoạn văn.", en: "Fill in each blank in the text." }
    BlanksAllEmpty { vi: "Hãy điền ít nhất một chỗ trống trước khi gửi.", en: "Fill in at least one blank before sending." }
    NumberAcceptedIs { vi: "{value} (sai số cho phép ±{tolerance})", en: "{value} (allowed error ±{tolerance})" }
    AuthNumericValueN { vi: "Giá trị đúng {n}", en: "Accepted value {n}" }
    AuthTolerance { vi: "Sai số cho phép (±)", en: "Allowed error (±)" }
    AuthCredit { vi: "Phần trăm điểm", en: "Percent of the marks" }
    AuthAddValue { vi: "Thêm giá trị", en: "Add a value" }
    AuthRemoveValue { vi: "Xoá giá trị {n}", en: "Remove value {n}" }
    AuthNumericHint { vi: "Học viên gõ một số; viết 1930 hoặc 2.5 ở đây. Sai số 0 nghĩa là phải đúng chính xác.", en: "Trainees type a number; write 1930 or 2.5 here. An allowed error of 0 means exactly." }
    AuthNotANumber { vi: "“{text}” chưa phải là số (viết 1930 hoặc 2.5).", en: "“{text}” is not a number (write 1930 or 2.5)." }
    AuthBlanksHint { vi: "Trong đề bài, viết {1}, {2}… vào nơi có chỗ trống; mỗi chỗ trống dưới đây là một ô nhập chữ, một ô nhập số hoặc một danh sách chọn.", en: "In the prompt, write {1}, {2}… where each blank goes; each blank below is a text box, a number box or a drop-down." }
    AuthGapKind { vi: "Loại chỗ trống {n}", en: "Kind of blank {n}" }
    GapKindText { vi: "Ô nhập chữ", en: "Text box" }
    GapKindNumber { vi: "Ô nhập số", en: "Number box" }
    GapKindChoice { vi: "Danh sách chọn", en: "Drop-down" }
    AuthAddGap { vi: "Thêm chỗ trống", en: "Add a blank" }
    AuthRemoveGap { vi: "Xoá chỗ trống {n}", en: "Remove blank {n}" }
    AuthGapAnswers { vi: "Đáp án của chỗ trống {n} (cách nhau bằng dấu |)", en: "Answers for blank {n} (separated by |)" }
    AuthGapOptions { vi: "Các lựa chọn của chỗ trống {n}, lựa chọn đúng viết trước (cách nhau bằng dấu |)", en: "Options for blank {n}, the correct one first (separated by |)" }
    AuthDistractors { vi: "Vế phải thừa (gây nhiễu), cách nhau bằng dấu |", en: "Extra right-hand items (distractors), separated by |" }
    BankFormatMoodleXml { vi: "Moodle XML", en: "Moodle XML" }
    BankFormatQti { vi: "QTI 3.0 (gói .zip hoặc tệp .xml)", en: "QTI 3.0 (.zip package or .xml item)" }
    BankExportMoodle { vi: "Tải về dạng Moodle XML", en: "Download as Moodle XML" }
    BankExportQti { vi: "Tải về dạng gói QTI 3.0", en: "Download as a QTI 3.0 package" }
    BankExportNote { vi: "Câu nào một định dạng không diễn đạt được sẽ được ghi chú ngay trong tệp tải về, không bị bỏ qua âm thầm.", en: "A question a format cannot express is named in a note inside the downloaded file, never silently left out." }
    BankMedia { vi: "{n} hình ảnh được lưu cùng ngân hàng câu hỏi", en: "{n} {n|image|images} stored with the question bank" }
    BankFileMoodle { vi: "Chọn tệp Moodle XML (.xml)", en: "Choose a Moodle XML file (.xml)" }
    BankFileQti { vi: "Chọn gói QTI (.zip) hoặc một câu hỏi QTI (.xml)", en: "Choose a QTI package (.zip) or a QTI item (.xml)" }
    BankMoodleHint { vi: "Trong Moodle: Ngân hàng câu hỏi → Xuất → Định dạng Moodle XML. Hình ảnh trong tệp được lưu cùng ngân hàng.", en: "In Moodle: Question bank → Export → Moodle XML format. Images in the file are kept with the bank." }
    BankQtiHint { vi: "Gói QTI 3.0 (.zip có tệp imsmanifest.xml) từ phần mềm soạn đề khác, hoặc một câu hỏi QTI 3.0 (.xml).", en: "A QTI 3.0 package (a .zip with imsmanifest.xml) from another test-authoring tool, or one QTI 3.0 item (.xml)." }
    BankProblemQuestion { vi: "Câu {line}: {message}", en: "Question {line}: {message}" }
    BankNotXml { vi: "Không đọc được tệp: cấu trúc XML bị lỗi ở dòng {line}. Hãy xuất lại tệp rồi thử lại; chưa có gì được nhập.", en: "The file could not be read: its XML is broken at line {line}. Export the file again and retry; nothing was imported." }
    BankNotMoodleXml { vi: "Đây không phải tệp Moodle XML (không có thẻ <quiz>). Trong Moodle, chọn Ngân hàng câu hỏi → Xuất → Định dạng Moodle XML; chưa có gì được nhập.", en: "This is not a Moodle XML file (it has no <quiz>). In Moodle, choose Question bank → Export → Moodle XML format; nothing was imported." }
    BankNotQti { vi: "Đây không phải gói QTI 3.0 (tệp .zip có imsmanifest.xml) hay một câu hỏi QTI 3.0 (.xml); chưa có gì được nhập.", en: "This is neither a QTI 3.0 package (a .zip with imsmanifest.xml) nor a QTI 3.0 item (.xml); nothing was imported." }
    BankTooLargeUnpacked { vi: "Gói giải nén ra quá lớn (tối đa {size}). Hãy chia thành nhiều gói nhỏ hơn; chưa có gì được nhập.", en: "The package unpacks to too much (at most {size}). Split it into smaller packages; nothing was imported." }
    BankItemQti { vi: "Tải câu này dạng QTI", en: "Download this question as QTI" }
    // Staff accounts, centres, course ownership and live-session limits (issue 14, accounts half).
    ErrAccountDisabled { vi: "Tài khoản này đã bị khoá. Hãy liên hệ quản trị trung tâm.", en: "This account has been deactivated. Contact your centre's administrator." }
    ErrAlreadyExists { vi: "Tên này đã có người dùng. Hãy chọn tên khác.", en: "That name is already taken. Choose another." }
    ErrTooManyRequests { vi: "Có quá nhiều yêu cầu từ máy này. Vui lòng thử lại sau {wait}.", en: "Too many requests from this device. Please try again in {wait}." }
    ErrTooManySessions { vi: "Bạn đang mở {max} phiên trực tiếp, là số tối đa. Hãy kết thúc một phiên cũ rồi mở phiên mới.", en: "You already have {max} live sessions open, the most allowed. End one before opening another." }
    ErrServerBusy { vi: "Máy chủ đang quá tải. Vui lòng thử lại sau ít phút.", en: "The server is busy. Please try again in a few minutes." }
    NavAccounts { vi: "Tài khoản", en: "Accounts" }
    AccountsTitle { vi: "Quản lý tài khoản", en: "Accounts" }
    AccountsCentreIntro { vi: "{centre}: tạo tài khoản giảng viên, chọn người duyệt bài, khoá hoặc mở lại tài khoản và cấp lại mật khẩu.", en: "{centre}: create lecturer accounts, choose reviewers, deactivate or reactivate accounts and reset passwords." }
    AccountsProvinceIntro { vi: "Thêm trung tâm và tài khoản quản trị trung tâm, khoá hoặc mở lại tài khoản quản trị, và giao chương trình cho đơn vị quản lý.", en: "Add centres and their administrators, deactivate or reactivate administrators, and decide who owns each course." }
    AccountsStaff { vi: "Giảng viên và quản trị", en: "Lecturers and administrators" }
    AccountsNoStaff { vi: "Trung tâm chưa có giảng viên nào.", en: "The centre has no lecturer yet." }
    AccountsTrainees { vi: "Học viên", en: "Trainees" }
    AccountsTraineesHint { vi: "Tài khoản học viên được tạo khi nhập danh sách lớp. Tìm theo họ tên (có dấu hoặc không dấu) hoặc tên đăng nhập.", en: "Trainee accounts are made by importing a class roster. Search by name (with or without tone marks) or username." }
    AccountsSearch { vi: "Tìm học viên", en: "Find trainees" }
    AccountsSearchButton { vi: "Tìm", en: "Search" }
    AccountsFound { vi: "Có {n} học viên.", en: "{n} {n|trainee|trainees}." }
    AccountsFoundMore { vi: "Có {n} học viên; dưới đây là {shown} người đầu. Hãy tìm cụ thể hơn.", en: "{n} {n|trainee|trainees}; the first {shown} are shown. Search for a name to narrow it down." }
    AccountsNoTrainees { vi: "Không có học viên nào khớp.", en: "No trainee matches." }
    AccountActive { vi: "đang hoạt động", en: "active" }
    AccountInactive { vi: "đã khoá", en: "deactivated" }
    AccountMustChange { vi: "chưa đổi mật khẩu ban đầu", en: "initial password not changed yet" }
    AccountYou { vi: "bạn", en: "you" }
    AccountReviewer { vi: "Người duyệt bài của trung tâm", en: "Reviewer for the centre" }
    AccountDeactivate { vi: "Khoá tài khoản", en: "Deactivate" }
    AccountReactivate { vi: "Mở lại tài khoản", en: "Reactivate" }
    AccountDeactivateLabel { vi: "Khoá tài khoản của {name}", en: "Deactivate {name}" }
    AccountReactivateLabel { vi: "Mở lại tài khoản của {name}", en: "Reactivate {name}" }
    ResetConfirmLabel { vi: "Cấp lại mật khẩu cho {name}", en: "Reset password of {name}" }
    AccountDeactivateConfirm { vi: "Khoá tài khoản của {name}? Người này bị đăng xuất ngay và không đăng nhập được nữa; kết quả học tập, điểm, giấy chứng nhận và bài soạn vẫn được giữ nguyên.", en: "Deactivate {name}'s account? They are logged out at once and can no longer log in; their results, marks, certificates and drafts are kept." }
    AccountDeactivated { vi: "Đã khoá tài khoản của {name}. Mọi phiên đăng nhập của người này đã kết thúc.", en: "{name}'s account is deactivated. All their sessions have ended." }
    AccountReactivated { vi: "Đã mở lại tài khoản của {name}.", en: "{name}'s account is active again." }
    AccountReviewerOn { vi: "{name} là người duyệt bài của trung tâm.", en: "{name} now reviews for the centre." }
    AccountReviewerOff { vi: "{name} không còn là người duyệt bài.", en: "{name} no longer reviews." }
    PasswordSlipTitle { vi: "Mật khẩu ban đầu — {name}", en: "Initial password — {name}" }
    PasswordSlipNote { vi: "Mật khẩu này chỉ hiện một lần. Hãy in hoặc chép lại và trao tận tay; người dùng phải đổi mật khẩu ở lần đăng nhập đầu tiên.", en: "This password is shown only once. Print or copy it and hand it over in person; it must be changed at the first login." }
    PrintSlip { vi: "In phiếu mật khẩu", en: "Print the password slip" }
    SlipCentre { vi: "Đơn vị", en: "Centre" }
    NewLecturerTitle { vi: "Thêm giảng viên", en: "Add a lecturer" }
    NewCentreAdminTitle { vi: "Thêm quản trị trung tâm", en: "Add a centre administrator" }
    FullNameLabel { vi: "Họ và tên", en: "Full name" }
    UsernameHint { vi: "3–32 ký tự: chữ thường không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang, bắt đầu bằng chữ (ví dụ: binh.tt).", en: "3–32 characters: lower-case letters without tone marks, digits, dot, underscore or hyphen, starting with a letter (e.g. binh.tt)." }
    UsernameInvalid { vi: "Tên đăng nhập chưa đúng quy định bên dưới ô nhập.", en: "The username does not follow the rule below the field." }
    FullNameMissing { vi: "Hãy nhập họ và tên (tối đa 120 ký tự).", en: "Enter the full name (at most 120 characters)." }
    CreateAccount { vi: "Tạo tài khoản", en: "Create the account" }
    AccountCreated { vi: "Đã tạo tài khoản cho {name}.", en: "Account created for {name}." }
    CentresTitle { vi: "Các trung tâm", en: "Centres" }
    CentresEmpty { vi: "Chưa có trung tâm nào.", en: "No centre yet." }
    CentreCounts { vi: "{lecturers} giảng viên · {trainees} học viên", en: "{lecturers} {lecturers|lecturer|lecturers} · {trainees} {trainees|trainee|trainees}" }
    CentreNoAdmin { vi: "Chưa có quản trị trung tâm.", en: "No administrator yet." }
    CentreAdmins { vi: "Quản trị trung tâm", en: "Administrators" }
    NewCentreTitle { vi: "Thêm trung tâm", en: "Add a centre" }
    CentreNameLabel { vi: "Tên trung tâm", en: "Centre name" }
    CentreNameMissing { vi: "Hãy nhập tên trung tâm (tối đa 120 ký tự).", en: "Enter the centre's name (at most 120 characters)." }
    CentreCreated { vi: "Đã thêm {name}.", en: "{name} added." }
    CentreLabel { vi: "Trung tâm", en: "Centre" }
    CentreChooseFirst { vi: "Hãy thêm trung tâm trước.", en: "Add a centre first." }
    CourseOwnersTitle { vi: "Chương trình và đơn vị quản lý", en: "Courses and their owners" }
    CourseOwnersIntro { vi: "Chỉ đơn vị quản lý mới soạn, nhập và duyệt thay đổi của một chương trình; mọi trung tâm đều dùng được chương trình cho lớp học. Khi chuyển cho một trung tâm, bản soạn thảo đang dở (nếu có) chuyển theo.", en: "Only a course's owner drafts, imports and approves changes to it; every centre can teach it. Handed to a centre, a draft in progress goes along." }
    CourseOwnersEmpty { vi: "Chưa có chương trình nào.", en: "No course yet." }
    OwnerProvince { vi: "Cấp tỉnh", en: "The province" }
    OwnerNow { vi: "Đơn vị quản lý: {owner}", en: "Owner: {owner}" }
    OwnerNew { vi: "Chuyển cho", en: "Hand over to" }
    HandOver { vi: "Chuyển giao", en: "Hand over" }
    HandedOver { vi: "Đã chuyển “{course}” cho {owner}.", en: "“{course}” now belongs to {owner}." }
    AuthNotOwner { vi: "Chương trình này hiện do đơn vị khác quản lý: bạn vẫn xem và tải được bản soạn thảo, nhưng không sửa, gửi duyệt hay duyệt được nữa.", en: "Another body now owns this course: you can still read and download the draft, but no longer change, submit or approve it." }

    // Trusted records: refused ops, limits, attempt seeds, late attempts (issue 13)
    RefusedTitle { vi: "Thay đổi máy chủ không nhận", en: "Changes the server refused" }
    RefusedIntro {
        vi: "Các thay đổi dưới đây bị máy chủ từ chối nên không được tính. Chúng vẫn được giữ trên máy để bạn xem; các thay đổi khác vẫn đồng bộ bình thường.",
        en: "The server refused the changes below, so they do not count. They are kept on this device for you to see; your other changes sync as usual.",
    }
    RefusedItem { vi: "{what}, lúc {time}: {why}", en: "{what}, at {time}: {why}" }
    RefusedUnknownSchema { vi: "ứng dụng cần được cập nhật để gửi thay đổi này", en: "the app needs updating to send this change" }
    RefusedWrongUser { vi: "thay đổi thuộc về tài khoản khác", en: "the change belongs to another account" }
    RefusedMalformed { vi: "dữ liệu không hợp lệ", en: "the data is not valid" }
    RefusedTooLong { vi: "nội dung dài quá giới hạn", en: "the text is over the length limit" }
    RefusedNotAllowed { vi: "tài khoản này không được ghi loại thay đổi này", en: "this account may not record this kind of change" }
    RefusedNotYourTrainee { vi: "học viên không thuộc lớp hay trung tâm mà người chấm phụ trách", en: "the trainee is not in a class or centre the grader is responsible for" }
    RefusedDuplicate { vi: "thay đổi trùng với một thay đổi đã có", en: "the change repeats one that already exists" }
    RefusedUnknownAttempt { vi: "máy chủ không có lượt làm bài này", en: "the server has no such attempt" }
    RefusedUnknownAssessment { vi: "bài kiểm tra không còn được phát hành", en: "the assessment is no longer published" }
    RefusedSeedNotIssued { vi: "đề bài không phải đề máy chủ cấp cho lượt làm này", en: "the paper is not the one the server issued for this attempt" }
    RefusedNoAttemptsLeft { vi: "đã hết số lượt làm bài cho phép", en: "every allowed attempt was already used" }
    RefusedAssessmentClosed { vi: "bài kiểm tra đã hết hạn khi bắt đầu làm", en: "the assessment had closed when the attempt started" }
    EventLessonOpened { vi: "Mở bài học", en: "Lesson opened" }
    EventLessonCompleted { vi: "Đánh dấu đã đọc bài học", en: "Lesson marked as read" }
    EventSituationAnswered { vi: "Trả lời câu hỏi tình huống", en: "Situation question answered" }
    EventScenarioChoice { vi: "Lựa chọn trong kịch bản", en: "Scenario choice" }
    EventAttemptStarted { vi: "Bắt đầu làm bài kiểm tra", en: "Assessment attempt started" }
    EventAttemptAnswered { vi: "Trả lời câu hỏi kiểm tra", en: "Assessment question answered" }
    EventAttemptSubmitted { vi: "Nộp bài kiểm tra", en: "Assessment handed in" }
    EventEssayGraded { vi: "Chấm bài tự luận", en: "Essay graded" }
    EventLiveAttended { vi: "Tham gia phiên học trực tiếp", en: "Live session attended" }
    EventLiveAnswered { vi: "Trả lời trong phiên học trực tiếp", en: "Live session answer" }
    TextLimitReached { vi: "Đã đạt giới hạn {max} ký tự.", en: "You have reached the limit of {max} characters." }
    TextLimitNear { vi: "Còn {n} ký tự.", en: "{n} {n|character|characters} left." }
    NoSeedOffline {
        vi: "Cần kết nối mạng một lần để nhận đề cho lượt làm bài tiếp theo.",
        en: "Connect to the network once to receive the paper for your next attempt.",
    }
    AttemptLate {
        vi: "Nộp muộn: bắt đầu khi chưa có mạng trước hạn, đồng bộ sau hạn đóng.",
        en: "Late: started offline before the closing date, synced after it.",
    }
    RecordRefusedTitle { vi: "Thay đổi bị máy chủ từ chối", en: "Changes the server refused" }
    RecordRefusedNone { vi: "Không có thay đổi nào bị từ chối.", en: "No change was refused." }
}

/// How long to wait, for a sentence such as "try again in {wait}": whole
/// seconds up to a minute and a half, then whole minutes, rounded up.
pub fn format_wait(lang: Lang, seconds: u64) -> String {
    let n = |msg: Msg, n: u64| msg.format(lang, &[("n", &n.to_string())]);
    match seconds {
        0 | 1 => Msg::WaitOneSecond.text(lang).to_string(),
        2..90 => n(Msg::WaitSeconds, seconds),
        _ => n(Msg::WaitMinutes, seconds.div_ceil(60)),
    }
}

/// A whole number for people, grouped by thousands: "20.000" in
/// Vietnamese, "20,000" in English.
pub fn format_count(lang: Lang, n: u64) -> String {
    let digits = n.to_string();
    let sep = match lang {
        Lang::Vi => '.',
        Lang::En => ',',
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A byte count for people: "850 KB", "1,2 MB" in Vietnamese (decimal
/// comma), "1.2 MB" in English.
pub fn format_bytes(lang: Lang, bytes: u64) -> String {
    const KB: f64 = 1000.0;
    let b = bytes as f64;
    let (value, unit) = if b < KB {
        return format!("{bytes} B");
    } else if b < KB * KB {
        (b / KB, "KB")
    } else if b < KB * KB * KB {
        (b / KB / KB, "MB")
    } else {
        (b / KB / KB / KB, "GB")
    };
    let text = if value < 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    };
    let text = match lang {
        Lang::Vi => text.replace('.', ","),
        Lang::En => text,
    };
    format!("{text} {unit}")
}

/// The names of a text's placeholders (`{n}`, and `n` of a plural
/// `{n|one|other}`).
#[cfg(test)]
pub(crate) fn placeholders(text: &str) -> std::collections::BTreeSet<&str> {
    text.match_indices('{')
        .filter_map(|(start, _)| {
            let rest = &text[start + 1..];
            rest.find('}').map(|end| &rest[..end])
        })
        .map(|inner| inner.split('|').next().unwrap_or(inner))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands_in_each_language() {
        assert_eq!(format_count(Lang::Vi, 20_000), "20.000");
        assert_eq!(format_count(Lang::En, 1_234_567), "1,234,567");
        assert_eq!(format_count(Lang::Vi, 500), "500");
        assert_eq!(format_count(Lang::En, 0), "0");
    }

    #[test]
    fn byte_counts_read_naturally_in_each_language() {
        assert_eq!(format_bytes(Lang::Vi, 512), "512 B");
        assert_eq!(format_bytes(Lang::Vi, 1_234_567), "1,2 MB");
        assert_eq!(format_bytes(Lang::En, 1_234_567), "1.2 MB");
        assert_eq!(format_bytes(Lang::En, 85_000), "85 KB");
    }

    #[test]
    fn english_counts_take_the_singular_for_one() {
        let lessons = |n: &str| Msg::LessonCount.format(Lang::En, &[("n", n)]);
        assert_eq!(lessons("1"), "1 lesson");
        assert_eq!(lessons("2"), "2 lessons");
        assert_eq!(lessons("0"), "0 lessons");
        assert_eq!(
            Msg::CourseCounts.format(Lang::En, &[("modules", "1"), ("lessons", "12")]),
            "1 module · 12 lessons"
        );
        assert_eq!(
            Msg::LessonCount.format(Lang::Vi, &[("n", "1")]),
            "1 bài học",
            "Vietnamese has no plural"
        );
        // No English text names a count of nouns without choosing its form.
        let bare = |text: &str| {
            text.match_indices("} ").any(|(at, _)| {
                let word: String = text[at + 2..]
                    .chars()
                    .take_while(char::is_ascii_alphabetic)
                    .collect();
                let name_start = text[..at].rfind('{').unwrap_or(0);
                let name = &text[name_start + 1..at];
                !name.contains('|')
                    && ["n", "total", "max"].contains(&name)
                    && [
                        "lessons",
                        "questions",
                        "trainees",
                        "points",
                        "changes",
                        "answers",
                    ]
                    .contains(&word.as_str())
            })
        };
        let found: Vec<_> = Msg::ALL.iter().filter(|m| bare(m.text(Lang::En))).collect();
        assert!(
            found.is_empty(),
            "English counts without a plural: {found:?}"
        );
    }

    #[test]
    fn every_message_exists_in_every_language_with_the_same_placeholders() {
        let faults = Msg::faults();
        assert!(faults.is_empty(), "catalogue:\n{}", faults.join("\n"));
    }

    #[test]
    fn waits_read_naturally_in_each_language() {
        assert_eq!(format_wait(Lang::Vi, 1), "1 giây");
        assert_eq!(format_wait(Lang::En, 1), "1 second");
        assert_eq!(format_wait(Lang::Vi, 45), "45 giây");
        assert_eq!(format_wait(Lang::En, 89), "89 seconds");
        assert_eq!(format_wait(Lang::Vi, 90), "2 phút");
        assert_eq!(format_wait(Lang::En, 60 * 60), "60 minutes");
        assert_eq!(
            Msg::ErrTooManyAttempts.format(Lang::Vi, &[("wait", &format_wait(Lang::Vi, 59))]),
            "Bạn đã nhập sai mật khẩu quá nhiều lần. Vui lòng thử lại sau 59 giây."
        );
    }

    #[test]
    fn formats_named_placeholders() {
        let s = Msg::CourseCounts.format(Lang::Vi, &[("modules", "4"), ("lessons", "11")]);
        assert_eq!(s, "4 chuyên đề · 11 bài học");
        assert_eq!(
            Msg::HomeGreeting.format(Lang::En, &[("name", "An")]),
            "Hello, An"
        );
        assert_eq!(
            Msg::HomeGreeting.format(Lang::En, &[("name", "{name}")]),
            "Hello, {name}",
            "a value is not read again"
        );
        assert_eq!(
            Msg::HomeGreeting.format(Lang::En, &[]),
            "Hello, {name}",
            "an unknown placeholder stays"
        );
    }

    #[test]
    fn language_codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("fr"), None);
        assert_eq!(Lang::default(), Lang::Vi);
    }
}
