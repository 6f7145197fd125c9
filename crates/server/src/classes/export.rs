//! The class matrix as a spreadsheet: CSV (UTF-8 with a byte-order mark, so
//! Excel shows Vietnamese correctly) and XLSX. Column names and statuses in
//! Vietnamese, from the message catalogue.

use lophoc_core::{
    classes::ClassMatrix,
    completion::Status,
    i18n::{Lang, Msg},
};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

const LANG: Lang = Lang::Vi;

fn status_text(status: Status) -> &'static str {
    match status {
        Status::NotStarted => Msg::StatusNotStarted.text(LANG),
        Status::InProgress => Msg::StatusInProgress.text(LANG),
        Status::Completed => Msg::StatusCompleted.text(LANG),
    }
}

/// The header row and the data rows, as text cells.
pub fn table(matrix: &ClassMatrix) -> Vec<Vec<String>> {
    let mut header = vec![
        Msg::ColFullName.text(LANG).to_string(),
        Msg::ColUsername.text(LANG).to_string(),
    ];
    header.extend(matrix.modules.iter().map(|m| m.title.clone()));
    header.push(Msg::ColPercent.text(LANG).to_string());
    header.push(Msg::ColLive.text(LANG).to_string());
    for a in &matrix.assessments {
        header.push(Msg::ColBestScore.text(LANG).replace("{title}", &a.title));
        header.push(Msg::ColPassed.text(LANG).replace("{title}", &a.title));
    }
    header.push(Msg::ColCompleted.text(LANG).to_string());
    header.push(Msg::ColCertificate.text(LANG).to_string());
    let mut rows = vec![header];
    for row in &matrix.rows {
        let mut line = vec![row.user.full_name.clone(), row.user.username.clone()];
        line.extend(
            row.cells
                .iter()
                .map(|c| format!("{} ({}/{})", status_text(c.status), c.done, c.required)),
        );
        line.push(row.percent.to_string());
        line.push(row.live_sessions.to_string());
        for result in &row.results {
            line.push(
                result
                    .as_ref()
                    .and_then(|r| r.best_percent)
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
            );
            let verdict = match result.as_ref().map(|r| r.passed) {
                Some(Some(true)) => Msg::Passed.text(LANG),
                Some(Some(false)) => Msg::NotPassed.text(LANG),
                Some(None) if result.as_ref().is_some_and(|r| r.submitted > 0) => {
                    Msg::AwaitingGrading.text(LANG)
                }
                _ => "",
            };
            line.push(verdict.to_string());
        }
        let completed = if row.completed { Msg::Yes } else { Msg::No };
        line.push(completed.text(LANG).to_string());
        line.push(row.certificate.clone().unwrap_or_default());
        rows.push(line);
    }
    rows
}

fn csv_cell(text: &str) -> String {
    // A leading = + - @ would make a spreadsheet run a formula.
    let text = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

pub fn csv(matrix: &ClassMatrix) -> String {
    let mut out = String::from("\u{feff}");
    for line in table(matrix) {
        out.push_str(
            &line
                .iter()
                .map(|c| csv_cell(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

pub fn xlsx(matrix: &ClassMatrix) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();
    let sheet = workbook.add_worksheet();
    let name: String = matrix
        .class_name
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    sheet.set_name(if name.trim().is_empty() {
        "Lớp"
    } else {
        name.trim()
    })?;
    for (r, line) in (0_u32..).zip(table(matrix)) {
        for (c, text) in (0_u16..).zip(line) {
            // Figures as numbers; codes and phone-like text ("012…") as text.
            let number = text
                .parse::<u32>()
                .ok()
                .filter(|_| r > 0 && (text == "0" || !text.starts_with('0')));
            if r == 0 {
                sheet.write_string_with_format(r, c, &text, &bold)?;
            } else if let Some(n) = number {
                sheet.write_number(r, c, f64::from(n))?;
            } else {
                sheet.write_string(r, c, &text)?;
            }
        }
    }
    sheet.set_column_width(0, 28)?;
    sheet.set_freeze_panes(1, 2)?;
    workbook.save_to_buffer()
}

/// `text` for a `filename*=UTF-8''…` header value: RFC 5987's
/// `attr-char`s as they are, every other byte percent-encoded.
pub fn percent_encode(text: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
    const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    utf8_percent_encode(text, ATTR_CHAR).to_string()
}

#[cfg(test)]
mod tests {
    /// As Python's `urllib.parse.quote(name, safe="-._~")` writes it.
    #[test]
    fn a_vietnamese_class_name_is_percent_encoded_for_the_header() {
        assert_eq!(
            super::percent_encode("Lớp K12 – Tân Sơn (a/b)"),
            "L%E1%BB%9Bp%20K12%20%E2%80%93%20T%C3%A2n%20S%C6%A1n%20%28a%2Fb%29"
        );
    }
}
