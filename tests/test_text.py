from datetime import UTC, datetime

import pytest

from news.text import date_line, dutch_date, teaser

UTC = UTC


def test_short_text_is_whole():
    assert teaser("Een korte intro.") == "Een korte intro."


def test_exactly_175_characters_is_whole():
    text = ("woord " * 40)[:174] + "x"
    assert len(text) == 175
    assert teaser(text) == text


def test_176_characters_is_cut_at_last_space():
    text = "a" * 170 + " bcdef"  # 176 characters, the last space at index 170
    assert len(text) == 176
    assert teaser(text) == "a" * 170 + "..."


def test_cut_keeps_a_word_that_ends_exactly_at_175():
    text = "a" * 169 + " bcdef ghij"  # "bcdef" ends at character 175
    assert teaser(text) == "a" * 169 + " bcdef..."


def test_one_very_long_word_is_cut_hard():
    assert teaser("x" * 400) == "x" * 175 + "..."


def test_text_with_no_spaces_before_the_limit():
    text = "y" * 200 + " staart"
    assert teaser(text) == "y" * 175 + "..."


def test_unicode_counts_characters_not_bytes():
    text = "Saoedi-Arabië " * 13  # 14 characters a time, 182 in all
    result = teaser(text)
    assert result.endswith("Saoedi-Arabië...")
    assert len(result) - 3 <= 175


def test_trailing_punctuation_is_kept():
    text = "b" * 160 + " Saoedi-Arabië, voortrekker van de Golfraad."
    assert teaser(text) == "b" * 160 + " Saoedi-Arabië,..."


def test_whitespace_runs_and_newlines_count_as_one_space():
    assert teaser("Een\n  intro\tmet   ruimte. ") == "Een intro met ruimte."


def test_empty_lead():
    assert teaser("") == ""
    assert teaser(None) == ""


@pytest.mark.parametrize(
    "month, name",
    list(
        enumerate(
            [
                "januari",
                "februari",
                "maart",
                "april",
                "mei",
                "juni",
                "juli",
                "augustus",
                "september",
                "oktober",
                "november",
                "december",
            ],  # fmt: skip
            start=1,
        )
    ),
)
def test_dutch_month_names(month, name):
    assert dutch_date(datetime(2014, month, 15, 12, 0, tzinfo=UTC)) == f"15 {name} 2014"


def test_date_line_in_summer_time():
    # 13:44 UTC is 15:44 in Amsterdam in May (CEST, UTC+2).
    moment = datetime(2014, 5, 4, 13, 44, tzinfo=UTC)
    assert date_line(moment, "Marokko") == "4 mei 2014 - 15:44 - Marokko"


def test_date_line_in_winter_time():
    # 14:44 UTC is 15:44 in Amsterdam in January (CET, UTC+1).
    moment = datetime(2014, 1, 4, 14, 44, tzinfo=UTC)
    assert date_line(moment, "Rusland") == "4 januari 2014 - 15:44 - Rusland"


def test_midnight_is_00_00_on_the_local_day():
    # 23:00 UTC on 29 March 2014 is midnight in Amsterdam, the next day.
    moment = datetime(2014, 3, 29, 23, 0, tzinfo=UTC)
    assert date_line(moment, "Marokko") == "30 maart 2014 - 00:00 - Marokko"


def test_date_line_without_place():
    assert date_line(datetime(2014, 5, 4, 13, 44, tzinfo=UTC)) == "4 mei 2014 - 15:44"


def test_date_line_without_date():
    assert date_line(None, "Marokko") == "Marokko"
