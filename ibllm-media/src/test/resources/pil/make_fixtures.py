#!/usr/bin/python3
"""Reference fixtures for the image loader, made with Debian bookworm's Pillow 9.4.0 (the
reference's version, libjpeg-turbo 2.1.5). For every input: PIL's convert("RGB") (<name>.rgb.png)
and, for the resize cases, the reference geometry (torchvision Resize(224, BICUBIC) = PIL resize, CenterCrop(224) with
round-half-even offsets) as uint8 (<name>.224.png). Run from this directory:
    /usr/bin/python3 make_fixtures.py
"""
import json
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


def add(name, img, crop=False, **save):
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
add("png_la.png", Image.merge("LA", [rgb.convert("L"), rgb.convert("L").point(lambda v: 255 - v)]))
g16 = (np.arange(90 * 70, dtype=np.uint32).reshape(70, 90) * 37 % 1024).astype(np.uint16)
add("png_gray16.png", Image.fromarray(g16, "I;16"))
add("tiff_gray16.tif", Image.fromarray(g16, "I;16"))
add("gif_palette.gif", pal)
add("bmp_rgb.bmp", rgb)
add("bmp_palette.bmp", pal)
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
