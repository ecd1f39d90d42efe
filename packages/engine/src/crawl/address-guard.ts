import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/** Why a URL may not be fetched, or null when it may. */
export function schemeRefusal(url: URL): string | null {
  return url.protocol === "http:" || url.protocol === "https:" ? null : `only http(s) URLs are crawled, got ${url.protocol.replace(/:$/, "")}`;
}

/**
 * Public unicast only: loopback, private (RFC 1918, fc00::/7), link-local, carrier-grade NAT,
 * unspecified, multicast and reserved ranges are refused, as is an IPv4-mapped IPv6 form of them.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed.range() === "unicast";
}

/** The refusal for a host written as an IP literal, null for a public one or a name (checked at DNS time). */
export function literalRefusal(hostname: string, allowPrivate: boolean): string | null {
  const bare = hostname.replace(/^\[|\]$/g, "");
  if (allowPrivate || !ipaddr.isValid(bare)) return null;
  return isPublicAddress(bare) ? null : `private or loopback address ${bare} refused (the site does not allow private addresses)`;
}

/** Thrown through the socket when a name resolves to an address the site may not reach. */
export class PrivateAddressError extends Error {
  readonly code = "EPRIVATEADDRESS";
}

/**
 * A DNS lookup for node:http that refuses private addresses after resolution, so a public name
 * that resolves to 127.0.0.1 (DNS rebinding) is refused at connect time, not only by its text.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const usable = allowPrivate ? addresses : addresses.filter((a) => isPublicAddress(a.address));
      if (usable.length === 0) {
        const list = addresses.map((a) => a.address).join(", ");
        return callback(
          new PrivateAddressError(`${hostname} resolves to private or loopback address ${list} (the site does not allow private addresses)`),
          "",
          0,
        );
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      callback(null, usable[0].address, usable[0].family);
    });
  };
}
