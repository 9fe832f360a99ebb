"""Tag strings as editors type them: comma-separated, spaces allowed in a name."""

from .text import single_line


def parse_tags(text):
    """Return the unique names in a comma-separated string, in order."""
    names = []
    for part in (text or "").split(","):
        name = single_line(part).strip('"')
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)
    return names


def join_tags(tags):
    """Return tags as the comma-separated string that parse_tags reads back."""
    return ", ".join(sorted(tag.name for tag in tags))
