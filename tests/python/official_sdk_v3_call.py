"""Calls an aliyun-rpc emulator with Aliyun's official Python SDK of the current generation
(alibabacloud_ecs20140526 on alibabacloud_tea_openapi) at its DEFAULT configuration, which
signs with ACS3-HMAC-SHA256 (signature V3) and asks for JSON with `accept: application/json`.

usage: official_sdk_v3_call.py HOST:PORT ACCESS_KEY_ID SECRET ACTION PARAMS_JSON [SECURITY_TOKEN]

ACTION is an ECS action (DescribeImageSupportInstanceTypes, CreateSecurityGroup, ...);
PARAMS_JSON its request as the API names it, e.g. {"RegionId": "cn-hangzhou", "Filter":
[{"Key": "InstanceTypeFamily", "Value": "ecs.t1"}]}: the SDK's own request model is built
from it and the SDK flattens it (`Filter.1.Key`) and signs it. Only the endpoint, the
protocol (the emulator speaks plain HTTP) and the credentials are configured.

ACTION `raw:NAME` calls NAME through the SDK's generic `call_api` (what each generated
method does, with the same Params), PARAMS_JSON flattened by the SDK's own `Utils.query`: for
params the SDK's request models do not have (a misspelt one, which `from_map` would drop).

Prints the answer body as JSON; on an API error prints "<status> <code> <message>" and
exits 2.
"""
import json
import re
import sys

from alibabacloud_ecs20140526 import models as ecs_models
from alibabacloud_ecs20140526.client import Client
from alibabacloud_tea_openapi import models as open_api_models
from alibabacloud_tea_openapi import utils_models as open_api_util_models
from alibabacloud_tea_openapi.utils import Utils
from darabonba.runtime import RuntimeOptions

endpoint, key_id, secret, action, params_json = sys.argv[1:6]
token = sys.argv[6] if len(sys.argv) > 6 else None

config = open_api_models.Config(
    access_key_id=key_id,
    access_key_secret=secret,
    security_token=token,
    endpoint=endpoint,
    protocol="http",
)
client = Client(config)


def call():
    if action.startswith("raw:"):
        request = open_api_util_models.OpenApiRequest(query=Utils.query(json.loads(params_json)))
        params = open_api_util_models.Params(
            action=action[len("raw:"):], version="2014-05-26", protocol="HTTPS", pathname="/",
            method="POST", auth_type="AK", style="RPC", req_body_type="formData",
            body_type="json",
        )
        return client.call_api(params, request, RuntimeOptions())["body"]
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower()
    request = getattr(ecs_models, action + "Request")().from_map(json.loads(params_json))
    return getattr(client, snake + "_with_options")(request, RuntimeOptions()).body.to_map()


try:
    sys.stdout.write(json.dumps(call(), ensure_ascii=False))
except Exception as e:  # the SDK's ClientException / ServerException carry the answer
    data = getattr(e, "data", None) or {}
    sys.stdout.write(
        "%s %s %s" % (getattr(e, "status_code", "?"), getattr(e, "code", type(e).__name__),
                      data.get("Message", str(e)))
    )
    sys.exit(2)
