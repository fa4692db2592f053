"""The staff Insights charts: SVG drawn on the server, readable axes, one day of data, and none."""

import datetime as dt
import re

import pytest

from bot.web.admin import chart_views
from bot.web.charts import NO_DATA, answer_rate_chart, nice_step, per_day, volume_chart

ONE_DAY = [("2026-11-27", "answer", 1500), ("2026-11-27", "no_answer", 575)]


def labels(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


@pytest.mark.parametrize(("top", "step"), [(3, 1), (7, 2), (40, 10), (2075, 1000), (12_000, 5000)])
def test_axis_steps_are_round_numbers(top: float, step: float) -> None:
    assert nice_step(top) == pytest.approx(step)


def test_a_single_question_gets_a_whole_number_axis() -> None:
    volume = volume_chart([("2026-11-27", "answer", 1)])
    assert volume is not None
    axis = [text for text in labels(volume.svg) if text.isdigit()]
    assert axis == ["0", "1", "1"]  # the axis 0 and 1, and the bar's own label


def test_days_without_questions_are_drawn_as_gaps() -> None:
    days = per_day([("2026-11-25", "answer", 2), ("2026-11-27", "crisis", 1)])
    assert list(days) == [dt.date(2026, 11, 25), dt.date(2026, 11, 26), dt.date(2026, 11, 27)]
    assert days[dt.date(2026, 11, 26)] == {}


def test_one_day_of_data_draws_labelled_bars_with_whole_numbers() -> None:
    volume = volume_chart(ONE_DAY)
    assert volume is not None
    assert volume.svg.count('class="bar"') == 2  # answered and not in the materials, stacked
    assert "2,075" in labels(volume.svg) and "27 Nov" in labels(volume.svg)
    assert not [text for text in labels(volume.svg) if re.search(r"\.\d", text)]  # never "2,075.000000"
    assert "27 Nov: 2,075 in all" in volume.alt
    rate = answer_rate_chart(ONE_DAY)
    assert rate is not None and rate.svg.count('class="bar"') == 1
    assert "72%" in labels(rate.svg) and {"0%", "50%", "100%"} <= set(labels(rate.svg))
    assert rate.data_uri().startswith("data:image/svg+xml;base64,")


def test_a_day_with_no_answer_still_shows_a_mark() -> None:
    rate = answer_rate_chart([("2026-11-27", "no_answer", 3)])
    assert rate is not None
    heights = [float(h) for h in re.findall(r'class="bar"[^>]*height="([\d.]+)"', rate.svg)]
    assert heights and heights[0] >= 1
    assert "0%" in labels(rate.svg)


def test_no_data_draws_no_chart_but_says_so() -> None:
    assert volume_chart([]) is None and answer_rate_chart([]) is None
    volume, rate = chart_views([])
    assert NO_DATA in volume and NO_DATA in rate and "<img" not in volume + rate
    assert volume.startswith("## Questions per day") and rate.startswith("## Answer rate per day")


def test_chart_text_is_escaped() -> None:
    volume = volume_chart([("2026-11-27", "answer", 1)])
    assert volume is not None and "<script" not in volume.svg and "onload" not in volume.svg
