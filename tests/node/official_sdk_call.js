// Calls an aliyun-rpc emulator with Aliyun's official Node SDK (@alicloud/pop-core).
//
// usage: node official_sdk_call.js ENDPOINT ACCESS_KEY_ID SECRET METHOD PARAMS_JSON
//
// Prints the answer as JSON; on an API error prints "<code> <message>" and exits 2.
'use strict';

const RPCClient = require('@alicloud/pop-core').RPCClient;

async function main() {
  const [endpoint, accessKeyId, accessKeySecret, method, paramsJson] = process.argv.slice(2);
  const client = new RPCClient({ endpoint, accessKeyId, accessKeySecret, apiVersion: '2014-05-26' });
  try {
    const answer = await client.request('DescribeImageSupportInstanceTypes', JSON.parse(paramsJson), { method });
    process.stdout.write(JSON.stringify(answer));
  } catch (e) {
    process.stdout.write(`${e.code} ${e.data ? e.data.Message : e.message}`);
    process.exit(2);
  }
}

main();
