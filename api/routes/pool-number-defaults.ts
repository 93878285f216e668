import type { NumberKind, Provider } from '../../db/tables.ts';

/** Messages (segments) per second a number of each kind sends unless told otherwise. */
export const DEFAULT_MPS: Readonly<Record<NumberKind, number>> = {
  long_code: 1,
  toll_free: 3,
  short_code: 100,
  imessage: 1,
};

/** New conversations per day a Blooio iMessage line starts unless told otherwise. */
export const DEFAULT_IMESSAGE_DAILY_CAP = 50;

export function defaultKind(provider: Provider): NumberKind {
  return provider === 'blooio' ? 'imessage' : 'long_code';
}

export function providerOfKind(kind: NumberKind): Provider {
  return kind === 'imessage' ? 'blooio' : 'twilio';
}

export const PROVIDER_NAME: Readonly<Record<Provider, string>> = {
  twilio: 'Twilio',
  blooio: 'Blooio',
};
