import type { DialogState } from './dialog.js';
import { newDialogState } from './dialog.js';
import type { FaultRule, Latency } from './faults.js';

/** One utterance as the emulator received it (for byte-exact assertions). */
export interface Recording {
  api: 'PostContent' | 'RecognizeUtterance' | 'StartConversation';
  sampleRateHz: number;
  pcm: Buffer;
  /** Epoch ms of the first and last audio byte received. */
  firstByteAt: number;
  lastByteAt: number;
  transcript: string;
}

/** Something the client sent that tests may want to see (DTMF keys, playback events). */
export interface SessionEvent {
  type: string;
  at: number;
  detail?: Record<string, unknown>;
}

/** Per-session emulator state: dialog, scripted transcripts, echo, faults, recordings. */
export interface EmulatedSession {
  id: string;
  dialog: DialogState;
  script: string[];
  echo: boolean;
  faults: FaultRule[];
  latency?: Partial<Latency>;
  recordings: Recording[];
  events: SessionEvent[];
  /** PCM16 at 16 kHz to use instead of synthesized speech for the next reply. */
  replyAudio?: Int16Array;
  /** Chunk signatures verified and rejected on this session's conversation streams. */
  signatures: { verified: number; failed: number };
  /** Conversation streams opened for this session. */
  streams: number;
}

/** Sessions keyed by Lex session id (V1 userId, V2 sessionId). */
export class SessionStore {
  private readonly sessions = new Map<string, EmulatedSession>();

  /** The session, created on first use. */
  get(id: string): EmulatedSession {
    let s = this.sessions.get(id);
    if (!s) {
      s = {
        id,
        dialog: newDialogState(),
        script: [],
        echo: false,
        faults: [],
        recordings: [],
        events: [],
        signatures: { verified: 0, failed: 0 },
        streams: 0,
      };
      this.sessions.set(id, s);
    }
    return s;
  }

  /** The session if it exists. */
  peek(id: string): EmulatedSession | undefined {
    return this.sessions.get(id);
  }

  delete(id: string): boolean {
    return this.sessions.delete(id);
  }

  clear(): void {
    this.sessions.clear();
  }
}
