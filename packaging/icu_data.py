"""A smaller ICU data library for the Linux bundle: root and English only.

PySide6's Linux wheels ship ICU 73, and its data library (``libicudata.so.73``) is 32 MB,
an eighth of the bundle. Qt uses ICU only for locale-aware services: collation
(``QCollator``), locale case mapping (``QLocale::toUpper``) and codecs beyond UTF and
Latin-1. Workbench's interface is English, and it reads articles in Python, never
through Qt's codecs. So the data keeps:

- everything that is not tied to a locale (Unicode properties, normalisation, case
  mapping, character names, break-iterator rules, the collation tables, time-zone and
  supplemental data, the index of locales);
- the root locale and the English locales (``en``, ``en_GB``, ...) in every tree;

and leaves out the legacy codepage converters (``*.cnv``), transliterators, the
dictionaries for Thai, Lao, Khmer, Burmese and CJK word breaking, and every other
locale's names, currencies, units and collation tailorings. For a locale left out, ICU
falls back to root, as it does for any locale it does not know.

The data lives in the library as one symbol, ``icudtNN_dat``, in ICU's "common data"
format: a header, a table of contents (item names sorted, with offsets), then the
items. :func:`trim` reads it out of the library, keeps the wanted items, and
:func:`build_library` assembles a new library exporting the same symbol with the
same soname, with the system's C compiler. Windows and macOS wheels use the system's
ICU and have no such library: nothing changes there.

    python packaging/icu_data.py LIBICUDATA [OUT]   # prints what it keeps; builds OUT
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ALIGN = 16
_LOCALE = re.compile(r"^[a-z]{2,3}(?:_[A-Za-z0-9]+)*$")
"""ICU locale ids as item names: en, en_GB, sr_Latn_BA, zh_Hant (not root, pool, res_index)."""
_NOT_LOCALES = {"res_index"}
_DROPPED_TREES = {"translit"}
_DROPPED_SUFFIXES = (".cnv", ".dict")


@dataclass
class CommonData:
    """ICU common data: the header bytes and the items, in table-of-contents order."""

    symbol: str
    header: bytes
    items: list[tuple[str, bytes]]

    def to_bytes(self) -> bytes:
        """The data in ICU's layout: offsets relative to the table of contents, items 16-aligned."""
        count = len(self.items)
        toc_size = 4 + 8 * count
        names = b"".join(name.encode("ascii") + b"\0" for name, _ in self.items)
        name_offsets, pos = [], toc_size
        for name, _ in self.items:
            name_offsets.append(pos)
            pos += len(name) + 1
        body = bytearray(names)
        data_offsets = []
        for _, item in self.items:
            pad = -(len(self.header) + toc_size + len(body)) % ALIGN
            body += b"\0" * pad
            data_offsets.append(toc_size + len(body))
            body += item
        toc = struct.pack("<I", count) + b"".join(
            struct.pack("<II", n, d) for n, d in zip(name_offsets, data_offsets, strict=True)
        )
        return self.header + toc + bytes(body)


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def read_library(path: Path) -> CommonData:
    """The common data inside an ICU data library (an ELF shared object)."""
    symbols = _run("readelf", "-s", "-W", str(path))
    found = re.search(
        r"\s([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+OBJECT\s+GLOBAL\s+\S+\s+\S+\s+(icudt\d+_dat)\b",
        symbols,
    )
    if not found:
        raise ValueError(f"{path.name} exports no icudtNN_dat symbol")
    address, size, symbol = int(found.group(1), 16), int(found.group(2), 0), found.group(3)
    offset = None
    for line in _run("readelf", "-l", "-W", str(path)).splitlines():
        fields = line.split()
        if fields and fields[0] == "LOAD":
            file_offset, vaddr, file_size = (
                int(fields[1], 16),
                int(fields[2], 16),
                int(fields[4], 16),
            )
            if vaddr <= address < vaddr + file_size:
                offset = file_offset + address - vaddr
    if offset is None:
        raise ValueError(f"{symbol} in {path.name} lies in no loaded segment")
    with open(path, "rb") as fh:
        fh.seek(offset)
        data = fh.read(size)
    return parse(data, symbol)


def parse(data: bytes, symbol: str) -> CommonData:
    header_size, magic1, magic2 = struct.unpack_from("<HBB", data, 0)
    if (magic1, magic2) != (0xDA, 0x27) or data[12:16] != b"CmnD":
        raise ValueError(f"{symbol} is not ICU common data")
    (count,) = struct.unpack_from("<I", data, header_size)
    toc = [struct.unpack_from("<II", data, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_offset, data_offset) in enumerate(toc):
        start = header_size + name_offset
        name = data[start : data.index(b"\0", start)].decode("ascii")
        end = header_size + toc[i + 1][1] if i + 1 < count else len(data)
        items.append((name, data[header_size + data_offset : end]))
    return CommonData(symbol, data[:header_size], items)


def wanted(name: str) -> bool:
    """Whether an item (``icudt73l/coll/de.res``) stays in the English-only data."""
    parts = name.split("/")[1:]  # drop the package name
    if name.endswith(_DROPPED_SUFFIXES) or (len(parts) > 1 and parts[0] in _DROPPED_TREES):
        return False
    stem = parts[-1].rsplit(".", 1)[0]
    if not name.endswith(".res") or stem in _NOT_LOCALES or not _LOCALE.match(stem):
        return True  # not a locale: properties, rules, tables, indexes
    return stem == "en" or stem.startswith("en_")


def trim(data: CommonData) -> CommonData:
    return CommonData(data.symbol, data.header, [(n, b) for n, b in data.items if wanted(n)])


def build_library(data: CommonData, soname: str, out: Path, compiler: str = "cc") -> None:
    """Assemble a shared library exporting ``data.symbol`` (read-only, 16-aligned) as ``soname``."""
    with tempfile.TemporaryDirectory() as tmp:
        blob = Path(tmp) / "icudata.bin"
        blob.write_bytes(data.to_bytes())
        asm = Path(tmp) / "icudata.S"
        asm.write_text(
            f'    .section .rodata\n    .globl {data.symbol}\n    .type {data.symbol}, "object"\n'
            f'    .balign {ALIGN}\n{data.symbol}:\n    .incbin "{blob}"\n'
            f"    .size {data.symbol}, . - {data.symbol}\n"
            '    .section .note.GNU-stack,"",%progbits\n',
            "ascii",
        )
        subprocess.run(
            [compiler, "-shared", "-nostdlib", f"-Wl,-soname,{soname}", "-o", str(out), str(asm)],
            check=True,
            capture_output=True,
            text=True,
        )


def can_build() -> bool:
    return all(shutil.which(tool) for tool in ("cc", "readelf"))


def write_trimmed(full: CommonData, soname: str, out: Path) -> CommonData:
    """Build the English-only library from ``full`` at ``out``, checked by reading it back."""
    small = trim(full)
    build_library(small, soname, out)
    if read_library(out).items != small.items:
        raise ValueError(f"the rebuilt {soname} does not read back as written")
    return small


def smaller_library(src: Path, out: Path) -> tuple[int, int]:
    """Write the English-only copy of ``src`` to ``out``; returns (items kept, items in all)."""
    full = read_library(src)
    return len(write_trimmed(full, src.name, out).items), len(full.items)


if __name__ == "__main__":
    source = Path(sys.argv[1])
    full = read_library(source)
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else None
    kept = write_trimmed(full, source.name, target) if target else trim(full)
    print(
        f"{source.name}: {full.symbol}, {len(full.items)} items, keeping {len(kept.items)} "
        f"({sum(len(b) for _, b in kept.items) / 1e6:.1f} of {sum(len(b) for _, b in full.items) / 1e6:.1f} MB)"
        + (f" -> {target} ({target.stat().st_size / 1e6:.1f} MB)" if target else "")
    )
