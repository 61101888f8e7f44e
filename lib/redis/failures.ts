// What a failed Redis call means. Three different things, handled three ways:
//   "bug"      Redis understood the command and refused it: wrong type, script error, keys of
//              one script in different cluster slots (CROSSSLOT). Thrown: falling back would
//              hide the bug (a CROSSSLOT rate limit would quietly stop counting).
//   "moving"   The cluster is rearranging itself: a slot moved (MOVED/ASK), a failover is under
//              way (CLUSTERDOWN, TRYAGAIN, a master's connection closed, a replica not yet
//              promoted). The cluster client follows redirects and retries by itself; a call
//              that still fails within its deadline falls back like an outage, but it is
//              logged as a topology change, not as Redis being down. On a single-node
//              connection a redirect means REDIS_URL points at a cluster: a configuration error.
//   "down"     No answer: refused, reset, timed out, nothing reachable. The caller carries on
//              through PostgreSQL alone (docs/invariants.md, I6).

export type RedisFailure = "bug" | "moving" | "down";

const BUG = /^(ERR|WRONGTYPE|CROSSSLOT|EXECABORT)\b/;
const MOVING = /^(MOVED|ASK|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY|LOADING)\b|Too many Cluster redirections/;

export function classifyRedisError(err: unknown): RedisFailure {
  // Upstash's HTTP client may wrap a reply error as "Command failed: <reply>".
  const message = (err instanceof Error ? err.message : String(err)).replace(/^Command failed: /, "");
  // NOSCRIPT is asked and answered inside the client (EVALSHA, then EVAL with the text).
  if (/NOSCRIPT/.test(message)) return "down";
  if (MOVING.test(message)) return "moving";
  if (BUG.test(message)) return "bug";
  return "down";
}

/** A redirect reached the caller on a single-node connection: the node belongs to a cluster. */
export function isRedirect(err: unknown) {
  return err instanceof Error && /^(Command failed: )?(MOVED|ASK) /.test(err.message);
}
