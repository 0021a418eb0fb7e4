"""Natural-language adapters: the E5 sentence encoder and the risk classifier built on it."""
