"""The JSON API's household side (/api/v1/): sign-up and tokens, profiles, every signal a
viewer gives, client events and insights. Views are small functions over the same services
and selectors as the pages; profiles/access.py resolves every profile (404 for another
household's). URLs: profiles/api/urls.py, included by config/api_urls.py."""
