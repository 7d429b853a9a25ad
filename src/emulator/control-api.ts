import type { LexCore } from './lex-core.js';
import { parseFaultRule } from './faults.js';
import { readBody, writeJson, type Req, type Res } from './http-util.js';
import { asInt16 } from '../audio/pcm.js';

function bad(res: Res, message: string): void {
  writeJson(res, 400, { message });
}

/**
 * The control API under `/_emulator/` (docs/emulator.md): scripts, echo, faults,
 * latency, reply audio, and read-back of recordings and events.
 */
export async function control(core: LexCore, req: Req, res: Res, path: string): Promise<void> {
  const { body } = await readBody(req, 64 * 1024 * 1024);
  let json: Record<string, unknown> = {};
  if (body.length) {
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return bad(res, 'invalid JSON');
    }
  }
  const parts = path.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
  const method = req.method ?? 'GET';
  try {
    if (parts[0] === 'health') return writeJson(res, 200, { ok: true });
    if (parts[0] === 'faults' && method === 'POST') {
      core.globalFaults.push(...((json.faults as unknown[]) ?? [json]).map(parseFaultRule));
      return writeJson(res, 200, { faults: core.globalFaults });
    }
    if (parts[0] === 'faults' && method === 'DELETE') {
      core.globalFaults.length = 0;
      return writeJson(res, 200, { faults: [] });
    }
    if (parts[0] === 'clock' && method === 'POST') {
      const offset = json.offsetMs;
      if (typeof offset !== 'number' || !Number.isFinite(offset)) return bad(res, 'offsetMs: number of ms');
      core.clockOffsetMs = offset;
      return writeJson(res, 200, { offsetMs: core.clockOffsetMs, now: new Date(core.now()).toISOString() });
    }
    if (parts[0] === 'latency' && method === 'POST') {
      Object.assign(core.globalLatency, latencyOf(json));
      return writeJson(res, 200, core.globalLatency);
    }
    if (parts[0] !== 'sessions' || !parts[1]) return writeJson(res, 404, { message: 'unknown control path' });
    const id = parts[1];
    if (method === 'DELETE' && parts.length === 2) return writeJson(res, 200, { deleted: core.sessions.delete(id) });
    const s = core.sessions.get(id);
    switch (`${method} ${parts[2] ?? ''}`) {
      case 'GET ':
        return writeJson(res, 200, {
          id,
          dialog: s.dialog,
          script: s.script,
          echo: s.echo,
          events: s.events,
          signatures: s.signatures,
          streams: s.streams,
          recordings: s.recordings.length,
        });
      case 'POST script': {
        const t = json.transcripts;
        if (!Array.isArray(t) || !t.every((x) => typeof x === 'string')) return bad(res, 'transcripts: array of strings');
        s.script.push(...(t as string[]));
        return writeJson(res, 200, { script: s.script });
      }
      case 'POST echo':
        s.echo = json.enabled !== false;
        return writeJson(res, 200, { echo: s.echo });
      case 'POST faults':
        s.faults.push(...((json.faults as unknown[]) ?? [json]).map(parseFaultRule));
        return writeJson(res, 200, { faults: s.faults });
      case 'POST latency':
        s.latency = latencyOf(json);
        return writeJson(res, 200, s.latency);
      case 'POST reply-audio':
        if (typeof json.pcm16k !== 'string') return bad(res, 'pcm16k: base64 PCM16 at 16 kHz');
        s.replyAudio = asInt16(Buffer.from(json.pcm16k, 'base64'));
        return writeJson(res, 200, { samples: s.replyAudio.length });
      case 'GET recordings':
        return writeJson(res, 200, {
          recordings: s.recordings.map((r) => ({ ...r, pcm: r.pcm.toString('base64') })),
        });
      default:
        return writeJson(res, 404, { message: 'unknown control path' });
    }
  } catch (err) {
    return bad(res, (err as Error).message);
  }
}

function latencyOf(json: Record<string, unknown>): { processingDelayMs?: number; chunkDelayMs?: number } {
  const out: { processingDelayMs?: number; chunkDelayMs?: number } = {};
  for (const k of ['processingDelayMs', 'chunkDelayMs'] as const) {
    if (json[k] === undefined) continue;
    const v = json[k];
    if (typeof v !== 'number' || !(v >= 0) || v > 600_000) throw new TypeError(`${k}: number of ms, 0-600000`);
    out[k] = v;
  }
  return out;
}
