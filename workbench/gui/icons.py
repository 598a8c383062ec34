"""Icons: qtawesome glyphs by the names the app uses, the app icon, and entity-type styles.

Icons are drawn in the palette's text colour so they read in light and dark themes.
Entity types get a colour (Okabe–Ito, the colour-blind safe palette) AND an underline
style, so a reader who cannot tell the colours apart still tells the types apart.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType

from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette, QTextCharFormat

from workbench.core.paths import resources_dir

# Names the app uses -> Material Design icons in qtawesome.
GLYPHS = {
    "search": "mdi6.magnify",
    "import": "mdi6.folder-open",
    "import-files": "mdi6.file-multiple",
    "compare": "mdi6.compare-horizontal",
    "swap": "mdi6.swap-horizontal",
    "palette": "mdi6.console",
    "shortcuts": "mdi6.keyboard",
    "lock": "mdi6.lock-outline",
    "export": "mdi6.file-export",
    "underline": "mdi6.format-underline",
    "document": "mdi6.file-document-outline",
    "library": "mdi6.bookshelf",
    "results": "mdi6.text-box-search",
    "entities": "mdi6.tag-text",
    "rename": "mdi6.rename-box",
    "merge": "mdi6.merge",
    "ignore": "mdi6.eye-off",
    "retype": "mdi6.shape",
    "csv": "mdi6.file-delimited",
    "related": "mdi6.vector-link",
    "next": "mdi6.chevron-down",
    "previous": "mdi6.chevron-up",
    "passage-next": "mdi6.arrow-collapse-down",
    "passage-prev": "mdi6.arrow-collapse-up",
    "quit": "mdi6.exit-to-app",
    "zoom-in": "mdi6.magnify-plus",
    "zoom-out": "mdi6.magnify-minus",
    "cancel": "mdi6.close-circle",
    "escape": "mdi6.keyboard-esc",
    "extract": "mdi6.flask",
    "help": "mdi6.help-circle",
    "notes": "mdi6.note-text",
    "entity-search": "mdi6.account-search",
    "quote": "mdi6.format-quote-close",
    "quote-next": "mdi6.chevron-double-down",
    "quote-prev": "mdi6.chevron-double-up",
    "speaker-quotes": "mdi6.account-voice",
    "PERSON": "mdi6.account",
    "ORG": "mdi6.office-building",
    "GPE": "mdi6.earth",
    "LOC": "mdi6.map-marker",
    "NORP": "mdi6.account-group",
    "FAC": "mdi6.domain",
    "EVENT": "mdi6.calendar-star",
}


def is_dark() -> bool:
    """True when the application palette is a dark one."""
    app = QGuiApplication.instance()
    if app is None:
        return False
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def icon(name: str) -> QIcon:
    """The icon for an app name (see GLYPHS), in the palette's text colour."""
    return _icon(name, is_dark())


FALLBACK_GLYPH = "mdi6.help-circle"


def font_prefixes() -> set[str]:
    """The qtawesome font sets the app draws from ("mdi6"); the package bundles only these."""
    return {glyph.split(".", 1)[0] for glyph in (*GLYPHS.values(), FALLBACK_GLYPH)}


@cache
def _qtawesome() -> ModuleType:
    """qtawesome, told to load only the font sets the app uses.

    On first use qtawesome loads and checksums all twelve of its bundled fonts (6 MB);
    the app uses one set. Narrowing its (private) font table saves 20-40 ms of start-up
    and lets the packaged app ship one font. If the table is not as expected, it is left
    alone and everything is loaded as before.
    """
    import qtawesome as qta

    fonts = getattr(qta, "_BUNDLED_FONTS", None)
    wanted = font_prefixes()
    if isinstance(fonts, tuple) and wanted <= {f[0] for f in fonts if isinstance(f, tuple) and f}:
        qta._BUNDLED_FONTS = tuple(f for f in fonts if f[0] in wanted)
    return qta


@cache
def _icon(name: str, dark: bool) -> QIcon:
    qta = _qtawesome()
    colour = QGuiApplication.palette().color(QPalette.ColorRole.WindowText)
    return qta.icon(GLYPHS.get(name, FALLBACK_GLYPH), color=colour, color_disabled="#888888")


def app_icon() -> QIcon:
    """The window icon from resources/icons (SVG preferred, PNG as fallback)."""
    folder = resources_dir() / "icons"
    result = QIcon()
    for name in ("workbench.svg", "workbench.png"):
        path = folder / name
        if path.exists():
            result.addFile(str(path))
    return result


# --------------------------------------------------------------------------- entity types

# (light-palette colour, dark-palette colour, underline style, label)
_US = QTextCharFormat.UnderlineStyle
TYPE_STYLES: dict[str, tuple[str, str, QTextCharFormat.UnderlineStyle, str]] = {
    "PERSON": ("#0072B2", "#56B4E9", _US.SingleUnderline, "solid"),
    "ORG": ("#D55E00", "#FF8C42", _US.DashUnderline, "dashed"),
    "GPE": ("#009E73", "#3DDC97", _US.DotLine, "dotted"),
    "LOC": ("#7A5C00", "#F0E442", _US.DashDotLine, "dash-dot"),
    "NORP": ("#CC79A7", "#E8A6CB", _US.DashDotDotLine, "dash-dot-dot"),
    "FAC": ("#6A3D9A", "#B79CE0", _US.WaveUnderline, "wavy"),
    "EVENT": ("#444444", "#DDDDDD", _US.SingleUnderline, "solid + overline"),
}


def type_colour(entity_type: str) -> QColor:
    light, dark, _, _ = TYPE_STYLES.get(entity_type, TYPE_STYLES["EVENT"])
    return QColor(dark if is_dark() else light)


def entity_format(entity_type: str) -> QTextCharFormat:
    """Underline in the type's colour and style (EVENT adds an overline to stay distinct)."""
    _, _, style, _ = TYPE_STYLES.get(entity_type, TYPE_STYLES["EVENT"])
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(style)
    fmt.setUnderlineColor(type_colour(entity_type))
    if entity_type == "EVENT":
        fmt.setFontOverline(True)
    return fmt


# Distinct tints for shared entities in the compare view (one per entity, cycled);
# picked from Okabe–Ito and Tol's palettes so neighbours differ in lightness too.
SHARED_TINTS_LIGHT = [
    "#CDE7F6",
    "#FFE0B2",
    "#C8F0DF",
    "#F6D6E8",
    "#FFF3A6",
    "#E0D4F5",
    "#D9F2C6",
    "#F9D2C5",
    "#CFE3FF",
    "#EBDDC5",
]
SHARED_TINTS_DARK = [
    "#1F4E6B",
    "#6B4A12",
    "#1D5B45",
    "#5E2F4B",
    "#5C5614",
    "#45336B",
    "#3B5A22",
    "#6B3424",
    "#2A4270",
    "#574A32",
]


def shared_tint(index: int) -> QColor:
    """A tint of its own for the index-th shared entity, the same in both panes.

    The first ten come from the hand-picked palette; after that hues step by the golden
    angle (never repeating) at alternating lightness, so neighbours stay apart.
    """
    tints = SHARED_TINTS_DARK if is_dark() else SHARED_TINTS_LIGHT
    if index < len(tints):
        return QColor(tints[index])
    hue = (index * 137.508) % 360 / 360.0
    if is_dark():
        return QColor.fromHslF(hue, 0.45, 0.28 + 0.06 * (index % 2))
    return QColor.fromHslF(hue, 0.75, 0.84 + 0.05 * (index % 2))
