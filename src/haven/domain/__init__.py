"""Haven's pure core: the rules of care, privacy and access, free of any I/O."""
