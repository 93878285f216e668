/** The messages of a new campaign: the broadcast, then drip steps with delay and condition. */
import { DRIP_CONDITIONS } from '../../../../core/drip-condition.ts';
import type { StepDraft } from '../../campaign-draft.ts';
import { errorsAt, type FieldErrors } from '../../field-errors.ts';
import { FieldError, invalidProps } from '../../ui.tsx';
import { StepPreview } from './step-preview.tsx';

const CONDITION_LABEL: Record<StepDraft['condition'], string> = {
  all: 'everyone',
  no_reply: 'those who have not replied',
  delivered_no_reply: 'those delivered who have not replied',
  not_delivered: 'those the previous step did not reach',
  replied: 'those who replied',
};

export function StepsFields({
  steps,
  onChange,
  sample,
  samplePhone,
  errors,
}: {
  steps: StepDraft[];
  onChange: (steps: StepDraft[]) => void;
  sample: Record<string, string> | null;
  samplePhone: string | null;
  errors: FieldErrors;
}) {
  const setStep = (index: number, change: Partial<StepDraft>) =>
    onChange(steps.map((step, i) => (i === index ? { ...step, ...change } : step)));
  return (
    <fieldset>
      <legend>Messages</legend>
      {samplePhone !== null && (
        <p class="hint">Previewed for a sample contact of the audience: {samplePhone}.</p>
      )}
      <FieldError field="steps" messages={errors.steps ?? []} />
      {steps.map((step, index) => {
        const templateErrors = errorsAt(errors, `steps.${index}.template`);
        const delayErrors = errorsAt(errors, `steps.${index}.delay_seconds`);
        return (
          <div class="panel" key={index}>
            <label for={`step-${index}`}>
              {index === 0 ? 'First message' : `Step ${index + 1}`}
            </label>
            <textarea
              id={`step-${index}`}
              value={step.template}
              {...invalidProps(`steps.${index}.template`, templateErrors)}
              onInput={(e) => setStep(index, { template: e.currentTarget.value })}
            />
            <FieldError field={`steps.${index}.template`} messages={templateErrors} />
            {index > 0 && (
              <div class="grid">
                <div>
                  <label for={`step-${index}-delay`}>Hours after the previous step</label>
                  <input
                    id={`step-${index}-delay`}
                    type="number"
                    min="0"
                    step="0.25"
                    value={step.delayHours}
                    {...invalidProps(`steps.${index}.delay_seconds`, delayErrors)}
                    onInput={(e) => setStep(index, { delayHours: e.currentTarget.value })}
                  />
                  <FieldError field={`steps.${index}.delay_seconds`} messages={delayErrors} />
                </div>
                <div>
                  <label for={`step-${index}-condition`}>Sent to</label>
                  <select
                    id={`step-${index}-condition`}
                    value={step.condition}
                    onChange={(e) => {
                      const value = DRIP_CONDITIONS.find((c) => c === e.currentTarget.value);
                      if (value !== undefined) setStep(index, { condition: value });
                    }}
                  >
                    {DRIP_CONDITIONS.map((condition) => (
                      <option key={condition} value={condition}>
                        {CONDITION_LABEL[condition]}
                      </option>
                    ))}
                  </select>
                </div>
              </div>
            )}
            <StepPreview template={step.template} sample={sample} />
            {index > 0 && (
              <button
                type="button"
                class="danger"
                onClick={() => onChange(steps.filter((_, i) => i !== index))}
              >
                Remove step {index + 1}
              </button>
            )}
          </div>
        );
      })}
      <button
        type="button"
        class="quiet"
        onClick={() =>
          onChange([...steps, { template: '', delayHours: '24', condition: 'no_reply' }])
        }
      >
        Add a follow-up step
      </button>
    </fieldset>
  );
}
