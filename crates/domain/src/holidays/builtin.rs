//! The built-in calendars' occasions and their names.
//!
//! Taiwan follows the Act on Implementing Memorial Days and State Holidays
//! (紀念日及節日實施條例) as amended in May 2025, which added Teachers' Day,
//! Retrocession Day, Constitution Day and the day before Lunar New Year's
//! Eve; the indigenous peoples' ceremony days are chosen per tribe and so are
//! not listed.

use std::borrow::Cow;

use super::{DateRule, LunarCalendar, Names, Occasion};
use crate::lunar::SolarTerm;

const fn names(vi: &'static str, en: &'static str, zh_hant: &'static str) -> Names {
    Names {
        vi: Cow::Borrowed(vi),
        en: Cow::Borrowed(en),
        zh_hant: Cow::Borrowed(zh_hant),
    }
}

const fn occasion(key: &'static str, rule: DateRule, names: Names) -> Occasion {
    Occasion {
        key: Cow::Borrowed(key),
        names,
        rule,
    }
}

const fn solar(month: u8, day: u8) -> DateRule {
    DateRule::Solar { month, day }
}

const fn lunar(month: u8, day: u8, calendar: LunarCalendar) -> DateRule {
    DateRule::Lunar {
        month,
        day,
        leap: false,
        calendar,
    }
}

const fn year_end(days_before: u8, calendar: LunarCalendar) -> DateRule {
    DateRule::LunarMonthEnd {
        month: 12,
        days_before,
        calendar,
    }
}

const VI: LunarCalendar = LunarCalendar::Vietnamese;
const ZH: LunarCalendar = LunarCalendar::Chinese;

pub(super) static INTL: [Occasion; 3] = [
    occasion(
        "intl.new_year",
        solar(1, 1),
        names("Tết Dương lịch", "New Year's Day", "元旦"),
    ),
    occasion(
        "intl.womens_day",
        solar(3, 8),
        names(
            "Ngày Quốc tế Phụ nữ",
            "International Women's Day",
            "國際婦女節",
        ),
    ),
    occasion(
        "intl.christmas",
        solar(12, 25),
        names("Lễ Giáng sinh", "Christmas Day", "聖誕節"),
    ),
];

pub(super) static VN: [Occasion; 11] = [
    occasion(
        "vn.tet_eve",
        year_end(0, VI),
        names("Giao thừa", "Lunar New Year's Eve", "除夕"),
    ),
    occasion(
        "vn.tet",
        lunar(1, 1, VI),
        names("Tết Nguyên Đán", "Lunar New Year (Tết)", "春節"),
    ),
    occasion(
        "vn.tet_2",
        lunar(1, 2, VI),
        names("Mùng 2 Tết", "Second day of Tết", "正月初二"),
    ),
    occasion(
        "vn.tet_3",
        lunar(1, 3, VI),
        names("Mùng 3 Tết", "Third day of Tết", "正月初三"),
    ),
    occasion(
        "vn.hung_kings",
        lunar(3, 10, VI),
        names(
            "Giỗ Tổ Hùng Vương",
            "Hùng Kings' Commemoration Day",
            "雄王祭祖日",
        ),
    ),
    occasion(
        "vn.reunification_day",
        solar(4, 30),
        names(
            "Ngày Giải phóng miền Nam, thống nhất đất nước",
            "Reunification Day",
            "南方解放暨國家統一日",
        ),
    ),
    occasion(
        "vn.labour_day",
        solar(5, 1),
        names(
            "Ngày Quốc tế Lao động",
            "International Workers' Day",
            "國際勞動節",
        ),
    ),
    occasion(
        "vn.national_day",
        solar(9, 2),
        names("Quốc khánh", "National Day", "越南國慶日"),
    ),
    occasion(
        "vn.mid_autumn",
        lunar(8, 15, VI),
        names("Tết Trung thu", "Mid-Autumn Festival", "中秋節"),
    ),
    occasion(
        "vn.womens_day",
        solar(10, 20),
        names(
            "Ngày Phụ nữ Việt Nam",
            "Vietnamese Women's Day",
            "越南婦女節",
        ),
    ),
    occasion(
        "vn.teachers_day",
        solar(11, 20),
        names(
            "Ngày Nhà giáo Việt Nam",
            "Vietnamese Teachers' Day",
            "越南教師節",
        ),
    ),
];

pub(super) static TW: [Occasion; 14] = [
    occasion(
        "tw.founding_day",
        solar(1, 1),
        names(
            "Ngày Lập quốc Trung Hoa Dân Quốc",
            "Republic of China Founding Day",
            "中華民國開國紀念日",
        ),
    ),
    occasion(
        "tw.little_new_year_eve",
        year_end(1, ZH),
        names(
            "Ngày trước Giao thừa",
            "Day before Lunar New Year's Eve",
            "小年夜",
        ),
    ),
    occasion(
        "tw.lunar_new_year_eve",
        year_end(0, ZH),
        names("Giao thừa", "Lunar New Year's Eve", "除夕"),
    ),
    occasion(
        "tw.lunar_new_year",
        lunar(1, 1, ZH),
        names("Tết Âm lịch", "Lunar New Year", "春節"),
    ),
    occasion(
        "tw.peace_memorial_day",
        solar(2, 28),
        names(
            "Ngày Tưởng niệm Hòa bình",
            "Peace Memorial Day",
            "和平紀念日",
        ),
    ),
    occasion(
        "tw.childrens_day",
        solar(4, 4),
        names("Ngày Thiếu nhi", "Children's Day", "兒童節"),
    ),
    occasion(
        "tw.tomb_sweeping_day",
        DateRule::SolarTerm {
            term: SolarTerm::Qingming,
            calendar: ZH,
        },
        names("Tết Thanh minh", "Tomb-Sweeping Day", "民族掃墓節"),
    ),
    occasion(
        "tw.labour_day",
        solar(5, 1),
        names("Ngày Lao động", "Labour Day", "勞動節"),
    ),
    occasion(
        "tw.dragon_boat",
        lunar(5, 5, ZH),
        names("Tết Đoan ngọ", "Dragon Boat Festival", "端午節"),
    ),
    occasion(
        "tw.mid_autumn",
        lunar(8, 15, ZH),
        names("Tết Trung thu", "Mid-Autumn Festival", "中秋節"),
    ),
    occasion(
        "tw.teachers_day",
        solar(9, 28),
        names(
            "Ngày Nhà giáo (ngày sinh Khổng Tử)",
            "Teachers' Day (Confucius' Birthday)",
            "教師節（孔子誕辰紀念日）",
        ),
    ),
    occasion(
        "tw.national_day",
        solar(10, 10),
        names(
            "Quốc khánh Trung Hoa Dân Quốc (Song Thập)",
            "National Day (Double Tenth Day)",
            "國慶日",
        ),
    ),
    occasion(
        "tw.retrocession_day",
        solar(10, 25),
        names(
            "Ngày Quang phục Đài Loan và Chiến thắng Cổ Ninh Đầu",
            "Taiwan Retrocession Day and Guningtou Victory Day",
            "臺灣光復暨金門古寧頭大捷紀念日",
        ),
    ),
    occasion(
        "tw.constitution_day",
        solar(12, 25),
        names("Ngày Hiến pháp", "Constitution Day", "行憲紀念日"),
    ),
];
