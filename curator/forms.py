"""The curator studio's forms. Titles are named by their slug (the studio offers a list)."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from catalog.models import Title
from curator.experiments import RAIL_CHOICES
from curator.models import Collection, HeroOverride, Pin, Variant
from recommender.artifacts import bundle_current
from recommender.engine.registry import available
from recommender.variants import too_large

MAX_COLLECTION = 60
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class TitleSlugField(forms.CharField):
    """A title named by its slug; the cleaned value is the Title."""

    def __init__(self, **kwargs):
        attrs = {"list": "title-slugs", "autocomplete": "off"}
        super().__init__(max_length=320, widget=forms.TextInput(attrs=attrs), **kwargs)

    def clean(self, value):
        slug = super().clean(value).strip()
        title = Title.objects.filter(slug=slug).first()
        if title is None:
            raise ValidationError(f"No title has the slug {slug!r}.")
        return title


class ScheduledForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            raise ValidationError("The end must come after the start.")
        return cleaned


SCHEDULE = ["audience", "starts_at", "ends_at"]
SCHEDULE_WIDGETS = {"starts_at": DATETIME, "ends_at": DATETIME}


class TitleOfInstance:
    """An edit form shows the instance's title by its slug."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["title"] = self.instance.title.slug


class PinForm(TitleOfInstance, ScheduledForm):
    title = TitleSlugField(help_text="The title's slug")
    rail_key = forms.SlugField(
        max_length=60, help_text="for-you, trending, new, genre-<slug> or collection-<id>"
    )
    position = forms.IntegerField(min_value=1, max_value=20)

    class Meta:
        model = Pin
        fields = ["title", "rail_key", "position", *SCHEDULE]
        widgets = SCHEDULE_WIDGETS


class HeroForm(TitleOfInstance, ScheduledForm):
    title = TitleSlugField(help_text="The title's slug")

    class Meta:
        model = HeroOverride
        fields = ["title", "message", *SCHEDULE]
        widgets = SCHEDULE_WIDGETS


class CollectionForm(ScheduledForm):
    position = forms.IntegerField(min_value=1, max_value=30, help_text="1 is the first rail")
    title_slugs = forms.CharField(
        label="Titles", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="One slug a line, in order", max_length=MAX_COLLECTION * 330,
    )  # fmt: skip

    class Meta:
        model = Collection
        fields = ["name", "description", "position", *SCHEDULE]
        widgets = SCHEDULE_WIDGETS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            slugs = self.instance.items.order_by("order").values_list("title__slug", flat=True)
            self.initial["title_slugs"] = "\n".join(slugs)

    def clean_title_slugs(self) -> list[int]:
        slugs = [s.strip() for s in self.cleaned_data["title_slugs"].splitlines() if s.strip()]
        if len(slugs) > MAX_COLLECTION:
            raise ValidationError(f"A collection holds at most {MAX_COLLECTION} titles.")
        found = dict(Title.objects.filter(slug__in=slugs).values_list("slug", "pk"))
        missing = [s for s in slugs if s not in found]
        if missing:
            raise ValidationError(f"No title has the slug {missing[0]!r}.")
        return [found[s] for s in dict.fromkeys(slugs)]


class ExperimentForm(forms.Form):
    name = forms.CharField(max_length=120)
    rail_keys = forms.MultipleChoiceField(
        label="Rails", choices=list(RAIL_CHOICES.items()), widget=forms.CheckboxSelectMultiple
    )


class VariantForm(forms.ModelForm):
    algorithm = forms.ChoiceField(choices=[])
    diversity = forms.FloatField(
        required=False, validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text="0..1; empty: each profile's own",
    )  # fmt: skip
    popularity_weight = forms.FloatField(
        initial=0, validators=[MinValueValidator(0), MaxValueValidator(1)]
    )
    weight = forms.IntegerField(min_value=0, max_value=100, initial=50, label="Traffic %")

    class Meta:
        model = Variant
        fields = ["name", "is_control", "weight", "algorithm", "diversity", "popularity_weight",
                  "session_lift"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["algorithm"].choices = [(name, name) for name in available()]

    def clean_algorithm(self):
        algorithm = self.cleaned_data["algorithm"]
        bundle = bundle_current()
        if bundle is not None and (reason := too_large(algorithm, len(bundle.title_ids))):
            raise ValidationError(reason)
        return algorithm


class BaseVariantFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data]
        if len(rows) < 2:
            raise ValidationError("An experiment needs two variants or more.")
        if sum(bool(r.get("is_control")) for r in rows) != 1:
            raise ValidationError("Exactly one variant is the control.")
        names = [r["name"] for r in rows]
        if len(set(names)) != len(names):
            raise ValidationError("Each variant needs its own name.")

    def variants(self) -> list[dict]:
        fields = VariantForm.Meta.fields
        return [{k: f.cleaned_data.get(k) for k in fields} for f in self.forms if f.cleaned_data]


VariantFormSet = forms.formset_factory(
    VariantForm, formset=BaseVariantFormSet, extra=0, min_num=2, max_num=4, validate_max=True
)


class SplitForm(forms.Form):
    """The traffic split: one weight per variant (fields named after the variant ids)."""

    def __init__(self, *args, variants, **kwargs):
        super().__init__(*args, **kwargs)
        for variant in variants:
            self.fields[f"weight_{variant.pk}"] = forms.IntegerField(
                min_value=0, max_value=100, initial=variant.weight, label=variant.name
            )

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.values()):
            raise ValidationError("At least one variant needs a share of the traffic.")
        return cleaned

    def weights(self) -> dict[int, int]:
        return {int(k.removeprefix("weight_")): v for k, v in self.cleaned_data.items()}


class ShipForm(forms.Form):
    variant = forms.IntegerField(min_value=1)


class PreviewForm(forms.Form):
    """`?profile=<one of the curator's own profiles>` or `?viewer=kids|adults`."""

    profile = forms.IntegerField(min_value=1, required=False)
    viewer = forms.ChoiceField(
        choices=[("kids", "a kids profile"), ("adults", "an adult profile")], required=False
    )
