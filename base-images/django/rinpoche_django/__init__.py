"""Helpers of the rinpoche/django base image: settings from the environment, health check, start-up."""
