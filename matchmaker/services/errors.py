"""Domain errors: their message is shown to the user as it is."""


class DomainError(Exception):
    """A request the domain refuses, with the reason in words."""


class NotAllowed(DomainError):
    """The acting user may not do this."""


class Conflict(DomainError):
    """The change clashes with existing data (duplicate, double booking, stale edit)."""
