#!/usr/bin/env python3
"""Download one product version's api-docs.json from Aliyun and strip it to the kept keys.

Usage:
    python3 metadata/refresh.py PRODUCT VERSION [OUT]
        downloads https://api.aliyun.com/meta/v1/products/PRODUCT/versions/VERSION/api-docs.json
        and writes the stripped copy to OUT (default: metadata/data/<product>-<version>.json)
    python3 metadata/refresh.py --strip-only IN OUT
        strips a file already on disk (stripping a stripped copy gives it back byte for byte)

Kept: names, positions (in), styles, types, constraints, response schemas, error codes and
example responses. Dropped: every key not listed in the KEEP_* sets below (titles,
descriptions, summaries, directories, change logs, ...). Output: UTF-8 JSON, keys sorted,
no whitespace, no trailing newline. Python 3 standard library only.
"""

import json
import os
import sys
import tempfile
import urllib.request

URL = "https://api.aliyun.com/meta/v1/products/{product}/versions/{version}/api-docs.json"
MAX_BYTES = 64 * 1024 * 1024
TIMEOUT_SECONDS = 60

KEEP_TOP = {"apis", "components", "endpoints", "info", "version"}
KEEP_INFO = {"product", "style", "version"}
KEEP_API = {
    "deprecated",
    "errorCodes",
    "methods",
    "operationType",
    "parameters",
    "responseDemo",
    "responses",
    "schemes",
    "security",
    "staticInfo",
    "systemTags",
}
KEEP_PARAM = {"allowEmptyValue", "in", "name", "schema", "style"}
KEEP_SCHEMA = {
    "default",
    "deprecated",
    "docRequired",
    "enum",
    "enumValueTitles",
    "example",
    "format",
    "items",
    "maxItems",
    "maxLength",
    "maximum",
    "minItems",
    "minLength",
    "minimum",
    "pattern",
    "properties",
    "required",
    "type",
}
KEEP_RESPONSE = {"headers", "schema"}
KEEP_ERROR_CODE = {"errorCode", "errorMessage"}
KEEP_ENDPOINT = {"endpoint", "regionId"}


def pick(obj, keys):
    if not isinstance(obj, dict):
        return obj
    return {k: v for k, v in obj.items() if k in keys}


def strip_schema(schema):
    if not isinstance(schema, dict):
        return schema
    out = pick(schema, KEEP_SCHEMA)
    if "items" in out:
        out["items"] = strip_schema(out["items"])
    if isinstance(out.get("properties"), dict):
        out["properties"] = {k: strip_schema(v) for k, v in out["properties"].items()}
    return out


def strip_api(api):
    out = pick(api, KEEP_API)
    if isinstance(out.get("parameters"), list):
        params = []
        for p in out["parameters"]:
            p = pick(p, KEEP_PARAM)
            if "schema" in p:
                p["schema"] = strip_schema(p["schema"])
            params.append(p)
        out["parameters"] = params
    if isinstance(out.get("responses"), dict):
        responses = {}
        for status, r in out["responses"].items():
            r = pick(r, KEEP_RESPONSE)
            if "schema" in r:
                r["schema"] = strip_schema(r["schema"])
            responses[status] = r
        out["responses"] = responses
    if isinstance(out.get("errorCodes"), dict):
        out["errorCodes"] = {
            status: [pick(c, KEEP_ERROR_CODE) for c in codes] if isinstance(codes, list) else codes
            for status, codes in out["errorCodes"].items()
        }
    return out


def strip(doc):
    if not isinstance(doc, dict):
        raise ValueError("not an api-docs.json document: the top level is not an object")
    out = pick(doc, KEEP_TOP)
    if "info" in out:
        out["info"] = pick(out["info"], KEEP_INFO)
    if isinstance(out.get("apis"), dict):
        out["apis"] = {name: strip_api(api) for name, api in out["apis"].items()}
    if isinstance(out.get("components"), dict):
        components = dict(out["components"])
        if isinstance(components.get("schemas"), dict):
            components["schemas"] = {k: strip_schema(v) for k, v in components["schemas"].items()}
        out["components"] = components
    if isinstance(out.get("endpoints"), list):
        out["endpoints"] = [pick(e, KEEP_ENDPOINT) for e in out["endpoints"]]
    return out


def render(doc):
    return json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_atomically(path, data):
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".refresh-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_limited(stream, what):
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(f"{what} is larger than {MAX_BYTES} bytes")
    return data


def strip_file(src, dst):
    with open(src, "rb") as f:
        doc = json.loads(read_limited(f, src))
    write_atomically(dst, render(strip(doc)))


def download(product, version, dst):
    url = URL.format(product=product, version=version)
    with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as resp:
        if resp.status != 200:
            raise ValueError(f"{url}: HTTP {resp.status}")
        doc = json.loads(read_limited(resp, url))
    write_atomically(dst, render(strip(doc)))
    print(f"{url} -> {dst}")


def main(argv):
    if len(argv) == 3 and argv[0] == "--strip-only":
        strip_file(argv[1], argv[2])
        return 0
    if len(argv) in (2, 3) and not argv[0].startswith("-"):
        product, version = argv[0], argv[1]
        here = os.path.dirname(os.path.abspath(__file__))
        default = os.path.join(here, "data", f"{product.lower()}-{version}.json")
        download(product, version, argv[2] if len(argv) == 3 else default)
        return 0
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (OSError, ValueError) as e:
        sys.stderr.write(f"refresh.py: {e}\n")
        sys.exit(1)
