"""Organisation pages, split by what a manager does: the organisation itself, seats,
invitations (and accepting one), and the staff progress dashboard."""
