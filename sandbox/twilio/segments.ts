const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';

const basic = new Set(GSM_BASIC);
const extended = new Set(GSM_EXTENDED);

export type Encoding = 'GSM-7' | 'UCS-2';

/** The SMS segments a body needs: GSM-7 160 chars (153 per part), else UCS-2 70 (67 per part). */
export function countSegments(body: string): { encoding: Encoding; segments: number } {
  let septets = 0;
  for (const char of body) {
    if (basic.has(char)) septets += 1;
    else if (extended.has(char)) septets += 2;
    else return { encoding: 'UCS-2', segments: split(body.length, 70, 67) };
  }
  return { encoding: 'GSM-7', segments: split(septets, 160, 153) };
}

function split(units: number, single: number, perPart: number): number {
  if (units <= single) return 1;
  return Math.ceil(units / perPart);
}
