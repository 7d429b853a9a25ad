import type { CallConnection } from './call-connection.js';
import type { HttpState } from './http-routes.js';

/**
 * Every WebSocket connection and what it holds: a call slot (`MAX_CALLS`) or a place in the
 * pool of connections still waiting to authenticate (`MAX_PENDING_CONNECTIONS`), and the Twilio
 * upgrade signatures in use (`TWILIO_SIGNATURE_SINGLE_USE`).
 */
export class CallRegistry implements HttpState {
  readonly connections = new Set<CallConnection>();
  draining = false;
  private slotsTaken = 0;
  private readonly slotHolders = new WeakSet<CallConnection>();
  private readonly signatures = new Map<string, CallConnection>();
  /** Runs when the last connection has ended. */
  onIdle: (() => void) | undefined;

  constructor(
    private readonly maxCalls: number,
    private readonly maxPending: number,
  ) {}

  /** Calls in progress: configured calls with a session (the same count as `lexconn_active_calls`). */
  activeCalls(): number {
    let n = 0;
    for (const c of this.connections) if (c.active) n++;
    return n;
  }

  /** Connections waiting to authenticate without a call slot. */
  pendingConnections(): number {
    let n = 0;
    for (const c of this.connections) if (c.pending) n++;
    return n;
  }

  /** True when a connection that already authenticated may take a slot now. */
  hasFreeSlot(): boolean {
    return this.slotsTaken < this.maxCalls;
  }

  /** True when one more unauthenticated connection may wait. */
  hasPendingRoom(): boolean {
    return this.pendingConnections() < this.maxPending;
  }

  /** True while a live connection was admitted with `signature`. */
  signatureInUse(signature: string): boolean {
    return this.signatures.has(signature);
  }

  /** Adds a connection; with `holdsSlot` it takes a call slot now. */
  add(c: CallConnection, holdsSlot: boolean, signature?: string): void {
    this.connections.add(c);
    if (holdsSlot) this.takeSlot(c);
    if (signature) this.signatures.set(signature, c);
  }

  /** Takes a slot for `c`, which authenticated with its first message; false when none is free. */
  claimSlot(c: CallConnection): boolean {
    if (!this.hasFreeSlot()) return false;
    this.takeSlot(c);
    return true;
  }

  /** Removes an ended connection and frees what it held. */
  remove(c: CallConnection): void {
    if (!this.connections.delete(c)) return;
    if (this.slotHolders.has(c)) {
      this.slotHolders.delete(c);
      this.slotsTaken--;
    }
    for (const [sig, owner] of this.signatures) if (owner === c) this.signatures.delete(sig);
    if (this.connections.size === 0) this.onIdle?.();
  }

  private takeSlot(c: CallConnection): void {
    this.slotHolders.add(c);
    this.slotsTaken++;
  }
}
