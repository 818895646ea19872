from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("people/search/", views.people_search, name="people_search"),
    path("password/forgot/", views.password_forgot, name="password_forgot"),
    path("password/forgot/sent/", views.password_forgot_sent, name="password_forgot_sent"),
    path("password/change/", views.password_change_view, name="password_change"),
    path(
        "password/<str:purpose>/<str:uidb64>/<str:token>/",
        views.password_link,
        name="password_link",
    ),
    path("language/<str:code>/", views.language, name="language"),
]
