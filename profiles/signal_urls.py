from django.urls import path

from profiles.views import signals as views

app_name = "signals"
urlpatterns = [
    path("title/<slug:slug>/feedback/", views.feedback, name="feedback"),
    path("title/<slug:slug>/rate/", views.rate, name="rate"),
    path("title/<slug:slug>/my-list/", views.my_list_toggle, name="my_list_toggle"),
    path("title/<slug:slug>/my-list/position/", views.my_list_reorder, name="my_list_reorder"),
    path("title/<slug:slug>/play/", views.player, name="player"),
    path("title/<slug:slug>/watch/", views.watch, name="watch"),
    path("my-list/", views.my_list, name="my_list"),
    path("search/saved/", views.search_save, name="search_save"),
    path("search/saved/<int:search_id>/delete/", views.search_forget, name="search_forget"),
]
