"""The demo: 张伟's filled library ticked into his draft, the province's checklist; loading
again changes nothing."""

from django.core.management import call_command

from zhicheng.achievements.models import Achievement, AchievementProof, MaterialChecklist


def test_demo_library_and_checklist_idempotent(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    library = Achievement.objects.filter(person__user__username="applicant_a")
    assert library.count() == 7
    assert AchievementProof.objects.filter(achievement__in=library).count() == 7
    assert library.filter(is_representative=True).exists()
    draft = library.first().application_links.get().application
    assert draft.status == "draft" and draft.achievement_links.count() == 7
    checklist = MaterialChecklist.objects.get()
    assert checklist.items.count() == 5
    call_command("load_demo", verbosity=0)
    assert library.count() == 7 and MaterialChecklist.objects.count() == 1
