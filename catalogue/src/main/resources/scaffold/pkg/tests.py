"""__NAME__'s tests, run inside its image (ci/test does this):
`docker run --rm -e DATABASE_ENGINE=sqlite -e CACHE_BACKEND=locmem IMAGE python3 manage.py test`."""
import io

from django.core.management import call_command
from django.test import TestCase, override_settings

from __PACKAGE__.models import Note


@override_settings(APP_VERSION="9.9.9-test")
class NotesTest(TestCase):
    def test_a_posted_note_is_listed(self):
        self.assertEqual(self.client.post("/", {"text": "first"}).status_code, 302)
        page = self.client.get("/").content.decode()
        self.assertIn("<li>first</li>", page)
        self.assertIn("9.9.9-test", page)

    def test_an_empty_note_is_not_kept(self):
        self.client.post("/", {"text": "  "})
        self.assertEqual(Note.objects.count(), 0)

    def test_stats_count_the_notes(self):
        Note.objects.create(text="x")
        self.assertEqual(self.client.get("/api/stats").json(), {"app": "__NAME__", "notes": 1, "version": "9.9.9-test"})

    def test_healthy_with_database_and_cache(self):
        self.assertEqual(self.client.get("/healthz").json()["status"], "ok")


class MigrationsTest(TestCase):
    def test_models_and_migrations_agree(self):
        call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())
