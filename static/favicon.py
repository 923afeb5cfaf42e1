# Draws static/favicon.svg's shapes at 16, 32 and 48 px (4x4 samples a pixel) and
# writes them as PNGs inside one .ico, with Python's standard library only:
#   python3 static/favicon.py static/favicon.ico
# Change the shapes here and in favicon.svg together.
import struct, zlib, sys

BLUE, YELLOW, WHITE = (0x0b, 0x57, 0xd0), (0xff, 0xd5, 0x4f), (0xff, 0xff, 0xff)

def rrect(x, y, x0, y0, w, h, r):
    if not (x0 <= x <= x0 + w and y0 <= y <= y0 + h):
        return False
    cx = min(max(x, x0 + r), x0 + w - r)
    cy = min(max(y, y0 + r), y0 + h - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r

def tri(x, y, a, b, c):
    def s(p, q, r):
        return (p[0] - r[0]) * (q[1] - r[1]) - (q[0] - r[0]) * (p[1] - r[1])
    d1, d2, d3 = s((x, y), a, b), s((x, y), b, c), s((x, y), c, a)
    neg = d1 < 0 or d2 < 0 or d3 < 0
    pos = d1 > 0 or d2 > 0 or d3 > 0
    return not (neg and pos)

def colour(x, y):
    """The colour at (x, y) in the SVG's 64-unit box, None outside."""
    if rrect(x, y, 6, 11, 38, 26, 6) or tri(x, y, (14, 35), (24, 35), (14, 45)):
        return WHITE
    if rrect(x, y, 26, 26, 32, 24, 6) or tri(x, y, (42, 48), (52, 48), (52, 57)):
        return YELLOW
    if rrect(x, y, 0, 0, 64, 64, 14):
        return BLUE
    return None

def png(size):
    n = 4
    rows = []
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(n):
                for sx in range(n):
                    x = (px + (sx + 0.5) / n) * 64 / size
                    y = (py + (sy + 0.5) / n) * 64 / size
                    c = colour(x, y)
                    if c:
                        acc[0] += c[0]; acc[1] += c[1]; acc[2] += c[2]; acc[3] += 1
            a = acc[3]
            if a:
                row += bytes([acc[0] // a, acc[1] // a, acc[2] // a, a * 255 // (n * n)])
            else:
                row += bytes(4)
        rows.append(bytes(row))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b"")

sizes = [16, 32, 48]
images = [png(s) for s in sizes]
out = struct.pack("<HHH", 0, 1, len(images))
offset = 6 + 16 * len(images)
for s, data in zip(sizes, images):
    out += struct.pack("<BBBBHHII", s, s, 0, 0, 1, 32, len(data), offset)
    offset += len(data)
out += b"".join(images)
open(sys.argv[1], "wb").write(out)

