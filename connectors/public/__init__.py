"""Public pages with no login: the transparency page and the open data files (issue 16)."""
