"""Open311 GeoReport v2, exercised by a client written from the spec (wiki.open311.org,
GeoReport_v2): plain HTTP calls with form-encoded POSTs and the documented JSON and XML
bodies, nothing imported from the app. Keys are issued with ``wangge apikey``."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx
import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from api.settings import ApiSettings
from tests.conftest import LiveServer
from tests.served_workers import point_in_first_grid

PHONE = "13812345678"
PRIVATE = "李四家门口的下水道"
REQUEST_FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
    "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url",
}  # fmt: skip


class GeoReportClient:
    """A GeoReport v2 client as the spec describes the calls."""

    def __init__(
        self, endpoint: str, api_key: str | None = None, headers: dict | None = None
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.api_key = api_key
        self.headers = headers or {}

    def services(self, fmt: str = "json") -> httpx.Response:
        return httpx.get(f"{self.endpoint}/services.{fmt}", timeout=120)

    def post(self, fmt: str = "json", **fields) -> httpx.Response:
        data = {"api_key": self.api_key, **fields}
        return httpx.post(
            f"{self.endpoint}/requests.{fmt}",
            data={k: v for k, v in data.items() if v is not None},
            headers=self.headers,
            timeout=120,
        )

    def requests(self, fmt: str = "json", **params) -> httpx.Response:
        return httpx.get(f"{self.endpoint}/requests.{fmt}", params=params, timeout=120)

    def request(self, request_id: str, fmt: str = "json") -> httpx.Response:
        return httpx.get(f"{self.endpoint}/requests/{request_id}.{fmt}", timeout=120)


def xml_rows(body: bytes, item: str) -> list[dict]:
    """The child elements of each ``item`` of an XML answer, as text by tag."""
    return [{child.tag: child.text for child in node} for node in ET.fromstring(body).iter(item)]


@pytest.fixture(scope="module")
def open311_url(new_database, demo_template) -> str:
    return new_database(template=demo_template, kind="open311")


@pytest.fixture(scope="module")
def endpoint(open311_url):
    with LiveServer(open311_url) as running:
        yield running.base_url + "/open311/v2"


@pytest.fixture(scope="module")
def spot(open311_url):
    return point_in_first_grid(open311_url)


def issue_key(url: str, name: str) -> str:
    result = CliRunner().invoke(cli, ["apikey", "add", name], env={"DATABASE_URL": url})
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def client(open311_url, endpoint) -> GeoReportClient:
    return GeoReportClient(endpoint, issue_key(open311_url, "hotline12345"))


def test_service_list_in_json_and_xml(client):
    listed = client.services()
    assert listed.status_code == 200 and listed.headers["content-type"].startswith(
        "application/json"
    )
    services = listed.json()
    assert {"neighbour", "other"} <= {s["service_code"] for s in services}
    for service in services:
        assert {"service_code", "service_name", "description", "metadata", "type", "keywords",
                "group"} <= set(service)  # fmt: skip
        assert service["metadata"] is False and service["type"] in ("realtime", "batch", "blackbox")
    as_xml = client.services("xml")
    assert as_xml.headers["content-type"].startswith("text/xml")
    rows = xml_rows(as_xml.content, "service")
    assert [r["service_code"] for r in rows] == [s["service_code"] for s in services]
    assert rows[0]["metadata"] == "false"


def test_post_then_read_by_id_with_public_fields_only(client, spot):
    posted = client.post(
        service_code="property_management", lat=spot.lat, long=spot.lon,
        description=PRIVATE + "堵了三天", address_string="城关镇某小区3号楼", phone=PHONE,
    )  # fmt: skip
    assert posted.status_code in (200, 201), posted.text
    answer = posted.json()
    assert len(answer) == 1 and answer[0]["service_request_id"]
    assert "service_notice" in answer[0]
    request_id = answer[0]["service_request_id"]

    one = client.request(request_id)
    assert one.status_code == 200
    [found] = one.json()
    assert set(found) == REQUEST_FIELDS
    assert found["service_request_id"] == request_id
    assert found["status"] == "open" and found["service_code"] == "property_management"
    assert PHONE not in one.text and PRIVATE not in one.text and "3号楼" not in one.text

    as_xml = client.request(request_id, "xml")
    [row] = xml_rows(as_xml.content, "request")
    assert row["service_request_id"] == request_id and row["status"] == "open"
    assert PHONE not in as_xml.text and PRIVATE not in as_xml.text


def test_post_in_xml(client, spot):
    posted = client.post("xml", service_code="neighbour", lat=spot.lat, long=spot.lon,
                         description="楼道里堆满了杂物")  # fmt: skip
    assert posted.status_code in (200, 201), posted.text
    [row] = xml_rows(posted.content, "request")
    assert row["service_request_id"]


def test_search_by_status_and_dates(client, spot):
    request_id = client.post(
        service_code="neighbour", lat=spot.lat, long=spot.lon, description="深夜噪音扰民"
    ).json()[0]["service_request_id"]
    opened = client.requests(status="open", service_code="neighbour")
    assert request_id in {r["service_request_id"] for r in opened.json()}
    closed = client.requests(status="closed")
    assert request_id not in {r["service_request_id"] for r in closed.json()}
    later = client.requests(start_date="2000-01-01T00:00:00Z", end_date="2000-02-01T00:00:00Z")
    assert later.status_code == 200 and later.json() == []
    too_long = client.requests(start_date="2000-01-01T00:00:00Z", end_date="2001-01-01T00:00:00Z")
    assert too_long.status_code == 400
    assert too_long.json()[0]["code"] == 400 and too_long.json()[0]["description"]
    listed = client.requests(service_request_id=request_id)
    assert [r["service_request_id"] for r in listed.json()] == [request_id]


def test_errors_follow_the_spec(client, endpoint, spot):
    no_key = GeoReportClient(endpoint).post(
        service_code="neighbour", lat=spot.lat, long=spot.lon, description="没有密钥的请求"
    )
    assert no_key.status_code == 403
    assert no_key.json()[0]["code"] == 403
    unknown = client.post(service_code="potholes", lat=spot.lat, long=spot.lon, description="x")
    assert unknown.status_code == 400 and unknown.json()[0]["code"] == 400
    no_place = client.post("xml", service_code="neighbour", description="没有位置")
    assert no_place.status_code == 400
    [error] = xml_rows(no_place.content, "error")
    assert error["code"] == "400" and error["description"]
    missing = client.request("QZ00000000000000")
    assert missing.status_code == 404 and missing.json()[0]["code"] == 404


def test_a_revoked_key_stops_at_once(open311_url, endpoint, spot):
    key = issue_key(open311_url, "provincial_app")
    partner = GeoReportClient(endpoint, key)
    fields = {"service_code": "other", "lat": spot.lat, "long": spot.lon, "description": "测试"}
    assert partner.post(**fields).status_code in (200, 201)
    env = {"DATABASE_URL": open311_url}
    listed = CliRunner().invoke(cli, ["apikey", "list"], env=env)
    assert "provincial_app" in listed.stdout and key not in listed.stdout
    assert CliRunner().invoke(cli, ["apikey", "revoke", "provincial_app"], env=env).exit_code == 0
    assert partner.post(**fields).status_code == 403
    assert "revoked" in CliRunner().invoke(cli, ["apikey", "list"], env=env).stdout


def test_posts_are_limited_per_key(open311_url, spot, start_server, monkeypatch):
    monkeypatch.setenv("WANGGE_CITIZEN_KEY_POSTS_PER_HOUR", "1")
    # counts are shared by every server on the database: each post comes from an address of
    # its own (through a trusted proxy), so only the key's count can refuse the second
    base = start_server(open311_url, settings=ApiSettings(trusted_proxies="127.0.0.1"))
    key = issue_key(open311_url, "busy_partner")
    office, branch = (
        GeoReportClient(base + "/open311/v2", key, headers={"X-Forwarded-For": address})
        for address in ("198.51.100.31", "198.51.100.32")
    )
    fields = {"service_code": "other", "lat": spot.lat, "long": spot.lon, "description": "第一条"}
    assert office.post(**fields).status_code in (200, 201)
    limited = branch.post(**fields)
    assert limited.status_code == 429 and limited.json()[0]["code"] == 429
