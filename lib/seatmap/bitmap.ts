// The inventory bitmap, the one codec for server, seat maps and tools: 2 bits per place, four
// places per byte, little end first: state of seq i = (bytes[i >> 2] >> ((i & 3) * 2)) & 3, with
// the states of ./types.ts (0 available, incl. expired holds; 1 held; 2 sold; 3 blocked). For 20,000 seats
// that is 5,000 bytes (about 6.7 KB as base64), small enough to poll every second.

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = "";
  const CHUNK = 0x8000; // String.fromCharCode has an argument limit
  for (let i = 0; i < bytes.length; i += CHUNK) {
    bin += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(bin);
}

/** One byte per seq (0 available, 1 held, 2 sold, 3 blocked). Missing bytes read as available. */
export function decodeStates(data: string, count: number): Uint8Array {
  const bytes = base64ToBytes(data);
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const byte = bytes[i >> 2] ?? 0;
    out[i] = (byte >> ((i & 3) * 2)) & 3;
  }
  return out;
}

/** `states`: one number per seq, or one digit character per seq (as SQL builds it: lib/inventory/places.ts). */
export function encodeStates(states: ArrayLike<number> | string): string {
  const state = typeof states === "string" ? (i: number) => states.charCodeAt(i) - 48 : (i: number) => states[i];
  const bytes = new Uint8Array(Math.ceil(states.length / 4));
  for (let i = 0; i < states.length; i++) bytes[i >> 2] |= (state(i) & 3) << ((i & 3) * 2);
  return bytesToBase64(bytes);
}
