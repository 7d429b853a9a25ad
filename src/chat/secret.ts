import { inspect } from 'node:util';

/**
 * A secret value (auth token, API key secret, AWS secret) that prints as `[redacted]`
 * through JSON, string conversion and `util.inspect`, so a logged config object cannot
 * leak it. `reveal()` is the only way to read it.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself; call it only where the value is sent (HMAC key, Basic auth, SigV4). */
  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return '[redacted]';
  }

  toString(): string {
    return '[redacted]';
  }

  [inspect.custom](): string {
    return '[redacted]';
  }
}
