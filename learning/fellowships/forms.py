"""The fellowship application (public) and the reviewers' scoring form. The listing's filter
is in learning/fellowships/filters.py."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from learning.fellowships.models import MOTIVATION_MAX, FellowshipApplication


class FellowshipApplicationForm(forms.ModelForm):
    class Meta:
        model = FellowshipApplication
        fields = [
            "name",
            "email",
            "country",
            "institution",
            "role",
            "reform",
            "motivation",
            "consent_to_share",
        ]
        # The model's field names, in the reader's language (the models stay English).
        labels = {
            "name": _("Name"),
            "email": _("Email"),
            "country": _("Your country"),
            "institution": _("Your institution"),
            "role": _("Role"),
            "reform": _("Reform you lead"),
            "motivation": _("Motivation"),
            "consent_to_share": _(
                "I agree that my application is shared with the host institution"
            ),
        }
        help_texts = {
            "motivation": format_lazy(
                _(
                    "Why this placement, and what you will do with what you learn "
                    "(at most {max} characters)."
                ),
                max=MOTIVATION_MAX,
            ),
        }
        widgets = {"motivation": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, fellowship, **kwargs):
        super().__init__(*args, **kwargs)
        self.fellowship = fellowship
        self.fields["consent_to_share"].required = True
        self.fields["consent_to_share"].error_messages["required"] = _(
            "Please agree to share your application with the host: they take part in choosing."
        )
        self.fields["country"].empty_label = _("Choose your country")

    def clean_email(self):
        # A repeated application is valid here: the view answers it like a new one (so the
        # page never tells who applied) and emails the address instead.
        return self.cleaned_data["email"].strip().lower()

    def save(self, commit=True):
        self.instance.fellowship = self.fellowship
        self.instance.fellowship_title = self.fellowship.title
        return super().save(commit)


class ApplicationScoreForm(forms.Form):
    """One score (1 to 5) and a note per criterion of the application's fellowship."""

    SCORES = [("", _("Not scored")), *((str(n), str(n)) for n in range(1, 6))]

    def __init__(self, *args, criteria, initial_scores, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for position, criterion in enumerate(criteria):
            existing = initial_scores.get(criterion)
            self.fields[f"score_{position}"] = forms.TypedChoiceField(
                label=criterion,
                choices=self.SCORES,
                coerce=int,
                empty_value=None,
                required=False,
                initial=existing.score if existing else "",
            )
            self.fields[f"notes_{position}"] = forms.CharField(
                label=_("Notes on “%(criterion)s”") % {"criterion": criterion},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=existing.notes if existing else "",
            )

    def scores(self):
        """(criterion, score or None, notes) for every criterion."""
        return [
            (
                criterion,
                self.cleaned_data.get(f"score_{position}"),
                self.cleaned_data.get(f"notes_{position}", ""),
            )
            for position, criterion in enumerate(self.criteria)
        ]
