"""A text file's bytes as text: its encoding, and the refusal of binary files.

UTF-8 (a byte order mark ignored), UTF-16 after its byte order mark (Excel's "Unicode
text"), else Windows-1252 with a note saying so (a spreadsheet's export on Windows);
line ends of any system become ``\\n``.  A file that starts as a known binary format
does (gzip, a zip archive, ``.npy``, Parquet, ...), or holds NUL bytes, is refused in
words saying what it is and how to read it, rather than read as text gone wrong.
"""

from __future__ import annotations

from ._compression import read_bytes, split_suffix
from .errors import DataError


def _head_text(source: str, compression: str | None) -> str:
    """The complete lines at the start of a text file, two non-blank ones at least
    (unless the file has fewer): 64 KiB, or more when its lines are longer."""
    size = 65536
    while True:
        head = read_bytes(source, compression, size)
        _refuse_binary(head, source)
        if _encoding_of(head) == "utf-16":
            text = head.decode("utf-16", errors="replace")
        else:
            # Complete lines only: a character cut short would read as another encoding.
            text = _decoded(head if len(head) < size else head[: head.rfind(b"\n") + 1],
                            source)[0]
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if len(head) < size:
            return text  # the whole file
        text = text[: text.rfind("\n") + 1]  # the last line may be cut short
        if sum(1 for line in text.split("\n") if line.strip()) >= 2:
            return text
        size *= 4


def _read_text(path: str) -> tuple[str, str | None]:
    """The text of the file ``path`` with "\n" line ends, and a note when it is not
    UTF-8 (see :func:`_decoded`)."""
    raw = read_bytes(path, split_suffix(path)[1])
    _refuse_binary(raw, path)
    text, note = _decoded(raw, path)
    if "\r" in text:
        # Old Mac line endings would otherwise be one long line to str.split("\n").
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, note


def _decoded(raw: bytes, path: str) -> tuple[str, str | None]:
    """``raw`` decoded: UTF-8 (or UTF-16 after its byte order mark), else Windows-1252,
    with a note saying so (None for UTF-8).

    A text file that is not UTF-8 is most often a spreadsheet's export on Windows in
    Western Europe or the Americas (``Café``, ``São Paulo``): Windows-1252 reads it
    (Latin-1 when it holds a byte 1252 leaves undefined).  That is only when all
    before the first byte UTF-8 refuses is plain ASCII: a file that also holds UTF-8
    accents is UTF-8 with a stray byte, an error rather than every accent misread.
    Any other 8-bit encoding reads as some text too, so the note says how it was read
    and how to be sure.  A NUL byte means binary data, never text."""
    encoding = _encoding_of(raw)
    if encoding != "utf-16" and b"\x00" in raw:
        utf16 = _utf16_without_mark(raw)
        if utf16 is not None:
            raise DataError(f"the file is {utf16} text without a byte order mark (NUL "
                            "bytes between its letters); save it as UTF-8 (or with the "
                            "mark)", path=path)
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        raise DataError("not text: it holds NUL bytes, as binary data does (an array "
                        "written with tofile? save it with numpy.save, as .npy)",
                        path=path, line=line)
    try:
        return raw.decode(encoding), None
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        bad = raw[exc.start]
        if encoding != "utf-8-sig":
            raise DataError(
                f"the file is not UTF-16 text (byte {bad:#04x} at offset {exc.start}); it "
                "starts with UTF-16's byte order mark; save it again as UTF-8",
                path=path, line=line) from None
        if not raw[: exc.start].isascii():
            raise DataError(
                f"the file is not UTF-8 text (byte {bad:#04x} at offset {exc.start}, below "
                "UTF-8 text); save it as UTF-8", path=path, line=line) from None
    try:
        text, name = raw.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        text, name = raw.decode("latin-1"), "Latin-1"
    return text, (f"not UTF-8 (byte {bad:#04x} on line {line}), so read as {name}, "
                  "as spreadsheets on Windows write text; if words look wrong, save the "
                  "file as UTF-8")


def _utf16_without_mark(raw: bytes) -> str | None:
    """``"UTF-16-LE"`` or ``"UTF-16-BE"`` when the start of ``raw`` decodes as that
    encoding to lines of printable text (binary data holds NUL characters or
    unprintable ones; the other byte order has no line ends); None otherwise."""
    import codecs

    head = raw[:4096]
    for name in ("utf-16-le", "utf-16-be"):
        try:  # incrementally: a character cut short at the end waits, unread
            text = codecs.getincrementaldecoder(name)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        printable = sum(char.isprintable() or char in "\r\n\t" for char in text)
        if "\n" in text and "\x00" not in text and printable >= 0.98 * len(text):
            return name.upper()
    return None


#: The first bytes of binary files a text reader may be handed by mistake, and what to
#: say about each.
_BINARY_MAGIC = (
    (b"\x1f\x8b", "a gzip-compressed file: name it .csv.gz (or .tsv.gz, .txt.gz) to read "
                  "it decompressed"),
    (b"BZh", None),  # bzip2 needs more than its 3 letters: checked below
    (b"\xfd7zXZ\x00", "an xz-compressed file: name it .csv.xz to read it decompressed"),
    (b"PK\x03\x04", "a zip archive (a .npz model or data file, an Excel .xlsx, or a zipped "
                    "table: name a zipped CSV .csv.zip)"),
    (b"\x93NUMPY", "a NumPy .npy file: name it .npy"),
    (b"PAR1", "a Parquet file: name it .parquet"),  # only with a NUL byte (below)
    (b"\x89PNG", "a PNG picture"),
)


def _refuse_binary(raw: bytes, path: str) -> None:
    """DataError naming what a binary file handed to the text reader is (by its first
    bytes); nothing for what may be text."""
    binary = _binary_kind(raw)
    if binary is not None:
        raise DataError(f"not text but {binary}", path=path)


def _binary_kind(raw: bytes) -> str | None:
    """What a binary file handed to the text reader is, by its first bytes (None: it
    may be text)."""
    for magic, what in _BINARY_MAGIC:
        # "PAR1" may be text too (a CSV's first column name); text holds no NUL byte.
        if raw.startswith(magic) and (magic != b"PAR1" or b"\x00" in raw[:64]):
            if what is None:  # "BZh" then a block size digit and the block magic
                if raw[3:4].isdigit() and raw[4:10] == b"1AY&SY":
                    return ("a bzip2-compressed file: name it .csv.bz2 to read it "
                            "decompressed")
                continue
            return what
    return None


def _encoding_of(raw: bytes) -> str:
    """UTF-8 (with or without a byte order mark), or UTF-16 when a UTF-16 byte order
    mark says so (Excel's "Unicode text" export)."""
    import codecs

    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return "utf-8-sig"
