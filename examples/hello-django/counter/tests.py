"""hello-django's contract: run inside the image with
`docker run --rm -e DATABASE_ENGINE=sqlite -e CACHE_BACKEND=locmem rinpoche/hello-django:TAG python3 manage.py test`."""
import io
import re
import time

from django.core.management import call_command
from django.test import TestCase, override_settings

from counter.models import Counter


def visits_on(page):
    return int(re.search(r'<span id="visits">(\d+)</span>', page.content.decode()).group(1))


@override_settings(APP_VERSION="9.9.9-test")
class CounterTest(TestCase):
    def test_each_get_of_the_page_counts_one_visit(self):
        first, second = self.client.get("/"), self.client.get("/")
        self.assertEqual((first.status_code, second.status_code), (200, 200))
        self.assertEqual((visits_on(first), visits_on(second)), (1, 2))
        self.assertEqual(Counter.objects.get(name="visits").value, 2)

    def test_the_page_shows_the_version_and_the_stylesheet(self):
        page = self.client.get("/").content.decode()
        self.assertIn('<span id="version">9.9.9-test</span>', page)
        self.assertIn('href="/static/counter/style.css"', page)

    def test_head_and_post_do_not_count(self):
        self.assertEqual(self.client.head("/").status_code, 200)
        self.assertEqual(self.client.post("/").status_code, 405)
        self.assertEqual(Counter.objects.get(name="visits").value, 0)

    def test_a_post_to_the_api_counts_one_visit_without_a_csrf_token(self):
        client = self.client_class(enforce_csrf_checks=True)
        answers = [client.post("/api/visits") for _ in range(2)]
        self.assertEqual([a.status_code for a in answers], [200, 200])
        self.assertEqual([a.json() for a in answers],
                         [{"visits": 1, "version": "9.9.9-test"}, {"visits": 2, "version": "9.9.9-test"}])
        self.assertEqual(client.get("/api/visits").status_code, 405)

    def test_stats_report_visits_and_version_without_counting_themselves(self):
        self.client.get("/")
        for _ in range(2):
            response = self.client.get("/api/stats")
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.json(), {"visits": 1, "version": "9.9.9-test"})


@override_settings(APP_VERSION="9.9.9-test")
class SlowTest(TestCase):
    def test_answers_after_the_time_asked_for(self):
        started = time.monotonic()
        response = self.client.get("/api/slow?ms=300")
        self.assertGreaterEqual(time.monotonic() - started, 0.3)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"slept_ms": 300, "version": "9.9.9-test"})

    def test_refuses_a_time_out_of_bounds_or_not_a_number_without_sleeping(self):
        for ms in ["-1", "5001", "1e3", "x"]:
            response = self.client.get("/api/slow?ms=" + ms)
            self.assertEqual(response.status_code, 400, ms)
            self.assertIn(b"from 0 to 5000", response.content)
        self.assertEqual(self.client.post("/api/slow?ms=1").status_code, 405)


@override_settings(APP_VERSION="9.9.9-test")
class HealthTest(TestCase):
    def test_healthy_with_database_and_cache(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok", "version": "9.9.9-test", "db": "ok", "cache": "ok"})

    @override_settings(
        CACHES={
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
                "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
            }
        }
    )
    def test_redis_down_is_503_naming_the_cache(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        body = response.json()
        self.assertEqual((body["status"], body["db"], body["version"]), ("error", "ok", "9.9.9-test"))
        self.assertRegex(body["cache"], r"^error: ConnectionError: .*127\.0\.0\.1:1")


class MigrationsTest(TestCase):
    def test_models_and_migrations_agree(self):
        # Exits (SystemExit 1) when a model change has no migration.
        call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())
