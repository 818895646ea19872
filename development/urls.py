from development import plan_urls

app_name = "development"

urlpatterns = [
    *plan_urls.urlpatterns,
]
