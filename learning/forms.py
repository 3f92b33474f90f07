"""Public forms: the fellowship application, scoring, peer introduction requests and their
rating. The listings' filters are in learning/filters.py."""

from django import forms

from casestudies.models import Theme
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
        labels = {"country": "Your country", "institution": "Your institution"}
        help_texts = {
            "motivation": f"Why this placement, and what you will do with what you learn "
            f"(at most {MOTIVATION_MAX} characters).",
        }
        widgets = {"motivation": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, fellowship, **kwargs):
        super().__init__(*args, **kwargs)
        self.fellowship = fellowship
        self.fields["consent_to_share"].required = True
        self.fields["consent_to_share"].error_messages["required"] = (
            "Please agree to share your application with the host: they take part in choosing."
        )
        self.fields["country"].empty_label = "Choose your country"

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

    SCORES = [("", "Not scored"), *((str(n), str(n)) for n in range(1, 6))]

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
                label=f"Notes on “{criterion}”",
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
        help_texts = {
            "organisation": "For example “Ministry of Justice, head of the transparency unit”.",
            "goal": "The reform you are working on, in a few words.",
            "theme": "The policy area closest to your reform, if one fits.",
            "what_to_learn": "What you would ask them: what worked, what stalled, how they "
            f"built support… (at most {LEARN_MAX} characters).",
        }
        widgets = {"what_to_learn": forms.Textarea(attrs={"rows": 6})}

    error_messages = {
        "own_country": "Choose your own country here: the introduction is to reformers in "
        "{peer}, a different country.",
    }

    def __init__(self, *args, peer_country, **kwargs):
        super().__init__(*args, **kwargs)
        self.peer_country = peer_country
        self.fields["country"].empty_label = "Choose your country"
        self.fields["theme"].empty_label = "Not sure / none of these"
        self.fields["theme"].queryset = Theme.objects.order_by("name")
        self.fields["consent"].required = True
        self.fields["consent"].error_messages["required"] = (
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
                self.error_messages["own_country"].format(peer=self.peer_country.name),
                code="own_country",
            )
        return country

    def save(self, commit=True):
        self.instance.peer_country = self.peer_country
        return super().save(commit)


class IntroductionRatingForm(forms.ModelForm):
    """After an introduction: was the peer useful? (1 to 5, and an optional comment)."""

    RATINGS = [
        (5, "5 — very useful"),
        (4, "4 — useful"),
        (3, "3 — somewhat useful"),
        (2, "2 — of little use"),
        (1, "1 — not useful"),
    ]

    rating = forms.TypedChoiceField(
        label="How useful was this peer for your reform?",
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how useful the introduction was, from 1 to 5."},
    )

    class Meta:
        model = IntroductionRequest
        fields = ["rating", "rating_comment"]
        labels = {"rating_comment": "Anything we should know? (optional)"}
        help_texts = {
            "rating_comment": "Editors read comments without your name, to choose better "
            f"peers (at most {RATING_COMMENT_MAX} characters)."
        }
        widgets = {"rating_comment": forms.Textarea(attrs={"rows": 3})}
