import { describe, expect, it } from 'vitest';
import { templateSyntaxError } from '../../core/template-syntax.ts';
import { renderTemplate, staticText } from '../../core/template.ts';
import { templateSegments } from '../../core/template-segments.ts';

describe('template syntax', () => {
  it('accepts variables, fallbacks and plain text', () => {
    for (const template of [
      'Reply YES to learn more',
      'Hi {{first_name}}, {{ city | "your area" }} deals. {{plan|}}',
      'Hi {{ first.name }} {{last-name}}',
    ]) {
      expect(templateSyntaxError(template), template).toBeUndefined();
    }
  });

  it('names the character where an unclosed {{ opens', () => {
    expect(templateSyntaxError('Hi {{first_name')).toEqual({
      position: 4,
      message: expect.stringContaining('"{{" at character 4 is never closed'),
    });
    expect(templateSyntaxError('Hi {{a}}, {{b')?.position).toBe(11);
  });

  it('refuses a }} that closes nothing', () => {
    expect(templateSyntaxError('Hi first_name}} and more')).toEqual({
      position: 14,
      message: expect.stringContaining('"}}" at character 14 closes no "{{"'),
    });
  });

  it('refuses what is not a variable between the braces', () => {
    expect(templateSyntaxError('Hi {{first name}}')?.position).toBe(4);
    expect(templateSyntaxError('Hi {{}}')?.position).toBe(4);
    expect(templateSyntaxError('Hi {{a {{b}}')?.position).toBe(4);
    expect(templateSyntaxError('Hi {{{first_name}}}')?.message).toContain('is not a variable');
    expect(templateSyntaxError('Hi {{ 1st }}')?.message).toContain('is not a variable');
  });

  it('refuses single-brace placeholders from other tools', () => {
    expect(templateSyntaxError('Hi {first_name}!')).toEqual({
      position: 4,
      message: expect.stringContaining('uses single braces'),
    });
  });
});

describe('line breaks in rendered messages', () => {
  it('puts a multi-line value on one line, keeps the template breaks as LF', () => {
    expect(
      renderTemplate('Hi {{name}},\r\nsee you in {{city}}.', {
        name: 'Ann\r\nMarie',
        city: 'New\rYork \n\n',
      }),
    ).toEqual({ ok: true, text: 'Hi Ann Marie,\nsee you in New York .' });
  });
});

describe('template segments', () => {
  it('counts the fixed text without variables', () => {
    expect(staticText('Hi {{first_name | there}}, reply YES')).toBe('Hi , reply YES');
    const segments = templateSegments(`${'x'.repeat(150)} {{note}}`, undefined);
    expect(segments).toEqual({ encoding: 'GSM-7', segments: 1, staticSegments: 1, sampled: false });
  });

  it('counts a sample render, which may change the encoding', () => {
    const template = `${'x'.repeat(150)} {{note}}`;
    expect(templateSegments(template, { note: 'y'.repeat(20) })).toEqual({
      encoding: 'GSM-7',
      segments: 2,
      staticSegments: 1,
      sampled: true,
    });
    expect(templateSegments('Hi {{name}}', { name: 'Zoë 🎉' })).toMatchObject({
      encoding: 'UCS-2',
      segments: 1,
    });
    // A variable the sample lacks renders as its fallback, or empty.
    expect(templateSegments('Hi {{name|friend}} {{x}}', {})).toMatchObject({ segments: 1 });
  });
});
