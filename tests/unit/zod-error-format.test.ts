import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeZodError, issuesOf } from '../../preload/contract/issues.js';
import { SenderConfigPatchSchema, SettingsSchema, handlerInputs } from '../../preload/contract.js';

const errorOf = (schema: z.ZodType, input: unknown) => {
  const r = schema.safeParse(input);
  if (r.success) throw new Error(`accepted ${JSON.stringify(input)}`);
  return r.error;
};

describe('describeZodError (the one zod error formatter)', () => {
  it("names each failing field by its path, in the schema's words", () => {
    const err = errorOf(z.object({ port: z.number().max(65_535, 'at most 65535'), name: z.string().min(1, 'required') }), {
      port: 70_000,
      name: '',
    });
    expect(describeZodError(err)).toBe('port: at most 65535; name: required');
  });

  it('prefixes a path (a stored row, a list item) and joins nested paths with dots', () => {
    const err = errorOf(z.object({ exchange: z.object({ rest: z.string().url('must be a URL') }) }), { exchange: { rest: 'nope' } });
    expect(describeZodError(err)).toBe('exchange.rest: must be a URL');
    expect(describeZodError(err, 'requests.3')).toBe('requests.3.exchange.rest: must be a URL');
  });

  it('says a root-level problem without a path', () => {
    expect(describeZodError(errorOf(z.number('must be a number'), 'x'))).toBe('must be a number');
  });

  it('keeps a line short on request: the first issues and how many more', () => {
    const err = errorOf(z.array(z.number('not a number')), ['a', 'b', 'c']);
    expect(describeZodError(err)).toBe('0: not a number; 1: not a number; 2: not a number');
    expect(describeZodError(err, '', 1)).toBe('0: not a number (and 2 more)');
  });

  it('formats the real contract schemas the node answers with', () => {
    const sender = errorOf(SenderConfigPatchSchema, { port: 70_000 });
    expect(describeZodError(sender)).toMatch(/^port: /);
    expect(issuesOf(sender, { port: 70_000 })[0]).toMatchObject({ path: ['port'] });
    expect(describeZodError(errorOf(SettingsSchema, { closeToTray: 'yes' }))).toMatch(/^closeToTray: /);
    expect(describeZodError(errorOf(handlerInputs['logs.tail'], { limit: 'many' }))).toMatch(/^limit: /);
  });
});
