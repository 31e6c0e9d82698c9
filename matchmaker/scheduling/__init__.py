"""Pure meeting-schedule optimiser for brokerage events (no Flask, no database).

Inputs are frozen dataclasses (``Slot``, ``Participant``, ``Candidate``, ``LockedMeeting``,
``Group``, ``Table``, ``Options``, ``Instance``); ``solve`` returns a ``Schedule``
(``PlacedMeeting``, ``Unplaced``, ``PlacedGroup``, ``UnplacedGroup``, ``Figures``).
``check`` lists hard-constraint violations of any schedule, ``move_conflicts``
says why one meeting cannot go to a given slot and table, ``choose_suggestions`` picks the
suggestions participants consented to. ``parse_instance`` /
``schedule_to_json`` speak the JSON interchange format used by
``python -m matchmaker.scheduling``. Only the standard library, numpy, scipy and OR-Tools are
imported.
"""

from matchmaker.scheduling.check import Conflict, check, conflicts, count_breaks, move_conflicts
from matchmaker.scheduling.interchange import (
    INSTANCE_FORMAT,
    SCHEDULE_FORMAT,
    instance_to_json,
    parse_instance,
    parse_schedule,
    parse_schedule_groups,
    schedule_to_json,
)
from matchmaker.scheduling.model import (
    ACCEPTED,
    CONFLICT_NOT_ALLOWED,
    CONFLICT_ORDER,
    CONFLICT_UNAVAILABLE,
    DEFAULT_SEATS,
    FAILED_STATUSES,
    GROUP_MIN_MEMBERS,
    MANUAL,
    MUTUAL,
    ONE_SIDED,
    PRIORITIES,
    STATUS_FAIRNESS_VIOLATED,
    STATUS_FEASIBLE,
    STATUS_INCOMPLETE,
    STATUS_INFEASIBLE,
    STATUS_OPTIMAL,
    SUGGESTION,
    Candidate,
    Figures,
    Group,
    Instance,
    InstanceError,
    LockConflict,
    LockedMeeting,
    Options,
    Participant,
    PlacedGroup,
    PlacedMeeting,
    Schedule,
    Slot,
    Table,
    Unplaced,
    UnplacedGroup,
)
from matchmaker.scheduling.solver import solve
from matchmaker.scheduling.suggestions import choose_suggestions

__all__ = [
    "ACCEPTED",
    "CONFLICT_NOT_ALLOWED",
    "CONFLICT_ORDER",
    "CONFLICT_UNAVAILABLE",
    "DEFAULT_SEATS",
    "GROUP_MIN_MEMBERS",
    "FAILED_STATUSES",
    "STATUS_FAIRNESS_VIOLATED",
    "STATUS_FEASIBLE",
    "STATUS_INCOMPLETE",
    "STATUS_INFEASIBLE",
    "STATUS_OPTIMAL",
    "INSTANCE_FORMAT",
    "MANUAL",
    "MUTUAL",
    "ONE_SIDED",
    "PRIORITIES",
    "SCHEDULE_FORMAT",
    "SUGGESTION",
    "Candidate",
    "Conflict",
    "Figures",
    "Group",
    "Instance",
    "InstanceError",
    "LockConflict",
    "LockedMeeting",
    "Options",
    "Participant",
    "PlacedGroup",
    "PlacedMeeting",
    "Schedule",
    "Slot",
    "Table",
    "Unplaced",
    "UnplacedGroup",
    "check",
    "choose_suggestions",
    "conflicts",
    "count_breaks",
    "instance_to_json",
    "move_conflicts",
    "parse_instance",
    "parse_schedule",
    "parse_schedule_groups",
    "schedule_to_json",
    "solve",
]
