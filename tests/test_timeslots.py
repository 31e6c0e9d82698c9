from datetime import date, time

import pytest

from matchmaker.timeslots import SlotTime, Window, derive_slots

DAY = date(2027, 5, 18)


def test_slots_fill_a_session_and_leave_the_remainder():
    slots = derive_slots([Window(DAY, time(9), time(10, 10))], [], 20, 5)
    assert slots == [
        SlotTime(DAY, time(9, 0), time(9, 20)),
        SlotTime(DAY, time(9, 25), time(9, 45)),
        SlotTime(DAY, time(9, 50), time(10, 10)),
    ]


def test_slot_overlapping_a_break_restarts_after_it():
    slots = derive_slots(
        [Window(DAY, time(9), time(11))], [Window(DAY, time(9, 40), time(10))], 25, 5
    )
    assert [s.start for s in slots] == [time(9, 0), time(10, 0), time(10, 30)]


def test_invalid_lengths_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="at least one minute"):
        derive_slots([], [], 0, 5)
    with pytest.raises(ValueError, match="cannot be negative"):
        derive_slots([], [], 20, -1)
