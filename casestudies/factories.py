"""Factories for tests (and anything that needs plausible records quickly).

Values they invent are test data, never shown as real: names come from Faker
and ISO codes from a reserved-looking range where it matters.
"""

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from casestudies.models import (
    CaseStudyIndexPage,
    CaseStudyPage,
    CaseStudyStatus,
    Commitment,
    Country,
    Theme,
)


class CountryFactory(DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ("iso3",)

    iso3 = factory.Sequence(lambda n: f"Q{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    name = factory.Faker("country")
    region = "Sub-Saharan Africa"
    income_group = "Lower middle income"
    population = 10_000_000
    population_year = 2024
    gdp_per_capita = 1500.0
    gdp_per_capita_year = 2022
    wgi_year = 2022
    voice_accountability = 0.1
    political_stability = -0.2
    government_effectiveness = -0.3
    regulatory_quality = -0.1
    rule_of_law = -0.2
    control_of_corruption = -0.4


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Policy area {n}")
    slug = factory.Sequence(lambda n: f"policy-area-{n}")
    description = factory.Faker("sentence")
    synonyms = ""


class CommitmentFactory(DjangoModelFactory):
    class Meta:
        model = Commitment
        django_get_or_create = ("identifier",)
        skip_postgeneration_save = True

    identifier = factory.Sequence(lambda n: f"TS{n:04d}")
    country = factory.SubFactory(CountryFactory)
    member_name = factory.LazyAttribute(lambda o: o.country.name)
    action_plan_id = factory.LazyAttribute(lambda o: f"AP_{o.country.iso3}01")
    action_plan_number = 1
    plan_start_year = 2016
    plan_end_year = 2018
    title = factory.Faker("sentence", nb_words=6)
    value_access_to_information = True

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)


class CaseStudyIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CaseStudyIndexPage

    title = "Case studies"
    slug = "case-studies"


class CaseStudyPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CaseStudyPage
        skip_postgeneration_save = True

    title = factory.Faker("sentence", nb_words=5)
    country = factory.SubFactory(CountryFactory)
    status = CaseStudyStatus.IMPLEMENTED
    period_start = 2016
    period_end = 2018
    summary = factory.Faker("sentence", nb_words=20)

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if extracted:
            self.themes.set(extracted)
            if create:
                self.save()

    @factory.post_generation
    def commitments(self, create, extracted, **kwargs):
        if extracted:
            self.commitments.set(extracted)
            if create:
                self.save()
