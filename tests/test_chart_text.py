"""What a screen reader says for a chart (charts.text_alternative, given to st.plotly_chart as alt): its
title, which names the measure, and figures read from the chart's own data, worked out by hand here."""
from __future__ import annotations

import pandas as pd

from components import charts

WEEKS = pd.date_range("2026-02-02", periods=4, freq="7D")   # Mondays: 2, 9, 16 and 23 Feb 2026


def test_a_weekly_compliance_chart_says_how_many_weeks_and_the_latest_share_against_the_target():
    """Four weeks against a 90% target; the last has 76 met and 11 missed (76 / 87 = 87.4%) and 10 pending,
    so its share can still fall (provisional). Large text for a projector redraws the chart, not its words."""
    weekly = pd.DataFrame({"week": WEEKS, "compliance": [0.95, 0.87, 0.80, 76 / 87], "met": [95, 87, 80, 76],
                           "missed": [5, 13, 20, 11], "pending": [0, 0, 0, 10]})
    figure = charts.compliance_trend(weekly, 0.90, "Compliance week by week", "% met · 13 weeks")
    assert charts.text_alternative(figure) == \
        "Compliance week by week: 4 weeks; w/c 23 Feb 2026: 87.4% met, provisional, target 90%"
    assert charts.text_alternative(charts.enlarged(figure, 1.3)) == charts.text_alternative(figure)


def test_volume_bars_with_a_line_name_both_measures_of_the_latest_week():
    frame = pd.DataFrame({"week": WEEKS, "contacts": [1200, 800, 1000, 1528], "hours": [2.0, 3.5, 1.0, 1.04]})
    figure = charts.volume_with_line(frame, "week", "contacts", "Contacts received", "hours", "Median time to first reply",
                                     "Contacts received and how fast we replied", "", "Contacts per week", "Hours",
                                     line_suffix=" h")
    assert charts.text_alternative(figure) == ("Contacts received and how fast we replied: 4 weeks; w/c 23 Feb 2026: "
                                               "Contacts received 1,528, Median time to first reply 1.0 h")


def test_bars_name_the_highest_and_the_lowest():
    frame = pd.DataFrame({"partner": ["In-house", "FixRight", "Swift"], "rate": [93.6, 101.2, 107.9]})
    figure = charts.bars(frame, "partner", "rate", "Complaint rate by partner", "", "Complaints per 1,000 contacts")
    assert charts.text_alternative(figure) == "Complaint rate by partner: 3 bars; highest: Swift 107.9; lowest: In-house 93.6"
