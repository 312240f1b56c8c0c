import dagster as dg

from santa_videos.cleanup import RetentionPolicy


class RetentionResource(dg.ConfigurableResource):
    """How long things are kept, in hours: temp files, delivered orders' working files and Dagster records, dead
    letters (failed orders, kept longer so an operator sees them), and children's data."""

    temp_max_age_hours: int = 24
    jobs_max_age_hours: int = 168
    failed_max_age_hours: int = 720
    personal_data_max_age_hours: int = 720

    def policy(self) -> RetentionPolicy:
        return RetentionPolicy(
            temp_max_age_hours=self.temp_max_age_hours,
            jobs_max_age_hours=self.jobs_max_age_hours,
            failed_max_age_hours=self.failed_max_age_hours,
            personal_data_max_age_hours=self.personal_data_max_age_hours,
        )
