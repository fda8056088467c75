"""Django project package: settings, root URLs and WSGI entry point, nothing else."""
