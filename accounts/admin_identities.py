"""A user's single sign-on identities in the user admin: linking a waiting one, unlinking.

Who may is accounts.identities.may_link: the service administrator for any account, a
plan admin for their areas' people (and those with no area yet) who are not staff.
"""

from django import forms
from django.contrib import admin

from sendplan import roles

from . import identities
from .models import HowLinked, SignOnIdentity


class SignOnIdentityForm(forms.ModelForm):
    link = forms.BooleanField(
        required=False,
        label="Link",
        help_text="Tick to let this council account sign in as this user.",
    )

    class Meta:
        model = SignOnIdentity
        fields = []


class SignOnIdentityInline(admin.TabularInline):
    model = SignOnIdentity
    fk_name = "user"
    form = SignOnIdentityForm
    extra = 0
    fields = ["email", "issuer", "subject", "first_seen", "linked", "link"]
    readonly_fields = ["email", "issuer", "subject", "first_seen", "linked"]
    verbose_name = "council account (single sign-on)"
    verbose_name_plural = "council accounts (single sign-on): a waiting one signs in once linked"

    @admin.display(description="Linked")
    def linked(self, identity):
        if not identity.is_linked:
            return "Waiting for a link"
        by = f" by {identity.linked_by}" if identity.linked_by else ""
        when = identity.linked_at.strftime("%d %b %Y %H:%M")
        return f"{HowLinked(identity.how_linked).label}{by}, {when}"

    def get_queryset(self, request):
        # Django's asks the permissions with no user to look at, which are refused here;
        # the inline is shown, with this user's rows, only where they are allowed.
        return SignOnIdentity.objects.select_related("linked_by")

    @staticmethod
    def _shown(obj) -> bool:
        # Only on the page of a user with some: forms for the others post no rows for it.
        return obj is not None and obj.sign_on_identities.exists()

    def has_view_permission(self, request, obj=None):
        return self._shown(obj) and roles.can_manage_people(request.user)

    def has_add_permission(self, request, obj=None):
        # Identities come from the provider at sign-on; they are not typed in.
        return False

    def has_change_permission(self, request, obj=None):
        return self._shown(obj) and identities.may_link(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return self._shown(obj) and identities.may_link(request.user, obj)

    @staticmethod
    def save_formset(request, formset):
        for form in formset.initial_forms:
            identity = form.instance
            if form.cleaned_data.get("link") and not identity.is_linked:
                identities.identity_link(
                    identity=identity, by=request.user, how=HowLinked.ADMINISTRATOR
                )
        formset.save(commit=False)
        for identity in formset.deleted_objects:
            identities.identity_unlink(identity=identity, by=request.user)
