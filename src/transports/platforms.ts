import { browser } from './browser/browser-adapter.js';
import type { PlatformAdapter } from './transport.js';
import { twilio } from './twilio/twilio-adapter.js';
import { vonage } from './vonage/vonage-adapter.js';

/**
 * Every platform the connector speaks, tried in this order on a call's first message. The
 * only place that names them: a new platform is its folder under `transports/` and one line here.
 * The browser client opens like Vonage with `"events": true`, so it comes first.
 */
export const PLATFORMS: readonly PlatformAdapter[] = [browser, vonage, twilio];
