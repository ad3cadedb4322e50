app_name = "blacklist"
urlpatterns: list = []
