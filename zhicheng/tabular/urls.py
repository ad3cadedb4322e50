app_name = "tabular"
urlpatterns: list = []
