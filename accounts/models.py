from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class HowLinked(models.TextChoices):
    NEW_ACCOUNT = "new account", "new account at its first sign-on"
    PASSWORD = "password", "proved with the account's password"
    ADMINISTRATOR = "administrator", "linked by an administrator"


class SignOnIdentity(models.Model):
    """A person at the council's identity provider, and the sendplan account they sign in as.

    The provider's issuer and subject name the person, never their e-mail (Entra ID's can
    be set by the tenant's own admins). One not yet linked is waiting: it met an account
    with the same e-mail, which it may become only when proved or linked by an admin.
    """

    issuer = models.CharField(max_length=300)
    # The ID token's sub; for Entra ID "<tid>/<oid>", its object id in its tenant, which
    # (unlike its sub) is the same for every app the council registers.
    subject = models.CharField(max_length=300)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sign_on_identities"
    )
    email = models.EmailField("e-mail the provider sent", blank=True)
    first_seen = models.DateTimeField(auto_now_add=True)
    linked_at = models.DateTimeField(null=True, blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    how_linked = models.CharField(max_length=20, choices=HowLinked.choices, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "single sign-on identity"
        verbose_name_plural = "single sign-on identities"
        # Also the index of the lookup every sign-on makes by issuer and subject.
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="one_identity_per_person")
        ]

    def __str__(self):
        return f"{self.email or self.subject} at {self.issuer}"

    @property
    def is_linked(self) -> bool:
        return self.linked_at is not None
