import { readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BLOOIO_NUMBERS } from '../../sandbox/settings.ts';
import { TEST_API_KEY } from '../support/api.ts';
import { waitFor } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { DAYTIME_ZONE } from '../support/zones.ts';
import { go, launchBrowser, openPage, signIn, type WatchedPage } from './support/browser.ts';

const SMS = '+14155550091';

/** Picks the option of a labelled select whose text contains `text`. */
async function choose(page: Page, label: string, text: string): Promise<void> {
  const select = page.getByLabel(label, { exact: true });
  const value = await select.locator('option', { hasText: text }).getAttribute('value');
  if (value === null) throw new Error(`no option ${text} in ${label}`);
  await select.selectOption(value);
}

/**
 * The first row's number cell lies inside the viewport, and the page itself cannot scroll
 * sideways (a wide table scrolls within its own box).
 */
async function expectNumberInView(page: Page, phone: string): Promise<void> {
  const cell = page.getByTestId('number-list').locator('tbody tr').first().locator('td').first();
  expect(await cell.textContent()).toBe(phone);
  const box = await cell.boundingBox();
  const viewport = page.viewportSize();
  if (box === null || viewport === null) throw new Error('the number cell is not laid out');
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(viewport.height);
  // Evaluated in the page, as text: the tests are compiled without the DOM's types.
  const sideways = await page.evaluate(
    '({ scrollX: window.scrollX, overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth })',
  );
  expect(sideways).toEqual({ scrollX: 0, overflow: 0 });
}

const SPARE = '+14155550092';
const CONTACTS = 12;

/**
 * An operator's day in the console, through a real Chromium against the real stack: upload a
 * CSV and read its rejection, pause a number and read why on its timeline, create and launch a
 * campaign and watch its funnel reach completed, then answer a reply in the inbox, which the
 * sandbox carrier receives from the contact's iMessage line.
 */
describe('the console against the real stack', () => {
  let stack: CampaignStack;
  let browser: Browser;
  let watched: WatchedPage;
  let page: Page;
  let phones: string[];

  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: { numbers: [{ phoneNumber: SMS, mps: 50, latencyMs: { min: 5, max: 20 } }] },
    });
    const { db } = stack.api.database;
    phones = contactPhones(CONTACTS, '631');
    await seedAudience(
      db,
      phones.map((phone) => ({ phone, timeZone: DAYTIME_ZONE })),
    );
    await seedPool(db, [{ phone: SMS, mps: 50 }], { name: 'Broadcast numbers' });
    await seedPool(db, [{ phone: SPARE, mps: 1 }], { name: 'Spare numbers' });
    await seedPool(
      db,
      DEFAULT_BLOOIO_NUMBERS.map((phone) => ({ phone })),
      { provider: 'blooio', name: 'iMessage lines' },
    );
    browser = await launchBrowser();
    watched = await openPage(browser, 'desktop');
    page = watched.page;
    await signIn(page, stack.apiUrl, TEST_API_KEY);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('uploads a CSV with a bad row and shows the rejection with its line, also as a download', async () => {
    await go(page, 'Audiences');
    await page.getByLabel('Name').fill('Walk-in list');
    await page.getByLabel('CSV file').setInputFiles({
      name: 'walk-in.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('phone,first_name\n+16315550100,Ada\ncall me,Bob\n+16315550101,Cy\n'),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    const result = page.getByTestId('upload-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('3 rows read, 2 imported');
    const row = page.getByTestId('rejections').locator('tbody tr').first();
    expect(await row.locator('td').allTextContents()).toEqual(['3', 'unparseable', 'call me']);
    await watched.screenshot('audiences');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download rejected lines (CSV)' }).click(),
    ]);
    const file = await download.path();
    expect(await readFile(file, 'utf8')).toBe('line,reason,value\r\n3,unparseable,call me\r\n');
    expect(await page.getByTestId('audience-list').textContent()).toContain('Walk-in list');
    watched.expectClean();
  });

  it("pauses a number with a reason and shows it on the number's timeline", async () => {
    await go(page, 'Pools');
    await page.getByRole('link', { name: 'Spare numbers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Spare numbers' }).waitFor();
    page.once('dialog', (dialog) => void dialog.accept('carrier complaint under review'));
    await page.getByRole('button', { name: `Pause ${SPARE}` }).click();
    await page.getByTestId('number-list').getByText('paused').waitFor();
    await page.getByRole('button', { name: `Timeline of ${SPARE}` }).click();
    const timeline = page.getByTestId('number-timeline');
    await timeline.getByText('active → paused').waitFor();
    expect(await timeline.textContent()).toContain('carrier complaint under review');
    await timeline.locator('canvas').first().waitFor();
    await watched.screenshot('pool-number-timeline');
    watched.expectClean();
  });

  it('creates a campaign with a live preview, previews its targeting, launches it and watches it complete', async () => {
    await go(page, 'Campaigns');
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.getByRole('heading', { level: 1, name: 'New campaign' }).waitFor();
    await page.getByLabel('Name').fill('Spring promo');
    await choose(page, 'Audience', 'seeded');
    await choose(page, 'SMS pool', 'Broadcast numbers');
    await choose(page, 'iMessage follow-up pool', 'iMessage lines');
    await page
      .getByLabel('First message')
      .fill('Hi {{first_name}}, our spring sale starts today. Reply YES for details.');
    const preview = page.getByTestId('step-preview');
    await preview
      .getByText('Hi Sam, our spring sale starts today. Reply YES for details.')
      .waitFor();
    expect(await preview.textContent()).toContain('1 segment · GSM-7');
    await page
      .getByLabel('First message')
      .fill('Hi {{first_name}} 🌷 our spring sale starts today.');
    await preview.getByText('UCS-2').waitFor();
    await page
      .getByLabel('First message')
      .fill('Hi {{first_name}}, our spring sale starts today. Reply YES for details.');
    await watched.screenshot('campaign-new');
    await page.getByRole('button', { name: 'Create draft' }).click();

    await page.getByRole('heading', { level: 1, name: 'Spring promo' }).waitFor();
    await page.getByRole('button', { name: 'Preview targeting' }).click();
    const targeting = page.getByTestId('targeting-preview');
    await targeting.waitFor();
    expect(await targeting.textContent()).toContain(`${CONTACTS} of ${CONTACTS} would be texted`);

    await page.getByRole('button', { name: 'Launch Spring promo' }).click();
    const status = page.getByTestId('campaign-status');
    await status.getByText('completed').waitFor({ timeout: 120_000 });
    const delivered = page.getByTestId('funnel').locator('[data-stage="Delivered"]');
    await expect.poll(() => delivered.textContent(), { timeout: 10_000 }).toBe(String(CONTACTS));
    await page.getByTestId('senders').getByText(SMS).waitFor();
    await page.locator('.chart canvas').first().waitFor();
    expect(await page.getByTestId('messages').locator('tbody tr').count()).toBe(CONTACTS);
    await page.getByLabel('Status').selectOption('failed');
    await page.getByText('No messages with status failed.').waitFor();
    await watched.screenshot('campaign');
    await go(page, 'Campaigns');
    await page.getByTestId('campaign-list').getByText('completed').waitFor();
    await watched.screenshot('campaigns');
    watched.expectClean();
  });

  it('answers a reply in the inbox, and the carrier receives the answer from the iMessage line', async () => {
    const [person] = phones;
    if (person === undefined) throw new Error('no contact');
    stack.sandbox.injectSms({ from: person, to: SMS, body: 'YES' });
    const handoff = await waitFor('the hand-off', async () =>
      (await stack.sandbox.ledger({ channel: 'imessage', to: person })).entries.at(0),
    );
    await go(page, 'Inbox');
    const list = page.getByTestId('conversation-list');
    await list.getByText(person).click();
    const thread = page.getByTestId('thread');
    await thread.getByText('YES', { exact: true }).waitFor();
    await thread.getByText('iMessage', { exact: false }).first().waitFor();
    const answer = 'Hi Sam, the 20% applies to every plan. Want me to hold one for you?';
    await page.getByLabel('Your answer').fill(answer);
    await page.getByRole('button', { name: 'Send answer' }).click();
    const sent = await waitFor('the answer at the carrier', async () =>
      (await stack.sandbox.ledger({ channel: 'imessage', to: person })).entries.find(
        (entry) => entry.body === answer,
      ),
    );
    expect(sent.from).toBe(handoff.from);
    await thread.getByText(answer).waitFor();
    await watched.screenshot('inbox-thread');
    watched.expectClean();
  });

  it('shows an opted-out person as such, with no reply box', async () => {
    const person = phones[1];
    if (person === undefined) throw new Error('no contact');
    stack.sandbox.injectSms({ from: person, to: SMS, body: 'YES' });
    await waitFor('the hand-off', async () =>
      (await stack.sandbox.ledger({ channel: 'imessage', to: person })).entries.at(0),
    );
    stack.sandbox.injectSms({ from: person, to: SMS, body: 'STOP' });
    await go(page, 'Inbox');
    await page.getByRole('button', { name: 'All open' }).click();
    const row = page
      .getByTestId('conversation-list')
      .getByRole('link', { name: new RegExp(person.replace('+', '\\+')) });
    await row.getByText('opted out').waitFor();
    await row.click();
    const thread = page.getByTestId('thread');
    await thread.getByText('This person opted out').waitFor();
    expect(await page.getByLabel('Your answer').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Send answer' }).count()).toBe(0);
    await watched.screenshot('inbox-opted-out');
    watched.expectClean();
  });

  it('shows every page at phone size without errors', async () => {
    const phone = await openPage(browser, 'phone');
    await signIn(phone.page, stack.apiUrl, TEST_API_KEY);
    await phone.page.getByTestId('campaign-list').waitFor();
    await phone.screenshot('campaigns');
    await phone.page.getByRole('link', { name: 'Spring promo' }).click();
    await phone.page.getByTestId('funnel').waitFor();
    await phone.screenshot('campaign');
    await go(phone.page, 'Audiences');
    await phone.page.getByTestId('audience-list').waitFor();
    await phone.screenshot('audiences');
    await go(phone.page, 'Pools');
    await phone.page.getByTestId('pool-list').waitFor();
    await phone.screenshot('pools');
    await phone.page.getByRole('link', { name: 'Broadcast numbers' }).click();
    await phone.page.getByTestId('number-list').waitFor();
    await phone.page.getByRole('button', { name: `Timeline of ${SMS}` }).click();
    await phone.page.getByTestId('number-timeline').locator('canvas').first().waitFor();
    await phone.screenshot('pool-number-timeline');
    await expectNumberInView(phone.page, SMS);
    await go(phone.page, 'Inbox');
    await phone.page.getByRole('button', { name: 'All open' }).click();
    await phone.page.getByTestId('conversation-list').waitFor();
    await phone.screenshot('inbox');
    phone.expectClean();
  });
});
