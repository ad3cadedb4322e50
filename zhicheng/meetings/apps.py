from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "zhicheng.meetings"
    label = "meetings"
    verbose_name = "评审会议"
