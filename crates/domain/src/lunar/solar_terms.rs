//! The 24 solar terms (節氣, tiết khí): the days on which the Sun's apparent
//! longitude reaches a multiple of 15°. Qingming (Tomb-Sweeping Day) is one.

use chrono::NaiveDate;

use super::{FIRST_YEAR, LAST_YEAR, Meridian, astro, supported_date};

/// A solar term, named in Hanyu Pinyin, in Gregorian-year order from Xiaohan
/// (early January) to Dongzhi (the December solstice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SolarTerm {
    /// 小寒 Minor Cold, 285°.
    Xiaohan,
    /// 大寒 Major Cold, 300°.
    Dahan,
    /// 立春 Start of Spring, 315°.
    Lichun,
    /// 雨水 Rain Water, 330°.
    Yushui,
    /// 驚蟄 Awakening of Insects, 345°.
    Jingzhe,
    /// 春分 March equinox, 0°.
    Chunfen,
    /// 清明 Clear and Bright, 15°: Tomb-Sweeping Day.
    Qingming,
    /// 穀雨 Grain Rain, 30°.
    Guyu,
    /// 立夏 Start of Summer, 45°.
    Lixia,
    /// 小滿 Grain Buds, 60°.
    Xiaoman,
    /// 芒種 Grain in Ear, 75°.
    Mangzhong,
    /// 夏至 June solstice, 90°.
    Xiazhi,
    /// 小暑 Minor Heat, 105°.
    Xiaoshu,
    /// 大暑 Major Heat, 120°.
    Dashu,
    /// 立秋 Start of Autumn, 135°.
    Liqiu,
    /// 處暑 End of Heat, 150°.
    Chushu,
    /// 白露 White Dew, 165°.
    Bailu,
    /// 秋分 September equinox, 180°.
    Qiufen,
    /// 寒露 Cold Dew, 195°.
    Hanlu,
    /// 霜降 Frost's Descent, 210°.
    Shuangjiang,
    /// 立冬 Start of Winter, 225°.
    Lidong,
    /// 小雪 Minor Snow, 240°.
    Xiaoxue,
    /// 大雪 Major Snow, 255°.
    Daxue,
    /// 冬至 December solstice, 270°.
    Dongzhi,
}

impl SolarTerm {
    /// Every term in Gregorian-year order.
    pub const ALL: [SolarTerm; 24] = [
        SolarTerm::Xiaohan,
        SolarTerm::Dahan,
        SolarTerm::Lichun,
        SolarTerm::Yushui,
        SolarTerm::Jingzhe,
        SolarTerm::Chunfen,
        SolarTerm::Qingming,
        SolarTerm::Guyu,
        SolarTerm::Lixia,
        SolarTerm::Xiaoman,
        SolarTerm::Mangzhong,
        SolarTerm::Xiazhi,
        SolarTerm::Xiaoshu,
        SolarTerm::Dashu,
        SolarTerm::Liqiu,
        SolarTerm::Chushu,
        SolarTerm::Bailu,
        SolarTerm::Qiufen,
        SolarTerm::Hanlu,
        SolarTerm::Shuangjiang,
        SolarTerm::Lidong,
        SolarTerm::Xiaoxue,
        SolarTerm::Daxue,
        SolarTerm::Dongzhi,
    ];

    /// Position in [`SolarTerm::ALL`], 0–23.
    fn index(self) -> u8 {
        self as u8
    }

    /// The Sun's apparent longitude at this term, in degrees.
    pub fn longitude(self) -> f64 {
        (285.0 + 15.0 * f64::from(self.index())).rem_euclid(360.0)
    }

    /// Whether this is a major term (中氣: a multiple of 30°), which decides
    /// where leap months go.
    pub fn is_major(self) -> bool {
        self.index() % 2 == 1
    }
}

/// The instant (JD, UT) of `term` in Gregorian `year`.
pub(super) fn term_instant(year: i32, term: SolarTerm) -> f64 {
    // Mean date of the term: 5.6 days into the year, then every 15.22 days.
    let january_first =
        super::day_number(NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN)) as f64;
    let guess = january_first + 5.1 + 15.218 * f64::from(term.index());
    astro::sun_reaches(term.longitude(), guess)
}

/// The local date of `term` in Gregorian `year`, reckoned at `meridian` (e.g.
/// Qingming 2025 is 4 April at UTC+8). `None` outside 1900–2100.
pub fn solar_term_date(year: i32, term: SolarTerm, meridian: Meridian) -> Option<NaiveDate> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return None;
    }
    supported_date(meridian.day_of(term_instant(year, term)))
}
