"""Compression and revalidation as a real browser sees them."""

import pytest

from tests.factories import make_program


@pytest.fixture
def site_data(live_server):
    return {"program": make_program(title="MS in Clinical AI", slug="ms-clinical-ai")}


def test_chromium_gets_compressed_pages_and_revalidates(page, live_server, site_data):
    response = page.goto(live_server.url + "/programs/")
    # Chromium offers brotli over HTTPS and to localhost (a secure context), as here.
    assert response.headers.get("content-encoding") == "br"
    assert "MS in Clinical AI" in page.content()
    assert response.headers.get("etag", "").startswith('W/"')
    again = page.request.get(
        live_server.url + "/programs/", headers={"If-None-Match": response.headers["etag"]}
    )
    assert again.status == 304
