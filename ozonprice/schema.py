"""OpenAPI post-processing: what every API operation shares, described once."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop


def document_throttling(result: dict, generator, request, public) -> dict:
    """Every throttled operation may answer 429 with `Retry-After` (the seconds to wait)."""
    too_many = {
        "description": _("Too many requests: wait the seconds in Retry-After."),
        "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": _("Seconds to wait.")}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
    }
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/"):
            continue
        for operation in operations.values():
            operation.setdefault("responses", {}).setdefault("429", too_many)
    return result


# Serializer docstrings become component descriptions, SPECTACULAR_SETTINGS["DESCRIPTION"] the document's:
# listed here so makemessages finds them (neither is a translatable string where it is written).
DOC_TEXTS = (
    gettext_noop(
        "Hold the minimum retail price on Ozon, control the shown discount, verify every change, push images."
    ),
    gettext_noop("One SKU's new shown discount."),
    gettext_noop("One SKU's new MRPC."),
    gettext_noop("An error: what went wrong and, for invalid input, the messages by field."),
    gettext_noop("The settings as shown: secrets masked."),
    gettext_noop("Absent fields keep their value; a blank `ozon_api_key` keeps the stored key."),
)
# Docstrings that speak about the code (a base class's), not about the component: left out.
CODE_NOTES = ("Refuses fields it does not know, so a typo is a 400, not silently ignored.",)
# With COMPONENT_SPLIT_REQUEST drf-spectacular appends "Request" to a request's component name,
# even when its serializer's name ends so already.
DOUBLED = "RequestRequest"


def describe_components(result: dict, generator, request, public) -> dict:
    """The document's and the components' descriptions in the reader's language; code notes dropped."""
    info = result.get("info", {})
    if info.get("description") in DOC_TEXTS:
        info["description"] = _(info["description"])
    for component in result.get("components", {}).get("schemas", {}).values():
        description = component.get("description")
        if description in CODE_NOTES:
            del component["description"]
        elif description in DOC_TEXTS:
            component["description"] = _(description)
    return result


def undouble_component_names(result: dict, generator, request, public) -> dict:
    """`SetMrpcRequestRequest` → `SetMrpcRequest`, in the components and in every `$ref`."""
    schemas = result.get("components", {}).get("schemas", {})
    renames = {
        name: name[: -len("Request")]
        for name in schemas
        if name.endswith(DOUBLED) and name[: -len("Request")] not in schemas
    }
    if not renames:
        return result
    result["components"]["schemas"] = {renames.get(name, name): schema for name, schema in schemas.items()}
    prefix = "#/components/schemas/"

    def walk(node):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(prefix) and ref[len(prefix) :] in renames:
                node["$ref"] = prefix + renames[ref[len(prefix) :]]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
