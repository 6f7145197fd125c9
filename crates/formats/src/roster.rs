//! Class rosters: the CSV file a centre exports from its spreadsheet, read
//! into rows ([`csv_rows`], by the `csv` crate), and rows — from CSV or an
//! XLSX sheet ([`crate::xlsx::sheet_rows`]) — read into trainees
//! ([`read_roster`]) with every problem named by its row. The roster's
//! shapes and problem codes are `lophoc_core::classes`', which the client
//! shows.

use std::collections::HashMap;

use lophoc_core::{
    calendar::parse_date,
    classes::{
        RosterProblem, RosterProblemKind, RosterRow, MAX_CELL_CHARS, MAX_ROSTER_ROWS,
        ROSTER_COLUMNS,
    },
    text::fold,
};

/// Splits CSV text into rows of cells, each cell trimmed, each row with the
/// 1-based line it starts on (RFC 4180 quoting, so a quoted cell may hold
/// line ends; comma, or semicolon when the first line has more of them, as
/// Vietnamese Excel writes). A leading byte-order mark is dropped; blank
/// lines are no rows.
pub fn csv_rows(text: &str) -> Vec<(u32, Vec<String>)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .delimiter(delimiter)
        .from_reader(text.as_bytes())
        .into_records()
        .map_while(Result::ok)
        .map(|record| {
            // The line the record starts on, from its byte offset: the
            // reader counts a line only once it reads past its end, and a
            // record's offset may point at the line ends before it.
            let bytes = text.as_bytes();
            let mut start = record
                .position()
                .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(0));
            while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
                start += 1;
            }
            let line = 1 + bytes[..start.min(bytes.len())]
                .iter()
                .filter(|c| **c == b'\n')
                .count();
            (
                u32::try_from(line).unwrap_or(u32::MAX),
                record.iter().map(str::to_string).collect(),
            )
        })
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Name,
    Birth,
    Unit,
    Position,
    Phone,
}

fn column_of(header: &str) -> Option<Col> {
    let key: String = fold(header)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    match key.as_str() {
        "hovaten" | "hoten" | "ten" | "fullname" | "name" => Some(Col::Name),
        "ngaysinh" | "birthdate" | "dateofbirth" => Some(Col::Birth),
        "donvi" | "noicongtac" | "unit" => Some(Col::Unit),
        "chucvu" | "position" => Some(Col::Position),
        "sodienthoai" | "dienthoai" | "sdt" | "phone" => Some(Col::Phone),
        _ => None,
    }
}

/// Reads roster rows — each a list of cell texts by 0-based column, with
/// its 1-based row number — into trainees, or every problem found. The
/// header row is the first row that names `Họ và tên` (a title row above
/// it is fine); `Họ và tên` and `Ngày sinh` are required columns.
pub fn read_roster(rows: &[(u32, Vec<String>)]) -> Result<Vec<RosterRow>, Vec<RosterProblem>> {
    let problem = |row, kind| RosterProblem { row, kind };
    let Some(header_index) = rows
        .iter()
        .position(|(_, cells)| cells.iter().any(|c| column_of(c) == Some(Col::Name)))
    else {
        return Err(vec![problem(0, RosterProblemKind::NoHeader)]);
    };
    let (header_row, header) = &rows[header_index];
    let columns: Vec<Option<Col>> = header.iter().map(|h| column_of(h)).collect();
    if !columns.contains(&Some(Col::Birth)) {
        return Err(vec![problem(
            *header_row,
            RosterProblemKind::MissingColumn {
                column: ROSTER_COLUMNS[1].into(),
            },
        )]);
    }
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let mut seen: HashMap<(String, String), u32> = HashMap::new();
    for (row, cells) in &rows[header_index + 1..] {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |col: Col| {
            columns
                .iter()
                .position(|c| *c == Some(col))
                .and_then(|i| cells.get(i))
                .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
                .unwrap_or_default()
        };
        let mut ok = true;
        if cells.iter().any(|c| c.chars().count() > MAX_CELL_CHARS) {
            problems.push(problem(*row, RosterProblemKind::TooLong));
            ok = false;
        }
        let full_name = cell(Col::Name);
        if full_name.is_empty() {
            problems.push(problem(*row, RosterProblemKind::MissingName));
            ok = false;
        }
        let birth_raw = cell(Col::Birth);
        let birth_date = parse_date(&birth_raw);
        if birth_date.is_none() {
            problems.push(problem(
                *row,
                RosterProblemKind::BadDate {
                    value: birth_raw.clone(),
                },
            ));
            ok = false;
        }
        let phone_raw = cell(Col::Phone);
        let phone: String = phone_raw.chars().filter(|c| c.is_ascii_digit()).collect();
        let phone_ok = phone_raw.is_empty()
            || ((9..=11).contains(&phone.len())
                && phone_raw
                    .chars()
                    .all(|c| c.is_ascii_digit() || " .-+()".contains(c)));
        if !phone_ok {
            problems.push(problem(
                *row,
                RosterProblemKind::BadPhone { value: phone_raw },
            ));
            ok = false;
        }
        if let (true, Some(date)) = (ok, birth_date) {
            let key = (fold(&full_name), date.clone());
            if let Some(first_row) = seen.get(&key) {
                problems.push(problem(
                    *row,
                    RosterProblemKind::Duplicate {
                        first_row: *first_row,
                    },
                ));
                continue;
            }
            seen.insert(key, *row);
            out.push(RosterRow {
                row: *row,
                full_name,
                birth_date: date,
                unit: cell(Col::Unit),
                position: cell(Col::Position),
                phone,
            });
        }
    }
    let total = out.len() + problems.iter().filter(|p| p.row > 0).count();
    if total > MAX_ROSTER_ROWS as usize {
        return Err(vec![problem(
            0,
            RosterProblemKind::TooManyRows {
                max: MAX_ROSTER_ROWS,
            },
        )]);
    }
    if problems.is_empty() && out.is_empty() {
        problems.push(problem(0, RosterProblemKind::Empty));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &str) -> Vec<(u32, Vec<String>)> {
        csv_rows(text)
    }

    #[test]
    fn reads_a_clean_roster_with_a_title_row() {
        let csv = "DANH SÁCH HỌC VIÊN LỚP BỒI DƯỠNG\n\
                   Họ và tên,Ngày sinh,Đơn vị,Chức vụ,Số điện thoại\n\
                   Nguyễn Văn An,05/03/1980,UBND xã Tà Lèng,Phó Chủ tịch,0912 345 678\n\
                   \"Lò Thị Bình\",1979-12-31,\"Hội Phụ nữ xã, thôn 3\",Chi hội trưởng,\n";
        let roster = read_roster(&rows(csv)).unwrap();
        assert_eq!(roster.len(), 2);
        assert_eq!(roster[0].row, 3);
        assert_eq!(roster[0].birth_date, "1980-03-05");
        assert_eq!(roster[0].phone, "0912345678");
        assert_eq!(roster[1].unit, "Hội Phụ nữ xã, thôn 3");
        assert_eq!(roster[1].birth_date, "1979-12-31");
    }

    #[test]
    fn reports_every_bad_row_and_keeps_none() {
        let csv = "Họ và tên;Ngày sinh;Số điện thoại\n\
                   Nguyễn Văn An;31/02/1980;\n\
                   ;01/01/1990;\n\
                   Lò Văn Cường;01/01/1990;12ab\n\
                   Lò Văn Dũng;01/01/1990;\n\
                   lo van dung;1/1/1990;\n";
        let problems = read_roster(&rows(csv)).unwrap_err();
        assert_eq!(
            problems,
            vec![
                RosterProblem {
                    row: 2,
                    kind: RosterProblemKind::BadDate {
                        value: "31/02/1980".into()
                    }
                },
                RosterProblem {
                    row: 3,
                    kind: RosterProblemKind::MissingName
                },
                RosterProblem {
                    row: 4,
                    kind: RosterProblemKind::BadPhone {
                        value: "12ab".into()
                    }
                },
                RosterProblem {
                    row: 6,
                    kind: RosterProblemKind::Duplicate { first_row: 5 }
                },
            ]
        );
    }

    #[test]
    fn a_file_without_the_columns_says_so() {
        assert_eq!(
            read_roster(&rows("a,b\n1,2\n")).unwrap_err()[0].kind,
            RosterProblemKind::NoHeader
        );
        assert_eq!(
            read_roster(&rows("Họ tên,Đơn vị\nAn,Xã\n")).unwrap_err()[0].kind,
            RosterProblemKind::MissingColumn {
                column: "Ngày sinh".into()
            }
        );
        assert_eq!(
            read_roster(&rows("Họ và tên,Ngày sinh\n,\n")).unwrap_err()[0].kind,
            RosterProblemKind::Empty
        );
    }

    #[test]
    fn too_many_rows_are_refused_whole() {
        let mut csv = String::from("Họ và tên,Ngày sinh\n");
        for i in 0..=MAX_ROSTER_ROWS {
            csv.push_str(&format!("Học viên {i},01/01/1990\n"));
        }
        assert_eq!(
            read_roster(&rows(&csv)).unwrap_err(),
            vec![RosterProblem {
                row: 0,
                kind: RosterProblemKind::TooManyRows {
                    max: MAX_ROSTER_ROWS
                }
            }]
        );
    }

    #[test]
    fn csv_quotes_and_line_ends() {
        let parsed = csv_rows("\u{feff}a,\"b \"\"x\"\"\",c\r\n\"multi\nline\",2,3\n\nx;y,z\n");
        assert_eq!(
            parsed[0],
            (1, vec!["a".into(), "b \"x\"".into(), "c".into()])
        );
        assert_eq!(
            parsed[1],
            (2, vec!["multi\nline".into(), "2".into(), "3".into()])
        );
        assert_eq!(
            parsed[2],
            (5, vec!["x;y".into(), "z".into()]),
            "a blank line is no row"
        );
        assert_eq!(parsed.len(), 3);
        let semicolons = csv_rows("Họ và tên;Ngày sinh\n\"Lò, Bình\"; 1/2/1980\n");
        assert_eq!(
            semicolons[1],
            (2, vec!["Lò, Bình".into(), "1/2/1980".into()])
        );
    }
}
