import { randomBytes } from 'node:crypto';
import type { DialogState, Turn } from './dialog.js';
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

/** A V1 `IntentSummary` (GetSession's `recentIntentSummaryView`). */
export interface IntentSummary {
  intentName: string;
  checkpointLabel?: string;
  slots: Record<string, string | null>;
  confirmationStatus: 'None' | 'Confirmed' | 'Denied';
  dialogActionType: string;
  fulfillmentState?: string;
  slotToElicit?: string;
}

/** Per-session emulator state: dialog, scripted transcripts, echo, faults, recordings. */
export interface EmulatedSession {
  id: string;
  /** True while Lex holds a session: from the first runtime call or PutSession until DeleteSession. */
  active: boolean;
  /** The session id V1 reports (`x-amz-lex-session-id`), Lex's own: creation time plus a random tag. */
  v1SessionId: string;
  dialog: DialogState;
  /** The last turn's answer, for GetSession (`messages`, `interpretations`, `originatingRequestId`). */
  last?: { turn: Turn; requestId: string };
  /** The intents of this session, most recent first, at most 3 (V1 GetSession). */
  recentIntents: IntentSummary[];
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

/** A V1 session id as Lex forms it: ISO time of creation, a dash, 8 random letters. */
function newV1SessionId(nowMs: number): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const tag = [...randomBytes(8)].map((b) => letters[b % letters.length]).join('');
  return `${new Date(nowMs).toISOString()}-${tag}`;
}

/** Sessions keyed by Lex session id (V1 userId, V2 sessionId). */
export class SessionStore {
  private readonly sessions = new Map<string, EmulatedSession>();

  /** @param now the emulator's clock (epoch ms), for V1 session ids. */
  constructor(private readonly now: () => number = Date.now) {}

  /** The session, created on first use. */
  get(id: string): EmulatedSession {
    let s = this.sessions.get(id);
    if (!s) {
      s = {
        id,
        active: false,
        v1SessionId: newV1SessionId(this.now()),
        dialog: newDialogState(),
        recentIntents: [],
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

  /**
   * Ends the Lex session (DeleteSession): dialog, attributes and history are forgotten;
   * what the emulator keeps for tests (script, faults, recordings, events) stays.
   */
  endLexSession(s: EmulatedSession): void {
    s.active = false;
    s.dialog = newDialogState();
    s.last = undefined;
    s.recentIntents = [];
    s.v1SessionId = newV1SessionId(this.now());
  }

  clear(): void {
    this.sessions.clear();
  }
}
