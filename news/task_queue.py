"""The task queue in the site's database (django-tasks-db), fitted to a Dutch newsroom."""

from django.contrib import admin
from django_tasks_db.apps import TasksAppConfig


class TaskQueueConfig(TasksAppConfig):
    """django-tasks-db, without its English admin pages.

    Editors see what matters to them on the image itself (status, reason, "try again");
    whoever runs the site reads the worker's log or the table `django_tasks_database_dbtaskresult`.
    """

    verbose_name = "Achtergrondtaken"

    def ready(self):
        super().ready()
        from django_tasks_db.models import DBTaskResult

        # The admin registered every app's models before this runs (it is listed first).
        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)
