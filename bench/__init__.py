"""The benchmark: `make bench` fills databases of realistic size and loads the site."""
