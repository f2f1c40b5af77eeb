/** A SHA-256 fingerprint (64 hex digits) in blocks of four, upper case, for reading and comparing. */
export const formatFingerprint = (hex: string): string => (hex.toUpperCase().match(/.{1,4}/g) ?? []).join(' ');

/** Seconds left as m:ss (a pairing code's countdown). */
export function formatCountdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}
