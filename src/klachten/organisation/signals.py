"""What organisation tells the apps above it (they connect receivers; it imports none of them)."""

from django.dispatch import Signal

# A setting the complaints regulation shows changed (R17): the terms, the calendar, closing
# days, retention, the third party or who we are. Sent inside the transaction of the change,
# with ``now``; ``klachten.public`` records a new regulation version when the text changed.
regulation_settings_changed = Signal()
