import { describe, expect, it } from 'vitest';
import {
  missingVariables,
  renderTemplate,
  templateVariables,
  validateTemplate,
} from '../../core/template.ts';

describe('templates', () => {
  it('renders variables and fallbacks', () => {
    const template =
      'Hi {{first_name}}, {{ city | "your area" }} deals! Reply YES. {{ company|us }}';
    expect(renderTemplate(template, { first_name: 'Ana', city: '' })).toEqual({
      ok: true,
      text: 'Hi Ana, your area deals! Reply YES. us',
    });
    expect(
      renderTemplate(template, { first_name: 'Ana', city: 'Austin', company: 'Acme' }),
    ).toEqual({ ok: true, text: 'Hi Ana, Austin deals! Reply YES. Acme' });
  });

  it('lists variables once, required over fallback', () => {
    expect(templateVariables('{{a}} {{ b | x }} {{a}} {{b}} {{c|}}')).toEqual([
      { name: 'a', fallback: null },
      { name: 'b', fallback: null },
      { name: 'c', fallback: '' },
    ]);
  });

  it('reports missing variables for a contact and against audience columns', () => {
    expect(renderTemplate('{{first_name}} {{last_name}} {{x|y}}', { first_name: ' ' })).toEqual({
      ok: false,
      missing: ['first_name', 'last_name'],
      message:
        'Template uses variables {{first_name}}, {{last_name}} without a fallback that this contact has no value for',
    });
    expect(
      missingVariables('{{first_name}} {{zip | 00000}} {{plan}}', ['first_name', 'phone']),
    ).toEqual(['plan']);
    expect(validateTemplate('{{plan}}', ['phone'])).toEqual({
      ok: false,
      missing: ['plan'],
      message:
        'Template uses a variable {{plan}} without a fallback that the audience lacks (columns: phone)',
    });
    expect(validateTemplate('Hello {{ name | there }}', [])).toEqual({ ok: true });
  });

  it('leaves text without placeholders alone', () => {
    expect(renderTemplate('Reply {YES} or {{ not a var }}', {})).toEqual({
      ok: true,
      text: 'Reply {YES} or {{ not a var }}',
    });
  });
});
