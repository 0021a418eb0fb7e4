"""The companion's conversation: flows, dialogue state, replies and the turn policy."""
