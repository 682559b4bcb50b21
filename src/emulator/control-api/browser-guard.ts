/**
 * Keeps web pages out of the Lambda API. A page can reach a loopback server
 * two ways: under its own hostname re-pointed at 127.0.0.1 (DNS rebinding),
 * which the Host check stops; or by a cross-origin request from its own
 * origin (a form, fetch no-cors), which always carries Origin or
 * Sec-Fetch-Site and is refused. curl, the AWS CLI and the SDKs send neither.
 */
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import { hostname, networkInterfaces } from "node:os";
import { LambdaApiError } from "../lambda-error.js";

export interface BrowserGuardOptions {
  /** Origins (scheme://host[:port]) whose browser requests are served. */
  readonly allowedOrigins?: readonly string[];
  /** Host names accepted besides loopback and the bound address. */
  readonly allowedHosts?: readonly string[];
}

const forbidden = (message: string) => new LambdaApiError("AccessDeniedException", 403, message);

export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, "");
  return (
    name === "localhost" ||
    name === "::1" ||
    (isIP(name) === 4 && name.startsWith("127.")) ||
    /^::ffff:127\./.test(name)
  );
}

const WILDCARD = new Set(["0.0.0.0", "::", "0:0:0:0:0:0:0:0"]);

export class BrowserGuard {
  private readonly hosts = new Set<string>();
  private readonly origins: ReadonlySet<string>;
  private port = 0;

  constructor(private readonly options: BrowserGuardOptions = {}) {
    this.origins = new Set((options.allowedOrigins ?? []).map(normalizeOrigin));
  }

  /** The address and port the server listens on: its own names become valid Hosts. */
  bound(address: string, port: number): void {
    this.port = port;
    this.hosts.clear();
    const names = [address, ...(this.options.allowedHosts ?? [])];
    // Bound to every interface: clients reach it by any of this machine's addresses.
    if (WILDCARD.has(address)) {
      names.push(hostname());
      for (const entries of Object.values(networkInterfaces()))
        for (const entry of entries ?? []) names.push(entry.address);
    }
    for (const name of names) this.hosts.add(name.toLowerCase().replace(/^\[|\]$/g, ""));
  }

  /** Throws 403 unless the request names this server and does not come from a web page. */
  check(request: IncomingMessage): void {
    const host = request.headers.host;
    if (!host || !this.isOwnHost(host)) {
      throw forbidden(
        `Host ${JSON.stringify(host ?? "")} is not this emulator's address: only loopback names and the bound address are served (emulate --allow-host adds one)`,
      );
    }
    const origin = request.headers.origin;
    const fetchSite = request.headers["sec-fetch-site"];
    const allowed = origin !== undefined && this.origins.has(normalizeOrigin(origin));
    if ((origin !== undefined || (fetchSite !== undefined && fetchSite !== "none")) && !allowed) {
      throw forbidden(
        `a browser request${origin ? ` from ${origin}` : ""} is refused: web pages may not call the emulator (emulate --allow-origin allows one origin)`,
      );
    }
  }

  private isOwnHost(header: string): boolean {
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(header.trim());
    if (!match) return false;
    const port = match[2] === undefined ? 80 : Number(match[2]);
    if (port !== this.port) return false;
    const name = match[1]!.toLowerCase().replace(/^\[|\]$/g, "");
    return isLoopbackHost(name) || this.hosts.has(name);
  }
}

function normalizeOrigin(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/+$/, "");
}
