"""Certificate views: the public page at `/certificates/<code>/` and its PDF.

Course and lesson pages serve themselves (learning/serving.py); the fellowships' and
introductions' views are in their sub-packages.
"""

from django.shortcuts import redirect, render

from learning import progress
from learning.certificate_pdf import certificate_pdf_response
from learning.models import Certificate


def certificate(request, code, as_pdf=False):
    canonical = code.upper().replace("-", "").replace(" ", "")
    found = (
        Certificate.objects.select_related("enrollment__course").filter(code=canonical).first()
        if len(canonical) <= 40
        else None
    )
    if found is None:
        return render(
            request, "learning/certificate_not_found.html", {"code": code[:40]}, status=404
        )
    if canonical != code:
        if as_pdf:
            return redirect("learning:certificate_pdf", code=found.code)
        return redirect(found.get_absolute_url())
    if as_pdf:  # the same facts as the page, from the same context
        return certificate_pdf_response(certificate_context(request, found))
    return render(request, "learning/certificate.html", certificate_context(request, found))


def certificate_context(request, certificate: Certificate) -> dict:
    """Everything a certificate shows, for its page and for any other rendering of it (a
    PDF): `facts` lists each lesson done and each quiz passed, with dates."""
    course = certificate.enrollment.course
    return {
        "certificate": certificate,
        "facts": progress.certificate_facts(certificate),
        "course": course if course.live else None,
        "is_owner": request.user.is_authenticated
        and certificate.enrollment.user_id == request.user.pk,
        "verification_url": request.build_absolute_uri(certificate.get_absolute_url()),
    }
