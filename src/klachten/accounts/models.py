"""Staff members, their roles and their API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from klachten.accounts.validators import validate_no_control_characters


class Role(models.TextChoices):
    """Who may do what (R2): employees see their own complaints, management all of them.

    Admins keep the accounts and the settings; they read complaints, customer files and
    messages only when they are management too (``Staff.also_management``, #15 item 5).
    """

    EMPLOYEE = "employee", _("Medewerker")
    MANAGEMENT = "management", _("Directie")
    ADMIN = "admin", _("Beheerder")
    # Reads, never writes: the register, the figures, the measures and the dossiers management
    # sampled for an audit, without the customers' personal data (#16 item 4).
    AUDITOR = "auditor", _("Auditor")


class Staff(AbstractUser):
    """A staff member of Kerngroep; the user model from the first migration on.

    ``job_title`` and ``phone`` are printed on the employee's business card (R14). Names and
    the job title refuse control characters: they go into mail headers, vCards and calendar
    feeds (#10, item 19). ``language`` is the language of the mails the system sends them.
    """

    first_name = models.CharField(
        _("first name"), max_length=150, blank=True, validators=[validate_no_control_characters]
    )
    last_name = models.CharField(
        _("last name"), max_length=150, blank=True, validators=[validate_no_control_characters]
    )
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.EMPLOYEE)
    also_management = models.BooleanField(
        _("ook directie"),
        default=False,
        help_text=_(
            "Alleen voor een beheerder: ziet en behandelt ook alle meldingen, zoals de directie, "
            "en hoort van elke nieuwe melding."
        ),
    )
    job_title = models.CharField(
        _("functie"), max_length=100, blank=True, validators=[validate_no_control_characters]
    )
    phone = models.CharField(_("direct telefoonnummer"), max_length=30, blank=True)
    language = models.CharField(
        _("taal van de mails"),
        max_length=5,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("De taal van de berichten die Kerngroep Klachten u stuurt."),
    )

    class Meta:
        verbose_name = _("medewerker")
        verbose_name_plural = _("medewerkers")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_management(self) -> bool:
        """Management sees every complaint (R2) and is alerted of each one (R3); an admin only
        when also management (#15, item 5)."""
        return self.role == Role.MANAGEMENT or (self.role == Role.ADMIN and self.also_management)

    @property
    def role_label(self) -> str:
        """The role in words: "Beheerder en directie" for an admin who is management too."""
        if self.role == Role.ADMIN and self.also_management:
            return str(_("Beheerder en directie"))
        return str(self.get_role_display())

    @property
    def is_auditor(self) -> bool:
        """Reads the register, the figures, the measures and the sampled dossiers (#16)."""
        return self.role == Role.AUDITOR

    @property
    def may_see_figures(self) -> bool:
        """The dashboard, the register and the measures: management, and the auditor (read)."""
        return self.is_management or self.role == Role.AUDITOR

    @property
    def is_admin(self) -> bool:
        """Keeps the accounts (the admin site) and the settings."""
        return self.role == Role.ADMIN

    @property
    def may_change_settings(self) -> bool:
        """Management and admins keep *Instellingen* (UX.md); none of it is a complaint."""
        return self.role in {Role.MANAGEMENT, Role.ADMIN}


def management_filter() -> models.Q:
    """The staff who are management (``Staff.is_management``) as a query condition."""
    return models.Q(role=Role.MANAGEMENT) | models.Q(role=Role.ADMIN, also_management=True)


class ApiToken(models.Model):
    """A bearer token for the HTTP API. Only a SHA-256 digest is stored, never the token."""

    staff = models.ForeignKey(
        Staff, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("medewerker")
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("begin van de sleutel"),
        max_length=12,
        editable=False,
        help_text=_("Alleen om de sleutel te herkennen; de sleutel zelf wordt niet bewaard."),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.staff})"


class SecurityAction(models.TextChoices):
    """What happened to an account (#15): the staff-level security log, apart from the
    complaint audit log (R2), which lies a layer above the accounts."""

    LOGIN = "login", _("ingelogd")
    LOGIN_FAILED = "login_failed", _("inloggen mislukt")
    LOCKED_OUT = "locked_out", _("geblokkeerd na te veel mislukte pogingen")
    UNLOCKED = "unlocked", _("vrijgegeven")
    LOGOUT = "logout", _("uitgelogd")
    SESSION_EXPIRED = "session_expired", _("sessie verlopen")
    TOKEN_CREATED = "token_created", _("API-sleutel aangemaakt")
    TOKEN_REVOKED = "token_revoked", _("API-sleutel ingetrokken")
    TOKEN_REFUSED = "token_refused", _("ongeldige API-sleutel")
    ROLE_CHANGED = "role_changed", _("rol gewijzigd")
    PASSWORD_CHANGED = "password_changed", _("wachtwoord gewijzigd")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("wachtwoordherstel gevraagd")
    PASSWORD_RESET = "password_reset", _("wachtwoord hersteld")
    MFA_ADDED = "mfa_added", _("tweede stap toegevoegd")
    MFA_REMOVED = "mfa_removed", _("tweede stap verwijderd")
    MFA_CODES_RENEWED = "mfa_codes_renewed", _("herstelcodes vernieuwd")
    MFA_FAILED = "mfa_failed", _("tweede stap mislukt")
    SSO_LINKED = "sso_linked", _("gekoppeld aan de inlog van de organisatie")
    SSO_REFUSED = "sso_refused", _("inloggen via de organisatie geweigerd")


class SecurityEvent(models.Model):
    """One login, failed login, lockout, token or role change (#15, OWASP ASVS V7).

    Append-only, like the audit log. ``username`` is the account concerned as typed (a failed
    login may name no account at all); ``actor`` is who did it, when that is a staff member.
    """

    at = models.DateTimeField(_("tijdstip"))
    action = models.CharField(_("gebeurtenis"), max_length=30, choices=SecurityAction.choices)
    actor = models.ForeignKey(
        Staff,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("door"),
    )
    username = models.CharField(_("gebruikersnaam"), max_length=150, blank=True)
    address = models.CharField(_("adres"), max_length=45, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("beveiligingsgebeurtenis")
        verbose_name_plural = _("beveiligingslogboek")
        indexes = (
            models.Index(fields=["action", "address", "at"], name="security_action_address"),
            models.Index(fields=["username", "-at"], name="security_username_time"),
        )

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.username}"
