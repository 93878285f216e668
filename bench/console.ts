import { rm } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { loadConfig } from '../config/env.ts';
import { createMemberPartition } from '../db/audience-members.ts';
import { createDb, type Db } from '../db/connect.ts';
import { DEFAULT_BLOOIO_NUMBERS } from '../sandbox/settings.ts';
import { root, startStack } from '../scripts/services/stack.ts';
import { launchBrowser } from '../scripts/web/browser.ts';
import { buildConsole } from '../scripts/web/build.ts';
import { benchEnvironment } from './support/bench-environment.ts';
import { StatementStats } from './support/statement-stats.ts';

/**
 * `npm run bench -- console [contacts] [conversations] [rounds]`: the console in headless
 * Chromium against a stack holding a finished campaign of 100,000 contacts (every message
 * delivered, from ten numbers, over an hour) and 1,000 conversations waiting for an answer,
 * seeded through SQL. For each page it prints the time from the navigation (a full load for
 * the sign-in page, a menu or link click for the others: the key lives in the tab's memory)
 * to the first useful paint, i.e. the page's main data on screen: median and worst of
 * `rounds`. Target: under 1 s per page on this machine. `PG_STAT_STATEMENTS=1` adds the
 * PostgreSQL statements the pages ran, costliest first (`postgres_statements`);
 * `BENCH_TRACE=1` logs every request of the pages with its time.
 */

const DATA_DIR = path.join('.data', 'bench-console');
const log = (line: string) => console.error(`[bench] ${line}`);
const TARGET_MS = 1_000;

export async function seed(
  db: Db,
  contacts: number,
): Promise<{ audienceId: string; poolId: string }> {
  const pool = await db
    .insertInto('pools')
    .values({ name: 'Bench broadcast numbers', provider: 'twilio' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`
    INSERT INTO sender_numbers (pool_id, phone, kind, mps, area_code, next_slot_at)
    SELECT ${pool.id}, '+1415555' || lpad((1000 + i)::text, 4, '0'), 'long_code', 10, '415', 'epoch'
      FROM generate_series(0, 9) i`.execute(db);
  const lines = await db
    .insertInto('pools')
    .values({ name: 'Bench iMessage lines', provider: 'blooio' })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const phone of DEFAULT_BLOOIO_NUMBERS)
    await db
      .insertInto('sender_numbers')
      .values({ pool_id: lines.id, phone, kind: 'imessage', mps: 10 })
      .execute();

  const audience = await db
    .insertInto('audiences')
    .values({
      name: 'Bench 100k',
      columns: ['phone', 'first_name'],
      rows_read: contacts,
      imported: contacts,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await createMemberPartition(db, audience.id);
  await sql`
    WITH inserted AS (
      INSERT INTO contacts (phone, country, area_code, attributes)
      SELECT '+1628' || lpad((2000000 + g)::text, 7, '0'), 'US', '628',
             jsonb_build_object('first_name', 'Pat' || g)
        FROM generate_series(0, ${contacts - 1}::int) g
      RETURNING id)
    INSERT INTO audience_members (audience_id, contact_id) SELECT ${audience.id}::uuid, id FROM inserted`.execute(
    db,
  );
  return { audienceId: audience.id, poolId: pool.id };
}

/**
 * The campaign's messages, all delivered over its hour, and the replies of the first
 * `conversations` contacts (a trigger opens their conversations; the insert after it only
 * fills in any it did not).
 */
export async function seedActivity(
  db: Db,
  campaignId: string,
  poolId: string,
  conversations: number,
): Promise<void> {
  await sql`
    WITH numbers AS (
      SELECT id, phone, row_number() OVER (ORDER BY id) - 1 AS k FROM sender_numbers WHERE pool_id = ${poolId})
    INSERT INTO messages (campaign_id, step, contact_id, to_phone, from_number_id, from_phone, body,
                          segments, status, provider_sid, attempts, created_at, updated_at, sent_at, final_at)
    SELECT ${campaignId}, 0, c.id, c.phone, n.id, n.phone, 'Hi ' || (c.attributes->>'first_name') || ', spring sale today.',
           1, 'delivered', 'SMbench' || c.id, 1, t, t + interval '3 s', t, t + interval '3 s'
      FROM contacts c
      JOIN numbers n ON n.k = c.id % 10
      CROSS JOIN LATERAL (SELECT now() - interval '1 hour' + (c.id % 3600) * interval '1 s' AS t) at
     WHERE c.phone LIKE '+1628%'`.execute(db);
  await db
    .updateTable('campaigns')
    .set({
      status: 'completed',
      launched_at: sql`now() - interval '1 hour'`,
      finished_at: sql`now()`,
    })
    .where('id', '=', campaignId)
    .execute();
  await sql`
    INSERT INTO inbound_messages (provider, provider_sid, from_phone, to_phone, body, contact_id, campaign_id,
                                  classification, received_at)
    SELECT 'twilio', 'SMin' || m.contact_id, m.to_phone, m.from_phone, 'Tell me more about the sale',
           m.contact_id, ${campaignId}, 'interested', now() - (m.contact_id % 600) * interval '1 s'
      FROM messages m WHERE m.campaign_id = ${campaignId} ORDER BY m.contact_id LIMIT ${conversations}`.execute(
    db,
  );
  await sql`
    INSERT INTO conversations (contact_id, campaign_id, status, last_inbound_at, last_activity_at)
    SELECT contact_id, campaign_id, 'replied', received_at, received_at FROM inbound_messages
     WHERE campaign_id = ${campaignId}
    ON CONFLICT (contact_id) DO NOTHING`.execute(db);
  // Rows written in one bulk insert are read for the first time by the page otherwise (setting
  // their hint bits as it goes): a campaign that ran has had them set long before anyone looks.
  await sql`VACUUM ANALYZE`.execute(db);
}

/**
 * Milliseconds from just before `action` to the first DOM state where `selector` matches (and
 * contains `text`), both read in the page (a MutationObserver sees the change as it happens,
 * where Playwright's polling would add its own interval). `later` selectors are watched from
 * the same start (parts of the page that arrive after its main data): `laterMs` reads them.
 */
async function timed(
  page: Page,
  action: () => Promise<unknown>,
  selector: string,
  text = '',
  later: string[] = [],
): Promise<number> {
  await page.evaluate(`(() => {
    const matches = () => [...document.querySelectorAll(${JSON.stringify(selector)})]
      .some((element) => element.textContent.includes(${JSON.stringify(text)}));
    const watch = (test) => new Promise((resolve) => {
      const observer = new MutationObserver(() => {
        if (test()) { observer.disconnect(); resolve(performance.now()); }
      });
      observer.observe(document, { subtree: true, childList: true, characterData: true });
    });
    window.__benchStart = performance.now();
    window.__benchReady = watch(matches);
    window.__benchLater = Object.fromEntries(${JSON.stringify(later)}.map((later) =>
      [later, watch(() => document.querySelector(later) !== null)]));
  })()`);
  await action();
  const ms = await page.evaluate<number>(
    'window.__benchReady.then((at) => at - window.__benchStart)',
  );
  return Math.round(ms);
}

/** Milliseconds from the start of the last `timed` action to its `later` selector's match. */
async function laterMs(page: Page, selector: string): Promise<number> {
  const ms = await page.evaluate<number>(
    `window.__benchLater[${JSON.stringify(selector)}].then((at) => at - window.__benchStart)`,
  );
  return Math.round(ms);
}

/** A full load: from navigation start to the sign-in form on screen (its first paint). */
async function fullLoad(page: Page, url: string): Promise<number> {
  await page.goto(url);
  await page.getByLabel('API key').waitFor();
  const paint = await page.evaluate<number>(
    "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1",
  );
  return Math.round(paint);
}

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

export async function run(args: string[]): Promise<void> {
  const contacts = Number(args[0] ?? 100_000);
  const conversations = Number(args[1] ?? 1_000);
  const rounds = Number(args[2] ?? 5);
  await rm(path.join(root, DATA_DIR), { recursive: true, force: true });
  await benchEnvironment(DATA_DIR);
  console.log = (...parts: unknown[]) => console.error(...parts);
  await buildConsole({ say: log });
  const config = loadConfig();
  const stack = await startStack(config, log);
  const db = createDb({ connectionString: stack.databaseUrl, max: 2 });
  const browser = await launchBrowser();
  try {
    const seedStarted = performance.now();
    const { audienceId, poolId } = await seed(db, contacts);
    const response = await fetch(`${stack.apiUrl}/v1/campaigns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${config.API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Bench spring promo',
        audience_id: audienceId,
        sms_pool_id: poolId,
        steps: [{ template: 'Hi {{first_name}}, spring sale today.' }],
      }),
    });
    if (response.status !== 201)
      throw new Error(`creating the campaign: ${response.status} ${await response.text()}`);
    const campaign = (await response.json()) as { id: string };
    await seedActivity(db, campaign.id, poolId, conversations);
    log(
      `seeded ${contacts} contacts, messages and ${conversations} conversations in ${Math.round(performance.now() - seedStarted)} ms`,
    );

    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      locale: 'en-US',
    });
    const page = await context.newPage();
    if (process.env.BENCH_TRACE === '1')
      page.on('requestfinished', (request) => {
        const timing = request.timing();
        log(
          `${request.method()} ${request.url().replace(stack.apiUrl, '')} ${Math.round(timing.responseEnd)} ms`,
        );
      });
    const statements = new StatementStats(db);
    await statements.reset();
    const samples: Record<string, number[]> = {};
    const record = (name: string, ms: number) => (samples[name] ??= []).push(ms);
    for (let round = 0; round < rounds; round += 1) {
      record('sign_in (full load, first paint)', await fullLoad(page, `${stack.apiUrl}/`));
      await page.getByLabel('API key').fill(config.API_KEY);
      record(
        'campaigns (after sign-in)',
        await timed(
          page,
          () => page.getByRole('button', { name: 'Sign in' }).click(),
          '[data-testid="campaign-list"]',
        ),
      );
      record(
        'campaign (100k funnel)',
        await timed(
          page,
          () => page.getByRole('link', { name: 'Bench spring promo' }).click(),
          '[data-stage="Delivered"]',
          contacts.toLocaleString('en-US'),
          ['[data-testid="senders"]', '.chart canvas'],
        ),
      );
      record(
        'campaign (chart and senders)',
        Math.max(
          await laterMs(page, '[data-testid="senders"]'),
          await laterMs(page, '.chart canvas'),
        ),
      );
      record(
        'audiences',
        await timed(page, () => nav(page, 'Audiences'), '[data-testid="audience-list"]'),
      );
      record('pools', await timed(page, () => nav(page, 'Pools'), '[data-testid="pool-list"]'));
      record(
        'pool (numbers with health)',
        await timed(
          page,
          () => page.getByRole('link', { name: 'Bench broadcast numbers' }).click(),
          '[data-testid="number-list"]',
        ),
      );
      record(
        'inbox (1,000 waiting)',
        await timed(page, () => nav(page, 'Inbox'), '[data-testid="conversation-list"]'),
      );
      record(
        'inbox thread',
        await timed(
          page,
          () => page.getByTestId('conversation-list').getByRole('link').first().click(),
          '[data-testid="thread"]',
          'Tell me more about the sale',
        ),
      );
      record(
        'campaigns',
        await timed(page, () => nav(page, 'Campaigns'), '[data-testid="campaign-list"]'),
      );
      record(
        'new campaign form',
        await timed(
          page,
          () => page.getByRole('link', { name: 'New campaign' }).click(),
          '#campaign-audience',
          'Bench 100k',
        ),
      );
    }
    const pages = Object.fromEntries(
      Object.entries(samples).map(([name, values]) => {
        const sorted = [...values].sort((a, b) => a - b);
        return [
          name,
          { median_ms: sorted[Math.floor(sorted.length / 2)] ?? 0, max_ms: sorted.at(-1) ?? 0 },
        ];
      }),
    );
    const worst = Math.max(...Object.values(pages).map((p) => p.median_ms));
    console.info(
      JSON.stringify(
        {
          bench: 'console',
          contacts,
          conversations,
          rounds,
          viewport: '1280x800',
          time_to_first_useful_paint: pages,
          worst_median_ms: worst,
          target_ms: TARGET_MS,
          met: worst < TARGET_MS,
          postgres_statements: await statements.top(15),
        },
        null,
        2,
      ),
    );
  } finally {
    await browser.close();
    await db.destroy();
    await stack.stop();
  }
}
