import factory

from profiles.models import KIDS_DEFAULT_CEILING, Account, Profile


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"household{n}@example.com")
    password = factory.django.Password("correct horse battery")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile

    household = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Viewer {n}")


class KidsProfileFactory(ProfileFactory):
    kind = Profile.Kind.KIDS
    maturity_ceiling = KIDS_DEFAULT_CEILING
