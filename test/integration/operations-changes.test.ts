import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthSettings } from '../../db/health-settings.ts';
import { recordOutcomes } from '../../db/number-health.ts';
import { reserveSenders } from '../../db/sender-reservations.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { createCampaign, launch } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';

describe('operator changes', () => {
  let api: TestApi;
  let poolId: string;
  let audienceId: string;
  beforeAll(async () => {
    api = await startTestApi();
    poolId = await seedPool(api.database.db, [
      { phone: '+14155550100' },
      { phone: '+14155550101' },
    ]);
    audienceId = await seedAudience(
      api.database.db,
      contactPhones(20).map((phone) => ({ phone, attributes: { first_name: 'Sam', plan: 'pro' } })),
      ['first_name', 'plan'],
    );
  });
  afterAll(async () => {
    await api?.close();
  });

  const send = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    api.app.inject({
      method,
      url,
      headers: api.auth,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const numberUrl = (phone: string, pool = poolId) =>
    `/v1/pools/${pool}/numbers/${encodeURIComponent(phone)}`;

  describe('PATCH /v1/campaigns/:id', () => {
    it('changes a draft through the same checks as create, and records what changed', async () => {
      const id = await createCampaign(api, { audience_id: audienceId, sms_pool_id: poolId });
      const patched = await send('PATCH', `/v1/campaigns/${id}`, {
        name: 'Renamed',
        steps: [
          { template: 'Hi {{first_name}}, your {{plan}} plan' },
          { template: 'Still there?' },
        ],
        quiet_hours: { start: '10:00', end: '18:00' },
        frequency_cap: { max: 2, days: 7 },
        handoff: { mode: 'text_us' },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json()).toMatchObject({
        name: 'Renamed',
        sending_window: { start: '10:00', end: '18:00' },
        frequency_cap: { max: 2, days: 7 },
        handoff: { mode: 'text_us' },
        max_segments: expect.any(Number),
        retry_policy: { max_attempts: 3, backoff_seconds: 60 },
      });
      expect(patched.json().steps.map((s: { template: string }) => s.template)).toEqual([
        'Hi {{first_name}}, your {{plan}} plan',
        'Still there?',
      ]);
      // Fields left out keep their value (no defaults laid over them).
      const again = await send('PATCH', `/v1/campaigns/${id}`, {
        retry_policy: { max_attempts: 5, backoff_seconds: 10 },
      });
      expect(again.json()).toMatchObject({
        name: 'Renamed',
        frequency_cap: { max: 2, days: 7 },
        retry_policy: { max_attempts: 5, backoff_seconds: 10 },
      });
      expect(again.json().steps).toHaveLength(2);
      const log = await api.database.db
        .selectFrom('operator_changes')
        .selectAll()
        .where('resource_id', '=', id)
        .orderBy('id')
        .execute();
      expect(log).toHaveLength(2);
      expect(log[0]).toMatchObject({
        resource_type: 'campaign',
        action: 'update',
        actor: 'bootstrap',
      });
      expect(log[0]!.changes.name).toEqual({ before: 'test campaign', after: 'Renamed' });
      expect(Object.keys(log[1]!.changes)).toEqual(['retry_policy']);
      // And the API shows them.
      const shown = await send('GET', `/v1/campaigns/${id}/changes`);
      expect(shown.statusCode, shown.body).toBe(200);
      expect(shown.json().changes).toHaveLength(2);
      expect(shown.json().changes[0]).toMatchObject({
        action: 'update',
        actor: 'bootstrap',
        fields: { name: { before: 'test campaign', after: 'Renamed' } },
      });
      expect(Object.keys(shown.json().changes[1].fields)).toEqual(['retry_policy']);
      const unknown = '00000000-0000-4000-8000-000000000000';
      expect((await send('GET', `/v1/campaigns/${unknown}/changes`)).statusCode).toBe(404);
      expect((await send('GET', `/v1/campaigns/nope/changes`)).statusCode).toBe(400);
    });

    it('refuses bad changes: wrong types, unknown fields, long strings, unknown ids, templates', async () => {
      const id = await createCampaign(api, { audience_id: audienceId, sms_pool_id: poolId });
      const cases: [unknown, number][] = [
        [{ name: 42 }, 400],
        [{ name: 'x'.repeat(201) }, 400],
        [{ nmae: 'typo' }, 400],
        [{}, 400],
        [{ steps: [] }, 400],
        [{ sending_window: { start: '20:00', end: '09:00' } }, 400],
        [
          {
            sending_window: { start: '09:00', end: '17:00' },
            quiet_hours: { start: '10:00', end: '17:00' },
          },
          400,
        ],
        [{ steps: [{ template: 'Hi {{nickname}}' }] }, 422],
        [{ sms_pool_id: '00000000-0000-4000-8000-000000000000' }, 422],
        [{ name: 'nul\u0000byte' }, 400],
      ];
      for (const [body, status] of cases) {
        const response = await send('PATCH', `/v1/campaigns/${id}`, body);
        expect(response.statusCode, JSON.stringify(body) + response.body).toBe(status);
      }
      const unknown = await send('PATCH', '/v1/campaigns/00000000-0000-4000-8000-000000000000', {
        name: 'x',
      });
      expect(unknown.statusCode).toBe(404);
      expect((await send('PATCH', '/v1/campaigns/not-a-uuid', { name: 'x' })).statusCode).toBe(400);
      const huge = await send('PATCH', `/v1/campaigns/${id}`, {
        name: 'y',
        help_text: 'z'.repeat(2_000_000),
      });
      expect(huge.statusCode).toBeGreaterThanOrEqual(400);
      expect(huge.statusCode).toBeLessThan(500);
    });

    it('refuses to change or archive a running campaign (409), archives a finished one', async () => {
      const id = await createCampaign(api, { audience_id: audienceId, sms_pool_id: poolId });
      await launch(api, id);
      const patch = await send('PATCH', `/v1/campaigns/${id}`, { name: 'late' });
      expect(patch.statusCode).toBe(409);
      expect(patch.json().error.code).toBe('campaign_not_draft');
      expect(patch.json().error.message).toMatch(/only a draft/);
      const archive = await send('POST', `/v1/campaigns/${id}/archive`);
      expect(archive.statusCode).toBe(409);
      expect(archive.json().error.code).toBe('campaign_active');
      const cancel = await send('POST', `/v1/campaigns/${id}/cancel`);
      expect(cancel.statusCode, cancel.body).toBeLessThan(300);
      await api.database.db
        .updateTable('campaigns')
        .set({ status: 'cancelled' })
        .where('id', '=', id)
        .execute();

      const archived = await send('POST', `/v1/campaigns/${id}/archive`);
      expect(archived.statusCode, archived.body).toBe(200);
      expect(archived.json()).toMatchObject({ id, archived: true });
      const listed = (url: string) =>
        send('GET', url).then((r) => r.json().campaigns.map((c: { id: string }) => c.id));
      expect(await listed('/v1/campaigns?limit=500')).not.toContain(id);
      expect(await listed('/v1/campaigns?archived=true')).toEqual([id]);
      expect(await listed('/v1/campaigns?archived=any&limit=500')).toContain(id);
      const back = await send('POST', `/v1/campaigns/${id}/unarchive`);
      expect(back.json()).toMatchObject({ archived: false, archived_at: null });
      expect(await listed('/v1/campaigns?limit=500')).toContain(id);
    });
  });

  describe('DELETE /v1/audiences/:id', () => {
    it('deletes an unused audience and refuses one a campaign uses', async () => {
      const unused = await seedAudience(api.database.db, [{ phone: '+12125550142' }]);
      const deleted = await send('DELETE', `/v1/audiences/${unused}`);
      expect(deleted.statusCode, deleted.body).toBe(200);
      expect(deleted.json()).toMatchObject({ id: unused, deleted: true, members_removed: 0 });
      expect((await send('GET', `/v1/audiences/${unused}`)).statusCode).toBe(404);
      expect((await send('DELETE', `/v1/audiences/${unused}`)).statusCode).toBe(404);
      const contact = await send('GET', '/v1/contacts/+12125550142');
      expect(contact.statusCode).toBe(200);
      const used = await send('DELETE', `/v1/audiences/${audienceId}`);
      expect(used.statusCode).toBe(409);
      expect(used.json().error.code).toBe('audience_in_use');
      expect((await send('DELETE', '/v1/audiences/nope')).statusCode).toBe(400);
    });
  });

  describe('pools and numbers', () => {
    it('PATCHes pool settings and health thresholds, with null back to the global value', async () => {
      const patched = await send('PATCH', `/v1/pools/${poolId}`, {
        geomatch: false,
        toll_free_weight: 0,
        health_thresholds: { threshold: 0.9, cooldown_seconds: 600 },
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json()).toMatchObject({
        geomatch: false,
        toll_free_weight: 0,
        health_thresholds: {
          threshold: 0.9,
          cooldown_seconds: 600,
          overridden: ['threshold', 'cooldown_seconds'],
        },
      });
      const reset = await send('PATCH', `/v1/pools/${poolId}`, {
        geomatch: true,
        health_thresholds: { threshold: null, cooldown_seconds: null },
      });
      expect(reset.json().health_thresholds).toMatchObject({ threshold: 0.8, overridden: [] });
      const changes = (await send('GET', `/v1/pools/${poolId}/changes`)).json().changes;
      expect(changes.at(-1)).toMatchObject({
        action: 'update',
        fields: { geomatch: { before: false, after: true } },
      });
      for (const body of [
        {},
        { provider: 'blooio' },
        { geomatch: 'yes' },
        { health_thresholds: { threshold: 2 } },
        { name: '' },
      ])
        expect(
          (await send('PATCH', `/v1/pools/${poolId}`, body)).statusCode,
          JSON.stringify(body),
        ).toBe(400);
      expect(
        (await send('PATCH', '/v1/pools/00000000-0000-4000-8000-000000000000', { geomatch: true }))
          .statusCode,
      ).toBe(404);
    });

    it("a pool's own threshold changes a number's health verdict", async () => {
      const { db } = api.database;
      const lenient = await seedPool(db, [{ phone: '+13105550100' }], { name: 'lenient' });
      const strict = await seedPool(db, [{ phone: '+13105550101' }], { name: 'strict' });
      const set = await send('PATCH', `/v1/pools/${strict}`, {
        health_thresholds: { threshold: 0.95, min_samples: 10 },
      });
      expect(set.statusCode, set.body).toBe(200);
      await send('PATCH', `/v1/pools/${lenient}`, { health_thresholds: { min_samples: 10 } });
      const numbers = await db
        .selectFrom('sender_numbers')
        .select(['id', 'pool_id', 'phone'])
        .where('pool_id', 'in', [lenient, strict])
        .execute();
      // 18 delivered of 20: 90%, above the global 80% but below the strict pool's 95%.
      const outcomes = numbers.flatMap((n) => [
        ...Array.from({ length: 18 }, () => ({
          numberId: n.id,
          status: 'delivered',
          errorCode: null,
        })),
        ...Array.from({ length: 2 }, () => ({
          numberId: n.id,
          status: 'undelivered',
          errorCode: 30007,
        })),
      ]);
      await recordOutcomes(db, outcomes, new Date(), healthSettings(api.config));
      const states = await db
        .selectFrom('sender_numbers')
        .select(['pool_id', 'state'])
        .where('pool_id', 'in', [lenient, strict])
        .execute();
      expect(states.find((s) => s.pool_id === lenient)?.state).toBe('active');
      expect(states.find((s) => s.pool_id === strict)?.state).toBe('cooling');

      const history = await send('GET', `${numberUrl('+13105550101', strict)}/history`);
      expect(history.statusCode, history.body).toBe(200);
      expect(history.json().history[0]).toMatchObject({
        kind: 'state_change',
        actor: 'tandem',
        from_state: 'active',
        to_state: 'cooling',
        samples: 20,
      });
      expect(history.json().history[0].reason).toMatch(/below 95%/);

      // A manual release ends the cool-down early, on probation.
      const release = await send('POST', `${numberUrl('+13105550101', strict)}/release`, {});
      expect(release.statusCode, release.body).toBe(200);
      expect(release.json().state).toBe('probation');
      const twice = await send('POST', `${numberUrl('+13105550101', strict)}/release`, {});
      expect(twice.statusCode).toBe(409);
      expect(twice.json().error.code).toBe('number_not_cooling');
    });

    it('PATCHes a number and keeps the change in its history', async () => {
      const url = numberUrl('+14155550101');
      const patched = await send('PATCH', url, {
        weight: 3,
        mps: 2.5,
        mms_mps: 1,
        daily_cap: 500,
        reason: 'more throughput',
      });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json()).toMatchObject({ weight: 3, mps: 2.5, mms_mps: 1, daily_cap: 500 });
      const cleared = await send('PATCH', url, { daily_cap: null });
      expect(cleared.json().daily_cap).toBeNull();
      for (const body of [
        {},
        { weight: -1 },
        { mps: 0 },
        { mps: 'fast' },
        { mms_mps: -1 },
        { colour: 'red' },
        { weight: 1, reason: 'r'.repeat(501) },
      ])
        expect((await send('PATCH', url, body)).statusCode, JSON.stringify(body)).toBe(400);
      expect((await send('PATCH', numberUrl('+14155559999'), { weight: 1 })).statusCode).toBe(404);
      const history = (await send('GET', `${url}/history`)).json().history;
      expect(history[0]).toMatchObject({
        kind: 'settings_change',
        actor: 'bootstrap',
        changes: { daily_cap: { before: 500, after: null } },
      });
      expect(history[1]).toMatchObject({
        reason: 'more throughput',
        changes: {
          weight: { before: 1, after: 3 },
          mps: { before: 10, after: 2.5 },
          mms_mps: { before: null, after: 1 },
          daily_cap: { before: null, after: 500 },
        },
      });
    });

    it('a paused number sends nothing until it is resumed', async () => {
      const { db } = api.database;
      const url = numberUrl('+14155550100');
      expect((await send('POST', `${url}/pause`, {})).statusCode).toBe(400);
      expect((await send('POST', `${url}/pause`, { reason: '   ' })).statusCode).toBe(400);
      const paused = await send('POST', `${url}/pause`, { reason: 'carrier complaint' });
      expect(paused.statusCode, paused.body).toBe(200);
      expect(paused.json().state).toBe('paused');
      expect((await send('POST', `${url}/pause`, { reason: 'again' })).json().error.code).toBe(
        'number_paused',
      );

      const contacts = await db
        .selectFrom('contacts')
        .select(['id', 'phone', 'area_code', 'region'])
        .limit(20)
        .execute();
      const requests = contacts.map((c) => ({
        contactId: c.id,
        toPhone: c.phone,
        areaCode: c.area_code,
        region: c.region,
        segments: 1,
      }));
      const options = { health: healthSettings(api.config), reserveSlots: false };
      const grants = await reserveSenders(db, poolId, requests, new Date(), options);
      expect(grants.every((g) => g.ok && g.fromPhone === '+14155550101')).toBe(true);
      const [explicit] = await reserveSenders(
        db,
        poolId,
        [{ ...requests[0]!, fromNumber: '+14155550100' }],
        new Date(),
        options,
      );
      expect(explicit?.ok).toBe(false);

      const resumed = await send('POST', `${url}/resume`, { reason: 'complaint closed' });
      expect(resumed.statusCode, resumed.body).toBe(200);
      expect(resumed.json().state).toBe('active');
      expect((await send('POST', `${url}/resume`, { reason: 'again' })).json().error.code).toBe(
        'number_not_paused',
      );
      const [back] = await reserveSenders(
        db,
        poolId,
        [{ ...requests[0]!, fromNumber: '+14155550100' }],
        new Date(),
        options,
      );
      expect(back).toMatchObject({ ok: true, fromPhone: '+14155550100' });

      const history = (await send('GET', `${url}/history`)).json().history;
      expect(history.slice(0, 2)).toMatchObject([
        {
          kind: 'state_change',
          actor: 'bootstrap',
          from_state: 'paused',
          to_state: 'active',
          reason: 'resume: complaint closed',
        },
        {
          kind: 'state_change',
          actor: 'bootstrap',
          from_state: 'active',
          to_state: 'paused',
          reason: 'pause: carrier complaint',
        },
      ]);
      expect((await send('GET', `${numberUrl('+14155559999')}/history`)).statusCode).toBe(404);
      expect(
        (await send('POST', `${numberUrl('+14155559999')}/pause`, { reason: 'x' })).statusCode,
      ).toBe(404);
      expect((await send('GET', `${url}/history?limit=0`)).statusCode).toBe(400);
    });
  });
});
