// One call against the production layout of scripts/smoke-production.sh, using only what that
// layout has: dist/ and the production dependencies in ROOT/node_modules.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [root, port] = process.argv.slice(2);
const { WebSocket } = createRequire(`${root}/package.json`)('ws');
const { synthesize } = await import(pathToFileURL(`${root}/dist/audio/speech-synth.js`).href);
const base = `127.0.0.1:${port}`;

for (const path of ['/phone', '/phone/phone.js', '/phone/capture-worklet.js', '/phone/config.json', '/health']) {
  const r = await fetch(`http://${base}${path}`);
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status}`);
}
const config = await (await fetch(`http://${base}/phone/config.json`)).json();
if (config.backend !== 'emulator') throw new Error(`config.json: ${JSON.stringify(config)}`);

const ws = new WebSocket(`ws://${base}/bots/ORDERFLWRS/botAliases/TSTALIASID/botLocales/en_US/sessions/smoke-1/utterance`);
const events = [];
let replyBytes = 0;
const done = new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`no turn within 20 s; events ${JSON.stringify(events)}`)), 20_000);
  ws.on('message', (data, binary) => {
    if (binary) return void (replyBytes += data.length);
    const m = JSON.parse(data.toString());
    if (m.action === 'notify') ws.send(JSON.stringify({ event: 'websocket:notify', payload: m.payload }));
    if (m.type) events.push(m);
    if (m.type === 'turn') {
      clearTimeout(timer);
      resolve(m);
    }
  });
  ws.on('close', (code, reason) => reject(new Error(`closed ${code} ${reason}`)));
});
await new Promise((resolve) => ws.on('open', resolve));
const { aws_key, aws_secret } = config.credentials;
ws.send(JSON.stringify({ event: 'websocket:connected', 'content-type': 'audio/l16;rate=16000', events: true, aws_key, aws_secret, script: ['I would like to order some flowers'] }));
const speech = Buffer.from(synthesize('I would like to order some flowers', 16000).buffer);
const audio = Buffer.concat([speech, Buffer.alloc(640 * 50)]);
for (let i = 0; i < audio.length; i += 640) ws.send(audio.subarray(i, i + 640));
const turn = await done;
ws.close(1000);
if (turn.turn.intentName !== 'OrderFlowers' || replyBytes < 32000) throw new Error(`unexpected turn ${JSON.stringify(turn)} (${replyBytes} reply bytes)`);
console.log(`smoke-call: ${turn.turn.intentName} ${turn.turn.dialogState}, ${replyBytes} bytes of reply audio`);
