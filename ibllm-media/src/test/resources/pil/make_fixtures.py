#!/usr/bin/python3
"""Reference fixtures for the image loader, made with Debian bookworm's Pillow 9.4.0 (the
reference's version, libjpeg-turbo 2.1.5). For every input: PIL's convert("RGB") (<name>.rgb.png)
and, for the resize cases, the reference geometry (torchvision Resize(224, BICUBIC) = PIL resize, CenterCrop(224) with
round-half-even offsets) as uint8 (<name>.224.png). Run from this directory:
    /usr/bin/python3 make_fixtures.py
"""
import json
import os
import struct
import zlib
import numpy as np
from PIL import Image

rng = np.random.default_rng(20231127)


def pattern(w, h, noise=6.0):
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    r = 128 + 100 * np.sin(x / 9.0) * np.cos(y / 13.0)
    g = 255 * (x + y) / (w + h)
    b = np.where(((x // 17) + (y // 11)) % 2 == 0, 30.0, 220.0)
    img = np.stack([r, g, b], -1) + rng.normal(0, noise, (h, w, 3))
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def reference_224(img):
    w, h = img.size
    if w <= h:
        size = (224, int(224 * h / w))
    else:
        size = (int(224 * w / h), 224)
    r = img.resize(size, Image.BICUBIC) if size != img.size else img.copy()
    left, top = int(round((size[0] - 224) / 2.0)), int(round((size[1] - 224) / 2.0))
    return r.crop((left, top, left + 224, top + 224))


cases = []


def raw_png(name, samples, bit_depth, color_type):
    """A PNG written by hand (PIL cannot write 16-bit RGB(A)/LA or 2/4-bit gray): samples [h, w, c]."""
    h, w, c = samples.shape
    if bit_depth == 16:
        rows = samples.astype(">u2").reshape(h, w * c).view(np.uint8).reshape(h, -1)
    elif bit_depth == 8:
        rows = samples.astype(np.uint8).reshape(h, w * c)
    else:
        per = 8 // bit_depth
        padded = np.zeros((h, (w + per - 1) // per * per), np.uint8)
        padded[:, :w] = samples[:, :, 0]
        packed = np.zeros((h, padded.shape[1] // per), np.uint8)
        for k in range(per):
            packed |= (padded[:, k::per] << (8 - bit_depth * (k + 1))).astype(np.uint8)
        rows = packed
    data = b"".join(b"\0" + r.tobytes() for r in rows)

    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", w, h, bit_depth, color_type, 0, 0, 0)
    with open(name, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(data)) + chunk(b"IEND", b""))


def add(name, img, crop=False, **save):
    if img is not None:
        img.save(name, **save)
    opened = Image.open(name)
    rgb = opened.convert("RGB")
    rgb.save(name + ".rgb.png")
    if crop:
        reference_224(rgb).save(name + ".224.png")
    cases.append({"file": name, "mode": opened.mode, "size": list(opened.size), "crop": crop})


rgb = Image.fromarray(pattern(131, 173, noise=4.0))
add("jpeg_420.jpg", rgb, crop=True, quality=85, subsampling=2)
add("jpeg_422.jpg", rgb, quality=85, subsampling=1)
add("jpeg_progressive.jpg", rgb, quality=90, subsampling=2, progressive=True)
add("jpeg_odd_420.jpg", Image.fromarray(pattern(101, 77)), quality=75, subsampling=2)
add("jpeg_gray.jpg", rgb.convert("L"), quality=88)
add("jpeg_cmyk.jpg", rgb.convert("CMYK"), quality=92)
rgba = Image.fromarray(np.dstack([pattern(97, 61), rng.integers(0, 256, (61, 97), dtype=np.uint8)]), "RGBA")
add("png_rgba.png", rgba)
pal = rgb.convert("P", palette=Image.ADAPTIVE, colors=61)
pal.info["transparency"] = 3
add("png_palette_trns.png", pal, transparency=3)
add("png_1bit.png", rgb.convert("L").point(lambda v: 255 if v > 127 else 0).convert("1"))
add("png_gray_trns.png", rgb.convert("L"), transparency=77)
add("png_rgb_trns.png", rgb, transparency=(30, 40, 50))
add("png_la.png", Image.merge("LA", [rgb.convert("L"), rgb.convert("L").point(lambda v: 255 - v)]))
g16 = (np.arange(90 * 70, dtype=np.uint32).reshape(70, 90) * 37 % 1024).astype(np.uint16)
add("png_gray16.png", Image.fromarray(g16, "I;16"))
add("tiff_gray16.tif", Image.fromarray(g16, "I;16"))
s16 = rng.integers(0, 65536, (23, 19, 4))
raw_png("png_rgb16.png", s16[:, :, :3], 16, 2)
add("png_rgb16.png", None)
raw_png("png_rgba16.png", s16, 16, 6)
add("png_rgba16.png", None)
raw_png("png_la16.png", s16[:, :, :2], 16, 4)
add("png_la16.png", None)
raw_png("png_gray2bit.png", rng.integers(0, 4, (23, 19, 1)), 2, 0)
add("png_gray2bit.png", None)
raw_png("png_gray4bit.png", rng.integers(0, 16, (23, 19, 1)), 4, 0)
add("png_gray4bit.png", None)
add("gif_palette.gif", pal)
add("bmp_rgb.bmp", rgb)


def offset_gif(name, transparency):
    """A GIF whose first frame (8x4) sits at (5, 3) on a 20x10 logical screen."""
    small = Image.fromarray((np.arange(32).reshape(4, 8) * 7 % 256).astype(np.uint8), "L").convert("P")
    small.putpalette([(i * 5) % 256 for i in range(768)])
    buf = "_tmp.gif"
    small.save(buf)
    b = bytearray(open(buf, "rb").read())
    os.remove(buf)
    b[6:10] = struct.pack("<HH", 20, 10)
    i = 13 + (3 * 2 ** ((b[10] & 7) + 1) if b[10] & 0x80 else 0)
    while b[i] == 0x21:  # skip extensions: introducer, label, sub-blocks
        i += 2
        while b[i]:
            i += b[i] + 1
        i += 1
    assert b[i] == 0x2C
    b[i + 1:i + 5] = struct.pack("<HH", 5, 3)
    if transparency is not None:  # a graphic control extension naming a transparent index
        b[0:6] = b"GIF89a"
        b[i:i] = bytes([0x21, 0xF9, 4, 1, 0, 0, transparency, 0])
    open(name, "wb").write(bytes(b))
    add(name, None)


offset_gif("gif_offset.gif", None)
offset_gif("gif_offset_trns.gif", 9)
add("bmp_palette.bmp", pal)
add("bmp_rgba.bmp", rgba)
add("bmp_gray.bmp", rgb.convert("L"))
add("tiff_rgb.tif", rgb)
add("webp_lossy.webp", rgb, quality=80)
add("webp_lossless.webp", rgb, lossless=True)
add("webp_rgba_lossless.webp", rgba, lossless=True)
add("webp_lossy_rgba_odd.webp", rgba, quality=80)
add("webp_lossy_odd.webp", Image.fromarray(pattern(101, 77)), quality=70)
add("webp_lossy_even.webp", Image.fromarray(pattern(96, 64)), quality=75)
for w, h in [(97, 301), (1000, 23), (224, 224), (225, 500), (400, 300), (300, 224), (150, 151)]:
    add("resize_%dx%d.png" % (w, h), Image.fromarray(pattern(w, h, noise=0.0)), crop=True)

with open("cases.json", "w") as f:
    json.dump(cases, f, indent=1)
print(len(cases), "cases")
