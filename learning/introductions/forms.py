"""Public forms: asking for a peer introduction, and rating it afterwards."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from casestudies.models import Theme
from exchange.core.reference_names import country_name
from learning.introductions.models import LEARN_MAX, RATING_COMMENT_MAX, IntroductionRequest


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
        # The model's field names, in the reader's language (the models stay English).
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
        # learning.introductions.services.submit_request answers it like a new one (see there).
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
