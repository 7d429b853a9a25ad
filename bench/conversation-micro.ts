/**
 * Micro-benchmark of the StartConversation request path: the connector's own
 * `LexV2ConversationBot` on the production SDK client, streaming 20 ms AudioInputEvents
 * to the emulator (a separate process, which verifies every event signature).
 *
 *   tsx bench/conversation-micro.ts [--streams S] [--rounds N] [--warmup W] [--impl fast|sdk]
 *
 * Each round queues one event per stream and waits for the next macrotask, so events
 * travel one by one as they do in a call (one frame per call per 20 ms), not in bursts.
 * Prints the client's CPU per event. For instruction counts run it under
 * `valgrind --tool=callgrind` twice with different `--rounds` and divide the difference
 * of the totals by the difference in events (start-up and JIT cancel out).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { createLexClientFactory } from '../src/bots/lex-clients.js';
import type { ConversationStream } from '../src/bots/bot.js';
import { LexV2ConversationBot } from '../src/bots/lexv2/conversation-bot.js';
import { DEMO_KEY } from '../src/emulator/sigv4.js';
import { spawnService } from './lib/procs.js';

const { values } = parseArgs({
  options: {
    streams: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '500' },
    warmup: { type: 'string', default: '100' },
    impl: { type: 'string', default: 'fast' },
    'gap-ms': { type: 'string', default: '1' },
    /** Write a V8 CPU profile of the measured rounds only (no start-up) to this file. */
    'prof-out': { type: 'string' },
  },
});
const streams = Number(values.streams);
const rounds = Number(values.rounds);
const warmup = Number(values.warmup);
const gapMs = Number(values['gap-ms']);
if (values.impl !== 'fast' && values.impl !== 'sdk') throw new TypeError('--impl must be fast or sdk');

const emulator = await spawnService(
  process.execPath,
  ['--import', 'tsx', 'src/emulator/cli.ts', '--port', '0', '--heartbeat', '0'],
  { LOG_LEVEL: 'warn' },
  /listening on (http:\/\/[^\s]+)/,
  'emulator',
);
const factory = createLexClientFactory({ endpointUrl: emulator.url, timeoutMs: 10_000, maxAttempts: 1, fastEventStream: values.impl === 'fast' });
const call = { awsKey: DEMO_KEY.accessKeyId, awsSecret: DEMO_KEY.secretAccessKey, awsRegion: 'us-east-1' };
const ended: Promise<unknown>[] = [];
const errors: unknown[] = [];
const list: ConversationStream[] = [];
for (let i = 0; i < streams; i++) {
  const bot = new LexV2ConversationBot(factory.v2(call, true), { botId: 'ORDERFLWRS', botAliasId: 'TSTALIASID', localeId: 'en_US', sessionId: `micro-${process.pid}-${i}` }, {});
  let done!: () => void;
  ended.push(new Promise<void>((r) => (done = r)).then(() => bot.close()));
  const s = bot.open(
    { replyRateHz: 8000, resume: false },
    () => {},
    (err) => {
      if (err) errors.push(err);
      done();
    },
  );
  list.push(s);
}
// Low-level noise (below the emulator's VAD threshold): every chunk is distinct, no turn starts.
const chunks = Array.from({ length: 50 }, (_, k) => {
  const b = Buffer.alloc(320);
  for (let j = 0; j < 320; j += 2) b.writeInt16LE(((k * 7 + j) % 5) - 2, j);
  return b;
});
const tick = () => new Promise((r) => setTimeout(r, gapMs));
const inspector = values['prof-out'] ? new Session() : undefined;
inspector?.connect();
let cpu0 = process.cpuUsage();
const t0 = performance.now();
let tMeasure = t0;
for (let r = 0; r < warmup + rounds; r++) {
  if (r === warmup) {
    if (inspector) {
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
    }
    cpu0 = process.cpuUsage();
    tMeasure = performance.now();
  }
  for (const s of list) s.sendAudio(chunks[r % chunks.length]);
  await tick();
}
// Let the last events leave before reading the clock.
await new Promise((r) => setTimeout(r, 50));
const cpu = process.cpuUsage(cpu0);
const wallMs = performance.now() - tMeasure;
if (inspector) writeFileSync(values['prof-out']!, JSON.stringify((await inspector.post('Profiler.stop')).profile));
for (const s of list) s.disconnect();
await Promise.race([Promise.all(ended), new Promise((r) => setTimeout(r, 10_000))]);
await emulator.stop();
const events = rounds * streams;
const result = {
  impl: values.impl,
  streams,
  events,
  cpuUsPerEvent: Math.round(((cpu.user + cpu.system) / events) * 100) / 100,
  userUsPerEvent: Math.round((cpu.user / events) * 100) / 100,
  systemUsPerEvent: Math.round((cpu.system / events) * 100) / 100,
  wallMs: Math.round(wallMs),
  streamErrors: errors.length,
};
console.log(JSON.stringify(result));
if (errors.length) {
  console.error('stream errors:', errors.slice(0, 3));
  process.exitCode = 1;
}
