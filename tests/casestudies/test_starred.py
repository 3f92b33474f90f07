import pytest

from casestudies.factories import CommitmentFactory
from casestudies.models import Commitment
from casestudies.models.commitments import is_starred

STAR = dict(
    specificity="high", relevant=True, potential_impact="transformative", completion="complete"
)


def test_specific_relevant_transformative_complete_commitment_is_starred():
    assert is_starred(**STAR)


@pytest.mark.parametrize(
    "change",
    [
        {"specificity": "low"},
        {"specificity": None},
        {"relevant": False},
        {"potential_impact": "moderate"},
        {"potential_impact": None},
        {"completion": "limited"},
        {"completion": None},
    ],
)
def test_commitment_missing_any_star_criterion_is_not_starred(change):
    assert not is_starred(**{**STAR, **change})


def test_substantial_completion_with_medium_specificity_earns_a_star():
    assert is_starred(**{**STAR, "specificity": "medium", "completion": "substantial"})


@pytest.mark.django_db
def test_saving_a_commitment_derives_starred_from_the_latest_completion():
    commitment = CommitmentFactory(
        specificity="high",
        potential_impact="transformative",
        completion_midterm="limited",
        completion_end_of_term="complete",
    )
    assert Commitment.objects.get(pk=commitment.pk).starred

    commitment.completion_end_of_term = "not_started"
    commitment.save()
    assert not Commitment.objects.get(pk=commitment.pk).starred


@pytest.mark.django_db
def test_unrated_commitment_is_not_assessed_rather_than_unstarred():
    commitment = CommitmentFactory()
    assert not commitment.is_assessed
    assert not commitment.starred
