"""Render throughput of the same template in Python's Jinja2.

Usage: jinja2_bench.py EXPORT.json ITERATIONS

Reads the template parts and context written by guestcare's
`template_bench` example, defines the same `date` and `money` filters
(Vietnamese formats), compiles the three parts once with HTML
auto-escaping for the HTML part only, renders them ITERATIONS times and
prints `renders_per_sec bytes_per_render`.
"""

import datetime
import json
import sys
import time

import jinja2


def vi_date(value):
    if value is None or isinstance(value, jinja2.Undefined):
        return ""
    day = datetime.date.fromisoformat(str(value)[:10])
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def vi_money(value, currency="VND"):
    if value is None or isinstance(value, jinja2.Undefined):
        return ""
    decimals = 0 if currency.upper() in ("VND", "TWD", "JPY", "KRW") else 2
    number = f"{abs(float(value)):,.{decimals}f}".replace(",", "X").replace(".", ",").replace("X", ".")
    symbol = {"VND": "₫", "TWD": "NT$", "USD": "US$", "EUR": "€"}.get(currency.upper(), currency.upper())
    return f"{'-' if value < 0 else ''}{number} {symbol}"


def main():
    path, iterations = sys.argv[1], int(sys.argv[2])
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    context = document["context"]
    environments = {}
    for escape in (True, False):
        env = jinja2.Environment(autoescape=escape, undefined=jinja2.ChainableUndefined)
        env.filters["date"] = vi_date
        env.filters["money"] = vi_money
        environments[escape] = env
    parts = [
        environments[False].from_string(document["subject"]),
        environments[True].from_string(document["html"]),
        environments[False].from_string(document["text"]),
    ]

    def render():
        return sum(len(part.render(context).encode("utf-8")) for part in parts)

    size = 0
    for _ in range(iterations // 10):
        size = render()
    started = time.perf_counter()
    for _ in range(iterations):
        size = render()
    elapsed = time.perf_counter() - started
    print(f"{iterations / elapsed:.0f} {size}")


if __name__ == "__main__":
    main()
