from django.contrib import admin

from catalog.models import Credit, Genre, Keyword, Person, Title
from catalog.services import catalogue_changed


class CreditInline(admin.TabularInline):
    model = Credit
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Title)
class TitleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "year",
        "kind",
        "certification",
        "maturity_level",
        "popularity",
        "vote_average",
    ]
    list_filter = ["kind", "certification", "genres", "original_language"]
    search_fields = ["title", "original_title", "slug", "imdb_id"]
    readonly_fields = ["maturity_level", "created_at", "updated_at"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["genres"]
    autocomplete_fields = ["keywords"]
    inlines = [CreditInline]
    list_per_page = 50
    show_full_result_count = False

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        catalogue_changed(title_ids=[form.instance.pk])

    def delete_model(self, request, obj):
        catalogue_changed(title_ids=[obj.pk])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        catalogue_changed(title_ids=list(queryset.values_list("pk", flat=True)))
        super().delete_queryset(request, queryset)


@admin.register(Genre)
class GenreAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Keyword)
class KeywordAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "tmdb_id"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Credit)
class CreditAdmin(admin.ModelAdmin):
    list_display = ["title", "person", "role", "character", "order"]
    list_filter = ["role"]
    search_fields = ["title__title", "person__name", "character"]
    autocomplete_fields = ["title", "person"]
