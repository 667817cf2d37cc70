"""An export takes the list's filters, and a bad one is a 400 like on the list."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    ["/api/v1/offers/", "/api/v1/offers/export/", "/api/v1/patents/", "/api/v1/patents/export/"],
)
def test_an_unknown_ordering_is_a_400_naming_the_parameter(anonymous, path):
    response = anonymous.get(path, {"ordering": "AAA"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "ordering"
