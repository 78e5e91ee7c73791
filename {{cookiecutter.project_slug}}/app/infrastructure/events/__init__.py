"""The event log (outbox): domain events stored in the same transaction as the state change."""
