import { rmsDbfs } from './audio/pcm.js';
import 'dotenv/config';
import type { Logger } from 'pino';
import { createConnector } from './app.js';
import { bytesToMs } from './audio/pcm.js';
import { ResamplerFactory } from './audio/resampler.js';
import type { TurnRecord } from './call/call-events.js';
import { routePath } from './call/routes.js';
import { chatDemo } from './chat/chat-demo.js';
import { type Config, loadConfig } from './config.js';
import { demoOptions } from './demo-options.js';
import { embeddedBackEnd } from './emulator/embedded.js';
import { createEmulator } from './emulator/server.js';
import { createVoice, type Voice } from './emulator/voice/index.js';
import { DEMO_KEY } from './emulator/sigv4.js';
import { createLogger } from './logger.js';
import { takeOverSdkNodeWarning } from './node-version.js';
import { VonagePhone } from './phones/vonage-phone.js';
import type { EmbeddedEmulator } from './server/context.js';

/** The Lex emulator the demo talks to: its own (in-process), or one started with `npm run emulator`. */
interface DemoLex {
  url: string;
  /** What the emulator "recognises" in the session's next utterance. */
  script(sessionId: string, text: string): Promise<void>;
  /** The session's dialog action after the last turn. */
  dialog(sessionId: string): Promise<{ type?: string; slotToElicit?: string; intent?: { name?: string; state?: string; slots?: unknown } }>;
  /** Present for the in-process emulator: the browser page may script it too. */
  embedded?: EmbeddedEmulator;
  close(): Promise<void>;
}

async function ownEmulator(config: Config, logger: Logger): Promise<DemoLex> {
  const emulator = await createEmulator({ host: '127.0.0.1', port: config.emulatorPort, voice: config.emulatorVoice, logger });
  return {
    url: emulator.url,
    script: async (id, text) => void emulator.session(id).script.push(text),
    dialog: async (id) => {
      const d = emulator.session(id).dialog;
      return { ...d.dialogAction, intent: d.intent };
    },
    embedded: embeddedBackEnd(emulator),
    close: () => emulator.close(),
  };
}

/** An emulator started elsewhere, scripted through its control API (docs/emulator.md). */
async function otherEmulator(url: string): Promise<DemoLex> {
  const health = await fetch(`${url}/_emulator/health`).catch(() => undefined);
  if (!health?.ok) {
    throw new Error(`${url} is not a Lex emulator (no /_emulator/health): the demo scripts what the emulator recognises, which Amazon Lex cannot do`);
  }
  const session = (id: string) => `${url}/_emulator/sessions/${encodeURIComponent(id)}`;
  return {
    url,
    script: async (id, text) => {
      const r = await fetch(`${session(id)}/script`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ transcripts: [text] }) });
      if (!r.ok) throw new Error(`scripting ${url} failed: ${r.status}`);
    },
    dialog: async (id) => {
      const s = (await (await fetch(session(id))).json()) as { dialog?: { dialogAction?: { type?: string; slotToElicit?: string }; intent?: { name?: string } } };
      return { ...s.dialog?.dialogAction, intent: s.dialog?.intent };
    },
    close: async () => undefined,
  };
}

/** Resolves with `p`, or rejects naming `what` after `ms`: the demo never hangs. */
function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Speaks in real time, as a caller would: 20 ms per frame on a monotonic deadline; returns when the last frame with sound was sent. */
async function speak(phone: VonagePhone, voice: Voice, text: string): Promise<number> {
  const speech = await voice.synthesize(text, 16000);
  const frames = Buffer.concat([Buffer.from(speech.buffer, speech.byteOffset, speech.byteLength), Buffer.alloc(640 * 30)]);
  const t0 = performance.now();
  let lastSpeechAt = 0;
  for (let i = 0; i * 640 < frames.length; i++) {
    const wait = t0 + i * 20 - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const frame = frames.subarray(i * 640, (i + 1) * 640);
    phone.sendAudio(frame);
    // End of speech = the last frame with speech in it: the synth pads its words with near-silence
    // (above digital zero), which the connector rightly does not count as speech either.
    if (rmsDbfs(new Int16Array(frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength))) > -45) lastSpeechAt = performance.now();
  }
  return lastSpeechAt;
}

/** The OrderFlowers dialog over one simulated Vonage call, printed turn by turn. */
async function orderFlowers(lex: DemoLex, config: Config, port: number, turns: TurnRecord[]): Promise<void> {
  // The caller speaks with the emulator's own voice (Flite): speech the connector's VAD and voice gate take as speech.
  const voice = createVoice('flite', await ResamplerFactory.load());
  const sessionId = `demo-${Date.now()}`;
  const path = routePath({ api: 'v2', botId: 'ORDERFLWRS', botAliasId: 'TSTALIASID', localeId: 'en_US', sessionId });
  const url = `ws://127.0.0.1:${port}${path}`;
  console.log(`Placing a simulated Vonage call (16 kHz) to ${url}\n`);
  const token = config.connectorAuthToken;
  const headers = { aws_key: DEMO_KEY.accessKeyId, aws_secret: DEMO_KEY.secretAccessKey, ...(token ? { token } : {}) };
  const phone = await VonagePhone.connect(url, { rateHz: 16000, headers, authorization: token && `Bearer ${token}` });
  for (const text of ['I would like to order some flowers', 'roses', 'tomorrow', 'ten am', 'yes']) {
    await lex.script(sessionId, text);
    const lastSpeechAt = await speak(phone, voice, text);
    const reply = await within(phone.nextReply(), 30_000, 'reply from the bot');
    await within(
      (async () => {
        while (turns.length === 0) await new Promise((r) => setTimeout(r, 10));
      })(),
      10_000,
      'turn record',
    );
    const turn = turns.shift()!;
    const d = await lex.dialog(sessionId);
    console.log(`caller: ${turn.transcript ?? '(not understood)'}`);
    console.log(`   bot: (${Math.round(bytesToMs(reply.pcm.length, 16000))} ms of audio) ${d.type ?? turn.dialogState ?? ''}${d.slotToElicit ? ` ${d.slotToElicit}` : ''}`);
    console.log(
      `        turn latency ${Math.round(reply.firstFrameAt - lastSpeechAt)} ms (end of speech -> first reply frame: the 400 ms silence_time, the emulator synthesizing the prompt, and the connector)\n`,
    );
  }
  const closed = await within(phone.closed, 30_000, 'end of the call');
  const { intent } = await lex.dialog(sessionId);
  console.log(`Call closed by the connector with ${closed.code} (${closed.reason}); intent ${intent?.name} ${intent?.state} ${JSON.stringify(intent?.slots)}\n`);
}

/**
 * `npm run demo`: the connector with its own Lex emulator in-process (whatever LEX_ENDPOINT_URL
 * says; `--lex-endpoint=URL` for an emulator started with `npm run emulator`), one simulated
 * Vonage call through the real WebSocket path (the OrderFlowers dialog with scripted
 * transcripts), printed turn by turn with measured turn latency; then it keeps serving, with
 * the browser client at /phone. `npm run demo -- --chat` runs the chat demo instead.
 */
async function main(): Promise<void> {
  const opts = demoOptions(process.argv.slice(2), process.env);
  if (opts.chat) return chatDemo(opts.logLevel);
  const base = loadConfig();
  const logger = createLogger(opts.logLevel);
  const nodeNotice = takeOverSdkNodeWarning();
  const lex = opts.lexEndpoint ? await otherEmulator(opts.lexEndpoint) : await ownEmulator(base, logger);
  const config: Config = { ...base, lexEndpointUrl: lex.url, example: { ...base.example, awsKey: DEMO_KEY.accessKeyId, awsSecret: DEMO_KEY.secretAccessKey, exposeCredentials: true } };
  const turns: TurnRecord[] = [];
  const record = { emit: (e: { type: string; turn?: TurnRecord }) => void (e.type === 'turn' && e.turn && turns.push(e.turn)) };
  const connector = await createConnector({ config, logger, emulator: lex.embedded, eventSinks: [(source) => (source.platform === 'vonage' ? record : undefined)] });
  const { port } = await connector.listen();
  console.log(`Lex connector on http://localhost:${port}`);
  if (opts.lexEndpoint) console.log(`Lex back-end: the Lex emulator at ${lex.url} (--lex-endpoint)`);
  else {
    const ignored = base.lexEndpointUrl ? ` LEX_ENDPOINT_URL=${base.lexEndpointUrl} is not used by the demo;` : '';
    console.log(`Lex back-end: the demo's own Lex emulator on ${lex.url}.${ignored} --lex-endpoint=URL uses one started with npm run emulator.`);
  }
  console.log(`Talk to the bot in your browser: http://localhost:${port}/phone`);
  if (nodeNotice) console.log(`Note: ${nodeNotice}.`);
  console.log('');
  await orderFlowers(lex, config, port, turns);
  console.log(`Still serving. Talk to the bot in your browser: http://localhost:${port}/phone`);
  console.log(`Or point a Vonage NCCO at it: curl http://localhost:${port}/answer`);
  console.log(`Demo credentials: aws_key=${DEMO_KEY.accessKeyId} aws_secret=${DEMO_KEY.secretAccessKey} (emulator only)`);
  console.log('Ctrl-C to stop.');
  const stop = (): void =>
    void connector
      .drain()
      .then(() => lex.close())
      .then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: Error) => {
  console.error(`demo failed: ${err.message}`);
  process.exit(1);
});
