"""The one date field and the one time field every form uses: GOV.UK messages, the error state on the box at
fault, what was typed kept, and UK time."""

from __future__ import annotations

from datetime import date, time

import pytest
from flask import render_template_string
from flask_wtf import FlaskForm

from campaigns.forms import DateInputField, TimeInputField, format_time, parse_time


class DatesForm(FlaskForm):
    class Meta:
        csrf = False

    closing = DateInputField("Closing date (optional)")
    sent = DateInputField("Date sent", required="Enter the date it was sent")
    launch = TimeInputField("Launch time (optional)")


def posted(app, **data: object) -> DatesForm:
    """The form as it reads a POST of `data` (a date's three boxes under one name)."""
    values = {"sent": ["1", "2", "2026"], **data}
    with app.test_request_context(method="POST", data=values):
        form = DatesForm()
        form.validate()
        form.rendered = render_template_string(  # type: ignore[attr-defined]
            '{% from "macros/forms.html" import error_summary %}{{ error_summary(form) }}'
            "{{ form.closing }}{{ form.sent }}{{ form.launch }}",
            form=form,
        )
        return form


def error_boxes(html: str, name: str) -> list[str]:
    """Which of a date's boxes are drawn in the error state."""
    return [part for part in ("day", "month", "year") if f'govuk-input--error" id="{name}-{part}"' in html]


@pytest.mark.parametrize(
    ("typed", "message", "boxes"),
    [
        (["12", "", "2030"], "Closing date must include a month", ["month"]),
        (["", "", "2030"], "Closing date must include a day and month", ["day", "month", "year"]),
        (["12", "13", "2030"], "Closing date must be a real date", ["month"]),
        (["31", "2", "2030"], "Closing date must be a real date", ["day"]),
        (["29", "2", "2027"], "Closing date must be a real date", ["day"]),
        (["x", "y", "z"], "Closing date must be a real date", ["day", "month", "year"]),
        (["12", "3", "30"], "Year must include 4 numbers", ["year"]),
        (["12", "3", "0030"], "Closing date must be a real date", ["year"]),
    ],
)
def test_a_date_that_cannot_be_read_gets_the_gov_uk_message_on_the_box_at_fault(app, typed, message, boxes):
    form = posted(app, closing=typed)
    assert form.closing.errors == [message]
    assert form.closing.data is None
    assert error_boxes(form.rendered, "closing") == boxes
    # The error summary links to the first box at fault; what was typed is shown back as typed.
    assert f'href="#closing-{boxes[0]}"' in form.rendered
    for part, value in zip(("day", "month", "year"), typed, strict=True):
        assert f'id="closing-{part}" name="closing" type="text" value="{value}"' in form.rendered


def test_nothing_entered_is_no_date_or_the_fields_own_enter_message(app):
    form = posted(app, closing=["", "", ""], sent=["", "", ""])
    assert form.closing.data is None and form.closing.errors == []
    assert form.sent.errors == ["Enter the date it was sent"]
    assert error_boxes(form.rendered, "sent") == ["day", "month", "year"]
    assert 'href="#sent-day"' in form.rendered


@pytest.mark.parametrize(
    "typed",
    [
        ["27", "3", "2027"],
        ["27", "03", "2027"],
        ["27th", "March", "2027"],
        ["27", "mar", "2027"],
        [" 27 ", "3 ", "2027"],
    ],
)
def test_a_date_is_read_as_people_type_it(app, typed):
    form = posted(app, closing=typed)
    assert form.closing.errors == []
    assert form.closing.data == date(2027, 3, 27)


def test_a_form_that_sends_too_few_or_too_many_boxes_is_a_message_not_a_crash(app):
    assert posted(app, closing=["1", "2"]).closing.errors == ["Closing date must include a year"]
    form = posted(app, closing=["1", "2", "2030", "extra"])
    assert form.closing.data == date(2030, 2, 1)
    assert form.rendered.count('name="closing"') == 3


def test_a_saved_date_is_shown_without_leading_zeros(app):
    with app.test_request_context():
        form = DatesForm(formdata=None, closing=date(2027, 3, 5))
        html = str(form.closing())
    assert 'value="5"' in html and 'value="3"' in html and 'value="2027"' in html


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("9am", time(9)),
        ("9:30am", time(9, 30)),
        ("2.15pm", time(14, 15)),
        ("14:30", time(14, 30)),
        ("12pm", time(12)),
        ("12am", time(0)),
        ("midday", time(12)),
        ("Midnight", time(0)),
        ("9.30 am", time(9, 30)),
    ],
)
def test_a_time_is_read_as_people_write_it(app, typed, expected):
    assert parse_time(typed) == expected
    form = posted(app, launch=typed)
    assert form.launch.errors == [] and form.launch.data == expected


@pytest.mark.parametrize("typed", ["25pm", "13pm", "9:75", "24:00", "soon", "0pm"])
def test_a_time_that_cannot_be_read_is_a_clear_message_and_stays_as_typed(app, typed):
    form = posted(app, launch=typed)
    assert form.launch.errors == ["Launch time must be a real time, like 9am, 2:30pm or 14:30"]
    assert f'value="{typed}"' in form.rendered
    assert 'href="#launch"' in form.rendered


def test_times_are_written_the_gov_uk_way():
    assert [format_time(t) for t in (time(9), time(9, 30), time(14, 5), time(12), time(0))] == [
        "9am",
        "9:30am",
        "2:05pm",
        "midday",
        "midnight",
    ]


def test_there_is_one_uk_time_zone_constant():
    """Every area reads UK time from campaigns/timezone.py; nothing else names the zone."""
    from pathlib import Path

    package = Path(__file__).parent.parent / "campaigns"
    naming = [path.name for path in package.rglob("*.py") if '"Europe/London"' in path.read_text()]
    assert naming == ["timezone.py"]
