"""pubDate shapes (DOMAIN.md) and dates for people."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tui_news.dates import date_line, long_date, parse_date, relative_time

ICT = timezone(timedelta(hours=7))
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Sun, 23 Aug 2026 02:00:00 +0700", datetime(2026, 8, 23, 2, 0, tzinfo=ICT)),
        ("Sun, 23 Aug 26 05:52:00 +0700", datetime(2026, 8, 23, 5, 52, tzinfo=ICT)),
        ("Sat, 22 Aug 2026 22:58:22 +07:00", datetime(2026, 8, 22, 22, 58, 22, tzinfo=ICT)),
        ("Sun, 23 Aug 2026 05:49:00 +07", datetime(2026, 8, 23, 5, 49, tzinfo=ICT)),
        ("8/23/2026 5:20:00\u202fAM", datetime(2026, 8, 23, 5, 20, tzinfo=ICT)),
        ("8/22/2026 11:00:00 PM", datetime(2026, 8, 22, 23, 0, tzinfo=ICT)),
        ("8/22/2026 12:30:00 AM", datetime(2026, 8, 22, 0, 30, tzinfo=ICT)),
        ("Tue, 15 Sep 2026 09:02:15 GMT+7", datetime(2026, 9, 15, 9, 2, 15, tzinfo=ICT)),
        ("Sat, 22 Aug 2026 10:06:43 GMT", datetime(2026, 8, 22, 10, 6, 43, tzinfo=UTC)),
        ("2026-08-23T05:00:00", datetime(2026, 8, 23, 5, 0, tzinfo=ICT)),
        ("2026-08-23T05:00:00Z", datetime(2026, 8, 23, 5, 0, tzinfo=UTC)),
        ("Sun, 23 Aug 2026 02:00:00", datetime(2026, 8, 23, 2, 0, tzinfo=ICT)),
    ],
)
def test_every_pubdate_shape(raw: str, expected: datetime) -> None:
    value = parse_date(raw, now=NOW)
    assert value == expected
    assert value is not None and value.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    "raw",
    ["", "garbage", "32/13/2026 10:00:00 AM", "Sun, 99 Foo", "Sun, 30 Nov 2026 02:00:00 +0700"],
)
def test_bad_and_far_future_dates_are_none(raw: str) -> None:
    assert parse_date(raw, now=NOW) is None


def test_the_pubdate_shortcut_gives_what_the_long_way_gives() -> None:
    import random

    from tui_news import dates

    days = ["Mon, ", "Sat, ", "Sun,", "Xyz, ", "", "sat, "]
    numbers = ["0", "1", "09", "28", "29", "30", "31", "32", "001"]
    months = ["Jan", "Feb", "Nov", "Dec", "nov", "Foo"]
    years = ["2026", "1999", "0050", "1900", "2100", "26", "20266"]
    times = [
        "19:40:59",
        "00:00:00",
        "23:59:59",
        "24:00:00",
        "12:60:00",
        "12:00:60",
        "7:05:00",
        "12:00",
    ]
    zones = [
        "+0700",
        "-0700",
        "+0000",
        "-0000",
        "+0730",
        "+0799",
        "+2400",
        "+2359",
        "-2359",
        "+07",
        "GMT",
        "+07:00",
        "+9999",
        "",
        "-00:00",
        "-00",
        "+14:00",
        "+14:01",
        "+1400",
        "+1401",
        "-14:00",
        "+15",
        "+07:5",
        "+07:99",
        "+07:00:00",
        "+7",
    ]
    rng = random.Random(3)
    shortcut = 0
    for _ in range(20_000):
        raw = (
            f"{rng.choice(days)}{rng.choice(numbers)} {rng.choice(months)} "
            f"{rng.choice(years)} {rng.choice(times)} {rng.choice(zones)}"
        )
        if rng.random() < 0.1:
            raw = rng.choice([" ", "\t", "&#32;"]) + raw
        fast = dates._rfc822(raw)
        slow = dates._parse_any_date(raw)
        if fast is not False:
            assert fast == slow, raw
            assert (fast and fast.utcoffset()) == (slow and slow.utcoffset()), raw
            shortcut += 1
    assert shortcut > 1000


def test_dates_for_people() -> None:
    when = datetime(2020, 8, 19, 7, 17, tzinfo=UTC)
    assert date_line(when) == "19/08/2020 | 14:17"
    assert long_date(datetime(2026, 11, 28, 7, 17, tzinfo=UTC)) == "Thứ Bảy, 28/11/2026 14:17"
    now = datetime(2026, 11, 28, 7, 0, tzinfo=UTC)
    assert relative_time(now - timedelta(seconds=20), now) == "vừa xong"
    assert relative_time(now - timedelta(minutes=5), now) == "5 phút trước"
    assert relative_time(now - timedelta(hours=2), now) == "2 giờ trước"
    assert relative_time(now - timedelta(hours=20), now) == "hôm qua"
    assert relative_time(now - timedelta(days=3), now) == "3 ngày trước"
    assert relative_time(now - timedelta(days=30), now) == "29/10/2026"
    assert relative_time(now - timedelta(minutes=5), now, lang="en") == "5 min ago"


@pytest.mark.parametrize(
    ("zone", "hours"),
    [
        ("CET", 1),
        ("CEST", 2),
        ("MET", 1),
        ("MEST", 2),
        ("IST", 5.5),
        ("AT", -4),
        ("ET", -5),
        ("CT", -6),
        ("MT", -7),
        ("PT", -8),
        ("EST", -5),
        ("PDT", -7),
        ("GMT", 0),
        ("ICT", 7),
        ("JST", 9),
        ("cet", 1),
    ],
)
def test_zone_names_outside_the_email_modules_list(zone: str, hours: float) -> None:
    value = parse_date(f"Sat, 22 Aug 2026 10:00:00 {zone}", now=NOW)
    assert value == datetime(2026, 8, 22, 10, 0, tzinfo=timezone(timedelta(hours=hours)))
    assert value is not None and value.utcoffset() == timedelta(hours=hours)


def test_an_unknown_zone_name_or_none_is_still_vietnam_time() -> None:
    for raw in ("Sat, 22 Aug 2026 10:00:00 XYZT", "Sat, 22 Aug 2026 10:00:00"):
        assert parse_date(raw, now=NOW) == datetime(2026, 8, 22, 10, 0, tzinfo=ICT)
