import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { seedPool } from '../support/seed.ts';

/** Errors a client meets, each answered with the API's own code and a message that says where. */
describe('error answers', () => {
  let api: TestApi;
  let poolId: string;
  let audienceId: string;
  beforeAll(async () => {
    api = await startTestApi();
    poolId = await seedPool(api.database.db, [{ phone: '+14155550001' }]);
    const audience = await uploadCsv(
      'phone,first_name,note\n+14155550100,Ann,short\n+14155550101,Bob,"two\r\nlines"\n',
    );
    expect(audience.statusCode, audience.body).toBe(201);
    audienceId = audience.json().id;
  });
  afterAll(async () => {
    await api.close();
  });

  const uploadCsv = (payload: string | Buffer) =>
    api.app.inject({
      method: 'POST',
      url: '/v1/audiences',
      headers: { ...api.auth, 'content-type': 'text/csv' },
      payload,
    });

  const createCampaign = (body: Record<string, unknown>) =>
    api.app.inject({
      method: 'POST',
      url: '/v1/campaigns',
      headers: api.auth,
      payload: {
        name: 'errors',
        audience_id: audienceId,
        sms_pool_id: poolId,
        steps: [{ template: 'Hi {{first_name}}, reply YES' }],
        ...body,
      },
    });

  describe('CSV uploads', () => {
    it('names the line and byte of a sequence that is not UTF-8', async () => {
      const head = Buffer.from('phone,first_name\n+14155550110,Ann\n+14155550111,Ren');
      const response = await uploadCsv(
        Buffer.concat([head, Buffer.from([0xe9]), Buffer.from('e\n+14155550112,Cy\n')]),
      );
      expect(response.statusCode).toBe(400);
      const { error } = response.json();
      expect(error.code).toBe('csv_not_utf8');
      expect(error.details).toEqual({ line: 3, byte: head.length });
      expect(error.message).toContain(`0xE9 on line 3 at byte ${head.length}`);
    });

    it('names the line of a bad sequence in the header, at a line start, or the start of its multi-line quoted cell', async () => {
      const header = await uploadCsv(Buffer.concat([Buffer.from('ph'), Buffer.from([0xff])]));
      expect(header.statusCode).toBe(400);
      expect(header.json().error).toMatchObject({
        code: 'csv_not_utf8',
        details: { line: 1, byte: 2 },
      });
      const start = Buffer.from('phone,note\r\n+14155550113,"two\r\nlines"\r\n');
      const atStart = await uploadCsv(Buffer.concat([start, Buffer.from([0x80, 0x0a])]));
      expect(atStart.json().error).toMatchObject({
        code: 'csv_not_utf8',
        details: { line: 4, byte: start.length },
      });
      const head = Buffer.from('phone,note\r\n+14155550113,"two\r\nlines, then ');
      const quoted = await uploadCsv(
        Buffer.concat([head, Buffer.from([0xc3, 0x28]), Buffer.from('"\r\n')]),
      );
      expect(quoted.statusCode).toBe(400);
      expect(quoted.json().error).toMatchObject({
        code: 'csv_not_utf8',
        details: { line: 2, byte: head.length },
        message: expect.stringContaining(
          `0xC3 in the quoted field that starts on line 2 at byte ${head.length}`,
        ),
      });
    });

    it('names the line where an unclosed quote opened', async () => {
      const response = await uploadCsv(
        'phone,first_name\n+14155550120,Ann\n+14155550121,"Bob\n+14155550122,Cy\n+14155550123,Di\n',
      );
      expect(response.statusCode).toBe(400);
      const { error } = response.json();
      expect(error.code).toBe('csv_malformed');
      expect(error.details).toEqual({ line: 3 });
      expect(error.message).toContain('the quote opened on line 3 is never closed');
    });

    it('keeps the error about a wide header small', async () => {
      const header = Array.from({ length: 5000 }, (_, i) => `a_rather_long_column_name_${i}`);
      const response = await uploadCsv(`${header.join(',')}\nx\n`);
      expect(response.statusCode).toBe(400);
      expect(response.body.length).toBeLessThan(2000);
      const { error } = response.json();
      expect(error.code).toBe('csv_no_phone_column');
      expect(error.message).toMatch(/found a_rather_long_column_name_0, .* … and \d+ more$/);
      expect(error.details.column_count).toBe(5000);
    });

    it('still imports good rows, a multi-line quoted cell included', async () => {
      const response = await uploadCsv(
        'phone,first_name\n+14155550130,"Ann\nMarie"\n+14155550131,Bob\n',
      );
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json()).toMatchObject({ imported: 2, rejected: 0 });
    });
  });

  describe("Fastify's own errors", () => {
    const post = (headers: Record<string, string>, payload: string) =>
      api.app.inject({
        method: 'POST',
        url: '/v1/campaigns',
        headers: { ...api.auth, ...headers },
        payload,
      });

    it.each([
      ['bad JSON', { 'content-type': 'application/json' }, '{"name":', 400, 'invalid_json'],
      ['an empty JSON body', { 'content-type': 'application/json' }, '', 400, 'invalid_json'],
      [
        'an unsupported content type',
        { 'content-type': 'application/xml' },
        '<campaign/>',
        415,
        'unsupported_media_type',
      ],
      [
        'a body over the limit',
        { 'content-type': 'application/json' },
        JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 1) }),
        413,
        'body_too_large',
      ],
    ])('answers %s with the API code', async (_what, headers, payload, status, code) => {
      const response = await post(headers, payload);
      expect(response.statusCode).toBe(status);
      const { error } = response.json();
      expect(error.code).toBe(code);
      expect(`${error.code} ${error.message}`).not.toMatch(/fst_|ctp_/i);
    });

    it('answers a non-multipart, non-CSV upload with unsupported_media_type', async () => {
      const response = await api.app.inject({
        method: 'POST',
        url: '/v1/audiences',
        headers: { ...api.auth, 'content-type': 'application/json' },
        payload: '{"phone":"+14155550100"}',
      });
      expect(response.statusCode).toBe(415);
      expect(response.json().error.code).toBe('unsupported_media_type');
    });
  });

  describe('templates at campaign creation', () => {
    it('refuses a template whose {{ is never closed, naming the step and character', async () => {
      const response = await createCampaign({
        steps: [{ template: 'Hi {{first_name}}' }, { template: 'Hi {{first_name, still there?' }],
      });
      expect(response.statusCode).toBe(400);
      const { error } = response.json();
      expect(error.code).toBe('invalid_template');
      expect(error.message).toContain('step 1');
      expect(error.details).toEqual([
        { step: 1, position: 4, message: expect.stringContaining('never closed') },
      ]);
    });

    it('refuses unbalanced braces and single-brace placeholders', async () => {
      for (const [template, position] of [
        ['Hi first_name}}', 14],
        ['Hi {first_name}', 4],
        ['Hi {{first name}}', 4],
      ] as const) {
        const response = await createCampaign({ steps: [{ template }] });
        expect(response.statusCode, template).toBe(400);
        expect(response.json().error).toMatchObject({
          code: 'invalid_template',
          details: [{ step: 0, position }],
        });
      }
    });
  });

  describe('segments at campaign creation', () => {
    it('refuses a template whose fixed text exceeds max_segments', async () => {
      const response = await createCampaign({
        steps: [{ template: `${'x'.repeat(700)} {{first_name}}` }],
      });
      expect(response.statusCode).toBe(400);
      const { error } = response.json();
      expect(error.code).toBe('too_many_segments');
      expect(error.details).toEqual([{ step: 0, segments: 5, encoding: 'GSM-7', max_segments: 4 }]);
    });

    it('shows each step’s segments, encoding and estimated total, on creation and on GET', async () => {
      const response = await createCampaign({
        max_segments: 6,
        steps: [
          { template: `${'x'.repeat(700)} {{first_name}}` },
          { template: 'Hi {{first_name}} 🎉', delay_seconds: 60 },
        ],
      });
      expect(response.statusCode, response.body).toBe(201);
      const created = response.json();
      expect(created.max_segments).toBe(6);
      const segments = created.steps.map((step: { segments: unknown }) => step.segments);
      expect(segments).toEqual([
        { encoding: 'GSM-7', per_message: 5, static_part: 5, sampled: true, estimated_total: 10 },
        { encoding: 'UCS-2', per_message: 1, static_part: 1, sampled: true, estimated_total: 2 },
      ]);
      const got = await api.app.inject({
        method: 'GET',
        url: `/v1/campaigns/${created.id}`,
        headers: api.auth,
      });
      expect(got.json().steps[0].segments).toEqual(segments[0]);
    });

    it('refuses max_segments above 10', async () => {
      const response = await createCampaign({ max_segments: 11 });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.details[0].path).toBe('body.max_segments');
    });
  });

  describe('the sending window', () => {
    it('is sending_window in the API, 08:00–21:00 by default', async () => {
      const response = await createCampaign({});
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json().sending_window).toEqual({ start: '08:00', end: '21:00' });
      expect(response.json()).not.toHaveProperty('quiet_hours');
    });

    it('still takes quiet_hours, the deprecated name', async () => {
      const response = await createCampaign({ quiet_hours: { start: '09:00', end: '17:30' } });
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json().sending_window).toEqual({ start: '09:00', end: '17:30' });
    });

    it('takes a window wider than the law allows, clamped, and says so on creation', async () => {
      const response = await createCampaign({ sending_window: { start: '06:00', end: '23:00' } });
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json()).toMatchObject({
        sending_window: { start: '06:00', end: '23:00' },
        sending_window_effective: { start: '08:00', end: '21:00' },
        legal_floor: { clamped: true, federal: { start: '08:00', end: '21:00' } },
      });
    });

    it.each([
      [
        'starts after it ends',
        { start: '21:00', end: '08:00' },
        'starts at 21:00 but ends at 08:00',
      ],
      ['crosses midnight', { start: '20:00', end: '02:00' }, 'start must be before end'],
      ['is empty', { start: '10:00', end: '10:00' }, 'start must be before end'],
      ['has a time past 24:00', { start: '08:00', end: '24:30' }, 'expected HH:MM'],
      [
        'has no hour the law allows',
        { start: '21:00', end: '24:00' },
        'entirely outside 08:00–21:00, the hours federal law allows',
      ],
    ])('refuses a window that %s, naming the cause', async (_what, window, cause) => {
      for (const name of ['sending_window', 'quiet_hours']) {
        const response = await createCampaign({ [name]: window });
        expect(response.statusCode, name).toBe(400);
        const { error } = response.json();
        expect(error.code).toBe('invalid_request');
        expect(error.message).toContain(`body.${name}.`);
        expect(error.message).toContain(cause);
      }
    });

    it('refuses both names with different hours', async () => {
      const response = await createCampaign({
        sending_window: { start: '09:00', end: '17:00' },
        quiet_hours: { start: '08:00', end: '21:00' },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toContain('deprecated name of sending_window');
    });
  });
});
