"""The OpenAPI schema and its documentation pages: public, and served from this site."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_schema_is_served_as_yaml_and_json(client):
    yaml = client.get("/api/v1/schema/")
    assert yaml.status_code == 200 and b"openapi: 3" in yaml.content
    schema = client.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/events/" in schema["paths"]
    assert "Error" in schema["components"]["schemas"]


@pytest.mark.parametrize("path", ["/api/v1/docs/", "/api/v1/redoc/"])
def test_the_documentation_pages_load_their_scripts_from_this_site(client, path):
    page = client.get(path)
    assert page.status_code == 200
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page.content.decode())
    assert scripts and all(src.startswith("/") for src in scripts), scripts
