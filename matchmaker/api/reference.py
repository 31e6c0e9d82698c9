"""The API's human reference: a page rendered on the server from the OpenAPI document, so
it is always the document's twin and needs no script from anywhere."""

from flask import Blueprint, current_app, render_template

from matchmaker.api.forms import SCOPE_WORDS
from matchmaker.extensions import limiter

bp = Blueprint("api_reference", __name__, url_prefix="/api/v1")
METHODS = ("get", "post", "put", "patch", "delete")


def _schema_name(schema):
    """'Event' for {"$ref": "#/components/schemas/Event"}, 'Event[]' for an array of them."""
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if schema.get("type") == "array":
        return _schema_name(schema.get("items")) + "[]"
    return schema.get("format") or schema.get("type") or ""


def _type_of(prop):
    if "$ref" in prop:
        return _schema_name(prop)
    kind = prop.get("type", "")
    if isinstance(kind, list):
        kind = " or ".join(kind)
    if kind == "array":
        return _type_of(prop.get("items", {})) + "[]"
    return kind + (f" ({prop['format']})" if "format" in prop else "")


def _scopes():
    """(OpenAPI path, method) -> the scope its handler requires."""
    found = {}
    for rule in current_app.url_map.iter_rules():
        view = current_app.view_functions.get(rule.endpoint)
        scope = getattr(view, "required_scope", None)
        if scope:
            path = rule.rule
            for converter in ("int:", "any:"):
                path = path.replace("<" + converter, "<")
            path = path.replace("<", "{").replace(">", "}")
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                found[(path, method.lower())] = scope
    return found


def operations(spec):
    scopes = _scopes()
    rows = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            body = operation.get("requestBody", {}).get("content", {})
            responses = []
            for code, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                media = next(iter(content), "")
                responses.append((code, response.get("description", ""), media,
                                  _schema_name(content.get(media, {}).get("schema"))))  # fmt: skip
            rows.append({
                "anchor": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
                "method": method.upper(),
                "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", ""),
                "scope": scopes.get((path, method)),
                "public": {} in operation.get("security", []),
                "parameters": [
                    (p["name"], p["in"], p.get("required", False), _type_of(p.get("schema", {})))
                    for p in operation.get("parameters", [])
                ],
                "body": [(media, _schema_name(c.get("schema"))) for media, c in body.items()],
                "responses": responses,
            })  # fmt: skip
    return rows


def schemas(spec):
    found = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        props = [
            (prop, _type_of(value), prop in required, value.get("description", ""))
            for prop, value in schema.get("properties", {}).items()
        ]
        found.append((name, props))
    return found


@bp.get("/reference")
@limiter.exempt
def reference():
    from matchmaker.api import spec_of

    spec = spec_of(current_app)
    return render_template(
        "api/reference.html",
        spec=spec,
        operations=operations(spec),
        schemas=schemas(spec),
        scope_words=SCOPE_WORDS,
    )
