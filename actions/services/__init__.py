"""Every write to actions and owners goes through these modules' functions.

The admin, the officer's pages, the board's reviews, the importer and the management
commands all call them, so permission checks, validation and the audit history
(sendplan/audit.py) cannot be skipped. ``user=None`` means a management command run by an
operator on the server, recorded as such.

- actions: an action's rules (action_prepare) and its saves, progress updates, bulk
  updates, deletion and follow-ups.
- milestones: the steps of an action, added and ticked off.
- owner_update: the officer's update form, progress, due date and milestones at once.
- ownership: owners, their spellings and holders, and which owners an action has.
- batch: many actions and their owners saved at once by the same rules.
"""
