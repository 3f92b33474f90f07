"""Public forms: the fellowship application, scoring, peer introduction requests and their
rating. The listings' filters are in learning/filters.py."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from casestudies.models import Theme
from exchange.core.reference_names import (
    country_name,
)
from learning.models import (
    FellowshipApplication,
    IntroductionRequest,
)
from learning.models.fellowships import MOTIVATION_MAX
from learning.models.introductions import LEARN_MAX, RATING_COMMENT_MAX


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
        # The model's field names, in the reader's language (learning/models stays English).
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


class IntroductionRequestForm(forms.ModelForm):
    """Introduce me to reformers in <peer country> on <reform>: who I am, what I want."""

    class Meta:
        model = IntroductionRequest
        fields = [
            "name",
            "email",
            "country",
            "organisation",
            "goal",
            "theme",
            "what_to_learn",
            "consent",
        ]
        # The model's field names, in the reader's language (learning/models stays English).
        labels = {
            "name": _("Your name"),
            "email": _("Your email"),
            "country": _("Your country"),
            "organisation": _("Organisation and role"),
            "goal": _("The reform"),
            "theme": _("Theme"),
            "what_to_learn": _("What you want to learn"),
            "consent": _(
                "I agree that the Support Unit shares my name, email and request with the peer "
                "country's reformers"
            ),
        }
        help_texts = {
            "organisation": _("For example “Ministry of Justice, head of the transparency unit”."),
            "goal": _("The reform you are working on, in a few words."),
            "theme": _("The policy area closest to your reform, if one fits."),
            "what_to_learn": format_lazy(
                _(
                    "What you would ask them: what worked, what stalled, how they "
                    "built support… (at most {max} characters)."
                ),
                max=LEARN_MAX,
            ),
        }
        widgets = {"what_to_learn": forms.Textarea(attrs={"rows": 6})}

    error_messages = {
        "own_country": _(
            "Choose your own country here: the introduction is to reformers in "
            "{peer}, a different country."
        ),
    }

    def __init__(self, *args, peer_country, **kwargs):
        super().__init__(*args, **kwargs)
        self.peer_country = peer_country
        self.fields["country"].empty_label = _("Choose your country")
        self.fields["theme"].empty_label = _("Not sure / none of these")
        self.fields["theme"].queryset = Theme.objects.order_by("name")
        self.fields["consent"].required = True
        self.fields["consent"].error_messages["required"] = _(
            "Please agree that we share your request with them: an introduction needs it."
        )

    def clean_email(self):
        # One open request per email, peer country and theme: a repeat is valid here, and
        # learning.introductions.submit_request answers it like a new one (see there).
        return self.cleaned_data["email"].strip().lower()

    def clean_country(self):
        country = self.cleaned_data["country"]
        if country == self.peer_country:
            raise forms.ValidationError(
                self.error_messages["own_country"].format(
                    peer=country_name(self.peer_country.iso3, self.peer_country.name)
                ),
                code="own_country",
            )
        return country

    def save(self, commit=True):
        self.instance.peer_country = self.peer_country
        return super().save(commit)


class IntroductionRatingForm(forms.ModelForm):
    """After an introduction: was the peer useful? (1 to 5, and an optional comment)."""

    RATINGS = [
        (5, _("5 — very useful")),
        (4, _("4 — useful")),
        (3, _("3 — somewhat useful")),
        (2, _("2 — of little use")),
        (1, _("1 — not useful")),
    ]

    rating = forms.TypedChoiceField(
        label=_("How useful was this peer for your reform?"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how useful the introduction was, from 1 to 5.")},
    )

    class Meta:
        model = IntroductionRequest
        fields = ["rating", "rating_comment"]
        labels = {"rating_comment": _("Anything we should know? (optional)")}
        help_texts = {
            "rating_comment": format_lazy(
                _(
                    "Editors read comments without your name, to choose better "
                    "peers (at most {max} characters)."
                ),
                max=RATING_COMMENT_MAX,
            )
        }
        widgets = {"rating_comment": forms.Textarea(attrs={"rows": 3})}
