"""Text that visitors write, made safe to show beside the site's own words."""

# Embeddings, overrides and isolates (U+202A to U+202E, U+2066 to U+2069): invisible characters
# that reorder what follows them, so "U+202E evil" shows as "live" and a file name can pass
# for another. Right-to-left writing needs none of them; the marks U+200E and U+200F stay.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def without_bidi_controls(text):
    return text.translate(BIDI_CONTROLS) if text else text
