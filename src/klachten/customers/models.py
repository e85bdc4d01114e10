"""The customer file (klantmap): who the customer is and how to reach them (R5, R6)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klachten.domain.addressing import Salutation

SALUTATION_CHOICES = [
    (Salutation.MRS.value, _("mevrouw")),
    (Salutation.MR.value, _("heer")),
    (Salutation.NONE.value, _("geen voorkeur")),
]


class CustomerFile(models.Model):
    """One customer's file: NAW, contact details and, through complaints, their history (R5).

    NAW (name, address, town) is required and checked with the customer by an employee (R6);
    ``naw_checked_by``/``naw_checked_at`` record who did that and when.
    """

    name = models.CharField(_("naam"), max_length=200)
    street = models.CharField(_("straat"), max_length=200)
    house_number = models.CharField(_("huisnummer"), max_length=20)
    postcode = models.CharField(_("postcode"), max_length=20, db_index=True)
    town = models.CharField(_("woonplaats"), max_length=100)
    country = models.CharField(_("land"), max_length=2, default="NL")
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=30, blank=True)
    # How letters address the customer: "Geachte mevrouw De Vries," ("" : the full name).
    salutation = models.CharField(
        _("aanhef"), max_length=10, choices=SALUTATION_CHOICES, blank=True, default=""
    )
    naw_checked_at = models.DateTimeField(_("NAW gecontroleerd op"), null=True, blank=True)
    naw_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("NAW gecontroleerd door"),
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    # R5: the NAW was removed once the last complaint in the file passed its retention term,
    # or on the customer's request (AVG).
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("klantmap")
        verbose_name_plural = _("klantmappen")
        indexes = (models.Index(fields=["name"]), models.Index(fields=["email"]))

    def __str__(self) -> str:
        return f"{self.name}, {self.postcode} {self.town}"
