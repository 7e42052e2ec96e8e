//! The two astronomical events a lunisolar calendar is built from: new moons
//! and the Sun's apparent longitude, after Meeus, *Astronomical Algorithms*
//! (2nd ed., 1998), chapters 22 (nutation), 25 (solar coordinates) and 49
//! (phases of the Moon), with ΔT from Espenak & Meeus (2006).
//!
//! Times are Julian days. Ephemerides run on Terrestrial Time (TT); civil
//! dates on Universal Time (UT = TT − ΔT). Every function here returns UT.

use super::vsop87;

/// Julian day of the J2000.0 epoch.
const J2000: f64 = 2_451_545.0;
/// Mean length of a lunation in days.
pub(super) const SYNODIC_MONTH: f64 = 29.530_588_861;
/// Mean new moon of lunation 0 (2000-01-06), JDE.
const FIRST_NEW_MOON: f64 = 2_451_550.097_66;

fn sin_deg(degrees: f64) -> f64 {
    degrees.to_radians().sin()
}

/// ΔT = TT − UT in seconds at a decimal year, from the polynomials of Espenak
/// & Meeus (2006) for 1860–2150; outside that span the nearest piece is
/// extended, which is only used a few days beyond 1900–2100.
pub(super) fn delta_t_seconds(year: f64) -> f64 {
    if year < 1900.0 {
        let t = year - 1860.0;
        7.62 + 0.5737 * t - 0.251_754 * t.powi(2) + 0.016_806_68 * t.powi(3)
            - 0.000_447_362_4 * t.powi(4)
            + t.powi(5) / 233_174.0
    } else if year < 1920.0 {
        let t = year - 1900.0;
        -2.79 + 1.494_119 * t - 0.059_893_9 * t.powi(2) + 0.006_196_6 * t.powi(3)
            - 0.000_197 * t.powi(4)
    } else if year < 1941.0 {
        let t = year - 1920.0;
        21.20 + 0.844_93 * t - 0.076_100 * t.powi(2) + 0.002_093_6 * t.powi(3)
    } else if year < 1961.0 {
        let t = year - 1950.0;
        29.07 + 0.407 * t - t.powi(2) / 233.0 + t.powi(3) / 2547.0
    } else if year < 1986.0 {
        let t = year - 1975.0;
        45.45 + 1.067 * t - t.powi(2) / 260.0 - t.powi(3) / 718.0
    } else if year < 2005.0 {
        let t = year - 2000.0;
        63.86 + 0.3345 * t - 0.060_374 * t.powi(2)
            + 0.001_727_5 * t.powi(3)
            + 0.000_651_814 * t.powi(4)
            + 0.000_023_735_99 * t.powi(5)
    } else if year < 2050.0 {
        let t = year - 2000.0;
        62.92 + 0.322_17 * t + 0.005_589 * t.powi(2)
    } else {
        let u = (year - 1820.0) / 100.0;
        -20.0 + 32.0 * u.powi(2) - 0.5628 * (2150.0 - year)
    }
}

fn delta_t_days(jd: f64) -> f64 {
    delta_t_seconds(2000.0 + (jd - J2000) / 365.25) / 86_400.0
}

/// Corrections to the mean new moon (Meeus table 49.A, new moon column):
/// `(coefficient, power of E, multiples of M, M′, F, Ω)`.
const NEW_MOON_TERMS: [(f64, i32, [f64; 4]); 25] = [
    (-0.407_20, 0, [0.0, 1.0, 0.0, 0.0]),
    (0.172_41, 1, [1.0, 0.0, 0.0, 0.0]),
    (0.016_08, 0, [0.0, 2.0, 0.0, 0.0]),
    (0.010_39, 0, [0.0, 0.0, 2.0, 0.0]),
    (0.007_39, 1, [-1.0, 1.0, 0.0, 0.0]),
    (-0.005_14, 1, [1.0, 1.0, 0.0, 0.0]),
    (0.002_08, 2, [2.0, 0.0, 0.0, 0.0]),
    (-0.001_11, 0, [0.0, 1.0, -2.0, 0.0]),
    (-0.000_57, 0, [0.0, 1.0, 2.0, 0.0]),
    (0.000_56, 1, [1.0, 2.0, 0.0, 0.0]),
    (-0.000_42, 0, [0.0, 3.0, 0.0, 0.0]),
    (0.000_42, 1, [1.0, 0.0, 2.0, 0.0]),
    (0.000_38, 1, [1.0, 0.0, -2.0, 0.0]),
    (-0.000_24, 1, [-1.0, 2.0, 0.0, 0.0]),
    (-0.000_17, 0, [0.0, 0.0, 0.0, 1.0]),
    (-0.000_07, 0, [2.0, 1.0, 0.0, 0.0]),
    (0.000_04, 0, [0.0, 2.0, -2.0, 0.0]),
    (0.000_04, 0, [3.0, 0.0, 0.0, 0.0]),
    (0.000_03, 0, [1.0, 1.0, -2.0, 0.0]),
    (0.000_03, 0, [0.0, 2.0, 2.0, 0.0]),
    (-0.000_03, 0, [1.0, 1.0, 2.0, 0.0]),
    (0.000_03, 0, [-1.0, 1.0, 2.0, 0.0]),
    (-0.000_02, 0, [-1.0, 1.0, -2.0, 0.0]),
    (-0.000_02, 0, [1.0, 3.0, 0.0, 0.0]),
    (0.000_02, 0, [0.0, 4.0, 0.0, 0.0]),
];

/// Planetary arguments (Meeus 49, A1–A14): `(coefficient, A at k = 0, A per k)`.
const PLANETARY_TERMS: [(f64, f64, f64); 14] = [
    (0.000_325, 299.77, 0.107_408),
    (0.000_165, 251.88, 0.016_321),
    (0.000_164, 251.83, 26.651_886),
    (0.000_126, 349.42, 36.412_478),
    (0.000_110, 84.66, 18.206_239),
    (0.000_062, 141.74, 53.303_771),
    (0.000_060, 207.14, 2.453_732),
    (0.000_056, 154.84, 7.306_860),
    (0.000_047, 34.52, 27.261_239),
    (0.000_042, 207.19, 0.121_824),
    (0.000_040, 291.34, 1.844_379),
    (0.000_037, 161.72, 24.198_154),
    (0.000_035, 239.56, 25.513_099),
    (0.000_023, 331.55, 3.592_518),
];

/// The instant (JD, TT) of new moon number `k`, counted from the new moon of
/// 2000-01-06 (k = 0). Accurate to well under a minute against ELP-2000/82.
pub(super) fn new_moon_tt(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let (t2, t3, t4) = (t * t, t * t * t, t * t * t * t);
    let mean = FIRST_NEW_MOON + SYNODIC_MONTH * k + 0.000_154_37 * t2 - 0.000_000_150 * t3
        + 0.000_000_000_73 * t4;
    let e = 1.0 - 0.002_516 * t - 0.000_007_4 * t2;
    let sun_anomaly = 2.5534 + 29.105_356_70 * k - 0.000_001_4 * t2 - 0.000_000_11 * t3;
    let moon_anomaly =
        201.5643 + 385.816_935_28 * k + 0.010_758_2 * t2 + 0.000_012_38 * t3 - 0.000_000_058 * t4;
    let latitude_argument =
        160.7108 + 390.670_502_84 * k - 0.001_611_8 * t2 - 0.000_002_27 * t3 + 0.000_000_011 * t4;
    let node = 124.7746 - 1.563_755_88 * k + 0.002_067_2 * t2 + 0.000_002_15 * t3;
    let arguments = [sun_anomaly, moon_anomaly, latitude_argument, node];
    let periodic: f64 = NEW_MOON_TERMS
        .iter()
        .map(|(coefficient, e_power, multiples)| {
            let angle: f64 = multiples.iter().zip(arguments).map(|(n, a)| n * a).sum();
            coefficient * e.powi(*e_power) * sin_deg(angle)
        })
        .sum();
    let planetary: f64 = PLANETARY_TERMS
        .iter()
        .enumerate()
        .map(|(i, (coefficient, base, rate))| {
            let square = if i == 0 { -0.009_173 * t2 } else { 0.0 };
            coefficient * sin_deg(base + rate * k + square)
        })
        .sum();
    mean + periodic + planetary
}

/// The instant (JD, UT) of new moon number `k`.
pub(super) fn new_moon(k: i64) -> f64 {
    let tt = new_moon_tt(k);
    tt - delta_t_days(tt)
}

/// The lunation whose mean new moon is nearest before `jd`, give or take one.
pub(super) fn lunation_near(jd: f64) -> i64 {
    ((jd - FIRST_NEW_MOON) / SYNODIC_MONTH).floor() as i64
}

/// The Sun's apparent geocentric longitude in degrees, 0 ≤ λ < 360, at
/// `jd_tt` (TT): VSOP87 converted to FK5, plus nutation in longitude and
/// aberration (Meeus 25, "higher accuracy").
pub(super) fn sun_apparent_longitude_tt(jd_tt: f64) -> f64 {
    let tau = (jd_tt - J2000) / 365_250.0;
    let t = tau * 10.0;
    let geometric = vsop87::earth_longitude(tau).to_degrees() + 180.0;
    // VSOP87's dynamical ecliptic to FK5 (Meeus 25.9; the latitude term is nil).
    let fk5_correction = -0.090_33 / 3600.0;
    let node = 125.044_52 - 1_934.136_261 * t;
    let sun_mean = 280.4665 + 36_000.769_8 * t;
    let moon_mean = 218.3165 + 481_267.881_3 * t;
    let nutation =
        (-17.20 * sin_deg(node) - 1.32 * sin_deg(2.0 * sun_mean) - 0.23 * sin_deg(2.0 * moon_mean)
            + 0.21 * sin_deg(2.0 * node))
            / 3600.0;
    let aberration = -20.4898 / 3600.0 / vsop87::earth_radius(tau);
    (geometric + fk5_correction + nutation + aberration).rem_euclid(360.0)
}

/// The Sun's apparent longitude in degrees at `jd` (UT).
pub(super) fn sun_apparent_longitude(jd: f64) -> f64 {
    sun_apparent_longitude_tt(jd + delta_t_days(jd))
}

/// The instant (JD, UT) nearest `guess` (within about ±20 days) at which the
/// Sun's apparent longitude is `degrees`.
pub(super) fn sun_reaches(degrees: f64, guess: f64) -> f64 {
    const DAYS_PER_DEGREE: f64 = 365.242_2 / 360.0;
    let mut jd = guess;
    for _ in 0..6 {
        let gap = (degrees - sun_apparent_longitude(jd) + 540.0).rem_euclid(360.0) - 180.0;
        jd += gap * DAYS_PER_DEGREE;
    }
    jd
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_moon_matches_meeus_example_49a() {
        // 1977 February 18, 3h37m42s TD = JDE 2443192.65118.
        assert!((new_moon_tt(-283) - 2_443_192.651_18).abs() < 0.000_01);
    }

    #[test]
    fn sun_longitude_matches_meeus_example_25b() {
        // 1992 October 13.0 TD: apparent λ = 199°54′21.818″ (full VSOP87).
        let lambda = sun_apparent_longitude_tt(2_448_908.5);
        let expected = 199.0 + 54.0 / 60.0 + 21.818 / 3600.0;
        assert!((lambda - expected).abs() < 1.0 / 3600.0, "{lambda}");
    }

    #[test]
    fn delta_t_is_continuous_and_plausible() {
        assert!((delta_t_seconds(2000.0) - 63.86).abs() < 0.01);
        assert!((delta_t_seconds(1900.0) - delta_t_seconds(1899.999)).abs() < 0.1);
        assert!((delta_t_seconds(2050.0) - delta_t_seconds(2049.999)).abs() < 1.0);
    }

    #[test]
    fn sun_reaches_the_march_equinox_of_2000() {
        // 2000-03-20 07:35 UT (JD 2451623.816).
        let equinox = sun_reaches(0.0, 2_451_620.0);
        assert!((equinox - 2_451_623.816).abs() < 2.0 / 1440.0, "{equinox}");
    }
}
