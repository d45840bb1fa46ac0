"""The JSON API's viewer side (/api/v1/profiles/<id>/...): titles with search facets, a
title's details, similar titles and people, the home rails, recommendations by algorithm and
a forced refresh. Every answer with titles is read through the same selectors as the pages
(titles_for_profile, search_audience, page_rails, title_carousels), so the profile's ceiling
holds in every field, nested ones included."""
