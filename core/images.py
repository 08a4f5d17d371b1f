"""Validation of uploaded images: real PNG, JPEG or WebP files within a size and pixel limit."""

import io
import uuid
import warnings
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps

ALLOWED_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "WEBP": "WebP"}


def validate_image(file: Any) -> None:
    """Refuse anything that is not a PNG, JPEG or WebP within the configured limits.

    The dimensions are read from the header before any pixel is decoded, so an image built to
    expand into gigabytes (a decompression bomb) is refused without being decompressed.
    """
    max_bytes = settings.IMAGE_UPLOAD_MAX_BYTES
    max_pixels = settings.IMAGE_UPLOAD_MAX_PIXELS
    if file.size > max_bytes:
        raise ValidationError(
            f"This file is {filesizeformat(file.size)}; the limit is {filesizeformat(max_bytes)}.",
            code="file_too_large",
        )
    position = file.tell() if hasattr(file, "tell") else 0
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                image_format = image.format
                width, height = image.size
                if image_format in ALLOWED_FORMATS and width * height <= max_pixels:
                    image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            "This image has too many pixels to be processed safely.", code="too_many_pixels"
        ) from None
    except Exception:
        raise ValidationError(
            "This file is not a valid image. Upload a PNG, JPEG or WebP file.",
            code="invalid_image",
        ) from None
    finally:
        file.seek(position)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(
            f"{image_format or 'This'} images are not accepted. Upload a PNG, JPEG or WebP file.",
            code="invalid_format",
        )
    if width * height > max_pixels:
        raise ValidationError(
            f"This image is {width}×{height} pixels; the limit is {max_pixels:,} pixels in all "
            "(for example 2000×2000).",
            code="too_many_pixels",
        )


EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


def reencode(file: Any) -> ContentFile:
    """A copy of an accepted image holding its pixels only, under a generated name.

    Metadata (EXIF with camera, place and date, comments, colour profiles) is dropped by
    rebuilding the image from its pixels; a photo turned by its EXIF orientation is turned first.
    """
    file.seek(0)
    with Image.open(file) as opened:
        image_format = opened.format or ""
        image: Image.Image = ImageOps.exif_transpose(opened)
        if image.mode not in {"RGB", "RGBA", "L", "LA"}:
            image = image.convert("RGBA" if image_format != "JPEG" else "RGB")
        if image_format == "JPEG" and image.mode in {"RGBA", "LA"}:
            image = image.convert("RGB")
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
    buffer = io.BytesIO()
    options = {"quality": 90} if image_format in {"JPEG", "WEBP"} else {"optimize": True}
    clean.save(buffer, image_format, **options)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.{EXTENSIONS[image_format]}")
