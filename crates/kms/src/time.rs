//! Simulated time: a moment in whole seconds, read from and written as
//! the ISO 8601 text AWS's records and events use. The key's life
//! ([`crate::lifecycle`]), CloudTrail records ([`crate::records`]) and
//! grants ([`crate::grants`]) all stamp their results with it; there is no
//! clock here either, every caller says what time it is.

/// A moment, in whole seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub i64);

/// Seconds in a day.
pub const DAY: i64 = 86_400;

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl Time {
    /// `2022-08-10T16:37:50Z`, the time of seed 001's examples: the clock of
    /// a playground file that sets none.
    pub const DEFAULT: Time = Time(1_660_149_470);

    /// Reads `YYYY-MM-DDTHH:MM:SSZ` (fractional seconds are dropped; an
    /// offset `+HH:MM` / `-HH:MM` is applied) or a date `YYYY-MM-DD`
    /// (midnight UTC).
    pub fn parse(text: &str) -> Option<Time> {
        let t = text.trim();
        let num = |s: &str| -> Option<i64> {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let date = t.get(..10)?;
        let (y, m, d) = (
            num(date.get(..4)?)?,
            num(date.get(5..7)?)?,
            num(date.get(8..10)?)?,
        );
        if date.as_bytes()[4] != b'-' || date.as_bytes()[7] != b'-' {
            return None;
        }
        let days_in_month = match m {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
            2 => 28,
            _ => return None,
        };
        if d < 1 || d > days_in_month {
            return None;
        }
        let mut seconds = days_from_civil(y, m, d) * DAY;
        let rest = &t[10..];
        if rest.is_empty() {
            return Some(Time(seconds));
        }
        let rest = rest.strip_prefix(['T', 't', ' '])?;
        let (hh, mm, ss) = (
            num(rest.get(..2)?)?,
            num(rest.get(3..5)?)?,
            num(rest.get(6..8)?)?,
        );
        if rest.as_bytes()[2] != b':' || rest.as_bytes()[5] != b':' || hh > 23 || mm > 59 || ss > 60
        {
            return None;
        }
        seconds += hh * 3600 + mm * 60 + ss;
        let mut zone = &rest[8..];
        if let Some(frac) = zone.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            zone = &frac[digits..];
        }
        match zone {
            "Z" | "z" => Some(Time(seconds)),
            _ => {
                let sign = match zone.as_bytes().first()? {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                if zone.len() != 6 || zone.as_bytes()[3] != b':' {
                    return None;
                }
                let (oh, om) = (num(&zone[1..3])?, num(&zone[4..6])?);
                Some(Time(seconds - sign * (oh * 3600 + om * 60)))
            }
        }
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn iso(self) -> String {
        let days = self.0.div_euclid(DAY);
        let secs = self.0.rem_euclid(DAY);
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        )
    }

    /// This time plus `s` seconds.
    pub fn plus_seconds(self, s: i64) -> Time {
        Time(self.0.saturating_add(s))
    }

    /// This time plus `d` days.
    pub fn plus_days(self, d: i64) -> Time {
        self.plus_seconds(d.saturating_mul(DAY))
    }
}

impl std::fmt::Display for Time {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.iso())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_round_trips() {
        for s in [
            "2022-08-10T16:37:50Z",
            "1970-01-01T00:00:00Z",
            "2000-02-29T23:59:59Z",
            "2100-12-31T00:00:01Z",
        ] {
            assert_eq!(Time::parse(s).unwrap().iso(), s);
        }
        assert_eq!(Time::parse("2022-08-10T16:37:50Z"), Some(Time::DEFAULT));
        assert_eq!(
            Time::parse("2022-08-10").unwrap().iso(),
            "2022-08-10T00:00:00Z"
        );
        assert_eq!(
            Time::parse("2022-08-10T18:37:50.123+02:00"),
            Some(Time::DEFAULT)
        );
        for bad in [
            "2022-02-30",
            "2022-13-01",
            "x",
            "2022-08-10T25:00:00Z",
            "2022-08-10T16:37:50",
        ] {
            assert_eq!(Time::parse(bad), None, "{bad}");
        }
        assert_eq!(Time::DEFAULT.plus_days(30).iso(), "2022-09-09T16:37:50Z");
    }
}
