"""The article form when someone else saved the article after the editor opened it."""

from django import forms
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime

from ..conflicts import CLASH, TEXT_FIELDS, Conflict, merge_set, merge_text, merge_value
from ..models import Article, Country
from ..tagging import parse_tags
from ..text import date_time


class ConflictFormMixin:
    """Refuse a save made from an older version, show what changed, and "keep both".

    The form shows again with the editor's text; saving again is a conscious overwrite.
    """

    conflict = None  # a news.conflicts.Conflict once a save was refused

    def _refuse_stale_version(self, opened_at):
        current = (
            Article.objects.select_for_update(of=("self",))
            .filter(pk=self.instance.pk)
            .values("version", "status", "updated_at", "updated_by__username",
                    "updated_by__first_name")
            .first()
        )  # fmt: skip
        if current is None:
            return
        live = current["status"] != Article.Status.DRAFT and not self.can_publish
        # "Keep both" never saves: it fills the form for the editor to check first.
        keep_both = "_keep_both" in self.data
        if opened_at == current["version"] and not live and not keep_both:
            return
        who = current["updated_by__first_name"] or current["updated_by__username"] or "iemand"
        when = date_time(current["updated_at"])
        base = self.data.get("conflict_base") or opened_at
        self.conflict = Conflict(self.instance.pk, base)
        # The form shows again with the editor's text; the next save is a conscious overwrite.
        self.data = self.data.copy()
        self.data["opened_version"] = current["version"]
        self.data["conflict_base"] = base
        if live:
            raise forms.ValidationError(
                f"Dit artikel is intussen gepubliceerd of ingepland door {who} op {when}. "
                "Alleen een eindredacteur kan het nu nog wijzigen. Uw wijzigingen zijn niet "
                "opgeslagen en staan hieronder: kopieer ze en geef ze door aan de eindredactie."
            )
        if keep_both:
            self._keep_both()
        raise forms.ValidationError(
            f"Dit artikel is intussen opgeslagen door {who} op {when}. Uw wijzigingen zijn "
            "nog niet opgeslagen en staan hieronder. Hieronder ziet u wat er intussen is "
            "veranderd: neem die wijzigingen over met „Beide wijzigingen bewaren”, of sla "
            "opnieuw op om ze te overschrijven."
        )

    def _keep_both(self):
        """Copy the other editor's changes into the posted data where they do not clash."""
        base, theirs = self.conflict.base, self.conflict.theirs
        if base is None:
            raise forms.ValidationError(
                "De versie die u opende is niet bewaard: neem de wijzigingen met de hand over."
            )
        clashes = []
        for name in TEXT_FIELDS:
            if name not in self.fields:
                continue
            merged = merge_text(base.get(name), self.data.get(name, ""), theirs.get(name))
            if merged is None:
                clashes.append(self.fields[name].label)
            else:
                self.data[name] = merged
        if "topics" in self.fields:
            mine = parse_tags(self.data.get("topics", ""))
            merged = merge_set(base.get("topics", []), mine, theirs.get("topics", []))
            names = [n for n in mine if n in merged] + sorted(merged - set(mine))
            self.data["topics"] = ", ".join(names)
        if "countries" in self.fields:
            codes = dict(Country.objects.values_list("pk", "code"))
            pks = {code: pk for pk, code in codes.items()}
            mine = [codes.get(int(pk)) for pk in self.data.getlist("countries") if pk.isdigit()]
            merged = merge_set(base.get("countries", []), mine, theirs.get("countries", []))
            self.data.setlist("countries", [str(pks[c]) for c in sorted(merged) if c in pks])
        if "status" in self.fields:
            status = merge_value(base.get("status"), self.data.get("status"), theirs["status"])
            if status is CLASH:
                clashes.append(self.fields["status"].label)
            else:
                self.data["status"] = status
        for name in ("published_at", "unpublish_at"):
            if name in self.fields and not self._keep_their_moment(name, base, theirs):
                clashes.append(self.fields[name].label)
        message = "De wijzigingen van de ander staan nu ook in het formulier. Controleer alles"
        if clashes:
            message += (
                "; in " + ", ".join(str(label) for label in clashes) + " veranderde u "
                "dezelfde passage als de ander: daar staat uw versie, de hunne ziet u hieronder"
            )
        raise forms.ValidationError(message + ", en sla dan op.")

    def _keep_their_moment(self, name, base, theirs):
        """Put their publication time in the form if only they changed it; False on a clash."""
        field = self.fields[name]
        try:
            mine = field.clean(field.widget.value_from_datadict(self.data, self.files, name))
        except forms.ValidationError:
            return True  # her own typing error: the form will say so
        moment = merge_value(
            parse_datetime(base[name]) if base.get(name) else None,
            mine,
            parse_datetime(theirs[name]) if theirs.get(name) else None,
        )
        if moment is CLASH:
            return False
        local = timezone.localtime(moment) if moment else None
        self.data[f"{name}_0"] = formats.localize_input(local.date()) if local else ""
        self.data[f"{name}_1"] = formats.localize_input(local.time()) if local else ""
        return True
