#!/usr/bin/env python3
"""Regenerates tests/data/lunar/: the lunisolar calendar for 1900–2100 at UTC+7
(Vietnam) and UTC+8 (China, Taiwan), computed independently of guestcare's Rust
code, and where published implementations disagree with it.

    python3 scripts/gen-lunar-fixtures.py

It creates a virtual environment under target/lunar-fixtures-venv with pinned
packages from PyPI and re-runs itself there (about two minutes). The output is
committed; the Rust tests read it and need no network.

How the fixture is computed (different code and astronomy from the Rust side):
new moons and solar terms come from PyEphem (libastro: VSOP87 Sun, ELP Moon),
re-based from PyEphem's ΔT onto Espenak & Meeus (2006) so that both sides use
the same convention for the only quantity nobody can compute for the future;
days are local days at the meridian; month 11 is the month holding the
December solstice; a 13-month sui's first month without a major-term day is
the leap month. Published implementations are then compared day by day.
"""

import csv
import datetime as dt
import math
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "lunar"
VENV = ROOT / "target" / "lunar-fixtures-venv"
PACKAGES = [
    "ephem==4.2.1",
    "lunar-python==1.4.8",
    "lunar-vn==1.4.0",
    "lunardate==0.3.0",
    "vnlunar==1.0.5",
    "holidays==0.109",
]
FIRST, LAST = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
# Events this close to local midnight are too close to call: ephemerides and
# series differ by up to ~25 s, and future ΔT is uncertain by far more.
CLOSE_CALL = dt.timedelta(seconds=30)
MERIDIANS = {"utc7": 7, "utc8": 8}
TERMS = [
    "xiaohan", "dahan", "lichun", "yushui", "jingzhe", "chunfen", "qingming", "guyu",
    "lixia", "xiaoman", "mangzhong", "xiazhi", "xiaoshu", "dashu", "liqiu", "chushu",
    "bailu", "qiufen", "hanlu", "shuangjiang", "lidong", "xiaoxue", "daxue", "dongzhi",
]


def ensure_venv():
    python = VENV / "bin" / "python"
    if Path(sys.prefix).resolve() == VENV.resolve():
        return
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "-q", *PACKAGES], check=True)
    os.execv(str(python), [str(python), __file__, *sys.argv[1:]])


# --- The independent astronomical calendar -----------------------------------

def delta_t_em(year):
    """ΔT (s) after Espenak & Meeus (2006), the convention the Rust code uses."""
    if year < 1900:
        t = year - 1860
        return 7.62 + 0.5737 * t - 0.251754 * t**2 + 0.01680668 * t**3 - 0.0004473624 * t**4 + t**5 / 233174
    if year < 1920:
        t = year - 1900
        return -2.79 + 1.494119 * t - 0.0598939 * t**2 + 0.0061966 * t**3 - 0.000197 * t**4
    if year < 1941:
        t = year - 1920
        return 21.20 + 0.84493 * t - 0.076100 * t**2 + 0.0020936 * t**3
    if year < 1961:
        t = year - 1950
        return 29.07 + 0.407 * t - t**2 / 233 + t**3 / 2547
    if year < 1986:
        t = year - 1975
        return 45.45 + 1.067 * t - t**2 / 260 - t**3 / 718
    if year < 2005:
        t = year - 2000
        return 63.86 + 0.3345 * t - 0.060374 * t**2 + 0.0017275 * t**3 + 0.000651814 * t**4 + 0.00002373599 * t**5
    if year < 2050:
        t = year - 2000
        return 62.92 + 0.32217 * t + 0.005589 * t**2
    return -20 + 32 * ((year - 1820) / 100) ** 2 - 0.5628 * (2150 - year)


def rebase(ephem, when):
    """A PyEphem date (UT by PyEphem's ΔT) as a UTC datetime by Espenak–Meeus ΔT."""
    utc = when.datetime()
    year = utc.year + (utc.timetuple().tm_yday - 0.5) / 365.25
    return utc + dt.timedelta(seconds=ephem.delta_t(when) - delta_t_em(year))


def new_moons(ephem):
    moons, when = [], ephem.Date("1899/10/1")
    while when < ephem.Date("2101/3/1"):
        when = ephem.next_new_moon(when)
        moons.append(rebase(ephem, when))
        when = ephem.Date(when + 1)
    return moons


def sun_longitude(ephem, when):
    sun = ephem.Sun(when)
    ecliptic = ephem.Ecliptic(ephem.Equatorial(sun.g_ra, sun.g_dec, epoch=when), epoch=when)
    return math.degrees(ecliptic.lon)


def solar_terms(ephem):
    """{(year, index): UTC datetime} for 1899–2101; index 0 is Xiaohan (285°)."""
    terms = {}
    for year in range(1899, 2102):
        for index in range(24):
            target = (285 + 15 * index) % 360
            when = ephem.Date(dt.datetime(year, 1, 1)) + 5.1 + 15.218 * index
            for _ in range(8):
                gap = (target - sun_longitude(ephem, when) + 540) % 360 - 180
                when = ephem.Date(when + gap * 365.2422 / 360)
            terms[(year, index)] = rebase(ephem, ephem.Date(when))
    return terms


def local_day(utc, hours):
    return (utc + dt.timedelta(hours=hours)).date()


def other_side(utc, hours):
    """The day on the other side of midnight if `utc` is within CLOSE_CALL of it."""
    local = utc + dt.timedelta(hours=hours)
    if local.time() < (dt.datetime.min + CLOSE_CALL).time():
        return local.date() - dt.timedelta(days=1)
    if local.time() > (dt.datetime.max - CLOSE_CALL).time():
        return local.date() + dt.timedelta(days=1)
    return None


def calendar(moons, terms, hours):
    """[(first_day, lunar_year, month, leap)] for every month touching 1900–2100."""
    starts = [local_day(m, hours) for m in moons]
    majors = sorted(local_day(t, hours) for (y, i), t in terms.items() if i % 2 == 1)

    def has_major(i):
        lo, hi = starts[i], starts[i + 1]
        return any(lo <= d < hi for d in majors)

    def month11(year):
        solstice = local_day(terms[(year, 23)], hours)
        return max(i for i, s in enumerate(starts) if s <= solstice)

    months = []
    for year in range(1899, 2101):
        a, b = month11(year), month11(year + 1)
        leap = None
        if b - a == 13:
            leap = next(j for j in range(1, 13) if not has_major(a + j))
        number, lunar_year = 11, year
        for j in range(b - a):
            is_leap = leap == j
            if j and not is_leap:
                number = number % 12 + 1
                if number == 1:
                    lunar_year += 1
            months.append((starts[a + j], lunar_year, number, is_leap, other_side(moons[a + j], hours)))
    first = max(i for i, m in enumerate(months) if m[0] <= FIRST)
    return [m for m in months[first:] if m[0] <= LAST]


# --- Published implementations -------------------------------------------------

def days():
    day = FIRST
    while day <= LAST:
        yield day
        day += dt.timedelta(days=1)


def term_cell(utc, hours):
    """`MM-DD`, or `MM-DD|MM-DD` with the other side of midnight for a close call."""
    cell = local_day(utc, hours).strftime("%m-%d")
    close = other_side(utc, hours)
    return f"{cell}|{close:%m-%d}" if close else cell


def labels_from_months(months):
    labels, index = {}, 0
    for day in days():
        while index + 1 < len(months) and months[index + 1][0] <= day:
            index += 1
        start, year, month, leap, _ = months[index]
        labels[day] = (year, month, (day - start).days + 1, leap)
    return labels


def references():
    import lunar_vn
    import lunardate
    from lunar_python import Solar
    from vnlunar import core as vnlunar

    def lunar_vn_at(hours):
        def convert(d):
            r = lunar_vn.solar_to_lunar(d, time_zone=hours)
            return (r.year, r.month, r.day, bool(r.leap))
        return convert

    def lunar_python(d):
        r = Solar.fromYmd(d.year, d.month, d.day).getLunar()
        return (r.getYear(), abs(r.getMonth()), r.getDay(), r.getMonth() < 0)

    def lunardate_(d):
        if d.year >= 2100:  # its table ends with lunar 2099
            return None
        r = lunardate.LunarDate.from_solar_date(d.year, d.month, d.day)
        return (r.year, r.month, r.day, bool(r.is_leap_month))

    def vnlunar_tables(d):
        r = vnlunar.get_lunar_date_from_table(d.day, d.month, d.year)
        return (r["year"], r["month"], r["day"], bool(r["leap"]))

    return {
        "utc7": {"lunar-vn": lunar_vn_at(7), "vnlunar": vnlunar_tables},
        "utc8": {"lunar-python": lunar_python, "lunardate": lunardate_, "lunar-vn": lunar_vn_at(8)},
    }


def holiday_dates(meridian):
    """holidays' own date tables: {(name, year): date} (1901–2100)."""
    from holidays.calendars import chinese

    name = "VIETNAMESE_CALENDAR" if meridian == "utc7" else "CHINESE_CALENDAR"
    lunisolar = chinese._ChineseLunisolar(getattr(chinese, name))
    out = {}
    for year in range(1901, 2101):
        out[("tet", year)] = lunisolar.lunar_new_year_date(year)[0]
        out[("hung-kings", year)] = lunisolar.hung_kings_date(year)[0]
        out[("mid-autumn", year)] = lunisolar.mid_autumn_date(year)[0]
        if meridian == "utc8":
            out[("dragon-boat", year)] = lunisolar.dragon_boat_date(year)[0]
        out[("qingming", year)] = lunisolar.qingming_date(year)[0]
        out[("dongzhi", year)] = lunisolar.winter_solstice_date(year)[0]
    return out


HOLIDAY_RULES = {"tet": (1, 1), "hung-kings": (3, 10), "mid-autumn": (8, 15), "dragon-boat": (5, 5)}


def label(value):
    if value is None:
        return "-"
    year, month, day, leap = value
    return f"{year}/{month}{'L' if leap else ''}/{day}"


def main():
    ensure_venv()
    import ephem

    OUT.mkdir(parents=True, exist_ok=True)
    print("computing new moons and solar terms with PyEphem…", file=sys.stderr)
    moons, terms = new_moons(ephem), solar_terms(ephem)
    disagreements = []
    for meridian, hours in MERIDIANS.items():
        months = calendar(moons, terms, hours)
        with open(OUT / f"months-{meridian}.csv", "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["first_day", "lunar_year", "month", "leap", "close_call_day"])
            for start, year, month, leap, close in months:
                w.writerow([start.isoformat(), year, month, int(leap), close.isoformat() if close else ""])
        with open(OUT / f"terms-{meridian}.csv", "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["year", *TERMS])
            for year in range(FIRST.year, LAST.year + 1):
                w.writerow([year, *(term_cell(terms[(year, i)], hours) for i in range(24))])

        local = [m + dt.timedelta(hours=hours) for m in moons]

        def nearest_moon(day):
            noon = dt.datetime.combine(day, dt.time(12))
            moon = min(local, key=lambda m: abs(m - noon))
            return f"new moon {moon:%Y-%m-%d %H:%M:%S}"

        fixture = labels_from_months(months)
        by_label = {value: day for day, value in fixture.items()}
        for name, convert in references()[meridian].items():
            print(f"comparing {name} at {meridian}…", file=sys.stderr)
            for day in days():
                theirs, ours = convert(day), fixture[day]
                if theirs is not None and theirs != ours and (theirs[2] == 1 or ours[2] == 1):
                    disagreements.append([meridian, name, day.isoformat(), label(theirs), label(ours), nearest_moon(day)])
        for (what, year), theirs in sorted(holiday_dates(meridian).items(), key=lambda x: (x[0][1], x[0][0])):
            if what in HOLIDAY_RULES:
                month, day = HOLIDAY_RULES[what]
                ours = by_label[(year, month, day, False)]
                event = nearest_moon(ours)
            else:
                index = TERMS.index(what)
                ours = local_day(terms[(year, index)], hours)
                event = f"{what} {terms[(year, index)] + dt.timedelta(hours=hours):%Y-%m-%d %H:%M:%S}"
            if theirs is not None and theirs != ours:
                disagreements.append([meridian, f"holidays:{what}", str(year), theirs.isoformat(), ours.isoformat(), event])

    with open(OUT / "disagreements.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["meridian", "reference", "date", "reference_says", "fixture_says", "event_local_time"])
        w.writerows(disagreements)
    counts = {}
    for row in disagreements:
        counts[(row[0], row[1])] = counts.get((row[0], row[1]), 0) + 1
    for (meridian, name), count in sorted(counts.items()):
        print(f"{meridian} {name}: {count} disagreeing rows", file=sys.stderr)


if __name__ == "__main__":
    main()
