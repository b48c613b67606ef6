"""Passwords and other security helpers with no Flask in them."""
