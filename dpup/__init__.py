"""dpup: New Zealand's Data Protection and Use Policy toolkit as software."""
