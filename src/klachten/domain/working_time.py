"""How much working time lies between two moments (R3: the contact term counts working hours).

The counterpart of :meth:`WorkCalendar.add_working_time`: the clock runs only on working days,
whole days 00:00–24:00 in Amsterdam wall-clock time. Working days are never the days the
clocks change (those are Sundays), so a working day always holds 24 real hours.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from klachten.domain.workdays import AMSTERDAM, ONE_DAY, WorkCalendar, require_aware


def working_time_between(start: datetime, end: datetime, calendar: WorkCalendar) -> timedelta:
    """The working time from ``start`` to ``end`` (zero when ``end`` is not after ``start``).

    Received on a Friday at 14:00 and contacted on Monday at 10:00: 10 hours on Friday and
    10 on Monday make 20 working hours, where 68 hours passed.
    """
    require_aware(start, "start")
    require_aware(end, "end")
    if end <= start:
        return timedelta(0)
    first, last = start.astimezone(AMSTERDAM), end.astimezone(AMSTERDAM)
    total = timedelta(0)
    day = first.date()
    while day <= last.date():
        if calendar.is_working_day(day):
            midnight = datetime(day.year, day.month, day.day, tzinfo=AMSTERDAM)
            # Aware minus aware with the same tzinfo is wall-clock time in Python, which on a
            # working day is real time.
            begin = max(first, midnight) - midnight
            finish = min(last - midnight, ONE_DAY)
            if finish > begin:
                total += finish - begin
        day += ONE_DAY
    return total
