"""Staff with permission see individual learners' records, read-only; nobody else does."""

import pytest
from django.contrib.auth.models import Group, Permission

pytestmark = pytest.mark.django_db

RECORDS = "/admin/learner_records/"


def test_superuser_sees_each_learners_enrolment(client, django_user_model, enrollment):
    admin = django_user_model.objects.create_superuser("boss", "boss@example.org", "pw-boss-1")
    client.force_login(admin)

    response = client.get(RECORDS)

    assert response.status_code == 200
    assert str(enrollment.user) in response.content.decode()


def test_staff_granted_the_permission_can_read_but_not_edit_records(client, editor, enrollment):
    editor.user_permissions.add(Permission.objects.get(codename="view_enrollment"))
    client.force_login(editor)

    assert client.get(RECORDS).status_code == 200
    assert client.get(f"{RECORDS}new/").status_code in (302, 403)
    assert client.get(f"{RECORDS}edit/{enrollment.pk}/").status_code in (302, 403)


def test_editors_without_the_permission_do_not_see_individual_records(client, editor, enrollment):
    assert (
        not Group.objects.get(name="Editors")
        .permissions.filter(codename="view_enrollment")
        .exists()
    )
    client.force_login(editor)

    response = client.get(RECORDS)

    assert response.status_code in (302, 403)


def test_learner_never_reaches_the_records(client, learner, enrollment):
    client.force_login(learner)

    response = client.get(RECORDS)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
