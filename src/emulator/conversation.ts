import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Message } from '@smithy/types';
import { toUtf8 } from '@smithy/util-utf8';
import type { LexCore, Recognition } from './lex-core.js';
import type { DialogEngine, Turn } from './dialog.js';
import type { EmulatedSession } from './session-store.js';
import type { AuthSuccess } from './sigv4.js';
import { eventSignature } from './sigv4.js';
import { codec, encodeDateHeader, encodeError, encodeEvent, encodeException, MessageSplitter } from './event-stream.js';
import { delay, resetConnection, writeError, type Req, type Res } from './http-util.js';
import { parseOutputContentType } from './content-types.js';
import { applyRequestFault } from './respond.js';
import { isError, resolve, type V2Operation } from './operations.js';
import { applyStateAtomically, V2_FAULTS, type V2Params } from './v2-runtime.js';
import { recordTurn, v2Interpretations, v2Messages, v2SessionState } from './v2-state.js';
import { Segmenter } from '../audio/segmenter.js';
import type { VadScorer } from '../audio/vad.js';
import { asBytes, asInt16, frameBytes } from '../audio/pcm.js';

/** Conversation tuning (Lex's own defaults where it has them). */
export interface ConversationOptions {
  /** Trailing silence that ends an utterance, ms (Lex: about 600). */
  endSilenceMs: number;
  /** Interval of HeartbeatEvents, ms (0: none). */
  heartbeatMs: number;
  /** Bytes of audio per AudioResponseEvent. */
  audioChunkBytes: number;
}

const FRAME_8K = frameBytes(8000);

/** One StartConversation stream: signed events in, Lex events out. */
class Conversation {
  private readonly splitter = new MessageSplitter();
  private priorSignature: string;
  private responseSeq = 0;
  private configured = false;
  private audioOut: { rateHz: number } | undefined;
  private disablePlayback = false;
  /** The prompt Lex is waiting to hear PlaybackCompletionEvent for. */
  private prompt: { interruptible: boolean } | undefined;
  private readonly vad: VadScorer;
  private readonly segmenter: Segmenter;
  private frameBuf = Buffer.alloc(0);
  private utterance: { frames: Int16Array[]; firstAt: number } | undefined;
  private dtmf = '';
  private queue: Promise<void> = Promise.resolve();
  private heartbeat: NodeJS.Timeout | undefined;
  private ended = false;
  private lastAudioEventId = '';
  /** Settles when the last event written has left for the socket. */
  private flushed: Promise<void> = Promise.resolve();

  constructor(
    private readonly core: LexCore,
    private readonly engine: DialogEngine,
    private readonly s: EmulatedSession,
    private readonly res: Res,
    private readonly auth: AuthSuccess,
    private readonly p: V2Params,
    private readonly mode: 'AUDIO' | 'TEXT',
    private readonly opts: ConversationOptions,
  ) {
    this.priorSignature = auth.seedSignature;
    this.vad = core.vad.create(3, 8000);
    this.segmenter = new Segmenter({ silenceMs: opts.endSilenceMs, minSpeechMs: 100, maxUtteranceMs: 15000, preRollMs: 300 });
    if (opts.heartbeatMs > 0) {
      this.heartbeat = setInterval(() => this.emit('HeartbeatEvent', {}), opts.heartbeatMs);
      this.heartbeat.unref();
    }
  }

  /** Feeds raw request bytes. */
  onData(chunk: Buffer): void {
    if (this.ended) return;
    let messages: Message[];
    try {
      messages = this.splitter.push(chunk);
    } catch {
      return this.fail('ValidationException', 'Malformed event stream');
    }
    for (const outer of messages) {
      if (this.ended) return;
      if (!this.verify(outer)) return this.fail('InvalidSignatureException', 'The event signature does not match', true);
      if (outer.body.length === 0) return this.finish();
      try {
        this.dispatch(codec.decode(outer.body));
      } catch {
        return this.fail('ValidationException', 'Malformed event');
      }
    }
  }

  /** Client went away or ended the body. */
  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.vad.close();
    this.ended = true;
  }

  private verify(outer: Message): boolean {
    const date = outer.headers[':date']?.value;
    const sig = outer.headers[':chunk-signature']?.value;
    if (!(date instanceof Date) || !(sig instanceof Uint8Array)) {
      this.s.signatures.failed++;
      return false;
    }
    const expected = eventSignature(this.auth.secretAccessKey, this.auth.region, date, this.priorSignature, encodeDateHeader(date), outer.body);
    if (Buffer.from(sig).toString('hex') !== expected) {
      this.s.signatures.failed++;
      return false;
    }
    this.s.signatures.verified++;
    this.priorSignature = expected;
    return true;
  }

  private dispatch(inner: Message): void {
    const type = String(inner.headers[':event-type']?.value ?? '');
    const body = JSON.parse(toUtf8(inner.body) || '{}') as Record<string, unknown>;
    if (!this.configured && type !== 'ConfigurationEvent') return this.fail('ValidationException', 'The first event must be a ConfigurationEvent');
    switch (type) {
      case 'ConfigurationEvent':
        return this.configure(body);
      case 'AudioInputEvent':
        return this.audio(body);
      case 'DTMFInputEvent':
        return this.dtmfKey(String(body.inputCharacter ?? ''));
      case 'TextInputEvent':
        this.interrupt('TEXT_DETECTED', String(body.eventId ?? ''));
        return this.submit(String(body.text ?? ''), 'Text');
      case 'PlaybackCompletionEvent':
        this.s.events.push({ type: 'PlaybackCompletionEvent', at: Date.now() });
        this.prompt = undefined;
        return;
      case 'DisconnectionEvent':
        this.s.events.push({ type: 'DisconnectionEvent', at: Date.now() });
        return this.finish();
      default:
        return this.fail('ValidationException', `Unknown event ${type}`);
    }
  }

  private configure(body: Record<string, unknown>): void {
    if (this.configured) return this.fail('ValidationException', 'Only one ConfigurationEvent is allowed');
    this.configured = true;
    const out = parseOutputContentType(String(body.responseContentType ?? ''));
    if (!out) return this.fail('ValidationException', 'Unsupported responseContentType');
    this.audioOut = out.kind === 'pcm' ? { rateHz: out.rateHz } : undefined;
    this.disablePlayback = body.disablePlayback === true;
    const state = body.sessionState as { dialogAction?: { type?: string }; intent?: { name?: string } } | undefined;
    const bad = applyStateAtomically(this.engine, this.s, state);
    if (bad) return this.fail('ValidationException', bad);
    this.s.active = true;
    this.s.events.push({ type: 'ConfigurationEvent', at: Date.now(), detail: { body } });
    const welcome = (body.welcomeMessages as { content?: string }[] | undefined)?.map((m) => m.content ?? '').join(' ');
    // An initial intent (validated above): Lex takes the dialog from there, Delegate by default.
    if (state?.intent && state.dialogAction?.type !== 'ElicitIntent') {
      if (!state.dialogAction) this.s.dialog.dialogAction = { type: 'Delegate' };
      const turn = this.engine.resume(this.s.dialog);
      this.enqueue(() => this.respond({ ...turn, message: [welcome, turn.message].filter(Boolean).join(' ') }, 'Text'));
    } else if (welcome) {
      this.enqueue(() => this.speak(welcome, true));
    }
  }

  private audio(body: Record<string, unknown>): void {
    if (this.mode !== 'AUDIO') return this.fail('ValidationException', 'AudioInputEvent in TEXT mode');
    this.lastAudioEventId = String(body.eventId ?? '');
    const chunk = Buffer.from(String(body.audioChunk ?? ''), 'base64');
    if (chunk.length > 320) return this.fail('ValidationException', 'audioChunk exceeds 320 bytes');
    this.frameBuf = this.frameBuf.length ? Buffer.concat([this.frameBuf, chunk]) : chunk;
    while (this.frameBuf.length >= FRAME_8K) {
      const frame = asInt16(Buffer.from(this.frameBuf.subarray(0, FRAME_8K)));
      this.frameBuf = this.frameBuf.subarray(FRAME_8K);
      this.frame(frame);
    }
  }

  private frame(frame: Int16Array): void {
    this.vad.score(frame, (speech) => this.segment(frame, speech));
  }

  private segment(frame: Int16Array, speech: boolean): void {
    const ev = this.segmenter.push(frame, speech);
    if (!ev) return;
    if (ev.type === 'start') {
      if (this.prompt && !this.prompt.interruptible) return this.segmenter.reset();
      this.interrupt('VOICE_START_DETECTED', this.lastAudioEventId);
      this.utterance = { frames: [...ev.frames], firstAt: Date.now() };
    } else if (ev.type === 'audio') {
      this.utterance?.frames.push(ev.frame);
    } else if (this.utterance) {
      const u = this.utterance;
      this.utterance = undefined;
      const pcm = Buffer.concat(u.frames.map((f) => asBytes(f)));
      const rec = this.core.recognize(this.s, pcm, 8000);
      this.s.recordings.push({ api: 'StartConversation', sampleRateHz: 8000, pcm, firstByteAt: u.firstAt, lastByteAt: Date.now(), transcript: rec.transcript });
      this.submit(rec.transcript, 'Speech', rec);
    }
  }

  private dtmfKey(key: string): void {
    if (!/^[0-9A-D*#]$/.test(key)) return this.fail('ValidationException', 'inputCharacter must be one of A-D 0-9 # *');
    this.s.events.push({ type: 'DTMFInputEvent', at: Date.now(), detail: { inputCharacter: key } });
    if (this.dtmf === '') this.interrupt('DTMF_START_DETECTED', '');
    if (key === '#') {
      const digits = this.dtmf;
      this.dtmf = '';
      if (digits) this.submit(digits, 'DTMF');
      return;
    }
    this.dtmf = key === '*' ? '' : this.dtmf + key;
  }

  private interrupt(reason: string, causedBy: string): void {
    if (!this.prompt) return;
    if (!this.prompt.interruptible) return;
    this.prompt = undefined;
    this.emit('PlaybackInterruptionEvent', { eventReason: reason, causedByEventId: causedBy || undefined });
  }

  private submit(text: string, inputMode: 'Speech' | 'DTMF' | 'Text', rec?: Recognition): void {
    const turn = this.engine.turn(this.s.dialog, text);
    this.enqueue(() => this.respond(turn, inputMode, rec));
  }

  private enqueue(fn: () => Promise<void>): void {
    this.queue = this.queue.then(fn).catch(() => this.finish());
  }

  private async respond(turn: Turn, inputMode: string, rec?: Recognition): Promise<void> {
    await delay(this.core.latency(this.s).processingDelayMs);
    if (this.ended) return;
    const turnId = randomUUID();
    recordTurn(this.s, turn, turnId);
    if (inputMode !== 'Text' || turn.transcript) this.emit('TranscriptEvent', { transcript: turn.transcript });
    this.emit('IntentResultEvent', {
      inputMode,
      interpretations: v2Interpretations(turn),
      sessionState: v2SessionState(turn, turnId),
      sessionId: this.p.sessionId,
    });
    await this.speak(turn.message, turn.interruptible, turn, rec);
    if (this.core.fault(this.s, (f) => f.type === 'dropStream')) {
      await this.flushed;
      this.ended = true;
      resetConnection(this.res);
    }
  }

  private async speak(message: string | undefined, interruptible: boolean, turn?: Turn, rec?: Recognition): Promise<void> {
    if (this.ended) return;
    if (turn) this.emit('TextResponseEvent', { messages: v2Messages(turn) });
    else if (message) this.emit('TextResponseEvent', { messages: [{ contentType: 'PlainText', content: message }] });
    if (!this.audioOut) return;
    const audio = asBytes(await this.core.replyAudio(this.s, message, this.audioOut.rateHz, rec));
    if (audio.length === 0) return;
    if (!this.disablePlayback) this.prompt = { interruptible };
    const contentType = this.audioOut.rateHz === 8000 ? 'audio/pcm; sample-rate=8000' : 'audio/pcm';
    const { chunkDelayMs } = this.core.latency(this.s);
    for (let off = 0; off < audio.length && !this.ended; off += this.opts.audioChunkBytes) {
      this.emit('AudioResponseEvent', { contentType, audioChunk: audio.subarray(off, off + this.opts.audioChunkBytes).toString('base64') });
      if (chunkDelayMs > 0) await delay(chunkDelayMs);
    }
    this.emit('AudioResponseEvent', { contentType });
  }

  private emit(type: string, body: Record<string, unknown>): void {
    if (this.ended || this.res.destroyed) return;
    const bytes = encodeEvent(type, { ...body, eventId: `RESPONSE-${++this.responseSeq}` });
    this.flushed = new Promise((resolve) => (this.res as ServerResponse).write(bytes, () => resolve()));
  }

  private fail(code: string, message: string, unmodeled = false): void {
    if (this.ended) return;
    const bytes = unmodeled ? encodeError(code, message) : encodeException(code, message);
    (this.res as ServerResponse).write(bytes);
    this.finish();
  }

  private finish(): void {
    if (this.ended) return;
    const res = this.res;
    this.queue.finally(() => {
      if (!res.writableEnded) res.end();
    });
    this.close();
  }
}

/** StartConversation over HTTP/2: 200 at once, then the event streams both ways. */
export async function startConversation(core: LexCore, req: Req, res: Res, p: V2Operation, auth: AuthSuccess, opts: ConversationOptions): Promise<void> {
  const engine = resolve(core, p);
  if (isError(engine)) {
    req.resume();
    return writeError(res, engine.status, engine.code, engine.message);
  }
  const mode = String(req.headers['x-amz-lex-conversation-mode'] ?? 'AUDIO').toUpperCase();
  if (mode !== 'AUDIO' && mode !== 'TEXT') return writeError(res, 400, 'ValidationException', 'conversationMode must be AUDIO or TEXT');
  const s = core.sessions.get(p.sessionId);
  // Events may already be arriving: hold them until the fault check has run.
  const early: Buffer[] = [];
  const hold = (c: Buffer): void => void early.push(c);
  req.on('data', hold);
  if (await applyRequestFault(core, s, res, V2_FAULTS)) return;
  s.streams++;
  (res as ServerResponse).writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
  const conv = new Conversation(core, engine, s, res, auth, p, mode, opts);
  req.off('data', hold);
  for (const c of early) conv.onData(c);
  req.on('data', (c: Buffer) => conv.onData(c));
  req.on('end', () => conv.close());
  res.on('close', () => conv.close());
}
