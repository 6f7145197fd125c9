//! Question banks from a spreadsheet: every kind read from an XLSX written
//! here, bad rows reported at their row number, empty rows skipped, loose
//! headers, files that are not workbooks; the template reads back into its
//! examples; and `POST /api/bank/import-xlsx` / `GET
//! /api/bank/template.xlsx` over HTTP.
#![expect(clippy::unwrap_used, reason = "test helpers fail the test loudly")]

use crate::common::{body_json, test_app, TestApp};
use axum::{
    body::Body,
    http::{header, Request, Response, StatusCode},
};
use calamine::Reader;
use lophoc_core::{
    api::MAX_IMPORT_BYTES,
    i18n::Lang,
    note::Note,
    problem::Problem,
    question::{import::ImportReport, Accepted, Choice, Difficulty, QuestionBody},
};
use lophoc_formats::xlsx::{
    parse_xlsx, template, COLUMNS, MAX_TEXT_BYTES, MAX_UNPACKED_BYTES, XLSX_MIME,
};
use rust_xlsxwriter::Workbook;

/// A workbook whose first sheet has `rows` from row 1; empty strings are
/// left as empty cells, and a cell that parses as a number is written as
/// one (as Excel stores `Điểm`).
fn workbook(rows: &[Vec<&str>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in (0_u32..).zip(rows) {
        for (c, text) in (0_u16..).zip(row) {
            if text.is_empty() {
                continue;
            }
            match text.parse::<f64>() {
                Ok(n) => sheet.write_number(r, c, n).unwrap(),
                Err(_) => sheet.write_string(r, c, *text).unwrap(),
            };
        }
    }
    book.save_to_buffer().unwrap()
}

/// A row in template column order from the cells given by column name.
fn row<'a>(cells: &[(&str, &'a str)]) -> Vec<&'a str> {
    COLUMNS
        .iter()
        .map(|name| {
            cells
                .iter()
                .find(|(n, _)| n == name)
                .map_or("", |(_, v)| *v)
        })
        .collect()
}

fn headers() -> Vec<&'static str> {
    COLUMNS.to_vec()
}

fn parse(rows: &[Vec<&str>]) -> ImportReport {
    parse_xlsx(&workbook(rows)).unwrap()
}

fn options(body: &QuestionBody) -> &[Choice] {
    match body {
        QuestionBody::SingleChoice { options } | QuestionBody::MultipleChoice { options } => {
            options
        }
        other => panic!("not a choice question: {other:?}"),
    }
}

#[test]
fn every_kind_is_read_and_empty_rows_are_skipped() {
    let report = parse(&[
        headers(),
        row(&[
            ("Mã câu", "q-1"),
            ("Loại", "một lựa chọn"),
            ("Câu hỏi", "Ai tiếp nhận bản kê khai?"),
            ("Phương án A", "Cơ quan tổ chức cán bộ"),
            ("Phương án B", "Hàng xóm"),
            ("Phương án C", "Không ai"),
            ("Đáp án đúng", "a"),
            ("Giải thích", "Theo Luật Phòng, chống tham nhũng."),
            ("Chủ đề", "Kê khai tài sản"),
            ("Độ khó", "dễ"),
            ("Điểm", "2"),
        ]),
        vec![],
        row(&[
            ("Loại", "nhiều lựa chọn"),
            ("Câu hỏi", "Những việc nào là xung đột lợi ích?"),
            ("Phương án A", "Thẩm định hồ sơ của người thân"),
            ("Phương án B", "Từ chối quà"),
            ("Phương án C", "Góp vốn vào doanh nghiệp mình quản lý"),
            ("Phương án D", "Công khai tài sản"),
            ("Đáp án đúng", "A, C"),
            ("Độ khó", "Khó"),
        ]),
        row(&[
            ("Loại", "true_false"),
            ("Câu hỏi", "Kê khai trung thực bảo vệ người kê khai."),
            ("Đáp án đúng", "Đúng"),
        ]),
        row(&[
            ("Loại", "Đúng / Sai"),
            ("Câu hỏi", "Được nhận phong bì sau khi làm xong việc."),
            ("Đáp án đúng", "sai"),
        ]),
        vec![""; COLUMNS.len()],
        vec![],
        row(&[
            ("Loại", "trả lời ngắn"),
            ("Câu hỏi", "Viết tắt của Ủy ban nhân dân?"),
            ("Đáp án đúng", "UBND | U.B.N.D"),
            ("Độ khó", "trung bình"),
        ]),
        row(&[
            ("Mã câu", "Câu 9"),
            ("Loại", "Tự luận"),
            ("Câu hỏi", "Nêu ba biện pháp phòng ngừa tham nhũng."),
            ("Điểm", "5"),
        ]),
    ]);
    assert!(report.is_clean(), "{:?}", report.problems);
    let q = &report.questions;
    assert_eq!(q.len(), 6);
    assert_eq!(
        q.iter().map(|q| q.line).collect::<Vec<_>>(),
        [2, 4, 5, 6, 9, 10],
        "spreadsheet rows, empty rows skipped"
    );
    assert_eq!(
        q.iter().map(|q| q.id.as_str()).collect::<Vec<_>>(),
        ["q-1", "xlsx-2", "xlsx-3", "xlsx-4", "xlsx-5", "cau-9"]
    );

    let single = &q[0].question;
    assert!(matches!(single.body, QuestionBody::SingleChoice { .. }));
    let opts = options(&single.body);
    assert_eq!(
        opts.iter()
            .map(|o| (o.id.as_str(), o.correct))
            .collect::<Vec<_>>(),
        [("a", true), ("b", false), ("c", false)]
    );
    assert_eq!(opts[0].text, "Cơ quan tổ chức cán bộ");
    assert_eq!(single.points, 2);
    assert_eq!(single.difficulty, Difficulty::Easy);
    assert_eq!(single.tags, ["Kê khai tài sản"]);
    assert_eq!(q[0].category.as_deref(), Some("Kê khai tài sản"));
    assert_eq!(
        single.explanation.as_deref(),
        Some("Theo Luật Phòng, chống tham nhũng.")
    );

    let multiple = &q[1].question;
    assert!(matches!(multiple.body, QuestionBody::MultipleChoice { .. }));
    let correct: Vec<&str> = options(&multiple.body)
        .iter()
        .filter(|o| o.correct)
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(correct, ["a", "c"]);
    assert_eq!(multiple.points, 1, "Điểm defaults to 1");
    assert_eq!(multiple.difficulty, Difficulty::Hard);
    assert!(multiple.tags.is_empty() && q[1].category.is_none());

    assert!(matches!(
        q[2].question.body,
        QuestionBody::TrueFalse { answer: true, .. }
    ));
    assert!(matches!(
        q[3].question.body,
        QuestionBody::TrueFalse { answer: false, .. }
    ));
    assert_eq!(q[3].question.difficulty, Difficulty::Medium);

    match &q[4].question.body {
        QuestionBody::ShortAnswer { accepted, .. } => {
            assert_eq!(
                accepted,
                &[Accepted::full("UBND"), Accepted::full("U.B.N.D")]
            )
        }
        other => panic!("{other:?}"),
    }

    let essay = &q[5].question;
    match &essay.body {
        QuestionBody::Essay { rubric } => {
            assert_eq!(rubric.len(), 1);
            assert_eq!(rubric[0].description, "Toàn bài");
            assert_eq!(rubric[0].max_points, 5);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        q[5].notes.iter().any(|n| n.note
            == Note::IdChanged {
                given: "Câu 9".into(),
                id: "cau-9".into()
            }),
        "the changed id is noted: {:?}",
        q[5].notes
    );
}

#[test]
fn bad_rows_are_reported_at_their_row_and_the_rest_is_read() {
    let report = parse(&[
        headers(),
        row(&[
            ("Loại", "một lựa chọn"),
            ("Câu hỏi", "Câu đúng"),
            ("Phương án A", "Một"),
            ("Phương án B", "Hai"),
            ("Đáp án đúng", "B"),
        ]),
        row(&[
            ("Loại", "một lựa chọn"),
            ("Câu hỏi", "Đáp án ngoài phương án"),
            ("Phương án A", "Một"),
            ("Phương án B", "Hai"),
            ("Phương án C", "Ba"),
            ("Phương án D", "Bốn"),
            ("Đáp án đúng", "G"),
        ]),
        row(&[
            ("Loại", "một lựa chọn"),
            ("Câu hỏi", "Hai đáp án cho câu một lựa chọn"),
            ("Phương án A", "Một"),
            ("Phương án B", "Hai"),
            ("Đáp án đúng", "A, B"),
        ]),
        vec![],
        row(&[("Loại", "trắc nghiệm"), ("Câu hỏi", "Loại không có")]),
        row(&[
            ("Loại", "đúng sai"),
            ("Câu hỏi", "Đúng sai trả lời Có"),
            ("Đáp án đúng", "Có"),
            ("Điểm", "1.5"),
        ]),
        row(&[("Loại", "tự luận"), ("Giải thích", "Không có câu hỏi")]),
        row(&[
            ("Loại", "nhiều lựa chọn"),
            ("Câu hỏi", "Một phương án"),
            ("Phương án A", "Một"),
            ("Đáp án đúng", "A"),
        ]),
        row(&[
            ("Mã câu", "hoi-1"),
            ("Loại", "nhiều lựa chọn"),
            ("Câu hỏi", "Phương án C trống"),
            ("Phương án A", "Một"),
            ("Phương án B", "Hai"),
            ("Phương án D", "Bốn"),
            ("Đáp án đúng", "C"),
        ]),
        row(&[
            ("Loại", "trả lời ngắn"),
            ("Câu hỏi", "Không có đáp án"),
            ("Độ khó", "vừa"),
        ]),
    ]);
    assert_eq!(report.questions.len(), 1);
    assert_eq!(report.questions[0].line, 2);
    let at = |row: usize| -> Vec<String> {
        report
            .problems
            .iter()
            .filter(|p| p.line == row)
            .map(|p| p.problem.text(Lang::En))
            .collect()
    };
    let g = at(3);
    assert_eq!(g.len(), 1, "{g:?}");
    assert!(
        g[0].contains("no option G") && g[0].contains("A, B, C, D"),
        "{g:?}"
    );
    assert_eq!(
        report
            .problems
            .iter()
            .find(|p| p.line == 3)
            .unwrap()
            .question_title_or_excerpt,
        "Đáp án ngoài phương án"
    );
    assert!(at(4)[0].contains("exactly one right answer"), "{:?}", at(4));
    assert!(at(6)[0].contains("“trắc nghiệm”"), "{:?}", at(6));
    let tf = at(7);
    assert_eq!(tf.len(), 2, "both mistakes of row 7: {tf:?}");
    assert!(tf.iter().any(|m| m.contains("Điểm") && m.contains("1.5")));
    assert!(tf.iter().any(|m| m.contains("Đúng or Sai")));
    assert!(at(8)[0].contains("“Câu hỏi” is empty"), "{:?}", at(8));
    assert!(at(9)[0].contains("at least 2 are needed"), "{:?}", at(9));
    assert!(at(10)[0].contains("“Phương án C” is empty"), "{:?}", at(10));
    let hard = at(11);
    assert_eq!(hard.len(), 2, "{hard:?}");
    assert!(hard.iter().any(|m| m.contains("Độ khó")));
    assert!(hard.iter().any(|m| m.contains("accepted answers")));
    assert_eq!(report.problems.len(), 10, "{:?}", report.problems);
    assert_eq!(report.clone().accept(false).unwrap_err().len(), 10);
    assert_eq!(report.accept(true).unwrap().len(), 1);
}

#[test]
fn headers_match_in_any_case_with_or_without_accents_below_a_title() {
    let report = parse(&[
        vec!["NGÂN HÀNG CÂU HỎI PHÒNG CHỐNG THAM NHŨNG"],
        vec![],
        vec![
            "cau hoi",
            "GHI CHÚ",
            "LOẠI",
            "phuong an a",
            "Phương Án B",
            "Dap An Dung",
            "  điểm ",
            "Chu de",
        ],
        vec![
            "Câu hỏi có tiêu đề lạ",
            "ghi chú riêng",
            "MỘT LỰA CHỌN",
            "Có",
            "Không",
            "b",
            "3",
            "Chung",
        ],
        vec!["", "chỉ có ghi chú"],
    ]);
    assert!(report.is_clean(), "{:?}", report.problems);
    assert_eq!(
        report.questions.len(),
        1,
        "a row with only unknown columns is empty"
    );
    let q = &report.questions[0];
    assert_eq!(q.line, 4);
    assert_eq!(q.question.points, 3);
    assert_eq!(q.category.as_deref(), Some("Chung"));
    assert!(options(&q.question.body)[1].correct);
    assert!(
        q.notes.iter().any(|n| n.note
            == Note::UnknownColumn {
                column: "B".into(),
                name: "GHI CHÚ".into()
            }
            && n.text_en.contains("Column B")
            && n.text_vi.contains("Cột B (“GHI CHÚ”)")),
        "the unknown column is noted: {:?}",
        q.notes
    );
}

#[test]
fn sheets_without_the_needed_headers_are_one_problem() {
    let empty = parse(&[]);
    assert_eq!(empty.problems.len(), 1);
    assert_eq!(empty.problems[0].line, 1);
    assert_eq!(empty.problems[0].problem, Problem::SheetEmpty);

    let no_prompt = parse(&[vec![], vec!["Loại", "Nội dung"], vec!["tự luận", "Viết"]]);
    assert_eq!(no_prompt.problems.len(), 1, "{:?}", no_prompt.problems);
    assert_eq!(no_prompt.problems[0].line, 2);
    assert!(matches!(
        no_prompt.problems[0].problem,
        Problem::NoHeaderRow { .. }
    ));
    assert!(no_prompt.questions.is_empty());

    let no_kind = parse(&[vec!["Câu hỏi"], vec!["Viết"]]);
    assert_eq!(no_kind.problems.len(), 1);
    assert_eq!(no_kind.problems[0].problem, Problem::NoKindColumn);

    let twice = parse(&[
        vec!["Câu hỏi", "Loại", "CÂU HỎI"],
        vec!["Viết", "tự luận", "Viết nữa"],
    ]);
    assert_eq!(twice.problems.len(), 1);
    assert_eq!(
        twice.problems[0].problem,
        Problem::DuplicateColumn {
            first: "A".into(),
            second: "C".into(),
            name: "CÂU HỎI".into()
        }
    );
    assert!(twice.questions.is_empty());
}

#[test]
fn files_that_are_not_workbooks_are_an_error() {
    for bytes in [
        &b""[..],
        b"Tham nhung la gi?\nA. Mot\nB. Hai\nANSWER: A\n",
        b"PK\x03\x04 not really a zip",
    ] {
        let error = parse_xlsx(bytes).unwrap_err();
        assert!(error.contains(".xlsx"), "{error}");
    }
    // A ZIP that is not a workbook.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("hello.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut zip, b"hello").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    assert!(parse_xlsx(&bytes).unwrap_err().contains(".xlsx"));
}

#[test]
fn a_small_file_cannot_expand_into_unbounded_text() {
    // One shared string used in many cells: a tiny file, a lot of text.
    let long = "tham nhũng ".repeat(2900);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Câu hỏi").unwrap();
    sheet.write_string(0, 1, "Loại").unwrap();
    let rows = u32::try_from(MAX_TEXT_BYTES / long.len() + 2).unwrap();
    for r in 1..=rows {
        sheet.write_string(r, 0, &long).unwrap();
        sheet.write_string(r, 1, "tự luận").unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    assert!(bytes.len() < MAX_IMPORT_BYTES, "{}", bytes.len());
    let error = parse_xlsx(&bytes).unwrap_err();
    assert!(error.contains("MB of text"), "{error}");
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_read() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file(
        "xl/sharedStrings.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    let zeros = vec![b' '; 1024 * 1024];
    for _ in 0..=MAX_UNPACKED_BYTES / (1024 * 1024) {
        std::io::Write::write_all(&mut zip, &zeros).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < MAX_IMPORT_BYTES, "{}", bytes.len());
    let error = parse_xlsx(&bytes).unwrap_err();
    assert!(error.contains("unpacks to more than 64 MB"), "{error}");
}

#[test]
fn the_template_reads_back_into_its_examples() {
    let bytes = template();
    let report = parse_xlsx(&bytes).unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);
    let kinds: Vec<&str> = report
        .questions
        .iter()
        .map(|q| match q.question.body {
            QuestionBody::SingleChoice { .. } => "single",
            QuestionBody::MultipleChoice { .. } => "multiple",
            QuestionBody::TrueFalse { .. } => "true_false",
            QuestionBody::ShortAnswer { .. } => "short",
            QuestionBody::Essay { .. } => "essay",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        ["single", "multiple", "true_false", "short", "essay"]
    );
    assert!(report.questions.iter().all(|q| q.id.starts_with("mau-")));

    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), ["Câu hỏi", "Hướng dẫn"]);
    let guide = book.worksheet_range("Hướng dẫn").unwrap();
    let explained: Vec<String> = guide.rows().map(|r| r[0].to_string()).collect();
    for column in ["Mã câu", "Loại", "Đáp án đúng", "Điểm"] {
        assert!(explained.iter().any(|c| c == column), "{column}");
    }
}

async fn post_xlsx(
    app: &TestApp,
    query: &str,
    bytes: Vec<u8>,
    cookie: Option<&str>,
) -> Response<Body> {
    let mut request = Request::post(format!("/api/bank/import-xlsx{query}"))
        .header(header::CONTENT_TYPE, "application/octet-stream");
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    app.send(request.body(Body::from(bytes)).unwrap()).await
}

/// One good question and a bad one (the answer names option G).
fn mixed() -> Vec<u8> {
    workbook(&[
        headers(),
        row(&[
            ("Mã câu", "xlsx-tot"),
            ("Loại", "một lựa chọn"),
            ("Câu hỏi", "Câu đúng"),
            ("Phương án A", "Một"),
            ("Phương án B", "Hai"),
            ("Đáp án đúng", "B"),
            ("Chủ đề", "Thử"),
        ]),
        row(&[
            ("Loại", "một lựa chọn"),
            ("Câu hỏi", "Câu sai"),
            ("Phương án A", "Một"),
            ("Phương án B", "Hai"),
            ("Đáp án đúng", "G"),
        ]),
    ])
}

#[tokio::test]
async fn the_endpoint_checks_imports_all_or_nothing_or_the_valid_part() {
    let app = test_app().await;
    let lecturer = app.login("giangvien", "giangvien123").await;

    let dry = body_json(post_xlsx(&app, "?dry_run=true", mixed(), Some(&lecturer)).await).await;
    assert_eq!(dry["imported"], 0);
    assert_eq!(dry["report"]["questions"].as_array().unwrap().len(), 1);
    assert_eq!(dry["report"]["problems"][0]["line"], 3);

    let all = body_json(
        post_xlsx(
            &app,
            "?partial=false&dry_run=false",
            mixed(),
            Some(&lecturer),
        )
        .await,
    )
    .await;
    assert_eq!(all["imported"], 0, "problems stop an all-or-nothing import");
    let bank = body_json(app.get("/api/bank", Some(&lecturer)).await).await;
    assert_eq!(bank.as_array().unwrap().len(), 0);

    let partial = body_json(
        post_xlsx(
            &app,
            "?partial=true&dry_run=false",
            mixed(),
            Some(&lecturer),
        )
        .await,
    )
    .await;
    assert_eq!(partial["imported"], 1);
    let bank = body_json(app.get("/api/bank", Some(&lecturer)).await).await;
    assert_eq!(bank[0]["id"], "xlsx-tot");
    assert_eq!(bank[0]["kind"], "single_choice");
    assert_eq!(bank[0]["category"], "Thử");

    // The template imports whole, beside what is there.
    let template = app.get("/api/bank/template.xlsx", Some(&lecturer)).await;
    assert_eq!(template.status(), StatusCode::OK);
    assert_eq!(template.headers()[header::CONTENT_TYPE], XLSX_MIME);
    assert!(template.headers()[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .contains("filename=\"mau-cau-hoi.xlsx\""));
    let bytes = http_body_util::BodyExt::collect(template.into_body())
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    let clean = body_json(post_xlsx(&app, "", bytes, Some(&lecturer)).await).await;
    assert_eq!(
        clean["imported"], 5,
        "no query: not a dry run, all or nothing"
    );
    let bank = body_json(app.get("/api/bank", Some(&lecturer)).await).await;
    assert_eq!(bank.as_array().unwrap().len(), 6);

    let junk = post_xlsx(
        &app,
        "?dry_run=true",
        b"not a workbook".to_vec(),
        Some(&lecturer),
    )
    .await;
    assert_eq!(junk.status(), StatusCode::BAD_REQUEST);
    let junk = body_json(junk).await;
    assert_eq!(junk["code"], "bad_request");
    assert!(junk["detail"].as_str().unwrap().contains(".xlsx"), "{junk}");

    let bad_query = post_xlsx(&app, "?dry_run=maybe", mixed(), Some(&lecturer)).await;
    assert_eq!(bad_query.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn oversized_files_trainees_and_strangers_are_refused() {
    let app = test_app().await;
    let lecturer = app.login("giangvien", "giangvien123").await;
    for size in [MAX_IMPORT_BYTES + 1, 3 * 1024 * 1024] {
        let response = post_xlsx(&app, "?dry_run=true", vec![0; size], Some(&lecturer)).await;
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE, "{size}");
        let body = body_json(response).await;
        assert_eq!(body["code"], "too_large");
        assert_eq!(body["limit"], MAX_IMPORT_BYTES, "{body}");
    }

    let trainee = app.login("hocvien", "hocvien123").await;
    let response = post_xlsx(&app, "?partial=true", mixed(), Some(&trainee)).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.store.authoring.bank(1).await.unwrap().len(), 0);
    assert_eq!(
        app.get("/api/bank/template.xlsx", Some(&trainee))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post_xlsx(&app, "", mixed(), None).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/bank/template.xlsx", None).await.status(),
        StatusCode::UNAUTHORIZED
    );
}
