import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, localParts, localToInstant } from '../../core/quiet-hours-time.ts';
import {
  createCampaign,
  getCampaign,
  launch,
  waitFor,
  waitForStatus,
} from '../support/campaigns.ts';
import { TestClock } from '../support/clock.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { zoneAtLocalHour } from '../support/zones.ts';

const SENDERS = ['+16175550801', '+16175550802'];
/**
 * The holiday test's own pool: its clock runs months behind, and a number's send slots are
 * reserved on the clock, so it must not share numbers with a test that sent at real time.
 */
const HOLIDAY_SENDERS = ['+16175550811'];
const ALL_DAY = { start: '00:00', end: '24:00' };
/** Mardi Gras 2026 (Tuesday 17 February), 10:00 in New Orleans (CST): a Louisiana legal holiday. */
const MARDI_GRAS_MORNING = new Date('2026-02-17T16:00:00Z');

interface MessageRow {
  to: string;
  status: string;
  wait_reason: string | null;
  wait_detail: string | null;
  deferred_until: string | null;
}

/** The next 08:00 in a zone at or after `now`. */
function nextEightAm(now: Date, zone: string): string {
  const local = localParts(now.getTime(), zone);
  const day = addDays(local.year, local.month, local.day, local.minuteOfDay < 8 * 60 ? 0 : 1);
  return new Date(localToInstant(day.year, day.month, day.day, 8 * 60, zone)).toISOString();
}

describe('the legal floor on sending hours', () => {
  let stack: CampaignStack;
  let poolId: string;
  let holidayPoolId: string;
  const clock = new TestClock();
  beforeAll(async () => {
    stack = await startCampaignStack({
      clock,
      sandbox: {
        numbers: [...SENDERS, ...HOLIDAY_SENDERS].map((phoneNumber) => ({
          phoneNumber,
          mps: 50,
          latencyMs: 5,
        })),
      },
    });
    poolId = await seedPool(
      stack.api.database.db,
      SENDERS.map((phone) => ({ phone, mps: 50 })),
    );
    holidayPoolId = await seedPool(
      stack.api.database.db,
      HOLIDAY_SENDERS.map((phone) => ({ phone, mps: 50 })),
      { name: 'holiday pool' },
    );
  });
  afterAll(async () => {
    await stack?.close();
  });

  const messages = async (campaignId: string): Promise<MessageRow[]> => {
    const response = await stack.api.app.inject({
      method: 'GET',
      url: `/v1/campaigns/${campaignId}/messages?limit=1000`,
      headers: stack.api.auth,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().messages;
  };
  const cancel = async (campaignId: string) => {
    const response = await stack.api.app.inject({
      method: 'POST',
      url: `/v1/campaigns/${campaignId}/cancel`,
      headers: stack.api.auth,
    });
    expect(response.statusCode, response.body).toBe(202);
    await waitForStatus(stack.api, campaignId, 'cancelled');
  };

  it('a campaign asking for 00:00–24:00 only sends 08:00–21:00 recipient-local (Florida 08:00–20:00)', async () => {
    clock.real();
    const now = new Date();
    // Zones chosen from the wall clock, so that each group is inside or outside deterministically.
    const night = zoneAtLocalHour(3, now);
    const afternoon = zoneAtLocalHour(14, now);
    const evening = zoneAtLocalHour(20, now); // inside the federal window, outside Florida's
    const groups = {
      caNight: { phones: contactPhones(8, '415'), zone: night, region: 'CA' },
      caAfternoon: { phones: contactPhones(8, '510'), zone: afternoon, region: 'CA' },
      flAfternoon: { phones: contactPhones(8, '305'), zone: afternoon, region: 'FL' },
      flEvening: { phones: contactPhones(8, '786'), zone: evening, region: 'FL' },
    };
    const all = Object.values(groups);
    const audienceId = await seedAudience(
      stack.api.database.db,
      all.flatMap(({ phones, zone, region }) =>
        phones.map((phone) => ({ phone, timeZone: zone, region })),
      ),
    );
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: poolId,
      quiet_hours: ALL_DAY,
    });

    // Accepted and clamped, and the campaign says so.
    const created = await getCampaign(stack.api, campaignId);
    expect(created.sending_window).toEqual(ALL_DAY);
    expect(created.sending_window_effective).toEqual({ start: '08:00', end: '21:00' });
    expect(created.legal_floor).toMatchObject({
      federal: { start: '08:00', end: '21:00' },
      effective: { start: '08:00', end: '21:00' },
      clamped: true,
    });
    expect(
      created.legal_floor.state_rules.find((rule: { state: string }) => rule.state === 'FL'),
    ).toMatchObject({ weekdays: { start: '08:00', end: '20:00' } });

    await launch(stack.api, campaignId);
    const sendable = [...groups.caAfternoon.phones, ...groups.flAfternoon.phones];
    const waiting = [...groups.caNight.phones, ...groups.flEvening.phones];
    const settled = await waitFor(
      'the afternoon groups delivered, the others deferred',
      async () => {
        const campaign = await getCampaign(stack.api, campaignId);
        const { delivered, deferred } = campaign.funnel;
        return delivered === sendable.length && deferred === waiting.length ? campaign : undefined;
      },
    );
    expect(settled.funnel.waiting_reasons.quiet_hours?.count).toBe(waiting.length);

    // Every message the carrier got left inside the recipient's legal hours.
    const ledger = (await stack.sandbox.ledger({ channel: 'sms' })).entries;
    expect(ledger.map((entry) => entry.to).sort()).toEqual([...sendable].sort());
    for (const entry of ledger) {
      const group = all.find(({ phones }) => phones.includes(entry.to));
      const minute = localParts(Date.parse(entry.at), group?.zone ?? '').minuteOfDay;
      expect(minute).toBeGreaterThanOrEqual(8 * 60);
      expect(minute).toBeLessThan(group?.region === 'FL' ? 20 * 60 : 21 * 60);
    }

    // The others wait for their own 08:00, and say why.
    const rows = await messages(campaignId);
    for (const { phones, zone } of [groups.caNight, groups.flEvening]) {
      for (const phone of phones) {
        expect(rows.find((row) => row.to === phone)).toMatchObject({
          status: 'pending',
          wait_reason: 'quiet_hours',
          wait_detail: null,
          deferred_until: nextEightAm(now, zone),
        });
      }
    }
    await cancel(campaignId);
  });

  it('a legal holiday of the recipient’s state defers to the next open day, naming it', async () => {
    // The worker's clock runs from Mardi Gras morning (in the past, never ahead of real time).
    clock.runFrom(MARDI_GRAS_MORNING, new Date());
    const louisiana = contactPhones(6, '504');
    const elsewhere = contactPhones(6, '312');
    const audienceId = await seedAudience(stack.api.database.db, [
      ...louisiana.map((phone) => ({ phone, timeZone: 'America/Chicago', region: 'LA' })),
      ...elsewhere.map((phone) => ({ phone, timeZone: 'America/Chicago', region: 'IL' })),
    ]);
    const campaignId = await createCampaign(stack.api, {
      audience_id: audienceId,
      sms_pool_id: holidayPoolId,
    });
    await launch(stack.api, campaignId);

    const settled = await waitFor('Illinois delivered, Louisiana deferred', async () => {
      const campaign = await getCampaign(stack.api, campaignId);
      const holiday = campaign.funnel.waiting_reasons.legal_holiday;
      return campaign.funnel.delivered === elsewhere.length && holiday?.count === louisiana.length
        ? campaign
        : undefined;
    });
    // Wednesday 08:00 CST.
    expect(settled.funnel.waiting_reasons.legal_holiday?.deferred_until).toBe(
      '2026-02-18T14:00:00.000Z',
    );
    const ledger = (await stack.sandbox.ledger({ channel: 'sms' })).entries;
    expect(ledger.filter((entry) => louisiana.includes(entry.to))).toEqual([]);
    expect(ledger.filter((entry) => elsewhere.includes(entry.to))).toHaveLength(elsewhere.length);

    const rows = (await messages(campaignId)).filter((row) => louisiana.includes(row.to));
    expect(rows).toHaveLength(louisiana.length);
    for (const row of rows) {
      expect(row).toMatchObject({
        status: 'pending',
        wait_reason: 'legal_holiday',
        deferred_until: '2026-02-18T14:00:00.000Z',
      });
      expect(row.wait_detail).toContain('Mardi Gras');
    }
    await cancel(campaignId);
  });
});
