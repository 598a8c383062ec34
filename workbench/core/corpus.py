"""Reading files into Documents: formats, encodings, cleaning scraped pages, bad files.

A :class:`Document`'s ``text`` is the cleaned reader text. Every offset Workbench
reports (search matches, entity mentions, aligned passages, note anchors) is an offset
into that string, and the index stores exactly that string, so the reader and the
index can never disagree.

Cleaning is aimed at real scraped news pages: breadcrumbs (``Home » …``), the title
repeated above the article, ``Advertisement`` lines, share/comment widgets, and
navigation lists (often in another script) after the article. The rules are generic
rather than tuned to one site; each is described where it is applied.
"""

from __future__ import annotations

import functools
import hashlib
import html
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".html", ".htm"})
MAX_FILE_BYTES = 20 * 1024 * 1024
"""Files larger than this are skipped: no article is 20 MB, a log or a dump is."""


class SkippedFile(Exception):
    """A file that cannot become a Document; ``str(exc)`` is the reason shown to the user."""


@dataclass(frozen=True)
class DocInfo:
    """What the library knows of an article without reading its text: listing a
    library of a hundred thousand articles needs only these."""

    id: str
    title: str
    path: str
    sha: str
    date: str | None = None
    words: int = 0

    def summary(self) -> dict[str, object]:
        """The fields listed by ``workbench docs``."""
        return {"id": self.id, "title": self.title, "path": self.path, "words": self.words}


@dataclass(frozen=True, kw_only=True)
class Document(DocInfo):
    """One article as the researcher reads it: its metadata and its reader text."""

    text: str


@dataclass
class Skip:
    """A file left out of an import, and why."""

    path: str
    reason: str


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of letters or digits."""
    return len(re.findall(r"\w+", text))


def content_hash(data: bytes) -> str:
    """The content hash that decides whether a file changed."""
    return hashlib.sha1(data).hexdigest()


# --------------------------------------------------------------------------- files


def iter_files(paths: Iterable[str | Path], skipped: list[Skip] | None = None) -> Iterator[Path]:
    """Supported files under ``paths`` (files or folders, recursively), sorted, hidden skipped.

    Each file is yielded once, by its resolved path. A folder that cannot be read, a
    symbolic link that loops and a name that cannot be resolved are reported in
    ``skipped`` with a reason (when given) and never stop the scan.
    """
    seen: set[Path] = set()
    for raw in paths:
        root = Path(raw).expanduser()
        candidates = _walk(root, skipped) if root.is_dir() else iter([root])
        for f in candidates:
            try:
                resolved = f.resolve(strict=False)
            except (OSError, RuntimeError) as exc:  # RuntimeError: a symbolic link loop
                if skipped is not None:
                    skipped.append(Skip(str(f), f"cannot resolve the path ({_why(exc)})"))
                continue
            if resolved not in seen:
                seen.add(resolved)
                yield resolved


def _walk(root: Path, skipped: list[Skip] | None) -> Iterator[Path]:
    """Supported, non-hidden files under ``root``, sorted; folders entered once each."""
    visited: set[tuple[int, int]] = set()
    stack = [root]
    found: list[Path] = []
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
            if (st.st_dev, st.st_ino) in visited:
                continue  # a link back to a folder already read
            visited.add((st.st_dev, st.st_ino))
            entries = list(os.scandir(folder))
        except OSError as exc:
            if skipped is not None:
                skipped.append(Skip(str(folder), f"cannot read the folder ({_why(exc)})"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                stack.append(Path(entry.path))
            elif os.path.splitext(entry.name)[1].lower() in SUPPORTED_SUFFIXES:
                found.append(Path(entry.path))
    return iter(sorted(found))


def _why(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def file_state(path: Path) -> tuple[int, int]:
    """A file's size and modification time (ns), or :class:`SkippedFile` saying why not."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise SkippedFile("file not found") from None
    except OSError as exc:
        raise SkippedFile(f"cannot read: {exc.strerror or exc}") from None
    return st.st_size, st.st_mtime_ns


def read_bytes(path: Path, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Read a file's bytes, or raise :class:`SkippedFile` saying why not."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise SkippedFile(f"unsupported file type '{path.suffix or path.name}'")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise SkippedFile("file not found") from None
    except OSError as exc:
        raise SkippedFile(f"cannot read: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise SkippedFile(
            f"too large ({size / 1048576:.1f} MB; the limit is {max_bytes / 1048576:.0f} MB)"
        )
    if size == 0:
        raise SkippedFile("empty file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SkippedFile(f"cannot read: {exc.strerror or exc}") from None


def decode(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), else the best guess of charset-normalizer."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SkippedFile("binary file (contains NUL bytes)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise SkippedFile("binary file or unknown text encoding")
    text = str(best)
    # A "text" that is mostly control characters is a binary file in disguise.
    controls = sum(
        1 for ch in text[:4096] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f"
    )
    if controls > 0.05 * max(1, min(len(text), 4096)):
        raise SkippedFile("binary file (not text)")
    return text


# --------------------------------------------------------------------------- HTML

_DROP_TAGS = frozenset(
    {
        "script",
        "style",
        "nav",
        "header",
        "footer",
        "aside",
        "noscript",
        "form",
        "template",
        "svg",
        "iframe",
        "button",
        "select",
        "menu",
    }
)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "section",
        "article",
        "blockquote",
        "pre",
        "hr",
        "figcaption",
        "dd",
        "dt",
        "main",
        "title",
    }
)
_VOID_TAGS = frozenset({"br", "hr", "img", "meta", "link", "input", "wbr", "source", "area", "col"})


class _TextExtractor(HTMLParser):
    """Collects visible text, one line per block element, dropping scripts and navigation."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip_depth = 0
        self.skip_stack: list[str] = []
        self.title = ""
        self.in_title = False
        self.meta_date: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "meta" and self.meta_date is None:
            key = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if key in {"article:published_time", "date", "pubdate", "datepublished", "dc.date"}:
                self.meta_date = a.get("content") or None
        if tag == "time" and self.meta_date is None and a.get("datetime"):
            self.meta_date = a["datetime"]
        if tag in _VOID_TAGS:
            if tag in _BLOCK_TAGS:
                self.parts.append("\n")
            return
        role = a.get("role", "").lower()
        if self.skip_depth or tag in _DROP_TAGS or role in {"navigation", "banner", "contentinfo"}:
            self.skip_depth += 1
            self.skip_stack.append(tag)
            return
        if tag == "title":
            self.in_title = True
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.skip_depth:
            # Close the innermost skipped element with this name (tolerates sloppy HTML).
            if tag in self.skip_stack:
                while self.skip_stack:
                    self.skip_depth -= 1
                    if self.skip_stack.pop() == tag:
                        break
            return
        if tag == "title":
            self.in_title = False
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if self.in_title:
            self.title += data
            return
        self.parts.append(data)


def html_to_text(source: str) -> tuple[str, str, str | None]:
    """Visible text of an HTML page, its <title>, and a publication date from its metadata."""
    parser = _TextExtractor()
    parser.feed(source)
    parser.close()
    raw = "".join(parser.parts)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in raw.split("\n")]
    return "\n".join(lines), html.unescape(parser.title).strip(), parser.meta_date


# --------------------------------------------------------------------------- cleaning

# Lines that are page furniture, not article text, on news sites and blogs.
_BOILERPLATE_LINE = re.compile(
    r"^(advertisement|advertising|sponsored( content)?|ad|share( this)?( article| story)?|"
    r"share on \w+|print|email|tweet|comments?|leave a (comment|reply)|"
    r"(\d+ )?comments?|log ?in|sign ?in|sign up|subscribe( now)?|"
    r"skip to (main )?content|menu|search|close|back to top|read more|"
    r"loading\.*|image source:? ?.{0,40}|photo:? ?.{0,40}|"
    r"you may also like|related( articles| stories| posts)?|latest posts|"
    r"most (read|popular)|trending( now)?|tags?:.*)$",
    re.IGNORECASE,
)

# Lines after which the article is over: what follows is comments, teasers and navigation.
_END_MARKER = re.compile(
    r"^(leave a (comment|reply)|comments are closed\.?|you may also like|also read|"
    r"related (articles|stories|posts)|read more( news)?( on)?|latest posts|next story|"
    r"end of article|source link|the rights to this material belong to.*|"
    r"original publication|share this( article| story)?:?|more from .{0,40}|"
    r"your email address will not be published.*)$",
    re.IGNORECASE,
)

_BREADCRUMB = re.compile(r"^(home|start|main page)\s*[»›>/|]\s*", re.IGNORECASE)
_STRAY_TAG = re.compile(
    r"<\s*/?\s*(h[1-6]|p|div|span|br|b|i|em|strong|a|li|ul|ol|blockquote)\s*/?\s*>", re.IGNORECASE
)
_SPACES = re.compile(r"[ \t\u00a0\u200b]+")
_BULLET = re.compile(r"^\s*[•·▪●◦‣∙*-]\s+")


@functools.lru_cache(maxsize=4096)
def _script_of(ch: str) -> str:
    """A coarse script name for a letter: LATIN, CYRILLIC, CJK, ARABIC, ..."""
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return "OTHER"
    first = name.split(" ", 1)[0]
    return "CJK" if first in {"CJK", "HIRAGANA", "KATAKANA", "HANGUL"} else first


_ASCII_LETTERS = re.compile(r"[A-Za-z]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _letter_scripts(text: str) -> Counter[str]:
    """Letters per script. Only non-ASCII characters are looked up by name.

    An ASCII line is all Latin: it is weighed by its length, which for the majority vote
    and the foreign-line test is as good as counting its letters, and far cheaper.
    """
    if text.isascii():
        return Counter({"LATIN": len(text)}) if _ASCII_LETTERS.search(text) else Counter()
    counts: Counter[str] = Counter()
    latin = len(_ASCII_LETTERS.findall(text))
    if latin:
        counts["LATIN"] = latin
    counts.update(_script_of(ch) for ch in _NON_ASCII.findall(text) if ch.isalpha())
    return counts


def _main_script(scripts: list[Counter[str]]) -> str:
    counts: Counter[str] = Counter()
    for line_counts in scripts:
        counts.update(line_counts)
    return counts.most_common(1)[0][0] if counts else "LATIN"


def _foreign(counts: Counter[str], script: str) -> bool:
    """True for a line written mostly in a script other than the article's."""
    total = sum(counts.values())
    return total > 0 and counts[script] < 0.5 * total


def _norm_key(line: str) -> str:
    return re.sub(r"\W+", " ", line).strip().casefold()


def _is_furniture(line: str) -> bool:
    stripped = _BULLET.sub("", line).strip()
    if not any(ch.isalpha() for ch in stripped):
        return True  # counters, dates, times, separators: "1001", "22.09 06:34", "* * *"
    return bool(_BOILERPLATE_LINE.match(stripped.rstrip(":")))


def clean_lines(raw_lines: list[str]) -> tuple[str, list[str]]:
    """Clean a scraped article's lines; return its title and the paragraphs of its text.

    1. Stray markup such as ``< /h2>`` is removed and white space is tidied.
    2. Breadcrumbs (``Home » Title``) are dropped.
    3. Furniture lines (``Advertisement``, counters, "Leave a comment") are dropped.
    4. Lines in another script than the article's (site menus) are dropped.
    5. The article ends at an end marker ("Comments are closed", "Also read") found in
       its last third; what follows is teasers and navigation.
    6. The title is the first remaining line; its repeats and any line repeated
       straight after itself are dropped.
    """
    # One pass over the whole text rather than two regex calls per line.
    joined = _SPACES.sub(" ", _STRAY_TAG.sub("", "\n".join(raw_lines)))
    content = [ln.strip() for ln in joined.split("\n")]
    content = [ln for ln in content if ln]
    scripts = [_letter_scripts(ln) for ln in content]
    script = _main_script(scripts)

    kept: list[str] = []
    for line, line_scripts in zip(content, scripts, strict=True):
        if _BREADCRUMB.match(line) or _is_furniture(line) or _foreign(line_scripts, script):
            # Keep end markers for step 5 even though they are furniture.
            if _END_MARKER.match(line.rstrip(":")):
                kept.append(line)
            continue
        kept.append(line)

    # Step 5: cut at the first end marker in the last third of the article's characters.
    total_chars = sum(len(ln) for ln in kept) or 1
    running = 0
    for i, line in enumerate(kept):
        if _END_MARKER.match(line.rstrip(":")) and running >= total_chars * 2 / 3:
            kept = kept[:i]
            break
        running += len(line)
    kept = [ln for ln in kept if not _END_MARKER.match(ln.rstrip(":"))]

    if not kept:
        return "", []
    title = kept[0]
    title_key = _norm_key(title)
    paragraphs: list[str] = []
    previous_key = None
    for line in kept[1:]:
        key = _norm_key(line)
        if key in (title_key, previous_key):
            continue
        previous_key = key
        paragraphs.append(_BULLET.sub("• ", line))
    return title, paragraphs


def _strip_markdown(line: str) -> str:
    line = re.sub(r"^#{1,6}\s+", "", line)
    line = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", line)
    line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)
    line = re.sub(r"(\*\*|__)(.+?)\1", r"\2", line)
    return line


# --------------------------------------------------------------------------- dates

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_PATTERNS = [
    (re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b"), ("y", "m", "d")),
    (
        re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? ({_MONTH_RE})\.?,? ((?:19|20)\d\d)\b", re.I),
        ("d", "M", "y"),
    ),
    (
        re.compile(rf"\b({_MONTH_RE})\.? (\d{{1,2}})(?:st|nd|rd|th)?,? ((?:19|20)\d\d)\b", re.I),
        ("M", "d", "y"),
    ),
]


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def find_date(text: str) -> str | None:
    """The first full calendar date (with a year) the text gives, as ISO ``YYYY-MM-DD``.

    Only the few characters around each four-digit year are examined, which keeps this
    cheap on long texts.
    """
    for year in _YEAR.finditer(text):
        window_start = max(0, year.start() - 20)
        window = text[window_start : year.end() + 6]
        found: list[tuple[int, str]] = []
        for pattern, order in _DATE_PATTERNS:
            for m in pattern.finditer(window):
                parts = dict(zip(order, m.groups(), strict=True))
                try:
                    month = _MONTHS[parts["M"].lower()] if "M" in parts else int(parts["m"])
                    d = date(int(parts["y"]), month, int(parts["d"]))
                except (ValueError, KeyError):
                    continue
                found.append((m.start(), d.isoformat()))
        if found:
            return min(found)[1]
    return None


# --------------------------------------------------------------------------- documents


@dataclass
class ParsedFile:
    """A file read and cleaned, before it is given an id."""

    path: str
    sha: str
    title: str
    text: str
    date: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def to_document(self, doc_id: str) -> Document:
        return Document(
            id=doc_id,
            title=self.title,
            path=self.path,
            text=self.text,
            sha=self.sha,
            date=self.date,
            words=word_count(self.text),
        )


def parse_text(raw: str, suffix: str = ".txt", path: str = "") -> tuple[str, str, str | None]:
    """Clean raw file text into (title, reader text, date)."""
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    meta_date = None
    html_title = ""
    if suffix in {".html", ".htm"}:
        raw, html_title, meta_date = html_to_text(raw)
    lines = raw.split("\n")
    if suffix in {".md", ".markdown"}:
        lines = [_strip_markdown(ln) for ln in lines]
    title, paragraphs = clean_lines(lines)
    if html_title and not title:
        title = html_title
    text = "\n\n".join(paragraphs)
    if not title and not text:
        raise SkippedFile("no text after removing page furniture")
    if not title:
        title = Path(path).stem if path else "Untitled"
    found = None
    if meta_date:
        found = find_date(meta_date) or (
            meta_date[:10] if re.match(r"\d{4}-\d\d-\d\d", meta_date) else None
        )
    return title[:300], text, found or find_date(text[:3000])


def parse_file(
    path: Path, max_bytes: int = MAX_FILE_BYTES, data: bytes | None = None
) -> ParsedFile:
    """Read and clean one file, or raise :class:`SkippedFile` with the reason."""
    if data is None:
        data = read_bytes(path, max_bytes)
    raw = decode(data)
    if not raw.strip():
        raise SkippedFile("empty file (only white space)")
    title, text, found_date = parse_text(raw, path.suffix.lower(), str(path))
    return ParsedFile(
        path=str(path), sha=content_hash(data), title=title, text=text, date=found_date
    )
