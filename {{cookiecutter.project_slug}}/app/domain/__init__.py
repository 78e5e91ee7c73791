"""The domain: entities, value objects and events, free of frameworks and databases."""
