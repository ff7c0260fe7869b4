"""Calls an aliyun-rpc emulator with Aliyun's official Python SDK (aliyun-python-sdk-core).

usage: official_sdk_call.py HOST:PORT ACCESS_KEY_ID SECRET FORMAT METHOD [KEY=VALUE ...]

Params go in the query string; with METHOD=POST the `Body.`-prefixed ones go in the form body,
as the SDK splits them. Prints the raw answer body; exits 2 with the SDK's error on failure.
"""
import sys

from aliyunsdkcore.acs_exception.exceptions import ServerException
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest

host, key_id, secret, fmt, method = sys.argv[1:6]
client = AcsClient(key_id, secret, "cn-hangzhou", auto_retry=False)
request = CommonRequest()
request.set_domain(host)
request.set_protocol_type("http")
request.set_version("2014-05-26")
request.set_action_name("DescribeImageSupportInstanceTypes")
request.set_method(method)
request.set_accept_format(fmt)
for pair in sys.argv[6:]:
    key, value = pair.split("=", 1)
    if key.startswith("Body."):
        request.add_body_params(key[len("Body."):], value)
    else:
        request.add_query_param(key, value)
try:
    sys.stdout.write(client.do_action_with_exception(request).decode("utf-8"))
except ServerException as e:
    sys.stdout.write("%s %s %s" % (e.get_http_status(), e.get_error_code(), e.get_error_msg()))
    sys.exit(2)
