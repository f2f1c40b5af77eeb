import { describe, expect, it } from 'vitest';
import { CoverageSchema } from '../../main/node/datasets/cells-wire.js';

const answer = (rows: unknown) => ({
  protocol: 1,
  code: 'KL030',
  from: 0,
  to: 1,
  count: 0,
  checksum: 'a'.repeat(64),
  columns: ['day', 'coin', 'count', 'hash'],
  rows,
});

describe('CoverageSchema rows', () => {
  it('takes [day, coin, count, hash] lines and refuses anything else, and more than 200,000 lines', () => {
    expect(
      CoverageSchema.safeParse(
        answer([
          ['2026-01-02', 'BTC', 48, 'ab'],
          ['2026-01-02', 'ETH', 0, ''],
        ]),
      ).success,
    ).toBe(true);
    expect(CoverageSchema.safeParse(answer([])).success).toBe(true);
    for (const bad of [
      [['2026-01-02', 'BTC', -1, '']],
      [['2026-01-02', 'BTC', 1.5, '']],
      [['2026-01-02', 'BTC', '48', '']],
      [['2026-01-02', 'BTC', 48]],
      [['2026-01-02', 'BTC', 48, '', 'x']],
      [[20260102, 'BTC', 48, '']],
      [['2026-01-02', null, 48, '']],
      ['2026-01-02,BTC,48,'],
      { 0: ['2026-01-02', 'BTC', 48, ''] },
    ]) {
      const r = CoverageSchema.safeParse(answer(bad));
      expect(r.success, JSON.stringify(bad)).toBe(false);
    }
    const many = Array.from({ length: 200_001 }, () => ['2026-01-02', 'BTC', 1, '']);
    expect(CoverageSchema.safeParse(answer(many)).success).toBe(false);
    expect(CoverageSchema.safeParse(answer(many.slice(1))).success).toBe(true);
  });
});
