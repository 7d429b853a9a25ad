import type { Clock } from '../audio/clock.js';
import type { HandoffConfig } from '../call/handoff-config.js';
import { ConnectorError } from '../errors.js';
import type { NccoAction } from './handoff-payloads.js';

type VoiceModule = typeof import('@vonage/voice');
let loaded: Promise<VoiceModule> | undefined;

/** `@vonage/voice`, loaded on first use (about 120 ms of import time, docs/dependencies.md). */
function loadVoice(): Promise<VoiceModule> {
  loaded ??= import('@vonage/voice');
  return loaded;
}

/** Transfers live Vonage calls to a new NCCO (Voice API `PUT /v1/calls/{uuid}`). */
export interface VonageTransferer {
  transfer(uuid: string, ncco: NccoAction[]): Promise<void>;
}

const RETRYABLE_NET = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ECONNABORTED']);

function statusOf(err: unknown): number | undefined {
  const s = (err as { response?: { status?: unknown } }).response?.status;
  return typeof s === 'number' ? s : undefined;
}

/**
 * The transfer through the official `@vonage/voice` client (a JWT signed RS256 with the
 * application's private key on every request, by `@vonage/jwt`; `apiHost` is
 * `VONAGE_API_BASE_URL`). Retries 429, 5xx and connection errors with capped backoff, at most
 * `maxAttempts` attempts; then rejects with HANDOFF_FAILED, its detail the HTTP status.
 */
export function createVonageTransferer(creds: NonNullable<HandoffConfig['vonage']>, clock: Clock): VonageTransferer {
  let voice: Promise<InstanceType<VoiceModule['Voice']>> | undefined;
  const get = () =>
    (voice ??= loadVoice().then(({ Voice }) => new Voice({ applicationId: creds.applicationId, privateKey: creds.privateKey.reveal() }, { apiHost: creds.apiBaseUrl, timeout: creds.timeoutMs })));
  return {
    async transfer(uuid, ncco) {
      const client = await get();
      for (let attempt = 1; ; attempt++) {
        try {
          // The library's NCCO types are narrower than the JSON it sends; handoffNcco builds valid actions.
          await client.transferCallWithNCCO(uuid, ncco as never);
          return;
        } catch (err) {
          const status = statusOf(err);
          const code = String((err as { code?: unknown; cause?: { code?: unknown } }).code ?? (err as { cause?: { code?: unknown } }).cause?.code ?? '');
          const retryable = status === undefined ? RETRYABLE_NET.has(code) || (err as Error).name === 'AbortError' : status === 429 || status >= 500;
          if (!retryable || attempt >= creds.maxAttempts) throw new ConnectorError('HANDOFF_FAILED', undefined, { detail: status === undefined ? 'network' : String(status), cause: err });
          await new Promise<void>((resolve) => clock.setTimer(resolve, Math.min(2000, 250 * 2 ** (attempt - 1))));
        }
      }
    },
  };
}
