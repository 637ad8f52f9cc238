import { createHmac } from "node:crypto";
import type { IceConfig, IceServer } from "../../../protocol/call";
import type { Settings } from "../../../protocol/settings";
import type { Config } from "../../config";

/**
 * The TURN REST credential coturn checks with `use-auth-secret`: the username is `<unix expiry>:<user id>`, the
 * password base64(HMAC-SHA1(shared secret, username)). coturn refuses it after the expiry.
 */
export function turnCredential(secret: string, userId: string, expiresAt: number) {
  const username = `${expiresAt}:${userId}`;
  return { username, credential: createHmac("sha1", secret).update(username).digest("base64") };
}

/**
 * The STUN/TURN servers a signed-in person's browser uses: the tenant's (set by the super admin) and the
 * platform's own TURN_URLS. A server with a shared secret gets a credential for this person that expires after
 * the TTL; the secret itself never leaves the server. TURN_RELAY_ONLY asks the browser for relayed candidates only.
 */
export function iceServersFor(
  settings: Settings,
  config: Pick<Config, "turnSecret" | "turnUrls" | "turnCredentialTtlSeconds" | "turnRelayOnly">,
  userId: string,
  now = Date.now(),
): IceConfig & { ttlSeconds: number } {
  const ttlSeconds = config.turnCredentialTtlSeconds;
  const expiresAt = Math.floor(now / 1000) + ttlSeconds;
  const platform = config.turnUrls.length
    ? [{ urls: config.turnUrls, ...(config.turnSecret ? { secret: config.turnSecret } : {}) }]
    : [];
  const iceServers = [...settings.iceServers, ...platform].map((server): IceServer => {
    if ("secret" in server && server.secret)
      return { urls: server.urls, ...turnCredential(server.secret, userId, expiresAt) };
    const { urls, username, credential } = server as IceServer;
    return { urls, ...(username ? { username } : {}), ...(credential ? { credential } : {}) };
  });
  return { iceServers, iceTransportPolicy: config.turnRelayOnly ? "relay" : "all", ttlSeconds };
}
