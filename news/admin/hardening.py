"""The admin, hardened against crafted input that Django's own views answer with a 500."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect


def is_key(field, value):
    """Return whether `value` is a valid value for the key `field`, within its column's range."""
    try:
        field.run_validators(field.to_python(value))
    except ValidationError:
        return False
    return True


class SafeAutocompleteSelect(AutocompleteSelect):
    """Render a form sent back with a value that is no key as if the field were empty.

    Django's widget looks the posted value up to show its label: "abc" for an integer
    key raises ValueError while the form with its error message is drawn.
    """

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        key = remote.model._meta.get_field(remote.field_name)
        return super().optgroups(name, [v for v in value if is_key(key, v)], attr)


class SafeAutocompleteMixin:
    """Use SafeAutocompleteSelect for a ModelAdmin's or an inline's autocomplete_fields."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class HardenedAdminMixin(SafeAutocompleteMixin):
    """Also refuse a bulk action on selected rows that are no keys (Django raises ValueError)."""

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(is_key(self.opts.pk, value) for value in selected):
            self.message_user(request, "Ongeldige selectie; er is niets gewijzigd.", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)
