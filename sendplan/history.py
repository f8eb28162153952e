"""The audit history tables: simple-history's, plus the indexes our history reads need."""

from django.db import models
from simple_history.models import HistoricalRecords


class IndexedHistoricalRecords(HistoricalRecords):
    """HistoricalRecords whose history table also carries ``indexes``.

    simple-history builds the history model's Meta itself, so the indexes go in there;
    declared in the model, makemigrations keeps them in step like any other index.
    """

    def __init__(self, *args, indexes: list[models.Index], **kwargs):
        super().__init__(*args, **kwargs)
        self.indexes = indexes

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        options["indexes"] = [*options.get("indexes", ()), *self.indexes]
        return options
