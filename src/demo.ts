import 'dotenv/config';
import { createConnector } from './app.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { createEmulator } from './emulator/server.js';
import { DEMO_KEY } from './emulator/sigv4.js';
import { VonagePhone } from './phones/vonage-phone.js';
import { synthesize } from './audio/speech-synth.js';
import { bytesToMs } from './audio/pcm.js';
import { routePath } from './call/routes.js';
import { chatDemo } from './chat/chat-demo.js';

/**
 * `npm run demo`: the connector with the Lex emulator in-process, one simulated Vonage call
 * through the real WebSocket path (the OrderFlowers dialog with scripted transcripts),
 * printed turn by turn with measured turn latency; then it keeps serving.
 * `npm run demo -- --chat` runs the chat demo instead (src/chat/chat-demo.ts).
 */
async function main(): Promise<void> {
  const base = loadConfig();
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn');
  const emulator = await createEmulator({ host: '127.0.0.1', port: base.emulatorPort, voice: base.emulatorVoice, logger });
  const config = {
    ...base,
    lexEndpointUrl: base.lexEndpointUrl ?? emulator.url,
    example: { ...base.example, awsKey: DEMO_KEY.accessKeyId, awsSecret: DEMO_KEY.secretAccessKey, exposeCredentials: true },
  };
  const connector = await createConnector({ config, logger });
  const { port } = await connector.listen();
  const local = `ws://127.0.0.1:${port}`;
  const sessionId = `demo-${Date.now()}`;
  const path = routePath({ api: 'v2', botId: 'ORDERFLWRS', botAliasId: 'TSTALIASID', localeId: 'en_US', sessionId });
  console.log(`Lex connector on http://localhost:${port}  (Lex emulator on ${emulator.url})`);
  console.log(`Placing a simulated Vonage call (16 kHz) to ${local}${path}\n`);

  const phone = await VonagePhone.connect(local + path, { rateHz: 16000, headers: { aws_key: DEMO_KEY.accessKeyId, aws_secret: DEMO_KEY.secretAccessKey } });
  const turns = ['I would like to order some flowers', 'roses', 'tomorrow', 'ten am', 'yes'];
  for (const text of turns) {
    emulator.session(sessionId).script.push(text);
    const speech = synthesize(text, 16000);
    // Speak in real time, as a caller would: 20 ms per frame on a monotonic deadline.
    const frames = Buffer.concat([Buffer.from(speech.buffer), Buffer.alloc(640 * 30)]);
    const t0 = performance.now();
    let lastSpeechAt = 0;
    for (let i = 0; i * 640 < frames.length; i++) {
      const due = t0 + i * 20;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const frame = frames.subarray(i * 640, (i + 1) * 640);
      phone.sendAudio(frame);
      // End of speech = the last frame with sound in it (the synth pads words with silence).
      if (frame.some((b) => b !== 0)) lastSpeechAt = performance.now();
    }
    const reply = await phone.nextReply();
    const said = emulator.session(sessionId).dialog;
    const prompt = emulator.session(sessionId).recordings.at(-1)?.transcript ?? text;
    console.log(`caller: ${prompt}`);
    console.log(`   bot: (${Math.round(bytesToMs(reply.pcm.length, 16000))} ms of audio) ${said.dialogAction.type}${said.dialogAction.slotToElicit ? ` ${said.dialogAction.slotToElicit}` : ''}`);
    console.log(
      `        turn latency ${Math.round(reply.firstFrameAt - lastSpeechAt)} ms (end of speech -> first reply frame: the 400 ms silence_time, the emulator synthesizing the prompt, and the connector)\n`,
    );
  }
  const closed = await phone.closed;
  const intent = emulator.session(sessionId).dialog.intent;
  console.log(`Call closed by the connector with ${closed.code} (${closed.reason}); intent ${intent?.name} ${intent?.state} ${JSON.stringify(intent?.slots)}\n`);
  console.log(`Still serving. Point a Vonage NCCO at it with: curl http://localhost:${port}/answer`);
  console.log(`Demo credentials: aws_key=${DEMO_KEY.accessKeyId} aws_secret=${DEMO_KEY.secretAccessKey} (emulator only)`);
  console.log('Ctrl-C to stop.');
  const stop = (): void =>
    void connector
      .drain()
      .then(() => emulator.close())
      .then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

(process.argv.includes('--chat') ? chatDemo() : main()).catch((err: Error) => {
  console.error(`demo failed: ${err.message}`);
  process.exit(1);
});
