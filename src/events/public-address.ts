import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions, type LookupOptions } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses a caller-chosen URL must never reach (RFC 6890 special-purpose ranges): this host,
 * loopback, private networks, shared address space, link-local (cloud metadata lives at
 * 169.254.169.254), benchmarking, multicast, reserved, and their IPv6 counterparts.
 */
const NOT_PUBLIC = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b:1::', 48],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(net, prefix, 'ipv6');
}

/** True for an IP address on the public internet; false for the special-purpose ranges above (an IPv4-mapped IPv6 address is judged as its IPv4). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return isPublicAddress(mapped[1]);
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** The resolver a `publicOnlyLookup` asks (dns.lookup, or a test's). */
export type Resolver = (hostname: string, options: LookupAllOptions, callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void;

/**
 * A `lookup` for `http.request` that resolves the name itself and connects only to public
 * addresses, so a name cannot be pointed at loopback, a private network or cloud metadata
 * (DNS rebinding included: the address checked is the address connected to). Refusals fail
 * with code `ADDRESS_REFUSED`.
 */
export function publicOnlyLookup(resolve: Resolver = dnsLookup as unknown as Resolver): LookupFunction {
  return (hostname: string, options: LookupOptions, callback: (...args: never[]) => void) => {
    const cb = callback as unknown as (err: NodeJS.ErrnoException | null, address?: string | LookupAddress[], family?: number) => void;
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return cb(err);
      const allowed = addresses.filter((a) => isPublicAddress(a.address));
      if (allowed.length === 0) return cb(Object.assign(new Error(`${hostname} resolves to no public address`), { code: 'ADDRESS_REFUSED' }));
      if (options.all) return cb(null, allowed);
      cb(null, allowed[0].address, allowed[0].family);
    });
  };
}
