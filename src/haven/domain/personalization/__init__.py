"""Personalisation: learning from outcomes which intervention helps each member."""
