"""Pure route planner: plain data in, plain data out; no ORM."""
