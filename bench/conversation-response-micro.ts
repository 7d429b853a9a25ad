/**
 * Micro-benchmark of the StartConversation response path: the connector's own
 * `LexV2ConversationBot` on the production SDK client reading AudioResponseEvents (640
 * bytes each, as the emulator sends them) from a minimal HTTP/2 peer in another process
 * (`bench/lib/h2-audio-server.ts`).
 *
 *   tsx bench/conversation-response-micro.ts [--streams S] [--events N] [--impl fast|sdk]
 *
 * Prints the client's CPU per response event (start-up excluded: the clock starts when
 * every stream has delivered its first event). For instruction counts, run it under
 * callgrind with two values of `--events` (bench/conversation-callgrind.ts --side response).
 */
import { parseArgs } from 'node:util';
import { createLexClientFactory } from '../src/bots/lex-clients.js';
import { LexV2ConversationBot } from '../src/bots/lexv2/conversation-bot.js';
import { DEMO_KEY } from '../src/emulator/sigv4.js';
import { spawnService } from './lib/procs.js';

const { values } = parseArgs({
  options: {
    streams: { type: 'string', default: '20' },
    events: { type: 'string', default: '2000' },
    impl: { type: 'string', default: 'fast' },
  },
});
const streams = Number(values.streams);
const events = Number(values.events);
if (values.impl !== 'fast' && values.impl !== 'sdk') throw new TypeError('--impl must be fast or sdk');

const peer = await spawnService(process.execPath, ['--import', 'tsx', 'bench/lib/h2-audio-server.ts'], { EVENTS: String(events) }, /"port":(\d+)/, 'h2 peer');
const factory = createLexClientFactory({ endpointUrl: `http://127.0.0.1:${peer.url}`, timeoutMs: 10_000, maxAttempts: 1, fastEventStream: values.impl === 'fast' });
const call = { awsKey: DEMO_KEY.accessKeyId, awsSecret: DEMO_KEY.secretAccessKey, awsRegion: 'us-east-1' };
let firstSeen = 0;
let received = 0;
let cpu0 = process.cpuUsage();
let t0 = 0;
const errors: unknown[] = [];
await Promise.all(
  Array.from({ length: streams }, (_, i) => {
    const bot = new LexV2ConversationBot(factory.v2(call, true), { botId: 'ORDERFLWRS', botAliasId: 'TSTALIASID', localeId: 'en_US', sessionId: `r-${i}` }, {});
    return new Promise<void>((resolve) => {
      let first = true;
      const s = bot.open(
        { replyRateHz: 16000, resume: false },
        (ev) => {
          if (ev.type !== 'audio') return;
          received++;
          if (first && ++firstSeen === streams) {
            cpu0 = process.cpuUsage();
            t0 = performance.now();
            received = 0;
          }
          first = false;
        },
        (err) => {
          if (err) errors.push(err);
          bot.close();
          resolve();
        },
      );
      s.disconnect();
    });
  }),
);
const cpu = process.cpuUsage(cpu0);
await peer.stop();
console.log(
  JSON.stringify({
    impl: values.impl,
    streams,
    eventsMeasured: received,
    cpuUsPerEvent: Math.round(((cpu.user + cpu.system) / received) * 100) / 100,
    wallMs: Math.round(performance.now() - t0),
    streamErrors: errors.length,
  }),
);
if (errors.length) {
  console.error('stream errors:', errors.slice(0, 3));
  process.exitCode = 1;
}
