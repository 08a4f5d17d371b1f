"""An institution's representatives, who propose corrections through a signed link."""

from django.db import models

from programs.models.institutions import Institution


def new_representative_key() -> str:
    import secrets

    return secrets.token_urlsafe(24)


class Representative(models.Model):
    """Someone who asked, with an address on an institution's own domain, to update its listing
    (programs.representatives). The signed link sent to that address refers to this row by its
    random key; nothing else grants access, and the link expires."""

    institution = models.ForeignKey(
        Institution,
        on_delete=models.CASCADE,
        related_name="representatives",
        help_text="The institution whose listing they update.",
    )
    email = models.EmailField(help_text="Their address, on the institution's own domain.")
    key = models.CharField(
        max_length=40,
        unique=True,
        default=new_representative_key,
        editable=False,
        help_text="Random; the signed link refers to the request by it.",
    )
    created_at = models.DateTimeField(auto_now_add=True, help_text="When the link was asked for.")
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the link was first opened."
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.institution})"

    def affects_public_pages(self) -> bool:
        return False
