from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from profiles.models import Account, Feedback, Profile, Rating, WatchEvent


@admin.register(Account)
class AccountAdmin(UserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "is_staff", "is_active", "is_synthetic", "date_joined"]
    list_filter = ["is_staff", "is_active", "is_synthetic"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Household", {"fields": ["first_name", "last_name", "is_synthetic"]}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "household", "kind", "maturity_ceiling", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "household__email"]
    raw_id_fields = ["household"]


class SignalAdmin(admin.ModelAdmin):
    raw_id_fields = ["profile", "title"]
    date_hierarchy = "created_at"
    show_full_result_count = False


@admin.register(Rating)
class RatingAdmin(SignalAdmin):
    list_display = ["profile", "title", "value", "created_at"]


@admin.register(Feedback)
class FeedbackAdmin(SignalAdmin):
    list_display = ["profile", "title", "value", "created_at"]
    list_filter = ["value"]


@admin.register(WatchEvent)
class WatchEventAdmin(SignalAdmin):
    list_display = ["profile", "title", "event", "position_seconds", "created_at"]
    list_filter = ["event"]
