from development import fund_urls, plan_urls

app_name = "development"

urlpatterns = [
    *plan_urls.urlpatterns,
    *fund_urls.urlpatterns,
]
