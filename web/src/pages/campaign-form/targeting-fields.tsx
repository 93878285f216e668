/**
 * Who of the audience a new campaign texts: conditions on contact fields and the audience's
 * columns (the API's `filter`), audiences whose contacts are left out, and the suppression lists
 * it honours besides the global one. The draft's page then previews how many that leaves.
 */
import { CONTACT_FILTER_FIELDS } from '../../../../core/contact-filter.ts';
import {
  FILTER_OPS,
  OP_LABEL,
  type ConditionDraft,
  type Draft,
  type FilterOp,
} from '../../campaign-draft.ts';
import { errorsAt, type FieldErrors } from '../../field-errors.ts';
import { FieldError, count, invalidProps } from '../../ui.tsx';

type TargetingDraft = Pick<
  Draft,
  'match' | 'conditions' | 'excludeAudienceIds' | 'suppressionListIds'
>;

interface Choice {
  id: string;
  name: string;
  size: number;
}

const toggled = (ids: string[], id: string, on: boolean) =>
  on ? [...ids, id] : ids.filter((known) => known !== id);

function ConditionRow({
  index,
  condition,
  fields,
  onChange,
  onRemove,
  errors,
}: {
  index: number;
  condition: ConditionDraft;
  fields: string[];
  onChange: (change: Partial<ConditionDraft>) => void;
  onRemove: () => void;
  errors: string[];
}) {
  const id = `condition-${index}`;
  return (
    <div>
      <div class="condition-row">
        <div>
          <label for={`${id}-field`}>Condition {index + 1}: field</label>
          <select
            id={`${id}-field`}
            value={condition.field}
            onChange={(e) => onChange({ field: e.currentTarget.value })}
          >
            {fields.map((field) => (
              <option key={field} value={field}>
                {field}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for={`${id}-op`}>Condition {index + 1}: test</label>
          <select
            id={`${id}-op`}
            value={condition.op}
            onChange={(e) => {
              const op = FILTER_OPS.find((known) => known === e.currentTarget.value);
              if (op !== undefined) onChange({ op });
            }}
          >
            {FILTER_OPS.map((op) => (
              <option key={op} value={op}>
                {OP_LABEL[op]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for={`${id}-value`}>Condition {index + 1}: value</label>
          <input
            id={`${id}-value`}
            value={condition.value}
            disabled={condition.op === 'exists'}
            {...invalidProps(id, errors)}
            onInput={(e) => onChange({ value: e.currentTarget.value })}
          />
        </div>
        <button type="button" class="danger" onClick={onRemove}>
          Remove condition {index + 1}
        </button>
      </div>
      <FieldError field={id} messages={errors} />
    </div>
  );
}

export function TargetingFields({
  draft,
  onChange,
  columns,
  audiences,
  suppressionLists,
  errors,
}: {
  draft: TargetingDraft;
  onChange: (change: Partial<TargetingDraft>) => void;
  /** The chosen audience's columns (filterable as attributes.<column>). */
  columns: string[];
  /** Audiences that can be excluded (every one but the chosen). */
  audiences: Choice[];
  /** Suppression lists besides the global one. */
  suppressionLists: Choice[];
  errors: FieldErrors;
}) {
  const fields = [
    ...Object.keys(CONTACT_FILTER_FIELDS),
    ...columns.filter((column) => column !== 'phone').map((column) => `attributes.${column}`),
  ];
  const setCondition = (index: number, change: Partial<ConditionDraft>) =>
    onChange({
      conditions: draft.conditions.map((c, i) => (i === index ? { ...c, ...change } : c)),
    });
  const addCondition = (op: FilterOp = 'eq') =>
    onChange({
      conditions: [...draft.conditions, { field: fields[0] ?? 'state', op, value: '' }],
    });
  const matchPrefix = `filter.${draft.match}`;
  return (
    <fieldset>
      <legend>Targeting</legend>
      <p class="hint">
        Everyone in the audience is texted unless conditions narrow it; those left out are skipped
        as filtered out, and the draft's targeting preview counts them.
      </p>
      {draft.conditions.length > 1 && (
        <>
          <label for="filter-match">Contacts must match</label>
          <select
            id="filter-match"
            value={draft.match}
            onChange={(e) => onChange({ match: e.currentTarget.value === 'any' ? 'any' : 'all' })}
          >
            <option value="all">every condition</option>
            <option value="any">at least one condition</option>
          </select>
        </>
      )}
      {draft.conditions.map((condition, index) => (
        <ConditionRow
          key={index}
          index={index}
          condition={condition}
          fields={fields}
          errors={errorsAt(errors, `${matchPrefix}.${index}`)}
          onChange={(change) => setCondition(index, change)}
          onRemove={() => onChange({ conditions: draft.conditions.filter((_, i) => i !== index) })}
        />
      ))}
      <FieldError field="filter" messages={errors.filter ?? []} />
      <button type="button" class="quiet" onClick={() => addCondition()}>
        Add a condition
      </button>

      <h3 id="exclude-title">Leave out the contacts of these audiences</h3>
      {audiences.length === 0 ? (
        <p class="hint">No other audience to leave out.</p>
      ) : (
        <div class="checks" role="group" aria-labelledby="exclude-title">
          {audiences.map((audience) => (
            <label class="inline" key={audience.id}>
              <input
                type="checkbox"
                checked={draft.excludeAudienceIds.includes(audience.id)}
                onChange={(e) =>
                  onChange({
                    excludeAudienceIds: toggled(
                      draft.excludeAudienceIds,
                      audience.id,
                      e.currentTarget.checked,
                    ),
                  })
                }
              />
              Exclude {audience.name} ({count(audience.size)})
            </label>
          ))}
        </div>
      )}
      <FieldError
        field="exclude_audience_ids"
        messages={errorsAt(errors, 'exclude_audience_ids')}
      />

      <h3 id="suppression-title">Suppression lists</h3>
      <p class="hint">The global suppression list always applies.</p>
      {suppressionLists.length > 0 && (
        <div class="checks" role="group" aria-labelledby="suppression-title">
          {suppressionLists.map((list) => (
            <label class="inline" key={list.id}>
              <input
                type="checkbox"
                checked={draft.suppressionListIds.includes(list.id)}
                onChange={(e) =>
                  onChange({
                    suppressionListIds: toggled(
                      draft.suppressionListIds,
                      list.id,
                      e.currentTarget.checked,
                    ),
                  })
                }
              />
              Honour {list.name} ({count(list.size)} numbers)
            </label>
          ))}
        </div>
      )}
      <FieldError
        field="suppression_list_ids"
        messages={errorsAt(errors, 'suppression_list_ids')}
      />
    </fieldset>
  );
}
