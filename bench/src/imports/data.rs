//! A front desk's intake file, generated: Vietnamese guests (four in five)
//! and international ones, 5 % returning guests (the same identity with a
//! new stay: a merge), 1 % broken rows (impossible date, phone that is not
//! one, no name). Deterministic: the same seed gives the same file.

/// The header, as a Vietnamese front desk writes it.
pub const HEADER: &str = "Họ và tên;Ngày sinh;Giới tính;Số CMND/CCCD;SĐT;Email;Quốc tịch;\
                          Ngày đến;Ngày đi;Loại phòng;Số khách;Kênh đặt;Số tiền";

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const MIDDLE_M: &[&str] = &["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Gia"];
const MIDDLE_F: &[&str] = &["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Bảo", "Khánh", "Mai"];
const GIVEN_M: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Hùng", "Huy", "Khoa", "Long", "Nam", "Phong", "Quân", "Sơn",
    "Thắng", "Tuấn", "Việt", "Đạt",
];
const GIVEN_F: &[&str] = &[
    "Anh", "Chi", "Hà", "Hạnh", "Hoa", "Hương", "Lan", "Linh", "Mai", "Nga", "Phương", "Thảo",
    "Trang", "Uyên", "Vy", "Yến",
];
/// International guests: name, nationality, mobile prefix and how many
/// digits follow it.
const ABROAD: &[(&str, &str, &str, usize)] = &[
    ("Chen Mei-ling", "TW", "+886 9", 8),
    ("Lin Chih-wei", "TW", "+886 9", 8),
    ("Wang Shu-fen", "TW", "+886 9", 8),
    ("Kim Min-jun", "KR", "+82 10", 8),
    ("Park Ji-woo", "KR", "+82 10", 8),
    ("Sato Haruka", "JP", "+81 90", 8),
    ("Emma Wilson", "GB", "+44 7700 ", 6),
    ("James O'Brien", "GB", "+44 7700 ", 6),
    ("Sophie Martin", "FR", "+33 6", 8),
    ("Lukas Müller", "DE", "+49 151", 8),
    ("Olivia Smith", "AU", "+61 4", 8),
    ("Michael Johnson", "US", "+1 202", 7),
];
const ROOMS: &[&str] = &["Standard", "Superior", "Deluxe", "Suite", "Family"];
const CHANNELS: &[&str] = &[
    "Walk-in",
    "Điện thoại",
    "Booking.com",
    "Agoda",
    "Traveloka",
    "Zalo",
];

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// What a generated file holds.
#[derive(Debug, Default, Clone, Copy)]
pub struct Mix {
    pub new_guests: usize,
    pub returning: usize,
    pub broken: usize,
}

/// `rows` data rows (plus the header), `;`-separated, CRLF, with a BOM.
pub fn generate(rows: usize) -> (Vec<u8>, Mix) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut identities: Vec<String> = Vec::with_capacity(rows);
    let mut mix = Mix::default();
    let mut out = format!("\u{feff}{HEADER}\r\n");
    for n in 0..rows {
        let roll = rng.below(1000);
        let stay = stay(&mut rng);
        if roll < 10 {
            mix.broken += 1;
            out.push_str(&broken(&mut rng, n));
        } else if roll < 60 && !identities.is_empty() {
            mix.returning += 1;
            let earlier = &identities[rng.below(identities.len())];
            out.push_str(&format!("{earlier};{stay}\r\n"));
        } else {
            mix.new_guests += 1;
            let identity = identity(&mut rng, n);
            out.push_str(&format!("{identity};{stay}\r\n"));
            identities.push(identity);
        }
    }
    (out.into_bytes(), mix)
}

/// Name, birth date, gender, ID, phone, e-mail, nationality: unique per `n`.
fn identity(rng: &mut Rng, n: usize) -> String {
    let birth = format!(
        "{:02}/{:02}/{}",
        1 + rng.below(28),
        1 + rng.below(12),
        1950 + rng.below(55)
    );
    if rng.below(5) == 0 {
        let (name, country, prefix, digits) = ABROAD[rng.below(ABROAD.len())];
        let gender = if rng.below(2) == 0 { "Nam" } else { "Nữ" };
        let email = format!("guest{n}@example.com");
        let number = n % 10_usize.pow(digits as u32);
        return format!(
            "{name};{birth};{gender};C{n:08};{prefix}{number:0digits$};{email};{country}"
        );
    }
    let female = rng.below(2) == 0;
    let (middle, given, gender) = if female {
        (rng.pick(MIDDLE_F), rng.pick(GIVEN_F), "Nữ")
    } else {
        (rng.pick(MIDDLE_M), rng.pick(GIVEN_M), "Nam")
    };
    let name = format!("{} {middle} {given}", rng.pick(FAMILY));
    let email = if rng.below(2) == 0 {
        format!("khach{n}@example.vn")
    } else {
        String::new()
    };
    format!("{name};{birth};{gender};0791{n:08};09{n:08};{email};Việt Nam")
}

/// Check-in, check-out, room, party size, channel, amount.
fn stay(rng: &mut Rng) -> String {
    let day = 1 + rng.below(24);
    let nights = 1 + rng.below(4);
    let month = 1 + rng.below(12);
    let amount = (5 + rng.below(80)) * 100_000;
    let amount = if amount >= 1_000_000 {
        format!("{}.{:03}.000", amount / 1_000_000, amount / 1_000 % 1_000)
    } else {
        format!("{}.000", amount / 1_000)
    };
    format!(
        "{day:02}/{month:02}/2026;{:02}/{month:02}/2026;{};{};{};{amount}",
        day + nights,
        rng.pick(ROOMS),
        1 + rng.below(4),
        rng.pick(CHANNELS),
    )
}

fn broken(rng: &mut Rng, n: usize) -> String {
    match rng.below(3) {
        0 => format!("Lỗi Ngày Sinh {n};31/02/1990;Nam;;09{n:08};;Việt Nam;01/12/2026;;;;;\r\n"),
        1 => format!("Lỗi Điện Thoại {n};01/01/1990;Nữ;;12;;Việt Nam;01/12/2026;;;;;\r\n"),
        _ => format!(";01/01/1990;;;09{n:08};;Việt Nam;01/12/2026;;;;;\r\n"),
    }
}
