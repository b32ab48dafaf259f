"""Working days in England and Wales, with explicit dates round weekends, Christmas and Easter."""

from datetime import date

from campaigns.submissions.workdays import add_working_days, is_working_day, working_days_between


def test_a_weekend_is_skipped():
    friday = date(2026, 11, 20)
    assert add_working_days(friday, 1) == date(2026, 11, 23)  # Monday
    assert working_days_between(friday, date(2026, 11, 23)) == 1


def test_twenty_working_days_from_an_ordinary_monday_is_four_weeks_later():
    assert add_working_days(date(2026, 11, 2), 20) == date(2026, 11, 30)


def test_christmas_boxing_day_and_new_year_are_skipped():
    # 2026: Christmas Day is a Friday; Boxing Day falls on Saturday, so Monday 28 December is the substitute.
    assert not is_working_day(date(2026, 12, 25))
    assert not is_working_day(date(2026, 12, 28))
    assert not is_working_day(date(2027, 1, 1))
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 24), 3) == date(2026, 12, 31)
    assert add_working_days(date(2026, 12, 24), 4) == date(2027, 1, 4)


def test_twenty_working_days_over_christmas_takes_three_bank_holidays_longer():
    assert add_working_days(date(2026, 12, 14), 20) == date(2027, 1, 14)


def test_good_friday_and_easter_monday_are_skipped():
    # 2027: Good Friday 26 March, Easter Monday 29 March.
    assert add_working_days(date(2027, 3, 25), 1) == date(2027, 3, 30)
    assert working_days_between(date(2027, 3, 25), date(2027, 3, 30)) == 1


def test_no_time_has_passed_on_the_day_itself():
    assert working_days_between(date(2026, 11, 25), date(2026, 11, 25)) == 0
    assert working_days_between(date(2026, 11, 25), date(2026, 11, 1)) == 0
