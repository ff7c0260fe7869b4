// Calls an aliyun-rpc emulator with Aliyun's official Node SDK of the current generation
// (@alicloud/ecs20140526 on @alicloud/openapi-core) at its DEFAULT configuration, which signs
// with ACS3-HMAC-SHA256 (signature V3) and asks for JSON with `accept: application/json`.
//
// usage: node official_sdk_v3_call.js HOST:PORT ACCESS_KEY_ID SECRET ACTION PARAMS_JSON [SECURITY_TOKEN]
//
// ACTION is an ECS action (DescribeImageSupportInstanceTypes, CreateSecurityGroup, ...);
// PARAMS_JSON its request as the API names it ({"RegionId": "cn-hangzhou", "Filter": [{"Key":
// "InstanceTypeFamily", "Value": "ecs.t1"}]}): the SDK's own request model is built from it
// ($dara.cast) and the SDK flattens and signs it. Only the endpoint, the protocol (the emulator
// speaks plain HTTP) and the credentials are configured.
//
// ACTION `raw:NAME` calls NAME through the SDK's generic `callApi` (what each generated method
// does, with the same Params), PARAMS_JSON flattened by the SDK's own `OpenApiUtil.query`: for
// params the SDK's request models do not have (a misspelt one, which `$dara.cast` would drop).
//
// Prints the answer body as JSON; on an API error prints "<status> <code> <message>" and exits 2.
'use strict';

const $dara = require('@darabonba/typescript');
const Ecs = require('@alicloud/ecs20140526');
const { $OpenApiUtil, OpenApiUtil } = require('@alicloud/openapi-core');

async function main() {
  const [endpoint, accessKeyId, accessKeySecret, action, paramsJson, securityToken] = process.argv.slice(2);
  const config = new $OpenApiUtil.Config({ accessKeyId, accessKeySecret, securityToken, endpoint, protocol: 'http' });
  const client = new Ecs.default(config);
  const call = async () => {
    if (action.startsWith('raw:')) {
      const request = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(JSON.parse(paramsJson)) });
      const params = new $OpenApiUtil.Params({
        action: action.slice('raw:'.length), version: '2014-05-26', protocol: 'HTTPS', pathname: '/',
        method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
      });
      return (await client.callApi(params, request, new $dara.RuntimeOptions({}))).body;
    }
    const request = $dara.cast(JSON.parse(paramsJson), new Ecs[`${action}Request`]({}));
    const method = `${action.charAt(0).toLowerCase()}${action.slice(1)}WithOptions`;
    return (await client[method](request, new $dara.RuntimeOptions({}))).body.toMap();
  };
  try {
    process.stdout.write(JSON.stringify(await call()));
  } catch (e) {
    const message = e.data && e.data.Message ? e.data.Message : e.message;
    process.stdout.write(`${e.statusCode} ${e.code} ${message}`);
    process.exit(2);
  }
}

main();
