"""Reads of actions that need care, each a fixed number of queries whatever the plan's size.

- history: what the audit history says (timelines, changes since a date, completion over
  time, what changed while a form was open).
- pages: what the officer's and the board's pages show of the plan as it stands.
"""
