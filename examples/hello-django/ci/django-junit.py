# Runs the app's Django test suite as `manage.py test --verbosity 2` does (its report on stderr) and prints
# the results as JUnit XML on stdout, for Jenkins' junit step (and so for GitLab). Read by ci/test through
# `python3 -` inside the app's image; exit status 1 when a test failed or erred.
import sys
import time
import unittest
from xml.sax.saxutils import escape, quoteattr

xml_out, sys.stdout = sys.stdout, sys.stderr
# The settings treat this run as `manage.py test` (no secret key needed for a throw-away test database).
sys.argv = ["manage.py", "test"]

import django  # noqa: E402 (after the redirect: Django's runner prints to stdout)

django.setup()
from django.test.runner import DiscoverRunner  # noqa: E402

cases = []


class Result(unittest.TextTestResult):
    def startTest(self, test):
        self.started = time.monotonic()
        super().startTest(test)

    def record(self, test, outcome, detail=""):
        elapsed = time.monotonic() - getattr(self, "started", time.monotonic())
        cases.append((test.id(), elapsed, outcome, detail))

    def addSuccess(self, test):
        super().addSuccess(test)
        self.record(test, "ok")

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.record(test, "failure", self._exc_info_to_string(err, test))

    def addError(self, test, err):
        super().addError(test, err)
        self.record(test, "error", self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.record(test, "skipped", reason)


class Runner(DiscoverRunner):
    def get_resultclass(self):
        return Result


failed = Runner(verbosity=2).run_tests([])
count = {outcome: sum(1 for case in cases if case[2] == outcome) for outcome in ("failure", "error", "skipped")}
xml_out.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="django" tests="%d" failures="%d" errors="%d" skipped="%d">\n'
              % (len(cases), count["failure"], count["error"], count["skipped"]))
for test_id, elapsed, outcome, detail in cases:
    classname, _, name = test_id.rpartition(".")
    xml_out.write('  <testcase classname=%s name=%s time="%.3f"' % (quoteattr(classname), quoteattr(name), elapsed))
    if outcome == "ok":
        xml_out.write("/>\n")
    else:
        message = quoteattr(detail.strip().splitlines()[-1] if detail.strip() else outcome)
        xml_out.write(">\n    <%s message=%s>%s</%s>\n  </testcase>\n" % (outcome, message, escape(detail), outcome))
xml_out.write("</testsuite>\n")
sys.exit(1 if failed else 0)
