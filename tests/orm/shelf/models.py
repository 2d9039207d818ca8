"""The small app tests/orm/django_checks.py migrates: a publisher and its
books (foreign key, unique_together, an index, the common field types)."""
from django.db import models


class Publisher(models.Model):
    name = models.CharField(max_length=100, unique=True)
    founded = models.IntegerField(null=True)

    class Meta:
        app_label = "shelf"


class Book(models.Model):
    publisher = models.ForeignKey(Publisher, on_delete=models.CASCADE, related_name="books")
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    pages = models.IntegerField()
    price = models.DecimalField(max_digits=8, decimal_places=2)
    published_at = models.DateTimeField()
    in_print = models.BooleanField(default=True)
    isbn = models.CharField(max_length=20, default="")

    class Meta:
        app_label = "shelf"
        unique_together = [("publisher", "title")]
        indexes = [models.Index(fields=["published_at"], name="shelf_book_published_idx")]


class Document(models.Model):
    """Its own migration (0003): Tessera has no jsonb, so the JSONField is a known failure."""
    body = models.JSONField()

    class Meta:
        app_label = "shelf"
