"""Who sees which board on the home page, in the vocabulary of clusters.rules."""

import rules

from clusters.rules import is_admin, is_member_officer_in_year, is_secretariat, is_supervisor

# The board of the member units x the year's stages, and the secretariat's own queue.
rules.add_perm("desk.view_board", is_secretariat)
# The progress of a cluster's year, with what it sent up (summary, award proposal).
rules.add_perm("desk.view_progress", is_admin | is_supervisor)
# A member unit's own tasks for the year.
rules.add_perm("desk.view_tasks", is_member_officer_in_year)
# The shortcuts into the Django admin.
rules.add_perm("desk.open_admin", is_admin)
