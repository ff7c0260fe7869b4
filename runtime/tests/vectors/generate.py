#!/usr/bin/env python3
"""Regenerates signature_v1.json with Aliyun's official Python SDK core signer.

    pip install aliyun-python-sdk-core==2.16.1
    python3 runtime/tests/vectors/generate.py > runtime/tests/vectors/signature_v1.json

Each vector's `canonical_query`, `string_to_sign` and `signature` are computed by
`aliyunsdkcore.auth.composer.rpc_signature_composer` (the official SDK), not by our code.
The first vector is the worked example in Aliyun's signature documentation
(https://help.aliyun.com/document_detail/25492.html); its signature there is
OLeaidS1JvxuMvnyHOwuJ+uX5qY=, which the SDK reproduces.
"""
import json
from urllib.parse import urlencode

from aliyunsdkcore.auth.composer import rpc_signature_composer as rpc

compose = getattr(rpc, "__compose_string_to_sign")
signature = getattr(rpc, "__get_signature")
pop = getattr(rpc, "__pop_standard_urlencode")

COMMON = [
    ("AccessKeyId", "testid"),
    ("SignatureMethod", "HMAC-SHA1"),
    ("SignatureVersion", "1.0"),
    ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"),
    ("Timestamp", "2016-02-23T12:46:24Z"),
]

CASES = [
    ("documented-describe-regions", "Aliyun's signature documentation, worked example", "GET", "testsecret",
     [("Timestamp", "2016-02-23T12:46:24Z"), ("Format", "XML"), ("AccessKeyId", "testid"),
      ("Action", "DescribeRegions"), ("SignatureMethod", "HMAC-SHA1"),
      ("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"), ("Version", "2014-05-26"),
      ("SignatureVersion", "1.0")]),
    ("seed-request-post", "the seed page's request with two filters, as a POST form; the Python SDK also signs its empty SignatureType",
     "POST", "testsecret",
     COMMON + [("Action", "DescribeImageSupportInstanceTypes"), ("Version", "2014-05-26"), ("Format", "JSON"),
               ("SignatureType", ""), ("RegionId", "cn-hangzhou"), ("ActionType", "CreateEcs"),
               ("ImageId", "m-imageid1"), ("Filter.1.Key", "CreationStartTime"),
               ("Filter.1.Value", "2017-12-05T22:40:00Z"), ("Filter.2.Key", "CreationEndTime"),
               ("Filter.2.Value", "2017-12-06T22:40:00Z")]),
    ("reserved-characters", "values with space, *, ~, +, /, =, &, % and a quote", "GET", "testsecret",
     COMMON + [("Action", "Echo"), ("Version", "2014-05-26"), ("Format", "JSON"),
               ("Description", "a b*c~d+e/f=g&h%i'j"), ("Name", "~*~")]),
    ("unicode", "Chinese and emoji values, UTF-8 encoded", "POST", "testsecret",
     COMMON + [("Action", "Echo"), ("Version", "2014-05-26"), ("Format", "JSON"),
               ("InstanceName", "杭州-实例 1"), ("Description", "🚀 rocket ✓")]),
    ("byte-order-sort", "keys sorted by bytes: Filter.10 before Filter.2, upper case before lower case",
     "GET", "secret/with+specials=",
     COMMON + [("Action", "Echo"), ("Version", "2014-05-26"), ("Format", "JSON"),
               ("Filter.2.Key", "b"), ("Filter.10.Key", "c"), ("Filter.1.Key", "a"),
               ("tag", "lower"), ("Tag", "upper"), ("Tag.1", "one")]),
    ("sts-token", "STS credentials: SecurityToken is signed like any other param", "POST", "stssecret",
     COMMON + [("Action", "DescribeRegions"), ("Version", "2014-05-26"), ("Format", "JSON"),
               ("SecurityToken", "CAIS+token/with=padding==")]),
]

vectors = []
for name, source, method, secret, params in CASES:
    sts = compose(method, dict(params))
    canonical = pop(urlencode(sorted(params)))
    vectors.append({
        "name": name,
        "source": source,
        "method": method,
        "access_key_secret": secret,
        "params": [list(p) for p in params],
        "canonical_query": canonical,
        "string_to_sign": sts,
        "signature": signature(sts, secret),
    })

ENCODING_INPUTS = ["abcXYZ019", "-_.~", " ", "*", "+", "/", "=", "&", "%", "a b", "!'()", "é", "杭州", "🚀",
                   "2016-02-23T12:46:24Z", "\u0000\u007f"]
encoding = [[s, pop(urlencode([("", s)]))[1:]] for s in ENCODING_INPUTS]

print(json.dumps({
    "generator": "runtime/tests/vectors/generate.py with aliyun-python-sdk-core 2.16.1",
    "percent_encoding": encoding,
    "vectors": vectors,
}, ensure_ascii=False, indent=2))
