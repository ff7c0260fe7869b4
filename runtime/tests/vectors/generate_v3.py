#!/usr/bin/env python3
"""Regenerates signature_v3.json (signature V3, ACS3-HMAC-SHA256) from Aliyun's sources.

    python3 -m venv /tmp/v3 && /tmp/v3/bin/pip install alibabacloud_tea_openapi==0.4.6
    /tmp/v3/bin/python runtime/tests/vectors/generate_v3.py > runtime/tests/vectors/signature_v3.json

Three kinds of vectors; README.md beside this file names each source and date.

1. "docs": the worked example of Aliyun's V3 signature documentation. Its inputs and every
   published stage (canonical request, string to sign, signature, Authorization) are copied
   here as published; this script checks that Aliyun's official Python util reproduces them.
2. "utils-test": the GetAuthorization cases of the official utils' own unit tests
   (github.com/aliyun/darabonba-openapi-util, Go, Python, Java, TypeScript). Each test
   publishes only the final Authorization; the canonical request and string to sign are
   assembled here from the official Python util's own query and header functions with the
   test's method and URI, and the script checks that they give the published Authorization.
3. "python-util": cases of ours, each computed by the official Python function
   `alibabacloud_tea_openapi.utils.Utils.get_authorization` (the one the official Python SDK
   signs every call with), its canonical request and string to sign captured as it runs.

Nothing in the expected values comes from our Rust code.
"""
import hashlib
import hmac
import json

from Tea.request import TeaRequest

from alibabacloud_tea_openapi import utils as official
from alibabacloud_tea_openapi.utils import Utils

ALGORITHM = "ACS3-HMAC-SHA256"
EMPTY = hashlib.sha256(b"").hexdigest()
UTILS_COMMIT = "39c4804f6582952400b082c72c108fd1c83353f2"


def captured_authorization(method, pathname, query, headers, payload, ak, secret):
    """Runs the official get_authorization, capturing the canonical request it hashes and
    the string to sign it signs."""
    seen = {}
    real_hash, real_sign = Utils.hash, official.signature_method

    def hash_(raw, sign_type):
        seen.setdefault("canonical_request", raw.decode("utf-8"))
        return real_hash(raw, sign_type)

    def sign_(secret_, source, sign_type):
        seen["string_to_sign"] = source
        return real_sign(secret_, source, sign_type)

    Utils.hash, official.signature_method = staticmethod(hash_), sign_
    try:
        request = TeaRequest()
        request.method, request.pathname = method, pathname
        request.query, request.headers = dict(query), dict(headers)
        auth = Utils.get_authorization(request, ALGORITHM, payload, ak, secret)
    finally:
        Utils.hash, official.signature_method = real_hash, real_sign
    return seen["canonical_request"], seen["string_to_sign"], auth


def assembled(method, uri, query, headers, payload, ak, secret):
    """The canonical request of the official util's formula, for a method and URI that its
    get_authorization cannot take as they are (an empty URI becomes "/" there)."""
    canonical_headers, signed = official.get_canonicalized_headers(dict(headers))
    canonical = "\n".join([method, uri, official.get_canonical_query_string(dict(query)),
                           canonical_headers, signed, payload])
    sts = f"{ALGORITHM}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    signature = hmac.new(secret.encode(), sts.encode(), hashlib.sha256).hexdigest()
    return canonical, sts, f"{ALGORITHM} Credential={ak},SignedHeaders={signed},Signature={signature}"


def vector(name, source, method, uri, query, headers, body, payload, ak, secret, stages):
    canonical_request, string_to_sign, authorization = stages
    canonical_headers, signed_headers = official.get_canonicalized_headers(dict(headers))
    return {
        "name": name,
        "source": source,
        "method": method,
        "canonical_uri": uri,
        "access_key_id": ak,
        "access_key_secret": secret,
        "query": [list(p) for p in query],
        "headers": [list(h) for h in headers],
        "body": body,
        "hashed_payload": payload,
        "canonical_query": official.get_canonical_query_string(dict(query)),
        "canonical_headers": canonical_headers,
        "signed_headers": signed_headers,
        "canonical_request": canonical_request,
        "string_to_sign": string_to_sign,
        "signature": authorization.rsplit("Signature=", 1)[1],
        "authorization": authorization,
    }


vectors = []

# 1. The documented example, "Signature examples" / "Fixed parameter values".
DOC_QUERY = [("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd"), ("RegionId", "cn-shanghai")]
DOC_HEADERS = [("host", "ecs.cn-shanghai.aliyuncs.com"), ("x-acs-action", "RunInstances"),
               ("x-acs-content-sha256", EMPTY), ("x-acs-date", "2023-10-26T10:22:32Z"),
               ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"), ("x-acs-version", "2014-05-26")]
DOC_SIGNED = "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
DOC_PUBLISHED = (
    "POST\n/\nImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai\n"
    "host:ecs.cn-shanghai.aliyuncs.com\nx-acs-action:RunInstances\n"
    f"x-acs-content-sha256:{EMPTY}\nx-acs-date:2023-10-26T10:22:32Z\n"
    "x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d\nx-acs-version:2014-05-26\n\n"
    f"{DOC_SIGNED}\n{EMPTY}",
    "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259",
    f"ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders={DOC_SIGNED},"
    "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
)
assert captured_authorization("POST", "/", DOC_QUERY, DOC_HEADERS, EMPTY, "YourAccessKeyId",
                              "YourAccessKeySecret") == DOC_PUBLISHED
vectors.append(vector(
    "documented-run-instances",
    "Aliyun docs, 'Request syntax and signature method V3', section 'Signature examples' > "
    "'Fixed parameter values': inputs and all four stages as published (README.md)",
    "POST", "/", DOC_QUERY, DOC_HEADERS, "", EMPTY, "YourAccessKeyId", "YourAccessKeySecret",
    DOC_PUBLISHED))

# 2. The official utils' own GetAuthorization tests (darabonba-openapi-util at UTILS_COMMIT).
UTILS_QUERY = [("test", "ok"), ("empty", "")]
UTILS_PAYLOAD = "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23"
UTILS_CASES = [
    ("utils-test-python", "python/tests/test_client.py test_get_authorization: a TeaRequest's "
     "defaults (method GET, empty pathname, so URI /); x-acs-test and x-acs-TEST are one header, "
     "values sorted and joined", "GET", "/", UTILS_QUERY,
     [("x-acs-test", "http"), ("x-acs-TEST", "https")],
     "d16b30a7699ae9e43875b13195b2f81bcc3ed10c14a9b5eb780e51619aa50be1"),
    ("utils-test-go", "golang/service/service_test.go Test_GetAuthorization: the request has no "
     "method (an empty first line) and an empty pathname (URI /); headers joined as in Python",
     "", "/", UTILS_QUERY, [("x-acs-test", "http"), ("x-acs-TEST", "https")],
     "4ab59fffe3c5738ff8a2729f90cc04fe18b02a4b15b2102cbaf92f9ff3df2ea3"),
    ("utils-test-java", "java/src/test/java/com/aliyun/openapiutil/ClientTest.java "
     "getAuthorizationTest: method GET, URI /; the Java util keeps ONE of the two case variants "
     "(a HashMap overwrite, here x-acs-test:http) where the others join both, so the input "
     "here is the one header Java signs", "GET", "/", UTILS_QUERY, [("x-acs-test", "http")],
     "02e81f9f3cc8839151b0c7278024cbc4bfc9fa786085a0b8305f825f17b5dae7"),
    ("utils-test-typescript", "ts/test/client.spec.ts 'getAuthorization should ok', first call: "
     "the request has no method (JavaScript writes 'undefined') and no pathname (an empty URI "
     "line); headers joined as in Python", "undefined", "", UTILS_QUERY,
     [("x-acs-TEST", "https"), ("x-acs-test", "http")],
     "0f2d549523cf082c83bb8135b5863614f7fe16ca7c2c7fc537e74d67374eeeac"),
    ("utils-test-typescript-empty", "ts/test/client.spec.ts 'getAuthorization should ok', second "
     "call: no method ('undefined'), no pathname, no query, no headers: an empty SignedHeaders",
     "undefined", "", [], [],
     "608b887e491f3e88e85276b188a4d24e29230a559464685ccbf2dcc458e1fde8"),
]
for name, where, method, uri, query, headers, published in UTILS_CASES:
    stages = assembled(method, uri, query, headers, UTILS_PAYLOAD, "acesskey", "secret")
    assert stages[2].endswith(f",Signature={published}"), (name, stages[2])
    vectors.append(vector(
        name, f"aliyun/darabonba-openapi-util@{UTILS_COMMIT[:12]} {where}; the payload hash is "
        "the test's input (no body)",
        method, uri, query, headers, None, UTILS_PAYLOAD, "acesskey", "secret", stages))

# 3. Cases of ours, computed by the official Python util.
HOST = "ecs.cn-hangzhou.aliyuncs.com"
DATE = "2026-11-30T10:00:00Z"
SOURCE = "ours, computed by the official Python util (alibabacloud_tea_openapi 0.4.6 Utils.get_authorization)"


def go_style(action, nonce, payload, extra=()):
    """The headers the Go and Java SDKs sign for an RPC call: host, x-acs-*, content-type."""
    return [("host", HOST), ("x-acs-action", action), ("x-acs-version", "2014-05-26"),
            ("x-acs-date", DATE), ("x-acs-signature-nonce", nonce),
            ("x-acs-content-sha256", payload), *extra]


def ours(name, what, method, query, headers_of, form=None, ak="testid", secret="testsecret"):
    body = Utils.to_form(form) if form is not None else ""
    payload = Utils.hash(body.encode("utf-8"), ALGORITHM).hex()
    headers = headers_of(payload)
    stages = captured_authorization(method, "/", query, headers, payload, ak, secret)
    assert stages == assembled(method, "/", query, headers, payload, ak, secret), name
    vectors.append(vector(name, f"{SOURCE}: {what}", method, "/", query, headers, body, payload,
                          ak, secret, stages))


SEED_QUERY = [("RegionId", "cn-hangzhou"), ("ActionType", "CreateEcs"), ("ImageId", "m-imageid1"),
              ("Filter.1.Key", "CreationStartTime"), ("Filter.1.Value", "2017-12-05T22:40:00Z"),
              ("Filter.2.Key", "CreationEndTime"), ("Filter.2.Value", "2017-12-06T22:40:00Z")]
ours("seed-request-get", "the seed page's request with two filters, GET, query only",
     "GET", SEED_QUERY,
     lambda p: go_style("DescribeImageSupportInstanceTypes", "a1b2c3d4e5f60718293a4b5c6d7e8f90", p))
ours("post-form-body", "POST with a form body (the official util's to_form: sorted, '+' for "
     "space) signed through its hash and content-type; the query keeps RegionId",
     "POST", [("RegionId", "cn-hangzhou")],
     lambda p: go_style("CreateSecurityGroup", "0f0e0d0c0b0a09080706050403020100", p,
                        [("content-type", "application/x-www-form-urlencoded")]),
     form={"SecurityGroupName": "web", "Description": "web tier *~+/=&% 杭州 🚀"})
ours("reserved-characters", "query values with space, *, ~, +, /, =, &, %, quote and brackets",
     "GET", [("RegionId", "cn-hangzhou"), ("Description", "a b*c~d+e/f=g&h%i'j"), ("Name", "~*~"),
             ("Tag.1.Value", "!()[]{}<>@#$^|\\\";:,?")],
     lambda p: go_style("Echo", "1111aaaa2222bbbb3333cccc4444dddd", p))
ours("unicode", "Chinese and emoji values, UTF-8 percent-encoded, POST without a body",
     "POST", [("RegionId", "cn-hangzhou"), ("InstanceName", "杭州-实例 1"), ("Description", "🚀 rocket ✓")],
     lambda p: go_style("Echo", "5555eeee6666ffff7777aaaa8888bbbb", p))
ours("empty-values", "empty values are sent as name=", "GET",
     [("RegionId", "cn-hangzhou"), ("Description", ""), ("Name", "")],
     lambda p: go_style("Echo", "9999cccc0000dddd1111eeee2222ffff", p))
ours("repeated-looking-names", "names sorted by byte (Filter.10 before Filter.2, upper case "
     "before lower case, Tag before Tag.1); one header sent twice in two cases is one entry, its "
     "values trimmed, sorted and joined with a comma",
     "GET", [("Filter.2.Key", "b"), ("Filter.10.Key", "c"), ("Filter.1.Key", "a"), ("tag", "lower"),
             ("Tag", "upper"), ("Tag.1", "one"), ("RegionId", "cn-hangzhou")],
     lambda p: go_style("Echo", "3333dddd4444eeee5555ffff6666aaaa", p,
                        [("X-Acs-Meta", " beta "), ("x-acs-meta", "alpha")]))
ours("sts-token", "STS credentials: x-acs-accesskey-id and x-acs-security-token are sent and "
     "signed, as the official SDKs do", "POST", [("RegionId", "cn-hangzhou")],
     lambda p: go_style("DescribeRegions", "7777ffff8888aaaa9999bbbb0000cccc", p,
                        [("x-acs-accesskey-id", "STS.NUexample"),
                         ("x-acs-security-token", "CAIS+token/with=padding==")]),
     ak="STS.NUexample", secret="stssecret")
ours("python-sdk-default-headers", "every header the official Python SDK sends is signed, "
     "user-agent and accept included", "POST", [("RegionId", "cn-hangzhou")],
     lambda p: [("host", HOST), ("x-acs-version", "2014-05-26"),
                ("x-acs-action", "DescribeRegions"),
                ("user-agent", "AlibabaCloud (Linux; x86_64) Python/3.11.2 Core/0.4.6 TeaDSL/2"),
                ("x-acs-date", DATE), ("x-acs-signature-nonce", "2222bbbb3333cccc4444dddd5555eeee"),
                ("accept", "application/json"), ("x-acs-content-sha256", p)])
ours("header-case-and-spaces", "header names in mixed case are lower-cased, values trimmed of "
     "spaces and tabs", "GET", [("RegionId", "cn-hangzhou")],
     lambda p: [("Host", f"  {HOST} "), ("X-Acs-Action", "\tDescribeRegions"),
                ("X-ACS-VERSION", "2014-05-26 "), ("x-acs-Date", DATE),
                ("X-Acs-Signature-Nonce", " 6666aaaa7777bbbb8888cccc9999dddd"),
                ("X-Acs-Content-Sha256", p)])
ours("secret-longer-than-the-hmac-block", "a 100-byte secret, which HMAC hashes before use",
     "GET", [("RegionId", "cn-hangzhou")],
     lambda p: go_style("DescribeRegions", "4444cccc5555dddd6666eeee7777ffff", p),
     secret="s" * 100)

print(json.dumps({
    "generator": "runtime/tests/vectors/generate_v3.py with alibabacloud_tea_openapi 0.4.6 "
                 f"(Python) and darabonba-openapi-util at {UTILS_COMMIT}",
    "vectors": vectors,
}, ensure_ascii=False, indent=2))
