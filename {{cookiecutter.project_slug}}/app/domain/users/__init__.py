"""The users example domain."""
