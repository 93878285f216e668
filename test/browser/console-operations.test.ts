import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BLOOIO_NUMBERS } from '../../sandbox/settings.ts';
import { TEST_API_KEY } from '../support/api.ts';
import { waitFor } from '../support/campaigns.ts';
import { contactPhones, seedAudience, seedPool } from '../support/seed.ts';
import { startCampaignStack, type CampaignStack } from '../support/stack.ts';
import { go, launchBrowser, openPage, signIn, type WatchedPage } from './support/browser.ts';

const SMS = '+14155550071';
const SPARE = '+14155550072';
const ADDED = '+14155550073';
/** In the carrier account, in no pool yet: the import brings them in. */
const IMPORTED = ['+14155550074', '+14155550075'];
const NEW_YORKERS = 4;
const CALIFORNIANS = 3;
const CSV_ROWS = 1_200;

/** Picks the option of a labelled select whose text contains `text`. */
async function choose(page: Page, label: string, text: string): Promise<void> {
  const select = page.getByLabel(label, { exact: true });
  const options = await select.locator('option').allTextContents();
  const option = options.find((candidate) => candidate.includes(text));
  if (option === undefined) throw new Error(`no option ${text} in ${label}: ${options.join(', ')}`);
  await select.selectOption({ label: option });
}

/** What has keyboard focus: its tag and its accessible text (no DOM types here: a string). */
const focused = (page: Page) =>
  page.evaluate<string>(`(() => {
    const element = document.activeElement;
    if (element === null || element === document.body) return 'body';
    const label = element.id === '' ? null : document.querySelector('label[for="' + element.id + '"]');
    const name = element.getAttribute('aria-label') ?? label?.textContent ?? element.textContent ?? '';
    return element.tagName.toLowerCase() + ':' + name.trim().replace(/\\s+/g, ' ');
  })()`);

/** Presses Tab (or `key`) until `wanted` has focus, at most `limit` times; the focus path on the way. */
async function tabTo(page: Page, wanted: RegExp, limit = 60, key = 'Tab'): Promise<string[]> {
  const path: string[] = [];
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press(key);
    const now = await focused(page);
    path.push(now);
    if (wanted.test(now)) return path;
  }
  throw new Error(`Tab never reached ${wanted}; it went through:\n${path.join('\n')}`);
}

/**
 * The operator's daily work in the console beyond a campaign's happy path, in a real Chromium
 * against the real stack: numbers added, paused, resumed and imported; the whole campaign form
 * with a field error and its targeting preview; a launch by keyboard; the main pages by Tab;
 * the inbox's assign, close and reopen, and a reply that appears without a reload; a CSV
 * upload's row count. Any console error or unexpected failed request fails the test.
 */
describe('operating tandem from the console', () => {
  let stack: CampaignStack;
  let browser: Browser;
  let watched: WatchedPage;
  let page: Page;
  let newYorkers: string[];
  let suppressionListId: string;

  beforeAll(async () => {
    stack = await startCampaignStack({
      sandbox: {
        numbers: [
          { phoneNumber: SMS, mps: 50, latencyMs: { min: 5, max: 20 } },
          ...IMPORTED.map((phoneNumber) => ({ phoneNumber })),
        ],
      },
    });
    const { db } = stack.api.database;
    newYorkers = contactPhones(NEW_YORKERS, '631');
    await seedAudience(db, [
      ...newYorkers.map((phone) => ({ phone, region: 'NY' })),
      ...contactPhones(CALIFORNIANS, '415').map((phone) => ({ phone, region: 'CA' })),
    ]);
    await seedPool(db, [{ phone: SMS, mps: 50 }], { name: 'Broadcast numbers' });
    await seedPool(db, [{ phone: SPARE, mps: 1 }], { name: 'Spare numbers' });
    await seedPool(
      db,
      DEFAULT_BLOOIO_NUMBERS.map((phone) => ({ phone })),
      { provider: 'blooio', name: 'iMessage lines' },
    );
    const list = await stack.api.app.inject({
      method: 'POST',
      url: '/v1/suppression-lists',
      headers: stack.api.auth,
      payload: { name: 'Do not text (legal)' },
    });
    expect(list.statusCode).toBe(201);
    suppressionListId = list.json().id;
    browser = await launchBrowser();
    watched = await openPage(browser, 'desktop');
    page = watched.page;
    await signIn(page, stack.apiUrl, TEST_API_KEY);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('uploads a CSV and shows how many rows it read and imported', async () => {
    await go(page, 'Audiences');
    const rows = Array.from(
      { length: CSV_ROWS },
      (_, i) => `+1212${String(3000000 + i).padStart(7, '0')},Guest ${i}`,
    );
    await page.getByLabel('Name').fill('Trade show leads');
    await page.getByLabel('CSV file').setInputFiles({
      name: 'trade-show.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`phone,first_name\n${rows.join('\n')}\nnot a phone,Zed\n`),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    const result = page.getByTestId('upload-result');
    await result.waitFor();
    expect(await result.textContent()).toContain(
      '1,201 rows read, 1,200 imported, 0 duplicates, 1 rejected.',
    );
    await page.getByTestId('audience-list').getByText('Trade show leads').waitFor();
    expect(await page.getByTestId('audience-list').textContent()).toContain('1,200');
    await watched.screenshot('ops-audience-upload');
    watched.expectClean();
  });

  it('adds a number, pauses and resumes it with reasons, and shows both on its timeline', async () => {
    await go(page, 'Pools');
    await page.getByRole('link', { name: 'Spare numbers' }).click();
    await page.getByRole('heading', { level: 1, name: 'Spare numbers' }).waitFor();
    watched.allow(400, '/v1/pools/');
    await page.getByLabel('Phone (E.164)').fill('415 555 0073');
    await page.getByRole('button', { name: 'Add number' }).click();
    await page.locator('[data-field="phone"]').getByText('phone must be E.164').waitFor();
    await page.getByLabel('Phone (E.164)').fill(ADDED);
    await page.getByLabel('Messages per second').fill('2');
    await page.getByLabel('Daily cap (new recipients; empty for none)').fill('500');
    await page.getByRole('button', { name: 'Add number' }).click();
    const row = page.getByTestId('number-list').locator('tr', { hasText: ADDED });
    await row.getByText('active').waitFor();
    expect(await row.locator('td').nth(3).textContent()).toBe('500');

    page.once('dialog', (dialog) => void dialog.accept('opt-out spike under review'));
    await page.getByRole('button', { name: `Pause ${ADDED}` }).click();
    await row.getByText('paused').waitFor();
    page.once('dialog', (dialog) => void dialog.accept('carrier cleared the number'));
    await page.getByRole('button', { name: `Resume ${ADDED}` }).click();
    await row.getByText('active').waitFor();

    await page.getByRole('button', { name: `Timeline of ${ADDED}` }).click();
    const timeline = page.getByTestId('number-timeline');
    await timeline.getByText('paused → active').waitFor();
    const text = await timeline.textContent();
    expect(text).toContain('active → paused');
    expect(text).toContain('opt-out spike under review');
    expect(text).toContain('carrier cleared the number');
    await watched.screenshot('ops-number-timeline');
    watched.expectClean();
  });

  it("imports the carrier account's numbers after a dry run", async () => {
    await page.getByRole('button', { name: 'Dry run' }).click();
    const status = page.getByRole('status').filter({ hasText: 'listed by the carrier' });
    await status.getByText('Would import').waitFor();
    expect(await status.textContent()).toContain('2 added');
    expect(await page.getByTestId('number-list').textContent()).not.toContain(IMPORTED[0]);

    await page.getByRole('button', { name: 'Import numbers' }).click();
    await status.getByText('Imported:').waitFor();
    expect(await status.textContent()).toContain('2 added');
    for (const phone of IMPORTED)
      await page
        .getByTestId('number-list')
        .getByRole('cell', { name: phone, exact: true })
        .waitFor();
    await watched.screenshot('ops-number-import');
    watched.expectClean();
  });

  it('fills every field of the campaign form, shows an API error at its field, then creates the draft', async () => {
    await go(page, 'Campaigns');
    await page.getByRole('link', { name: 'New campaign' }).click();
    await page.getByRole('heading', { level: 1, name: 'New campaign' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('New York winter promo');
    await choose(page, 'Audience', 'seeded');
    await choose(page, 'SMS pool', 'Broadcast numbers');
    await choose(page, 'iMessage follow-up pool', 'iMessage lines');
    await page
      .getByLabel('First message')
      .fill('Hi {{first_name}}, winter deals in New York this week. Reply YES for details.');
    await page
      .getByTestId('step-preview')
      .getByText('Hi Sam, winter deals in New York this week. Reply YES for details.')
      .waitFor();
    await page.getByRole('button', { name: 'Add a follow-up step' }).click();
    await page.getByLabel('Step 2').fill('Last day of the winter deals, {{first_name}}!');
    await page.getByLabel('Hours after the previous step').fill('48');
    await choose(page, 'Sent to', 'those who have not replied');
    expect(await page.getByTestId('step-preview').nth(1).textContent()).toContain(
      'Last day of the winter deals, Sam!',
    );

    await page.getByRole('button', { name: 'Add a condition' }).click();
    await choose(page, 'Condition 1: field', 'state');
    await choose(page, 'Condition 1: test', 'is one of');
    await page.getByLabel('Condition 1: value').fill('NY, NJ');
    await page.getByLabel('Exclude Trade show leads (1,200)').check();
    await page.getByLabel(/^Honour Do not text \(legal\)/).check();

    await page.getByLabel("Send from (recipient's local time)").fill('20:00');
    await page.getByLabel('Until').fill('09:00');
    await choose(page, 'Follow-up steps are checked', 'cron');
    await page.getByLabel('Cron expression (minute hour day month weekday)').fill('0 10 * * 1-5');
    await page.getByLabel('Drip time zone (IANA)').fill('America/New_York');

    watched.allow(400, '/v1/campaigns');
    await page.getByRole('button', { name: 'Create draft' }).click();
    const windowError = page.locator('[data-field="sending_window.end"]');
    await windowError.getByText('start must be before end').waitFor();
    expect(await page.getByLabel('Until').getAttribute('aria-invalid')).toBe('true');
    await watched.screenshot('ops-campaign-form-error');

    await page.getByLabel("Send from (recipient's local time)").fill('09:00');
    await page.getByLabel('Until').fill('20:00');
    await page.getByRole('button', { name: 'Create draft' }).click();
    await page.getByRole('heading', { level: 1, name: 'New York winter promo' }).waitFor();

    const id = new URL(page.url()).pathname.split('/').at(-1);
    const created = await stack.api.app.inject({
      method: 'GET',
      url: `/v1/campaigns/${id}`,
      headers: stack.api.auth,
    });
    const campaign = created.json();
    expect(campaign.filter).toEqual({ all: [{ field: 'state', op: 'in', value: ['NY', 'NJ'] }] });
    expect(campaign.exclude_audience_ids).toHaveLength(1);
    // The global list applies to every campaign; the chosen one beside it.
    expect([...campaign.suppression_list_ids].sort()).toEqual(['global', suppressionListId].sort());
    expect(campaign.drip).toEqual({ cron: '0 10 * * 1-5', time_zone: 'America/New_York' });
    expect(campaign.sending_window).toEqual({ start: '09:00', end: '20:00' });
    expect(campaign.steps.map((s: { delay_seconds: number }) => s.delay_seconds)).toEqual([
      0, 172_800,
    ]);

    expect(await page.getByTestId('campaign-targeting').textContent()).toBe(
      'Texts contacts where state is one of NY, NJ, leaving out 1 audience · honours the global suppression list and 1 other',
    );
    expect(await page.getByTestId('campaign-start').textContent()).toBe('Starts when launched');
    await page.getByRole('button', { name: 'Preview targeting' }).click();
    const targeting = page.getByTestId('targeting-preview');
    await targeting.waitFor();
    const total = NEW_YORKERS + CALIFORNIANS;
    expect(await targeting.textContent()).toContain(`${NEW_YORKERS} of ${total} would be texted`);
    expect(await targeting.textContent()).toContain(`${CALIFORNIANS} not texted: filtered out`);
    await watched.screenshot('ops-campaign-draft');
    watched.expectClean();
  });

  it('launches the draft by keyboard and the New Yorkers are texted', async () => {
    await page.getByRole('heading', { level: 1, name: 'New York winter promo' }).focus();
    await tabTo(page, /^button:Launch New York winter promo$/);
    await page.keyboard.press('Enter');
    const delivered = page.getByTestId('funnel').locator('[data-stage="Delivered"]');
    await expect.poll(() => delivered.textContent(), { timeout: 90_000 }).toBe(String(NEW_YORKERS));
    expect(await page.getByTestId('funnel').locator('[data-stage="Skipped"]').textContent()).toBe(
      String(CALIFORNIANS),
    );
    await watched.screenshot('ops-campaign-launched');
    watched.expectClean();
  });

  it('reaches every main page and its controls by Tab alone', async () => {
    await go(page, 'Campaigns');
    // Backwards from the page's heading through the menu to the skip link, which leads back in.
    const back = await tabTo(page, /^a:Skip to content$/, 10, 'Shift+Tab');
    expect(back.slice(0, -1)).toEqual(
      expect.arrayContaining(['a:Campaigns', 'a:Audiences', 'a:Pools', 'a:Inbox']),
    );
    await page.keyboard.press('Enter');
    await tabTo(page, /^a:New campaign$/, 3);
    const pages = [
      { link: 'Audiences', control: /^input:CSV file$/ },
      { link: 'Pools', control: /^a:Spare numbers$/ },
      { link: 'Inbox', control: /^input:Search by name or phone$/ },
      { link: 'Campaigns', control: /^a:New campaign$/ },
    ];
    for (const { link, control } of pages) {
      await tabTo(page, new RegExp(`^a:${link}$`));
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 1, name: link }).waitFor();
      // The page's heading takes focus, so the next Tab starts in the page, not the menu.
      expect(await focused(page)).toBe(`h1:${link}`);
      await tabTo(page, control);
      await page.keyboard.press('Shift+Tab');
      expect(await focused(page)).not.toBe('body');
    }
    watched.expectClean();
  });

  it('assigns, closes and reopens a conversation, and a new reply appears without a reload', async () => {
    const person = newYorkers[0];
    if (person === undefined) throw new Error('no contact');
    stack.sandbox.injectSms({ from: person, to: SMS, body: 'YES' });
    await waitFor('the hand-off', async () =>
      (await stack.sandbox.ledger({ channel: 'imessage', to: person })).entries.at(0),
    );
    await go(page, 'Inbox');
    await page.getByTestId('conversation-list').getByText(person).click();
    const thread = page.getByTestId('thread');
    await thread.getByText('YES', { exact: true }).waitFor();

    await page.getByLabel('Assign to').fill('Dana');
    await page.getByRole('button', { name: 'Assign', exact: true }).click();
    await thread.getByText('assigned to Dana').waitFor();

    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await thread.getByText('This conversation is closed: reopen it to answer.').waitFor();
    expect(await page.getByLabel('Your answer').count()).toBe(0);
    await watched.screenshot('ops-inbox-closed');
    await page.getByRole('button', { name: 'Reopen', exact: true }).click();
    await page.getByLabel('Your answer').waitFor();

    // Marks this document: a reload would make a new one without the mark.
    await page.evaluate("document.documentElement.dataset.sameDocument = 'yes'");
    const reply = 'Does the deal cover the annual plan too?';
    stack.sandbox.injectSms({ from: person, to: SMS, body: reply });
    await thread.getByText(reply).waitFor({ timeout: 15_000 });
    expect(await page.evaluate('document.documentElement.dataset.sameDocument')).toBe('yes');
    await watched.screenshot('ops-inbox-live-reply');
    watched.expectClean();
  });

  it('shows the operations pages at phone size without errors', async () => {
    const phone = await openPage(browser, 'phone');
    await signIn(phone.page, stack.apiUrl, TEST_API_KEY);
    await go(phone.page, 'Audiences');
    await phone.page.getByTestId('audience-list').getByText('Trade show leads').waitFor();
    await phone.screenshot('ops-audiences');
    await go(phone.page, 'Pools');
    await phone.page.getByRole('link', { name: 'Spare numbers' }).click();
    await phone.page
      .getByTestId('number-list')
      .getByRole('cell', { name: ADDED, exact: true })
      .waitFor();
    await phone.page.getByRole('button', { name: `Timeline of ${ADDED}` }).click();
    await phone.page.getByTestId('number-timeline').getByText('paused → active').waitFor();
    await phone.screenshot('ops-number-timeline');
    await go(phone.page, 'Campaigns');
    await phone.page.getByRole('link', { name: 'New campaign' }).click();
    await phone.page.getByRole('button', { name: 'Add a condition' }).click();
    await phone.screenshot('ops-campaign-form');
    await go(phone.page, 'Inbox');
    await phone.page
      .getByTestId('conversation-list')
      .getByText(newYorkers[0] ?? '')
      .click();
    await phone.page.getByTestId('thread').getByText('Does the deal cover').waitFor();
    await phone.screenshot('ops-inbox-thread');
    phone.expectClean();
  });
});
