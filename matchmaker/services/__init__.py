"""Use cases and transactions. Services take the acting user explicitly and raise DomainError
subclasses with a message meant for people; views turn those into flashes."""
