import { describe, expect, it } from 'vitest';
import { acceptsGzip } from '../../main/node/sender/page-reply.js';

describe('acceptsGzip', () => {
  it('takes gzip or * unless their q is 0, in any case and spacing', () => {
    const yes = ['gzip', 'GZIP', 'br, gzip;q=0.5', 'deflate , gzip ; q=1', '*', '*;q=0.1', ['br', 'gzip']];
    const no = [undefined, '', 'identity', 'br, deflate', 'gzip;q=0', 'gzip; q=0.0', '*;q=0', 'x-gzip2'];
    for (const h of yes) expect(acceptsGzip(h), String(h)).toBe(true);
    for (const h of no) expect(acceptsGzip(h), String(h)).toBe(false);
  });
});
