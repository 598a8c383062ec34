"""What the reader shows before a document is opened."""

from __future__ import annotations

FIVE_SHORTCUTS = (
    ("Ctrl+K", "search (also Ctrl+F or /)"),
    ("↓  Enter", "open a result"),
    ("Ctrl+Enter", "open a second result beside it to compare"),
    ("F3 / Shift+F3", "next / previous match"),
    ("Ctrl+Shift+P", "every command; F1 lists all shortcuts"),
)


def welcome_html(first_run: bool) -> str:
    """What the reader shows before a document is opened: five shortcuts that matter."""
    rows = "".join(
        f"<tr><td style='padding:4px 18px 4px 0'><b>{k}</b></td><td>{v}</td></tr>"
        for k, v in FIVE_SHORTCUTS
    )
    intro = (
        "Your library has been started with five sample articles."
        if first_run
        else "Search your library, or press Ctrl+O to add a folder of articles."
    )
    return (
        f"<h2>Workbench</h2><p>{intro}</p><p>Five shortcuts that matter:</p>"
        f"<table>{rows}</table><p>Esc always brings you back to the search box.</p>"
    )
