import factory

from profiles.models import KIDS_DEFAULT_CEILING, Account, PreferenceWeights, Profile, SavedList


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"household{n}@example.com")
    password = factory.django.Password("correct horse battery")


class ProfileFactory(factory.django.DjangoModelFactory):
    """A profile as `profiles.services.profile_create` makes it: with preferences and My List."""

    class Meta:
        model = Profile
        skip_postgeneration_save = True

    household = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Viewer {n}")
    preferences = factory.RelatedFactory(
        "profiles.tests.factories.PreferenceWeightsFactory", factory_related_name="profile"
    )
    my_list = factory.RelatedFactory(
        "profiles.tests.factories.SavedListFactory", factory_related_name="profile"
    )


class PreferenceWeightsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PreferenceWeights


class SavedListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SavedList

    name = "My List"


class KidsProfileFactory(ProfileFactory):
    kind = Profile.Kind.KIDS
    maturity_ceiling = KIDS_DEFAULT_CEILING
