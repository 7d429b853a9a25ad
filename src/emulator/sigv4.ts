import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** An access key the emulator accepts. */
export interface AccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  /** When set, requests must carry it as `x-amz-security-token`. */
  sessionToken?: string;
}

/** The documented demo key pair (never valid on AWS). */
export const DEMO_KEY: AccessKey = {
  accessKeyId: 'AKIALEXEMULATORDEMO1',
  secretAccessKey: 'lex-emulator-demo-secret-not-for-aws-0000',
};

/** How AWS answers an authentication failure; the SDK raises `code` as the exception name. */
export interface AuthFailure {
  ok: false;
  status: 403;
  code: 'MissingAuthenticationTokenException' | 'UnrecognizedClientException' | 'InvalidSignatureException' | 'IncompleteSignatureException';
  message: string;
}

/** A verified request: what event signing needs to continue the chain. */
export interface AuthSuccess {
  ok: true;
  accessKeyId: string;
  region: string;
  seedSignature: string;
  secretAccessKey: string;
}

const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

function hmac(key: Buffer | string, data: string | Buffer): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** SigV4 signing key for `yyyymmdd`, region and service. */
export function signingKey(secret: string, shortDate: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, shortDate), region), service), 'aws4_request');
}

/** RFC 3986 escaping as the AWS SDK's `escapeUri` does it. */
function escapeUri(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalPath(rawPath: string): string {
  // The SDK signs each already-encoded path segment escaped once more (non-S3 services).
  return rawPath
    .split('/')
    .map((seg) => escapeUri(seg))
    .join('/');
}

function canonicalQuery(query: string): string {
  if (!query) return '';
  const pairs = query
    .split('&')
    .filter(Boolean)
    .map((p) => {
      const i = p.indexOf('=');
      const k = decodeURIComponent(i < 0 ? p : p.slice(0, i));
      const v = i < 0 ? '' : decodeURIComponent(p.slice(i + 1).replace(/\+/g, ' '));
      return [escapeUri(k), escapeUri(v)] as const;
    });
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function safeEqualHex(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

/** The parts of a request SigV4 covers. Header names lower-case; HTTP/2 pseudo-headers included. */
export interface SignedRequest {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/** What the verifier needs besides the request. */
export interface VerifyOptions {
  /**
   * The payload hash of the canonical request: the SHA-256 of the body actually received,
   * or the literal `UNSIGNED-PAYLOAD` / `STREAMING-AWS4-HMAC-SHA256-EVENTS` the client
   * declared in `x-amz-content-sha256` (see `payloadHashFor`).
   */
  payloadHash: string;
  /** The verifier's clock, epoch ms: `x-amz-date` more than 5 minutes away is refused. */
  now: number;
  service?: string;
}

const AUTH_RE = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;
const AMZ_DATE_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
/** AWS refuses a request signed more than this far from its own clock. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The payload hash to verify a request against. A client may opt out of body signing
 * with `UNSIGNED-PAYLOAD` (and StartConversation signs its events instead); any other
 * request is checked against the SHA-256 of the body received, whatever the client
 * declared, so a body the signature does not cover fails as `InvalidSignatureException`.
 */
export function payloadHashFor(declared: string | undefined, body: Uint8Array | undefined, streaming = false): string {
  if (declared === 'UNSIGNED-PAYLOAD') return declared;
  if (streaming && declared === 'STREAMING-AWS4-HMAC-SHA256-EVENTS') return declared;
  return body ? sha256Hex(body) : EMPTY_SHA256;
}

/** `x-amz-date`, or the RFC 1123 `Date` header SigV4 also allows, as epoch ms and in basic format. */
function requestDate(header: (n: string) => string | undefined): { ms: number; amz: string } | undefined {
  const amz = header('x-amz-date');
  if (amz !== undefined) {
    const m = AMZ_DATE_RE.exec(amz);
    if (!m) return undefined;
    return { ms: Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]), amz };
  }
  const date = header('date');
  const ms = date ? Date.parse(date) : NaN;
  return Number.isFinite(ms) ? { ms, amz: amzDate(new Date(ms)) } : undefined;
}

/** AWS's clock-skew refusal, or undefined when `dateMs` is within 5 minutes of `now`. */
function skewMessage(dateMs: number, now: number): string | undefined {
  const f = (ms: number): string => amzDate(new Date(ms));
  if (dateMs < now - MAX_CLOCK_SKEW_MS) {
    return `Signature expired: ${f(dateMs)} is now earlier than ${f(now - MAX_CLOCK_SKEW_MS)} (${f(now)} - 5 min.)`;
  }
  if (dateMs > now + MAX_CLOCK_SKEW_MS) {
    return `Signature not yet current: ${f(dateMs)} is still later than ${f(now + MAX_CLOCK_SKEW_MS)} (${f(now)} + 5 min.)`;
  }
  return undefined;
}

/** The Authorization header's parts once its credentials have been accepted. */
interface Credentials {
  ok: true;
  key: AccessKey;
  shortDate: string;
  region: string;
  svc: string;
  signedHeaders: string;
  signature: string;
  amz: string;
  header: (n: string) => string | undefined;
}

/** Everything SigV4 checks before the signature itself: header syntax, date window, key, token, scope. */
function checkCredentials(req: SignedRequest, keys: readonly AccessKey[], now: number, service: string): Credentials | AuthFailure {
  const header = (n: string): string | undefined => {
    const v = req.headers[n];
    return Array.isArray(v) ? v.join(',') : v;
  };
  const auth = header('authorization');
  if (!auth) return fail('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const m = AUTH_RE.exec(auth);
  if (!m) return fail('IncompleteSignatureException', 'Authorization header requires Credential, SignedHeaders and Signature.');
  const [, akid, shortDate, region, svc, signedHeaders, signature] = m;
  const date = requestDate(header);
  if (!date) return fail('IncompleteSignatureException', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  const skew = skewMessage(date.ms, now);
  if (skew) return fail('InvalidSignatureException', skew);
  const key = keys.find((k) => k.accessKeyId === akid);
  if (!key) return fail('UnrecognizedClientException', 'The security token included in the request is invalid.');
  if ((key.sessionToken ?? '') !== (header('x-amz-security-token') ?? '')) {
    return fail('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  if (svc !== service || !date.amz.startsWith(shortDate)) {
    return fail('InvalidSignatureException', 'Credential should be scoped to a valid region and service.');
  }
  const names = signedHeaders.split(';');
  if (!names.includes('host') && !names.includes(':authority')) {
    return fail('InvalidSignatureException', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  return { ok: true, key, shortDate, region, svc, signedHeaders, signature, amz: date.amz, header };
}

/**
 * The refusal a request gets before its body is read (no or malformed Authorization, date
 * outside the window, unknown key), or undefined when only the signature remains to check.
 */
export function precheckRequest(req: SignedRequest, keys: readonly AccessKey[], opts: Omit<VerifyOptions, 'payloadHash'>): AuthFailure | undefined {
  const c = checkCredentials(req, keys, opts.now, opts.service ?? 'lex');
  return c.ok ? undefined : c;
}

/** Verifies a SigV4 request signature the way AWS does, including its 5-minute clock-skew window. */
export function verifyRequest(req: SignedRequest, keys: readonly AccessKey[], opts: VerifyOptions): AuthSuccess | AuthFailure {
  const c = checkCredentials(req, keys, opts.now, opts.service ?? 'lex');
  if (!c.ok) return c;
  const { key, shortDate, region, svc, signedHeaders, signature, header } = c;
  const names = signedHeaders.split(';');
  const canonicalHeaders = names.map((n) => `${n}:${(header(n) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const query = q < 0 ? '' : req.url.slice(q + 1);
  const canonicalRequest = [req.method, canonicalPath(path), canonicalQuery(query), canonicalHeaders, signedHeaders, opts.payloadHash].join('\n');
  const scope = `${shortDate}/${region}/${svc}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', c.amz, scope, createHash('sha256').update(canonicalRequest).digest('hex')].join('\n');
  const expected = hmac(signingKey(key.secretAccessKey, shortDate, region, svc), stringToSign).toString('hex');
  if (!safeEqualHex(expected, signature)) {
    return fail(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return { ok: true, accessKeyId: key.accessKeyId, region, seedSignature: signature, secretAccessKey: key.secretAccessKey };
}

function fail(code: AuthFailure['code'], message: string): AuthFailure {
  return { ok: false, status: 403, code, message };
}

/** `YYYYMMDDTHHMMSSZ` for a date. */
export function amzDate(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * Chunk signature of one event (protocols.md §4.7):
 * HMAC(signingKey, "AWS4-HMAC-SHA256-PAYLOAD\n" + date + scope + prior + sha(:date header) + sha(payload)).
 */
export function eventSignature(secret: string, region: string, date: Date, priorSignature: string, encodedDateHeader: Uint8Array, payload: Uint8Array, service = 'lex'): string {
  const full = amzDate(date);
  const shortDate = full.slice(0, 8);
  const stringToSign = [
    'AWS4-HMAC-SHA256-PAYLOAD',
    full,
    `${shortDate}/${region}/${service}/aws4_request`,
    priorSignature,
    createHash('sha256').update(encodedDateHeader).digest('hex'),
    createHash('sha256').update(payload).digest('hex'),
  ].join('\n');
  return hmac(signingKey(secret, shortDate, region, service), stringToSign).toString('hex');
}

/** Hex SHA-256 of a body. */
export function sha256Hex(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}
