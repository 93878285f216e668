/** What a campaign was told about whom to text and when to start, in words. */
import type { paths } from '../../../client/index.ts';
import { FILTER_OPS, OP_LABEL } from '../campaign-draft.ts';
import { when } from '../ui.tsx';

type View = paths['/v1/campaigns/{id}']['get']['responses'][200]['content']['application/json'];
/** A condition as the view gives it back (the API checked its shape when it took it). */
function condition(c: Record<string, unknown>): string {
  const field = typeof c.field === 'string' ? c.field : '?';
  const op = FILTER_OPS.find((known) => known === c.op);
  if (op === undefined) return `${field} ${String(c.op)}`;
  if (op === 'exists') return `${field} ${c.value === false ? 'has no value' : 'has a value'}`;
  const value = Array.isArray(c.value) ? c.value.map(String).join(', ') : String(c.value);
  return `${field} ${OP_LABEL[op].replace(' (comma-separated)', '')} ${value}`;
}

export function TargetingSummary({ campaign }: { campaign: View }) {
  const { filter } = campaign;
  const all = filter?.all ?? [];
  const any = filter?.any ?? [];
  const lists = campaign.suppression_list_ids.filter((id) => id !== 'global').length;
  const excluded = campaign.exclude_audience_ids.length;
  return (
    <>
      <li data-testid="campaign-start">
        {campaign.start_at === null ? 'Starts when launched' : `Starts ${when(campaign.start_at)}`}
      </li>
      <li data-testid="campaign-targeting">
        {all.length + any.length === 0
          ? 'Texts everyone in the audience'
          : `Texts contacts where ${[
              ...(all.length > 0 ? [all.map(condition).join(' and ')] : []),
              ...(any.length > 0 ? [`(${any.map(condition).join(' or ')})`] : []),
            ].join(' and ')}`}
        {excluded === 0 ? '' : `, leaving out ${excluded} audience${excluded === 1 ? '' : 's'}`}
        {' · '}honours the global suppression list
        {lists === 0 ? '' : ` and ${lists} other${lists === 1 ? '' : 's'}`}
      </li>
    </>
  );
}
