"""Health checks of our own for /health/ (django-health-check runs them beside its own)."""

import dataclasses
import datetime

from django.utils import timezone
from health_check.base import HealthCheck
from health_check.exceptions import ServiceWarning

from recommender.artifacts import current_version, published_at


@dataclasses.dataclass
class ModelArtifact(HealthCheck):
    """The fitted model web processes score with: present, and refitted by the nightly job.

    Without it the site still serves (popularity rails), so this is a warning, not an outage.
    """

    max_age: datetime.timedelta = datetime.timedelta(hours=36)  # nightly, with slack

    def run(self) -> None:
        version = current_version()
        if version is None:
            raise ServiceWarning("no fitted model yet: run manage.py recompute_recs")
        saved = published_at(version)
        if saved is None:
            raise ServiceWarning("the current model's files are missing")
        age = timezone.now() - saved
        if age > self.max_age:
            hours = int(age.total_seconds() // 3600)
            raise ServiceWarning(f"the model is {hours} hours old: is the nightly job running?")
