"""The FAIL_PERCENT switch (hello/failures.py), inside the image like counter/tests.py."""
from django.core.exceptions import ImproperlyConfigured
from django.test import TestCase, override_settings


class FailPercentTest(TestCase):
    def answers(self, path, count):
        return [self.client.get(path) for _ in range(count)]

    @override_settings(FAIL_PERCENT="0")
    def test_zero_fails_nothing(self):
        self.assertEqual({answer.status_code for answer in self.answers("/api/stats", 100)}, {200})

    @override_settings(FAIL_PERCENT="20")
    def test_exactly_that_share_of_requests_fails_and_says_why(self):
        answers = self.answers("/api/stats", 200)
        codes = [answer.status_code for answer in answers]
        self.assertEqual((codes.count(500), codes.count(200)), (40, 160))
        self.assertEqual(codes[:10], [200, 200, 200, 200, 500] * 2)  # evenly spread: every fifth
        self.assertEqual(answers[4].content, b"failed on purpose (FAIL_PERCENT=20)\n")

    @override_settings(FAIL_PERCENT="100")
    def test_the_health_check_never_fails(self):
        self.assertEqual({answer.status_code for answer in self.answers("/healthz", 20)}, {200})
        self.assertEqual({answer.status_code for answer in self.answers("/", 20)}, {500})

    @override_settings(FAIL_PERCENT="lots")
    def test_a_value_that_is_no_percentage_is_refused(self):
        with self.assertRaisesMessage(ImproperlyConfigured, "FAIL_PERCENT must be a whole number from 0 to 100, not 'lots'"):
            self.client.get("/")
