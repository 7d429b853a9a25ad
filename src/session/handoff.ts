import type { Logger } from 'pino';
import type { DialogOutcome } from '../bots/bot.js';
import type { CallConfig } from '../call/call-config.js';
import type { CallEventSink, HandoffContext, TranscriptLine } from '../call/call-events.js';
import { CloseCodes } from '../call/close-codes.js';
import { destinationText, type HandoffRequest } from '../call/handoff.js';
import { asConnectorError } from '../errors.js';
import type { Metrics } from '../metrics.js';
import type { SessionEnd, SessionHandoff } from './session-deps.js';

/** Transcript lines kept per call for the agent (oldest dropped first). */
const TRANSCRIPT_MAX = 50;

/** The conversation so far, bounded, as the agent will read it. */
export class Transcript {
  readonly lines: TranscriptLine[] = [];

  add(from: TranscriptLine['from'], text: string | undefined): void {
    if (!text) return;
    this.lines.push({ from, text });
    if (this.lines.length > TRANSCRIPT_MAX) this.lines.shift();
  }
}

/** What a hand-off needs from its session. */
export interface HandoffCall {
  platform: string;
  call: CallConfig;
  handoff: SessionHandoff;
  events: CallEventSink;
  metrics: Metrics;
  log: Logger;
  end: SessionEnd;
}

/**
 * The context the agent gets: the rule, the intent Lex understood last, every slot value the
 * caller gave in the call (`learned`, under the last intent's own), the transcript and who is calling.
 */
export function handoffContext(reason: string, last: DialogOutcome | undefined, learned: Record<string, string>, transcript: Transcript, call: CallConfig): HandoffContext {
  const slots = { ...last?.slots, ...learned };
  return {
    reason,
    intentName: last?.intentName,
    slots: Object.keys(slots).length ? slots : undefined,
    sessionAttributes: last?.sessionAttributes,
    transcript: [...transcript.lines],
    callerId: call.callerId,
    platformCallId: call.platformCallId,
  };
}

/**
 * Hands the caller to a human, after the bot's last prompt has played: emits `handoff` with the
 * context, then either closes with 4010 (the NCCO / TwiML continues) or asks the platform to
 * move the call (Vonage transfer, Twilio call update) and closes with 4010 once it has. A failed
 * platform request is logged (`HANDOFF_FAILED`), reported as `handoff.failed`, and falls back to
 * the close, so the caller is never left with nobody.
 */
export function handOff(c: HandoffCall, context: HandoffContext): void {
  const { call, handoff, events, metrics, log, platform } = c;
  const req: HandoffRequest = { platform, platformCallId: call.platformCallId, accountSid: call.accountSid, destination: call.handoffTo ?? handoff.defaultTo, context };
  const method = handoff.platform.methodFor(req);
  events.emit({ type: 'handoff', method, destination: req.destination && destinationText(req.destination), context });
  log.info({ reason: context.reason, method }, 'handing off');
  log.debug({ context }, 'hand-off context');
  if (method === 'close') {
    metrics.handoffs.inc({ platform, method, result: 'ok' });
    return c.end(CloseCodes.HANDOFF, context.reason);
  }
  handoff.platform.transfer(req).then(
    () => {
      metrics.handoffs.inc({ platform, method, result: 'ok' });
      c.end(CloseCodes.HANDOFF, context.reason);
    },
    (err: unknown) => {
      const e = asConnectorError(err);
      metrics.handoffs.inc({ platform, method, result: 'failed' });
      metrics.errors.inc({ code: e.code });
      log.warn({ code: e.code, detail: e.detail, method }, 'hand-off request failed; closing so the NCCO / TwiML continues');
      const status = e.detail && /^\d{3}$/.test(e.detail) ? Number(e.detail) : undefined;
      events.emit({ type: 'handoff.failed', method, code: e.code, ...(status ? { status } : {}), fallback: 'close' });
      c.end(CloseCodes.HANDOFF, context.reason);
    },
  );
}
