"""Discovery, the service list and service definitions, in JSON and XML, in Spanish and English."""

from __future__ import annotations

import pytest

from bot.settings import Settings
from connectors.open311.attributes import LIST_TYPES, SERVICES
from tests.connectors.open311.conftest import Client, get


async def test_discovery_points_at_this_endpoint(client: Client, settings: Settings) -> None:
    status, document = await get(client, "discovery")
    assert status == 200
    [endpoint] = document["endpoints"]
    assert endpoint["url"] == "http://localhost:8080/open311/v2"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["formats"] == ["text/xml", "application/json"] and endpoint["type"] == "production"
    assert document["changeset"].endswith("+00:00") and "Ciudad de Ejemplo" in document["contact"]
    status, root = await get(client, "discovery", fmt="xml")
    assert root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "text/xml",
        "application/json",
    ]


async def test_services_in_spanish_by_default_and_english_on_request(
    client: Client, settings: Settings
) -> None:
    status, services = await get(client, "services")
    assert status == 200 and [s["service_code"] for s in services] == list(settings.services)
    water = next(s for s in services if s["service_code"] == "water")
    assert water == {
        "service_code": "water",
        "service_name": "Fuga o falta de agua",
        "description": "Fugas de agua en la calle o falta del servicio.",
        "metadata": True,
        "type": "realtime",
        "keywords": "agua, fuga, tubo, acueducto",
        "group": "Acueducto y Alcantarillado",
    }
    _, english = await get(client, "services", locale="en_US")
    assert next(s for s in english if s["service_code"] == "water")["group"] == "Water and Sewer"
    response = await client.get("/open311/v2/services.json", headers={"Accept-Language": "en"})
    assert (await response.json())[0]["service_name"] == "Pothole"
    _, root = await get(client, "services", fmt="xml")
    first = root.find("service")
    assert root.tag == "services" and first is not None
    assert [c.tag for c in first] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert first.findtext("metadata") == "true"


async def test_the_water_definition_asks_if_water_runs_in_the_street(client: Client) -> None:
    status, definition = await get(client, "services/water")
    assert status == 200 and definition["service_code"] == "water"
    first = definition["attributes"][0]
    assert first == {
        "variable": True,
        "code": "water_running",
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": None,
        "order": 1,
        "description": "¿Está saliendo agua a la calle?",
        "values": [{"key": "yes", "name": "Sí"}, {"key": "no", "name": "No"}],
    }
    _, english = await get(client, "services/water", locale="en")
    assert english["attributes"][0]["description"] == "Is water running in the street?"
    _, root = await get(client, "services/streetlight", fmt="xml")
    assert root.tag == "service_definition"
    pole = root.find("attributes/attribute[code='pole_number']")
    assert pole is not None and pole.findtext("datatype") == "string" and pole.findtext("required") == "false"
    assert [v.findtext("key") for v in root.findall("attributes/attribute/values/value")][:2] == [
        "off",
        "flickering",
    ]


@pytest.mark.parametrize("code", sorted(SERVICES))
def test_the_attribute_table_matches_the_catalog(settings: Settings, code: str) -> None:
    assert code in settings.services
    info = SERVICES[code]
    codes = [a.code for a in info.attributes]
    assert len(codes) == len(set(codes))
    for attribute in info.attributes:
        assert bool(attribute.values) == (attribute.datatype in LIST_TYPES)
        assert attribute.description.es != attribute.description.en
        assert len({v.key for v in attribute.values}) == len(attribute.values)


async def test_a_service_only_in_config_is_published_plainly(client: Client, settings: Settings) -> None:
    from bot.settings_base import Names
    from bot.settings_city import Service

    services = {
        **settings.services,
        "graffiti": Service(name=Names(es="Grafiti", en="Graffiti"), department="environment"),
    }
    app_settings = settings.model_copy(update={"services": services})
    from connectors.open311.documents import definition
    from connectors.open311.documents import services as listed

    graffiti = next(s for s in listed(app_settings, "en") if s["service_code"] == "graffiti")
    assert (graffiti["description"], graffiti["metadata"], graffiti["keywords"]) == ("Graffiti", False, "")
    assert definition(app_settings, "graffiti", "es") == {"service_code": "graffiti", "attributes": []}


async def test_the_openapi_document_is_served(client: Client) -> None:
    response = await client.get("/open311/v2/openapi.json")
    document = await response.json()
    assert response.status == 200 and document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/discovery.{format}",
        "/services.{format}",
        "/services/{service_code}.{format}",
        "/requests.{format}",
        "/requests/{service_request_id}.{format}",
    }
    form = document["paths"]["/requests.{format}"]["post"]["requestBody"]["content"]
    schema = form["application/x-www-form-urlencoded"]["schema"]
    assert schema["required"] == ["api_key", "service_code"]
    [_, _, services] = schema["allOf"]
    water = next(s for s in services["oneOf"] if s["properties"]["service_code"]["enum"] == ["water"])
    assert water["required"] == ["service_code", "attribute[water_running]"]
    assert water["properties"]["attribute[water_running]"] == {"type": "string", "enum": ["yes", "no"]}
