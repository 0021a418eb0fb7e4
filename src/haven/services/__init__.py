"""Use cases: one function for each thing a person does, each one unit of work."""
