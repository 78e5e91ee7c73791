"""The audit trail: who ran which command, when, with what (secrets redacted), and how it ended.

Every command execution is recorded, success or failure. A successful command's row is
written inside the command's own transaction, just before it commits, so a change is never
committed without its audit row. A failed command's transaction rolls back, taking nothing
with it; its row is then written in a transaction of its own.
"""
