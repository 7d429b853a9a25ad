import { parseArgs } from 'node:util';
import { createEmulator } from './server.js';
import { loadBot, shippedBots } from './bot-model.js';
import { DEMO_KEY, type AccessKey } from './sigv4.js';
import type { Fault } from './faults.js';
import { createLogger } from '../logger.js';
import { DEFAULT_VOICE, isVoiceName, VOICE_NAMES } from './voice/index.js';

const USAGE = `Usage: npm run emulator -- [options]
  --host HOST            listen address (default 127.0.0.1)
  --port PORT            listen port (default 4000, 0 = any free port)
  --bot FILE             bot JSON (repeatable; default: the OrderFlowers and HelpDesk demo bots)
  --key AKID:SECRET      accept this key pair too (repeatable)
  --delay MS             processing delay before each response (default 0)
  --chunk-delay MS       delay between response body chunks (default 0)
  --fault JSON           global fault, e.g. '{"type":"throttle"}' (repeatable, applies once each)
  --heartbeat MS         StartConversation heartbeat interval (default 15000)
  --reply-ms MS          every spoken reply lasts exactly MS (benchmarks; default: follows the text)
  --voice NAME           flite (intelligible speech, default), flite-rms (clearer at 8 kHz, 4-7x the CPU)
                         or synthetic (speech-like, for benchmarks); default from EMULATOR_VOICE`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: process.env.EMULATOR_HOST ?? '127.0.0.1' },
      port: { type: 'string', default: process.env.EMULATOR_PORT ?? '4000' },
      bot: { type: 'string', multiple: true },
      key: { type: 'string', multiple: true },
      delay: { type: 'string', default: '0' },
      'chunk-delay': { type: 'string', default: '0' },
      fault: { type: 'string', multiple: true },
      heartbeat: { type: 'string', default: '15000' },
      'reply-ms': { type: 'string', default: '0' },
      voice: { type: 'string', default: process.env.EMULATOR_VOICE || DEFAULT_VOICE },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const keys: AccessKey[] = [DEMO_KEY];
  for (const k of values.key ?? []) {
    const i = k.indexOf(':');
    if (i < 1) throw new TypeError('--key must be AKID:SECRET');
    keys.push({ accessKeyId: k.slice(0, i), secretAccessKey: k.slice(i + 1) });
  }
  const num = (name: string, v: string): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new TypeError(`--${name} must be a non-negative number`);
    return n;
  };
  if (!isVoiceName(values.voice!)) throw new TypeError(`--voice must be one of ${VOICE_NAMES.join(', ')}`);
  const emu = await createEmulator({
    host: values.host,
    port: num('port', values.port!),
    keys,
    bots: values.bot?.length ? values.bot.map(loadBot) : shippedBots(),
    latency: { processingDelayMs: num('delay', values.delay!), chunkDelayMs: num('chunk-delay', values['chunk-delay']!) },
    faults: (values.fault ?? []).map((f) => ({ fault: JSON.parse(f) as Fault, times: 1 })),
    conversation: { heartbeatMs: num('heartbeat', values.heartbeat!) },
    replyMs: num('reply-ms', values['reply-ms']!),
    voice: values.voice,
    logger: createLogger(process.env.LOG_LEVEL ?? 'info'),
  });
  console.log(`Lex emulator (V1 HTTP/1.1 + V2 h2c) listening on ${emu.url}  (voice: ${emu.core.voice.name})`);
  console.log(`  LEX_ENDPOINT_URL=${emu.url}`);
  console.log(`  demo credentials: aws_key=${DEMO_KEY.accessKeyId} aws_secret=${DEMO_KEY.secretAccessKey}`);
  console.log(`  control API: ${emu.url}/_emulator/sessions/{sessionId}  (docs/emulator.md)`);
  const stop = (): void => void emu.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: Error) => {
  console.error(`emulator: ${err.message}`);
  process.exit(1);
});
