from django.db import models


class Counter(models.Model):
    """A named count; the app keeps one row, "visits", created by migration 0001."""

    name = models.CharField(max_length=50, unique=True)
    value = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.name}={self.value}"
