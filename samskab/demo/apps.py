from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo municipality Egeå: data and its loader. Sits on top of every other app."""

    name = "samskab.demo"
    label = "demo"
