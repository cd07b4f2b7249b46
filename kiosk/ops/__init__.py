"""Running a hub: the multi-process server, backups, the purge schedule, the deployment guard and `voxbox doctor`."""
