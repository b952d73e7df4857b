"""Support tickets: departments, statuses, OpenTicket, replies, notes, GetTicket(s)."""
