"""SQLite as Django runs it, with a writer's wait that takes the lock as soon as it is free."""
