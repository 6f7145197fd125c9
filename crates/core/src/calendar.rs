//! Calendar arithmetic, once: civil dates from day counts and back (Howard
//! Hinnant's algorithms), dates in Vietnam time (UTC+7, no daylight saving)
//! and dates as people write them. The client needs these too, so they are
//! a few lines here rather than a calendar crate in the trainee's `.wasm`.

/// A date as people write it in Vietnam (`25/3/1980`, `25-03-1980`), in ISO
/// form (`1980-03-25`), or as an Excel date serial (`29305`), as
/// `YYYY-MM-DD`; `None` if it is not a real date between 1900 and 2100.
pub fn parse_date(text: &str) -> Option<String> {
    let text = text.trim();
    let (y, m, d) = if let Ok(serial) = text.parse::<u32>() {
        if !(1..=73_050).contains(&serial) {
            return None;
        }
        // Excel counts days from 1899-12-30 (its 1900 leap-year bug included).
        civil_from_days(i64::from(serial) - 25_569)
    } else {
        let parts: Vec<&str> = text.split(['/', '-', '.']).map(str::trim).collect();
        let [a, b, c] = parts.as_slice() else {
            return None;
        };
        let nums = (a.parse::<i64>(), b.parse::<i64>(), c.parse::<i64>());
        let (Ok(a), Ok(b), Ok(c)) = nums else {
            return None;
        };
        if parts[0].len() == 4 {
            (a, b, c)
        } else {
            (c, b, a)
        }
    };
    if !(1900..=2100).contains(&y) || !(1..=12).contains(&m) {
        return None;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let max = days[usize::try_from(m - 1).ok()?];
    if !(1..=max).contains(&d) {
        return None;
    }
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's
/// days-from-civil); the inverse of [`civil_from_days`].
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Year, month, day of a day count since 1970-01-01 (Howard Hinnant's
/// civil-from-days).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The date in Vietnam (UTC+7) at `ms` since the epoch, `YYYY-MM-DD`.
pub fn vn_date(ms: i64) -> String {
    let (y, m, d) = civil_from_days((ms + 7 * 3_600_000).div_euclid(86_400_000));
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DD` as Vietnamese readers write it: `25/03/1980`.
pub fn date_vi(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => iso.to_string(),
    }
}

/// Milliseconds since the Unix epoch at the end of `date` (`YYYY-MM-DD`) in
/// Vietnam time (UTC+7), or `None` if the text is not such a date.
pub fn end_of_day_vn_ms(date: &str) -> Option<i64> {
    let mut parts = date.trim().splitn(3, '-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || !(1970..=9999).contains(&y) {
        return None;
    }
    let days = days_from_civil(y, m, d);
    Some(((days + 1) * 86_400 - 7 * 3_600) * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn day_counts_and_civil_dates_are_inverse(days in -800_000i64..3_000_000) {
            let (y, m, d) = civil_from_days(days);
            proptest::prop_assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn dates_in_the_forms_people_write() {
        assert_eq!(parse_date("5/3/1980").as_deref(), Some("1980-03-05"));
        assert_eq!(parse_date("05-03-1980").as_deref(), Some("1980-03-05"));
        assert_eq!(parse_date("1980-03-05").as_deref(), Some("1980-03-05"));
        assert_eq!(parse_date("29/02/2000").as_deref(), Some("2000-02-29"));
        assert_eq!(parse_date("29/02/1900"), None);
        assert_eq!(parse_date("29305").as_deref(), Some("1980-03-25"));
        assert_eq!(parse_date("hôm qua"), None);
        assert_eq!(parse_date(""), None);
        assert_eq!(parse_date("01/13/1980"), None);
    }

    #[test]
    fn vietnam_dates_from_epoch_ms() {
        assert_eq!(end_of_day_vn_ms("1970-01-01"), Some(17 * 3_600_000));
        assert_eq!(vn_date(0), "1970-01-01");
        // 2026-11-27 17:00 UTC is already the 28th in Vietnam.
        assert_eq!(vn_date(1_795_798_800_000), "2026-11-28");
        assert_eq!(vn_date(1_795_798_799_999), "2026-11-27");
        assert_eq!(date_vi("2026-11-28"), "28/11/2026");
    }
}
