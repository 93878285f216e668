/**
 * A strict reader of the messaging TwiML an inbound-message webhook answers with: an optional
 * XML declaration, then `<Response>` holding `<Message>` verbs, whose text is the body (or a
 * `<Body>` child, `<Media>` children ignored). Anything else is a document Twilio would refuse
 * (error 12100, "Document parse failure"), and then nothing is sent.
 */

export interface TwimlMessage {
  readonly body: string;
  /** Attributes as written: `to`, `from`, `action`, `method`, `statusCallback`. */
  readonly attributes: Readonly<Record<string, string>>;
}

export type TwimlParse =
  | { readonly ok: true; readonly messages: TwimlMessage[] }
  | { readonly ok: false; readonly error: string };

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

class TwimlError extends Error {}

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);|&/g, (whole, name: string | undefined) => {
    if (name === undefined) throw new TwimlError('bare & in text');
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const value = ENTITIES[name];
    if (value === undefined) throw new TwimlError(`unknown entity ${whole}`);
    return value;
  });
}

interface Element {
  name: string;
  attributes: Record<string, string>;
  children: (Element | string)[];
}

/** A recursive-descent reader of the XML subset TwiML needs (no DTD, comments allowed). */
class Reader {
  #text: string;
  #at = 0;

  constructor(text: string) {
    this.#text = text;
  }

  document(): Element {
    this.#skip(/^\uFEFF?\s*(<\?xml[^?]*\?>)?/);
    this.#misc();
    const root = this.#element();
    this.#misc();
    if (this.#at !== this.#text.length) throw new TwimlError('content after the root element');
    return root;
  }

  #misc(): void {
    for (;;) {
      this.#skip(/^\s*/);
      if (!this.#skip(/^<!--[\s\S]*?-->/)) return;
    }
  }

  #skip(pattern: RegExp): string | null {
    const match = pattern.exec(this.#text.slice(this.#at));
    if (match === null) return null;
    this.#at += match[0].length;
    return match[0];
  }

  #element(): Element {
    const open = /^<([A-Za-z][\w.-]*)/.exec(this.#text.slice(this.#at));
    if (open?.[1] === undefined) throw new TwimlError(`an element expected at ${this.#at}`);
    this.#at += open[0].length;
    const element: Element = { name: open[1], attributes: {}, children: [] };
    for (;;) {
      const attribute = /^\s+([A-Za-z][\w.-]*)\s*=\s*("([^"<]*)"|'([^'<]*)')/.exec(
        this.#text.slice(this.#at),
      );
      if (attribute === null) break;
      this.#at += attribute[0].length;
      const [, name = '', , double, single] = attribute;
      if (name in element.attributes) throw new TwimlError(`attribute ${name} repeated`);
      element.attributes[name] = decode(double ?? single ?? '');
    }
    if (this.#skip(/^\s*\/>/)) return element;
    if (!this.#skip(/^\s*>/)) throw new TwimlError(`<${element.name}> is not closed`);
    for (;;) {
      const text = this.#skip(/^[^<]+/);
      if (text !== null) element.children.push(decode(text));
      if (this.#skip(/^<!--[\s\S]*?-->/)) continue;
      const cdata = /^<!\[CDATA\[([\s\S]*?)\]\]>/.exec(this.#text.slice(this.#at));
      if (cdata !== null) {
        this.#at += cdata[0].length;
        element.children.push(cdata[1] ?? '');
        continue;
      }
      const close = /^<\/([A-Za-z][\w.-]*)\s*>/.exec(this.#text.slice(this.#at));
      if (close !== null) {
        if (close[1] !== element.name)
          throw new TwimlError(`</${close[1]}> closes <${element.name}>`);
        this.#at += close[0].length;
        return element;
      }
      if (this.#at >= this.#text.length) throw new TwimlError(`<${element.name}> is not closed`);
      element.children.push(this.#element());
    }
  }
}

const textOf = (element: Element) =>
  element.children.map((child) => (typeof child === 'string' ? child : '')).join('');

function message(element: Element): TwimlMessage {
  const bodies = element.children.filter(
    (child): child is Element => typeof child !== 'string' && child.name === 'Body',
  );
  for (const child of element.children) {
    if (typeof child !== 'string' && child.name !== 'Body' && child.name !== 'Media') {
      throw new TwimlError(`<${child.name}> is not allowed in <Message>`);
    }
  }
  const body = bodies.length > 0 ? bodies.map(textOf).join('') : textOf(element);
  return { body: body.trim(), attributes: element.attributes };
}

export function parseMessagingTwiml(text: string): TwimlParse {
  try {
    const root = new Reader(text).document();
    if (root.name !== 'Response')
      throw new TwimlError(`the root is <${root.name}>, not <Response>`);
    const messages: TwimlMessage[] = [];
    for (const child of root.children) {
      if (typeof child === 'string') {
        if (child.trim() !== '') throw new TwimlError('text directly in <Response>');
        continue;
      }
      if (child.name === 'Message') messages.push(message(child));
      else throw new TwimlError(`<${child.name}> is not a messaging verb the sandbox plays`);
    }
    return { ok: true, messages };
  } catch (error) {
    if (error instanceof TwimlError) return { ok: false, error: error.message };
    throw error;
  }
}
