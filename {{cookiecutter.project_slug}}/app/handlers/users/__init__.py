"""The users example: commands that change users and queries that read their read models."""
