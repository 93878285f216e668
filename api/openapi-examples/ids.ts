/**
 * The one story every example tells, so a reader can follow the same pool, campaign and contact
 * from call to call: a Twilio pool in San Francisco and New York texts the "Spring promo" list;
 * Maya answers YES and is handed to an iMessage line of the Blooio pool; Jordan opts out.
 */
export const SMS_POOL_ID = '3f1c9a52-5b7e-4c1d-9a0e-7d2b8c4e6f10';
export const FOLLOWUP_POOL_ID = '8d4e2b17-6a3f-4c58-b9e1-2f7a0c5d9e34';
export const AUDIENCE_ID = '5b2e7c41-9d3a-4f86-a1c7-0e8b6d2f4a95';
export const CAMPAIGN_ID = 'c7a3e915-2f4b-4d6e-8a1c-9b5d3e7f0a26';
export const SUPPRESSION_LIST_ID = '1e9d5a73-8c2f-4b1a-9e6d-4f0a2c8b7d53';
/** A four-person staff list uploaded the week before for a test, then deleted. */
export const STAFF_AUDIENCE_ID = '2c8f4d16-7a9b-4e03-b5d2-6e1f9a3c0b78';
export const WEBHOOK_ENDPOINT_ID = 'we_5697a2398e1084edc9bc78b0';

/** The Twilio pool's long codes (number ids 1–3) and the Blooio pool's iMessage lines (4–6). */
export const SENDERS = [
  { id: '1', phone: '+14155550031', area_code: '415', region: 'CA' },
  { id: '2', phone: '+14155550032', area_code: '415', region: 'CA' },
  { id: '3', phone: '+12125550147', area_code: '212', region: 'NY' },
] as const;
export const IMESSAGE_LINES = [
  { id: '4', phone: '+14155550101' },
  { id: '5', phone: '+14155550102' },
  { id: '6', phone: '+14155550103' },
] as const;

/** Maya answers YES and talks to an agent; Jordan asks not to be texted. */
export const MAYA = { id: '1042', phone: '+14155550123', first_name: 'Maya' } as const;
export const JORDAN = { id: '1043', phone: '+14155550124', first_name: 'Jordan' } as const;

export const AGENT = 'dana@example.com';

/** The day it happens (Pacific time is UTC−8): created in the morning, launched at 09:00 PT. */
export const AT = {
  staffListImported: '2026-12-01T18:12:40.551Z',
  poolsCreated: '2026-12-07T15:30:00.000Z',
  audienceImported: '2026-12-07T15:35:12.408Z',
  listCreated: '2026-12-07T15:38:40.117Z',
  campaignCreated: '2026-12-07T15:40:05.963Z',
  previewed: '2026-12-07T16:55:07.312Z',
  launched: '2026-12-07T17:00:00.214Z',
  firstSent: '2026-12-07T17:00:01.532Z',
  mayaReplied: '2026-12-07T17:06:44.090Z',
  handedOff: '2026-12-07T17:06:45.871Z',
  agentAnswered: '2026-12-07T17:12:30.455Z',
  agentRead: '2026-12-07T17:12:02.310Z',
  jordanOptedOut: '2026-12-07T17:20:18.742Z',
  /** The second San Francisco number is filtered as spam, cools down, and is let back early. */
  cooled: '2026-12-07T17:41:09.377Z',
  released: '2026-12-07T17:58:12.406Z',
  capped: '2026-12-07T18:00:40.118Z',
  nycPaused: '2026-12-07T18:20:03.559Z',
  probationPassed: '2026-12-07T18:47:25.090Z',
  nycResumed: '2026-12-07T18:52:46.731Z',
  oneOffSent: '2026-12-07T19:15:30.284Z',
  archived: '2026-12-10T16:20:05.812Z',
} as const;

/** Twilio Message sids (SM + 32 hex) and Blooio message ids (msg_…). */
export const SID = {
  toMaya: 'SM0e0c9bf86dcbd5250c42b429230d4f37',
  toJordan: 'SMd6da6fdf9a38669f55c0484ae89644f5',
  mayaYes: 'SM89130cc2727db24354ef67ba2e708f96',
  followup: 'msg_480c86349ebffcb439fc',
  agentAnswer: 'msg_6ca014457db4d15856f7',
} as const;
