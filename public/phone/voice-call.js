/**
 * One voice call from the browser over the connector's WebSocket routes (docs/browser.md):
 * the microphone through an AudioWorklet (resampled to the call rate, 20 ms L16 frames), the
 * Vonage opening message with `"events": true`, the bot's frames into a playback worklet
 * (jitter buffer; `clear` empties it at once; `notify` answered once played), and the live
 * events handed to the page.
 */

/** Why the microphone is unavailable, in words a person can act on. */
function microphoneProblem(err) {
  if (!window.isSecureContext || !navigator.mediaDevices) return 'The microphone needs a secure page: open this page on https:// or on http://localhost.';
  if (err?.name === 'NotAllowedError') return 'Microphone access was refused. Allow it for this site and call again.';
  if (err?.name === 'NotFoundError') return 'No microphone was found.';
  return `The microphone could not be opened (${err?.name ?? 'unknown error'}).`;
}

export class VoiceCall {
  /**
   * @param {{ url: string, opening: Record<string, unknown>, rateHz: number, rawMic: boolean,
   *   onEvent(e: Record<string, unknown>): void, onStatus(text: string): void, onLevel(db: number): void,
   *   onClear(): void, onClose(code: number, reason: string): void }} o
   */
  constructor(o) {
    this.o = o;
    this.sentFrames = 0;
    this.captureFrames = 0;
    this.clears = 0;
    this.levelDb = -120;
    this.playback = null;
    this.closed = false;
  }

  /** Opens the microphone, the audio graph and the socket; throws an Error with a readable message. */
  async start() {
    const { rateHz, rawMic } = this.o;
    // Created inside the click that started the call, so the browser lets it play.
    this.ctx = new AudioContext({ latencyHint: 'interactive' });
    void this.ctx.resume();
    if (!navigator.mediaDevices?.getUserMedia) throw new Error(microphoneProblem());
    const processing = !rawMic;
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: processing, noiseSuppression: processing, autoGainControl: processing },
      });
    } catch (err) {
      this.cleanUp();
      throw new Error(microphoneProblem(err));
    }
    await Promise.all([this.ctx.audioWorklet.addModule('/phone/capture-worklet.js'), this.ctx.audioWorklet.addModule('/phone/playback-worklet.js')]);
    const options = { processorOptions: { rateHz } };
    this.capture = new AudioWorkletNode(this.ctx, 'lex-capture', { ...options, numberOfInputs: 1, numberOfOutputs: 1, outputChannelCount: [1] });
    this.player = new AudioWorkletNode(this.ctx, 'lex-playback', { ...options, numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [1] });
    const mute = this.ctx.createGain();
    mute.gain.value = 0;
    this.ctx.createMediaStreamSource(this.stream).connect(this.capture).connect(mute).connect(this.ctx.destination);
    this.player.connect(this.ctx.destination);
    this.capture.port.onmessage = (e) => this.onFrame(e.data);
    this.player.port.onmessage = (e) => this.onPlayback(e.data);
    this.openSocket();
  }

  openSocket() {
    const ws = new WebSocket(this.o.url);
    this.ws = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      ws.send(JSON.stringify(this.o.opening));
      this.o.onStatus('Connected. Speak when you are ready.');
    };
    ws.onmessage = (e) => (typeof e.data === 'string' ? this.onText(e.data) : this.player.port.postMessage({ type: 'audio', pcm: e.data }, [e.data]));
    ws.onclose = (e) => {
      this.cleanUp();
      this.o.onClose(e.code, e.reason);
    };
  }

  onFrame(msg) {
    this.captureFrames = msg.frames;
    this.levelDb = msg.levelDb;
    this.o.onLevel(msg.levelDb);
    if (this.ws?.readyState === WebSocket.OPEN) {
      this.ws.send(msg.pcm);
      this.sentFrames++;
    }
  }

  onPlayback(msg) {
    if (msg.type === 'stats') this.playback = msg;
    else if (msg.type === 'played') this.send({ event: 'websocket:notify', payload: { name: msg.name } });
  }

  onText(text) {
    let msg;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (msg.action === 'clear') {
      this.player.port.postMessage({ type: 'clear' });
      this.clears++;
      this.send({ event: 'websocket:cleared' });
      this.o.onClear();
    } else if (msg.action === 'notify') {
      this.player.port.postMessage({ type: 'mark', name: msg.payload?.name });
    } else if (typeof msg.type === 'string') {
      this.o.onEvent(msg);
    }
  }

  send(msg) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(msg));
  }

  /** One keypad key as Vonage sends it. */
  sendDtmf(digit) {
    this.send({ event: 'websocket:dtmf', digit, duration: 200 });
  }

  /** Queues what the embedded emulator recognises in the next utterances. */
  script(transcripts) {
    this.send({ event: 'script', transcripts });
  }

  hangUp() {
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) this.ws.close(1000, 'hung up');
    else this.cleanUp();
  }

  /** Counters for the page and for tests: frames sent, microphone level, the playback worklet's counts. */
  stats() {
    return { sentFrames: this.sentFrames, captureFrames: this.captureFrames, levelDb: this.levelDb, clears: this.clears, playback: this.playback };
  }

  cleanUp() {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    if (this.ctx && this.ctx.state !== 'closed') void this.ctx.close();
  }
}
